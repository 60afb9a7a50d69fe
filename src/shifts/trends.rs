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
//!   data/analysis.toml); empty where the (year, topic) has fewer than
//!   `min_answers` answers (`note` says so)
//! - `first_year`, `last_year`: first and last compared year the phrase is
//!   said (empty if never)
//! - `change`: per_10k_tokens in the topic's last compared year minus its first
//! - `slope`: least-squares slope of per_10k_tokens on the calendar year, over
//!   the compared years with answers (empty with fewer than two)
//! - `slope_low`, `slope_high`: bootstrap interval of the slope: in each
//!   replicate every year's answers are resampled and the slope refitted;
//!   empty where a compared year has fewer than `min_answers` answers
//! - `trend`: `rising` or `falling` where that interval excludes 0, `no
//!   detectable change` where it contains 0; `too few answers` or `one year`
//!   where there is no interval
//! - `status`: `emerging` (not said in the topic's first compared year, said
//!   in its last), `vanishing` (the reverse), `persistent` (said in both),
//!   `intermittent` (said only in between), `never`, or `one year`
//! - `note`: why an interval is missing
//!
//! Compared years are those of a genre not in `exclude_genres` (analysis.toml):
//! a summary year has its own row (its rate and interval) but enters none of
//! the columns that compare years. Those columns describe the (topic, phrase)
//! and repeat on its rows.

use polars::prelude::*;

use std::collections::BTreeSet;

use super::stats;
use super::{Per, Units};
use crate::config::analysis::{BootstrapSettings, ComparisonSettings};
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
pub fn run(
    phrase_freq: &DataFrame,
    units: &Units,
    boot: &BootstrapSettings,
    comparison: &ComparisonSettings,
    compared: &BTreeSet<i32>,
) -> Result<DataFrame> {
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
        let all_years = &rows[start..end];
        let series: Vec<&Row> = all_years
            .iter()
            .filter(|r| compared.contains(&r.year))
            .collect();
        let said: Vec<i32> = series.iter().filter(|r| r.n > 0).map(|r| r.year).collect();
        let (first, last) = (series.first(), series.last());
        let change = match (first, last) {
            (Some(f), Some(l)) if series.len() > 1 => Some(l.rate - f.rate),
            _ => None,
        };
        let points: Vec<(f64, f64)> = series.iter().map(|r| (f64::from(r.year), r.rate)).collect();
        let (slope_low, slope_high, trend) = slope_interval(&series, units, boot, comparison);
        let status = match (series.len(), first.map(|r| r.n > 0), last.map(|r| r.n > 0)) {
            (1, _, _) => "one year",
            (_, Some(false), Some(true)) => "emerging",
            (_, Some(true), Some(false)) => "vanishing",
            (_, Some(true), Some(true)) => "persistent",
            _ if !said.is_empty() => "intermittent",
            _ => "never",
        };
        for r in all_years {
            let unit = units.get(r.year, &r.topic);
            let note = unit.and_then(|u| u.too_few(comparison.min_answers));
            let (lo, hi) = match unit {
                Some(u) if note.is_none() => u.rate_interval(
                    &u.counts(PhraseKind::Tracked.as_str(), Some(&r.phrase)),
                    Per::Tokens,
                    boot,
                ),
                _ => (None, None),
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
            out.slope_low.push(slope_low);
            out.slope_high.push(slope_high);
            out.trend.push(trend);
            out.status.push(status);
            out.note.push(note.unwrap_or_default());
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
        "slope_low" => out.slope_low,
        "slope_high" => out.slope_high,
        "trend" => out.trend,
        "status" => out.status,
        "note" => out.note,
    )?)
}

/// The bootstrap interval of a series' slope and the trend it shows: in each
/// replicate every year's answers are resampled (the same replicates as the
/// yearly intervals) and the slope is refitted. No interval where a year has
/// fewer than `min_answers` answers: its rate would not vary and the interval
/// would be too narrow.
fn slope_interval(
    series: &[&Row],
    units: &Units,
    boot: &BootstrapSettings,
    comparison: &ComparisonSettings,
) -> (Option<f64>, Option<f64>, &'static str) {
    if series.len() < 2 {
        return (None, None, "one year");
    }
    let mut replicates: Vec<Vec<f64>> = Vec::new();
    for r in series {
        match units.get(r.year, &r.topic) {
            Some(u) if u.n_answers() >= comparison.min_answers => {
                let counts = u.counts(PhraseKind::Tracked.as_str(), Some(&r.phrase));
                replicates.push(u.rate_replicates(&counts, Per::Tokens, boot));
            }
            _ => return (None, None, "too few answers"),
        }
    }
    let slopes: Vec<f64> = (0..boot.replicates as usize)
        .filter_map(|k| {
            let points: Vec<(f64, f64)> = series
                .iter()
                .zip(&replicates)
                .map(|(r, reps)| (f64::from(r.year), reps[k]))
                .collect();
            stats::slope(&points)
        })
        .collect();
    match stats::interval(slopes, boot.level) {
        Some((lo, hi)) if lo > 0.0 => (Some(lo), Some(hi), "rising"),
        Some((lo, hi)) if hi < 0.0 => (Some(lo), Some(hi), "falling"),
        Some((lo, hi)) => (Some(lo), Some(hi), "no detectable change"),
        None => (None, None, "too few answers"),
    }
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
    slope_low: Vec<Option<f64>>,
    slope_high: Vec<Option<f64>>,
    trend: Vec<&'static str>,
    status: Vec<&'static str>,
    note: Vec<String>,
}
