//! rhetoric-shift: how the language of China's foreign minister at the annual
//! NPC press conference shifts over the years, as tables and charts.
//!
//! Everything under `data/` is parsed once by [`config`]; then the stages run,
//! each a function from tables to tables, wired in [`pipeline`] and writing
//! through [`store`]. Each stage's module owns its output type, the schema and
//! documentation of its tables, and their reading and writing. What each stage
//! reads:
//!
//! ```text
//! data/transcripts ──ingest──▶ answers, repairs, warnings, coverage
//! answers ──────────segment──▶ tokens (ids into one vocabulary)
//! answers ───────────topics──▶ answer_topics
//! tokens + answer_topics ──frequencies──▶ phrase_freq, topic_year, answer_sizes, answer_counts
//! frequencies' tables + answers + answer_topics ──shifts──▶ keyness, shifts, register, kwic
//! shifts, keyness, register + topic_year + coverage ──charts──▶ charts/*.svg, .png, .pdf
//! shifts, register, kwic + topic_year + charts' SVG ──report──▶ report.md, report.html
//! answers + answer_topics + answer_sizes + coverage + keyness ──explore──▶ explorer.html
//! ```
//!
//! Text-level vocabulary (normalisation, what a word and a sentence end are)
//! lives in [`text`], shared by every stage.

pub mod categories;
pub mod charts;
pub mod config;
pub mod discover;
pub mod error;
pub mod explore;
pub mod formulations;
pub mod frequencies;
pub mod ingest;
pub mod period;
pub mod pipeline;
pub mod progress;
pub mod report;
pub mod segment;
pub mod shifts;
pub mod store;
pub mod table;
pub mod text;
pub mod topics;

/// Property tests' case counts: the number each property names, times
/// `RHETORIC_SHIFT_FUZZ` where set (`just fuzz` sets 10). A property's own
/// `with_cases` overrides proptest's `PROPTEST_CASES`, hence this.
#[cfg(test)]
pub(crate) fn cases(default: u32) -> u32 {
    let scale: u32 = std::env::var("RHETORIC_SHIFT_FUZZ")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    default.saturating_mul(scale)
}
