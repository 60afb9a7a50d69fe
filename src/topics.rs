//! Stage 3, topics: every answer is tagged with the topics its question asks
//! about, from the cue terms in `data/topics.toml`.
//!
//! Cues are found as literal strings in the normalised text, all topics at once
//! and longest match first (Aho-Corasick, leftmost-longest), so 印度尼西亚 is
//! Indonesia and never India, and 中欧班列 is the Belt and Road, not Europe. A
//! cue in the question or headline weighs `question_weight`, a cue in the answer
//! `answer_weight`; the topic is tagged when the sum reaches `min_score`. A
//! record without a question (a summary paragraph, a sidebar quote, an
//! announcement, an answer whose question is missing, an opening or closing)
//! is scored on its own text: its headline (an editor's lead-in such as
//! 谈到中美关系, a sidebar heading) or, where it has none, its first sentence
//! stands in for the question, and the threshold is `unasked_min_score`
//! (topics.toml says why).
//!
//! Output, `answer_topics.csv`, one row per record and topic with a cue found
//! (its score, hits and cues); its columns are documented once, in
//! docs/outputs.md ("tables/answer_topics.csv"), which `tests/cli/docs.rs`
//! holds to [`ANSWER_TOPICS`].
//!
//! The tagged topics of a record are its rows with `tagged` = `true`; later
//! stages join this table to the answers by `id` (answers.csv itself has no
//! topics column, so rerunning the ingest never wipes the tags).

use std::collections::{BTreeMap, HashMap, HashSet};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use polars::prelude::*;

use crate::config::Topics;
use crate::error::{Error, Result};
use crate::store::Store;

use crate::text::{normalise, Sentences};

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
    pub answer_topics: DataFrame,
}

impl Tagged {
    pub fn write(&self, store: &Store) -> Result<()> {
        store.write_tables(&[("answer_topics.csv", &self.answer_topics, ANSWER_TOPICS)])
    }

    pub fn read(store: &Store) -> Result<Tagged> {
        Ok(Tagged {
            answer_topics: store.read_table("answer_topics.csv", ANSWER_TOPICS, "topics")?,
        })
    }

