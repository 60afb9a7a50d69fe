//! `data/topics.toml`: the topics, their cue terms and tracked phrases, and
//! how cue hits become a tag.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use super::read_or;
use crate::error::{line_of, Error, Result};
use crate::text::normalise;

/// The topic definitions shipped with the tool, used where the data folder has none.
pub const DEFAULT_TOPICS: &str = include_str!("../../data/topics.toml");

/// How many headline topics the overview figure has panels for.
pub const MAX_HEADLINE: usize = 6;

/// The topic id of rows that cover all answers of a year.
pub const ALL: &str = "all";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TopicsFile {
    scoring: Scoring,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    topic: Vec<toml::Spanned<TopicEntry>>,
}

/// How cue hits become a tag (see the module documentation).
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scoring {
    pub question_weight: f64,
    pub answer_weight: f64,
    pub min_score: f64,
    /// The score from which a record without a question or headline is
    /// tagged, its first sentence standing in for the question.
    pub unasked_min_score: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TopicEntry {
    id: String,
    zh: String,
    en: String,
    cues: Vec<Vec<String>>,
    #[serde(default)]
    phrases: Vec<String>,
    #[serde(default)]
    headline: bool,
}

/// One topic: its names, cue groups (first term names the group) and tracked phrases,
/// all normalised as the text they are matched against.
#[derive(Debug, Clone)]
pub struct Topic {
    pub id: String,
    pub zh: String,
    pub en: String,
    pub cues: Vec<Vec<String>>,
    pub phrases: Vec<String>,
    /// A headline topic: drawn in the overview figure and the register chart,
    /// and given a section of the report.
    pub headline: bool,
}

/// `data/topics.toml`, checked.
#[derive(Debug, Clone)]
pub struct Topics {
    pub scoring: Scoring,
    pub ignore: Vec<String>,
    pub topics: Vec<Topic>,
}

impl Topics {
    /// Reads the topic definitions (the built-in ones where `path` does not exist).
    pub fn load(path: &Path) -> Result<Topics> {
        Topics::parse(path, &read_or(path, DEFAULT_TOPICS)?)
    }

    /// Parses and checks topic definitions; `path` is only used in messages.
    /// The scoring is checked first, then each topic in file order, then the
    /// number of headline topics.
    pub fn parse(path: &Path, text: &str) -> Result<Topics> {
        let file: TopicsFile = toml::from_str(text).map_err(|e| Error::toml(path, text, &e))?;
        let s = file.scoring;
        check_scoring(path, text, &s)?;
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut topics = Vec::new();
        for spanned in file.topic {
            let line = line_of(text, spanned.span().start);
            topics.push(check_topic(path, line, spanned.into_inner(), &mut seen)?);
        }
        check_headlines(path, &topics)?;
        Ok(Topics {
            scoring: s,
            ignore: file.ignore.iter().map(|t| normalise(t.trim())).collect(),
            topics,
        })
    }

    /// The headline topics, in file order.
    pub fn headline(&self) -> impl Iterator<Item = &Topic> {
        self.topics.iter().filter(|t| t.headline)
    }

    /// Topic ids in file order.
    pub fn ids(&self) -> Vec<&str> {
        self.topics.iter().map(|t| t.id.as_str()).collect()
    }
}

/// `Ok` where `ok`, else an error of `path` at `line` saying `msg`.
fn check(path: &Path, ok: bool, line: usize, msg: String) -> Result<()> {
    if ok {
        Ok(())
    } else {
        Err(Error::input(path, Some(line), msg))
    }
}

/// The `[scoring]` weights and scores must be positive numbers; an error
/// names the line of `[scoring]`.
fn check_scoring(path: &Path, text: &str, s: &Scoring) -> Result<()> {
    let weights_ok = [
        s.question_weight,
        s.answer_weight,
        s.min_score,
        s.unasked_min_score,
    ]
    .iter()
    .all(|w| w.is_finite() && *w > 0.0);
    let scoring_line = text
        .lines()
        .position(|l| l.trim() == "[scoring]")
        .map_or(1, |i| i + 1);
    check(
        path,
        weights_ok,
        scoring_line,
        "[scoring] weights, min_score and unasked_min_score must be positive numbers".into(),
    )
}

/// One `[[topic]]` entry (at `line`), checked and normalised: its id (well
/// formed, not reserved, not seen before: `seen` maps the ids so far to
/// their lines), then its cues and phrases.
fn check_topic(
    path: &Path,
    line: usize,
    t: TopicEntry,
    seen: &mut HashMap<String, usize>,
) -> Result<Topic> {
    check_id(path, line, &t.id, seen)?;
    let cues: Vec<Vec<String>> = t
        .cues
        .iter()
        .map(|g| g.iter().map(|c| normalise(c.trim())).collect())
        .collect();
    check(
        path,
        !cues.is_empty(),
        line,
        format!("topic '{}' has an empty cue list", t.id),
    )?;
    for term in cues.iter().flatten().chain(&t.phrases) {
        check(
            path,
            !term.trim().is_empty(),
            line,
            format!("topic '{}' has an empty cue term or phrase", t.id),
        )?;
    }
    check(
        path,
        cues.iter().all(|g| !g.is_empty()),
        line,
        format!("topic '{}' has an empty cue group", t.id),
    )?;
    let mut phrases: Vec<String> = Vec::new();
    for p in &t.phrases {
        let p = normalise(p.trim());
        check(
            path,
            !phrases.contains(&p),
            line,
            format!("topic '{}' lists the phrase '{p}' twice", t.id),
        )?;
        phrases.push(p);
    }
    Ok(Topic {
        id: t.id,
        zh: t.zh,
        en: t.en,
        cues,
        phrases,
        headline: t.headline,
    })
}

/// A topic id is lowercase ASCII letters, digits or `_`, is not the
/// reserved [`ALL`], and is not in `seen` (which it joins).
fn check_id(path: &Path, line: usize, id: &str, seen: &mut HashMap<String, usize>) -> Result<()> {
    let id_ok = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    check(
        path,
        id_ok,
        line,
        format!("topic id '{id}' must be lowercase ASCII letters, digits or '_'"),
    )?;
    check(
        path,
        id != ALL,
        line,
        format!("topic id '{ALL}' is reserved for whole years"),
    )?;
    if let Some(first) = seen.insert(id.to_string(), line) {
        return Err(Error::input(
            path,
            Some(line),
            format!("duplicate topic id '{id}' (first defined on line {first})"),
        ));
    }
    Ok(())
}

/// There is at least one topic, and 1 to [`MAX_HEADLINE`] of them are
/// headline topics (the overview figure's panels).
fn check_headlines(path: &Path, topics: &[Topic]) -> Result<()> {
    if topics.is_empty() {
        return Err(Error::input(path, None, "no [[topic]] defined"));
    }
    let headlines = topics.iter().filter(|t| t.headline).count();
    if !(1..=MAX_HEADLINE).contains(&headlines) {
        return Err(Error::input(
            path,
            None,
            format!(
                "{headlines} topics have 'headline = true': the overview figure has \
                 room for 1 to {MAX_HEADLINE}"
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) const TOY: &str = r#"
ignore = ["印度洋"]
[scoring]
question_weight = 3
answer_weight = 1
min_score = 4
unasked_min_score = 3

[[topic]]
id = "india"
zh = "印度"
en = "India"
cues = [["印度", "中印"]]
phrases = ["边境"]

[[topic]]
id = "asean"
zh = "东盟"
en = "ASEAN"
cues = [["东盟"], ["印度尼西亚", "印尼"]]
headline = true
"#;

    #[test]
    fn bad_definitions_name_the_line() {
        let dup =
            format!("{TOY}\n[[topic]]\nid = \"india\"\nzh = \"x\"\nen = \"x\"\ncues = [[\"x\"]]\n");
        let err = Topics::parse(Path::new("topics.toml"), &dup)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("topics.toml:23: duplicate topic id 'india'"),
            "{err}"
        );
        let empty = TOY.replace(
            "cues = [[\"东盟\"], [\"印度尼西亚\", \"印尼\"]]",
            "cues = []",
        );
        let err = Topics::parse(Path::new("topics.toml"), &empty)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("topics.toml:16: topic 'asean' has an empty cue list"),
            "{err}"
        );
        let reserved = TOY.replace("id = \"asean\"", "id = \"all\"");
        assert!(Topics::parse(Path::new("t"), &reserved).is_err());
        let none = TOY.replace("headline = true", "");
        let err = Topics::parse(Path::new("t"), &none)
            .unwrap_err()
            .to_string();
        assert!(err.contains("0 topics have 'headline = true'"), "{err}");
    }

    #[test]
    fn shipped_topics_load() {
        let t = Topics::parse(Path::new("data/topics.toml"), DEFAULT_TOPICS).unwrap();
        for id in [
            "us",
            "japan",
            "taiwan",
            "south_china_sea",
            "russia",
            "europe",
            "india",
            "korean_peninsula",
            "middle_east",
            "ukraine",
            "africa",
            "latin_america",
            "asean",
            "un_multilateralism",
            "belt_and_road",
            "consular_protection",
            "economy_opening",
            "head_of_state_diplomacy",
            "global_governance",
            "covid_vaccines",
            "climate",
            "technology",
        ] {
            assert!(t.ids().contains(&id), "{id}");
        }
    }
}
