//! Stage 4, frequencies: how often each phrase is said, per year and topic.
//!
//! Reads the tokens of the answers (segment) and the topic tags (topics). Only
//! answer text counts, never the reporters' questions: these are the minister's
//! words. An answer with several topics counts in each of them; topic `all` is
//! every answer of the year (openings, closings and sidebar excerpts included).
//!
//! Three kinds of phrase:
//! - `unigram`: a content token (see segment);
//! - `bigram`: two adjacent content tokens of one answer, written `左 右` with a
//!   space (a stopword or punctuation between them breaks the pair);
//! - `tracked`: the phrases listed per topic in topics.toml, counted as literal
//!   strings (non-overlapping, like `str::matches`) in the normalised answer
//!   text, so their counts do not depend on segmentation. The text is the
//!   answer's tokens joined, that is the normalised answer without white space.
//!   A tracked phrase is counted in its own topic(s) and in `all`, and has a row
//!   (n = 0) for every (year, topic) with answers, so that "never said" is
//!   visible; unigrams and bigrams have rows only where n > 0.
//!
//! Output `phrase_freq.csv`, one row per (year, topic, phrase, kind):
//! - `year`, `topic` (topic id or `all`), `phrase`, `kind`
//! - `n`: occurrences
//! - `per_10k_tokens`: n per 10,000 word tokens (punctuation excluded) of the
//!   (year, topic)'s answers
//! - `per_10k_chars`: n per 10,000 characters (white space excluded) of them
//! - `n_answers`: answers of the (year, topic) where the phrase occurs
//! - `dp`: Gries' deviation of proportions over those answers, 0 (spread evenly
//!   in proportion to answer length) to nearly 1 (all in one short answer):
//!   DP = ½·Σ_i |v_i − s_i|, with s_i answer i's share of the word tokens and
//!   v_i its share of the occurrences; empty when n = 0.
//!
//! Output `topic_year.csv`, one row per year with a transcript and topic
//! (`all` first, then topics.toml order):
//! - `year`, `topic`, `n_answers`, `n_tokens` (word tokens), `n_chars`
//! - `share`: the topic's share of the year's answer characters (an answer
//!   with two topics counts in both, so shares can sum to more than 1)
//!
//! Output `answer_sizes.csv`, one row per answer and topic it counts in
//! (`all` included): `id`, `year`, `topic`, `n_tokens`, `n_chars`.
//!
//! Output `answer_counts.csv`, the per-answer counts behind phrase_freq.csv
//! and the register index, written like tokens.csv only for corpora up to
//! `[output] tokens_max_mb` of text or with `--tokens` (it has about one row
//! per three tokens); `all` hands the counts to the shifts stage in memory,
//! and `shifts` run on its own needs the file. One row per answer, topic and
//! term that occurs:
//! `id`, `year`, `topic`, `kind` (`unigram`, `bigram`, `tracked`, or the
//! lexicon: `hardline`, `conciliatory`), `phrase`, `n`. The shifts stage
//! resamples and permutes these answers. Lexicon terms (data/lexicons/)
//! are counted in every topic of the answer; within a lexicon a stretch of text
//! counts once, as its longest term (合作共赢 is not also 共赢). The shifts stage
//! resamples these answers for its bootstrap intervals.
//!
//! Output `register_hits.csv`, every hit of a register lexicon's term in an
//! answer: `year`, `id`, `lexicon` (the lexicon the term is in), `term`,
//! `counted_as` (`hardline`, `conciliatory`, or empty where a rule of
//! `data/lexicons/contexts.toml` says the hit is no register formula), `left`,
//! `right` (context, `window` characters of analysis.toml [kwic]), `rule` (the
//! reason of the rule that decided, if one did).
//!
//! Years without a transcript have no rows at all: missing data, not zero.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use polars::prelude::*;
use rayon::prelude::*;

use crate::config::topics::{Topics, ALL};
use crate::config::words::{ContextRule, Lexicon, Words};
use crate::error::{Error, Result};
use crate::segment::{Field, Text, Tokens};
use crate::store::Store;
use crate::table::{field, Schema, Ty::*};
use crate::vocab::{Category, Genre, PhraseKind, Stance};

/// The columns of `phrase_freq.csv` (see the module documentation).
pub const PHRASE_FREQ: &Schema = &[
    field("year", I32),
    field("genre", Str),
    field("questions_share", F64),
    field("topic", Str),
    field("phrase", Str),
    field("kind", Str),
    field("n", U64),
    field("per_10k_tokens", F64),
    field("per_10k_chars", F64),
    field("n_answers", U32),
    field("dp", F64),
];
/// The columns of `topic_year.csv`.
pub const TOPIC_YEAR: &Schema = &[
    field("year", I32),
    field("genre", Str),
    field("questions_share", F64),
    field("topic", Str),
    field("n_answers", U32),
    field("n_tokens", U64),
    field("n_chars", U64),
    field("share", F64),
];
/// The columns of `answer_sizes.csv`.
pub const ANSWER_SIZES: &Schema = &[
    field("id", Str),
    field("year", I32),
    field("topic", Str),
    field("n_tokens", U32),
    field("n_chars", U32),
];
/// The columns of `answer_counts.csv`.
pub const ANSWER_COUNTS: &Schema = &[
    field("id", Str),
    field("year", I32),
    field("topic", Str),
    field("kind", Str),
    field("phrase", Str),
    field("n", U32),
];

