#!/usr/bin/env bash
# Writes symbol-order.txt: the functions a search runs, which build.rs asks the linker to lay
# out together. A search is a short process whose code is read from the executable page by
# page as it runs; the 1,500 functions a query touches lie scattered over 10 MB of code,
# 111 page faults of a typical query, and side by side take 42 (measured on the bench).
#
#   scripts/symbol-order.sh      (needs valgrind; about a minute)
#
# Run it again after a change of compiler or of dependencies: names no longer in the
# executable are skipped by the linker, so a stale list costs speed, never a build.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "valgrind is required (apt-get install -y valgrind)" >&2; exit 2; }
cargo build --release --quiet --bin zhengce
bin=$PWD/target/$(rustc -vV | sed -n 's/^host: //p')/release/zhengce
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" index ../shared/corpus/demo --index "$work/index" --quiet
# Each kind of query a user asks, rendered both ways.
queries=(
    "行政许可" "行政许可 --json" "数据 安全 --json" '"人民政府"' "的 --json" "税 --files"
    "type:法律 责任 --json" "date:2019 国务院 --count-by type" "WTO --json --limit 10"
    "个人信息保护法 法律责任" "行政许可法 第46条 --json"
)
i=0
for q in "${queries[@]}"; do
    i=$((i + 1))
    # shellcheck disable=SC2086 # the query's words and options, split as typed
    valgrind --tool=callgrind --demangle=no --callgrind-out-file="$work/calls.$i" \
        "$bin" search $q --index "$work/index" >/dev/null 2>&1
done
cat "$work"/calls.* | sed -nE 's/^c?fn=\([0-9]+\) //p' | grep -v '^0x\|^(below' | sort -u >symbol-order.txt
echo "symbol-order.txt: $(wc -l <symbol-order.txt) functions"
