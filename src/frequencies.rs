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
//! and the register index, one row per answer, topic and term that occurs:
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

use std::collections::{BTreeMap, BTreeSet};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use polars::prelude::*;

use crate::config::topics::{Topics, ALL};
use crate::config::words::{ContextRule, Lexicon, Words};
use crate::error::{Error, Result};
use crate::store::Store;
use crate::table::{field, join, Schema, Ty::*};
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
    pub answer_counts: DataFrame,
    pub register_hits: DataFrame,
}

impl Frequencies {
    const STAGE: &'static str = "frequencies";

    pub fn write(&self, store: &Store) -> Result<()> {
        store.write_tables(&[
            ("phrase_freq.csv", &self.phrase_freq, PHRASE_FREQ),
            self.topic_year.entry(),
            ("answer_sizes.csv", &self.answer_sizes, ANSWER_SIZES),
            ("answer_counts.csv", &self.answer_counts, ANSWER_COUNTS),
            ("register_hits.csv", &self.register_hits, REGISTER_HITS),
        ])
    }

    pub fn read(store: &Store) -> Result<Frequencies> {
        let read = |name, schema| store.read_table(name, schema, Frequencies::STAGE);
        Ok(Frequencies {
            phrase_freq: read("phrase_freq.csv", PHRASE_FREQ)?,
            topic_year: TopicYear::new(read(TopicYear::FILE, TOPIC_YEAR)?)?,
            answer_sizes: read("answer_sizes.csv", ANSWER_SIZES)?,
            answer_counts: read("answer_counts.csv", ANSWER_COUNTS)?,
            register_hits: read("register_hits.csv", REGISTER_HITS)?,
        })
    }
}

/// Each answer's text and size, and the literal counts of the tracked phrases
/// and the register lexicons' terms.
struct Docs {
    /// id, year, doc_tokens, doc_chars
    sizes: DataFrame,
    /// id, phrase, c (only c > 0)
    tracked: DataFrame,
    /// id, kind (lexicon name), phrase, c (only c > 0)
    register: DataFrame,
    /// Every register hit, as register_hits.csv has it.
    hits: DataFrame,
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

fn docs(
    answer_tokens: &DataFrame,
    phrases: &[String],
    words: &Words,
    window: usize,
) -> Result<Docs> {
    let (lexicons, contexts) = (&words.lexicons, &words.contexts);
    let matcher = AhoCorasick::new(phrases)
        .map_err(|e| Error::Table(format!("tracked phrase matcher: {e}")))?;
    // Within a lexicon a stretch of text counts once, as its longest term:
    // 合作共赢 is one conciliatory formula, not also 共赢.
    let lexicon_matchers = lexicons
        .iter()
        .map(|l| {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&l.terms)
                .map_err(|e| Error::Table(format!("lexicon matcher: {e}")))
        })
        .collect::<Result<Vec<_>>>()?;
    let (mut register_id, mut register_kind, mut register_term, mut register_c) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let ids = answer_tokens.column("id")?.str()?;
    let years = answer_tokens.column("year")?.i32()?;
    let tokens = answer_tokens.column("token")?.str()?;
    let words = answer_tokens.column("word")?.bool()?;
    let (mut size_id, mut size_year, mut size_tokens, mut size_chars) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut tracked_id, mut tracked_phrase, mut tracked_c) = (Vec::new(), Vec::new(), Vec::new());
    let mut hits = HitColumns::default();
    let mut text = String::new();
    let mut start = 0;
    while start < answer_tokens.height() {
        let id = ids.get(start).unwrap_or_default();
        let mut end = start;
        let mut n_tokens = 0u32;
        text.clear();
        while end < answer_tokens.height() && ids.get(end) == Some(id) {
            let t = tokens.get(end).unwrap_or_default();
            text.push_str(t);
            n_tokens += u32::from(words.get(end).unwrap_or(false));
            end += 1;
        }
        size_id.push(id);
        size_year.push(years.get(start));
        size_tokens.push(n_tokens);
        size_chars.push(text.chars().count() as u32);
        for (p, c) in literal_counts(&matcher, phrases.len(), &text)
            .into_iter()
            .enumerate()
        {
            if c > 0 {
                tracked_id.push(id);
                tracked_phrase.push(phrases[p].as_str());
                tracked_c.push(c);
            }
        }
        let mut counts: BTreeMap<(Stance, &str), u32> = BTreeMap::new();
        for hit in register_hits(&text, lexicons, &lexicon_matchers, contexts) {
            if let Some(stance) = hit.counted_as {
                *counts.entry((stance, hit.term)).or_default() += 1;
            }
            let (left, right) = context(&text, hit.start, hit.end, window);
            hits.year.push(years.get(start));
            hits.id.push(id.to_string());
            hits.lexicon.push(hit.lexicon.as_str());
            hits.term.push(hit.term.to_string());
            hits.counted_as
                .push(hit.counted_as.map_or("", |s| s.as_str()));
            hits.left.push(left);
            hits.right.push(right);
            hits.rule.push(hit.rule.to_string());
        }
        for ((stance, term), c) in counts {
            register_id.push(id);
            register_kind.push(stance.as_str());
            register_term.push(term);
            register_c.push(c);
        }
        start = end;
    }
    Ok(Docs {
        sizes: df!(
            "id" => size_id,
            "year" => size_year,
            "doc_tokens" => size_tokens,
            "doc_chars" => size_chars,
        )?,
        tracked: df!("id" => tracked_id, "phrase" => tracked_phrase, "c" => tracked_c)?,
        register: df!(
            "id" => register_id,
            "kind" => register_kind,
            "phrase" => register_term,
            "c" => register_c,
        )?,
        hits: df!(
            "year" => hits.year,
            "id" => hits.id,
            "lexicon" => hits.lexicon,
            "term" => hits.term,
            "counted_as" => hits.counted_as,
            "left" => hits.left,
            "right" => hits.right,
            "rule" => hits.rule,
        )?,
    })
}

