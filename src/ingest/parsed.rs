//! What parsing one transcript gives: its records, the repairs made to its
//! text, the warnings for the researcher, and what the text says of its date.

use crate::categories::{RecordKind, RepairAction};

/// One question and its answer (or an opening, closing or excerpt).
/// Paragraphs are separated by a newline.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub kind: RecordKind,
    /// Whose words the record is, as its label names them ("汪文斌："); empty
    /// where no label does ("答：", an unlabelled statement): then the
    /// briefing's spokesperson or the file's speaker.
    pub speaker: String,
    /// Line of the source where the record starts.
    pub line: usize,
    pub outlet: String,
    pub headline: String,
    pub question: String,
    pub answer: String,
    /// Part of the text is lost in the source (a cut with no continuation).
    pub truncated: bool,
    /// The date and speaker of the briefing the record belongs to, where a
    /// briefing header gives them (several briefings can share a file).
    pub briefing: Option<Briefing>,
    /// The conference or briefing of the file the record belongs to, from 0
    /// (see `classify::scopes`).
    pub scope: usize,
}

/// A briefing header: its spokesperson, and its date where it gives one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Briefing {
    /// (year, month, day).
    pub date: Option<(i32, u32, u32)>,
    pub speaker: String,
}

/// One change the ingest made to the text, for `repairs.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Repair {
    pub line: usize,
    pub action: RepairAction,
    pub detail: String,
    /// Chinese characters of the text the repair removed (0 for a join).
    pub dropped: usize,
}

/// Chinese characters in a text: the unit of how much of a file was kept.
pub fn cjk_chars(text: &str) -> usize {
    text.chars().filter(|&c| crate::text::is_cjk(c)).count()
}

/// Something a researcher should know that did not stop the run.
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    pub line: usize,
    pub message: String,
}

/// A statement of the text about its own date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateClue {
    /// A full date, e.g. a live-text timestamp.
    Full { year: i32, month: u32, day: u32 },
    /// "3月7日" in a lede, caption or dateline.
    MonthDay { month: u32, day: u32 },
    /// "7日在人民大会堂" in a lede.
    Day { day: u32 },
    /// The year an NPC session ("十三届全国人大一次会议") was held.
    Session { year: i32 },
}

#[derive(Debug, Default)]
pub struct Parsed {
    pub records: Vec<Record>,
    /// Briefing answers (答) read.
    pub replies: usize,
    pub repairs: Vec<Repair>,
    pub warnings: Vec<Warning>,
    pub clues: Vec<(usize, DateClue)>,
    /// Passages of `duplicate_min_chars` or more that a later scope (briefing)
    /// of the file says again: kept, as the speaker's own repetition.
    pub repeats_kept: usize,
}

/// The first eight characters of a text, for a repair's detail.
pub fn snippet_start(s: &str) -> String {
    s.chars().take(8).collect()
}

/// The last eight characters of a text, for a repair's detail.
pub fn snippet_end(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    chars[chars.len().saturating_sub(8)..].iter().collect()
}

/// The paragraphs of a text without empty ones or white space at their ends.
pub fn tidy_paragraphs(text: &str) -> String {
    text.split('\n')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}
