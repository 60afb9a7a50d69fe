//! Stage 3, topics: every answer is tagged with the topics its question asks
//! about, from the cue terms in `data/topics.toml`.
//!
//! Cues are found as literal strings in the normalised text, all topics at once
//! and longest match first (Aho-Corasick, leftmost-longest), so 印度尼西亚 is
//! Indonesia and never India, and 中欧班列 is the Belt and Road, not Europe. A
//! cue in the question or headline weighs `question_weight`, a cue in the answer
//! `answer_weight`; the topic is tagged when the sum reaches `min_score`.
//!
//! Output, `answer_topics.csv`, one row per record and topic with a cue found:
//! - `id`, `year`: the record in answers.csv
//! - `topic`: topic id from topics.toml
//! - `tagged`: `true` when the score reaches `min_score`
//! - `score`: question_weight × question hits + answer_weight × answer hits
//! - `question_hits`, `answer_hits`: cue occurrences in question+headline and in answer
//! - `question_cues`, `answer_cues`: the cue terms found, as `term count` pairs
//!   joined by `; `, most frequent first
//!
//! The stage also fills the `topics` column of answers.csv: the tagged topic ids
//! joined by `;`, highest score first.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use polars::prelude::*;
use serde::Deserialize;

use crate::error::{line_of, Error, Result};
use crate::segment::normalise;

/// The topic definitions shipped with the tool, used where the data folder has none.
pub const DEFAULT_TOPICS: &str = include_str!("../data/topics.toml");

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
        let text = if path.exists() {
            std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?
        } else {
            DEFAULT_TOPICS.to_string()
        };
        Topics::parse(path, &text)
    }

    /// Parses and checks topic definitions; `path` is only used in messages.
    pub fn parse(path: &Path, text: &str) -> Result<Topics> {
        let file: TopicsFile = toml::from_str(text).map_err(|e| Error::toml(path, text, &e))?;
        let check = |ok: bool, line: usize, msg: String| {
            if ok {
                Ok(())
            } else {
                Err(Error::input(path, Some(line), msg))
            }
        };
        let s = file.scoring;
        let weights_ok = [s.question_weight, s.answer_weight, s.min_score]
            .iter()
            .all(|w| w.is_finite() && *w > 0.0);
        let scoring_line = text
            .lines()
            .position(|l| l.trim() == "[scoring]")
            .map_or(1, |i| i + 1);
        check(
            weights_ok,
            scoring_line,
            "[scoring] weights and min_score must be positive numbers".into(),
        )?;
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut topics = Vec::new();
        for spanned in file.topic {
            let line = line_of(text, spanned.span().start);
            let t = spanned.into_inner();
            let id_ok = !t.id.is_empty()
                && t.id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            check(
                id_ok,
                line,
                format!(
                    "topic id '{}' must be lowercase ASCII letters, digits or '_'",
                    t.id
                ),
            )?;
            check(
                t.id != ALL,
                line,
                format!("topic id '{ALL}' is reserved for whole years"),
            )?;
            if let Some(first) = seen.insert(t.id.clone(), line) {
                return Err(Error::input(
                    path,
                    Some(line),
                    format!(
                        "duplicate topic id '{}' (first defined on line {first})",
                        t.id
                    ),
                ));
            }
            let cues: Vec<Vec<String>> = t
                .cues
                .iter()
                .map(|g| g.iter().map(|c| normalise(c.trim())).collect())
                .collect();
            check(
                !cues.is_empty(),
                line,
                format!("topic '{}' has an empty cue list", t.id),
            )?;
            for term in cues.iter().flatten().chain(&t.phrases) {
                check(
                    !term.trim().is_empty(),
                    line,
                    format!("topic '{}' has an empty cue term or phrase", t.id),
                )?;
            }
            check(
                cues.iter().all(|g| !g.is_empty()),
                line,
                format!("topic '{}' has an empty cue group", t.id),
            )?;
            let mut phrases: Vec<String> = Vec::new();
            for p in &t.phrases {
                let p = normalise(p.trim());
                check(
                    !phrases.contains(&p),
                    line,
                    format!("topic '{}' lists the phrase '{p}' twice", t.id),
                )?;
                phrases.push(p);
            }
            topics.push(Topic {
                id: t.id,
                zh: t.zh,
                en: t.en,
                cues,
                phrases,
            });
        }
        if topics.is_empty() {
            return Err(Error::input(path, None, "no [[topic]] defined"));
        }
        Ok(Topics {
            scoring: s,
            ignore: file.ignore.iter().map(|t| normalise(t.trim())).collect(),
            topics,
        })
    }

    /// Topic ids in file order.
    pub fn ids(&self) -> Vec<&str> {
        self.topics.iter().map(|t| t.id.as_str()).collect()
    }
}

