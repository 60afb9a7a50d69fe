//! Stage 2, segment: the segmenter, jieba-rs with the project's user dictionary.
//!
//! The user dictionary (`data/dict/userdict.txt`, jieba's `word [freq] [tag]`
//! format, one entry a line, `#` comments) keeps diplomatic set phrases whole
//! (一个中国原则, not 一个/中国/原则). The ingest uses the same segmenter to judge
//! where a sentence cut by the page layout continues.

use std::path::Path;

use jieba_rs::Jieba;

use crate::error::{Error, Result};

/// The user dictionary shipped with the tool, used where the data folder has none.
pub const DEFAULT_USERDICT: &str = include_str!("../data/dict/userdict.txt");

/// Builds the segmenter once: jieba's default dictionary plus the user dictionary
/// (the built-in one where `userdict` does not exist). A malformed line is
/// reported with its number and content.
pub fn load_jieba(userdict: &Path) -> Result<Jieba> {
    let mut jieba = Jieba::new();
    let text = if userdict.exists() {
        std::fs::read_to_string(userdict).map_err(|e| Error::io(userdict, e))?
    } else {
        DEFAULT_USERDICT.to_string()
    };
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.split_whitespace();
        let word = parts.next().unwrap_or_default();
        let freq = match parts.next() {
            None => None,
            Some(f) => Some(f.parse::<usize>().map_err(|_| {
                Error::input(
                    userdict,
                    Some(i + 1),
                    format!("frequency '{f}' is not a whole number in '{line}'"),
                )
            })?),
        };
        let tag = parts.next();
        if parts.next().is_some() {
            return Err(Error::input(
                userdict,
                Some(i + 1),
                format!("expected 'word [freq] [tag]', got '{line}'"),
            ));
        }
        jieba.add_word(word, freq, tag);
    }
    Ok(jieba)
}
