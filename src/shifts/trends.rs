//! Trends of the tracked phrases: their rate in every period a topic has
//! answers, how sure each rate is, and how it moved.
//!
//! Output `shifts.csv`, one row per (topic, phrase, period) where the topic
//! has answers (periods without a transcript, or without answers on the
//! topic, have no row: they are not zeros), speaker `all`; then the same for
//! each speaker in the periods where they have rows of their own (as in
//! register.csv). Its columns, in order, are documented once, in
//! docs/outputs.md ("tables/shifts.csv"), which `tests/cli/docs.rs` holds to
//! [`TRENDS`]; the method in docs/methods.md ("Trends").
//!
//! Compared periods are those of a genre not in `exclude_genres`
//! (analysis.toml): a summary's period has its own row (its rate and
//! interval) but enters none of the columns that compare periods. Those
//! columns describe the (topic, phrase) and repeat on its rows. The slope is
//! per year at every period: a period is placed at its start in calendar
//! years ([`crate::period::Period::years`]).

use polars::prelude::*;

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use super::stats;
use super::{speaker_unit, Per, Units, ALL_SPEAKERS};
use crate::categories::{Category, PhraseKind};
use crate::config::analysis::{BootstrapSettings, ComparisonSettings};
use crate::error::Result;
use crate::frequencies::PeriodFacts;
use crate::period::Period;

struct Row {
    topic: String,
    phrase: String,
    /// The period key.
    time: i32,
    n: u64,
    n_answers: u32,
    rate: f64,
}

/// Builds shifts.csv from the tracked rows of phrase_freq.csv and the
/// per-answer counts: everyone's series, then each speaker's.
pub fn run(
    phrase_freq: &DataFrame,
    units: &Units,
    speakers: &[Units],
    boot: &BootstrapSettings,
    comparison: &ComparisonSettings,
    compared: &BTreeSet<i32>,
) -> Result<DataFrame> {
    let rows = everyone(phrase_freq, units)?;
    let mut out = series_columns(&rows, units, ALL_SPEAKERS, boot, comparison, compared);
    for (k, of) in speakers.iter().enumerate() {
        let mine: Vec<Row> = rows
            .iter()
            .filter_map(|r| {
                let u = speaker_unit(
                    speakers,
                    k,
                    r.time,
                    &r.topic,
                    comparison.min_speaker_answers,
                )?;
                let counts = u.counts(PhraseKind::Tracked.as_str(), &r.phrase);
                let n: f64 = counts.iter().map(|c| c.1).sum();
                Some(Row {
                    topic: r.topic.clone(),
                    phrase: r.phrase.clone(),
                    time: r.time,
                    n: n as u64,
                    n_answers: counts.len() as u32,
                    rate: n * 10_000.0 / u.n_tokens(),
                })
            })
            .collect();
        let label = of.sorted().first().map_or("", |u| u.speaker_label());
        out.append(series_columns(&mine, of, label, boot, comparison, compared));
    }
    call_trends(&mut out, comparison.alpha);
    out.frame()
}

/// Everyone's rows: the tracked phrases of phrase_freq.csv, by topic, phrase
/// and year.
fn everyone(phrase_freq: &DataFrame, units: &Units) -> Result<Vec<Row>> {
    let tracked = phrase_freq
        .clone()
        .lazy()
        .filter(col("kind").eq(PhraseKind::Tracked.lit()))
        .select([
            col("topic"),
            col("phrase"),
            col("period"),
            col("n"),
            col("n_answers"),
            col("per_10k_tokens"),
        ])
        // A period's label sorts as its time does (2023-08 before 2023-10).
        .sort(
            ["topic", "phrase", "period"],
            SortMultipleOptions::default(),
        )
        .collect()?;
    let topic = tracked.column("topic")?.str()?;
    let phrase = tracked.column("phrase")?.str()?;
    let year = units.period.keys(&tracked)?;
    let n = tracked.column("n")?.u64()?;
    let n_answers = tracked.column("n_answers")?.u32()?;
    let rate = tracked.column("per_10k_tokens")?.f64()?;
    let rows: Vec<Row> = (0..tracked.height())
        .map(|i| {
            let (t, y, n) = (
                topic.get(i).unwrap_or_default(),
                year[i].unwrap_or_default(),
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
                time: y,
                n,
                n_answers: n_answers.get(i).unwrap_or_default(),
                rate,
            }
        })
        .collect();

    Ok(rows)
}