crate::typed_table!(
    /// `topic_year.csv`: the size of every (year, topic), what charts and the
    /// report take for salience and coverage.
    TopicYear,
    TOPIC_YEAR,
    "topic_year.csv"
);

/// What each year's transcripts are, as every table that compares years
/// carries it after `year`: the `genre` (several joined by `+` where a year
/// mixes them, so that no table compares a summary with a verbatim text
/// unseen) and the `questions_share` its text holds of the questions asked
/// (coverage.csv; empty where unknown or where a year has several files).
pub struct YearGenres(BTreeMap<i32, (String, Option<f64>)>);

impl YearGenres {
    /// From the answers (`year`, `genre`) and coverage.csv (`year`,
    /// `questions_share`).
    pub fn of_answers(answers: &DataFrame, coverage: &DataFrame) -> Result<YearGenres> {
        let (year, genre) = (
            answers.column("year")?.i32()?,
            answers.column("genre")?.str()?,
        );
        let mut by_year: BTreeMap<i32, Vec<Genre>> = BTreeMap::new();
        for (y, g) in year.iter().zip(genre.iter()) {
            let (Some(y), Some(g)) = (y, g) else { continue };
            let Some(&g) = Genre::ALL.iter().find(|x| x.as_str() == g) else {
                continue;
            };
            let gs = by_year.entry(y).or_default();
            if !gs.contains(&g) {
                gs.push(g);
            }
        }
        let (cy, share) = (
            coverage.column("year")?.i32()?,
            coverage.column("questions_share")?.f64()?,
        );
        let mut shares: BTreeMap<i32, Vec<Option<f64>>> = BTreeMap::new();
        for (y, s) in cy.iter().zip(share.iter()) {
            if let Some(y) = y {
                shares.entry(y).or_default().push(s);
            }
        }
        Ok(YearGenres(
            by_year
                .into_iter()
                .map(|(y, mut gs)| {
                    gs.sort();
                    let names: Vec<&str> = gs.iter().map(|g| g.as_str()).collect();
                    let share = match shares.get(&y).map(Vec::as_slice) {
                        Some([one]) => *one,
                        _ => None,
                    };
                    (y, (names.join("+"), share))
                })
                .collect(),
        ))
    }

    /// From a table that carries them (`year`, `genre`, `questions_share`).
    pub fn of_table(df: &DataFrame) -> Result<YearGenres> {
        let year = df.column("year")?.i32()?;
        let genre = df.column("genre")?.str()?;
        let share = df.column("questions_share")?.f64()?;
        Ok(YearGenres(
            (0..df.height())
                .filter_map(|i| Some((year.get(i)?, (genre.get(i)?.to_string(), share.get(i)))))
                .collect(),
        ))
    }

    /// The years whose genre may enter a rate comparison: all but those of a
    /// genre in `exclude` (a year mixing genres stays, its genre says so).
    pub fn compared(&self, exclude: &[Genre]) -> BTreeSet<i32> {
        self.0
            .iter()
            .filter(|(_, (g, _))| !exclude.iter().any(|e| e.as_str() == g.as_str()))
            .map(|(y, _)| *y)
            .collect()
    }

    /// The years whose transcript holds only part of the questions asked.
    pub fn partial(&self) -> BTreeSet<i32> {
        self.0
            .iter()
            .filter(|(_, (_, share))| share.is_some_and(|s| s < 1.0))
            .map(|(y, _)| *y)
            .collect()
    }

    /// The rows of `df` whose `year` is in `years`.
    pub fn only(df: &DataFrame, years: &BTreeSet<i32>) -> Result<DataFrame> {
        let mask: BooleanChunked = df
            .column("year")?
            .i32()?
            .iter()
            .map(|y| Some(y.is_some_and(|y| years.contains(&y))))
            .collect();
        Ok(df.filter(&mask)?)
    }

    /// The table with `genre` and `questions_share` columns after its `year`.
    pub fn insert(&self, mut df: DataFrame) -> Result<DataFrame> {
        let at = df.get_column_index("year").map_or(0, |i| i + 1);
        let facts: Vec<Option<&(String, Option<f64>)>> = df
            .column("year")?
            .i32()?
            .iter()
            .map(|y| y.and_then(|y| self.0.get(&y)))
            .collect();
        let genres: Vec<Option<&str>> = facts.iter().map(|f| f.map(|f| f.0.as_str())).collect();
        let shares: Vec<Option<f64>> = facts.iter().map(|f| f.and_then(|f| f.1)).collect();
        df.insert_column(at, Column::new("genre".into(), genres))?;
        df.insert_column(at + 1, Column::new("questions_share".into(), shares))?;
        Ok(df)
    }
}

/// The columns of `register_hits.csv`.
pub const REGISTER_HITS: &Schema = &[
    field("year", I32),
    field("id", Str),
    field("lexicon", Str),
    field("term", Str),
    field("counted_as", Str),
    field("left", Str),
    field("right", Str),
    field("rule", Str),
];

