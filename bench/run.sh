#!/usr/bin/env bash
# The benchmark (`just bench`): scaled corpora of 10, 40 and 150 MB built from
# the seeds in two shapes (bench/make_corpus.py): `spread`, copies over 25
# years as the MFA briefings are, and `years`, each seed year's copies kept in
# its own year, so that years really differ (the shape that costs most);
# `rhetoric-shift all --timings` on each (wall time, peak memory, and each
# stage's seconds and the peak memory so far, and the longest table), against
# bare jieba-rs segmentation of the same questions and answers with the same
# HMM setting and threads (`examples/segment_only.rs`), and against
# bench/pipeline.py (Python, jieba + pandas) when those are installed
# (`pip install jieba pandas`). Corpora go to $BENCH_DIR (default
# /tmp/rhetoric-shift-bench) and are never committed; SIZES picks the sizes,
# SHAPES the shapes (`briefings`: regular briefings of five spokespersons, one
# a weekday, issue 27; `vocab`: the same briefings with names, places, numbers
# and rarer nouns drawn anew from jieba's dictionary under a Zipf law, so that
# the vocabulary grows with the corpus, issue 29; needs `pip install jieba`),
# PERIOD the period `all` counts by (year by default).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${BENCH_DIR:-/tmp/rhetoric-shift-bench}
sizes=${SIZES:-10 40 150}
shapes=${SHAPES:-spread years}
period=${PERIOD:-year}
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
for shape in $shapes; do
for mb in $sizes; do
  corpus="$dir/$shape-$mb"
  python3 bench/make_corpus.py data "$corpus" "$mb" "$shape"
  bytes=$(cat "$corpus"/data/transcripts/*.txt | wc -c)
  /usr/bin/time -f "%e %M" -o "$corpus/all.time" \
    target/release/rhetoric-shift all --timings --period "$period" --data "$corpus/data" --out "$corpus/out" \
    2> "$corpus/all.log"
  read -r secs kb < "$corpus/all.time"
  awk -v s="$secs" -v k="$kb" -v b="$bytes" -v m="$mb" -v sh="$shape" -v p="$period" 'BEGIN {
    printf "%s %s MB  all (by %s): %6.2f s  %6.2f MB/s  peak %5.0f MB\n", sh, m, p, s, b / 1e6 / s, k / 1024 }'
  grep '^timing: ' "$corpus/all.log" | sed 's/^timing: /      /'
  target/release/examples/segment_only "$corpus/out/tables/answers.csv" data/dict/userdict.txt
  # The longest table: no default table may pass a spreadsheet's 1,048,576 rows.
  for f in "$corpus"/out/tables/*.csv; do
    printf '%s %s\n' "$(($(wc -l < "$f") - 1))" "$(basename "$f")"
  done | sort -n | tail -1 | awk '{ printf "      longest table: %s, %d rows\n", $2, $1 }'
  if [ "$have_python" = 1 ]; then
    /usr/bin/time -f "%e %M" -o "$corpus/py.time" \
      python3 bench/pipeline.py "$corpus/data" "$corpus/py" > /dev/null
    read -r psecs pkb < "$corpus/py.time"
    awk -v s="$psecs" -v k="$pkb" -v r="$secs" 'BEGIN {
      printf "      python: %6.2f s  peak %5.0f MB  (rhetoric-shift %.1fx faster)\n", s, k / 1024, s / r }'
  fi
done
done
