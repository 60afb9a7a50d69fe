//! What of each file reached a record, and the coverage table of the years.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use polars::prelude::*;

use crate::period::Period;

use super::layout::{self, Parsed};
use crate::categories::{Category, Genre, RecordKind, RepairAction};
use crate::config::corpus::{Entry, Manifest, TranscriptFile};
use crate::config::Layout;
use crate::error::{Error, Result};

/// What of a file reached a record, in Chinese characters.
pub(super) struct Kept {
    pub(super) share: f64,
    total: usize,
    /// Characters and repairs per kind of drop, largest first; the rest of
    /// what is not kept is speaker labels and framing ("王毅：", "问：").
    dropped: Vec<(RepairAction, usize, usize)>,
    labels: usize,
}

impl Kept {
    pub(super) fn of(text: &str, p: &Parsed) -> Kept {
        let total = layout::cjk_chars(text);
        let kept: usize = p
            .records
            .iter()
            .map(|r| {
                [&r.outlet, &r.headline, &r.question, &r.answer]
                    .iter()
                    .map(|t| layout::cjk_chars(t))
                    .sum::<usize>()
            })
            .sum();
        let mut dropped: Vec<(RepairAction, usize, usize)> = Vec::new();
        for r in p.repairs.iter().filter(|r| r.dropped > 0) {
            match dropped.iter_mut().find(|d| d.0 == r.action) {
                Some(d) => {
                    d.1 += r.dropped;
                    d.2 += 1;
                }
                None => dropped.push((r.action, r.dropped, 1)),
            }
        }
        dropped.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.as_str().cmp(b.0.as_str())));
        let gone: usize = dropped.iter().map(|d| d.1).sum();
        Kept {
            share: if total == 0 {
                1.0
            } else {
                (kept as f64 / total as f64).min(1.0)
            },
            total,
            labels: total.saturating_sub(kept + gone),
            dropped,
        }
    }

    /// `action chars; …` for coverage.csv, then the labels.
    pub(super) fn breakdown(&self) -> String {
        self.dropped
            .iter()
            .map(|(a, c, _)| format!("{} {c}", a.as_str()))
            .chain((self.labels > 0).then(|| format!("labels {}", self.labels)))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Why the file is refused: the share kept and the commonest loss.
    pub(super) fn refusal(&self) -> String {
        let reason = match self.dropped.first() {
            Some((RepairAction::DropUnattached, _, n)) => format!(
                "{n} lines had no question or answer label — is this a layout the ingest does \
                 not know? see data/layout.toml"
            ),
            Some((action, c, n)) => format!(
                "{c} of {} characters went to {n} '{}' repairs (see data/layout.toml)",
                self.total,
                action.as_str()
            ),
            None => {
                "the text has no question or answer labels the ingest knows (see data/layout.toml)"
                    .into()
            }
        };
        format!(
            "only {:.0}% of the text reached a record; {reason}",
            self.share * 100.0
        )
    }
}

/// What coverage.csv says of a file beyond its counts.
pub(super) struct FileFacts {
    pub(super) genre: Genre,
    pub(super) kept_share: f64,
    pub(super) repeats_kept: u32,
    pub(super) dropped: String,
    /// What the tool inferred of the file (its genre, its speaker).
    pub(super) notes: Vec<String>,
}

/// One file's row of coverage.csv before its counts: read, or set aside.
pub(super) struct FileRow<'a> {
    meta: &'a TranscriptFile,
    facts: Option<FileFacts>,
    /// Why the file was set aside, and the share of it kept where it was parsed.
    refusal: Option<(String, Option<f64>)>,
}

impl<'a> FileRow<'a> {
    pub(super) fn read(meta: &'a TranscriptFile, facts: FileFacts) -> FileRow<'a> {
        FileRow {
            meta,
            facts: Some(facts),
            refusal: None,
        }
    }

    pub(super) fn set_aside(
        meta: &'a TranscriptFile,
        error: Error,
        kept_share: Option<f64>,
    ) -> FileRow<'a> {
        // The reason without the file name, which the row's source gives.
        let reason = match error {
            Error::Input { message, .. } => message,
            other => other.to_string(),
        };
        FileRow {
            meta,
            facts: None,
            refusal: Some((reason, kept_share)),
        }
    }
}