/// What the frequencies stage produces.
pub struct Frequencies {
    pub phrase_freq: DataFrame,
    pub topic_year: TopicYear,
    pub answer_sizes: DataFrame,
    /// The per-answer counts behind phrase_freq.csv, by id; answer_counts.csv
    /// is written from them.
    pub counts: Counts,
    pub register_hits: DataFrame,
    /// Write answer_counts.csv (small corpus, or `--tokens`).
    pub write_counts: bool,
}

impl Frequencies {
    const STAGE: &'static str = "frequencies";

    /// Writes the tables; answer_counts.csv only where asked for (as
    /// tokens.csv: see the module documentation), else an earlier run's is
    /// removed.
    pub fn write(&self, store: &Store) -> Result<()> {
        store.write_tables(&[
            ("phrase_freq.csv", &self.phrase_freq, PHRASE_FREQ),
            self.topic_year.entry(),
            ("answer_sizes.csv", &self.answer_sizes, ANSWER_SIZES),
            ("register_hits.csv", &self.register_hits, REGISTER_HITS),
        ])?;
        if self.write_counts {
            store.write_tables(&[("answer_counts.csv", &self.counts.frame()?, ANSWER_COUNTS)])
        } else {
            store.remove_table("answer_counts.csv")
        }
    }

    /// answer_sizes.csv alone.
    pub fn read_sizes(store: &Store) -> Result<DataFrame> {
        store.read_table("answer_sizes.csv", ANSWER_SIZES, Frequencies::STAGE)
    }

    pub fn read(store: &Store, topics: &Topics, words: &Words) -> Result<Frequencies> {
        let read = |name, schema| store.read_table(name, schema, Frequencies::STAGE);
        if !store.table_exists("answer_counts.csv") {
            return Err(Error::Usage(
                "tables/answer_counts.csv is missing: it is written only for corpora up to \
                 [output] tokens_max_mb of text (data/analysis.toml). Run `rhetoric-shift all`, \
                 or `rhetoric-shift frequencies --tokens` before `shifts`"
                    .to_string(),
            ));
        }
        let answer_sizes = read("answer_sizes.csv", ANSWER_SIZES)?;
        let counts = Counts::of_tables(
            &answer_sizes,
            &read("answer_counts.csv", ANSWER_COUNTS)?,
            topics,
            words,
        )?;
        Ok(Frequencies {
            phrase_freq: read("phrase_freq.csv", PHRASE_FREQ)?,
            topic_year: TopicYear::new(read(TopicYear::FILE, TOPIC_YEAR)?)?,
            answer_sizes,
            counts,
            register_hits: read("register_hits.csv", REGISTER_HITS)?,
            write_counts: true,
        })
    }
}

/// A term counted in an answer, by id: a phrase of phrase_freq.csv or a
/// register lexicon's term (the `kind` and `phrase` of answer_counts.csv).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Term {
    /// A content token, by its id in the vocabulary.
    Unigram(u32),
    /// Two adjacent content tokens.
    Bigram(u32, u32),
    /// A tracked phrase, by its index in [`Names::tracked`].
    Tracked(u32),
    /// A register term counted for a stance (which may differ from its
    /// lexicon's where a context rule says so), by its index in
    /// [`Names::register`].
    Register(Stance, u32),
}

/// The strings behind the ids of [`Term`].
pub struct Names {
    tokens: Vec<String>,
    token_index: HashMap<String, u32>,
    /// The tracked phrases, each once, in string order.
    pub tracked: Vec<String>,
    tracked_index: HashMap<String, u32>,
    /// The topics (indices into [`Counts::topics`]) each tracked phrase is
    /// counted in: its own and `all`.
    tracked_topics: Vec<Vec<u16>>,
    /// The register lexicons' terms, each once.
    register: Vec<String>,
    register_index: HashMap<String, u32>,
}

impl Names {
    fn new(tokens: Vec<String>, topic_ids: &[String], topics: &Topics, words: &Words) -> Names {
        let mut pairs: BTreeSet<(&str, u16)> = BTreeSet::new();
        for t in &topics.topics {
            let at = topic_ids.iter().position(|x| *x == t.id).unwrap_or(0) as u16;
            for p in &t.phrases {
                pairs.insert((p, at));
                pairs.insert((p, 0));
            }
        }
        let mut tracked: Vec<String> = Vec::new();
        let mut tracked_topics: Vec<Vec<u16>> = Vec::new();
        for (p, t) in pairs {
            if tracked.last().map(String::as_str) != Some(p) {
                tracked.push(p.to_string());
                tracked_topics.push(Vec::new());
            }
            if let Some(ts) = tracked_topics.last_mut() {
                ts.push(t);
            }
        }
        let mut register: Vec<String> = Vec::new();
        for l in &words.lexicons {
            for t in &l.terms {
                if !register.contains(t) {
                    register.push(t.clone());
                }
            }
        }
        let index = |v: &[String]| -> HashMap<String, u32> {
            v.iter()
                .enumerate()
                .map(|(i, s)| (s.clone(), i as u32))
                .collect()
        };
        Names {
            token_index: index(&tokens),
            tokens,
            tracked_index: index(&tracked),
            tracked_topics,
            register_index: index(&register),
            tracked,
            register,
        }
    }

