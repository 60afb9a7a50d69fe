//! Stage 1, ingest: transcripts in `data/transcripts/` become a table of answers.
//!
//! Output tables (all in `output/tables/`):
//!
//! `answers.csv`, one row per record, in conference order within each year:
//! - `id`: `YYYY-MM-DD/NN`, date and seq; stable across runs on the same input
//! - `year`, `date`: of the press conference (from the file name), or of the
//!   briefing whose header the record follows
//! - `dated_by`: `header` where a briefing header gave the date, `file` where
//!   the file name did (a file of several briefings without headers is dated
//!   by its name, with a warning)
//! - `seq`: order in the transcript after repairs, from 1
//! - `kind`: `opening`, `answer`, `excerpt` (sidebar quote), `closing`,
//!   `summary` (a paragraph of reported speech), `statement` (a briefing
//!   spokesperson's words that answer no question) or `unanswered`
//! - `genre`: of the transcript (corpus.toml, or inferred): `verbatim`,
//!   `print`, `summary` or `briefing`
//! - `speaker`: whose words the answer is (its label, corpus.toml, a briefing
//!   header's spokesperson, or the text's own naming; never a name inside an
//!   announcement)
//! - `outlet`: the asking media organisation, its aliases made one by
//!   `data/outlets.csv`; empty where not said
//! - `outlet_printed`: the outlet as the text prints it
//! - `headline`: the newspaper's headline over the item; for excerpts, the sidebar heading
//! - `question`, `answer`: the repaired text; paragraphs separated by a line break
//! - `chars`: characters of the answer, line breaks not counted
//! - `truncated`: `true` where the source lost part of the text (see repairs.csv)
//! - `source`, `line`: file and line where the record starts
//!
//! `repairs.csv` (`source`, `line`, `action`, `detail`): every change made to the text.
//! `warnings.csv` (`source`, `line`, `message`): what a researcher should check.
//! `coverage.csv`, one row per year from the first to the last transcript:
//! `year`, `date`, `source`, `status` (`ok`, `set_aside` or `no
//! transcript`), `genre`, `questions` (records of kind answer or unanswered),
//! `questions_asked` (corpus.toml, from press reports), `questions_share`
//! (questions / questions_asked; for a year of many dated files, its
//! `year_share` where partial, else 1), `year_share` (see docs/outputs.md),
//! `excerpts`, `answer_chars`, `kept_share` (share of the file's Chinese
//! characters that reached a record), `dropped` (what did not, in characters
//! by repair action, and `labels`: speaker labels and framing),
//! `repeats_kept` (passages of `duplicate_min_chars` or more that a later
//! briefing of the same file says again word for word: kept as the
//! spokesperson's own repetition; within one conference or briefing such a
//! passage is a printing error, removed as `drop_duplicate`), `truncated`,
//! `repairs`, `warnings`, `reason` (why a file was set aside), `notes`;
//! empty, not zero, for years without a transcript. A file below
//! `min_kept_share` (layout.toml) is set aside; `--strict` stops the run.

mod assemble;
mod classify;
mod corrections;
mod coverage;
mod decode;
mod duplicates;
mod facts;
pub mod forms;
pub mod furniture;
mod guard;
pub mod junction;
pub mod layout;
mod parsed;
#[cfg(test)]
mod props;
mod records;
mod repair;
mod summary;

pub use decode::decode;
pub use summary::Summary;

use std::collections::HashMap;

use polars::prelude::*;
use rayon::prelude::*;

use crate::config::corpus::TranscriptFile;
use crate::config::layout::Layout;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::store::Store;
use crate::table::{field, Schema, Ty::*};
use crate::vocab::{Category, Genre, RecordKind, RepairAction};
use coverage::{FileFacts, Kept};
use facts::{answer_names, check_dates, infer_genre, recognise_speaker, undated_briefings};
use layout::Parsed;
use records::RecordColumns;

/// One transcript: its file, and its text decoded.
#[derive(Debug, Clone)]
pub struct Transcript<'a> {
    pub meta: &'a TranscriptFile,
    pub text: String,
    /// Problems of the file itself (its encoding), reported with the parse warnings.
    pub notes: Vec<String>,
}

