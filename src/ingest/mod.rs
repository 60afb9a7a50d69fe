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
//!   `summary` (a paragraph of reported speech) or `statement` (a briefing's
//!   announcement)
//! - `genre`: of the transcript (corpus.toml, or inferred): `verbatim`,
//!   `print`, `summary` or `briefing`
//! - `speaker`: whose words the answer is (corpus.toml, the text's own naming,
//!   or a briefing header's spokesperson)
//! - `outlet`: the asking media organisation as printed; empty where not said
//! - `headline`: the newspaper's headline over the item; for excerpts, the sidebar heading
//! - `question`, `answer`: the repaired text; paragraphs separated by a line break
//! - `chars`: characters of the answer, line breaks not counted
//! - `truncated`: `true` where the source lost part of the text (see repairs.csv)
//! - `source`, `line`: file and line where the record starts
//!
//! `repairs.csv` (`source`, `line`, `action`, `detail`): every change made to the text.
//! `warnings.csv` (`source`, `line`, `message`): what a researcher should check.
//! `coverage.csv`, one row per year from the first to the last transcript:
//! `year`, `date`, `source`, `status` (`ok` or `no transcript`), `genre`,
//! `questions` (records of kind answer), `questions_asked` (corpus.toml, from
//! press reports), `questions_share` (questions / questions_asked),
//! `excerpts`, `answer_chars`, `kept_share` (share of the file's Chinese
//! characters that reached a record), `dropped` (what did not, in characters
//! by repair action, and `labels`: speaker labels and framing),
//! `repeats_kept` (passages of `duplicate_min_chars` or more that a later
//! briefing of the same file says again word for word: kept as the
//! spokesperson's own repetition; within one conference or briefing such a
//! passage is a printing error, removed as `drop_duplicate`), `truncated`,
//! `repairs`, `warnings`, `notes`; empty, not zero, for years without a
//! transcript. A file below `min_kept_share` (layout.toml) stops the run.

mod assemble;
mod classify;
mod corrections;
mod coverage;
mod decode;
mod duplicates;
mod facts;
pub mod forms;
pub mod junction;
pub mod layout;
mod parsed;
#[cfg(test)]
mod props;
mod records;
mod repair;

pub use decode::decode;

use std::collections::HashMap;

use polars::prelude::*;
use rayon::prelude::*;

use crate::config::corpus::TranscriptFile;
use crate::config::layout::Layout;
use crate::config::Config;
use crate::error::Result;
use crate::store::Store;
use crate::table::{field, Schema, Ty::*};
use crate::vocab::{Category, Genre, RecordKind};
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
    field("date", Str),
    field("source", Str),
    field("status", Str),
    field("genre", Str),
    field("questions", U32),
    field("questions_asked", U32),
    field("questions_share", F64),
    field("excerpts", U32),
    field("answer_chars", U32),
    field("kept_share", F64),
    field("dropped", Str),
    field("repeats_kept", U32),
    field("truncated", U32),
    field("repairs", U32),
    field("warnings", U32),
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

    /// The warnings as lines to print, `file:line: message`. A message
    /// repeated for several lines of one file is printed once, with a count
    /// (warnings.csv keeps every line).
    pub fn warning_lines(&self, config: &Config) -> Result<Vec<String>> {
        let w = &self.warnings;
        let source = w.column("source")?.str()?;
        let line = w.column("line")?.u32()?;
        let message = w.column("message")?.str()?;
        let dir = config.root.join("transcripts");
        // (file, message, first line, count), in order of first appearance.
        let mut groups: Vec<(&str, &str, u32, usize)> = Vec::new();
        for i in 0..w.height() {
            let (s, m) = (
                source.get(i).unwrap_or_default(),
                message.get(i).unwrap_or_default(),
            );
            match groups.iter_mut().find(|g| g.0 == s && g.1 == m) {
                Some(g) => g.3 += 1,
                None => groups.push((s, m, line.get(i).unwrap_or(0), 1)),
            }
        }
        Ok(groups
            .into_iter()
            .map(|(s, m, l, n)| {
                let path = dir.join(s);
                match (l, n) {
                    (0, _) => format!("{}: {m}", path.display()),
                    (l, 1) => format!("{}:{l}: {m}", path.display()),
                    (l, n) => format!(
                        "{}:{l}: {m} ({n} lines like it; each is in tables/warnings.csv)",
                        path.display()
                    ),
                }
            })
            .collect())
    }
}

/// Reads, decodes and turns into plain Simplified text (see [`forms`]) the
/// transcripts, in date order.
fn read_all<'a>(files: &'a [TranscriptFile], config: &Config) -> Result<Vec<Transcript<'a>>> {
    let converter = forms::Converter::new()?;
    files
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
        .collect()
}

/// One transcript parsed: its records, repairs and warnings, and its facts.
struct ParsedFile<'a> {
    speaker: &'a str,
    genre: Genre,
    parsed: Parsed,
    facts: FileFacts,
}

