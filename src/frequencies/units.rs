//! The (year, topic) units: their sizes and phrase rows, and the tables made of them.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};

use polars::prelude::*;

use crate::error::Result;
use crate::table;

use rayon::prelude::*;

use super::counts::{Answer, By, Counts};
use super::names::{Names, Term};
use super::PeriodFacts;

/// A term's sums over the answers of a (year, topic): its counts for
/// phrase_freq.csv, and what the answer-level test of keyness needs of it
/// (`shifts::answer_level`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TermSums {
    /// Occurrences.
    pub n: u64,
    /// Answers holding it.
    pub answers: u32,
    /// Σ c_i² and Σ c_i·s_i over those answers (c_i its count in answer i,
    /// s_i the answer's word tokens).
    pub sq: f64,
    pub cross: f64,
    /// Σ c_i³, Σ c_i²·s_i and Σ c_i·s_i² over those answers.
    pub cube: f64,
    pub sq_tokens: f64,
    pub cross_tokens: f64,
}

impl TermSums {
    /// Whether these sums are exact: each is a sum of products of counts, so
    /// an integer, and a float sum of non-negative integers is exact, in any
    /// order and grouping, while it stays below 2^53: the sums of some
    /// answers then equal, to the bit, those of a subset plus those of the
    /// rest, and a size less a subset's is the rest's.
    pub fn exact(&self) -> bool {
        [
            self.sq,
            self.cross,
            self.cube,
            self.sq_tokens,
            self.cross_tokens,
        ]
        .iter()
        .all(|&x| x < EXACT_BELOW)
    }
}

/// 2^53: the integers below it are exact in an f64 ([`TermSums::exact`]).
pub const EXACT_BELOW: f64 = 9_007_199_254_740_992.0;

impl std::ops::AddAssign for TermSums {
    fn add_assign(&mut self, o: TermSums) {
        self.n += o.n;
        self.answers += o.answers;
        self.sq += o.sq;
        self.cross += o.cross;
        self.cube += o.cube;
        self.sq_tokens += o.sq_tokens;
        self.cross_tokens += o.cross_tokens;
    }
}

/// A (time, topic): its size, and its rows of phrase_freq.csv with each
/// term's sums.
pub struct Sums {
    /// The year or the period key, as the units were grouped ([`By`]).
    pub time: i32,
    pub topic: u16,
    pub n_answers: u32,
    pub n_tokens: u64,
    pub n_chars: u64,
    /// Σ s_i² and Σ s_i³ over the answers (s_i word tokens).
    pub tokens_sq: f64,
    pub tokens_cube: f64,
    /// (term, sums, dp) in the table's order: kind descending (unigram,
    /// tracked, bigram), n descending, phrase.
    pub rows: Vec<(Term, TermSums, Option<f64>)>,
}

/// Every (time, topic) with its terms' sums, the time as `by` says, in
/// [`Counts::units_where`] order.
pub fn sums(counts: &Counts, by: By) -> Vec<Sums> {
    counts
        .units_where(by, |_| true)
        .par_iter()
        .map(|(y, t, a)| sum_unit(counts, *y, *t, a))
        .collect()
}