/// Per transcript: what it holds and what was done to it, or why it was
/// set aside; a row with empty counts for every year in the span that has
/// no transcript. Each file's `period` is the label of the run's period
/// its date (or, at `year`, its year) falls in.
pub(super) fn coverage(
    rows: &[FileRow],
    manifest: &Manifest,
    layout: &Layout,
    period: Period,
    answers: &DataFrame,
    repairs: &DataFrame,
    warnings: &DataFrame,
) -> Result<DataFrame> {
    let counts = Counts::of(answers, repairs, warnings)?;
    let first = rows.iter().map(|r| r.meta.year).min().unwrap_or(0);
    let last = rows.iter().map(|r| r.meta.year).max().unwrap_or(0);
    let mut out = Columns::default();
    for year in first..=last {
        let mut files = rows.iter().filter(|r| r.meta.year == year).peekable();
        if files.peek().is_none() {
            out.gap(year);
        }
        for r in files {
            out.file(r, manifest.entries.get(&r.meta.file), &counts, period);
        }
    }
    let shares = year_shares(answers)?;
    for i in 0..out.year.len() {
        let share = shares.get(&out.year[i]).copied();
        out.year_share.push(share);
        out.questions_share.push(match share {
            // A year of many dated files: the share of a typical year's
            // briefings it holds, 1 where it is whole (partial_year_below).
            Some(s) if s < layout.partial_year_below => Some(s),
            Some(_) => Some(1.0),
            None => out.questions[i]
                .zip(out.questions_asked[i])
                .map(|(q, asked)| f64::from(q) / f64::from(asked)),
        });
    }
    out.frame()
}

crate::columns! {
    /// The columns of `coverage.csv`.
    pub const COVERAGE: &Schema;
    /// coverage.csv's columns, filled file by file in year order; the
    /// shares of the year last, once every row is in.
    struct Columns {
        year: i32,
        period: Option<String>,
        date: Option<String>,
        source: Option<String>,
        status: &'static str,
        genre: Option<&'static str>,
        questions: Option<u32>,
        questions_asked: Option<u32>,
        questions_share: Option<f64>,
        year_share: Option<f64>,
        excerpts: Option<u32>,
        answer_chars: Option<u32>,
        kept_share: Option<f64>,
        dropped: Option<String>,
        repeats_kept: Option<u32>,
        truncated: Option<u32>,
        repairs: Option<u32>,
        warnings: Option<u32>,
        reason: Option<String>,
        notes: Option<String>,
    }
}

impl Columns {
    /// The row of a year without a transcript, but for its shares: no
    /// period (it is a gap in the years), and no counts.
    fn gap(&mut self, year: i32) {
        self.year.push(year);
        self.status.push("no transcript");
        for c in [
            &mut self.period,
            &mut self.date,
            &mut self.source,
            &mut self.dropped,
            &mut self.reason,
            &mut self.notes,
        ] {
            c.push(None);
        }
        for c in [
            &mut self.questions,
            &mut self.questions_asked,
            &mut self.excerpts,
            &mut self.answer_chars,
            &mut self.repeats_kept,
            &mut self.truncated,
            &mut self.repairs,
            &mut self.warnings,
        ] {
            c.push(None);
        }
        self.genre.push(None);
        self.kept_share.push(None);
    }

    /// A file's row, but for the shares of its year: its dates, status and
    /// reason, notes (the manifest's, then what the tool inferred), genre,
    /// facts and counts.
    fn file(&mut self, r: &FileRow, entry: Option<&Entry>, counts: &Counts, period: Period) {
        let (year, source, date) = (r.meta.year, r.meta.file.as_str(), r.meta.date());
        let facts = r.facts.as_ref();
        self.year.push(year);
        self.period
            .push(period.key(year, Some(&date)).map(|k| period.label(k)));
        self.date.push(Some(date));
        self.source.push(Some(source.to_string()));
        self.status.push(if r.refusal.is_some() {
            "set_aside"
        } else {
            "ok"
        });
        self.genre.push(facts.map(|f| f.genre.as_str()));
        // A file read has zero of what it does not hold (nothing to repair
        // is zero repairs, not an unknown number); one set aside has no
        // records, and no counts of them.
        let records = counts
            .records
            .get(source)
            .copied()
            .or(r.refusal.is_none().then_some(Records::default()));
        self.questions.push(records.map(|c| c.questions));
        self.questions_asked
            .push(entry.and_then(|e| e.questions_asked));
        self.excerpts.push(records.map(|c| c.excerpts));
        self.answer_chars.push(records.map(|c| c.answer_chars));
        self.kept_share.push(match (facts, &r.refusal) {
            (Some(f), _) => Some(f.kept_share),
            (None, Some((_, share))) => *share,
            (None, None) => None,
        });
        self.dropped.push(facts.map(|f| f.dropped.clone()));
        self.repeats_kept.push(facts.map(|f| f.repeats_kept));
        self.truncated.push(records.map(|c| c.truncated));
        let of = |by: &HashMap<&str, u32>| Some(by.get(source).copied().unwrap_or(0));
        self.repairs.push(of(&counts.repairs));
        self.warnings.push(of(&counts.warnings));
        self.reason.push(Some(
            r.refusal.as_ref().map(|x| x.0.clone()).unwrap_or_default(),
        ));
        let notes: Vec<String> = entry
            .and_then(|e| e.notes.clone())
            .into_iter()
            .chain(facts.iter().flat_map(|f| f.notes.iter().cloned()))
            .collect();
        self.notes.push(Some(notes.join("; ")));
    }
}