    /// The `kind` column of a term.
    pub fn kind(term: Term) -> &'static str {
        match term {
            Term::Unigram(_) => PhraseKind::Unigram.as_str(),
            Term::Bigram(..) => PhraseKind::Bigram.as_str(),
            Term::Tracked(_) => PhraseKind::Tracked.as_str(),
            Term::Register(s, _) => s.as_str(),
        }
    }

    /// The `phrase` column of a term: a bigram is written `左 右`.
    pub fn phrase(&self, term: Term) -> std::borrow::Cow<'_, str> {
        match term {
            Term::Unigram(t) => self.tokens[t as usize].as_str().into(),
            Term::Bigram(a, b) => {
                format!("{} {}", self.tokens[a as usize], self.tokens[b as usize]).into()
            }
            Term::Tracked(p) => self.tracked[p as usize].as_str().into(),
            Term::Register(_, t) => self.register[t as usize].as_str().into(),
        }
    }

    /// The term of a `kind` and `phrase` as the tables write them, if the
    /// corpus has it.
    pub fn term(&self, kind: &str, phrase: &str) -> Option<Term> {
        let token = |s: &str| self.token_index.get(s).copied();
        if kind == PhraseKind::Unigram.as_str() {
            token(phrase).map(Term::Unigram)
        } else if kind == PhraseKind::Bigram.as_str() {
            let (a, b) = phrase.split_once(' ')?;
            Some(Term::Bigram(token(a)?, token(b)?))
        } else if kind == PhraseKind::Tracked.as_str() {
            self.tracked_index.get(phrase).map(|&p| Term::Tracked(p))
        } else {
            let stance = *Stance::ALL.iter().find(|s| s.as_str() == kind)?;
            let t = *self.register_index.get(phrase)?;
            Some(Term::Register(stance, t))
        }
    }

    /// Whether the term is counted in topic `topic`: a tracked phrase only in
    /// its own topics and `all`, everything else wherever its answer is.
    pub fn counts_in(&self, term: Term, topic: u16) -> bool {
        match term {
            Term::Tracked(p) => self.tracked_topics[p as usize].contains(&topic),
            _ => true,
        }
    }
}

/// One answer with at least one word token, as the shifts stage resamples it.
pub struct Answer {
    pub id: String,
    pub year: i32,
    /// The topics it counts in (indices into [`Counts::topics`]): `all` (0)
    /// and its tags.
    pub topics: Vec<u16>,
    pub n_tokens: u32,
    pub n_chars: u32,
    /// Every term that occurs, with its count, in term order.
    pub terms: Vec<(Term, u32)>,
}

/// The per-answer counts of the corpus (answer_counts.csv, by id).
pub struct Counts {
    pub names: std::sync::Arc<Names>,
    /// `all`, then the topics of topics.toml in order.
    pub topics: Vec<String>,
    /// In year order, then in the order of answers.csv.
    pub answers: Vec<Answer>,
}

impl Counts {
    /// The answers of every (year, topic) with answers, in (year, topic id)
    /// order: indices into `answers`.
    pub fn units(&self) -> Vec<(i32, u16, Vec<usize>)> {
        let mut units: BTreeMap<(i32, &str), (u16, Vec<usize>)> = BTreeMap::new();
        for (i, a) in self.answers.iter().enumerate() {
            for &t in &a.topics {
                units
                    .entry((a.year, self.topics[t as usize].as_str()))
                    .or_insert((t, Vec::new()))
                    .1
                    .push(i);
            }
        }
        // Each unit's answers in id order, the order answer_sizes.csv lists
        // them in, which fixes what a seeded resample draws.
        units
            .into_iter()
            .map(|((y, _), (t, mut answers))| {
                answers.sort_by(|a, b| self.answers[*a].id.cmp(&self.answers[*b].id));
                (y, t, answers)
            })
            .collect()
    }

