//! The page's time axes: the years of coverage.csv, gaps included, and the
//! spans of quarters and of months with each period's facts.

use std::collections::HashMap;

use polars::prelude::*;
use serde::Serialize;

use super::{short, strings};
use crate::error::Result;
use crate::frequencies::PeriodFacts;
use crate::period::Period;

/// The spans of quarters and of months, each from the first to the last with
/// answers.
#[derive(Serialize)]
pub(super) struct Periods {
    pub(super) quarter: Span,
    pub(super) month: Span,
}

/// The periods of one kind, in order, and how many make a year, with which
/// the page places an answer (`year × per_year + (month − 1) × per_year / 12`,
/// [`Period::key`]).
#[derive(Serialize)]
pub(super) struct Span {
    per_year: i32,
    periods: Vec<PeriodRow>,
}

/// A quarter or a month, with its facts as the tables carry them
/// ([`PeriodFacts`]): a gap where no answer is dated in it.
#[derive(Serialize)]
pub(super) struct PeriodRow {
    key: i32,
    /// `2023-Q3`, `2023-08`.
    label: String,
    year: i32,
    /// Empty for a gap.
    genre: String,
    /// questions_share: below 1 where the period holds fewer briefings than
    /// its kind typically does (partial).
    share: Option<f64>,
}

/// Every period of `period` from the first with answers to the last, gaps
/// included, with PeriodFacts' genre and share: the page does not work them
/// out again.
pub(super) fn span(
    answers: &DataFrame,
    coverage: &DataFrame,
    period: Period,
    partial_below: f64,
) -> Result<Span> {
    let facts = PeriodFacts::of_answers(answers, coverage, period, partial_below)?;
    let known: HashMap<i32, (&str, Option<f64>)> =
        facts.iter().map(|(k, g, s)| (k, (g, s))).collect();
    // PeriodFacts lists its periods in order.
    let (first, last) = (facts.iter().next(), facts.iter().last());
    let periods = match (first.map(|f| f.0), last.map(|f| f.0)) {
        (Some(first), Some(last)) => (first..=last)
            .map(|key| {
                let (genre, share) = known.get(&key).copied().unwrap_or(("", None));
                PeriodRow {
                    key,
                    label: period.label(key),
                    year: period.year(key),
                    genre: genre.to_string(),
                    share: share.map(short),
                }
            })
            .collect(),
        _ => Vec::new(),
    };
    Ok(Span {
        per_year: period.per_year(),
        periods,
    })
}

/// A year of coverage.csv: a gap where there is no transcript.
#[derive(Serialize)]
pub(super) struct Year {
    year: i32,
    /// Empty for a year without a transcript.
    genre: String,
    questions: Option<u32>,
    asked: Option<u32>,
    share: Option<f64>,
}

/// The years of coverage.csv, gaps included.
pub(super) fn years(coverage: &DataFrame) -> Result<Vec<Year>> {
    let year = coverage.column("year")?.i32()?;
    let genre = strings(coverage, "genre")?;
    let questions = coverage.column("questions")?.u32()?;
    let asked = coverage.column("questions_asked")?.u32()?;
    let share = coverage.column("questions_share")?.f64()?;
    let mut out: Vec<Year> = Vec::new();
    for i in 0..coverage.height() {
        let Some(y) = year.get(i) else { continue };
        let g = genre.get(i).unwrap_or_default().to_string();
        // A year with several transcripts has a row each; the page marks the
        // year by its first and leaves the share out.
        if let Some(prev) = out.iter_mut().find(|x| x.year == y) {
            prev.share = None;
            prev.asked = None;
            prev.questions = None;
            if !prev.genre.split('+').any(|x| x == g) && !g.is_empty() {
                prev.genre = format!("{}+{g}", prev.genre);
            }
            continue;
        }
        out.push(Year {
            year: y,
            genre: g,
            questions: questions.get(i),
            asked: asked.get(i),
            share: share.get(i).map(short),
        });
    }
    Ok(out)
}