/// Computes both tables (see the module documentation).
///
/// Every table is keyed by year, so the work is done one year at a time and the
/// pieces stacked in year order: the result is the same, and the memory the
/// joins need is bounded by the largest year rather than by the corpus.
pub fn run(
    tokens: &DataFrame,
    answer_topics: &DataFrame,
    genres: &YearGenres,
    topics: &Topics,
    words: &Words,
    window: usize,
) -> Result<Frequencies> {
    let years: std::collections::BTreeSet<i32> =
        tokens.column("year")?.i32()?.iter().flatten().collect();
    let mut out: Option<[DataFrame; 5]> = None;
    for year in years {
        let of_year = |df: &DataFrame| {
            df.clone()
                .lazy()
                .filter(col("year").eq(lit(year)))
                .collect()
        };
        let f = run_year(
            &of_year(tokens)?,
            &of_year(answer_topics)?,
            topics,
            words,
            window,
        )?;
        out = Some(match out {
            None => f,
            Some(mut acc) => {
                for (a, b) in acc.iter_mut().zip(&f) {
                    a.vstack_mut(b)?;
                }
                acc
            }
        });
    }
    // No tokens at all: empty tables with the right columns.
    let out = match out {
        Some(f) => f,
        None => run_year(tokens, answer_topics, topics, words, window)?,
    };
    let [phrase_freq, topic_year, answer_sizes, answer_counts, register_hits] = out;
    Ok(Frequencies {
        phrase_freq: genres.insert(phrase_freq)?,
        topic_year: TopicYear::new(genres.insert(topic_year)?)?,
        answer_sizes,
        answer_counts,
        register_hits,
    })
}

