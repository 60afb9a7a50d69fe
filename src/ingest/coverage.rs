//! What of each file reached a record, and the coverage table of the years.

use polars::prelude::*;

use super::layout::{self, Parsed};
use super::Transcript;
use crate::config::corpus::Manifest;
use crate::error::Result;
use crate::vocab::{Category, Genre, RecordKind, RepairAction};

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
}

/// Per transcript: what it holds and what was done to it; a row with empty
/// counts for every year in the span that has no transcript.
pub(super) fn coverage(
    transcripts: &[Transcript],
    facts: &[FileFacts],
    manifest: &Manifest,
    answers: &DataFrame,
    repairs: &DataFrame,
    warnings: &DataFrame,
) -> Result<DataFrame> {
    let files = df!(
        "year" => transcripts.iter().map(|t| t.meta.year).collect::<Vec<_>>(),
        "date" => transcripts.iter().map(|t| t.meta.date()).collect::<Vec<_>>(),
        "source" => transcripts.iter().map(|t| t.meta.file.clone()).collect::<Vec<_>>(),
        "notes" => transcripts
            .iter()
            .map(|t| manifest.entries.get(&t.meta.file).and_then(|e| e.notes.clone()).unwrap_or_default())
            .collect::<Vec<_>>(),
        "genre" => facts.iter().map(|f| f.genre.as_str()).collect::<Vec<_>>(),
        "questions_asked" => transcripts
            .iter()
            .map(|t| manifest.entries.get(&t.meta.file).and_then(|e| e.questions_asked))
            .collect::<Vec<_>>(),
        "kept_share" => facts.iter().map(|f| f.kept_share).collect::<Vec<_>>(),
        "repeats_kept" => facts.iter().map(|f| f.repeats_kept).collect::<Vec<_>>(),
        "dropped" => facts.iter().map(|f| f.dropped.as_str()).collect::<Vec<_>>(),
    )?;
    let first = transcripts.iter().map(|t| t.meta.year).min().unwrap_or(0);
    let last = transcripts.iter().map(|t| t.meta.year).max().unwrap_or(0);
    let years = df!("year" => (first..=last).collect::<Vec<i32>>())?;

    let per_file = answers.clone().lazy().group_by([col("source")]).agg([
        col("kind")
            .eq(RecordKind::Answer.lit())
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
    let table = by_source(
        by_source(
            by_source(files.lazy(), per_file),
            count_by_source(repairs, "repairs"),
        ),
        count_by_source(warnings, "warnings"),
    )
    // A transcript with nothing to repair has zero repairs, not an unknown number.
    .with_columns([
        col("repairs").fill_null(lit(0u32)),
        col("warnings").fill_null(lit(0u32)),
    ]);
    let out = years
        .lazy()
        .join(
            table,
            [col("year")],
            [col("year")],
            JoinArgs::new(JoinType::Left),
        )
        .with_column(
            when(col("source").is_null())
                .then(lit("no transcript"))
                .otherwise(lit("ok"))
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
            (col("questions").cast(DataType::Float64)
                / col("questions_asked").cast(DataType::Float64))
            .alias("questions_share"),
            col("excerpts"),
            col("answer_chars"),
            col("kept_share"),
            col("dropped"),
            col("repeats_kept"),
            col("truncated"),
            col("repairs"),
            col("warnings"),
            col("notes"),
        ])
        .sort(["year"], Default::default())
        .collect()?;
    Ok(out)
}
