//! The corpus: the transcript files of `data/transcripts/`, what the manifest
//! `data/corpus.toml` says of them, and the corrections of `data/overrides.toml`.
//!
//! A transcript is named `YYYY-MM-DD_<slug>.txt`, the date of the press
//! conference first; the name is checked here, and the files are listed in date
//! order. Their text is read by the ingest, which decodes it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::parse_toml;
use crate::categories::Genre;
use crate::error::{line_of, Error, Result};

/// One transcript file, identified by its name.
#[derive(Debug, Clone)]
pub struct TranscriptFile {
    path: PathBuf,
    pub file: String,
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl TranscriptFile {
    pub fn date(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// The file's bytes.
    pub fn read(&self) -> Result<Vec<u8>> {
        std::fs::read(&self.path).map_err(|e| Error::io(&self.path, e))
    }

    /// An error about the file's content, naming the file.
    pub fn error(&self, line: Option<usize>, message: impl Into<String>) -> Error {
        Error::input(&self.path, line, message)
    }

    /// The file's path as a message shows it.
    pub fn shown(&self) -> String {
        self.path.display().to_string()
    }
}

/// `data/corpus.toml` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestFile {
    #[serde(default)]
    defaults: Defaults,
    #[serde(default)]
    transcript: Vec<toml::Spanned<Entry>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Defaults {
    speaker: Option<String>,
}

/// What the manifest says about one transcript.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub file: String,
    pub speaker: Option<String>,
    pub session: Option<String>,
    pub source: Option<String>,
    pub source_url: Option<String>,
    pub notes: Option<String>,
    /// One sentence for the reader of the report: how the transcript falls
    /// short of a complete record of its conference.
    pub caveat: Option<String>,
    /// What kind of text it is; inferred from the layout when absent.
    pub genre: Option<Genre>,
    /// How many questions the conference had, by press reports.
    pub questions_asked: Option<u32>,
}

/// The manifest, keyed by file name.
#[derive(Debug, Default)]
pub struct Manifest {
    pub default_speaker: String,
    pub entries: BTreeMap<String, Entry>,
}

/// The minister of the seeds; used when the manifest names no speaker at all.
const FALLBACK_SPEAKER: &str = "王毅";

impl Manifest {
    /// Parses the manifest; `path` names the file in messages. `files` are the
    /// transcripts found: an entry for a file that does not exist is an error.
    pub fn parse(path: &Path, text: &str, files: &[TranscriptFile]) -> Result<Manifest> {
        let file: ManifestFile = parse_toml(path, text)?;
        let mut entries = BTreeMap::new();
        for spanned in file.transcript {
            let line = line_of(text, spanned.span().start);
            let entry = spanned.into_inner();
            if entry.file.trim().is_empty() {
                return Err(Error::input(
                    path,
                    Some(line),
                    "transcript entry has an empty 'file'",
                ));
            }
            if entries.contains_key(&entry.file) {
                return Err(Error::input(
                    path,
                    Some(line),
                    format!("duplicate entry for '{}'", entry.file),
                ));
            }
            if !files.iter().any(|t| t.file == entry.file) {
                return Err(Error::input(
                    path,
                    Some(line),
                    format!(
                        "entry for '{}', but data/transcripts/ has no such file",
                        entry.file
                    ),
                ));
            }
            entries.insert(entry.file.clone(), entry);
        }
        let default_speaker = file
            .defaults
            .speaker
            .unwrap_or_else(|| FALLBACK_SPEAKER.into());
        Ok(Manifest {
            default_speaker,
            entries,
        })
    }

