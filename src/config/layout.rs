//! `data/layout.toml`: the cues by which the ingest recognises the parts of a
//! transcript (speakers, page furniture, captions, sidebars), the sentence
//! ends, and the weights of the repair of cut paragraphs.

use std::path::Path;

use regex::Regex;
use serde::Deserialize;

use super::{line_of_key, parse_toml, read_or};
use crate::error::{Error, Result};
use crate::text::Sentences;

/// The layout cues shipped with the tool, used where the data folder has none.
pub const DEFAULT_LAYOUT: &str = include_str!("../../data/layout.toml");

/// A sample name that speaker patterns are checked with; [`Layout::for_speakers`]
/// binds the real one.
const SAMPLE_SPEAKER: &str = "王毅";

/// The keys whose patterns may hold `{speaker}` ([`Layout::for_speakers`]
/// binds it there); in any other key it is refused, naming the line, rather
/// than left to mean the sample name.
const SPEAKER_KEYS: [&str; 5] = [
    "answer",
    "question_openers",
    "answer_openers",
    "reported",
    "framing",
];

/// A pattern of `key` compiled, `{speaker}` bound to the sample name where
/// the key binds it ([`SPEAKER_KEYS`]) and refused elsewhere; an error names
/// the key's line.
fn compile(path: &Path, text: &str, key: &str, src: &str) -> Result<Regex> {
    if src.contains("{speaker}") && !SPEAKER_KEYS.contains(&key) {
        return Err(Error::input(
            path,
            line_of_key(text, key),
            format!(
                "'{key}' holds {{speaker}}, which stands for the speaker only in {}",
                SPEAKER_KEYS.join(", ")
            ),
        ));
    }
    Regex::new(&bind_speaker(src, &[SAMPLE_SPEAKER.to_string()])).map_err(|e| {
        Error::input(
            path,
            line_of_key(text, key),
            format!("bad pattern in '{key}': {e}"),
        )
    })
}

/// The pattern that `{speaker}` stands for, given the names a transcript's
/// answers may stand under: the first `{speaker}` of a pattern captures the
/// name said as `who` (whose words a labelled turn is), any later one only
/// matches. Parsing checks every pattern bound this way, so that binding the
/// real names cannot fail.
fn bind_speaker(src: &str, names: &[String]) -> String {
    let alternatives: Vec<String> = names.iter().map(|n| regex::escape(n)).collect();
    let alternatives = alternatives.join("|");
    let first = format!("(?P<who>{alternatives})");
    let rest = format!("(?:{alternatives})");
    match src.split_once("{speaker}") {
        Some((head, tail)) => format!("{head}{first}{}", tail.replace("{speaker}", &rest)),
        None => src.to_string(),
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
    reply: String,
    label: String,
    reported: Vec<String>,
    statement: Vec<String>,
    briefing_header: Vec<String>,
    separator: Vec<String>,
    speaker_titles: Vec<String>,
    other_speaker: String,
    timestamp: String,
    sidebar_mark: String,
    furniture: Vec<String>,
    furniture_suffix: Vec<String>,
    caption: Vec<String>,
    lede: Vec<String>,
    framing: Vec<String>,
    title: Vec<String>,
    headline_max_chars: usize,
    sentence_end: String,
    closers: String,
    clause_end: String,
    min_kept_share: f64,
    partial_year_below: f64,
    repeated_furniture: RepeatedFurniture,
    repair: RepairWeights,
    forms: Forms,
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

/// When a line repeated across files is page furniture (see `data/layout.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepeatedFurniture {
    pub edge_lines: usize,
    pub min_files: usize,
    pub min_share: f64,
}

/// How text forms are recognised and turned into plain Simplified text (see
/// `[forms]` in `data/layout.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Forms {
    pub traditional_min_share: f64,
    pub html_min_tags: usize,
    pub html_breaks: Vec<String>,
    pub html_skip: Vec<String>,
    /// A saved page without `<h1>` has its `<title>` put before its article
    /// where the title holds one of these.
    pub title_cues: Vec<String>,
}

/// The layout cues with their patterns compiled. Speaker patterns hold the
/// `{speaker}` placeholder until [`Layout::for_speakers`] fills it in.
#[derive(Debug, Clone)]
pub struct Layout {
    pub reporter: Regex,
    pub answer: Regex,
    pub question_openers: Vec<Regex>,
    pub answer_openers: Vec<Regex>,
    pub reply: Regex,
    /// A turn under a name of two or three characters ("华春莹：…"): the
    /// answer to a question that awaits one, whoever the headers name.
    pub label: Regex,
    pub reported: Vec<Regex>,
    pub statement: Vec<Regex>,
    pub briefing_header: Vec<Regex>,
    pub separator: Vec<Regex>,
    pub speaker_titles: Vec<Regex>,
    pub other_speaker: Regex,
    pub timestamp: Regex,
    pub sidebar_mark: String,
    pub furniture: Vec<Regex>,
    pub furniture_suffix: Vec<Regex>,
    pub caption: Vec<Regex>,
    pub lede: Vec<Regex>,
    pub framing: Vec<Regex>,
    pub title: Vec<Regex>,
    pub headline_max_chars: usize,
    pub sentences: Sentences,
    pub min_kept_share: f64,
    /// A year of many dated files holding less than this share of a typical
    /// year's briefings is partial.
    pub partial_year_below: f64,
    pub repeated_furniture: RepeatedFurniture,
    pub repair: RepairWeights,
    pub forms: Forms,
    answer_src: String,
    question_openers_src: Vec<String>,
    answer_openers_src: Vec<String>,
    reported_src: Vec<String>,
    framing_src: Vec<String>,
}

