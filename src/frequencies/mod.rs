//! Stage 4, frequencies: how often each phrase is said, per period and topic.
//!
//! Reads the tokens of the answers (segment) and the topic tags (topics). Only
//! answer text counts, never the reporters' questions: these are the minister's
//! words. An answer with several topics counts in each of them; topic `all` is
//! every answer of the period (openings, closings and sidebar excerpts included).
//!
//! Four kinds of phrase:
//! - `unigram`: a content token (see segment);
//! - `bigram`: two adjacent content tokens of one answer, written `左 右` with a
//!   space (a stopword or punctuation between them breaks the pair);
//! - `tracked`: the phrases listed per topic in topics.toml, counted as literal
//!   strings (non-overlapping, like `str::matches`) in the normalised answer
//!   text, so their counts do not depend on segmentation. The text is the
//!   answer's tokens joined, that is the normalised answer without white space.
//!   A tracked phrase is counted in its own topic(s) and in `all`, and has a row
//!   (n = 0) for every (period, topic) with answers, so that "never said" is
//!   visible; unigrams and bigrams have rows only where n > 0.
//!
//! Output, by the run's period (`[time] period`) and topic: `phrase_freq.csv`
//! (every tracked phrase and formulation, and the `[output] phrase_freq_top`
//! most frequent unigrams and bigrams of each (period, topic); `--freq-all`
//! writes every phrase), `topic_year.csv` (the size of each), by year:
//! `answer_sizes.csv` (each answer's size in each topic), `answer_counts.csv`
//! (every term of every answer: like tokens.csv, only up to `[output]
//! tokens_max_mb` of text or with `--tokens`; `all` hands the counts to the
//! shifts stage in memory, and `answer_counts.bin`, written at every size,
//! lets `shifts` run on its own), `register_hits.csv` (every hit of a
//! register lexicon's term) and `formulations.csv`. Their columns, in order,
//! are documented once, in docs/outputs.md, which `tests/cli/docs.rs` holds
//! to their schemas. Phrases in fewer than `[keyness] min_answers`
//! answers of the corpus leave the counts the shifts stage gets (keyness
//! never tests them); tracked phrases and lexicon terms are always kept.
//! Within a lexicon a stretch of text counts once, as its longest term
//! (合作共赢 is not also 共赢).
//!
//! Periods without a transcript have no rows at all: missing data, not zero.

mod binary;
mod counts;
mod names;
mod period_facts;
mod register;
pub mod units;

pub use counts::By;
use counts::{count_answer, Counted, Matchers};
pub use counts::{Answer, Counts, ANSWER_COUNTS};
pub use names::{Names, Term};
pub use period_facts::{PeriodFacts, Times};
use register::HitColumns;
pub use register::REGISTER_HITS;
use units::{answer_sizes, phrase_freq, topic_year, Sums};
pub use units::{ANSWER_SIZES, PHRASE_FREQ, TOPIC_YEAR};

use std::collections::{BTreeMap, HashMap, HashSet};

use polars::prelude::*;
use rayon::prelude::*;

use crate::config::topics::{Topics, ALL};
use crate::config::words::Words;
use crate::config::Config;
use crate::error::Result;
use crate::formulations;
use crate::period::Period;
use crate::segment::{Field, Text, Tokens};
use crate::store::Store;

crate::typed_table!(
    /// `topic_year.csv`: the size of every (year, topic), what charts and the
    /// report take for salience and coverage.
    TopicYear,
    TOPIC_YEAR,
    "topic_year.csv"
);

