#!/usr/bin/env bash
# Whole-program benchmark on ../shared/corpus/bench: builds release, indexes the corpus (all
# formats, the txt/md part alone, and COPIES copies under different folder names in one
# index), times a mixed query set against zhengce and `rg -F -l` over the same text at 1× and
# COPIES× the corpus, and prints one table with each figure beside its baseline from the same
# run (rg for queries; for indexing, jieba segmentation alone and Tantivy alone writing each of
# the two analyses, benches/throughput's bare fields).
#
#   scripts/bench.sh [CORPUS] [COPIES]      (defaults: ../shared/corpus/bench 4)
#
# Needs hyperfine, ripgrep (apt-get install -y hyperfine ripgrep) and gcc. Takes ~10 minutes on
# 2 cores; not run by CI. BENCH_RUNS sets hyperfine's runs per query (default 10). The same
# queries are also asked of a running `zhengce serve` (scripts/serve_timing.py), which times
# the search without a process to start.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=$(realpath "${1:-../shared/corpus/bench}")
copies=${2:-4}
runs=${BENCH_RUNS:-10}
work=$(realpath -m "${BENCH_DIR:-target/bench-run}")
[ -d "$corpus" ] || { echo "skipped: $corpus is not here" >&2; exit 0; }
for tool in hyperfine rg python3 gcc; do
    command -v "$tool" >/dev/null || { echo "$tool is required (apt-get install -y hyperfine ripgrep)" >&2; exit 2; }
done
cargo build --release --quiet --bin zhengce --example segment
# Cargo builds for the host under its name (.cargo/config.toml).
release=$PWD/target/$(rustc -vV | sed -n 's/^host: //p')/release
bin=$release/zhengce
segment=$release/examples/segment
rm -rf "$work" && mkdir -p "$work"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# A folder of symlinked files (zhengce follows symlinked files, not folders): the txt/md part
# alone; and COPIES copies of the whole corpus under different names.
txtmd="$work/txtmd"
cp -as "$corpus" "$txtmd"
find "$txtmd" -type l ! -name '*.txt' ! -name '*.md' -delete
multi="$work/copies"
mkdir -p "$multi"
# Real copies: links to one file are indexed once.
for i in $(seq 1 "$copies"); do cp -a "$corpus" "$multi/copy$i"; done

# index NAME FOLDER: indexes FOLDER into $work/NAME.index, recording seconds and peak RSS.
index() {
    /usr/bin/time -f "%e %M" -o "$work/$1.time" \
        "$bin" index "$2" --index "$work/$1.index" --quiet >/dev/null 2>"$work/$1.log"
    "$bin" stats --index "$work/$1.index" --json >"$work/$1.stats"
    du -sb "$work/$1.index" | cut -f1 >"$work/$1.size"
}
echo "== indexing: all formats, txt/md alone, ${copies}× =="
index all "$corpus"
index txtmd "$txtmd"
index multi "$multi"

echo "== baseline: jieba segmentation alone over the txt/md text =="
"$segment" "$corpus" >"$work/segment.out"
echo "== baseline: Tantivy alone writing each of the two analyses over the txt/md text =="
cargo bench --quiet --bench throughput -- bare_field_index >"$work/bare.out" 2>/dev/null

# The query set: 1–3 words of 2–8 characters, quoted phrases, filters, Latin words.
queries=(
    世界贸易组织 贸易组织 易组 高水平对外开放 个人信息 国务院 经济 生态环境 知识产权
    行政许可 数据安全 人民法院 最高人民法院 食品安全 环境保护 土地管理 劳动合同 社会保险
    税收征收管理 网络安全 营商环境 乡村振兴 安全生产 公共卫生 义务教育 消费者权益 反垄断
    著作权 交通运输 应急管理 标准化 住房公积金 城乡规划 行政处罚 外商投资
    "数据 安全" "行政许可 听证" "劳动 合同 解除" "环境 污染 责任" "知识产权 保护"
    "政府 信息公开" "土地 征收 补偿" "安全 生产 事故"
    '"数据安全"' '"依法行政"' '"高质量发展"' '"人民政府"'
    "type:条例 安全" "date:2019 国务院" "title:条例 罚款" "issuer:国务院 通知" "type:法律 责任"
    WTO GDP
)
# Single characters are outside that mix; timed apart since they match most passages.
singles=(税 法 的)

# Only the txt/md files, as the txt/md index holds them.
rg_globs="-g *.txt -g *.md"
warmup=2
source scripts/timing.sh
echo "== queries at 1×: zhengce vs rg -F -l (warm cache) =="
time_queries "$work/q1.json" "$work/all.index" "$corpus" "${queries[@]}"
time_queries "$work/s1.json" "$work/all.index" "$corpus" "${singles[@]}"
echo "== queries at ${copies}× =="
time_queries "$work/q4.json" "$work/multi.index" "$multi" "${queries[@]}"
time_queries "$work/s4.json" "$work/multi.index" "$multi" "${singles[@]}"

echo "== the search alone: the same queries asked of a running zhengce serve =="
serve_timing() { python3 scripts/serve_timing.py "$bin" "$work/$1.index" "$runs" "$work/$2.json" "${@:3}"; }
serve_timing all w1 "${queries[@]}"
serve_timing multi w4 "${queries[@]}"
serve_timing multi ws4 "${singles[@]}"