/// The columns of every (topic, phrase) series of `rows` (one speaker's, or
/// everyone's), their intervals from `units`; a topic's series run in
/// parallel, and its units' resamples are dropped once its last series is
/// done.
fn series_columns(
    rows: &[Row],
    units: &Units,
    speaker: &str,
    boot: &BootstrapSettings,
    comparison: &ComparisonSettings,
    compared: &BTreeSet<i32>,
) -> Columns {
    let mut series: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    while start < rows.len() {
        let end = (start..rows.len())
            .find(|&j| rows[j].topic != rows[start].topic || rows[j].phrase != rows[start].phrase)
            .unwrap_or(rows.len());
        series.push((start, end));
        start = end;
    }
    let mut out = Columns::default();
    for of_topic in series.chunk_by(|x, y| rows[x.0].topic == rows[y.0].topic) {
        let parts: Vec<Columns> = of_topic
            .par_iter()
            .map(|&(start, end)| {
                one_series(
                    &rows[start..end],
                    units,
                    speaker,
                    boot,
                    comparison,
                    compared,
                )
            })
            .collect();
        for part in parts {
            out.append(part);
        }
        for y in units.times_of(&rows[of_topic[0].0].topic) {
            if let Some(u) = units.get(y, &rows[of_topic[0].0].topic) {
                u.release();
            }
        }
    }
    out
}

/// The rows of shifts.csv of one (topic, phrase) series, `all_years` its
/// rows of phrase_freq.csv in year order.
fn one_series(
    all_years: &[Row],
    units: &Units,
    speaker: &str,
    boot: &BootstrapSettings,
    comparison: &ComparisonSettings,
    compared: &BTreeSet<i32>,
) -> Columns {
    let mut out = Columns::default();
    let series: Vec<&Row> = all_years
        .iter()
        .filter(|r| compared.contains(&r.time))
        .collect();
    let said: Vec<i32> = series.iter().filter(|r| r.n > 0).map(|r| r.time).collect();
    let (first, last) = (series.first(), series.last());
    let change = match (first, last) {
        (Some(f), Some(l)) if series.len() > 1 => Some(l.rate - f.rate),
        _ => None,
    };
    let period = units.period;
    let points: Vec<(f64, f64)> = series
        .iter()
        .map(|r| (period.years(r.time), r.rate))
        .collect();
    // Each year's bootstrap replicates of the rate, made once for its
    // interval and for the slope's.
    let replicates: Vec<Option<Vec<f64>>> = all_years
        .iter()
        .map(|r| {
            let u = units.get(r.time, &r.topic)?;
            (u.too_few(comparison.min_answers).is_none()).then(|| {
                let counts = u.counts(PhraseKind::Tracked.as_str(), &r.phrase);
                u.rate_replicates(counts, Per::Tokens, boot)
            })
        })
        .collect();
    let compared_replicates: Vec<Option<&Vec<f64>>> = all_years
        .iter()
        .zip(&replicates)
        .filter(|(r, _)| compared.contains(&r.time))
        .map(|(_, reps)| reps.as_ref())
        .collect();
    let (slope_low, slope_high, trend, p_slope) =
        slope_interval(&series, &compared_replicates, period, boot);
    let status = match (series.len(), first.map(|r| r.n > 0), last.map(|r| r.n > 0)) {
        (1, _, _) => period.one(),
        (_, Some(false), Some(true)) => "emerging",
        (_, Some(true), Some(false)) => "vanishing",
        (_, Some(true), Some(true)) => "persistent",
        _ if !said.is_empty() => "intermittent",
        _ => "never",
    };
    for (r, reps) in all_years.iter().zip(replicates) {
        let unit = units.get(r.time, &r.topic);
        let drawn = reps.is_some();
        let (lo, hi) = reps
            .and_then(|reps| stats::interval(reps, boot.level))
            .unzip();
        let note = match unit.and_then(|u| u.too_few(comparison.min_answers)) {
            Some(few) => Some(few),
            None if drawn && lo.is_none() => Some(super::SAME_EVERY_RESAMPLE.to_string()),
            None => None,
        };
        out.topic.push(r.topic.clone());
        out.speaker.push(speaker.to_string());
        out.phrase.push(r.phrase.clone());
        out.period.push(r.time);
        out.n.push(r.n);
        out.n_answers.push(r.n_answers);
        out.per_10k_tokens.push(r.rate);
        out.ci_low.push(lo);
        out.ci_high.push(hi);
        out.first_year.push(said.first().map(|&k| period.year(k)));
        out.last_year.push(said.last().map(|&k| period.year(k)));
        out.change.push(change);
        out.slope.push(stats::slope(&points));
        out.slope_low.push(slope_low);
        out.slope_high.push(slope_high);
        out.p_slope.push(p_slope);
        out.trend.push(trend);
        out.status.push(status);
        out.note.push(note.unwrap_or_default());
    }
    out
}

