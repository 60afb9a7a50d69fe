//! What of each file reached a record, and the coverage table of the years.

use polars::prelude::*;

use crate::period::Period;

use super::layout::{self, Parsed};
use crate::categories::{Category, Genre, RecordKind, RepairAction};
use crate::config::corpus::{Manifest, TranscriptFile};
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
    let files = file_table(rows, manifest)?;
    let shares = year_shares(answers)?;
    let first = rows.iter().map(|r| r.meta.year).min().unwrap_or(0);
    let last = rows.iter().map(|r| r.meta.year).max().unwrap_or(0);
    let years = df!("year" => (first..=last).collect::<Vec<i32>>())?;
    let table = with_counts(files, answers, repairs, warnings);
    let mut out = by_year(years, table, shares, layout)?;
    insert_periods(&mut out, period)?;
    Ok(out)
}

/// The files' own columns of coverage.csv: their dates, status and reason,
/// notes (the manifest's, then what the tool inferred), genre and facts.
fn file_table(rows: &[FileRow], manifest: &Manifest) -> Result<DataFrame> {
    let entry = |r: &FileRow| manifest.entries.get(&r.meta.file);
    let notes = |r: &FileRow| {
        entry(r)
            .and_then(|e| e.notes.clone())
            .into_iter()
            .chain(r.facts.iter().flat_map(|f| f.notes.iter().cloned()))
            .collect::<Vec<_>>()
            .join("; ")
    };
    Ok(df!(
        "year" => rows.iter().map(|r| r.meta.year).collect::<Vec<_>>(),
        "date" => rows.iter().map(|r| r.meta.date()).collect::<Vec<_>>(),
        "source" => rows.iter().map(|r| r.meta.file.clone()).collect::<Vec<_>>(),
        "status" => rows.iter().map(|r| if r.refusal.is_some() { "set_aside" } else { "ok" }).collect::<Vec<_>>(),
        "reason" => rows.iter().map(|r| r.refusal.as_ref().map(|x| x.0.clone()).unwrap_or_default()).collect::<Vec<_>>(),
        "notes" => rows.iter().map(notes).collect::<Vec<_>>(),
        "genre" => rows.iter().map(|r| r.facts.as_ref().map(|f| f.genre.as_str())).collect::<Vec<_>>(),
        "questions_asked" => rows.iter().map(|r| entry(r).and_then(|e| e.questions_asked)).collect::<Vec<_>>(),
        "kept_share" => rows.iter().map(|r| match (&r.facts, &r.refusal) {
            (Some(f), _) => Some(f.kept_share),
            (None, Some((_, share))) => *share,
            (None, None) => None,
        }).collect::<Vec<_>>(),
        "repeats_kept" => rows.iter().map(|r| r.facts.as_ref().map(|f| f.repeats_kept)).collect::<Vec<_>>(),
        "dropped" => rows.iter().map(|r| r.facts.as_ref().map(|f| f.dropped.clone())).collect::<Vec<_>>(),
    )?)
}

/// The files' table joined with each file's counts: of its questions,
/// excerpts, answer characters and truncated answers (answers.csv), of its
/// repairs and of its warnings.
fn with_counts(
    files: DataFrame,
    answers: &DataFrame,
    repairs: &DataFrame,
    warnings: &DataFrame,
) -> LazyFrame {
    let per_file = answers.clone().lazy().group_by([col("source")]).agg([
        col("kind")
            .eq(RecordKind::Answer.lit())
            .or(col("kind").eq(RecordKind::Unanswered.lit()))
            .sum()
            .cast(DataType::UInt32)
            .alias("questions"),
        col("kind")
            .eq(RecordKind::Excerpt.lit())
            .sum()
            .cast(DataType::UInt32)
            .alias("excerpts"),
        col("chars")
            .sum()
            .cast(DataType::UInt32)
            .alias("answer_chars"),
        col("truncated")
            .sum()
            .cast(DataType::UInt32)
            .alias("truncated"),
    ]);
    let count_by_source = |df: &DataFrame, name: &str| {
        df.clone()
            .lazy()
            .group_by([col("source")])
            .agg([len().cast(DataType::UInt32).alias(name)])
    };
    let by_source = |left: LazyFrame, right: LazyFrame| {
        left.join(
            right,
            [col("source")],
            [col("source")],
            JoinArgs::new(JoinType::Left),
        )
    };
    by_source(
        by_source(
            by_source(files.lazy(), per_file),
            count_by_source(repairs, "repairs"),
        ),
        count_by_source(warnings, "warnings"),
    )
    // A transcript with nothing to repair has zero repairs, not an unknown
    // number; a file set aside has no records, and no counts of them.
    .with_columns([
        col("repairs").fill_null(lit(0u32)),
        col("warnings").fill_null(lit(0u32)),
    ])
    .with_columns(
        ["questions", "excerpts", "answer_chars", "truncated"].map(|c| {
            when(col("status").eq(lit("ok")))
                .then(col(c).fill_null(lit(0u32)))
                .otherwise(col(c))
        }),
    )
}