/// The columns of `answers.csv` (see the module documentation).
pub const ANSWERS: &Schema = &[
    field("id", Str),
    field("year", I32),
    field("date", Str),
    field("dated_by", Str),
    field("seq", U32),
    field("kind", Str),
    field("genre", Str),
    field("speaker", Str),
    field("outlet", Str),
    field("outlet_printed", Str),
    field("headline", Str),
    field("question", Str),
    field("answer", Str),
    field("chars", U32),
    field("truncated", Bool),
    field("source", Str),
    field("line", U32),
];
/// The columns of `repairs.csv`.
pub const REPAIRS: &Schema = &[
    field("source", Str),
    field("line", U32),
    field("action", Str),
    field("detail", Str),
];
/// The columns of `warnings.csv`.
pub const WARNINGS: &Schema = &[
    field("source", Str),
    field("line", U32),
    field("message", Str),
];
/// The columns of `coverage.csv`.
pub const COVERAGE: &Schema = &[
    field("year", I32),
    field("period", Str),
    field("date", Str),
    field("source", Str),
    field("status", Str),
    field("genre", Str),
    field("questions", U32),
    field("questions_asked", U32),
    field("questions_share", F64),
    field("year_share", F64),
    field("excerpts", U32),
    field("answer_chars", U32),
    field("kept_share", F64),
    field("dropped", Str),
    field("repeats_kept", U32),
    field("truncated", U32),
    field("repairs", U32),
    field("warnings", U32),
    field("reason", Str),
    field("notes", Str),
];

/// What the ingest produces.
pub struct Ingest {
    pub answers: DataFrame,
    pub repairs: DataFrame,
    pub warnings: DataFrame,
    pub coverage: DataFrame,
}

impl Ingest {
    const STAGE: &'static str = "ingest";

    pub fn write(&self, store: &Store) -> Result<()> {
        store.write_tables(&[
            ("answers.csv", &self.answers, ANSWERS),
            ("repairs.csv", &self.repairs, REPAIRS),
            ("warnings.csv", &self.warnings, WARNINGS),
            ("coverage.csv", &self.coverage, COVERAGE),
        ])
    }

    /// The answers table as the ingest wrote it.
    pub fn read_answers(store: &Store) -> Result<DataFrame> {
        store.read_table("answers.csv", ANSWERS, Ingest::STAGE)
    }

    /// The coverage table as the ingest wrote it (the charts label partial years).
    pub fn read_coverage(store: &Store) -> Result<DataFrame> {
        store.read_table("coverage.csv", COVERAGE, Ingest::STAGE)
    }

    /// What the console says of the ingest: the warnings grouped by kind,
    /// one line per kind (`file:line: message` of its first instance, and how
    /// many more in how many files: warnings.csv keeps each), at most
    /// [`Ingest::MAX_KINDS`]; then the files set aside, with where to read why.
    pub fn warning_lines(&self, config: &Config) -> Result<Vec<String>> {
        let w = &self.warnings;
        let source = w.column("source")?.str()?;
        let line = w.column("line")?.u32()?;
        let message = w.column("message")?.str()?;
        let dir = config.root.join("transcripts");
        let at = |s: &str, l: u32| match l {
            0 => format!("{}", dir.join(s).display()),
            l => format!("{}:{l}", dir.join(s).display()),
        };
        // (kind, first file, first line, first message, instances, files), in
        // order of first appearance.
        let mut groups: Vec<(String, &str, u32, &str, usize, Vec<&str>)> = Vec::new();
        for i in 0..w.height() {
            let (s, m) = (
                source.get(i).unwrap_or_default(),
                message.get(i).unwrap_or_default(),
            );
            let kind = warning_kind(m);
            match groups.iter_mut().find(|g| g.0 == kind) {
                Some(g) => {
                    g.4 += 1;
                    if !g.5.contains(&s) {
                        g.5.push(s);
                    }
                }
                None => groups.push((kind, s, line.get(i).unwrap_or(0), m, 1, vec![s])),
            }
        }
        let kinds = groups.len();
        let mut lines: Vec<String> = groups
            .into_iter()
            .take(Self::MAX_KINDS)
            .map(|(_, s, l, m, n, files)| match (n, files.len()) {
                (1, _) => format!("{}: {m}", at(s, l)),
                (n, 1) => format!(
                    "{}: {m} ({} more like it; each is in tables/warnings.csv)",
                    at(s, l),
                    n - 1
                ),
                (n, f) => format!(
                    "{}: {m} ({} more like it, in {f} files; each is in tables/warnings.csv)",
                    at(s, l),
                    n - 1
                ),
            })
            .collect();
        if kinds > Self::MAX_KINDS {
            lines.push(format!(
                "{} more kinds of warning: see tables/warnings.csv",
                kinds - Self::MAX_KINDS
            ));
        }
        lines.extend(self.set_aside_lines(&dir)?);
        Ok(lines)
    }

