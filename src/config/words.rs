//! The word lists: the segmenter's user dictionary, the stopwords, the register
//! lexicons and the English glossary of the charts.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use jieba_rs::Jieba;
use serde::Deserialize;

use super::{entries, read_or};
use crate::error::{Error, Result};
use crate::text::normalise;
use crate::vocab::{Category, Stance};

/// The user dictionary shipped with the tool, used where the data folder has none.
pub const DEFAULT_USERDICT: &str = include_str!("../../data/dict/userdict.txt");
/// The stopword list shipped with the tool, used where the data folder has none.
pub const DEFAULT_STOPWORDS: &str = include_str!("../../data/dict/stopwords.txt");
/// The glossary shipped with the tool, used where the data folder has none.
pub const DEFAULT_GLOSSARY: &str = include_str!("../../data/glossary.csv");

/// The lexicons of the register index and their built-in defaults.
pub const LEXICONS: [(Stance, &str); 2] = [
    (
        Stance::Hardline,
        include_str!("../../data/lexicons/hardline.txt"),
    ),
    (
        Stance::Conciliatory,
        include_str!("../../data/lexicons/conciliatory.txt"),
    ),
];

/// A register lexicon: `data/lexicons/<name>.txt`, one term per line.
#[derive(Debug, Clone)]
pub struct Lexicon {
    pub stance: Stance,
    /// Normalised like the text they are matched against.
    pub terms: Vec<String>,
}

/// A context rule of the register lexicons (`data/lexicons/contexts.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContextRule {
    pub term: String,
    pub stance: Stance,
    /// The hit is not counted where one of these follows the term.
    #[serde(default)]
    pub unless_followed_by: Vec<String>,
    /// Phrases holding the term where the hit counts for `becomes`.
    #[serde(default)]
    pub within: Vec<String>,
    pub becomes: Option<Stance>,
    pub reason: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ContextsFile {
    #[serde(default)]
    rule: Vec<toml::Spanned<ContextRule>>,
}

/// The context rules shipped with the tool, used where the data folder has none.
pub const DEFAULT_CONTEXTS: &str = include_str!("../../data/lexicons/contexts.toml");

/// Parses and checks the context rules: each names a term of its stance's
/// lexicon, and either `unless_followed_by` or `within` with `becomes`.
pub fn parse_contexts(path: &Path, text: &str, lexicons: &[Lexicon]) -> Result<Vec<ContextRule>> {
    let file: ContextsFile = super::parse_toml(path, text)?;
    file.rule
        .into_iter()
        .map(|spanned| {
            let line = crate::error::line_of(text, spanned.span().start);
            let mut r = spanned.into_inner();
            r.term = normalise(&r.term);
            let fail = |m: String| Err(Error::input(path, Some(line), m));
            let in_lexicon = lexicons
                .iter()
                .any(|l| l.stance == r.stance && l.terms.contains(&r.term));
            if !in_lexicon {
                return fail(format!(
                    "'{}' is not in the {} lexicon",
                    r.term,
                    r.stance.as_str()
                ));
            }
            if r.unless_followed_by.is_empty() == r.within.is_empty() {
                return fail("a rule needs either 'unless_followed_by' or 'within'".into());
            }
            if !r.within.is_empty() && r.becomes.is_none() {
                return fail("a 'within' rule needs 'becomes'".into());
            }
            if let Some(w) = r.within.iter().find(|w| !w.contains(&r.term)) {
                return fail(format!("'{w}' does not hold '{}'", r.term));
            }
            Ok(r)
        })
        .collect()
}

/// The word lists, parsed; the segmenter built with the user dictionary.
pub struct Words {
    pub jieba: Jieba,
    pub stopwords: HashSet<String>,
    pub lexicons: Vec<Lexicon>,
    pub contexts: Vec<ContextRule>,
    /// Normalised phrase -> English gloss.
    pub glossary: BTreeMap<String, String>,
    /// Where the glossary is, for the warning that names unglossed phrases.
    pub glossary_path: PathBuf,
}

