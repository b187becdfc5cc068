#!/usr/bin/env bash
# Writes the output of a fixed set of query/option pairs (and stats, list, show) into OUTDIR,
# one file each, with timings removed, so that two builds can be compared with `diff -r`:
#
#   scripts/golden.sh BIN INDEX OUTDIR
#
# Used to check that a change meant to keep behaviour keeps every byte of output.
set -euo pipefail
bin=$1 idx=$2 out=$3
mkdir -p "$out"
queries=(
    世界贸易组织 贸易组织 易组 高水平对外开放 个人信息 国务院 经济 生态环境 知识产权
    行政许可 数据安全 人民法院 最高人民法院 食品安全 环境保护 土地管理 劳动合同 社会保险
    税收征收管理 网络安全 营商环境 乡村振兴 安全生产 公共卫生 义务教育 消费者权益 反垄断
    "数据 安全" "行政许可 听证" "劳动 合同 解除" "环境 污染 责任" "知识产权 保护"
    "政府 信息公开" "土地 征收 补偿" "数据 OR 信息" "数据 -草案" "(数据 OR 信息) 安全"
    '"数据安全"' '"依法行政"' '"高质量发展"' '"人民政府"' '"改革，要"'
    "type:条例 安全" "date:2019 国务院" "title:条例 罚款" "issuer:国务院 通知" "type:法律 责任"
    "doc:国发[2019]5号" "date:2018-01-01..2019-06-30 税" WTO GDP 国办 十四五 税 的 經濟
)
options=("" "--sort date" "--explain" "--cite" "--exact")
n=0
for q in "${queries[@]}"; do
    for o in "${options[@]}"; do
        n=$((n + 1))
        # shellcheck disable=SC2086
        { "$bin" search "$q" $o --index "$idx" --json --limit 20 2>&1 || echo "exit $?"; } |
            sed -E 's/"took_ms":[0-9.e+-]+/"took_ms":0/' >"$out/q$n.json"
        # shellcheck disable=SC2086
        { "$bin" search "$q" $o --index "$idx" --color never --limit 5 2>&1 || echo "exit $?"; } >"$out/q$n.txt"
    done
done
"$bin" stats --index "$idx" --json | sed -E 's/"(last_update|updated)[^,]*,//' >"$out/stats.json"
"$bin" list --index "$idx" --json | sed -E "s/\"(indexed_at|mtime_ns)\":[0-9]+//g" >"$out/list.json"
"$bin" list --index "$idx" | head -200 >"$out/list.txt"
first=$("$bin" list --index "$idx" --json | head -1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["path"])')
"$bin" show "$first:3" --index "$idx" >"$out/show.txt" 2>&1 || true
"$bin" show "$first" --index "$idx" --json >"$out/show.json" 2>&1 || true
echo "$n query/option pairs written to $out"
