//! Keyness: which phrases a topic's answers use more, or less, in one year than
//! in the others (reference `rest`, all other compared years pooled), than in
//! the previous year where the topic has answers (reference `previous`), and,
//! in one speaker's answers, than in the other speakers' of the same year
//! (reference `other_speakers`, [`speakers`]).
//!
//! Filter, then test, then correct, then cut, per family (year, topic,
//! reference, kind):
//! - a phrase is tested where its pooled count a + b reaches `min_count` and
//!   it is in at least `min_answers` of the pooled answers: functions of the
//!   pooled answers alone, which the permutation of answers leaves unchanged,
//!   so the filter is independent of the test under the null and keeps the
//!   FDR control of Benjamini–Hochberg (Bourgon, Gentleman & Huber 2010,
//!   PNAS 107:9546);
//! - every tested phrase gets the token-level and the answer-level test;
//! - Benjamini–Hochberg over every tested phrase of the family, before
//!   anything is cut;
//! - keyness.csv keeps the `top` over-used and `top` under-used phrases of the
//!   family: those with q_perm < alpha first, by LRC, then, where fewer pass,
//!   the strongest of the rest by G², marked `strongest` (not significant);
//!   and every tracked phrase of the topic, tested or not. `--keyness-all`
//!   writes every tested phrase.
//!
//! Output `keyness.csv`, in year, topic, speaker, reference, kind and rank
//! order; its columns are documented once, in docs/outputs.md. `p_perm` is
//! the answer-level p ([`super::answer_level`]: whole answers split between
//! the target and its reference), never below the token-level `p` (a phrase
//! spread evenly over answers has less variance than its tokens, and the
//! permutation alone would call it surer than its tokens allow; the larger of
//! two valid p-values is valid).
//!
//! Years of a genre in `exclude_genres` ([comparison] in analysis.toml;
//! summaries by default) are neither targets nor references. The formulas are
//! in [`super::stats`].
//!
//! The counts come from the frequencies stage's sums per (year, topic) and
//! term (frequencies::Unit): a family's numbers, the normal test included,
//! are sums of those, so the stage costs the number of (year, phrase) pairs
//! tested, not phrases × answers. Per-answer counts are gathered, in one pass
//! over a pool's answers, only for the phrases whose test needs them.

use std::collections::{BTreeMap, HashMap};

use polars::prelude::*;
use rayon::prelude::*;

mod speakers;
mod table;

pub use table::KEYNESS;
use table::{correct_and_cut, frame};

use super::answer_level::{self, conditional, hajek, permutation, PhraseSums, PoolSums};
use super::stats;
use super::Units;
use crate::categories::{Category, PhraseKind, Reference, Shown, TestMethod};
use crate::config::analysis::KeynessSettings;
use crate::error::Result;
use crate::frequencies::units::{Sums, TermSums};
use crate::frequencies::{Counts, Term};

/// What keyness reads besides the settings.
pub struct Inputs<'a> {
    /// The frequencies stage's sums per (year, topic) and term.
    pub sums: &'a [Sums],
    pub counts: &'a Counts,
    /// The units of the compared years (their answers, for gathering).
    pub units: &'a Units,
    /// The years that enter comparisons.
    pub compared: &'a std::collections::BTreeSet<i32>,
    pub settings: &'a KeynessSettings,
    pub alpha: f64,
    pub seed: u64,
    /// Write every tested phrase, not the `top` of each family.
    pub all: bool,
    /// Answers a speaker, and the other speakers, need in a (year, topic)
    /// for an `other_speakers` family.
    pub min_speaker_answers: usize,
}

/// A pool of units and the targets compared within it: every compared
/// year against the rest (one pool, all the topic's years), a year against
/// the previous one (a pool of two), or one speaker's answers of a year
/// against the other speakers' of the same year (a pool of two, [`speakers`]).
struct Block<'a> {
    topic: u16,
    reference: Reference,
    /// The pool's units, in year order, and which of them are targets.
    pool: Vec<&'a Sums>,
    targets: Vec<usize>,
    /// The phrases of the pool, summed over its units in year order.
    phrases: &'a HashMap<Term, TermSums>,
    /// Each pool unit's phrases, and its answers (indices into
    /// [`Counts::answers`], in the order the pool numbers them).
    maps: Vec<&'a HashMap<Term, TermSums>>,
    answers: Vec<&'a [usize]>,
    /// The speaker whose answers the target holds; None for everyone's.
    speaker: Option<&'a str>,
}