/// Finds the cue terms of every topic in a text, longest match first.
pub struct Tagger {
    matcher: AhoCorasick,
    patterns: Vec<String>,
    /// Topics (indices into `Topics::topics`) of each pattern; empty for ignored terms.
    owners: Vec<Vec<usize>>,
}

/// Cue terms found in one text, per topic index: term -> occurrences.
pub type Hits = BTreeMap<usize, BTreeMap<String, u32>>;

impl Tagger {
    pub fn new(topics: &Topics) -> Result<Tagger> {
        let mut owners: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for term in &topics.ignore {
            owners.entry(term.clone()).or_default();
        }
        for (i, topic) in topics.topics.iter().enumerate() {
            for term in topic.cues.iter().flatten() {
                let o = owners.entry(term.clone()).or_default();
                if !o.contains(&i) {
                    o.push(i);
                }
            }
        }
        let (patterns, owners): (Vec<String>, Vec<Vec<usize>>) = owners.into_iter().unzip();
        let matcher = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .map_err(|e| Error::Table(format!("cue matcher: {e}")))?;
        Ok(Tagger {
            matcher,
            patterns,
            owners,
        })
    }

    /// The cue terms in `text` (already normalised), per topic.
    pub fn hits(&self, text: &str) -> Hits {
        let mut hits = Hits::new();
        for m in self.matcher.find_iter(text) {
            let p = m.pattern().as_usize();
            for &topic in &self.owners[p] {
                *hits
                    .entry(topic)
                    .or_default()
                    .entry(self.patterns[p].clone())
                    .or_default() += 1;
            }
        }
        hits
    }
}

/// What the topics stage produces.
pub struct Tagged {
    /// answers.csv with the `topics` column filled.
    pub answers: DataFrame,
    pub answer_topics: DataFrame,
}

fn describe(terms: Option<&BTreeMap<String, u32>>) -> (u32, String) {
    let Some(terms) = terms else {
        return (0, String::new());
    };
    let mut pairs: Vec<(&String, &u32)> = terms.iter().collect();
    pairs.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let text = pairs
        .iter()
        .map(|(t, n)| format!("{t} {n}"))
        .collect::<Vec<_>>()
        .join("; ");
    (terms.values().sum(), text)
}