    /// At most this many kinds of warning are printed, one line each.
    const MAX_KINDS: usize = 12;
    /// At most this many set-aside files are named on the console.
    const MAX_SET_ASIDE: usize = 3;

    /// The files set aside: how many, the first few with their reason, and
    /// where to read the rest.
    fn set_aside_lines(&self, dir: &std::path::Path) -> Result<Vec<String>> {
        let c = &self.coverage;
        let (status, source, reason) = (
            c.column("status")?.str()?,
            c.column("source")?.str()?,
            c.column("reason")?.str()?,
        );
        let files = c.height() - c.column("source")?.null_count();
        let aside: Vec<(&str, &str)> = (0..c.height())
            .filter(|&i| status.get(i) == Some("set_aside"))
            .map(|i| {
                (
                    source.get(i).unwrap_or_default(),
                    reason.get(i).unwrap_or_default(),
                )
            })
            .collect();
        if aside.is_empty() {
            return Ok(Vec::new());
        }
        let mut lines = vec![format!(
            "{} of {files} transcripts set aside, not analysed (tables/coverage.csv: status \
             set_aside, and the reason; --strict stops instead):",
            aside.len()
        )];
        for (s, r) in aside.iter().take(Self::MAX_SET_ASIDE) {
            lines.push(format!("{}: {r}", dir.join(s).display()));
        }
        if aside.len() > Self::MAX_SET_ASIDE {
            lines.push(format!(
                "and {} more: see tables/coverage.csv",
                aside.len() - Self::MAX_SET_ASIDE
            ));
        }
        Ok(lines)
    }
}

/// The kind of a warning: its message with numbers and quoted text masked,
/// so that one problem of many files is one line of the console.
fn warning_kind(message: &str) -> String {
    static MASK: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = MASK.get_or_init(|| {
        regex::Regex::new(r"'[^']*'|‘[^’]*’|“[^”]*”|\d+|\p{Han}+").expect("literal pattern")
    });
    re.replace_all(message, "#").into_owned()
}

/// Reads, decodes and turns into plain Simplified text (see [`forms`]) the
/// transcripts, in date order; a file that cannot be decoded is an error of
/// its own, which sets it aside.
fn read_all<'a>(
    files: &'a [TranscriptFile],
    config: &Config,
) -> Result<Vec<std::result::Result<Transcript<'a>, Error>>> {
    let converter = forms::Converter::new()?;
    Ok(files
        .iter()
        .map(|meta| {
            let (text, note) = decode(&meta.read()?).map_err(|m| meta.error(None, m))?;
            let (text, forms) = converter.plain(&text, &config.layout.forms);
            Ok(Transcript {
                meta,
                text,
                notes: note.into_iter().chain(forms).collect(),
            })
        })
        .collect())
}

/// Where a file's speaker comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SpeakerFrom {
    /// corpus.toml names the speaker.
    Corpus,
    /// A briefing's header (`…外交部发言人汪文斌主持例行记者会`).
    Title,
    /// A press conference names its speaker with a title (`外交部长秦刚`).
    Text,
    /// corpus.toml's `[defaults] speaker`.
    Default,
    /// A briefing with neither a header nor corpus.toml's word: the names its
    /// answers stand under, or nobody (decided after the parse).
    Labels,
}

/// Whether a text reads as a regular briefing: a briefing's header, an 答
/// turn or a spokesperson's announcement.
fn looks_like_briefing(text: &str, layout: &Layout) -> bool {
    text.lines().map(str::trim).any(|l| {
        layout.reply.is_match(l)
            || layout.briefing_header.iter().any(|p| p.is_match(l))
            || layout.statement.iter().any(|p| p.is_match(l))
    })
}

/// A file's speaker before its parse: corpus.toml's, a briefing's header's,
/// the name a press conference gives with a title, or the default; never a
/// name inside a briefing's announcement.
fn file_speaker(t: &Transcript, config: &Config) -> (String, SpeakerFrom) {
    let manifest = &config.corpus.manifest;
    let layout = &config.layout;
    if let Some(s) = manifest
        .entries
        .get(&t.meta.file)
        .and_then(|e| e.speaker.as_deref())
    {
        return (s.to_string(), SpeakerFrom::Corpus);
    }
    if looks_like_briefing(&t.text, layout) {
        return match layout.header_names(&t.text).into_iter().next() {
            Some(name) => (name, SpeakerFrom::Title),
            None => (String::new(), SpeakerFrom::Labels),
        };
    }
    match recognise_speaker(&t.text, layout) {
        Some(s) => (s, SpeakerFrom::Text),
        None => (manifest.default_speaker.clone(), SpeakerFrom::Default),
    }
}

