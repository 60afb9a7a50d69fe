//! Stage 1, ingest: transcripts in `data/transcripts/` become a table of answers.
//!
//! Output tables (in `output/tables/`): `answers.csv` (one row per record, in
//! conference order within each year), `repairs.csv` (every change made to
//! the text), `warnings.csv` (what a researcher should check) and
//! `coverage.csv` (one row per transcript, and per year without one). Their
//! columns, in order, are documented once, in docs/outputs.md, which
//! `tests/cli/docs.rs` holds to their schemas ([`ANSWERS`], [`REPAIRS`],
//! [`WARNINGS`], [`COVERAGE`]). A file below
//! `min_kept_share` (layout.toml) is set aside; `--strict` stops the run.

mod assemble;
mod classify;
mod corrections;
mod coverage;
mod decode;
mod duplicates;
mod facts;
mod file;
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
mod speaker;
mod summary;

pub use coverage::COVERAGE;
pub use decode::decode;
use file::{parse_file, ParsedFile, Refusal};
pub use records::ANSWERS;
use speaker::{file_speaker, SpeakerFrom};
pub use summary::Summary;

use std::collections::HashMap;

use polars::prelude::*;
use rayon::prelude::*;

use crate::categories::{Category, RepairAction};
use crate::config::corpus::TranscriptFile;
use crate::config::layout::Layout;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::store::Store;
use coverage::Kept;
use facts::{answer_names, recognise_speaker};
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
        // The groups, in order of first appearance.
        let mut groups: Vec<WarningGroup> = Vec::new();
        for i in 0..w.height() {
            let (s, m) = (
                source.get(i).unwrap_or_default(),
                message.get(i).unwrap_or_default(),
            );
            let kind = warning_kind(m);
            match groups.iter_mut().find(|g| g.kind == kind) {
                Some(g) => {
                    g.instances += 1;
                    if !g.files.contains(&s) {
                        g.files.push(s);
                    }
                }
                None => groups.push(WarningGroup {
                    kind,
                    source: s,
                    line: line.get(i).unwrap_or(0),
                    message: m,
                    instances: 1,
                    files: vec![s],
                }),
            }
        }
        let kinds = groups.len();
        let mut lines: Vec<String> = groups
            .into_iter()
            .take(Self::MAX_KINDS)
            .map(|g| (g.source, g.line, g.message, g.instances, g.files))
            .map(|(s, l, m, n, files)| match (n, files.len()) {
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

/// The warnings of one kind, for the console: its first instance (file,
/// line, message), how many instances, and in which files.
struct WarningGroup<'w> {
    kind: String,
    source: &'w str,
    line: u32,
    message: &'w str,
    instances: usize,
    files: Vec<&'w str>,
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
    let mut rep = Repairs::default();
    let mut warn = WarningColumns::default();
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
            warn.source.push(t.meta.file.clone());
            warn.line.push(w.line as u32);
            warn.message.push(w.message.clone());
        }
    }
    let answers = rec.frame()?;
    let repairs = rep.columns.frame()?;
    let warnings = warn.frame()?;
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

crate::columns! {
    /// The columns of `repairs.csv`.
    pub const REPAIRS: &Schema;
    /// repairs.csv's columns as each file's repairs fill them.
    struct RepairColumns {
        source: String,
        line: u32,
        action: &'static str,
        detail: String,
    }
}

crate::columns! {
    /// The columns of `warnings.csv`.
    pub const WARNINGS: &Schema;
    /// warnings.csv's columns as each file's warnings fill them.
    struct WarningColumns {
        source: String,
        line: u32,
        message: String,
    }
}

/// The repairs of every file. A line of repeated furniture is logged once,
/// where it is first dropped, with the number of files it stands in.
#[derive(Default)]
struct Repairs {
    columns: RepairColumns,
    furniture_seen: std::collections::HashSet<String>,
}

impl Repairs {
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
        let c = &mut self.columns;
        c.source.push(file.to_string());
        c.line.push(r.line as u32);
        c.action.push(r.action.as_str());
        c.detail.push(detail);
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
