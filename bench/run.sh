#!/usr/bin/env bash
# The benchmark (`just bench`): scaled corpora of 10, 40 and 150 MB built from
# the seeds and spread over 25 years as the MFA briefings are
# (bench/make_corpus.py), `rhetoric-shift all --timings` on each (wall time,
# peak memory, and each stage's seconds and the peak memory so far), against
# bare jieba-rs segmentation of the same questions and answers with the same
# HMM setting and threads (`examples/segment_only.rs`), and against
# bench/pipeline.py (Python, jieba + pandas) when those are installed
# (`pip install jieba pandas`). Corpora go to $BENCH_DIR (default
# /tmp/rhetoric-shift-bench) and are never committed; SIZES picks the sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${BENCH_DIR:-/tmp/rhetoric-shift-bench}
sizes=${SIZES:-10 40 150}
cargo build --release --locked --example segment_only
cargo build --release --locked
have_python=0
python3 -c "import jieba, pandas" 2>/dev/null && have_python=1
echo "machine: $(nproc) cores, $(uname -sr); $(date -u +%F)"
echo "seeds: all, median of 5 runs:"
for _ in 1 2 3 4 5; do
  /usr/bin/time -f "%e" -o "$dir.seeds.time" target/release/rhetoric-shift all \
    --out "$dir/seeds-out" 2>/dev/null
  cat "$dir.seeds.time"
done | sort -n | sed -n 3p | awk '{ printf "  %.2f s\n", $1 }'
for mb in $sizes; do
  python3 bench/make_corpus.py data "$dir/$mb" "$mb"
  bytes=$(cat "$dir/$mb"/data/transcripts/*.txt | wc -c)
  /usr/bin/time -f "%e %M" -o "$dir/$mb/all.time" \
    target/release/rhetoric-shift all --timings --data "$dir/$mb/data" --out "$dir/$mb/out" \
    2> "$dir/$mb/all.log"
  read -r secs kb < "$dir/$mb/all.time"
  awk -v s="$secs" -v k="$kb" -v b="$bytes" -v m="$mb" 'BEGIN {
    printf "%s MB  all: %6.2f s  %6.2f MB/s  peak %5.0f MB\n", m, s, b / 1e6 / s, k / 1024 }'
  grep '^timing: ' "$dir/$mb/all.log" | sed 's/^timing: /      /'
  target/release/examples/segment_only "$dir/$mb/out/tables/answers.csv" data/dict/userdict.txt
  if [ "$have_python" = 1 ]; then
    /usr/bin/time -f "%e %M" -o "$dir/$mb/py.time" \
      python3 bench/pipeline.py "$dir/$mb/data" "$dir/$mb/py" > /dev/null
    read -r psecs pkb < "$dir/$mb/py.time"
    awk -v s="$psecs" -v k="$pkb" -v r="$secs" 'BEGIN {
      printf "      python: %6.2f s  peak %5.0f MB  (rhetoric-shift %.1fx faster)\n", s, k / 1024, s / r }'
  fi
done