/// One transcript parsed: its records, repairs and warnings, and its facts.
struct ParsedFile {
    speaker: String,
    genre: Genre,
    parsed: Parsed,
    facts: FileFacts,
}

/// A file set aside: why, and how much of it reached a record where it was parsed.
struct Refusal {
    error: Error,
    kept_share: Option<f64>,
}

/// The speaker of a briefing that names none in a header: the name most of
/// its labelled records stand under; None where no answer has a label.
fn label_speaker(parsed: &Parsed) -> Option<String> {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    // Answers only: an announcement names its own spokesperson, and an
    // archive holds several.
    for r in parsed
        .records
        .iter()
        .filter(|r| r.kind == RecordKind::Answer && !r.speaker.is_empty())
    {
        match counts.iter_mut().find(|(n, _)| *n == r.speaker) {
            Some((_, c)) => *c += 1,
            None => counts.push((&r.speaker, 1)),
        }
    }
    let most = counts.iter().map(|(_, c)| *c).max()?;
    counts
        .into_iter()
        .find(|(_, c)| *c == most)
        .map(|(n, _)| n.to_string())
}

/// Where an answer's label names another spokesperson than its briefing's
/// title, the label is taken (it is who answers) and the file says so once.
fn label_disagrees(parsed: &Parsed) -> Option<layout::Warning> {
    let r = parsed.records.iter().find(|r| {
        r.briefing.as_ref().is_some_and(|b| {
            !b.speaker.is_empty() && !r.speaker.is_empty() && b.speaker != r.speaker
        })
    })?;
    let title = r.briefing.as_ref().map_or("", |b| b.speaker.as_str());
    let n = parsed
        .records
        .iter()
        .filter(|x| {
            x.briefing.as_ref().is_some_and(|b| b.speaker == title)
                && !x.speaker.is_empty()
                && x.speaker != title
        })
        .count();
    Some(layout::Warning {
        line: r.line,
        message: format!(
            "the briefing's title names {title}, but {n} answer(s) stand under the label {}: their \
             speaker is the label's",
            r.speaker
        ),
    })
}

/// Parses one transcript with the layout bound to its speaker, and checks
/// that enough of it was read.
fn parse_file(
    t: &Transcript,
    (speaker, from): (String, SpeakerFrom),
    layout: &Layout,
    junction: &junction::Junction,
    repeated: &furniture::Repeated,
    config: &Config,
) -> std::result::Result<ParsedFile, Refusal> {
    let manifest = &config.corpus.manifest;
    let entry = manifest.entries.get(&t.meta.file);
    let file_overrides: Vec<_> = config
        .corpus
        .overrides
        .drop
        .iter()
        .filter(|o| o.file == t.meta.file)
        .cloned()
        .collect();
    let mut parsed = layout::parse(&t.text, layout, junction, &file_overrides, repeated);
    check_dates(
        t.meta,
        entry.and_then(|e| e.session.as_deref()),
        &mut parsed,
    );
    // Facts the tool inferred are notes of coverage.csv; what a researcher
    // must check is a warning.
    let mut notes = Vec::new();
    let speaker = match from {
        SpeakerFrom::Title => {
            notes.push(format!("speaker {speaker}, from the briefing's title"));
            speaker
        }
        SpeakerFrom::Text if speaker != manifest.default_speaker => {
            notes.push(format!("speaker {speaker}, as the text names them"));
            speaker
        }
        SpeakerFrom::Labels => match label_speaker(&parsed) {
            Some(name) => {
                notes.push(format!("speaker {name}, from the labels of its answers"));
                name
            }
            None => {
                parsed.warnings.push(layout::Warning {
                    line: 0,
                    message: "no spokesperson is named (no briefing title, no labelled \
                              answers): the speaker of its answers is left empty (name it in \
                              corpus.toml)"
                        .into(),
                });
                String::new()
            }
        },
        _ => speaker,
    };
    if let Some(w) = label_disagrees(&parsed) {
        parsed.warnings.push(w);
    }
    let (genre, inferred) = match entry.and_then(|e| e.genre) {
        Some(g) => (g, false),
        None => (infer_genre(&parsed), true),
    };
    if inferred {
        notes.push(format!(
            "genre '{}', inferred from the layout",
            genre.as_str()
        ));
    }
    for note in t
        .notes
        .iter()
        .cloned()
        .chain(undated_briefings(&parsed, t.meta))
    {
        parsed.warnings.push(layout::Warning {
            line: 0,
            message: note,
        });
    }
    // Questions without their answers are still the shape of a press
    // conference; only a text with no turns at all is refused.
    let spoken = [
        RecordKind::Answer,
        RecordKind::Unanswered,
        RecordKind::Summary,
        RecordKind::Statement,
    ];
    let kept = Kept::of(&t.text, &parsed);
    if !parsed.records.iter().any(|r| spoken.contains(&r.kind)) {
        return Err(Refusal {
            error: t.meta.error(
                None,
                "no question/answer structure found (expected lines such as '路透社记者：…' then '王毅：…', '有记者提问，…' then '王毅说，…', '问：…' then '答：…', or reported speech such as '王毅表示，…')",
            ),
            kept_share: Some(kept.share),
        });
    }
    if kept.share < layout.min_kept_share {
        return Err(Refusal {
            error: t.meta.error(None, kept.refusal()),
            kept_share: Some(kept.share),
        });
    }
    Ok(ParsedFile {
        speaker,
        genre,
        facts: FileFacts {
            repeats_kept: parsed.repeats_kept as u32,
            genre,
            kept_share: kept.share,
            dropped: kept.breakdown(),
            notes,
        },
        parsed,
    })
}