/// Tags every record of the answers table (see the module documentation).
pub fn run(answers: &DataFrame, topics: &Topics) -> Result<Tagged> {
    let tagger = Tagger::new(topics)?;
    let s = topics.scoring;
    let ids = answers.column("id")?.str()?;
    let years = answers.column("year")?.i32()?;
    let headlines = answers.column("headline")?.str()?;
    let questions = answers.column("question")?.str()?;
    let texts = answers.column("answer")?.str()?;

    let mut rows: (Vec<String>, Vec<Option<i32>>, Vec<String>, Vec<bool>) = Default::default();
    let mut numbers: (Vec<f64>, Vec<u32>, Vec<u32>) = Default::default();
    let mut cues: (Vec<String>, Vec<String>) = Default::default();
    let mut topic_column = Vec::with_capacity(answers.height());
    for i in 0..answers.height() {
        let id = ids.get(i).unwrap_or_default();
        let asked = normalise(&format!(
            "{}\n{}",
            headlines.get(i).unwrap_or_default(),
            questions.get(i).unwrap_or_default()
        ));
        let q = tagger.hits(&asked);
        let a = tagger.hits(&normalise(texts.get(i).unwrap_or_default()));
        let found: HashSet<usize> = q.keys().chain(a.keys()).copied().collect();
        let mut scored: Vec<(f64, usize)> = Vec::new();
        for (t, topic) in topics.topics.iter().enumerate() {
            if !found.contains(&t) {
                continue;
            }
            let (qn, qc) = describe(q.get(&t));
            let (an, ac) = describe(a.get(&t));
            let score = s.question_weight * f64::from(qn) + s.answer_weight * f64::from(an);
            let tagged = score >= s.min_score;
            if tagged {
                scored.push((score, t));
            }
            rows.0.push(id.to_string());
            rows.1.push(years.get(i));
            rows.2.push(topic.id.clone());
            rows.3.push(tagged);
            numbers.0.push(score);
            numbers.1.push(qn);
            numbers.2.push(an);
            cues.0.push(qc);
            cues.1.push(ac);
        }
        // Highest score first; ties keep the file order of topics.toml.
        scored.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
        topic_column.push(
            scored
                .iter()
                .map(|&(_, t)| topics.topics[t].id.as_str())
                .collect::<Vec<_>>()
                .join(";"),
        );
    }
    let answer_topics = df!(
        "id" => rows.0,
        "year" => rows.1,
        "topic" => rows.2,
        "tagged" => rows.3,
        "score" => numbers.0,
        "question_hits" => numbers.1,
        "answer_hits" => numbers.2,
        "question_cues" => cues.0,
        "answer_cues" => cues.1,
    )?;
    let mut answers = answers.clone();
    answers.with_column(Column::new("topics".into(), topic_column))?;
    Ok(Tagged {
        answers,
        answer_topics,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOY: &str = r#"
ignore = ["印度洋"]
[scoring]
question_weight = 3
answer_weight = 1
min_score = 4

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
"#;

    fn toy() -> Topics {
        Topics::parse(Path::new("topics.toml"), TOY).unwrap()
    }

    #[test]
    fn longest_match_wins() {
        let topics = toy();
        let tagger = Tagger::new(&topics).unwrap();
        let hits = tagger.hits("印度尼西亚和印尼同印度洋国家合作");
        assert_eq!(
            hits.get(&0),
            None,
            "India must not fire inside 印度尼西亚 or 印度洋"
        );
        assert_eq!(hits[&1]["印度尼西亚"], 1);
        assert_eq!(hits[&1]["印尼"], 1);
        let hits = tagger.hits("中印两国和印度尼西亚");
        assert_eq!(hits[&0]["中印"], 1);
        assert_eq!(hits[&1]["印度尼西亚"], 1);
    }

    #[test]
    fn question_weighs_more_than_a_passing_mention() {
        let answers = df!(
            "id" => ["a/01", "a/02", "a/03"],
            "year" => [2020, 2020, 2020],
            "headline" => ["", "", ""],
            "question" => ["中印关系如何？", "领事工作如何？", ""],
            "answer" => ["我们同印度是邻居。", "我们也关注东盟。", "印度，印度，中印，印度。"],
        )
        .unwrap();
        let tagged = run(&answers, &toy()).unwrap();
        let topics: Vec<Option<&str>> = tagged
            .answers
            .column("topics")
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .collect();
        // a/01: asked (3) + named in the answer (1) = 4; a/02: one passing mention = 1;
        // a/03: four mentions in an answer with no question = 4.
        assert_eq!(topics, [Some("india"), Some(""), Some("india")]);
        let at = &tagged.answer_topics;
        assert_eq!(at.height(), 3);
        let scores: Vec<Option<f64>> = at.column("score").unwrap().f64().unwrap().iter().collect();
        assert_eq!(scores, [Some(4.0), Some(1.0), Some(4.0)]);
        let cues = at.column("answer_cues").unwrap().str().unwrap();
        assert_eq!(cues.get(2), Some("印度 3; 中印 1"));
    }

    #[test]
    fn bad_definitions_name_the_line() {
        let dup =
            format!("{TOY}\n[[topic]]\nid = \"india\"\nzh = \"x\"\nen = \"x\"\ncues = [[\"x\"]]\n");
        let err = Topics::parse(Path::new("topics.toml"), &dup)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("topics.toml:21: duplicate topic id 'india'"),
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
            err.starts_with("topics.toml:15: topic 'asean' has an empty cue list"),
            "{err}"
        );
        let reserved = TOY.replace("id = \"asean\"", "id = \"all\"");
        assert!(Topics::parse(Path::new("t"), &reserved).is_err());
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