/// Every year of the span (`years`) with its files' rows (`table`) and its
/// share of a typical year (`shares`), in the columns of coverage.csv; a
/// year without a file has a row of status `no transcript`.
fn by_year(
    years: DataFrame,
    table: LazyFrame,
    shares: DataFrame,
    layout: &Layout,
) -> Result<DataFrame> {
    Ok(years
        .lazy()
        .join(
            table,
            [col("year")],
            [col("year")],
            JoinArgs::new(JoinType::Left),
        )
        .join(
            shares.lazy(),
            [col("year")],
            [col("year")],
            JoinArgs::new(JoinType::Left),
        )
        .with_column(
            when(col("source").is_null())
                .then(lit("no transcript"))
                .otherwise(col("status"))
                .alias("status"),
        )
        .select([
            col("year"),
            col("date"),
            col("source"),
            col("status"),
            col("genre"),
            col("questions"),
            col("questions_asked"),
            // A year of many dated files: the share of a typical year's
            // briefings it holds, 1 where it is whole (partial_year_below).
            when(col("year_share").is_not_null())
                .then(
                    when(col("year_share").lt(lit(layout.partial_year_below)))
                        .then(col("year_share"))
                        .otherwise(lit(1.0)),
                )
                .otherwise(
                    col("questions").cast(DataType::Float64)
                        / col("questions_asked").cast(DataType::Float64),
                )
                .alias("questions_share"),
            col("year_share"),
            col("excerpts"),
            col("answer_chars"),
            col("kept_share"),
            col("dropped"),
            col("repeats_kept"),
            col("truncated"),
            col("repairs"),
            col("warnings"),
            col("reason"),
            col("notes"),
        ])
        .sort(["year"], Default::default())
        .collect()?)
}

/// Inserts each row's period (the label of the run's period its date, or
/// at `year` its year, falls in) as the second column.
fn insert_periods(out: &mut DataFrame, period: Period) -> Result<()> {
    let (year, date, source) = (
        out.column("year")?.i32()?,
        out.column("date")?.str()?,
        out.column("source")?.str()?,
    );
    // A year without a transcript has no period: it is a gap in the years.
    let labels: Vec<Option<String>> = (0..out.height())
        .map(|i| {
            source.get(i)?;
            Some(period.label(period.key(year.get(i)?, date.get(i))?))
        })
        .collect();
    out.insert_column(1, Column::new("period".into(), labels))?;
    Ok(())
}

/// Each year's share of a typical year, for the years of a corpus of many
/// dated files: the years whose records carry two or more dates. A year's
/// share is the smaller of its months from its first to its last briefing
/// over twelve, and its briefings (distinct dates) over the median of the
/// years that span all twelve months (where there is such a year).
fn year_shares(answers: &DataFrame) -> Result<DataFrame> {
    let dates = answers.column("date")?.str()?;
    let mut by_year: std::collections::BTreeMap<i32, std::collections::BTreeSet<(u32, u32)>> =
        Default::default();
    for d in dates.iter().flatten() {
        let mut parts = d.split('-').map(|p| p.parse::<u32>().ok());
        if let (Some(Some(y)), Some(Some(m)), Some(Some(day))) =
            (parts.next(), parts.next(), parts.next())
        {
            by_year.entry(y as i32).or_default().insert((m, day));
        }
    }
    by_year.retain(|_, ds| ds.len() >= 2);
    let months = |ds: &std::collections::BTreeSet<(u32, u32)>| {
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
    let (years, shares): (Vec<i32>, Vec<f64>) = by_year
        .iter()
        .map(|(y, ds)| {
            let span = months(ds) / 12.0;
            let count = typical.map_or(1.0, |t| (ds.len() as f64 / t).min(1.0));
            (*y, span.min(count))
        })
        .unzip();
    Ok(df!("year" => years, "year_share" => shares)?)
}
