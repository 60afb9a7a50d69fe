//! Trends of the tracked phrases: their rate in every year a topic has answers,
//! how sure each rate is, and how it moved.
//!
//! Output `shifts.csv`, one row per (topic, phrase, year) where the topic has
//! answers (years without a transcript, or without answers on the topic, have
//! no row: they are not zeros):
//! - `topic`, `phrase`, `year`
//! - `n`, `n_answers`, `per_10k_tokens`: as in phrase_freq.csv
//! - `ci_low`, `ci_high`: bootstrap interval of per_10k_tokens (answers of the
//!   (year, topic) resampled with replacement; replicates, seed and level in
//!   data/analysis.toml); equal to the rate where the topic has one answer
//! - `first_year`, `last_year`: first and last year the phrase is said (empty if never)
//! - `change`: per_10k_tokens in the topic's last year with answers minus its first
//! - `slope`: least-squares slope of per_10k_tokens on the calendar year, over
//!   the years with answers (empty with fewer than two)
//! - `status`: `emerging` (not said in the topic's first year with answers, said
//!   in its last), `vanishing` (the reverse), `persistent` (said in both),
//!   `intermittent` (said only in between), `never`, or `one year` (the topic
//!   has answers in one year only)
//!
//! The last five columns describe the (topic, phrase) and repeat on its rows.

use polars::prelude::*;

use super::stats;
use super::{Per, Units};
use crate::config::analysis::BootstrapSettings;
use crate::error::Result;
use crate::vocab::{Category, PhraseKind};

struct Row {
    topic: String,
    phrase: String,
    year: i32,
    n: u64,
    n_answers: u32,
    rate: f64,
}

/// Builds shifts.csv from the tracked rows of phrase_freq.csv and the per-answer counts.
pub fn run(phrase_freq: &DataFrame, units: &Units, boot: &BootstrapSettings) -> Result<DataFrame> {
    let tracked = phrase_freq
        .clone()
        .lazy()
        .filter(col("kind").eq(PhraseKind::Tracked.lit()))
        .select([
            col("topic"),
            col("phrase"),
            col("year"),
            col("n"),
            col("n_answers"),
            col("per_10k_tokens"),
        ])
        .sort(["topic", "phrase", "year"], SortMultipleOptions::default())
        .collect()?;
    let topic = tracked.column("topic")?.str()?;
    let phrase = tracked.column("phrase")?.str()?;
    let year = tracked.column("year")?.i32()?;
    let n = tracked.column("n")?.u64()?;
    let n_answers = tracked.column("n_answers")?.u32()?;
    let rate = tracked.column("per_10k_tokens")?.f64()?;
    let rows: Vec<Row> = (0..tracked.height())
        .map(|i| {
            let (t, y, n) = (
                topic.get(i).unwrap_or_default(),
                year.get(i).unwrap_or_default(),
                n.get(i).unwrap_or_default(),
            );
            // The rate from the counts, as the frequencies stage computed it:
            // phrase_freq.csv holds it rounded, and a slope over rounded rates
            // would differ between `all` and `shifts` run on its own.
            let rate = units
                .get(y, t)
                .map_or(rate.get(i).unwrap_or_default(), |u| {
                    n as f64 * 10_000.0 / u.n_tokens()
                });
            Row {
                topic: t.to_string(),
                phrase: phrase.get(i).unwrap_or_default().to_string(),
                year: y,
                n,
                n_answers: n_answers.get(i).unwrap_or_default(),
                rate,
            }
        })
        .collect();

    let mut out = Columns::default();
    let mut start = 0;
    while start < rows.len() {
        let end = (start..rows.len())
            .find(|&j| rows[j].topic != rows[start].topic || rows[j].phrase != rows[start].phrase)
            .unwrap_or(rows.len());
        let series = &rows[start..end];
        let said: Vec<i32> = series.iter().filter(|r| r.n > 0).map(|r| r.year).collect();
        let (first, last) = (series.first(), series.last());
        let change = match (first, last) {
            (Some(f), Some(l)) if series.len() > 1 => Some(l.rate - f.rate),
            _ => None,
        };
        let points: Vec<(f64, f64)> = series.iter().map(|r| (f64::from(r.year), r.rate)).collect();
        let status = match (series.len(), first.map(|r| r.n > 0), last.map(|r| r.n > 0)) {
            (1, _, _) => "one year",
            (_, Some(false), Some(true)) => "emerging",
            (_, Some(true), Some(false)) => "vanishing",
            (_, Some(true), Some(true)) => "persistent",
            _ if !said.is_empty() => "intermittent",
            _ => "never",
        };
        for r in series {
            let (lo, hi) = match units.get(r.year, &r.topic) {
                Some(u) => u.rate_interval(
                    &u.counts(PhraseKind::Tracked.as_str(), Some(&r.phrase)),
                    Per::Tokens,
                    boot,
                ),
                None => (None, None),
            };
            out.topic.push(r.topic.clone());
            out.phrase.push(r.phrase.clone());
            out.year.push(r.year);
            out.n.push(r.n);
            out.n_answers.push(r.n_answers);
            out.rate.push(r.rate);
            out.lo.push(lo);
            out.hi.push(hi);
            out.first.push(said.first().copied());
            out.last.push(said.last().copied());
            out.change.push(change);
            out.slope.push(stats::slope(&points));
            out.status.push(status);
        }
        start = end;
    }
    Ok(df!(
        "topic" => out.topic,
        "phrase" => out.phrase,
        "year" => out.year,
        "n" => out.n,
        "n_answers" => out.n_answers,
        "per_10k_tokens" => out.rate,
        "ci_low" => out.lo,
        "ci_high" => out.hi,
        "first_year" => out.first,
        "last_year" => out.last,
        "change" => out.change,
        "slope" => out.slope,
        "status" => out.status,
    )?)
}

#[derive(Default)]
struct Columns {
    topic: Vec<String>,
    phrase: Vec<String>,
    year: Vec<i32>,
    n: Vec<u64>,
    n_answers: Vec<u32>,
    rate: Vec<f64>,
    lo: Vec<Option<f64>>,
    hi: Vec<Option<f64>>,
    first: Vec<Option<i32>>,
    last: Vec<Option<i32>>,
    change: Vec<Option<f64>>,
    slope: Vec<Option<f64>>,
    status: Vec<&'static str>,
}