/// Runs the ingest over the corpus. A file that cannot be read is set aside
/// (coverage.csv says why) and the rest is analysed; with `strict`, or where
/// nothing else is left, every such file's error stops the run.
pub fn run(config: &Config, strict: bool) -> Result<Ingest> {
    let layout = &config.layout;
    // The files read, and in corpus order which of them could not be.
    let mut transcripts: Vec<Transcript> = Vec::new();
    let mut unreadable: Vec<Option<Error>> = Vec::new();
    for r in read_all(&config.corpus.files, config)? {
        match r {
            Ok(t) => {
                transcripts.push(t);
                unreadable.push(None);
            }
            Err(e) => unreadable.push(Some(e)),
        }
    }
    let texts: Vec<&str> = transcripts.iter().map(|t| t.text.as_str()).collect();
    let repeated = furniture::Repeated::find(&texts, layout);
    let junction = junction::Junction::new(&config.words.jieba, &texts.join("\n"));

    // Each transcript's speaker, then one layout per distinct set of names:
    // the layout's regexes are compiled once, not once per file (a fifth of
    // the ingest at 400 files, by perf).
    let speakers: Vec<(String, SpeakerFrom)> = transcripts
        .par_iter()
        .map(|t| file_speaker(t, config))
        .collect();
    let names: Vec<Vec<String>> = transcripts
        .par_iter()
        .zip(&speakers)
        .map(|(t, (speaker, _))| answer_names(speaker, &t.text, layout))
        .collect();
    let mut layouts: HashMap<&[String], Layout> = HashMap::new();
    for n in &names {
        layouts
            .entry(n.as_slice())
            .or_insert_with(|| layout.for_speakers(n));
    }
    // The transcripts are parsed in parallel, one whole file per task, and
    // gathered in corpus order, whatever the thread count.
    let parsed: Vec<std::result::Result<ParsedFile, Refusal>> = transcripts
        .par_iter()
        .zip(speakers)
        .zip(&names)
        .map(|((t, speaker), names)| {
            parse_file(
                t,
                speaker,
                &layouts[names.as_slice()],
                &junction,
                &repeated,
                config,
            )
        })
        .collect();
    let mut read = transcripts.iter().zip(parsed);
    let files: Vec<std::result::Result<(&Transcript, ParsedFile), Refusal>> = unreadable
        .into_iter()
        .map(|e| match e {
            Some(error) => Err(Refusal {
                error,
                kept_share: None,
            }),
            None => {
                let (t, p) = read.next().expect("one parse per transcript read");
                p.map(|p| (t, p))
            }
        })
        .collect();
    let refused = files.iter().filter(|f| f.is_err()).count();
    if refused > 0 && (strict || refused == files.len()) {
        let mut errors: Vec<Error> = files
            .into_iter()
            .filter_map(|f| f.err().map(|r| r.error))
            .collect();
        return Err(match errors.len() {
            1 => errors.remove(0),
            _ => Error::Files(errors),
        });
    }
    gather(files, &repeated, config)
}

