#!/usr/bin/env bash
# Whole-program benchmark on ../shared/corpus/bench: builds release, indexes the corpus,
# times a mixed query set against zhengce and `rg -F -l` over the same files, and prints one
# table with each figure beside its baseline from the same run.
#
#   scripts/bench.sh [CORPUS] [COPIES]
#
# COPIES > 1 also measures queries on COPIES copies of the corpus (under different folder
# names), to show how each side scales. Needs hyperfine and ripgrep (apt-get install -y
# hyperfine ripgrep).
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus/bench}
copies=${2:-1}
work=${BENCH_DIR:-target/bench-run}
[ -d "$corpus" ] || { echo "skipped: $corpus is not here" >&2; exit 0; }
for tool in hyperfine rg; do
    command -v "$tool" >/dev/null || { echo "$tool is required (apt-get install -y hyperfine ripgrep)" >&2; exit 2; }
done
cargo build --release --quiet
bin=$PWD/target/release/zhengce
rm -rf "$work" && mkdir -p "$work"

# Copies of the corpus, so the query comparison can be repeated at COPIES× the size.
data="$work/data"
mkdir -p "$data"
for i in $(seq 1 "$copies"); do ln -s "$(realpath "$corpus")" "$data/copy$i"; done

text_mb=$(find -L "$corpus" -type f \( -name '*.txt' -o -name '*.md' \) -printf '%s\n' | awk '{s+=$1} END {printf "%.1f", s/1e6}')

echo "== indexing $corpus (all formats) =="
/usr/bin/time -f "%e %M" -o "$work/time.index" "$bin" index "$corpus" --index "$work/index" --quiet || true
read -r index_s index_kb < "$work/time.index"
index_mb=$(du -sm "$work/index" | cut -f1)
extracted_mb=$("$bin" stats --index "$work/index" --json | python3 -c 'import json,sys; print(round(json.load(sys.stdin)["text_bytes"]/1e6,1))')

echo "== baseline: jieba segmentation alone over the txt/md text =="
seg=$(cargo bench --quiet --bench throughput -- segment_only 2>/dev/null | awk '/segment_only/ {print $0}' | head -1)

echo "== no-change re-index =="
/usr/bin/time -f "%e" -o "$work/time.reindex" "$bin" index "$corpus" --index "$work/index" --quiet || true

queries=(世界贸易组织 贸易组织 易组 高水平对外开放 个人信息 税 "数据 安全" 国务院 "行政许可 听证" WTO 经济 "\"数据安全\"" 生态环境 "type:条例 安全" "date:2019 国务院")
echo "== queries: zhengce vs rg -F -l (warm cache) =="
args=()
for q in "${queries[@]}"; do
    first=${q%% *}
    first=${first//\"/}
    case "$first" in type:*|date:*) first=${q##* } ;; esac
    args+=(-n "zhengce $q" "$bin search $q --index $work/index --json --limit 10 >/dev/null || true")
    args+=(-n "rg $first" "rg -F -l -i -g '*.txt' -g '*.md' '$first' $corpus >/dev/null || true")
done
hyperfine --warmup 2 --runs 15 --style none --export-json "$work/queries.json" "${args[@]}" >/dev/null 2>&1

python3 - "$work/queries.json" <<PY
import json, sys
runs = json.load(open(sys.argv[1]))["results"]
z = sorted(r["median"] * 1000 for r in runs if r["command"].startswith("zhengce"))
g = sorted(r["median"] * 1000 for r in runs if r["command"].startswith("rg"))
pct = lambda xs, p: xs[min(len(xs) - 1, int(round(p * (len(xs) - 1))))]
print()
print(f"{'figure':40} {'zhengce':>12} {'baseline':>12}")
print(f"{'query p50 (ms, whole process)':40} {pct(z,.5):12.1f} {pct(g,.5):12.1f}  (rg -F -l)")
print(f"{'query p95 (ms, whole process)':40} {pct(z,.95):12.1f} {pct(g,.95):12.1f}  (rg -F -l)")
print(f"{'indexing time (s, all formats)':40} {float('$index_s'):12.1f}")
print(f"{'indexing MB/s of extracted text':40} {float('$extracted_mb')/float('$index_s'):12.1f}")
print(f"{'peak RSS (MB)':40} {int('$index_kb')/1024:12.0f}")
print(f"{'index size / extracted text':40} {float('$index_mb')/max(float('$extracted_mb'),0.1):12.2f}")
print(f"{'no-change re-index (s)':40} {float(open('$work/time.reindex').read()):12.2f}")
print(f"txt/md text: $text_mb MB; jieba alone: $seg")
for r in runs:
    print(f"  {r['command']:40} {r['median']*1000:8.1f} ms")
PY
