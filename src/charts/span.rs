//! The span of periods every time axis shows: which periods have a
//! transcript, which are partial or apart, the labels of its ticks, and the
//! note that says what a figure on it shows.

use std::collections::{BTreeMap, BTreeSet};

use polars::prelude::*;

use super::labels::Labels;
use super::layout::{draw_err, note_font};
use super::Lang;
use crate::categories::{Category, Genre};
use crate::error::Result;
use crate::period::Period;

/// Labels an axis holds at most before it labels every k-th period only.
const MAX_TICKS: i32 = 12;

/// The periods of the corpus span (years, quarters or months, by key: see
/// [`Period`]) and which of them have a transcript.
#[derive(Clone)]
pub(super) struct Span {
    pub(super) period: Period,
    pub(super) first: i32,
    pub(super) last: i32,
    pub(super) with_data: BTreeSet<i32>,
    /// Years whose transcript holds part of the conference, with the
    /// questions in the text of those asked ("14/27"), shown under the year.
    pub(super) partial: BTreeMap<i32, String>,
    /// Fewer answers than this and a point has no interval (drawn hollow).
    pub(super) min_answers: usize,
    /// Years of a genre that enters no comparison (summaries), with their
    /// genre: their points stand alone, never joined by a line to another year's.
    pub(super) apart: BTreeMap<i32, Genre>,
}

/// What a figure draws that its note may have to explain: the note says
/// only what the figure shows, so a clause stands only where its flag is set
/// and the corpus has the thing (a gap year, a partial year …).
#[derive(Clone, Copy, Default)]
pub(super) struct Shows {
    /// Every year of the span, those without a transcript in grey.
    pub(super) gaps: bool,
    /// Yearly points ([`draw_years`]): a partial year's share of the
    /// questions under it, and no line to or from an apart year.
    pub(super) points: bool,
    /// The answers behind each year's points under it ("n=4").
    pub(super) answers: bool,
    /// Some point without an interval, drawn hollow.
    pub(super) hollow: bool,
}

/// A figure's note, clause by clause; written under the figure, wrapped at
/// clause boundaries to its width.
pub(super) struct Note {
    clauses: Vec<String>,
    sep: &'static str,
}

impl Note {
    pub(super) fn none() -> Note {
        Note {
            clauses: Vec::new(),
            sep: "",
        }
    }

    /// The note with one more clause, written last.
    pub(super) fn and(mut self, clause: String) -> Note {
        if self.sep.is_empty() {
            self.sep = "; ";
        }
        self.clauses.push(clause);
        self
    }

    /// The whole note on one line (the SVG's description).
    pub(super) fn text(&self) -> String {
        self.clauses.join(self.sep)
    }

    /// The note in lines no wider than `width` (in the note's font), breaking
    /// only between clauses; a clause wider than `width` stands on its own line.
    pub(super) fn lines(&self, width: u32) -> Result<Vec<String>> {
        let style = note_font();
        let mut lines: Vec<String> = Vec::new();
        for clause in &self.clauses {
            if let Some(line) = lines.last_mut() {
                let joined = format!("{line}{}{clause}", self.sep);
                if style.font.box_size(&joined).map_err(draw_err)?.0 <= width {
                    *line = joined;
                    continue;
                }
            }
            lines.push(clause.clone());
        }
        Ok(lines)
    }
}

impl Span {
    /// More periods than labels fit (36 months, say): a label every few
    /// periods, a partial period marked `*`, no answers row.
    pub(super) fn dense(&self) -> bool {
        self.last - self.first + 1 > MAX_TICKS + 4
    }

    /// Periods between labels: the smallest step that is a whole part of
    /// the calendar (a month every 1, 2, 3, 6 or 12 …) and leaves at most
    /// [`MAX_TICKS`] labels.
    fn step(&self) -> i32 {
        let steps: &[i32] = match self.period {
            Period::Year => &[1, 2, 5, 10, 20],
            Period::Quarter => &[1, 2, 4, 8, 20, 40],
            Period::Month => &[1, 2, 3, 6, 12, 24, 60, 120],
        };
        let n = self.last - self.first + 1;
        steps
            .iter()
            .copied()
            .find(|s| (n + s - 1) / s <= MAX_TICKS)
            .unwrap_or(steps[steps.len() - 1])
    }