/// One row of keyness.csv before it is written.
#[derive(Debug, Clone)]
struct Row {
    term: Term,
    a: u64,
    b: u64,
    answers_a: u32,
    answers_b: u32,
    tested: bool,
    g2: f64,
    log_ratio: f64,
    lrc: f64,
    z: f64,
    p: f64,
    q: f64,
    p_perm: f64,
    q_perm: f64,
    test: Option<TestMethod>,
    n_perm: Option<u64>,
}

/// Builds keyness.csv (see the module documentation): the rows of every
/// family in order, with year, topic, reference and kind.
pub fn run(inp: &Inputs) -> Result<(DataFrame, Option<String>)> {
    // The compared units of each topic, in year order.
    let mut by_topic: BTreeMap<u16, Vec<&Sums>> = BTreeMap::new();
    for u in inp.sums.iter().filter(|u| inp.compared.contains(&u.time)) {
        by_topic.entry(u.topic).or_default().push(u);
    }
    for units in by_topic.values_mut() {
        units.sort_by_key(|u| u.time);
    }
    let families: Vec<Family> = by_topic
        .into_par_iter()
        .flat_map_iter(|(topic, units)| {
            let mut f = topic_families(inp, topic, &units);
            f.extend(speakers::families(inp, topic, &units));
            f
        })
        .collect();
    frame(inp, &families)
}

/// One family's rows, in the order keyness.csv lists them.
struct Family {
    year: i32,
    topic: u16,
    /// The target's speaker; None for everyone's answers.
    speaker: Option<String>,
    reference: Reference,
    kind: PhraseKind,
    rows: Vec<(Row, Shown)>,
    n_a: u64,
    n_b: u64,
    /// Phrases tested in the family.
    tested: u32,
}

/// The families of one topic: every compared year against the rest and
/// against the previous year.
fn topic_families(inp: &Inputs, topic: u16, units: &[&Sums]) -> Vec<Family> {
    if units.len() < 2 {
        return Vec::new();
    }
    let maps: Vec<HashMap<Term, TermSums>> = units
        .iter()
        .map(|u| u.rows.iter().map(|&(t, s, _)| (t, s)).collect())
        .collect();
    let mut pooled: HashMap<Term, TermSums> = HashMap::new();
    for m in &maps {
        for (&t, &s) in m {
            *pooled.entry(t).or_default() += s;
        }
    }
    // The previous year: a pool of two units, summed in year order.
    let pairs: Vec<HashMap<Term, TermSums>> = (1..units.len())
        .map(|i| {
            let mut pair = maps[i - 1].clone();
            for (&t, &s) in &maps[i] {
                *pair.entry(t).or_default() += s;
            }
            pair
        })
        .collect();
    let lists: Vec<&[usize]> = units
        .iter()
        .map(|u| {
            inp.units
                .get_index(u.time, u.topic)
                .map_or(&[][..], |x| x.answers.as_slice())
        })
        .collect();
    let mut blocks = vec![Block {
        topic,
        reference: Reference::Rest,
        pool: units.to_vec(),
        targets: (0..units.len()).collect(),
        phrases: &pooled,
        maps: maps.iter().collect(),
        answers: lists.clone(),
        speaker: None,
    }];
    for (i, pair) in pairs.iter().enumerate() {
        blocks.push(Block {
            topic,
            reference: Reference::Previous,
            pool: vec![units[i], units[i + 1]],
            targets: vec![1],
            phrases: pair,
            maps: vec![&maps[i], &maps[i + 1]],
            answers: vec![lists[i], lists[i + 1]],
            speaker: None,
        });
    }
    blocks
        .into_par_iter()
        .flat_map_iter(|b| compare(inp, &b))
        .collect()
}

/// A target of a block: its pool's sums and the rows of its phrases.
struct Target {
    pool: PoolSums,
    n_a: u64,
    n_b: u64,
    /// Where the target's answers start in the pool's numbering.
    start: usize,
    rows: Vec<Row>,
    sums: Vec<PhraseSums>,
    methods: Vec<TestMethod>,
}