    /// answer_counts.csv (see the module documentation), rows in year, topic,
    /// id, kind and phrase order.
    fn frame(&self) -> Result<DataFrame> {
        let (mut id, mut year, mut topic, mut kind, mut phrase, mut n) = (
            Vec::new(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
        );
        for (y, t, answers) in self.units() {
            for i in answers {
                let a = &self.answers[i];
                let mut rows: Vec<(&str, std::borrow::Cow<str>, u32)> = a
                    .terms
                    .iter()
                    .filter(|(term, _)| self.names.counts_in(*term, t))
                    .map(|&(term, c)| (Names::kind(term), self.names.phrase(term), c))
                    .collect();
                rows.sort();
                for (k, p, c) in rows {
                    id.push(a.id.as_str());
                    year.push(y);
                    topic.push(self.topics[t as usize].as_str());
                    kind.push(k);
                    phrase.push(p.into_owned());
                    n.push(c);
                }
            }
        }
        Ok(df!(
            "id" => id,
            "year" => year,
            "topic" => topic,
            "kind" => kind,
            "phrase" => phrase,
            "n" => n,
        )?)
    }

    /// The counts as answer_sizes.csv and answer_counts.csv hold them.
    fn of_tables(
        sizes: &DataFrame,
        counts: &DataFrame,
        topics: &Topics,
        words: &Words,
    ) -> Result<Counts> {
        let topic_ids: Vec<String> = std::iter::once(ALL)
            .chain(topics.ids())
            .map(String::from)
            .collect();
        let (id, year, topic) = (
            sizes.column("id")?.str()?,
            sizes.column("year")?.i32()?,
            sizes.column("topic")?.str()?,
        );
        let (n_tokens, n_chars) = (
            sizes.column("n_tokens")?.u32()?,
            sizes.column("n_chars")?.u32()?,
        );
        let mut answers: Vec<Answer> = Vec::new();
        let mut index: HashMap<&str, usize> = HashMap::new();
        for i in 0..sizes.height() {
            let (Some(a), Some(y), Some(t)) = (id.get(i), year.get(i), topic.get(i)) else {
                continue;
            };
            let Some(t) = topic_ids.iter().position(|x| x == t) else {
                continue;
            };
            let at = *index.entry(a).or_insert_with(|| {
                answers.push(Answer {
                    id: a.to_string(),
                    year: y,
                    topics: Vec::new(),
                    n_tokens: n_tokens.get(i).unwrap_or_default(),
                    n_chars: n_chars.get(i).unwrap_or_default(),
                    terms: Vec::new(),
                });
                answers.len() - 1
            });
            answers[at].topics.push(t as u16);
        }
        // Every term of an answer is in its `all` rows; the tokens are named
        // by the unigrams and the halves of the bigrams.
        let (cid, ctopic, kind, phrase, n) = (
            counts.column("id")?.str()?,
            counts.column("topic")?.str()?,
            counts.column("kind")?.str()?,
            counts.column("phrase")?.str()?,
            counts.column("n")?.u32()?,
        );
        let mut seen: HashSet<&str> = HashSet::new();
        let mut tokens: Vec<String> = Vec::new();
        let mut rows = Vec::new();
        for i in 0..counts.height() {
            let (Some(a), Some(ALL), Some(k), Some(p)) =
                (cid.get(i), ctopic.get(i), kind.get(i), phrase.get(i))
            else {
                continue;
            };
            let named: Vec<&str> = if k == PhraseKind::Unigram.as_str() {
                vec![p]
            } else if k == PhraseKind::Bigram.as_str() {
                p.splitn(2, ' ').collect()
            } else {
                Vec::new()
            };
            for t in named {
                if seen.insert(t) {
                    tokens.push(t.to_string());
                }
            }
            rows.push((a, k, p, n.get(i).unwrap_or_default()));
        }
        let names = Names::new(tokens, &topic_ids, topics, words);
        for (a, k, p, c) in rows {
            if let (Some(&at), Some(term)) = (index.get(a), names.term(k, p)) {
                answers[at].terms.push((term, c));
            }
        }
        for a in &mut answers {
            a.terms.sort();
        }
        answers.sort_by_key(|a| a.year);
        Ok(Counts {
            names: names.into(),
            topics: topic_ids,
            answers,
        })
    }
}

/// The columns of register_hits.csv as they are gathered.
#[derive(Default)]
struct HitColumns {
    year: Vec<Option<i32>>,
    id: Vec<String>,
    lexicon: Vec<&'static str>,
    term: Vec<String>,
    counted_as: Vec<&'static str>,
    left: Vec<String>,
    right: Vec<String>,
    rule: Vec<String>,
}

impl HitColumns {
    fn frame(self) -> Result<DataFrame> {
        Ok(df!(
            "year" => self.year,
            "id" => self.id,
            "lexicon" => self.lexicon,
            "term" => self.term,
            "counted_as" => self.counted_as,
            "left" => self.left,
            "right" => self.right,
            "rule" => self.rule,
        )?)
    }
}

/// Counts of every pattern in `text`, non-overlapping per pattern (as
/// `str::matches` counts), overlapping between patterns (台独 inside 反对台独
/// counts for both).
fn literal_counts(matcher: &AhoCorasick, n_patterns: usize, text: &str) -> Vec<u32> {
    let mut counts = vec![0u32; n_patterns];
    let mut next_free = vec![0usize; n_patterns];
    // Overlapping matches arrive by end position; for one pattern (fixed length)
    // that is start order, so taking each match that starts after the previous
    // taken one ends is the leftmost non-overlapping count.
    for m in matcher.find_overlapping_iter(text) {
        let p = m.pattern().as_usize();
        if m.start() >= next_free[p] {
            counts[p] += 1;
            next_free[p] = m.end();
        }
    }
    counts
}

/// One hit of a register lexicon's term in an answer's text (byte offsets).
struct Hit<'a> {
    lexicon: Stance,
    term: &'a str,
    start: usize,
    end: usize,
    /// The stance the hit counts for; None where a context rule says it is
    /// no register formula.
    counted_as: Option<Stance>,
    /// The reason of the rule that decided, if one did.
    rule: &'a str,
}

