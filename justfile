# Recipes for rhetoric-shift. Install just with `cargo install just`.
# Every recipe is a plain cargo command, shown in the README, so just is optional.

# Regenerate every table and chart (the same job as `cargo run --release -- all`).
all:
    cargo run --release -- all

# Only the ingest stage: transcripts -> answers, repairs, warnings, coverage.
ingest:
    cargo run --release -- ingest

# Only the segment stage: answers.csv -> tokens.csv (after `just ingest`).
segment:
    cargo run --release -- segment

# Only the topics stage: answers.csv -> answer_topics.csv.
topics:
    cargo run --release -- topics

# Only the frequencies stage: tokens.csv + answer_topics.csv -> phrase_freq.csv, topic_year.csv.
frequencies:
    cargo run --release -- frequencies

# Only the shifts stage: keyness, trends, register and KWIC from the frequencies tables.
shifts:
    cargo run --release -- shifts

# Only the charts (after `just shifts`): output/charts/*.svg, *.png, *.pdf.
charts:
    cargo run --release -- charts

# Only the report (after `just charts`): output/report.md and report.html.
report:
    cargo run --release -- report

# Only the explorer (after `just shifts`): output/explorer.html.
explore:
    cargo run --release -- explore

# A concordance: just kwic 台独
kwic phrase:
    cargo run --release -- kwic {{phrase}}

# The benchmark: 10, 40 and 150 MB scaled corpora (see bench/run.sh and the README).
bench:
    bash bench/run.sh

# The test suite, as CI runs it (the browser test needs chromium and `npm ci --prefix tests/browser`).
test:
    npm ci --prefix tests/browser
    cargo test --locked
    cargo test --locked --release --test cli explore::in_a_browser_the_explorer_searches_60_mb

# The property tests with fresh random cases, ten times as many as `cargo test` runs (CI draws
# from a fixed seed); a counterexample is saved under proptest-regressions/: pin it as a test.
fuzz:
    RHETORIC_SHIFT_FUZZ=10 cargo test --release --locked --lib

# Formatting and lints.
check:
    cargo fmt --check
    cargo clippy --all-targets --locked -- -D warnings
