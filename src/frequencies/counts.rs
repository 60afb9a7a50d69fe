//! The per-answer counts: every term of every answer, by id.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use polars::prelude::*;

use crate::categories::Category;
use crate::config::words::{Lexicon, Words};
use crate::error::{Error, Result};
use crate::period::Period;
use crate::segment::{Text, Tokens, Vocab};

use super::names::{Names, Term};
use super::register::{context, register_hits, HitRow};

/// One answer with at least one word token, as the shifts stage resamples it.
pub struct Answer {
    pub id: String,
    pub year: i32,
    /// The key of its period ([`Counts::period`]); None where the period is
    /// finer than the year and its date gives no month.
    pub period: Option<i32>,
    /// Who said it: an index into [`Counts::speakers`], or [`NO_SPEAKER`].
    pub speaker: u16,
    /// The topics it counts in (indices into [`Counts::topics`]): `all` (0)
    /// and its tags.
    pub topics: Vec<u16>,
    pub n_tokens: u32,
    pub n_chars: u32,
    /// Every term that occurs, with its count, in term order.
    pub terms: Vec<(Term, u32)>,
}

/// The speaker of an answer whose speaker the text does not say.
pub const NO_SPEAKER: u16 = u16::MAX;

/// The per-answer counts of the corpus (answer_counts.csv, by id).
pub struct Counts {
    pub names: std::sync::Arc<Names>,
    /// The period the answers' `period` keys are of.
    pub period: Period,
    /// `all`, then the topics of topics.toml in order.
    pub topics: Vec<String>,
    /// The speakers of answers.csv, in name order.
    pub speakers: Vec<String>,
    /// In year order, then in the order of answers.csv.
    pub answers: Vec<Answer>,
}

/// What units of answers are grouped by: the year (keyness, which stays
/// yearly) or the run's period (every other table that compares times).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    Year,
    Period,
}

impl Counts {
    /// The answers of every (period, topic) with answers, in (period key,
    /// topic id) order: indices into `answers`.
    pub fn units(&self) -> Vec<(i32, u16, Vec<usize>)> {
        self.units_where(By::Period, |_| true)
    }