/// Benjamini–Hochberg over the phrases of each topic (and speaker): q_slope,
/// and the trend called from it. A topic tracks a dozen phrases or more, so
/// 95% intervals alone would call about one in twenty a trend by chance.
fn call_trends(out: &mut Columns, alpha: f64) {
    let mut by_topic: BTreeMap<(&str, &str), Vec<(usize, f64)>> = BTreeMap::new();
    let same = |out: &Columns, a: usize, b: usize| {
        out.topic[a] == out.topic[b]
            && out.phrase[a] == out.phrase[b]
            && out.speaker[a] == out.speaker[b]
    };
    let mut i = 0;
    while i < out.topic.len() {
        // One entry per series: its rows are contiguous and share p.
        let mut j = i;
        while j < out.topic.len() && same(out, i, j) {
            j += 1;
        }
        if let Some(p) = out.p_slope[i] {
            by_topic
                .entry((out.speaker[i].as_str(), out.topic[i].as_str()))
                .or_default()
                .push((i, p));
        }
        i = j;
    }
    let mut q_of: BTreeMap<usize, f64> = BTreeMap::new();
    for family in by_topic.values() {
        let p: Vec<f64> = family.iter().map(|f| f.1).collect();
        for (&(row, _), q) in family.iter().zip(stats::benjamini_hochberg(&p)) {
            q_of.insert(row, q);
        }
    }
    let mut current = None;
    for k in 0..out.topic.len() {
        if k == 0 || !same(out, k - 1, k) {
            current = q_of.get(&k).copied();
        }
        out.q_slope.push(current);
        if let (Some(q), Some(slope)) = (current, out.slope[k]) {
            out.trend[k] = match (q < alpha, slope > 0.0) {
                (true, true) => "rising",
                (true, false) => "falling",
                (false, _) => "no detectable change",
            };
        }
    }
}

/// The bootstrap interval of a series' slope and its two-sided bootstrap p:
/// in each replicate every year's answers are resampled (the same replicates
/// as the yearly intervals) and the slope is refitted; p = 2·(1 + the
/// replicates on the far side of 0) / (1 + replicates), at most 1. No interval
/// where a year has fewer than `min_answers` answers: its rate would not vary
/// and the interval would be too narrow. The trend is called later, from q.
fn slope_interval(
    series: &[&Row],
    replicates: &[Option<&Vec<f64>>],
    period: Period,
    boot: &BootstrapSettings,
) -> (Option<f64>, Option<f64>, &'static str, Option<f64>) {
    if series.len() < 2 {
        return (None, None, period.one(), None);
    }
    let Some(replicates) = replicates
        .iter()
        .copied()
        .collect::<Option<Vec<&Vec<f64>>>>()
    else {
        return (None, None, "too few answers", None);
    };
    // The least-squares slope is linear in the rates: Σ w_y·rate_y with
    // w_y = (x_y − x̄) / Σ (x − x̄)², so a replicate's slope is a weighted sum.
    let xs: Vec<f64> = series.iter().map(|r| period.years(r.time)).collect();
    let mean = xs.iter().sum::<f64>() / xs.len() as f64;
    let sxx: f64 = xs.iter().map(|x| (x - mean).powi(2)).sum();
    if sxx <= 0.0 {
        return (None, None, period.one(), None);
    }
    let weights: Vec<f64> = xs.iter().map(|x| (x - mean) / sxx).collect();
    let slopes: Vec<f64> = (0..boot.replicates as usize)
        .map(|k| {
            weights
                .iter()
                .zip(&replicates)
                .map(|(w, reps)| w * reps[k])
                .sum()
        })
        .filter(|s: &f64| s.is_finite())
        .collect();
    let below = slopes.iter().filter(|&&s| s <= 0.0).count();
    let above = slopes.iter().filter(|&&s| s >= 0.0).count();
    let p = (2.0 * (1 + below.min(above)) as f64 / (1 + slopes.len()) as f64).min(1.0);
    if slopes.is_empty() {
        return (None, None, "too few answers", None);
    }
    // No interval where every replicate's slope is the same (a phrase never
    // said in a compared period): p is then 1, and no change is detected.
    let (lo, hi) = stats::interval(slopes, boot.level).unzip();
    (lo, hi, "no detectable change", Some(p))
}

crate::columns! {
    /// The columns of `shifts.csv`.
    pub const TRENDS: &Schema;
    /// shifts.csv's columns as each series fills them.
    struct Columns {
        topic: String,
        speaker: String,
        phrase: String,
        /// The period's key, until the period's facts take its place.
        period: i32 => PeriodFacts::OF_PERIOD,
        n: u64,
        n_answers: u32,
        per_10k_tokens: f64,
        ci_low: Option<f64>,
        ci_high: Option<f64>,
        first_year: Option<i32>,
        last_year: Option<i32>,
        change: Option<f64>,
        slope: Option<f64>,
        slope_low: Option<f64>,
        slope_high: Option<f64>,
        p_slope: Option<f64>,
        /// Filled once every series is in (see [`call_trends`]).
        q_slope: Option<f64>,
        trend: &'static str,
        status: &'static str,
        note: String,
    }
    fn append;
}