/// The families of one block's targets, one per target and kind tested: each
/// target's rows, the per-answer counts the tests need, the conditional
/// tables, the answer-level p-values, then the families corrected and cut.
fn compare(inp: &Inputs, c: &Block) -> Vec<Family> {
    let whole = whole_pool(c);
    let mut targets: Vec<Target> = c
        .targets
        .iter()
        .map(|&ti| Target::new(inp, c, &whole, ti))
        .collect();
    let answers = Gathered::new(inp, c, &targets);
    let mut conditional = answers.conditional_p_values(&targets, &whole);
    let mut families = Vec::new();
    for ((&ti, t), conditional) in c.targets.iter().zip(&mut targets).zip(&mut conditional) {
        let year = c.pool[ti].time;
        let by_split = t.answer_tests(conditional, &answers);
        if !by_split.is_empty() {
            t.permute(inp, c, year, &by_split, &answers.sizes_in_order);
        }
        families.extend(t.families(inp, c, year));
    }
    families
}

/// The sums of a block's whole pool (no target: `k` and `target_tokens` are
/// zero), summed over its units in year order.
fn whole_pool(c: &Block) -> PoolSums {
    PoolSums {
        n: c.pool.iter().map(|u| u.n_answers as usize).sum(),
        k: 0,
        tokens: c.pool.iter().map(|u| u.n_tokens as f64).sum(),
        target_tokens: 0.0,
        tokens_sq: c.pool.iter().map(|u| u.tokens_sq).sum(),
        tokens_cube: c.pool.iter().map(|u| u.tokens_cube).sum(),
    }
}

impl Target {
    /// Target `ti` of the block: its pool's sums and a row for each phrase of
    /// a tested kind that passes the filter, or is tracked. No rows where the
    /// reference is empty (no tokens, or no answers outside the target).
    fn new(inp: &Inputs, c: &Block, whole: &PoolSums, ti: usize) -> Self {
        let target = c.pool[ti];
        let pool = PoolSums {
            k: target.n_answers as usize,
            target_tokens: target.n_tokens as f64,
            ..*whole
        };
        let (n_a, n_b) = (target.n_tokens, whole.tokens as u64 - target.n_tokens);
        let start = c.pool[..ti].iter().map(|u| u.n_answers as usize).sum();
        let mut t = Target {
            pool,
            n_a,
            n_b,
            start,
            rows: Vec::new(),
            sums: Vec::new(),
            methods: Vec::new(),
        };
        if n_b == 0 || pool.n == pool.k {
            return t;
        }
        let s = inp.settings;
        for (&term, pooled) in c.phrases {
            if !kind_of(term).is_some_and(|k| s.kinds.contains(&k)) {
                continue;
            }
            let here = c.maps[ti].get(&term).copied().unwrap_or_default();
            let tested = pooled.n >= u64::from(s.min_count) && pooled.answers >= s.min_answers;
            if !tested && !matches!(term, Term::Tracked(_)) {
                continue;
            }
            t.push(inp, term, tested, here, pooled);
        }
        t
    }

    /// A phrase's row, with its token-level numbers, its sums for the
    /// answer-level test and the method that test will use.
    fn push(&mut self, inp: &Inputs, term: Term, tested: bool, here: TermSums, pooled: &TermSums) {
        let s = inp.settings;
        let (a, b) = (here.n as f64, (pooled.n - here.n) as f64);
        let (na, nb) = (self.n_a as f64, self.n_b as f64);
        let g2 = stats::g2(a, b, na, nb);
        self.rows.push(Row {
            term,
            a: here.n,
            b: pooled.n - here.n,
            answers_a: here.answers,
            answers_b: pooled.answers - here.answers,
            tested,
            g2,
            log_ratio: stats::log_ratio(a, b, na, nb),
            lrc: f64::NAN,
            z: stats::logodds_z(a, b, na, nb, s.alpha0),
            p: stats::p_of_g2(g2),
            q: f64::NAN,
            p_perm: f64::NAN,
            q_perm: f64::NAN,
            test: None,
            n_perm: None,
        });
        self.sums.push(PhraseSums {
            count: pooled.n as f64,
            target: here.n as f64,
            answers: pooled.answers,
            sq: pooled.sq,
            cross: pooled.cross,
            cube: pooled.cube,
            sq_tokens: pooled.sq_tokens,
            cross_tokens: pooled.cross_tokens,
        });
        self.methods.push(answer_level::method(
            self.pool.n,
            self.pool.k,
            pooled.answers,
            s,
        ));
    }