    /// The topics each record is tagged with, highest score first (ties in
    /// the order of topics.toml), by record id.
    pub fn by_answer(&self) -> Result<HashMap<String, Vec<String>>> {
        let at = &self.answer_topics;
        let (id, topic) = (at.column("id")?.str()?, at.column("topic")?.str()?);
        let (tagged, score) = (at.column("tagged")?.bool()?, at.column("score")?.f64()?);
        let mut scored: HashMap<String, Vec<(f64, usize, String)>> = HashMap::new();
        for i in 0..at.height() {
            if let (Some(true), Some(a), Some(t)) = (tagged.get(i), id.get(i), topic.get(i)) {
                // Rows of a record stand in topics.toml order: i breaks ties.
                let s = score.get(i).unwrap_or_default();
                scored
                    .entry(a.to_string())
                    .or_default()
                    .push((s, i, t.to_string()));
            }
        }
        Ok(scored
            .into_iter()
            .map(|(a, mut v)| {
                v.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
                (a, v.into_iter().map(|x| x.2).collect())
            })
            .collect())
    }
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
pub fn run(answers: &DataFrame, topics: &Topics, sentences: &Sentences) -> Result<Tagged> {
    let tagger = Tagger::new(topics)?;
    let s = topics.scoring;
    let ids = answers.column("id")?.str()?;
    let years = answers.column("year")?.i32()?;
    let headlines = answers.column("headline")?.str()?;
    let questions = answers.column("question")?.str()?;
    let texts = answers.column("answer")?.str()?;

    let mut out = Columns::default();
    for i in 0..answers.height() {
        let id = ids.get(i).unwrap_or_default();
        let (headline, question, answer) = (
            headlines.get(i).unwrap_or_default(),
            questions.get(i).unwrap_or_default(),
            texts.get(i).unwrap_or_default(),
        );
        // A record without a question: its headline (a sidebar heading, an
        // editor's lead-in) or, without one, its first sentence stands in
        // for the question (see the module documentation).
        let (asked, said, threshold) = if !question.trim().is_empty() {
            (format!("{headline}\n{question}"), answer, s.min_score)
        } else if !headline.trim().is_empty() {
            (headline.to_string(), answer, s.unasked_min_score)
        } else {
            let sentences = sentences.split(answer);
            let first = sentences.first().copied().unwrap_or_default();
            (
                first.to_string(),
                &answer[first.len()..],
                s.unasked_min_score,
            )
        };
        let (asked, said) = (asked.as_str(), said);
        let q = tagger.hits(&normalise(asked));
        let a = tagger.hits(&normalise(said));
        let found: HashSet<usize> = q.keys().chain(a.keys()).copied().collect();
        for (t, topic) in topics.topics.iter().enumerate() {
            if !found.contains(&t) {
                continue;
            }
            let (qn, qc) = describe(q.get(&t));
            let (an, ac) = describe(a.get(&t));
            let score = s.question_weight * f64::from(qn) + s.answer_weight * f64::from(an);
            let tagged = score >= threshold;
            out.id.push(id.to_string());
            out.year.push(years.get(i));
            out.topic.push(topic.id.clone());
            out.tagged.push(tagged);
            out.score.push(score);
            out.question_hits.push(qn);
            out.answer_hits.push(an);
            out.question_cues.push(qc);
            out.answer_cues.push(ac);
        }
    }
    Ok(Tagged {
        answer_topics: out.frame()?,
    })
}

crate::columns! {
    /// The columns of `answer_topics.csv`.
    pub const ANSWER_TOPICS: &Schema;
    /// answer_topics.csv's columns as each record's topics fill them.
    struct Columns {
        id: String,
        year: Option<i32>,
        topic: String,
        tagged: bool,
        score: f64,
        question_hits: u32,
        answer_hits: u32,
        question_cues: String,
        answer_cues: String,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::config::topics::tests::TOY;

    fn toy() -> Topics {
        Topics::parse(std::path::Path::new("topics.toml"), TOY).unwrap()
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
            "id" => ["a/01", "a/02", "a/03", "a/04", "a/05"],
            "year" => [2020; 5],
            "headline" => ["", "", "", "", ""],
            "question" => ["中印关系如何？", "领事工作如何？", "", "", ""],
            "answer" => [
                "我们同印度是邻居。",
                "我们也关注东盟。",
                "中印是邻居，也是伙伴。东盟也是伙伴，东盟很重要。",
                "我们关注地区局势。印度，印度，中印。",
                "我们关注地区局势。印度和东盟都是伙伴。",
            ],
        )
        .unwrap();
        let sentences = Sentences::new("。！？", "”", "，");
        let tagged = run(&answers, &toy(), &sentences).unwrap();
        let by_answer = tagged.by_answer().unwrap();
        let topics: Vec<Option<&Vec<String>>> = ["a/01", "a/02", "a/03", "a/04", "a/05"]
            .iter()
            .map(|a| by_answer.get(*a))
            .collect();
        // a/01: asked (3) + named in the answer (1) = 4; a/02: one passing
        // mention = 1. Without a question the first sentence is asked:
        // a/03: 中印 in it (3) tags India, 东盟 twice after it (2) does not;
        // a/04: three mentions after it (3); a/05: one mention each (1).
        let india = vec!["india".to_string()];
        assert_eq!(
            topics,
            [Some(&india), None, Some(&india), Some(&india), None]
        );
        let at = &tagged.answer_topics;
        let scores: Vec<Option<f64>> = at.column("score").unwrap().f64().unwrap().iter().collect();
        assert_eq!(
            scores,
            [
                Some(4.0),
                Some(1.0),
                Some(3.0),
                Some(2.0),
                Some(3.0),
                Some(1.0),
                Some(1.0)
            ]
        );
        let cues = at.column("answer_cues").unwrap().str().unwrap();
        assert_eq!(cues.get(4), Some("印度 2; 中印 1"));
        let asked = at.column("question_cues").unwrap().str().unwrap();
        assert_eq!(asked.get(2), Some("中印 1"));
    }
}