/// The register hits of a text, with `data/lexicons/contexts.toml` applied.
fn register_hits<'a>(
    text: &str,
    lexicons: &'a [Lexicon],
    matchers: &[AhoCorasick],
    rules: &'a [ContextRule],
) -> Vec<Hit<'a>> {
    let mut hits = Vec::new();
    for (lexicon, m) in lexicons.iter().zip(matchers) {
        for found in m.find_iter(text) {
            let term = lexicon.terms[found.pattern().as_usize()].as_str();
            let (start, end) = (found.start(), found.end());
            let rule = rules
                .iter()
                .find(|r| r.stance == lexicon.stance && r.term == term);
            let within = |r: &ContextRule| {
                r.within.iter().any(|w| {
                    let at = w.find(term).unwrap_or(0);
                    start >= at
                        && text
                            .get(start - at..)
                            .is_some_and(|t| t.starts_with(w.as_str()))
                })
            };
            let (counted_as, why) = match rule {
                Some(r)
                    if r.unless_followed_by
                        .iter()
                        .any(|f| text[end..].starts_with(f.as_str())) =>
                {
                    (None, r.reason.as_str())
                }
                Some(r) if within(r) => (r.becomes, r.reason.as_str()),
                _ => (Some(lexicon.stance), ""),
            };
            hits.push(Hit {
                lexicon: lexicon.stance,
                term,
                start,
                end,
                counted_as,
                rule: why,
            });
        }
    }
    hits
}

/// The characters of `text` before byte `start` and after byte `end`, at
/// most `window` on each side.
fn context(text: &str, start: usize, end: usize, window: usize) -> (String, String) {
    let left: Vec<char> = text[..start].chars().rev().take(window).collect();
    (
        left.into_iter().rev().collect(),
        text[end..].chars().take(window).collect(),
    )
}

/// One register hit as register_hits.csv has it.
struct HitRow {
    lexicon: &'static str,
    term: String,
    counted_as: &'static str,
    left: String,
    right: String,
    rule: String,
}

/// What the counting pass finds in one answer's text.
struct Counted {
    answer: Answer,
    hits: Vec<HitRow>,
}

/// The matchers of the literal counts: tracked phrases, and one per lexicon.
struct Matchers {
    tracked: AhoCorasick,
    lexicons: Vec<AhoCorasick>,
}