    /// The tested phrases whose answer-level test is `wanted`.
    fn tested_with<'a>(
        &'a self,
        wanted: impl Fn(TestMethod) -> bool + 'a,
    ) -> impl Iterator<Item = Term> + 'a {
        self.rows
            .iter()
            .zip(&self.methods)
            .filter(move |(r, m)| r.tested && wanted(**m))
            .map(|(r, _)| r.term)
    }

    /// The permutation test numbers the target's answers first, then the
    /// others in year order: where answer `i` of the pool's numbering goes.
    fn renumber(&self, i: usize) -> usize {
        let k = self.pool.k;
        if i < self.start {
            i + k
        } else if i < self.start + k {
            i - self.start
        } else {
            i
        }
    }

    /// The answer-level p of each tested row by the normal or the
    /// conditional test (`conditional`: row → p; the normal test where the
    /// conditional had no table); the rows the permutation test needs are
    /// returned, each with its per-answer counts in the permutation's
    /// numbering.
    fn answer_tests(
        &mut self,
        conditional: &HashMap<usize, f64>,
        answers: &Gathered,
    ) -> Vec<(usize, Vec<(usize, f64)>)> {
        let pool = self.pool;
        let mut by_split: Vec<(usize, Vec<(usize, f64)>)> = Vec::new();
        for i in 0..self.rows.len() {
            if !self.rows[i].tested {
                continue;
            }
            let sums = &self.sums[i];
            let term = self.rows[i].term;
            let (p_answer, test) = match self.methods[i] {
                TestMethod::Normal => (hajek::p_value(&pool, sums), TestMethod::Normal),
                TestMethod::Conditional => match conditional.get(&i) {
                    Some(&p) => (p, TestMethod::Conditional),
                    None => (hajek::p_value(&pool, sums), TestMethod::Normal),
                },
                TestMethod::Exact | TestMethod::MonteCarlo => {
                    let list = answers
                        .lists
                        .get(&term)
                        .into_iter()
                        .flatten()
                        .map(|&(j, c)| (self.renumber(j), c))
                        .collect();
                    by_split.push((i, list));
                    (f64::NAN, TestMethod::MonteCarlo)
                }
            };
            let row = &mut self.rows[i];
            row.test = Some(test);
            row.p_perm = p_answer.max(row.p);
        }
        by_split
    }

    /// The permutation test of the rows in `by_split`, all at once on the
    /// target's split of the pool, seeded by the family's key.
    fn permute(
        &mut self,
        inp: &Inputs,
        c: &Block,
        year: i32,
        by_split: &[(usize, Vec<(usize, f64)>)],
        sizes_in_order: &[f64],
    ) {
        let s = inp.settings;
        let mut sizes = vec![0.0; sizes_in_order.len()];
        for (i, &x) in sizes_in_order.iter().enumerate() {
            sizes[self.renumber(i)] = x;
        }
        let key = answer_level::seed_key(
            year,
            &inp.counts.topics[c.topic as usize],
            c.reference.as_str(),
            c.speaker,
        );
        let phrases: Vec<Vec<(usize, f64)>> = by_split.iter().map(|(_, l)| l.clone()).collect();
        let (p, draws) = permutation::p_values(
            &permutation::Pool {
                sizes: &sizes,
                n_target: self.pool.k,
            },
            &phrases,
            s.permutations,
            s.permutation_stop,
            stats::seed_for(inp.seed, &key),
        );
        for (((i, _), p), n) in by_split.iter().zip(p).zip(&draws.n) {
            let row = &mut self.rows[*i];
            row.test = Some(if draws.exact {
                TestMethod::Exact
            } else {
                TestMethod::MonteCarlo
            });
            row.n_perm = Some(*n);
            row.p_perm = p.max(row.p);
        }
    }

    /// The target's families, one per kind with rows, corrected and cut.
    fn families(&self, inp: &Inputs, c: &Block, year: i32) -> Vec<Family> {
        let mut families = Vec::new();
        for &kind in &inp.settings.kinds {
            let family: Vec<Row> = self
                .rows
                .iter()
                .filter(|r| kind_of(r.term) == Some(kind))
                .cloned()
                .collect();
            if family.is_empty() {
                continue;
            }
            let tested = family.iter().filter(|r| r.tested).count() as u32;
            families.push(Family {
                tested,
                year,
                topic: c.topic,
                speaker: c.speaker.map(String::from),
                reference: c.reference,
                kind,
                rows: correct_and_cut(family, inp, (self.n_a as f64, self.n_b as f64)),
                n_a: self.n_a,
                n_b: self.n_b,
            });
        }
        families
    }
}