/// What the frequencies stage produces.
pub struct Frequencies {
    pub phrase_freq: DataFrame,
    pub topic_year: TopicYear,
    pub answer_sizes: DataFrame,
    /// The per-answer counts behind phrase_freq.csv, by id; answer_counts.csv
    /// is written from them.
    pub counts: Counts,
    /// Every (year, topic) with its terms' sums (phrase_freq.csv's rows, and
    /// what keyness tests).
    pub units: Vec<Sums>,
    pub register_hits: DataFrame,
    /// formulations.csv (see `crate::formulations`).
    pub formulations: formulations::Formulations,
    /// Write answer_counts.csv (small corpus, or `--tokens`).
    pub write_counts: bool,
    /// What a user should know of the tables (a cut lowered to fit).
    pub warnings: Vec<String>,
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
            self.formulations.entry(),
        ])?;
        store.write_table_bytes(COUNTS_BIN, &binary::encode(&self.counts))?;
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

    pub fn read(
        store: &Store,
        topics: &Topics,
        words: &Words,
        period: Period,
    ) -> Result<Frequencies> {
        let read = |name, schema| store.read_table(name, schema, Frequencies::STAGE);
        let (bytes, path) = store.read_table_bytes(COUNTS_BIN, Frequencies::STAGE)?;
        let counts = binary::decode(&bytes, &path, topics, words, period)?;
        let units = units::sums(&counts, By::Period);
        Ok(Frequencies {
            phrase_freq: read("phrase_freq.csv", PHRASE_FREQ)?,
            topic_year: TopicYear::new(read(TopicYear::FILE, TOPIC_YEAR)?)?,
            answer_sizes: read("answer_sizes.csv", ANSWER_SIZES)?,
            counts,
            units,
            register_hits: read("register_hits.csv", REGISTER_HITS)?,
            formulations: formulations::read(store)?,
            write_counts: true,
            // Said when the tables were made.
            warnings: Vec::new(),
        })
    }
}

/// The per-answer counts as the shifts stage reads them when run on its own
/// (see [`binary`]).
const COUNTS_BIN: &str = "answer_counts.bin";

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
    answers_table: &DataFrame,
    times: &Times,
    config: &Config,
    write_counts: bool,
    all_rows: bool,
) -> Result<Frequencies> {
    let (topics, words) = (&config.topics, &config.words);
    let window = config.analysis.kwic.window;
    let topic_ids: Vec<String> = std::iter::once(ALL)
        .chain(topics.ids())
        .map(String::from)
        .collect();
    let mut texts: Vec<&Text> = tokens
        .texts
        .iter()
        .filter(|t| t.field == Field::Answer && !tokens.of(t).is_empty())
        .collect();
    texts.sort_by_key(|t| t.year);
    let found = discover(&texts, tokens, answers_table, config)?;
    let names = Names::new(
        tokens.vocab.strings().to_vec(),
        &topic_ids,
        topics,
        words,
        found.iter().map(|f| f.text.clone()).collect(),
    );
    let matchers = Matchers::new(
        &names,
        &words.lexicons,
        &found.iter().map(|f| f.tokens.clone()).collect::<Vec<_>>(),
    )?;
    let tags = tags_of(answer_topics, &topic_ids)?;
    let (speakers, speaker_of) = speakers_of(answers_table)?;
    let period = times.period.period();
    let period_of = periods_of(answers_table, period)?;
    let counted: Vec<Counted> = texts
        .par_iter()
        .map(|t| count_answer(tokens, t, &names, &matchers, words, window))
        .collect();
    let (hits, answers) = gather(counted, period, &period_of, &tags, &speaker_of);
    let mut counts = Counts {
        names: names.into(),
        period,
        topics: topic_ids,
        speakers,
        answers,
    };
    let mut units = units::sums(&counts, By::Period);
    let formulations = formulations::Formulations::new(times.year.insert(formulation_table(
        &found,
        &counts,
        times,
        config.analysis.formulations.change_alpha,
    )?)?)?;
    let (phrase_freq, cut) = phrase_freq(
        &counts,
        &units,
        (!all_rows).then_some(config.analysis.output.phrase_freq_top),
    )?;
    let phrase_freq = times.period.insert(phrase_freq)?;
    keep_testable(&mut counts, &mut units, config.analysis.keyness.min_answers);
    Ok(Frequencies {
        phrase_freq,
        topic_year: TopicYear::new(times.period.insert(topic_year(&counts, &units)?)?)?,
        answer_sizes: answer_sizes(&counts)?,
        counts,
        units,
        register_hits: hits.frame()?,
        formulations,
        write_counts,
        warnings: cut.into_iter().collect(),
    })
}