impl Layout {
    /// Reads the layout cues; without the file, the built-in copy of `data/layout.toml`.
    pub fn load(path: &Path) -> Result<Layout> {
        Layout::parse(path, &read_or(path, DEFAULT_LAYOUT)?)
    }

    /// Parses and compiles the cues; `path` names the file in messages.
    pub fn parse(path: &Path, text: &str) -> Result<Layout> {
        let file: LayoutFile = parse_toml(path, text)?;
        let compile = |key: &str, src: &str| compile(path, text, key, src);
        let compile_all = |key: &str, srcs: &[String]| -> Result<Vec<Regex>> {
            srcs.iter().map(|s| compile(key, s)).collect()
        };
        if file.sidebar_mark.is_empty() {
            return Err(Error::input(path, None, "'sidebar_mark' is empty"));
        }
        if !(0.0..=1.0).contains(&file.min_kept_share) {
            return Err(Error::input(
                path,
                line_of_key(text, "min_kept_share"),
                "'min_kept_share' must lie between 0 and 1",
            ));
        }
        if !(0.0..=1.0).contains(&file.partial_year_below) {
            return Err(Error::input(
                path,
                line_of_key(text, "partial_year_below"),
                "'partial_year_below' must lie between 0 and 1",
            ));
        }
        if file.repeated_furniture.min_files < 2
            || !(0.0..=1.0).contains(&file.repeated_furniture.min_share)
        {
            return Err(Error::input(
                path,
                line_of_key(text, "min_files"),
                "[repeated_furniture] needs min_files of 2 or more and min_share between 0 and 1",
            ));
        }
        if file.sentence_end.is_empty() {
            return Err(Error::input(
                path,
                line_of_key(text, "sentence_end"),
                "'sentence_end' is empty",
            ));
        }
        Ok(Layout {
            reporter: compile("reporter", &file.reporter)?,
            answer: compile("answer", &file.answer)?,
            question_openers: compile_all("question_openers", &file.question_openers)?,
            answer_openers: compile_all("answer_openers", &file.answer_openers)?,
            reply: compile("reply", &file.reply)?,
            label: compile("label", &file.label)?,
            reported: compile_all("reported", &file.reported)?,
            statement: compile_all("statement", &file.statement)?,
            briefing_header: compile_all("briefing_header", &file.briefing_header)?,
            separator: compile_all("separator", &file.separator)?,
            speaker_titles: compile_all("speaker_titles", &file.speaker_titles)?,
            other_speaker: compile("other_speaker", &file.other_speaker)?,
            timestamp: compile("timestamp", &file.timestamp)?,
            sidebar_mark: file.sidebar_mark,
            furniture: compile_all("furniture", &file.furniture)?,
            furniture_suffix: compile_all("furniture_suffix", &file.furniture_suffix)?,
            caption: compile_all("caption", &file.caption)?,
            lede: compile_all("lede", &file.lede)?,
            framing: compile_all("framing", &file.framing)?,
            title: compile_all("title", &file.title)?,
            headline_max_chars: file.headline_max_chars,
            sentences: Sentences::new(&file.sentence_end, &file.closers, &file.clause_end),
            min_kept_share: file.min_kept_share,
            partial_year_below: file.partial_year_below,
            repeated_furniture: file.repeated_furniture,
            repair: file.repair,
            forms: file.forms,
            answer_src: file.answer,
            question_openers_src: file.question_openers,
            answer_openers_src: file.answer_openers,
            reported_src: file.reported,
            framing_src: file.framing,
        })
    }

    /// The cues with `{speaker}` bound to the names a transcript's answers
    /// may stand under: its speaker, and the spokespersons its briefing
    /// headers name (a file of briefings has several).
    pub fn for_speakers(&self, names: &[String]) -> Layout {
        let bind = |src: &str| {
            Regex::new(&bind_speaker(src, names))
                .expect("pattern compiled with a sample speaker, and the names are escaped")
        };
        Layout {
            answer: bind(&self.answer_src),
            question_openers: self.question_openers_src.iter().map(|s| bind(s)).collect(),
            answer_openers: self.answer_openers_src.iter().map(|s| bind(s)).collect(),
            reported: self.reported_src.iter().map(|s| bind(s)).collect(),
            framing: self.framing_src.iter().map(|s| bind(s)).collect(),
            ..self.clone()
        }
    }

    /// The cues bound to one speaker (see [`Layout::for_speakers`]).
    pub fn for_speaker(&self, speaker: &str) -> Layout {
        self.for_speakers(&[speaker.to_string()])
    }

    /// The spokespersons that the briefing headers of a text name, in order
    /// of first appearance.
    pub fn header_names(&self, text: &str) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for line in text.lines() {
            let caps = self
                .briefing_header
                .iter()
                .find_map(|p| p.captures(line.trim()));
            if let Some(name) = caps.and_then(|c| c.name("name")) {
                if !names.iter().any(|n| n == name.as_str()) {
                    names.push(name.as_str().to_string());
                }
            }
        }
        names
    }
}
