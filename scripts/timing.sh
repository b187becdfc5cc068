# Sourced by bench.sh and growth.sh: zhengce beside rg over the same query set.

# The word rg looks for: the first text word of the query (filters and quotes dropped).
rg_word() {
    local w
    for w in $1; do
        case "$w" in *:*) continue ;; esac
        echo "${w//\"/}"
        return
    done
}

# time_queries OUT INDEX FOLDER QUERY...: hyperfine over `zhengce search` ($bin) and
# `rg -L -F -l -i $rg_globs`, $runs runs after $warmup, JSON in OUT.
time_queries() {
    local out=$1 idx=$2 folder=$3
    shift 3
    local args=() q
    for q in "$@"; do
        # Quoted for hyperfine, which splits a command as a shell would: a phrase in double
        # quotes reaches zhengce as one.
        args+=(-n "zhengce|$q" "$bin search '$q' --index $idx --json --limit 10")
        args+=(-n "rg|$q" "rg -L -F -l -i ${rg_globs:-} $(rg_word "$q") $folder")
    done
    hyperfine -N -i --warmup "${warmup:-2}" --runs "$runs" --style none \
        --export-json "$out" "${args[@]}" >/dev/null 2>&1
}