/// Parses one transcript with the layout bound to its speaker, and checks
/// that enough of it was read.
fn parse_file<'a>(
    t: &Transcript,
    speaker: &'a str,
    recognised: bool,
    layout: &Layout,
    junction: &junction::Junction,
    config: &Config,
) -> Result<ParsedFile<'a>> {
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
    let mut parsed = layout::parse(&t.text, layout, junction, &file_overrides);
    check_dates(
        t.meta,
        entry.and_then(|e| e.session.as_deref()),
        &mut parsed,
    );
    let mut notes = t.notes.clone();
    if recognised && speaker != manifest.default_speaker {
        notes.push(format!(
            "the speaker is {speaker}, as the text names them (corpus.toml names no speaker for this file)"
        ));
    }
    let (genre, inferred) = match entry.and_then(|e| e.genre) {
        Some(g) => (g, false),
        None => (infer_genre(&parsed), true),
    };
    if inferred {
        notes.push(format!(
            "genre inferred as '{}' from the layout (set genre in corpus.toml)",
            genre.as_str()
        ));
    }
    if let Some(note) = undated_briefings(&parsed, t.meta) {
        notes.push(note);
    }
    for note in notes {
        parsed.warnings.push(layout::Warning {
            line: 0,
            message: note,
        });
    }
    let spoken = [
        RecordKind::Answer,
        RecordKind::Summary,
        RecordKind::Statement,
    ];
    if !parsed.records.iter().any(|r| spoken.contains(&r.kind)) {
        return Err(t.meta.error(
            None,
            "no question/answer structure found (expected lines such as '路透社记者：…' then '王毅：…', '有记者提问，…' then '王毅说，…', '问：…' then '答：…', or reported speech such as '王毅表示，…')",
        ));
    }
    let kept = Kept::of(&t.text, &parsed);
    if kept.share < layout.min_kept_share {
        return Err(t.meta.error(None, kept.refusal()));
    }
    Ok(ParsedFile {
        speaker,
        genre,
        facts: FileFacts {
            repeats_kept: parsed.repeats_kept as u32,
            genre,
            kept_share: kept.share,
            dropped: kept.breakdown(),
        },
        parsed,
    })
}

/// Runs the ingest over the corpus.
pub fn run(config: &Config) -> Result<Ingest> {
    let manifest = &config.corpus.manifest;
    let layout = &config.layout;
    let transcripts = read_all(&config.corpus.files, config)?;
    let corpus: String = transcripts
        .iter()
        .map(|t| t.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let junction = junction::Junction::new(&config.words.jieba, &corpus);

    // Each transcript's speaker, then one layout per distinct speaker: the
    // layout's regexes are compiled once, not once per file (a fifth of the
    // ingest at 400 files, by perf).
    let speakers: Vec<(String, bool)> = transcripts
        .par_iter()
        .map(|t| {
            match manifest
                .entries
                .get(&t.meta.file)
                .and_then(|e| e.speaker.as_deref())
            {
                Some(s) => (s.to_string(), false),
                None => match recognise_speaker(&t.text, layout) {
                    Some(s) => (s, true),
                    None => (manifest.default_speaker.clone(), false),
                },
            }
        })
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
    // their records gathered in corpus order; the first file (in that order)
    // that cannot be read stops the run, whatever the thread count.
    let parsed: Vec<Result<ParsedFile>> = transcripts
        .par_iter()
        .zip(&speakers)
        .zip(&names)
        .map(|((t, (speaker, recognised)), names)| {
            parse_file(
                t,
                speaker,
                *recognised,
                &layouts[names.as_slice()],
                &junction,
                config,
            )
        })
        .collect();
    let mut rec = RecordColumns::default();
    let mut rep = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut warn = (Vec::new(), Vec::new(), Vec::new());
    let mut facts = Vec::new();
    for (t, file) in transcripts.iter().zip(parsed) {
        let ParsedFile {
            speaker,
            genre,
            parsed,
            facts: file_facts,
        } = file?;
        facts.push(file_facts);
        for (i, r) in parsed.records.iter().enumerate() {
            rec.push(t.meta, i + 1, r, speaker, genre);
        }
        for r in &parsed.repairs {
            rep.0.push(t.meta.file.clone());
            rep.1.push(r.line as u32);
            rep.2.push(r.action.as_str());
            rep.3.push(r.detail.clone());
        }
        for w in &parsed.warnings {
            warn.0.push(t.meta.file.clone());
            warn.1.push(w.line as u32);
            warn.2.push(w.message.clone());
        }
    }
    let answers = rec.into_frame()?;
    let repairs = df!(
        "source" => rep.0, "line" => rep.1, "action" => rep.2, "detail" => rep.3
    )?;
    let warnings = df!("source" => warn.0, "line" => warn.1, "message" => warn.2)?;
    let coverage = coverage::coverage(
        &transcripts,
        &facts,
        manifest,
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
    let parsed = layout::parse(text, bound, junction, &[]);
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