/// What coverage.csv counts of a file's records (answers.csv).
#[derive(Clone, Copy, Default)]
struct Records {
    /// Answered and unanswered questions.
    questions: u32,
    excerpts: u32,
    answer_chars: u32,
    truncated: u32,
}

/// Each file's records, repairs and warnings, by its name (`source`).
struct Counts<'a> {
    records: HashMap<&'a str, Records>,
    repairs: HashMap<&'a str, u32>,
    warnings: HashMap<&'a str, u32>,
}

impl<'a> Counts<'a> {
    fn of(
        answers: &'a DataFrame,
        repairs: &'a DataFrame,
        warnings: &'a DataFrame,
    ) -> Result<Counts<'a>> {
        let (source, kind, chars, truncated) = (
            answers.column("source")?.str()?,
            answers.column("kind")?.str()?,
            answers.column("chars")?.u32()?,
            answers.column("truncated")?.bool()?,
        );
        let (asked, unanswered, excerpt) = (
            RecordKind::Answer.as_str(),
            RecordKind::Unanswered.as_str(),
            RecordKind::Excerpt.as_str(),
        );
        let mut records: HashMap<&str, Records> = HashMap::new();
        for i in 0..answers.height() {
            let Some(s) = source.get(i) else {
                continue;
            };
            let r = records.entry(s).or_default();
            let k = kind.get(i);
            r.questions += u32::from(k == Some(asked) || k == Some(unanswered));
            r.excerpts += u32::from(k == Some(excerpt));
            r.answer_chars += chars.get(i).unwrap_or(0);
            r.truncated += u32::from(truncated.get(i).unwrap_or(false));
        }
        let by_source = |df: &'a DataFrame| -> Result<HashMap<&'a str, u32>> {
            let mut n: HashMap<&str, u32> = HashMap::new();
            for s in df.column("source")?.str()?.iter().flatten() {
                *n.entry(s).or_default() += 1;
            }
            Ok(n)
        };
        Ok(Counts {
            records,
            repairs: by_source(repairs)?,
            warnings: by_source(warnings)?,
        })
    }
}

/// Each year's share of a typical year, for the years of a corpus of many
/// dated files: the years whose records carry two or more dates. A year's
/// share is the smaller of its months from its first to its last briefing
/// over twelve, and its briefings (distinct dates) over the median of the
/// years that span all twelve months (where there is such a year).
fn year_shares(answers: &DataFrame) -> Result<BTreeMap<i32, f64>> {
    let dates = answers.column("date")?.str()?;
    let mut by_year: BTreeMap<i32, BTreeSet<(u32, u32)>> = BTreeMap::new();
    for d in dates.iter().flatten() {
        let mut parts = d.split('-').map(|p| p.parse::<u32>().ok());
        if let (Some(Some(y)), Some(Some(m)), Some(Some(day))) =
            (parts.next(), parts.next(), parts.next())
        {
            by_year.entry(y as i32).or_default().insert((m, day));
        }
    }
    by_year.retain(|_, ds| ds.len() >= 2);
    let months = |ds: &BTreeSet<(u32, u32)>| {
        let first = ds.first().map_or(1, |d| d.0);
        let last = ds.last().map_or(12, |d| d.0);
        (last + 1).saturating_sub(first) as f64
    };
    let mut full: Vec<usize> = by_year
        .values()
        .filter(|ds| months(ds) >= 12.0)
        .map(|ds| ds.len())
        .collect();
    full.sort_unstable();
    let typical = match full.len() {
        0 => None,
        n if n % 2 == 1 => Some(full[n / 2] as f64),
        n => Some((full[n / 2 - 1] + full[n / 2]) as f64 / 2.0),
    };
    Ok(by_year
        .iter()
        .map(|(y, ds)| {
            let span = months(ds) / 12.0;
            let count = typical.map_or(1.0, |t| (ds.len() as f64 / t).min(1.0));
            (*y, span.min(count))
        })
        .collect())
}