/// The formulations of the answers `texts` (see [`formulations::discover`]),
/// which it reads in date order. Names: a place, a token jieba tags a
/// person's name (`nr…`), a speaker or outlet of the corpus's labels, a
/// name the discovery found before a title, and a unit it found written
/// only in the characters of names transliterated by sound.
fn discover(
    texts: &[&Text],
    tokens: &Tokens,
    answers: &DataFrame,
    config: &Config,
) -> Result<Vec<formulations::Formulation>> {
    let words = &config.words;
    // An id is `YYYY-MM-DD/NN`: date, then the record's place in its file.
    let when = |t: &Text| {
        let (date, seq) = t.id.split_once('/').unwrap_or((&t.id, ""));
        (date.to_string(), seq.parse::<u32>().unwrap_or(0))
    };
    let mut order: Vec<usize> = (0..texts.len()).collect();
    order.sort_by_cached_key(|&i| when(texts[i]));
    let dates: Vec<&str> = order
        .iter()
        .map(|&i| texts[i].id.split('/').next().unwrap_or_default())
        .collect();
    let runs: Vec<&[u32]> = order.iter().map(|&i| tokens.of(texts[i])).collect();
    let label = |column: &str| -> Result<HashSet<&str>> {
        Ok(answers.column(column)?.str()?.iter().flatten().collect())
    };
    let (speakers, outlets) = (label("speaker")?, label("outlet")?);
    let discovered = tokens.discovered_units(crate::discover::TEXT)?;
    let titled = tokens.discovered_units(crate::discover::TITLES)?;
    let is_person = |token: &str| {
        speakers.contains(token)
            || titled.contains(token)
            || (discovered.contains(token)
                && token.chars().all(|c| words.transliteration.contains(&c)))
    };
    let is_name = |token: &str| {
        is_person(token)
            || words.places.contains(token)
            || outlets.contains(token)
            || matches!(&words.jieba.tag(token, false)[..], [one]
                if one.word == token && one.tag.starts_with("nr"))
    };
    let rules = formulations::Rules {
        edges: &words.formulation_edges,
        offices: &words.offices,
        discovered: &discovered,
        is_name: &is_name,
        is_person: &is_person,
    };
    let corpus = formulations::Corpus {
        answers: &runs,
        dates: &dates,
    };
    Ok(formulations::discover(
        &corpus,
        &tokens.vocab,
        &rules,
        &config.analysis.formulations,
    ))
}

/// Each answer's tagged topics (answer_topics.csv), as indices into
/// `topic_ids` (whose first, [`ALL`], no tag names).
fn tags_of<'a>(
    answer_topics: &'a DataFrame,
    topic_ids: &[String],
) -> Result<HashMap<&'a str, Vec<u16>>> {
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
    Ok(tags)
}

/// Gathers the counted answers, in order: each one's register hits into the
/// columns of register_hits.csv, and each answer with a word token, given its
/// period, its topics and its speaker, into the answers of the counts.
fn gather(
    counted: Vec<Counted>,
    period: Period,
    period_of: &HashMap<&str, i32>,
    tags: &HashMap<&str, Vec<u16>>,
    speaker_of: &HashMap<&str, u16>,
) -> (HitColumns, Vec<Answer>) {
    let mut hits = HitColumns::default();
    let mut answers = Vec::with_capacity(counted.len());
    for Counted {
        mut answer,
        hits: h,
    } in counted
    {
        answer.period = period_of.get(answer.id.as_str()).copied();
        for row in h {
            hits.year.push(Some(answer.year));
            hits.period.push(answer.period.map(|k| period.label(k)));
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
            answer.speaker = speaker_of
                .get(answer.id.as_str())
                .copied()
                .unwrap_or(counts::NO_SPEAKER);
            answers.push(answer);
        }
    }
    (hits, answers)
}

