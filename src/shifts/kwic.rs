//! Evidence: the sentences behind a number, as keyword-in-context lines.
//!
//! Text is the normalised answer without white space, the same text the
//! tracked phrases are counted in, so a tracked phrase has exactly as many KWIC
//! lines in a (year, topic) as its count in phrase_freq.csv, up to the cap. A bigram `左 右`
//! is searched as `左右`.
//!
//! Output `kwic.csv`, one row per occurrence, in year, topic, phrase and
//! text order (an answer with two topics appears under both). Its columns,
//! in order, are documented once, in docs/outputs.md ("tables/kwic.csv"),
//! which `tests/cli/docs.rs` holds to [`KWIC`].
//!
//! At most `max_lines` lines per (year, topic, phrase) are kept, the first in
//! text order (`--kwic-all` keeps every line): at briefing scale a common
//! phrase has thousands of lines a year, and the table is evidence to read,
//! not a second copy of the corpus.
//!
//! `rhetoric-shift kwic PHRASE` prints the same lines as a concordance.

use std::collections::{BTreeMap, BTreeSet};

use polars::prelude::*;

use super::Keyness;
use crate::categories::{Category, Reference, Why};
use crate::config::analysis::KwicSettings;
use crate::config::topics::{Topics, ALL};
use crate::config::Config;
use crate::error::Result;
use crate::ingest::Ingest;
use crate::store::Store;
use crate::topics::Tagged;

crate::typed_table!(
    /// `kwic.csv`: the evidence behind the numbers.
    Kwic,
    KWIC,
    "kwic.csv"
);
use crate::text::counted;

/// One answer's searchable text. Only the string is kept, not also its
/// characters: with a `Vec<char>` of every answer, the answers held here
/// were 119 of the shifts stage's 808 MB of peak heap (heaptrack, vocab
/// 40 MB); a line's context is read from the string around the match.
struct Searchable {
    id: String,
    year: i32,
    topics: Vec<String>,
    joined: String,
}

/// One concordance line.
pub struct Line {
    pub year: i32,
    pub topic: String,
    pub id: String,
    pub left: String,
    pub phrase: String,
    pub right: String,
    pub why: Why,
}

/// The answers with their tagged topics (joined from answer_topics.csv by id).
fn load(answers: &DataFrame, tagged: &Tagged) -> Result<Vec<Searchable>> {
    let id = answers.column("id")?.str()?;
    let year = answers.column("year")?.i32()?;
    let text = answers.column("answer")?.str()?;
    let mut topics = tagged.by_answer()?;
    Ok((0..answers.height())
        .filter_map(|i| {
            let joined = counted(text.get(i)?);
            Some(Searchable {
                id: id.get(i)?.to_string(),
                year: year.get(i)?,
                topics: topics.remove(id.get(i)?).unwrap_or_default(),
                joined,
            })
        })
        .collect())
}

/// Lines for `phrase` in the answers of `year` (all years if None) and `topic`
/// (`all` or None for every answer).
fn find(
    answers: &[Searchable],
    phrase: &str,
    year: Option<i32>,
    topic: Option<&str>,
    window: usize,
    why: Why,
) -> Vec<Line> {
    let needle = counted(phrase);
    let mut lines = Vec::new();
    if needle.is_empty() {
        return lines;
    }
    for a in answers {
        let in_topic = match topic {
            None | Some(ALL) => true,
            Some(t) => a.topics.iter().any(|x| x == t),
        };
        if year.is_some_and(|y| y != a.year) || !in_topic {
            continue;
        }
        for (byte, _) in a.joined.match_indices(&needle) {
            // `window` characters either side of the match, fewer at an edge.
            let before = &a.joined[..byte];
            let start = before
                .char_indices()
                .rev()
                .take(window)
                .last()
                .map_or(byte, |(i, _)| i);
            let after = &a.joined[byte + needle.len()..];
            let end = after
                .char_indices()
                .nth(window)
                .map_or(after.len(), |(i, _)| i);
            let (left, right) = (before[start..].to_string(), after[..end].to_string());
            lines.push(Line {
                year: a.year,
                topic: topic.unwrap_or(ALL).to_string(),
                id: a.id.clone(),
                left,
                phrase: phrase.to_string(),
                right,
                why,
            });
        }
    }
    lines
}

/// Builds kwic.csv from answers.csv, their topics and keyness.csv: at most
/// `max_lines` per (year, topic, phrase), or every line if `all`.
pub fn run(
    answers: &DataFrame,
    tagged: &Tagged,
    keyness: &Keyness,
    topics: &Topics,
    k: &KwicSettings,
    all: bool,
) -> Result<DataFrame> {
    let answers = load(answers, tagged)?;
    let mut by_year: BTreeMap<i32, Vec<Searchable>> = Default::default();
    for a in answers {
        by_year.entry(a.year).or_default().push(a);
    }
    let mut lines = tracked_lines(&by_year, topics, k.window);
    lines.extend(keyness_lines(keyness, &by_year, topics, k)?);
    lines.sort_by(|a, b| (a.year, &a.topic, &a.phrase).cmp(&(b.year, &b.topic, &b.phrase)));
    if !all {
        cap(&mut lines, k.max_lines);
    }
    let mut out = Columns::default();
    for l in &lines {
        out.year.push(l.year);
        out.topic.push(&l.topic);
        out.id.push(&l.id);
        out.left.push(&l.left);
        out.phrase.push(&l.phrase);
        out.right.push(&l.right);
        out.why.push(l.why.as_str());
    }
    out.frame()
}

