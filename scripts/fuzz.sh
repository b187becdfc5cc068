#!/usr/bin/env bash
# Fuzzes the in-process extractors (txt, md, html, docx, mht) for SECONDS each (default 60):
# proptest inputs built from pieces of each format, checked for panics, slow inputs and
# errors that do not name the file. Not part of CI: run it by hand after changing an
# extractor. Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-60}"
shift || true
ZHENGCE_FUZZ_SECS="$secs" cargo bench --bench fuzz -- "$@"