impl Matchers {
    fn new(names: &Names, lexicons: &[Lexicon]) -> Result<Matchers> {
        let tracked = AhoCorasick::new(&names.tracked)
            .map_err(|e| Error::Table(format!("tracked phrase matcher: {e}")))?;
        // Within a lexicon a stretch of text counts once, as its longest term:
        // 合作共赢 is one conciliatory formula, not also 共赢.
        let lexicons = lexicons
            .iter()
            .map(|l| {
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(&l.terms)
                    .map_err(|e| Error::Table(format!("lexicon matcher: {e}")))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Matchers { tracked, lexicons })
    }
}

/// Counts every term of one answer's tokens: its size, its content unigrams
/// and bigrams by id, the tracked phrases and register terms in its text.
fn count_answer(
    tokens: &Tokens,
    text: &Text,
    names: &Names,
    matchers: &Matchers,
    words: &Words,
    window: usize,
) -> Counted {
    let ids = tokens.of(text);
    let vocab = &tokens.vocab;
    let mut joined = String::new();
    let mut n_tokens = 0u32;
    let mut unigrams: HashMap<u32, u32> = HashMap::new();
    let mut bigrams: HashMap<(u32, u32), u32> = HashMap::new();
    let mut previous: Option<u32> = None;
    for &t in ids {
        joined.push_str(vocab.str(t));
        n_tokens += u32::from(vocab.is_word(t));
        if vocab.is_content(t) {
            *unigrams.entry(t).or_default() += 1;
            if let Some(p) = previous {
                *bigrams.entry((p, t)).or_default() += 1;
            }
            previous = Some(t);
        } else {
            // A stopword or punctuation between two content tokens breaks the pair.
            previous = None;
        }
    }
    let mut terms: Vec<(Term, u32)> = unigrams
        .into_iter()
        .map(|(t, c)| (Term::Unigram(t), c))
        .chain(
            bigrams
                .into_iter()
                .map(|((a, b), c)| (Term::Bigram(a, b), c)),
        )
        .collect();
    for (p, c) in literal_counts(&matchers.tracked, names.tracked.len(), &joined)
        .into_iter()
        .enumerate()
    {
        if c > 0 {
            terms.push((Term::Tracked(p as u32), c));
        }
    }
    let mut register: BTreeMap<Term, u32> = BTreeMap::new();
    let mut hits = Vec::new();
    for hit in register_hits(
        &joined,
        &words.lexicons,
        &matchers.lexicons,
        &words.contexts,
    ) {
        if let (Some(stance), Some(&t)) = (hit.counted_as, names.register_index.get(hit.term)) {
            *register.entry(Term::Register(stance, t)).or_default() += 1;
        }
        let (left, right) = context(&joined, hit.start, hit.end, window);
        hits.push(HitRow {
            lexicon: hit.lexicon.as_str(),
            term: hit.term.to_string(),
            counted_as: hit.counted_as.map_or("", |s| s.as_str()),
            left,
            right,
            rule: hit.rule.to_string(),
        });
    }
    terms.extend(register);
    terms.sort_unstable();
    Counted {
        answer: Answer {
            id: text.id.clone(),
            year: text.year,
            topics: vec![0],
            n_tokens,
            n_chars: joined.chars().count() as u32,
            terms,
        },
        hits,
    }
}

/// The size of a (year, topic) and its rows of phrase_freq.csv.
struct Unit {
    year: i32,
    topic: u16,
    n_answers: u32,
    n_tokens: u64,
    n_chars: u64,
    /// (term, n, n_answers, dp) in the table's order: kind descending
    /// (unigram, tracked, bigram), n descending, phrase.
    rows: Vec<(Term, u64, u32, Option<f64>)>,
}

/// Sums a (year, topic)'s answers: n, answers and Gries' DP per phrase, and
/// an n = 0 row for every tracked phrase of the topic never said.
fn sum_unit(counts: &Counts, year: i32, topic: u16, answers: &[usize]) -> Unit {
    let names = &counts.names;
    let of = |i: &usize| &counts.answers[*i];
    let n_tokens: u64 = answers.iter().map(|i| u64::from(of(i).n_tokens)).sum();
    let n_chars: u64 = answers.iter().map(|i| u64::from(of(i).n_chars)).sum();
    let phrases = |a: &'_ Answer| {
        a.terms
            .iter()
            .filter(move |(t, _)| !matches!(t, Term::Register(..)) && names.counts_in(*t, topic))
            .copied()
            .collect::<Vec<_>>()
    };
    // Two passes: DP needs each phrase's total before its per-answer shares.
    let mut sums: HashMap<Term, (u64, u32, f64)> = HashMap::new();
    for i in answers {
        for (t, c) in phrases(of(i)) {
            let s = sums.entry(t).or_default();
            s.0 += u64::from(c);
            s.1 += 1;
        }
    }
    for i in answers {
        let a = of(i);
        let s = f64::from(a.n_tokens) / n_tokens as f64;
        for (t, c) in phrases(a) {
            if let Some(sum) = sums.get_mut(&t) {
                let v = f64::from(c) / sum.0 as f64;
                // |v − s| − s; the answers where the phrase is absent add up to 1 − Σ s.
                sum.2 += (v - s).abs() - s;
            }
        }
    }
    let never_said: Vec<Term> = (0..names.tracked.len() as u32)
        .map(Term::Tracked)
        .filter(|t| names.counts_in(*t, topic) && !sums.contains_key(t))
        .collect();
    let rows = sums
        .into_iter()
        .map(|(t, (n, k, d))| (t, n, k, Some(0.5 * (d + 1.0))))
        .chain(never_said.into_iter().map(|t| (t, 0, 0, None)));
    let mut keyed: Vec<_> = rows
        .map(|r| {
            let kind = std::cmp::Reverse(Names::kind(r.0));
            ((kind, std::cmp::Reverse(r.1), names.phrase(r.0)), r)
        })
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    Unit {
        year,
        topic,
        n_answers: answers.len() as u32,
        n_tokens,
        n_chars,
        rows: keyed.into_iter().map(|(_, r)| r).collect(),
    }
}

/// Computes every table of the stage (see the module documentation).
///
/// The counting is two loops over interned ids rather than a Polars plan:
/// one answer at a time on all cores (its tokens, pairs and literal matches
/// into hash maps keyed by id), then one (year, topic) at a time (n, answers,
/// DP). Profiled on a 10 MB corpus, the Polars plan it replaces (group-bys
/// and joins over a table of every token, keyed by strings) spent its time
/// building and comparing strings and held every token as one; the loops
/// touch each token once and build a string only for a row that is written.
/// Polars stays the form every table takes.
pub fn run(
    tokens: &Tokens,
    answer_topics: &DataFrame,
    genres: &YearGenres,
    topics: &Topics,
    words: &Words,
    window: usize,
    write_counts: bool,
) -> Result<Frequencies> {
    let topic_ids: Vec<String> = std::iter::once(ALL)
        .chain(topics.ids())
        .map(String::from)
        .collect();
    let names = Names::new(tokens.vocab.strings().to_vec(), &topic_ids, topics, words);
    let matchers = Matchers::new(&names, &words.lexicons)?;
    let mut tags: HashMap<&str, Vec<u16>> = HashMap::new();
    let (id, topic, tagged) = (
        answer_topics.column("id")?.str()?,
        answer_topics.column("topic")?.str()?,
        answer_topics.column("tagged")?.bool()?,
    );
    for i in 0..answer_topics.height() {
        if let (Some(a), Some(t), Some(true)) = (id.get(i), topic.get(i), tagged.get(i)) {
            if let Some(at) = topic_ids.iter().skip(1).position(|x| x == t) {
                tags.entry(a).or_default().push(at as u16 + 1);
            }
        }
    }
    let mut texts: Vec<&Text> = tokens
        .texts
        .iter()
        .filter(|t| t.field == Field::Answer && !tokens.of(t).is_empty())
        .collect();
    texts.sort_by_key(|t| t.year);
    let counted: Vec<Counted> = texts
        .par_iter()
        .map(|t| count_answer(tokens, t, &names, &matchers, words, window))
        .collect();
    let mut hits = HitColumns::default();
    let mut answers = Vec::with_capacity(counted.len());
    for Counted {
        mut answer,
        hits: h,
    } in counted
    {
        for row in h {
            hits.year.push(Some(answer.year));
            hits.id.push(answer.id.clone());
            hits.lexicon.push(row.lexicon);
            hits.term.push(row.term);
            hits.counted_as.push(row.counted_as);
            hits.left.push(row.left);
            hits.right.push(row.right);
            hits.rule.push(row.rule);
        }
        if answer.n_tokens > 0 {
            if let Some(ts) = tags.get(answer.id.as_str()) {
                answer.topics.extend(ts);
            }
            answers.push(answer);
        }
    }
    let counts = Counts {
        names: names.into(),
        topics: topic_ids,
        answers,
    };
    let units: Vec<Unit> = counts
        .units()
        .par_iter()
        .map(|(y, t, a)| sum_unit(&counts, *y, *t, a))
        .collect();
    Ok(Frequencies {
        phrase_freq: genres.insert(phrase_freq(&counts, &units)?)?,
        topic_year: TopicYear::new(genres.insert(topic_year(&counts, &units)?)?)?,
        answer_sizes: answer_sizes(&counts)?,
        counts,
        register_hits: hits.frame()?,
        write_counts,
    })
}