/// Per-answer counts, in one pass over the pool's answers (numbered in year
/// order), for the phrases whose test needs them in any target.
struct Gathered {
    lists: HashMap<Term, Vec<(usize, f64)>>,
    /// Each pooled answer's word tokens, in the pool's numbering.
    sizes_in_order: Vec<f64>,
    /// Each target's smaller side (its answers or the others').
    sides: Vec<usize>,
}

impl Gathered {
    fn new(inp: &Inputs, c: &Block, targets: &[Target]) -> Self {
        let mut need: Vec<Term> = targets
            .iter()
            .flat_map(|t| t.tested_with(|m| m != TestMethod::Normal))
            .collect();
        need.sort_unstable();
        need.dedup();
        let lists = Units::gather_answers(inp.counts, c.topic, &c.answers, &need);
        let sizes_in_order: Vec<f64> = c
            .answers
            .iter()
            .flat_map(|a| a.iter().map(|&i| f64::from(inp.counts.answers[i].n_tokens)))
            .collect();
        let sides = targets
            .iter()
            .map(|t| t.pool.k.min(t.pool.n - t.pool.k))
            .collect();
        Gathered {
            lists,
            sizes_in_order,
            sides,
        }
    }

    /// The conditional test's p of every target's rows that take it, as
    /// (row → p) per target: the programme is made once per phrase for every
    /// target and dropped as soon as their p are read from it. Holding every
    /// phrase's programme until the targets were tested set the stage's peak
    /// memory (heaptrack, vocab 10 MB: 102 of 419 MB).
    fn conditional_p_values(
        &self,
        targets: &[Target],
        whole: &PoolSums,
    ) -> Vec<HashMap<usize, f64>> {
        let mut by_term: BTreeMap<Term, Vec<(usize, usize)>> = BTreeMap::new();
        for (ti, t) in targets.iter().enumerate() {
            for (i, (r, &m)) in t.rows.iter().zip(&t.methods).enumerate() {
                if r.tested && m == TestMethod::Conditional {
                    by_term.entry(r.term).or_default().push((ti, i));
                }
            }
        }
        let by_term: Vec<(Term, Vec<(usize, usize)>)> = by_term.into_iter().collect();
        let found: Vec<(usize, usize, f64)> = by_term
            .par_iter()
            .flat_map_iter(|(term, rows)| {
                let positives: Vec<(u32, f64)> = self
                    .lists
                    .get(term)
                    .map(|l| {
                        l.iter()
                            .map(|&(j, c)| (c as u32, self.sizes_in_order[j]))
                            .collect()
                    })
                    .unwrap_or_default();
                let table = conditional::Table::new(whole, &positives, &self.sides);
                rows.iter().filter_map(move |&(ti, i)| {
                    let t = &targets[ti];
                    let p = table.as_ref()?.p_value(&t.pool, t.sums[i].d(&t.pool));
                    Some((ti, i, p))
                })
            })
            .collect();
        let mut out = vec![HashMap::new(); targets.len()];
        for (ti, i, p) in found {
            out[ti].insert(i, p);
        }
        out
    }
}

/// The kind of a term as keyness tests it (register terms are not phrases).
fn kind_of(term: Term) -> Option<PhraseKind> {
    match term {
        Term::Unigram(_) => Some(PhraseKind::Unigram),
        Term::Bigram(..) => Some(PhraseKind::Bigram),
        Term::Tracked(_) => Some(PhraseKind::Tracked),
        Term::Formulation(_) => Some(PhraseKind::Formulation),
        Term::Register(..) => None,
    }
}