crate::columns! {
    /// The columns of `kwic.csv`.
    pub const KWIC: &Schema;
    /// kwic.csv's columns, borrowed from its lines.
    struct Columns<'a> {
        year: i32,
        topic: &'a str,
        id: &'a str,
        left: &'a str,
        phrase: &'a str,
        right: &'a str,
        why: &'static str,
    }
}

/// The lines of the tracked phrases: each answer is searched for the tracked
/// phrases of its own topics only.
fn tracked_lines(
    by_year: &BTreeMap<i32, Vec<Searchable>>,
    topics: &Topics,
    window: usize,
) -> Vec<Line> {
    let mut lines = Vec::new();
    for year_answers in by_year.values() {
        for a in year_answers {
            for t in topics.topics.iter().filter(|t| a.topics.contains(&t.id)) {
                for p in &t.phrases {
                    lines.extend(find(
                        std::slice::from_ref(a),
                        p,
                        None,
                        Some(&t.id),
                        window,
                        Why::Tracked,
                    ));
                }
            }
        }
    }
    lines
}

/// The lines of the `top` phrases of each (year, topic) by log-odds z
/// against the rest, over-used ones only, leaving out the tracked phrases
/// (they have their lines already).
fn keyness_lines(
    keyness: &Keyness,
    by_year: &BTreeMap<i32, Vec<Searchable>>,
    topics: &Topics,
    k: &KwicSettings,
) -> Result<Vec<Line>> {
    let mut tracked: BTreeSet<(String, String)> = BTreeSet::new();
    for t in &topics.topics {
        for p in &t.phrases {
            tracked.insert((t.id.clone(), p.clone()));
        }
    }
    // keyness.csv is sorted by year, topic, reference, kind and z, highest first.
    let top = keyness
        .frame()
        .clone()
        .lazy()
        .filter(
            col("reference")
                .eq(Reference::Rest.lit())
                .and(col("a").gt(lit(0)))
                .and(col("logodds_z").gt(lit(0.0))),
        )
        .sort_by_exprs(
            [col("year"), col("topic"), col("logodds_z"), col("phrase")],
            SortMultipleOptions::default().with_order_descending_multi([false, false, true, false]),
        )
        .collect()?;
    let year = top.column("year")?.i32()?;
    let topic = top.column("topic")?.str()?;
    let phrase = top.column("phrase")?.str()?;
    let mut lines = Vec::new();
    let mut taken: BTreeSet<(i32, String, String)> = BTreeSet::new();
    let mut per_unit: BTreeMap<(i32, String), usize> = Default::default();
    for i in 0..top.height() {
        let (Some(y), Some(t), Some(p)) = (year.get(i), topic.get(i), phrase.get(i)) else {
            continue;
        };
        let n = per_unit.entry((y, t.to_string())).or_default();
        let joined: String = p.chars().filter(|c| !c.is_whitespace()).collect();
        if *n >= k.top
            || tracked.contains(&(t.to_string(), joined.clone()))
            || !taken.insert((y, t.to_string(), joined))
        {
            continue;
        }
        *n += 1;
        if let Some(year_answers) = by_year.get(&y) {
            lines.extend(find(
                year_answers,
                p,
                Some(y),
                Some(t),
                k.window,
                Why::Keyness,
            ));
        }
    }
    Ok(lines)
}

/// The first `max_lines` lines of each (year, topic, phrase) of the sorted
/// lines.
fn cap(lines: &mut Vec<Line>, max_lines: usize) {
    let mut kept = 0;
    let mut previous: Option<(i32, String, String)> = None;
    lines.retain(|l| {
        let key = (l.year, l.topic.clone(), l.phrase.clone());
        if previous.as_ref() != Some(&key) {
            kept = 0;
            previous = Some(key);
        }
        kept += 1;
        kept <= max_lines
    });
}

/// The `kwic` command: the concordance of `phrase` in the answers an earlier
/// run wrote, as lines to print; `window` defaults to analysis.toml's.
pub fn command(
    config: &Config,
    store: &Store,
    phrase: &str,
    year: Option<i32>,
    topic: Option<&str>,
    window: Option<usize>,
) -> Result<Vec<String>> {
    let window = window.unwrap_or(config.analysis.kwic.window);
    let answers = load(&Ingest::read_answers(store)?, &Tagged::read(store)?)?;
    let lines = find(&answers, phrase, year, topic, window, Why::Tracked);
    Ok(lines.iter().map(|l| format_line(l, window)).collect())
}

/// The first concordance line of each (phrase, year) of `wanted` in the
/// answers (any topic), with `window` characters each side: (id, left,
/// right), None where the year's answers do not hold the phrase.
pub fn first_lines(
    answers: &DataFrame,
    tagged: &Tagged,
    wanted: &[(String, i32)],
    window: usize,
) -> Result<Vec<Option<(String, String, String)>>> {
    let answers = load(answers, tagged)?;
    Ok(wanted
        .iter()
        .map(|(phrase, year)| {
            find(&answers, phrase, Some(*year), None, window, Why::Tracked)
                .into_iter()
                .next()
                .map(|l| (l.id, l.left, l.right))
        })
        .collect())
}

/// A concordance line for the terminal: the left context right-aligned with
/// ideographic spaces (as wide as a Chinese character), the phrase in 【】.
fn format_line(l: &Line, window: usize) -> String {
    let pad = window.saturating_sub(l.left.chars().count());
    format!(
        "{}  {}{}【{}】{}",
        l.id,
        "\u{3000}".repeat(pad),
        l.left,
        l.phrase,
        l.right
    )
}