/// What phrase_freq.csv has counted, keyness cannot test where a phrase is
/// in fewer than `min_answers` answers of the corpus: the shifts stage gets
/// the rest, here as when it reads answer_counts.bin. The units keep the
/// terms left and every tracked phrase.
fn keep_testable(counts: &mut Counts, units: &mut [Sums], min_answers: u32) {
    counts.prune(min_answers);
    let kept: std::collections::HashSet<Term> = counts
        .answers
        .iter()
        .flat_map(|a| a.terms.iter().map(|t| t.0))
        .collect();
    for u in units {
        u.rows
            .retain(|r| matches!(r.0, Term::Tracked(_)) || kept.contains(&r.0));
    }
}

/// Each record's period key, from its year and date (answers.csv); records
/// whose date gives no month have none at a quarter or a month.
fn periods_of(answers: &DataFrame, period: Period) -> Result<HashMap<&str, i32>> {
    let (id, year, date) = (
        answers.column("id")?.str()?,
        answers.column("year")?.i32()?,
        answers.column("date")?.str()?,
    );
    Ok((0..answers.height())
        .filter_map(|i| Some((id.get(i)?, period.key(year.get(i)?, date.get(i))?)))
        .collect())
}

/// The speakers of answers.csv in name order, and each record's speaker as
/// an index into them (records whose speaker is empty have none).
fn speakers_of(answers: &DataFrame) -> Result<(Vec<String>, HashMap<&str, u16>)> {
    let (id, speaker) = (
        answers.column("id")?.str()?,
        answers.column("speaker")?.str()?,
    );
    let names: std::collections::BTreeSet<&str> =
        speaker.iter().flatten().filter(|s| !s.is_empty()).collect();
    let names: Vec<String> = names.into_iter().map(String::from).collect();
    let index = |s: &str| names.binary_search_by(|n| n.as_str().cmp(s)).ok();
    let mut of = HashMap::new();
    for (i, s) in id.iter().zip(speaker.iter()) {
        if let (Some(i), Some(s)) = (i, s.and_then(index)) {
            // At most u16::MAX − 1 speakers: the last value means none.
            of.insert(i, s.min(usize::from(counts::NO_SPEAKER) - 1) as u16);
        }
    }
    Ok((names, of))
}

/// formulations.csv: each formulation's uses and answers in every year with
/// answers (topic `all`), counted before the counts are pruned, and the
/// periods of its first and last use at the chosen period.
fn formulation_table(
    found: &[formulations::Formulation],
    counts: &Counts,
    times: &Times,
    alpha: f64,
) -> Result<DataFrame> {
    let incomplete = times.year.incomplete();
    let mut tokens: BTreeMap<i32, u64> = BTreeMap::new();
    for a in &counts.answers {
        *tokens.entry(a.year).or_default() += u64::from(a.n_tokens);
    }
    let years: Vec<formulations::Year> = tokens
        .into_iter()
        .map(|(year, n_tokens)| formulations::Year {
            year,
            n_tokens,
            partial: incomplete.contains(&year),
        })
        .collect();
    let mut per_year: Vec<BTreeMap<i32, formulations::Uses>> = vec![BTreeMap::new(); found.len()];
    for a in &counts.answers {
        for &(t, c) in &a.terms {
            if let Term::Formulation(f) = t {
                let uses = per_year[f as usize].entry(a.year).or_default();
                uses.n += c;
                uses.answers += 1;
            }
        }
    }
    let tracked = counts.names.tracked.iter().cloned().collect();
    let period = times.period.period();
    let period_of = |date: &str| {
        date.get(..4)
            .and_then(|y| y.parse().ok())
            .and_then(|y| period.key(y, Some(date)))
            .map(|k| period.label(k))
            .unwrap_or_default()
    };
    let f = formulations::Found {
        found,
        tokens: counts.names.tokens_of(),
        tracked: &tracked,
        alpha,
        period_of: &period_of,
    };
    formulations::table(&f, &years, &per_year)
}