/// The five tables (phrase_freq, topic_year, answer_sizes, answer_counts,
/// register_hits) for the tokens of one year: a chain of named steps, each a
/// lazy plan over the one before.
fn run_year(
    tokens: &DataFrame,
    answer_topics: &DataFrame,
    topics: &Topics,
    words: &Words,
    window: usize,
) -> Result<[DataFrame; 5]> {
    // The segment stage writes each field's tokens contiguously and in order, so
    // no sort is needed: one answer's tokens are consecutive rows by position.
    let answer_tokens = tokens
        .clone()
        .lazy()
        .filter(col("field").eq(lit("answer")))
        .collect()?;
    let (phrases, phrase_topics) = tracked_phrases(topics)?;
    let docs = docs(&answer_tokens, &phrases, words, window)?;
    let register_hits = docs.hits;
    let sizes = docs.sizes.lazy().filter(col("doc_tokens").gt(lit(0u32)));
    let sized = in_topics(&sizes, answer_topics)?;
    let groups = group_sizes(&sized);
    let tracked = join(
        join(docs.tracked.lazy(), sized.clone(), &["id"], JoinType::Inner),
        phrase_topics.clone(),
        &["phrase", "topic"],
        JoinType::Inner,
    )
    .with_column(PhraseKind::Tracked.lit().alias("kind"));
    let register = join(
        docs.register.lazy(),
        sized.clone(),
        &["id"],
        JoinType::Inner,
    );
    let segmented = join(
        segmented_counts(answer_tokens.lazy())?,
        sized.clone(),
        &["id"],
        JoinType::Inner,
    );
    let counts = [segmented.clone(), tracked.clone(), register];
    let per_answer = concat(
        [
            segmented.select(per_answer_columns()),
            tracked.clone().select(per_answer_columns()),
        ],
        UnionArgs::default(),
    )?;
    let counted = dispersion(per_answer, &groups)?;
    let counted = with_never_said(counted, &groups, phrase_topics)?;
    Ok([
        rates(counted, &groups)?,
        topic_year(&sizes, &groups, topics)?,
        answer_sizes(sized)?,
        answer_counts(counts)?,
        register_hits,
    ])
}

/// The tracked phrases (each once), and the topics each is counted in: its
/// own and `all`.
fn tracked_phrases(topics: &Topics) -> Result<(Vec<String>, LazyFrame)> {
    let mut pairs: BTreeMap<(String, String), ()> = BTreeMap::new();
    for t in &topics.topics {
        for p in &t.phrases {
            pairs.insert((p.clone(), t.id.clone()), ());
            pairs.insert((p.clone(), ALL.to_string()), ());
        }
    }
    let mut phrases: Vec<String> = pairs.keys().map(|(p, _)| p.clone()).collect();
    phrases.dedup();
    let phrase_topics = df!(
        "phrase" => pairs.keys().map(|(p, _)| p.as_str()).collect::<Vec<_>>(),
        "topic" => pairs.keys().map(|(_, t)| t.as_str()).collect::<Vec<_>>(),
    )?
    .lazy();
    Ok((phrases, phrase_topics))
}

/// Each answer's size in every topic it counts in: its tags, and `all`.
fn in_topics(sizes: &LazyFrame, answer_topics: &DataFrame) -> Result<LazyFrame> {
    let membership = concat(
        [
            answer_topics
                .clone()
                .lazy()
                .filter(col("tagged"))
                .select([col("id"), col("topic")]),
            sizes.clone().select([col("id"), lit(ALL).alias("topic")]),
        ],
        UnionArgs::default(),
    )?;
    Ok(join(sizes.clone(), membership, &["id"], JoinType::Inner))
}

/// Answers, word tokens and characters per (year, topic).
fn group_sizes(sized: &LazyFrame) -> LazyFrame {
    sized.clone().group_by([col("year"), col("topic")]).agg([
        len().alias("n_answers"),
        col("doc_tokens")
            .sum()
            .cast(DataType::UInt64)
            .alias("n_tokens"),
        col("doc_chars")
            .sum()
            .cast(DataType::UInt64)
            .alias("n_chars"),
    ])
}