    pub fn speaker_for(&self, file: &str) -> &str {
        self.entries
            .get(file)
            .and_then(|e| e.speaker.as_deref())
            .unwrap_or(&self.default_speaker)
    }
}

/// One `[[drop]]` of `data/overrides.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DropOverride {
    pub file: String,
    pub text: String,
    pub reason: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overrides {
    #[serde(default)]
    pub drop: Vec<DropOverride>,
}

impl Overrides {
    /// Parses the overrides; an override for a file that does not exist is an error.
    pub fn parse(path: &Path, text: &str, files: &[TranscriptFile]) -> Result<Overrides> {
        let overrides: Overrides = parse_toml(path, text)?;
        for o in &overrides.drop {
            if !files.iter().any(|t| t.file == o.file) {
                return Err(Error::input(
                    path,
                    None,
                    format!("override for unknown file '{}'", o.file),
                ));
            }
        }
        Ok(overrides)
    }
}

/// The transcripts and what the manifest and the overrides say of them.
#[derive(Debug)]
pub struct Corpus {
    /// In date order.
    pub files: Vec<TranscriptFile>,
    pub manifest: Manifest,
    pub overrides: Overrides,
    /// `data/outlets.csv`: an outlet as printed -> the outlet it is.
    pub outlets: std::collections::BTreeMap<String, String>,
}

/// The outlet aliases shipped with the tool, used where the data folder has none.
pub const DEFAULT_OUTLETS: &str = include_str!("../../data/outlets.csv");

impl Corpus {
    /// The outlet a printed name stands for: its alias in `data/outlets.csv`,
    /// else the name as printed.
    pub fn outlet<'a>(&'a self, printed: &'a str) -> &'a str {
        self.outlets.get(printed).map_or(printed, String::as_str)
    }
}

impl Corpus {
    /// Lists `transcripts/` and reads the manifest and overrides beside it; a
    /// missing manifest or overrides file is an empty one.
    pub fn load(root: &Path) -> Result<Corpus> {
        let files = list(&root.join("transcripts"))?;
        let optional = |name: &str| -> Result<(PathBuf, String)> {
            let path = root.join(name);
            let text = super::read_or(&path, "")?;
            Ok((path, text))
        };
        let (path, text) = optional("corpus.toml")?;
        let manifest = Manifest::parse(&path, &text, &files)?;
        let (path, text) = optional("overrides.toml")?;
        let overrides = Overrides::parse(&path, &text, &files)?;
        let path = root.join("outlets.csv");
        let outlets = super::words::parse_pairs(
            &path,
            &super::read_or(&path, DEFAULT_OUTLETS)?,
            ["printed", "outlet"],
            str::to_string,
            "aliased",
        )?;
        Ok(Corpus {
            files,
            manifest,
            overrides,
            outlets,
        })
    }
}

/// Splits `YYYY-MM-DD_slug.txt` into a date; anything else is an error.
fn date_of(path: &Path, file: &str) -> Result<(i32, u32, u32)> {
    let bad = || {
        Error::input(
            path,
            None,
            "file name must start with the conference date, as in '2018-03-08_source.txt'",
        )
    };
    let stem = file.strip_suffix(".txt").ok_or_else(bad)?;
    let (date, slug) = stem.split_once('_').ok_or_else(bad)?;
    if slug.is_empty() {
        return Err(bad());
    }
    let parts: Vec<&str> = date.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return Err(bad());
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(bad());
    }
    let (year, month, day) = match (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>()) {
        (Ok(y), Ok(m), Ok(d)) => (y, m, d),
        _ => return Err(bad()),
    };
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    };
    if day == 0 || day > days_in_month {
        return Err(Error::input(
            path,
            None,
            format!("'{date}' in the file name is not a date"),
        ));
    }
    Ok((year, month, day))
}

/// The transcript files of `dir`, in date order.
fn list(dir: &Path) -> Result<Vec<TranscriptFile>> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let mut paths: Vec<PathBuf> = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || !entry.path().is_file() {
            continue;
        }
        paths.push(entry.path());
    }
    paths.sort();
    let mut out: Vec<TranscriptFile> = Vec::new();
    for path in paths {
        let file = path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (year, month, day) = date_of(&path, &file)?;
        if let Some(other) = out
            .iter()
            .find(|t| (t.year, t.month, t.day) == (year, month, day))
        {
            return Err(Error::input(
                &path,
                None,
                format!(
                    "a second transcript for {}: '{}' holds that date already",
                    other.date(),
                    other.file
                ),
            ));
        }
        out.push(TranscriptFile {
            path,
            file,
            year,
            month,
            day,
        });
    }
    if out.is_empty() {
        return Err(Error::input(
            dir,
            None,
            "no transcripts (files named YYYY-MM-DD_slug.txt)",
        ));
    }
    Ok(out)
}
