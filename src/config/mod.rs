//! Everything under `data/`, parsed and checked once, before any stage runs.
//!
//! The researcher-editable files are data, not code, so that a new transcript,
//! a new kind of page furniture, a topic, a stopword or a correction needs no
//! Rust. [`Config::load`] reads them all; a stage receives the parsed values and
//! never a path. Each file has a loader of two halves, as in ripgrep's config:
//! the path half reads the file (or takes the copy built into the binary where
//! the data folder has none), and `parse(path, text)` checks it, naming the file
//! and line of every fault. Unknown keys are errors: a misspelt key would
//! otherwise be ignored in silence.
//!
//! | file | parsed into |
//! |---|---|
//! | `corpus.toml`, `transcripts/`, `overrides.toml` | [`corpus::Corpus`] |
//! | `layout.toml` | [`layout::Layout`] |
//! | `topics.toml` | [`topics::Topics`] |
//! | `analysis.toml` | [`analysis::Analysis`] |
//! | `dict/userdict.txt`, `dict/stopwords.txt`, `lexicons/*.txt`, `glossary.csv` | [`words::Words`] |

pub mod analysis;
pub mod corpus;
pub mod layout;
pub mod topics;
pub mod words;

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};

pub use analysis::Analysis;
pub use corpus::Corpus;
pub use layout::Layout;
pub use topics::Topics;
pub use words::Words;

/// Everything under the data folder, parsed.
pub struct Config {
    /// The data folder, for messages that point a researcher at a file.
    pub root: PathBuf,
    pub corpus: Corpus,
    pub layout: Layout,
    pub topics: Topics,
    pub analysis: Analysis,
    pub words: Words,
}

impl Config {
    /// Reads and checks every file of the data folder.
    pub fn load(root: &Path) -> Result<Config> {
        Ok(Config {
            root: root.to_path_buf(),
            corpus: Corpus::load(root)?,
            layout: Layout::load(&root.join("layout.toml"))?,
            topics: Topics::load(&root.join("topics.toml"))?,
            analysis: Analysis::load(&root.join("analysis.toml"))?,
            words: Words::load(root)?,
        })
    }
}

/// The file's text, or `default` where the file does not exist (the data files
/// are built into the binary too).
fn read_or(path: &Path, default: &str) -> Result<String> {
    if path.exists() {
        std::fs::read_to_string(path).map_err(|e| Error::io(path, e))
    } else {
        Ok(default.to_string())
    }
}

/// Lines of a word list, without blanks and `#` comments (also after a term),
/// with their numbers.
fn entries(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.split('#').next().unwrap_or_default().trim()))
        .filter(|(_, l)| !l.is_empty())
}

/// Parses TOML text; `path` names the file in messages.
fn parse_toml<T: for<'de> Deserialize<'de>>(path: &Path, text: &str) -> Result<T> {
    toml::from_str(text).map_err(|e| Error::toml(path, text, &e))
}

/// The 1-based line where `key` is set, for messages about its value.
fn line_of_key(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| l.trim_start().starts_with(key))
        .map(|i| i + 1)
}
