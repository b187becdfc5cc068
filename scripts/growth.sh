#!/usr/bin/env bash
# The cost curve as a collection grows: builds copies of the bench at each SIZE (×1 is the
# corpus itself; copy k of a txt, md or html file has a few characters changed, so that no two
# copies are the same text; every copy is renamed by its folder), indexes each size into its
# own index and reports per size: index time, index size, peak RSS, query p50/p95 for a fixed
# set of 20 queries and for single characters, beside rg -F -l over the same files.
#
#   scripts/growth.sh [SIZE]...      (default: 1 4 16 64; the corpus is ../shared/corpus/bench)
#
# Disk: SIZE× the corpus (100 MB) in copies plus about twice that in index. 64× takes about
# an hour on 2 cores. Needs hyperfine and ripgrep; not run by CI. GROWTH_DIR sets the work
# folder (default target/growth), GROWTH_RUNS hyperfine's runs (default 5).
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=$(realpath "${CORPUS:-../shared/corpus/bench}")
sizes=("${@:-1 4 16 64}")
read -r -a sizes <<<"${sizes[*]}"
runs=${GROWTH_RUNS:-5}
work=$(realpath -m "${GROWTH_DIR:-target/growth}")
[ -d "$corpus" ] || { echo "skipped: $corpus is not here" >&2; exit 0; }
for tool in hyperfine rg python3; do
    command -v "$tool" >/dev/null || { echo "$tool is required" >&2; exit 2; }
done
cargo build --release --quiet --bin zhengce
# Cargo builds for the host under its name (.cargo/config.toml).
release=$PWD/target/$(rustc -vV | sed -n 's/^host: //p')/release
bin=$release/zhengce
mkdir -p "$work/pool"

# Copy k of the corpus, made once: text files with k-dependent characters changed.
make_copy() {
    local k=$1 to="$work/pool/copy$1"
    [ -d "$to" ] && return
    python3 - "$corpus" "$to.tmp" "$k" <<'PY'
import os, random, shutil, sys
src, dst, k = sys.argv[1], sys.argv[2], int(sys.argv[3])
for root, _, files in os.walk(src):
    out = os.path.join(dst, os.path.relpath(root, src))
    os.makedirs(out, exist_ok=True)
    for name in files:
        a, b = os.path.join(root, name), os.path.join(out, name)
        if not name.endswith((".txt", ".md", ".html", ".htm")):
            shutil.copyfile(a, b)
            continue
        data = open(a, "rb").read()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            shutil.copyfile(a, b)
            continue
        rng = random.Random(f"{k}/{name}")
        chars = list(text)
        cjk = [i for i, c in enumerate(chars) if "\u4e00" <= c <= "\u9fa4"]
        for i in rng.sample(cjk, min(3, len(cjk))):
            chars[i] = chr(ord(chars[i]) + 1)
        open(b, "w", encoding="utf-8").write("".join(chars))
PY
    mv "$to.tmp" "$to"
}

queries=(
    世界贸易组织 个人信息 国务院 经济 生态环境 知识产权 行政许可 数据安全 最高人民法院
    劳动合同 营商环境 著作权 "数据 安全" "劳动 合同 解除" "土地 征收 补偿" '"依法行政"'
    "type:条例 安全" "date:2019 国务院" "issuer:国务院 通知" WTO
)
singles=(税 法 的)
warmup=1
source scripts/timing.sh

for n in "${sizes[@]}"; do
    folder="$work/x$n"
    if [ "$n" = 1 ]; then
        folder=$corpus
    else
        rm -rf "$folder" && mkdir -p "$folder"
        for k in $(seq 1 "$n"); do
            make_copy "$k"
            # Symlinked files: each indexed once, by its real path in the pool.
            cp -as "$work/pool/copy$k" "$folder/copy$k"
        done
    fi
    echo "== ${n}× =="
    rm -rf "$work/x$n.index"
    /usr/bin/time -f "%e %M" -o "$work/x$n.time" \
        "$bin" index "$folder" --index "$work/x$n.index" --quiet >/dev/null 2>"$work/x$n.log"
    "$bin" stats --index "$work/x$n.index" --json >"$work/x$n.stats"
    du -sbL "$work/x$n.index" | cut -f1 >"$work/x$n.size"
    time_queries "$work/x$n.q.json" "$work/x$n.index" "$folder" "${queries[@]}"
    time_queries "$work/x$n.s.json" "$work/x$n.index" "$folder" "${singles[@]}"
done

python3 - "$work" "${sizes[@]}" <<'PY'
import json, os, sys
work, sizes = sys.argv[1], sys.argv[2:]
def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p * (len(xs) - 1))))]
def medians(path, tool):
    return [r["median"] * 1000 for r in json.load(open(path))["results"]
            if r["command"].split("|")[0] == tool]
print(f"\nload average {open('/proc/loadavg').read().split()[:3]}, {os.cpu_count()} cores")
print("| size | documents | text MB | index s | MB/s | index MB | index/text | peak RSS MB "
      "| p50 ms | p95 ms | rg p50 ms | rg/zhengce p50 | 1 char max ms | rg 1 char max ms |")
print("|" + "---|" * 14)
for n in sizes:
    secs, kb = open(os.path.join(work, f"x{n}.time")).read().split()
    stats = json.load(open(os.path.join(work, f"x{n}.stats")))
    text = stats["text_bytes"] / 1e6
    size = int(open(os.path.join(work, f"x{n}.size")).read()) / 1e6
    q, s = os.path.join(work, f"x{n}.q.json"), os.path.join(work, f"x{n}.s.json")
    z, g = medians(q, "zhengce"), medians(q, "rg")
    zs, gs = medians(s, "zhengce"), medians(s, "rg")
    print(f"| {n}× | {stats['documents']} | {text:.0f} | {float(secs):.0f} | {text/float(secs):.1f} "
          f"| {size:.0f} | {size/text:.2f} | {int(kb)/1024:.0f} | {pct(z, .5):.1f} | {pct(z, .95):.1f} "
          f"| {pct(g, .5):.1f} | {pct(g, .5)/pct(z, .5):.1f}× | {max(zs):.1f} | {max(gs):.1f} |")
PY