/// Sums a (year, topic)'s answers: n, answers, the test's sums and Gries' DP
/// per phrase, and an n = 0 row for every tracked phrase of the topic never
/// said. Answers are summed in the order given (id order), so that a sum
/// made again from the same answers gives the same bits.
pub fn sum_unit(counts: &Counts, time: i32, topic: u16, answers: &[usize]) -> Sums {
    let names = &counts.names;
    let of = |i: &usize| &counts.answers[*i];
    let n_tokens: u64 = answers.iter().map(|i| u64::from(of(i).n_tokens)).sum();
    let n_chars: u64 = answers.iter().map(|i| u64::from(of(i).n_chars)).sum();
    let tokens_sq: f64 = answers
        .iter()
        .map(|i| f64::from(of(i).n_tokens).powi(2))
        .sum();
    let tokens_cube: f64 = answers
        .iter()
        .map(|i| f64::from(of(i).n_tokens).powi(3))
        .sum();
    let phrases = |a: &'_ Answer| {
        a.terms
            .iter()
            .filter(move |(t, _)| !matches!(t, Term::Register(..)) && names.counts_in(*t, topic))
            .copied()
            .collect::<Vec<_>>()
    };
    // Two passes: DP needs each phrase's total before its per-answer shares.
    let mut sums: HashMap<Term, (TermSums, f64)> = HashMap::new();
    for i in answers {
        let a = of(i);
        for (t, c) in phrases(a) {
            let s = &mut sums.entry(t).or_default().0;
            let c = f64::from(c);
            s.n += c as u64;
            s.answers += 1;
            s.sq += c * c;
            s.cross += c * f64::from(a.n_tokens);
            s.cube += c * c * c;
            s.sq_tokens += c * c * f64::from(a.n_tokens);
            s.cross_tokens += c * f64::from(a.n_tokens).powi(2);
        }
    }
    for i in answers {
        let a = of(i);
        let s = f64::from(a.n_tokens) / n_tokens as f64;
        for (t, c) in phrases(a) {
            if let Some(sum) = sums.get_mut(&t) {
                let v = f64::from(c) / sum.0.n as f64;
                // |v − s| − s; the answers where the phrase is absent add up to 1 − Σ s.
                sum.1 += (v - s).abs() - s;
            }
        }
    }
    let never_said: Vec<Term> = (0..names.tracked.len() as u32)
        .map(Term::Tracked)
        .filter(|t| names.counts_in(*t, topic) && !sums.contains_key(t))
        .collect();
    let rows = sums
        .into_iter()
        .map(|(t, (sums, d))| (t, sums, Some(0.5 * (d + 1.0))))
        .chain(
            never_said
                .into_iter()
                .map(|t| (t, TermSums::default(), None)),
        );
    let mut keyed: Vec<_> = rows
        .map(|r| {
            let kind = std::cmp::Reverse(Names::kind(r.0));
            ((kind, std::cmp::Reverse(r.1.n), names.phrase(r.0)), r)
        })
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    Sums {
        time,
        topic,
        n_answers: answers.len() as u32,
        n_tokens,
        n_chars,
        tokens_sq,
        tokens_cube,
        rows: keyed.into_iter().map(|(_, r)| r).collect(),
    }
}

/// A unit's rows that phrase_freq.csv shows: every tracked phrase, and with
/// `top` only the first `top` unigrams and bigrams (n descending in a kind).
fn shown(u: &Sums, top: Option<usize>) -> impl Iterator<Item = &(Term, TermSums, Option<f64>)> {
    let (mut unigrams, mut bigrams) = (0usize, 0usize);
    u.rows.iter().filter(move |r| {
        let seen = match r.0 {
            Term::Unigram(_) => &mut unigrams,
            Term::Bigram(..) => &mut bigrams,
            _ => return true,
        };
        *seen += 1;
        top.is_none_or(|t| *seen <= t)
    })
}

/// `top` lowered where the units' shown rows would pass a spreadsheet's
/// rows ([`table::fit_top`]): each unit's unigrams and bigrams are the
/// groups, the other terms (tracked phrases, formulations) are never cut.
fn fitted_top(units: &[Sums], top: usize) -> usize {
    let (mut sizes, mut fixed) = (Vec::new(), 0);
    for u in units {
        let [mut unigrams, mut bigrams] = [0, 0];
        for r in &u.rows {
            match r.0 {
                Term::Unigram(_) => unigrams += 1,
                Term::Bigram(..) => bigrams += 1,
                _ => fixed += 1,
            }
        }
        sizes.extend([unigrams, bigrams]);
    }
    table::fit_top(&sizes, fixed, top)
}

/// phrase_freq.csv: the shown rows of every unit with their rates; and the
/// warning where `top` had to be lowered for it to fit in a spreadsheet.
pub(super) fn phrase_freq(
    counts: &Counts,
    units: &[Sums],
    top: Option<usize>,
) -> Result<(DataFrame, Option<String>)> {
    let fitted = top.map(|t| (t, fitted_top(units, t)));
    let warning = fitted
        .filter(|(t, f)| f < t)
        .map(|(t, f)| table::cut_warning("phrase_freq.csv", t, f, "phrase_freq_top"));
    let top = fitted.map(|f| f.1);
    let mut out = PhraseFreq::default();
    for u in units {
        for &(t, sums, d) in shown(u, top) {
            let (c, k) = (sums.n, sums.answers);
            out.period.push(u.time);
            out.topic.push(counts.topics[u.topic as usize].as_str());
            out.phrase.push(counts.names.phrase(t));
            out.kind.push(Names::kind(t));
            out.n.push(c);
            out.per_10k_tokens
                .push(c as f64 * 10_000.0 / u.n_tokens as f64);
            out.per_10k_chars
                .push(c as f64 * 10_000.0 / u.n_chars as f64);
            out.n_answers.push(k);
            out.dp.push(d);
        }
    }
    Ok((out.frame()?, warning))
}

