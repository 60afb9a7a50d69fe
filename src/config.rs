//! The researcher-editable files under `data/`: the corpus manifest, the layout
//! cues and the manual overrides.
//!
//! They are data, not code, so that a new transcript, a new kind of page furniture
//! or a correction needs no Rust. Unknown keys are errors (a misspelt key would
//! otherwise be ignored in silence) and every error names the file and line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use regex::Regex;
use serde::Deserialize;

use crate::error::{Error, Result};

/// The folder layout under `--data`.
#[derive(Debug, Clone)]
pub struct DataDir {
    pub root: PathBuf,
}

impl DataDir {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        DataDir { root: root.into() }
    }
    pub fn transcripts(&self) -> PathBuf {
        self.root.join("transcripts")
    }
    pub fn manifest(&self) -> PathBuf {
        self.root.join("corpus.toml")
    }
    pub fn layout(&self) -> PathBuf {
        self.root.join("layout.toml")
    }
    pub fn overrides(&self) -> PathBuf {
        self.root.join("overrides.toml")
    }
    pub fn userdict(&self) -> PathBuf {
        self.root.join("dict").join("userdict.txt")
    }
    pub fn stopwords(&self) -> PathBuf {
        self.root.join("dict").join("stopwords.txt")
    }
    pub fn topics(&self) -> PathBuf {
        self.root.join("topics.toml")
    }
    pub fn lexicon(&self, name: &str) -> PathBuf {
        self.root.join("lexicons").join(format!("{name}.txt"))
    }
    pub fn glossary(&self) -> PathBuf {
        self.root.join("glossary.csv")
    }
    pub fn analysis(&self) -> PathBuf {
        self.root.join("analysis.toml")
    }
}

/// The file's text, or `default` where the file does not exist (the data files
/// are built into the binary too).
pub fn read_or(path: &Path, default: &str) -> Result<String> {
    if path.exists() {
        std::fs::read_to_string(path).map_err(|e| Error::io(path, e))
    } else {
        Ok(default.to_string())
    }
}

/// Lines of a word list, without blanks and `#` comments (also after a term),
/// with their numbers.
pub fn entries(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.split('#').next().unwrap_or_default().trim()))
        .filter(|(_, l)| !l.is_empty())
}

/// A register lexicon: `data/lexicons/<name>.txt`, one term per line.
#[derive(Debug, Clone)]
pub struct Lexicon {
    pub name: &'static str,
    /// Normalised like the text they are matched against.
    pub terms: Vec<String>,
}

/// The lexicons of the register index and their built-in defaults.
pub const LEXICONS: [(&str, &str); 2] = [
    ("hardline", include_str!("../data/lexicons/hardline.txt")),
    (
        "conciliatory",
        include_str!("../data/lexicons/conciliatory.txt"),
    ),
];

/// Reads the register lexicons (the built-in ones where the data folder has none).
pub fn load_lexicons(data: &DataDir) -> Result<Vec<Lexicon>> {
    LEXICONS
        .iter()
        .map(|(name, default)| {
            let path = data.lexicon(name);
            let text = read_or(&path, default)?;
            let mut terms: Vec<String> = Vec::new();
            for (line, term) in entries(&text) {
                let term = crate::segment::normalise(term);
                if terms.contains(&term) {
                    return Err(Error::input(
                        &path,
                        Some(line),
                        format!("'{term}' is listed twice"),
                    ));
                }
                terms.push(term);
            }
            if terms.is_empty() {
                return Err(Error::input(&path, None, "the lexicon has no terms"));
            }
            Ok(Lexicon { name, terms })
        })
        .collect()
}

fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| Error::io(path, e))
}

/// The layout cues shipped with the tool, used where the data folder has none.
pub const DEFAULT_LAYOUT: &str = include_str!("../data/layout.toml");

fn parse_toml<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<(T, String)> {
    let text = read_text(path)?;
    parse_toml_text(path, text)
}

fn parse_toml_text<T: for<'de> Deserialize<'de>>(path: &Path, text: String) -> Result<(T, String)> {
    let value = toml::from_str(&text).map_err(|e| Error::toml(path, &text, &e))?;
    Ok((value, text))
}

