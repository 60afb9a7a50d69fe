#!/usr/bin/env bash
# The benchmark (`just bench`): scaled corpora of 10, 20 and 40 MB built from the
# seeds, `rhetoric-shift all` on each, against bare jieba-rs segmentation of the
# same questions and answers on all cores, and against bench/pipeline.py (Python,
# jieba + pandas) when those are installed (`pip install jieba pandas`).
# Prints wall time, MB/s and peak memory. Corpora go to $BENCH_DIR (default
# /tmp/rhetoric-shift-bench) and are never committed.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${BENCH_DIR:-/tmp/rhetoric-shift-bench}
sizes=${SIZES:-10 20 40}
cargo build --release --locked --example segment_only
cargo build --release --locked
have_python=0
python3 -c "import jieba, pandas" 2>/dev/null && have_python=1
echo "machine: $(nproc) cores, $(uname -sr); $(date -u +%F)"
for mb in $sizes; do
  python3 bench/make_corpus.py data "$dir/$mb" "$mb"
  bytes=$(cat "$dir/$mb"/data/transcripts/*.txt | wc -c)
  /usr/bin/time -f "%e %M" -o "$dir/$mb/all.time" \
    target/release/rhetoric-shift all --data "$dir/$mb/data" --out "$dir/$mb/out" 2>/dev/null
  read -r secs kb < "$dir/$mb/all.time"
  awk -v s="$secs" -v k="$kb" -v b="$bytes" -v m="$mb" 'BEGIN {
    printf "%s MB  all: %6.2f s  %6.1f MB/s  peak %5.0f MB\n", m, s, b / 1e6 / s, k / 1024 }'
  target/release/examples/segment_only "$dir/$mb/out/tables/answers.csv" data/dict/userdict.txt
  if [ "$have_python" = 1 ]; then
    /usr/bin/time -f "%e %M" -o "$dir/$mb/py.time" \
      python3 bench/pipeline.py "$dir/$mb/data" "$dir/$mb/py" > /dev/null
    read -r psecs pkb < "$dir/$mb/py.time"
    awk -v s="$psecs" -v k="$pkb" -v r="$secs" 'BEGIN {
      printf "      python: %6.2f s  peak %5.0f MB  (rhetoric-shift %.1fx faster)\n", s, k / 1024, s / r }'
  fi
done