    /// The label of the tick at `x` on a time axis: the period's label at
    /// every [`Span::step`]-th period of the calendar, else none.
    pub(super) fn tick(&self, x: f64) -> String {
        let k = x.round();
        if (x - k).abs() > 1e-6 || k < f64::from(self.first) || k > f64::from(self.last) {
            return String::new();
        }
        let k = k as i32;
        if k.rem_euclid(self.step()) != 0 {
            return String::new();
        }
        self.period.label(k)
    }

    /// The word for one period: "year" (年份), "quarter" (季度), "month" (月份).
    pub(super) fn word(&self, zh: bool) -> &'static str {
        match (self.period, zh) {
            (Period::Year, false) => "year",
            (Period::Quarter, false) => "quarter",
            (Period::Month, false) => "month",
            (Period::Year, true) => "年份",
            (Period::Quarter, true) => "季度",
            (Period::Month, true) => "月份",
        }
    }

    pub(super) fn gaps(&self) -> Vec<i32> {
        (self.first..=self.last)
            .filter(|y| !self.with_data.contains(y))
            .collect()
    }

    /// The note of a figure showing `shows`, each clause built from this
    /// corpus: its gap years, its first partial year's share as the example,
    /// its apart years.
    pub(super) fn note(&self, labels: &Labels, shows: Shows) -> Note {
        let zh = labels.lang == Lang::Zh;
        let pick = |zh_text: String, en_text: String| if zh { zh_text } else { en_text };
        let list = |items: &[String]| items.join(if zh { "、" } else { ", " });
        let mut clauses = Vec::new();
        let mut gaps: Vec<String> = self.gaps().iter().map(|&k| self.period.label(k)).collect();
        if gaps.len() > 6 {
            let more = gaps.len() - 5;
            gaps.truncate(5);
            gaps.push(pick(format!("另 {more} 个"), format!("{more} more")));
        }
        if shows.gaps && !gaps.is_empty() {
            let gaps = list(&gaps);
            clauses.push(pick(
                format!("灰色：无文字记录（{gaps}）"),
                format!("Grey: no transcript ({gaps})"),
            ));
        }
        let mut under = Vec::new();
        if let Some(share) = self.partial.values().next().filter(|_| shows.points) {
            under.push(match (self.period, self.dense()) {
                (Period::Year, _) => pick(
                    format!("文字所含/记者会问题数（{share}）"),
                    format!("questions held/asked ({share})"),
                ),
                (_, false) => pick(
                    format!("所含问题或例行记者会的比例（{share}）"),
                    format!("share of the questions or briefings held ({share})"),
                ),
                (_, true) => pick(
                    "*：文字不全（所含比例低于常例）".into(),
                    "*: partial (fewer questions or briefings than usual)".into(),
                ),
            });
        }
        if shows.answers && !self.dense() {
            under.push(pick("回答数（n）".into(), "answers (n)".into()));
        }
        if !under.is_empty() {
            clauses.push(pick(
                format!("{}下：{}", self.word(true), under.join("，")),
                format!("under a {}: {}", self.word(false), under.join(", ")),
            ));
        }
        if shows.hollow {
            let m = self.min_answers;
            clauses.push(pick(
                format!("空心点：回答少于 {m} 个，无区间"),
                format!("hollow: fewer than {m} answers, no interval"),
            ));
        }
        // Only an apart year next to another year with data has a line it
        // could have been joined by.
        let apart: Vec<String> = self
            .apart
            .iter()
            .filter(|(y, _)| {
                self.with_data.contains(&(*y - 1)) || self.with_data.contains(&(*y + 1))
            })
            .map(|(y, g)| {
                let (genre, y) = (labels.genre(*g), self.period.label(*y));
                pick(format!("{y}（{genre}）"), format!("{y} ({genre})"))
            })
            .collect();
        if shows.points && !apart.is_empty() {
            let apart = list(&apart);
            clauses.push(pick(
                format!("不连线：{apart}"),
                format!("not joined: {apart}"),
            ));
        }
        Note {
            clauses,
            sep: if zh { "；" } else { "; " },
        }
    }

    /// Runs of consecutive calendar years with data: a line may join points
    /// within a run, never across a gap.
    pub(super) fn runs(&self, years: &[i32]) -> Vec<Vec<i32>> {
        let mut runs: Vec<Vec<i32>> = Vec::new();
        for &y in years {
            match runs.last_mut() {
                Some(run)
                    if run.last().is_some_and(|&p| {
                        p + 1 == y && !self.apart.contains_key(&p) && !self.apart.contains_key(&y)
                    }) =>
                {
                    run.push(y)
                }
                _ => runs.push(vec![y]),
            }
        }
        runs
    }
}