/// `data/corpus.toml`.
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
}

/// The manifest, keyed by file name.
#[derive(Debug, Default)]
pub struct Manifest {
    pub default_speaker: String,
    pub entries: BTreeMap<String, Entry>,
    /// Line of each entry in the manifest, for messages.
    pub lines: BTreeMap<String, usize>,
}

/// The minister of the seeds; used when the manifest names no speaker at all.
const FALLBACK_SPEAKER: &str = "王毅";

impl Manifest {
    /// Reads the manifest; a missing manifest is an empty one (every transcript
    /// then takes the default speaker).
    pub fn load(path: &Path) -> Result<Manifest> {
        if !path.exists() {
            return Ok(Manifest {
                default_speaker: FALLBACK_SPEAKER.into(),
                ..Manifest::default()
            });
        }
        let (file, text): (ManifestFile, String) = parse_toml(path)?;
        let mut entries = BTreeMap::new();
        let mut lines = BTreeMap::new();
        for spanned in file.transcript {
            let line = crate::error::line_of(&text, spanned.span().start);
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
            lines.insert(entry.file.clone(), line);
            entries.insert(entry.file.clone(), entry);
        }
        let default_speaker = file
            .defaults
            .speaker
            .unwrap_or_else(|| FALLBACK_SPEAKER.into());
        Ok(Manifest {
            default_speaker,
            entries,
            lines,
        })
    }

    pub fn speaker_for(&self, file: &str) -> &str {
        self.entries
            .get(file)
            .and_then(|e| e.speaker.as_deref())
            .unwrap_or(&self.default_speaker)
    }
}

/// `data/layout.toml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LayoutFile {
    reporter: String,
    answer: String,
    question_openers: Vec<String>,
    answer_openers: Vec<String>,
    other_speaker: String,
    timestamp: String,
    sidebar_mark: String,
    furniture: Vec<String>,
    furniture_suffix: Vec<String>,
    caption: Vec<String>,
    lede: Vec<String>,
    title: Vec<String>,
    headline_max_chars: usize,
    sentence_end: String,
    closers: String,
    repair: RepairWeights,
}

/// Points that decide which paragraph continues a cut one (see `data/layout.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepairWeights {
    pub adjacent: f64,
    pub stranded: f64,
    pub dictionary_word: f64,
    pub corpus_ngram: f64,
    pub min_score: f64,
    pub duplicate_min_chars: usize,
}

/// The layout cues with their patterns compiled. Speaker patterns hold the
/// `{speaker}` placeholder until [`Layout::for_speaker`] fills it in.
#[derive(Debug, Clone)]
pub struct Layout {
    pub reporter: Regex,
    pub answer: Regex,
    pub question_openers: Vec<Regex>,
    pub answer_openers: Vec<Regex>,
    pub other_speaker: Regex,
    pub timestamp: Regex,
    pub sidebar_mark: String,
    pub furniture: Vec<Regex>,
    pub furniture_suffix: Vec<Regex>,
    pub caption: Vec<Regex>,
    pub lede: Vec<Regex>,
    pub title: Vec<Regex>,
    pub headline_max_chars: usize,
    pub sentence_end: String,
    pub closers: String,
    pub repair: RepairWeights,
    answer_src: String,
    answer_openers_src: Vec<String>,
}