/// Unigram and bigram counts per answer: id, phrase, kind, c.
fn segmented_counts(words: LazyFrame) -> Result<LazyFrame> {
    let unigrams = words
        .clone()
        .filter(col("content"))
        .group_by([col("id"), col("token")])
        .agg([len().alias("c")])
        .select([
            col("id"),
            col("token").alias("phrase"),
            PhraseKind::Unigram.lit().alias("kind"),
            col("c"),
        ]);
    let bigrams = words
        .with_columns([
            col("token").shift(lit(-1)).alias("next"),
            col("content").shift(lit(-1)).alias("next_content"),
            // The next row belongs to the same answer: cheaper than a window over ids.
            col("id").shift(lit(-1)).eq(col("id")).alias("same_answer"),
        ])
        .filter(
            col("content")
                .and(col("next_content").fill_null(lit(false)))
                .and(col("same_answer").fill_null(lit(false))),
        )
        .select([
            col("id"),
            (col("token") + lit(" ") + col("next")).alias("phrase"),
        ])
        .group_by([col("id"), col("phrase")])
        .agg([len().alias("c")])
        .select([
            col("id"),
            col("phrase"),
            PhraseKind::Bigram.lit().alias("kind"),
            col("c"),
        ]);
    Ok(concat([unigrams, bigrams], UnionArgs::default())?)
}

/// Per (year, topic, kind, phrase): n, the answers it occurs in, and Gries'
/// DP over the (year, topic)'s answers.
fn dispersion(per_answer: LazyFrame, groups: &LazyFrame) -> Result<LazyFrame> {
    let key = [col("year"), col("topic"), col("kind"), col("phrase")];
    Ok(join(
        per_answer,
        groups.clone(),
        &["year", "topic"],
        JoinType::Inner,
    )
    .with_columns([
        (col("c").cast(DataType::Float64)
            / col("c").sum().over(key.clone())?.cast(DataType::Float64))
        .alias("v"),
        (col("doc_tokens").cast(DataType::Float64) / col("n_tokens").cast(DataType::Float64))
            .alias("s"),
    ])
    .with_column(
        // |v − s| − s; the answers where the phrase is absent add up to 1 − Σ s.
        (when(col("v").gt_eq(col("s")))
            .then(col("v") - col("s"))
            .otherwise(col("s") - col("v"))
            - col("s"))
        .alias("d"),
    )
    .group_by(key)
    .agg([
        col("c").sum().cast(DataType::UInt64).alias("n"),
        len().alias("n_answers"),
        (lit(0.5) * (col("d").sum() + lit(1.0))).alias("dp"),
    ]))
}

/// The counts plus an n = 0 row for every tracked phrase in every (year,
/// topic) it belongs to and is never said in: "never said" stays visible.
fn with_never_said(
    counted: LazyFrame,
    groups: &LazyFrame,
    phrase_topics: LazyFrame,
) -> Result<LazyFrame> {
    let tracked_grid = join(
        groups.clone().select([col("year"), col("topic")]),
        phrase_topics,
        &["topic"],
        JoinType::Inner,
    )
    .with_column(PhraseKind::Tracked.lit().alias("kind"));
    let zeros = join(
        tracked_grid,
        counted.clone(),
        &["year", "topic", "kind", "phrase"],
        JoinType::Left,
    )
    .filter(col("n").is_null())
    .with_columns([
        lit(0).cast(DataType::UInt64).alias("n"),
        lit(0).cast(DataType::UInt32).alias("n_answers"),
        lit(NULL).cast(DataType::Float64).alias("dp"),
    ]);
    let columns = [
        col("year"),
        col("topic"),
        col("phrase"),
        col("kind"),
        col("n"),
        col("n_answers"),
        col("dp"),
    ];
    Ok(concat(
        [counted.select(columns.clone()), zeros.select(columns)],
        UnionArgs::default(),
    )?)
}