/// The tables of the files read and of those set aside, in corpus order.
fn gather(
    files: Vec<std::result::Result<(&Transcript, ParsedFile), Refusal>>,
    repeated: &furniture::Repeated,
    config: &Config,
) -> Result<Ingest> {
    let mut rec = RecordColumns::default();
    let mut rep = RepairColumns::default();
    let mut warn = (Vec::new(), Vec::new(), Vec::new());
    let mut rows = Vec::new();
    for (meta, file) in config.corpus.files.iter().zip(files) {
        let (t, file) = match file {
            Ok(f) => f,
            Err(refusal) => {
                rows.push(coverage::FileRow::set_aside(
                    meta,
                    refusal.error,
                    refusal.kept_share,
                ));
                continue;
            }
        };
        let ParsedFile {
            speaker,
            genre,
            parsed,
            facts,
        } = file;
        rows.push(coverage::FileRow::read(meta, facts));
        for (i, r) in parsed.records.iter().enumerate() {
            rec.push(t.meta, i + 1, r, &speaker, genre, &config.corpus);
        }
        for r in &parsed.repairs {
            rep.push(&t.meta.file, r, repeated);
        }
        for w in &parsed.warnings {
            warn.0.push(t.meta.file.clone());
            warn.1.push(w.line as u32);
            warn.2.push(w.message.clone());
        }
    }
    let answers = rec.into_frame()?;
    let repairs = rep.into_frame()?;
    let warnings = df!("source" => warn.0, "line" => warn.1, "message" => warn.2)?;
    let coverage = coverage::coverage(
        &rows,
        &config.corpus.manifest,
        &config.layout,
        config.analysis.time.period,
        &answers,
        &repairs,
        &warnings,
    )?;
    Ok(Ingest {
        answers,
        repairs,
        warnings,
        coverage,
    })
}

/// The columns of repairs.csv. A line of repeated furniture is logged once,
/// where it is first dropped, with the number of files it stands in.
#[derive(Default)]
struct RepairColumns {
    source: Vec<String>,
    line: Vec<u32>,
    action: Vec<&'static str>,
    detail: Vec<String>,
    furniture_seen: std::collections::HashSet<String>,
}

impl RepairColumns {
    fn push(&mut self, file: &str, r: &layout::Repair, repeated: &furniture::Repeated) {
        let detail = if r.action == RepairAction::DropRepeatedFurniture {
            if !self.furniture_seen.insert(r.detail.clone()) {
                return;
            }
            format!(
                "{} (at the start or end of {} files; dropped wherever it stands)",
                r.detail,
                repeated.files(&r.detail)
            )
        } else {
            r.detail.clone()
        };
        self.source.push(file.to_string());
        self.line.push(r.line as u32);
        self.action.push(r.action.as_str());
        self.detail.push(detail);
    }

    fn into_frame(self) -> Result<DataFrame> {
        Ok(df!(
            "source" => self.source, "line" => self.line,
            "action" => self.action, "detail" => self.detail
        )?)
    }
}

/// The layout bound to the names a text's answers stand under (see
/// [`Layout::for_speakers`]): its speaker and its briefing headers'.
pub fn bind(layout: &Layout, speaker: &str, text: &str) -> Layout {
    layout.for_speakers(&answer_names(speaker, text, layout))
}

/// One file's text as [`run`] reads each transcript, without a corpus
/// around it: its records, and the share of its Chinese characters that
/// reached one. `bound` is the layout [`bind`] gives for the text;
/// `junction` scores the continuations of its cut paragraphs. The entry
/// point of the property tests and of the cargo-fuzz target (fuzz/).
pub fn read_text(text: &str, bound: &Layout, junction: &junction::Junction) -> (Parsed, f64) {
    let parsed = layout::parse(text, bound, junction, &[], &furniture::Repeated::default());
    let kept = Kept::of(text, &parsed).share;
    (parsed, kept)
}

/// One file's bytes read as [`run`] reads them: decoded (an error says why
/// not), made plain Simplified text ([`forms`]), then [`read_text`]; the
/// plain text comes back with the records.
pub fn read_bytes(
    bytes: &[u8],
    speaker: &str,
    layout: &Layout,
    converter: &forms::Converter,
    jieba: &jieba_rs::Jieba,
) -> std::result::Result<(String, Parsed, f64), String> {
    let (text, _) = decode(bytes)?;
    let (text, _) = converter.plain(&text, &layout.forms);
    let junction = junction::Junction::new(jieba, &text);
    let (parsed, kept) = read_text(&text, &bind(layout, speaker, &text), &junction);
    Ok((text, parsed, kept))
}