    /// The answers of every (time, topic) among those that `keep` keeps (one
    /// speaker's, say), the time being the year or the period key as `by`
    /// says, in (time, topic id) order.
    pub fn units_where(
        &self,
        by: By,
        keep: impl Fn(&Answer) -> bool,
    ) -> Vec<(i32, u16, Vec<usize>)> {
        let mut units: BTreeMap<(i32, &str), (u16, Vec<usize>)> = BTreeMap::new();
        for (i, a) in self.answers.iter().enumerate().filter(|(_, a)| keep(a)) {
            let Some(time) = (match by {
                By::Year => Some(a.year),
                By::Period => a.period,
            }) else {
                continue;
            };
            for &t in &a.topics {
                units
                    .entry((time, self.topics[t as usize].as_str()))
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

    /// Drops the counts of terms that no keyness family can test: a phrase
    /// in fewer than `min_answers` answers of the whole corpus is in fewer
    /// in any pool. Tracked phrases and register terms stay (they are
    /// reported whatever their counts). Most distinct bigrams are said once,
    /// so this is most of the counts of a large corpus.
    pub fn prune(&mut self, min_answers: u32) {
        let mut answers_of: HashMap<Term, u32> = HashMap::new();
        for a in &self.answers {
            for &(t, _) in &a.terms {
                *answers_of.entry(t).or_default() += 1;
            }
        }
        for a in &mut self.answers {
            a.terms.retain(|(t, _)| {
                matches!(t, Term::Tracked(_) | Term::Register(..))
                    || answers_of.get(t).is_some_and(|&n| n >= min_answers)
            });
        }
    }

    /// answer_counts.csv (see the module documentation), rows in year, topic,
    /// id, kind and phrase order.
    pub(super) fn frame(&self) -> Result<DataFrame> {
        let mut out = AnswerCounts::default();
        for (y, t, answers) in self.units_where(By::Year, |_| true) {
            for i in answers {
                let a = &self.answers[i];
                let mut rows: Vec<(&str, Cow<str>, u32)> = a
                    .terms
                    .iter()
                    .filter(|(term, _)| self.names.counts_in(*term, t))
                    .map(|&(term, c)| (Names::kind(term), self.names.phrase(term), c))
                    .collect();
                rows.sort();
                for (k, p, c) in rows {
                    out.id.push(a.id.as_str());
                    out.year.push(y);
                    out.topic.push(self.topics[t as usize].as_str());
                    out.kind.push(k);
                    out.phrase.push(p);
                    out.n.push(c);
                }
            }
        }
        out.frame()
    }
}

crate::columns! {
    /// The columns of `answer_counts.csv`.
    pub const ANSWER_COUNTS: &Schema;
    /// answer_counts.csv's columns, borrowed from the counts where they can be.
    struct AnswerCounts<'a> {
        id: &'a str,
        year: i32,
        topic: &'a str,
        kind: &'a str,
        phrase: Cow<'a, str>,
        n: u32,
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

/// What the counting pass finds in one answer's text.
pub(super) struct Counted {
    pub(super) answer: Answer,
    pub(super) hits: Vec<HitRow>,
}

/// The matchers of the literal counts: tracked phrases, and one per lexicon.
pub(super) struct Matchers {
    tracked: AhoCorasick,
    lexicons: Vec<AhoCorasick>,
    formulations: crate::formulations::Matcher,
}

impl Matchers {
    /// `formulations`: each formulation's token ids, in [`Names::formulations`] order.
    pub(super) fn new(
        names: &Names,
        lexicons: &[Lexicon],
        formulations: &[Vec<u32>],
    ) -> Result<Matchers> {
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
        Ok(Matchers {
            tracked,
            lexicons,
            formulations: crate::formulations::Matcher::new(formulations),
        })
    }
}

/// Counts every term of one answer's tokens: its size, its content unigrams
/// and bigrams by id, the formulations in its tokens, the tracked phrases and
/// register terms in its text.
pub(super) fn count_answer(
    tokens: &Tokens,
    text: &Text,
    names: &Names,
    matchers: &Matchers,
    words: &Words,
    window: usize,
) -> Counted {
    let ids = tokens.of(text);
    let Tally {
        joined,
        n_tokens,
        mut terms,
    } = tally(ids, &tokens.vocab);
    for (p, c) in literal_counts(&matchers.tracked, names.tracked.len(), &joined)
        .into_iter()
        .enumerate()
    {
        if c > 0 {
            terms.push((Term::Tracked(p as u32), c));
        }
    }
    terms.extend(
        matchers
            .formulations
            .counts(ids)
            .into_iter()
            .map(|(f, c)| (Term::Formulation(f), c)),
    );
    let (register, hits) = register_terms(&joined, names, matchers, words, window);
    terms.extend(register);
    terms.sort_unstable();
    Counted {
        answer: Answer {
            id: text.id.clone(),
            year: text.year,
            period: None,
            speaker: NO_SPEAKER,
            topics: vec![0],
            n_tokens,
            n_chars: joined.chars().count() as u32,
            terms,
        },
        hits,
    }
}

/// What one pass over an answer's tokens finds: its text joined, its word
/// tokens, and its content unigrams and bigrams (unsorted).
struct Tally {
    joined: String,
    n_tokens: u32,
    terms: Vec<(Term, u32)>,
}

/// The [`Tally`] of the token ids `ids`.
fn tally(ids: &[u32], vocab: &Vocab) -> Tally {
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
    let terms: Vec<(Term, u32)> = unigrams
        .into_iter()
        .map(|(t, c)| (Term::Unigram(t), c))
        .chain(
            bigrams
                .into_iter()
                .map(|((a, b), c)| (Term::Bigram(a, b), c)),
        )
        .collect();
    Tally {
        joined,
        n_tokens,
        terms,
    }
}

/// The register terms counted in the answer's text `joined`, and every hit
/// (counted or not) with its context of `window` characters, for hits.csv.
fn register_terms(
    joined: &str,
    names: &Names,
    matchers: &Matchers,
    words: &Words,
    window: usize,
) -> (BTreeMap<Term, u32>, Vec<HitRow>) {
    let mut register: BTreeMap<Term, u32> = BTreeMap::new();
    let mut hits = Vec::new();
    for hit in register_hits(
        joined,
        &words.lexicons,
        &matchers.lexicons,
        &words.contexts,
        &words.general_context,
    ) {
        if let (Some(stance), Some(&t)) = (hit.counted_as, names.register_index.get(hit.term)) {
            *register.entry(Term::Register(stance, t)).or_default() += 1;
        }
        let (left, right) = context(joined, hit.start, hit.end, window);
        hits.push(HitRow {
            lexicon: hit.lexicon.as_str(),
            term: hit.term.to_string(),
            counted_as: hit.counted_as.map_or("", |s| s.as_str()),
            left,
            right,
            rule: hit.rule.to_string(),
        });
    }
    (register, hits)
}
