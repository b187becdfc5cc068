#!/usr/bin/env bash
# Fuzzes the in-process extractors (txt, md, html, docx, mht) for SECONDS each (default 60):
# proptest inputs built from pieces of each format, checked for panics, slow inputs and
# errors that do not name the file. Not part of CI: run it by hand after changing an
# extractor. Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-60}"
shift || true
# Niced: the machine may be shared; the per-input limit counts CPU time, not wall time.
ZHENGCE_FUZZ_SECS="$secs" nice -n 19 cargo bench --bench fuzz -- "$@"