/// phrase_freq.csv: the rows of every unit with their rates.
fn phrase_freq(counts: &Counts, units: &[Unit]) -> Result<DataFrame> {
    let rows = units.iter().map(|u| u.rows.len()).sum();
    let mut phrase = StringChunkedBuilder::new("phrase".into(), rows);
    let (
        mut year,
        mut topic,
        mut kind,
        mut n,
        mut per_tokens,
        mut per_chars,
        mut n_answers,
        mut dp,
    ) = (
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
    );
    for u in units {
        for &(t, c, k, d) in &u.rows {
            year.push(u.year);
            topic.push(counts.topics[u.topic as usize].as_str());
            phrase.append_value(counts.names.phrase(t));
            kind.push(Names::kind(t));
            n.push(c);
            per_tokens.push(c as f64 * 10_000.0 / u.n_tokens as f64);
            per_chars.push(c as f64 * 10_000.0 / u.n_chars as f64);
            n_answers.push(k);
            dp.push(d);
        }
    }
    Ok(DataFrame::new_infer_height(vec![
        Column::new("year".into(), year),
        Column::new("topic".into(), topic),
        phrase.finish().into_column(),
        Column::new("kind".into(), kind),
        Column::new("n".into(), n),
        Column::new("per_10k_tokens".into(), per_tokens),
        Column::new("per_10k_chars".into(), per_chars),
        Column::new("n_answers".into(), n_answers),
        Column::new("dp".into(), dp),
    ])?)
}

/// topic_year.csv: one row per year with answers and topic (`all` first, then
/// topics.toml order), zeros where a topic is not discussed.
fn topic_year(counts: &Counts, units: &[Unit]) -> Result<DataFrame> {
    let by_key: HashMap<(i32, u16), &Unit> = units.iter().map(|u| ((u.year, u.topic), u)).collect();
    let years: BTreeSet<i32> = units.iter().map(|u| u.year).collect();
    let (mut year, mut topic, mut n_answers, mut n_tokens, mut n_chars, mut share) = (
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
    );
    for y in years {
        let total = by_key.get(&(y, 0)).map_or(0, |u| u.n_chars);
        for (t, name) in counts.topics.iter().enumerate() {
            let u = by_key.get(&(y, t as u16));
            let chars = u.map_or(0, |u| u.n_chars);
            year.push(y);
            topic.push(name.as_str());
            n_answers.push(u.map_or(0, |u| u.n_answers));
            n_tokens.push(u.map_or(0, |u| u.n_tokens));
            n_chars.push(chars);
            share.push(chars as f64 / total as f64);
        }
    }
    Ok(df!(
        "year" => year,
        "topic" => topic,
        "n_answers" => n_answers,
        "n_tokens" => n_tokens,
        "n_chars" => n_chars,
        "share" => share,
    )?)
}

/// answer_sizes.csv, in year, topic and id order.
fn answer_sizes(counts: &Counts) -> Result<DataFrame> {
    let (mut id, mut year, mut topic, mut n_tokens, mut n_chars) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (y, t, answers) in counts.units() {
        for i in answers {
            let a = &counts.answers[i];
            id.push(a.id.as_str());
            year.push(y);
            topic.push(counts.topics[t as usize].as_str());
            n_tokens.push(a.n_tokens);
            n_chars.push(a.n_chars);
        }
    }
    Ok(df!(
        "id" => id,
        "year" => year,
        "topic" => topic,
        "n_tokens" => n_tokens,
        "n_chars" => n_chars,
    )?)
}