impl Words {
    pub fn load(root: &Path) -> Result<Words> {
        let userdict = root.join("dict").join("userdict.txt");
        let stopwords = root.join("dict").join("stopwords.txt");
        let glossary_path = root.join("glossary.csv");
        let lexicons = LEXICONS
            .iter()
            .map(|&(stance, default)| {
                let path = root
                    .join("lexicons")
                    .join(format!("{}.txt", stance.as_str()));
                parse_lexicon(&path, stance, &read_or(&path, default)?)
            })
            .collect::<Result<Vec<_>>>()?;
        let contexts_path = root.join("lexicons").join("contexts.toml");
        let contexts = parse_contexts(
            &contexts_path,
            &read_or(&contexts_path, DEFAULT_CONTEXTS)?,
            &lexicons,
        )?;
        Ok(Words {
            jieba: parse_userdict(&userdict, &read_or(&userdict, DEFAULT_USERDICT)?)?,
            stopwords: parse_stopwords(&read_or(&stopwords, DEFAULT_STOPWORDS)?),
            lexicons,
            contexts,
            glossary: parse_glossary(&glossary_path, &read_or(&glossary_path, DEFAULT_GLOSSARY)?)?,
            glossary_path,
        })
    }
}

/// Builds the segmenter: jieba's default dictionary plus the user dictionary
/// (jieba's `word [freq] [tag]` format, `#` comments). A malformed line is
/// reported with its number and content.
pub fn parse_userdict(path: &Path, text: &str) -> Result<Jieba> {
    let mut jieba = Jieba::new();
    for (line_no, line) in entries(text) {
        let mut parts = line.split_whitespace();
        let word = parts.next().unwrap_or_default();
        let freq = match parts.next() {
            None => None,
            Some(f) => Some(f.parse::<usize>().map_err(|_| {
                Error::input(
                    path,
                    Some(line_no),
                    format!("frequency '{f}' is not a whole number in '{line}'"),
                )
            })?),
        };
        let tag = parts.next();
        if parts.next().is_some() {
            return Err(Error::input(
                path,
                Some(line_no),
                format!("expected 'word [freq] [tag]', got '{line}'"),
            ));
        }
        jieba.add_word(word, freq, tag);
    }
    Ok(jieba)
}

/// The stopword list: one word per line.
pub fn parse_stopwords(text: &str) -> HashSet<String> {
    entries(text).map(|(_, w)| w.to_string()).collect()
}

/// A register lexicon: one term per line, none twice, at least one.
pub fn parse_lexicon(path: &Path, stance: Stance, text: &str) -> Result<Lexicon> {
    let mut terms: Vec<String> = Vec::new();
    for (line, term) in entries(text) {
        let term = normalise(term);
        if terms.contains(&term) {
            return Err(Error::input(
                path,
                Some(line),
                format!("'{term}' is listed twice"),
            ));
        }
        terms.push(term);
    }
    if terms.is_empty() {
        return Err(Error::input(path, None, "the lexicon has no terms"));
    }
    Ok(Lexicon { stance, terms })
}

/// `data/glossary.csv` (columns `phrase`, `en`); a bad row names its line.
pub fn parse_glossary(path: &Path, text: &str) -> Result<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = r
        .headers()
        .map_err(|e| Error::input(path, Some(1), e.to_string()))?
        .clone();
    if headers.iter().collect::<Vec<_>>() != ["phrase", "en"] {
        return Err(Error::input(
            path,
            Some(1),
            "expected the header 'phrase,en'",
        ));
    }
    let mut glossary = BTreeMap::new();
    for (i, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| Error::input(path, Some(i + 2), e.to_string()))?;
        let (Some(p), Some(en)) = (rec.get(0), rec.get(1)) else {
            return Err(Error::input(path, Some(i + 2), "expected two fields"));
        };
        if glossary
            .insert(normalise(p.trim()), en.trim().to_string())
            .is_some()
        {
            return Err(Error::input(
                path,
                Some(i + 2),
                format!("'{p}' is glossed twice"),
            ));
        }
    }
    Ok(glossary)
}