/// "14/27" for every year whose transcript holds fewer questions than the
/// conference had (coverage.csv: questions, questions_asked).
fn partial_years(coverage: &DataFrame) -> Result<BTreeMap<i32, String>> {
    let year = coverage.column("year")?.i32()?;
    let held = coverage.column("questions")?.u32()?;
    let asked = coverage.column("questions_asked")?.u32()?;
    Ok((0..coverage.height())
        .filter_map(|i| {
            let (y, h, a) = (year.get(i)?, held.get(i)?, asked.get(i)?);
            (h < a).then(|| (y, format!("{h}/{a}")))
        })
        .collect())
}

/// The span of the periods of topic_year.csv, and the span of the years
/// (the formulations figure's, which stays yearly): the same where the
/// period is the year. A year's partial share and genre come from
/// coverage.csv ("14/27"), a quarter's or a month's from topic_year.csv.
pub(super) fn spans(
    topic_year: &DataFrame,
    coverage: &DataFrame,
    min_answers: usize,
    exclude: &[Genre],
) -> Result<(Span, Span)> {
    let period = Period::of_table(topic_year)?;
    let keys = period.keys(topic_year)?;
    let make = |period: Period, with_data: BTreeSet<i32>| Span {
        period,
        first: with_data.first().copied().unwrap_or_default(),
        last: with_data.last().copied().unwrap_or_default(),
        with_data,
        partial: BTreeMap::new(),
        min_answers,
        apart: BTreeMap::new(),
    };
    let year_keys: BTreeSet<i32> = if period == Period::Year {
        keys.iter().flatten().copied().collect()
    } else {
        let (year, genre) = (
            coverage.column("year")?.i32()?,
            coverage.column("genre")?.str()?,
        );
        (0..coverage.height())
            .filter(|&i| genre.get(i).is_some())
            .filter_map(|i| year.get(i))
            .collect()
    };
    let mut years = make(Period::Year, year_keys);
    years.partial = partial_years(coverage)?;
    years.apart = years_of_genres(coverage, exclude)?;
    if period == Period::Year {
        return Ok((years.clone(), years));
    }
    let mut span = make(period, keys.iter().flatten().copied().collect());
    let (genre, share) = (
        topic_year.column("genre")?.str()?,
        topic_year.column("questions_share")?.f64()?,
    );
    for (i, key) in keys.iter().enumerate() {
        let Some(key) = *key else { continue };
        if let Some(s) = share.get(i).filter(|s| *s < 1.0) {
            let label = if span.dense() {
                "*".to_string()
            } else {
                format!("{:.0}%", s * 100.0)
            };
            span.partial.insert(key, label);
        }
        if let Some(g) = genre
            .get(i)
            .and_then(|g| exclude.iter().find(|e| e.as_str() == g))
        {
            span.apart.insert(key, *g);
        }
    }
    Ok((span, years))
}

/// The years whose transcript is of one of `genres` (coverage.csv `genre`),
/// with that genre.
fn years_of_genres(coverage: &DataFrame, genres: &[Genre]) -> Result<BTreeMap<i32, Genre>> {
    let (year, genre) = (
        coverage.column("year")?.i32()?,
        coverage.column("genre")?.str()?,
    );
    Ok(year
        .iter()
        .zip(genre.iter())
        .filter_map(|(y, g)| {
            let genre = genres.iter().find(|x| Some(x.as_str()) == g)?;
            Some((y?, *genre))
        })
        .collect())
}