crate::columns! {
    /// The columns of `phrase_freq.csv`.
    pub const PHRASE_FREQ: &Schema;
    /// phrase_freq.csv's columns, borrowed from the counts where they can be.
    struct PhraseFreq<'a> {
        /// The period's key, until the period's facts take its place.
        period: i32 => PeriodFacts::OF_PERIOD,
        topic: &'a str,
        phrase: Cow<'a, str>,
        kind: &'static str,
        n: u64,
        per_10k_tokens: f64,
        per_10k_chars: f64,
        n_answers: u32,
        dp: Option<f64>,
    }
}

/// topic_year.csv: one row per period with answers and topic (`all` first,
/// then topics.toml order), zeros where a topic is not discussed.
pub(super) fn topic_year(counts: &Counts, units: &[Sums]) -> Result<DataFrame> {
    let by_key: HashMap<(i32, u16), &Sums> = units.iter().map(|u| ((u.time, u.topic), u)).collect();
    let years: BTreeSet<i32> = units.iter().map(|u| u.time).collect();
    let mut out = TopicYear::default();
    for y in years {
        let total = by_key.get(&(y, 0)).map_or(0, |u| u.n_chars);
        for (t, name) in counts.topics.iter().enumerate() {
            let u = by_key.get(&(y, t as u16));
            let chars = u.map_or(0, |u| u.n_chars);
            out.period.push(y);
            out.topic.push(name.as_str());
            out.n_answers.push(u.map_or(0, |u| u.n_answers));
            out.n_tokens.push(u.map_or(0, |u| u.n_tokens));
            out.n_chars.push(chars);
            out.share.push(chars as f64 / total as f64);
        }
    }
    out.frame()
}

crate::columns! {
    /// The columns of `topic_year.csv`.
    pub const TOPIC_YEAR: &Schema;
    /// topic_year.csv's columns, borrowed from the counts where they can be.
    struct TopicYear<'a> {
        /// The period's key, until the period's facts take its place.
        period: i32 => PeriodFacts::OF_PERIOD,
        topic: &'a str,
        n_answers: u32,
        n_tokens: u64,
        n_chars: u64,
        share: f64,
    }
}

/// answer_sizes.csv, in year, topic and id order.
pub(super) fn answer_sizes(counts: &Counts) -> Result<DataFrame> {
    let mut out = AnswerSizes::default();
    for (y, t, answers) in counts.units_where(By::Year, |_| true) {
        for i in answers {
            let a = &counts.answers[i];
            out.id.push(a.id.as_str());
            out.year.push(y);
            out.topic.push(counts.topics[t as usize].as_str());
            out.n_tokens.push(a.n_tokens);
            out.n_chars.push(a.n_chars);
        }
    }
    out.frame()
}

crate::columns! {
    /// The columns of `answer_sizes.csv`.
    pub const ANSWER_SIZES: &Schema;
    /// answer_sizes.csv's columns, borrowed from the counts.
    struct AnswerSizes<'a> {
        id: &'a str,
        year: i32,
        topic: &'a str,
        n_tokens: u32,
        n_chars: u32,
    }
}

#[cfg(test)]
mod tests {
    use super::{TermSums, EXACT_BELOW};

    /// Exact sums of a set of answers equal those of a subset plus the rest
    /// to the bit, whatever the order, and `exact` says where that stops.
    #[test]
    fn exact_sums_add_up_in_any_grouping() {
        let of = |c: f64, s: f64| TermSums {
            n: c as u64,
            answers: 1,
            sq: c * c,
            cross: c * s,
            cube: c * c * c,
            sq_tokens: c * c * s,
            cross_tokens: c * s * s,
        };
        let answers: Vec<TermSums> = (1..200u32)
            .map(|i| of(f64::from(i % 7 + 1), f64::from(i * 37 % 1000 + 1)))
            .collect();
        let sum = |it: &mut dyn Iterator<Item = &TermSums>| {
            it.fold(TermSums::default(), |mut a, &b| {
                a += b;
                a
            })
        };
        let all = sum(&mut answers.iter());
        assert!(all.exact());
        let mut grouped = sum(&mut answers.iter().step_by(3));
        grouped += sum(&mut answers
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 3 != 0)
            .map(|x| x.1)
            .rev());
        assert_eq!(all, grouped);
        let big = TermSums {
            cube: EXACT_BELOW,
            ..TermSums::default()
        };
        assert!(!big.exact());
        let below = TermSums {
            cube: EXACT_BELOW - 1.0,
            ..TermSums::default()
        };
        assert!(below.exact());
    }
}