/// phrase_freq.csv: the counts with their rates, in the documented order.
fn rates(counted: LazyFrame, groups: &LazyFrame) -> Result<DataFrame> {
    Ok(
        join(counted, groups.clone(), &["year", "topic"], JoinType::Inner)
            .select([
                col("year"),
                col("topic"),
                col("phrase"),
                col("kind"),
                col("n"),
                (col("n").cast(DataType::Float64) * lit(10_000.0)
                    / col("n_tokens").cast(DataType::Float64))
                .alias("per_10k_tokens"),
                (col("n").cast(DataType::Float64) * lit(10_000.0)
                    / col("n_chars").cast(DataType::Float64))
                .alias("per_10k_chars"),
                col("n_answers").cast(DataType::UInt32),
                col("dp"),
            ])
            .sort_by_exprs(
                [
                    col("year"),
                    col("topic"),
                    col("kind"),
                    col("n"),
                    col("phrase"),
                ],
                SortMultipleOptions::default()
                    .with_order_descending_multi([false, false, true, true, false]),
            )
            .collect()?,
    )
}

/// answer_sizes.csv.
fn answer_sizes(sized: LazyFrame) -> Result<DataFrame> {
    Ok(sized
        .select([
            col("id"),
            col("year"),
            col("topic"),
            col("doc_tokens").alias("n_tokens"),
            col("doc_chars").alias("n_chars"),
        ])
        .sort(["year", "topic", "id"], SortMultipleOptions::default())
        .collect()?)
}

/// answer_counts.csv: per-answer counts of every phrase and lexicon term.
fn answer_counts(counts: [LazyFrame; 3]) -> Result<DataFrame> {
    Ok(concat(
        counts.map(|c| c.select(answer_count_columns())),
        UnionArgs::default(),
    )?
    .sort(
        ["year", "topic", "id", "kind", "phrase"],
        SortMultipleOptions::default(),
    )
    .collect()?)
}

fn answer_count_columns() -> [Expr; 6] {
    [
        col("id"),
        col("year"),
        col("topic"),
        col("kind"),
        col("phrase"),
        col("c").cast(DataType::UInt32).alias("n"),
    ]
}

fn per_answer_columns() -> [Expr; 8] {
    [
        col("id"),
        col("year"),
        col("topic"),
        col("kind"),
        col("phrase"),
        col("c").cast(DataType::UInt32),
        col("doc_tokens"),
        col("doc_chars"),
    ]
}

/// One row per year with data and topic, zeros where a topic is not discussed.
fn topic_year(sizes: &LazyFrame, groups: &LazyFrame, topics: &Topics) -> Result<DataFrame> {
    let order: Vec<&str> = std::iter::once(ALL).chain(topics.ids()).collect();
    let topic_order = df!(
        "topic" => &order,
        "order" => (0..order.len() as u32).collect::<Vec<_>>(),
    )?
    .lazy();
    let years = sizes
        .clone()
        .select([col("year")])
        .unique(None, UniqueKeepStrategy::Any);
    let grid = join(
        years.with_column(lit(1u8).alias("k")),
        topic_order.with_column(lit(1u8).alias("k")),
        &["k"],
        JoinType::Inner,
    );
    let totals = groups
        .clone()
        .filter(col("topic").eq(lit(ALL)))
        .select([col("year"), col("n_chars").alias("year_chars")]);
    let out = join(
        join(grid, groups.clone(), &["year", "topic"], JoinType::Left),
        totals,
        &["year"],
        JoinType::Left,
    )
    .select([
        col("year"),
        col("topic"),
        col("order"),
        col("n_answers").fill_null(lit(0)).cast(DataType::UInt32),
        col("n_tokens").fill_null(lit(0)).cast(DataType::UInt64),
        col("n_chars").fill_null(lit(0)).cast(DataType::UInt64),
        (col("n_chars").fill_null(lit(0)).cast(DataType::Float64)
            / col("year_chars").cast(DataType::Float64))
        .alias("share"),
    ])
    .sort(["year", "order"], SortMultipleOptions::default())
    .collect()?;
    let out = out.drop("order")?;
    Ok(out)
}