impl Layout {
    /// Reads the layout cues; without the file, the built-in copy of `data/layout.toml`.
    pub fn load(path: &Path) -> Result<Layout> {
        let (file, text): (LayoutFile, String) = if path.exists() {
            parse_toml(path)?
        } else {
            parse_toml_text(path, DEFAULT_LAYOUT.to_string())?
        };
        let compile = |key: &str, src: &str| -> Result<Regex> {
            let line = text
                .lines()
                .position(|l| l.trim_start().starts_with(key))
                .map(|i| i + 1);
            // Checked with a sample name; `for_speaker` binds the real one.
            Regex::new(&src.replace("{speaker}", FALLBACK_SPEAKER))
                .map_err(|e| Error::input(path, line, format!("bad pattern in '{key}': {e}")))
        };
        let compile_all = |key: &str, srcs: &[String]| -> Result<Vec<Regex>> {
            srcs.iter().map(|s| compile(key, s)).collect()
        };
        if file.sidebar_mark.is_empty() {
            return Err(Error::input(path, None, "'sidebar_mark' is empty"));
        }
        Ok(Layout {
            reporter: compile("reporter", &file.reporter)?,
            answer: compile("answer", &file.answer)?,
            question_openers: compile_all("question_openers", &file.question_openers)?,
            answer_openers: compile_all("answer_openers", &file.answer_openers)?,
            other_speaker: compile("other_speaker", &file.other_speaker)?,
            timestamp: compile("timestamp", &file.timestamp)?,
            sidebar_mark: file.sidebar_mark,
            furniture: compile_all("furniture", &file.furniture)?,
            furniture_suffix: compile_all("furniture_suffix", &file.furniture_suffix)?,
            caption: compile_all("caption", &file.caption)?,
            lede: compile_all("lede", &file.lede)?,
            title: compile_all("title", &file.title)?,
            headline_max_chars: file.headline_max_chars,
            sentence_end: file.sentence_end,
            closers: file.closers,
            repair: file.repair,
            answer_src: file.answer,
            answer_openers_src: file.answer_openers,
        })
    }

    /// The cues with `{speaker}` bound to one transcript's speaker.
    pub fn for_speaker(&self, speaker: &str) -> Layout {
        let bind = |src: &str| {
            Regex::new(&src.replace("{speaker}", &regex::escape(speaker)))
                .expect("pattern compiled with a sample speaker, and the name is escaped")
        };
        Layout {
            answer: bind(&self.answer_src),
            answer_openers: self.answer_openers_src.iter().map(|s| bind(s)).collect(),
            ..self.clone()
        }
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
    pub fn load(path: &Path) -> Result<Overrides> {
        if !path.exists() {
            return Ok(Overrides::default());
        }
        parse_toml(path).map(|(overrides, _)| overrides)
    }
}

/// `data/analysis.toml`: the settings of the shifts stage and the KWIC evidence.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Analysis {
    pub keyness: KeynessSettings,
    pub bootstrap: BootstrapSettings,
    pub kwic: KwicSettings,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeynessSettings {
    pub min_count: u32,
    pub alpha0: f64,
    pub kinds: Vec<String>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BootstrapSettings {
    pub replicates: u32,
    pub seed: u64,
    pub level: f64,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KwicSettings {
    pub window: usize,
    pub top: usize,
}

/// The analysis settings shipped with the tool, used where the data folder has none.
pub const DEFAULT_ANALYSIS: &str = include_str!("../data/analysis.toml");

impl Analysis {
    pub fn load(path: &Path) -> Result<Analysis> {
        let text = read_or(path, DEFAULT_ANALYSIS)?;
        let (a, text): (Analysis, String) = parse_toml_text(path, text)?;
        let line = |key: &str| {
            text.lines()
                .position(|l| l.trim_start().starts_with(key))
                .map(|i| i + 1)
        };
        let fail = |key: &str, msg: &str| Err(Error::input(path, line(key), msg.to_string()));
        if !(a.keyness.alpha0.is_finite() && a.keyness.alpha0 > 0.0) {
            return fail("alpha0", "alpha0 must be a positive number");
        }
        if let Some(k) = a
            .keyness
            .kinds
            .iter()
            .find(|k| !["unigram", "bigram", "tracked"].contains(&k.as_str()))
        {
            return fail(
                "kinds",
                &format!("unknown kind '{k}' (unigram, bigram, tracked)"),
            );
        }
        if a.bootstrap.replicates < 10 {
            return fail("replicates", "replicates must be at least 10");
        }
        if !(a.bootstrap.level > 0.0 && a.bootstrap.level < 1.0) {
            return fail("level", "level must lie between 0 and 1, e.g. 0.95");
        }
        Ok(a)
    }
}