echo "== start-up =="
mkdir -p "$work/empty"
"$bin" index "$work/empty" --index "$work/empty.index" --quiet >/dev/null 2>&1 || true
# The machine's floor for any command: a statically linked C program that does nothing, so
# exec and glibc's start-up alone (whose cache-size probing runs cpuid, which traps in a VM).
printf 'int main(void) { return 0; }\n' | gcc -O2 -static -x c - -o "$work/noop"
hyperfine -N -i --warmup 3 --runs 30 --style none --export-json "$work/startup.json" \
    -n noop "$work/noop" \
    -n help "$bin --help" \
    -n empty "$bin search 世界贸易组织 --index $work/empty.index --json" \
    -n rg-version "rg --version" >/dev/null 2>&1
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - "$work" "$copies" "$load_before" "$load_after" <<'PY'
import json, os, re, sys
work, copies, load_before, load_after = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
def read(name): return open(os.path.join(work, name)).read().split()
def stats(name): return json.load(open(os.path.join(work, name + ".stats")))
def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p * (len(xs) - 1))))]
def medians(label, tool):
    runs = json.load(open(os.path.join(work, label + ".json")))["results"]
    return [r["median"] * 1000 for r in runs if r["command"].split("|")[0] == tool]

seg_mb, seg_one, seg_all, threads = read("segment.out")
# divan's lines: `├─ cjk bigrams with positions  2.959 s  │ …`, the first time the fastest.
unit = {"s": 1.0, "ms": 1e-3, "µs": 1e-6}
bare = {m.group(1): float(m.group(2)) * unit[m.group(3)]
        for m in re.finditer(r"(cjk bigrams with positions|jieba words)\s+([\d.]+) (s|ms|µs)",
                             open(os.path.join(work, "bare.out")).read())}
rows = []
def row(figure, value, baseline="", note=""):
    rows.append((figure, value, baseline, note))

for label, times in (("1×", "q1"), (f"{copies}×", "q4")):
    z, g = medians(times, "zhengce"), medians(times, "rg")
    for p in (0.5, 0.95):
        row(f"query p{int(p*100)} at {label}, ms ({len(z)} queries)", f"{pct(z, p):.1f}",
            f"{pct(g, p):.1f}", f"rg -F -l; rg/zhengce {pct(g, p)/pct(z, p):.1f}×")
for label, times in (("1×", "s1"), (f"{copies}×", "s4")):
    z, g = medians(times, "zhengce"), medians(times, "rg")
    row(f"single char 税 法 的 at {label}, ms (max)", f"{max(z):.1f}", f"{max(g):.1f}", "rg -F -l")
# The search alone, in a process already running: what of the times above is start-up.
def alone(name): return list(json.load(open(os.path.join(work, name + ".json"))).values())
for label, times, served in (("1×", "q1", "w1"), (f"{copies}×", "q4", "w4")):
    z, w = medians(times, "zhengce"), alone(served)
    for p in (0.5, 0.95):
        row(f"  the search alone, p{int(p*100)} at {label}, ms", f"{pct(w, p):.1f}",
            f"{pct(z, p):.1f}", "zhengce serve over HTTP; baseline: the whole process above")
row(f"  the search alone, 税 法 的 at {copies}×, ms (max)", f"{max(alone('ws4')):.1f}",
    f"{max(medians('s4', 'zhengce')):.1f}", "zhengce serve over HTTP; baseline: the whole process")

for name, what in (("all", "whole bench"), ("txtmd", "txt/md only"), ("multi", f"{copies}× bench")):
    secs, kb = read(name + ".time")
    s = stats(name)
    text = s["text_bytes"] / 1e6
    size = int(read(name + ".size")[0]) / 1e6
    row(f"indexing {what}: MB/s ({s['documents']} files, {text:.1f} MB)",
        f"{text/float(secs):.1f}", f"{float(seg_all):.1f}",
        f"{float(secs):.1f} s; baseline: jieba alone, {threads} threads ({float(seg_one):.1f} on 1)")
    row(f"  peak RSS, MB ({what})", f"{int(kb)/1024:.0f}", "", "--memory 400 (default)")
    row(f"  index size / text ({what})", f"{size/text:.2f}", "", f"{size:.0f} MB")

if len(bare) == 2:
    floor = sum(bare.values())
    secs = float(read("txtmd.time")[0])
    row("indexing txt/md / the two bare fields' time", f"{secs/floor:.2f}", f"{floor:.1f} s",
        f"bigrams {bare['cjk bigrams with positions']:.2f} s + jieba words {bare['jieba words']:.2f} s, Tantivy alone")

st = {r["command"]: r["median"] * 1000 for r in json.load(open(os.path.join(work, "startup.json")))["results"]}
row("start-up: zhengce --help, ms", f"{st['help']:.1f}", f"{st['rg-version']:.1f}", "rg --version")
row("start-up: search an empty index, ms", f"{st['empty']:.1f}", f"{st['rg-version']:.1f}", "rg --version")
row("start-up: a static C program that does nothing, ms", f"{st['noop']:.1f}", "",
    "exec and glibc's start-up: every command's floor")

w = max(len(r[0]) for r in rows)
print()
print(f"load average before {load_before}, after {load_after} ({os.cpu_count()} cores)")
print(f"{'figure':{w}}  {'zhengce':>9}  {'baseline':>9}  note")
for f, v, b, n in rows:
    print(f"{f:{w}}  {v:>9}  {b:>9}  {n}")
PY
