//! Who said it: is one spokesperson's register harder than another's in
//! the same periods? For each topic (and `all`) and each pair of speakers
//! who both answered on it in some period, the register index of each
//! (hard-line terms over hard-line and conciliatory terms, as in
//! register.csv) over their answers of the periods they share, the
//! difference, its interval and its test. Columns: docs/outputs.md.
//!
//! The answer is the sampled unit. The test permutes the two speakers'
//! labels among their answers **within strata**: the period, and for topic
//! `all` also the answer's first topic, so that a speaker who answered more
//! of a hard-line topic's questions, or in a harder period, is not taken for a
//! harder speaker: under the null of no speaker effect within a stratum,
//! every relabelling that keeps each stratum's numbers of answers is as
//! likely as the observed one (a stratified permutation test, as in
//! Good 2005, Permutation, Parametric and Bootstrap Tests, 3.5). p is
//! from seeded random relabellings, stopping once `permutation_stop` were
//! as extreme as observed (Besag & Clifford 1991); a relabelling that
//! leaves a side without register terms counts as extreme (conservative).
//! q is Benjamini–Hochberg over every row. The interval of the difference
//! is a bootstrap of the answers, each side's index drawn on its own (see
//! [`side_replicates`]): a Poisson bootstrap (Hanley & MacGibbon 2006), each
//! answer weighted a Poisson(1) number of times, independently, so each
//! stratum keeps its size in expectation; answers without register terms
//! leave both shares unchanged and need no draws.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::bootstrap;
use super::stats::{self, SplitMix64};
use super::{Unit, Units};
use crate::categories::{Category, Stance};
use crate::config::analysis::{BootstrapSettings, KeynessSettings};
use crate::error::Result;
use crate::frequencies::Counts;

crate::columns! {
    /// The columns of `speakers.csv` (docs/outputs.md).
    pub const SPEAKERS: &Schema;
    /// speakers.csv's columns as they are filled.
    struct Rows {
        topic: String,
        speaker_a: String,
        speaker_b: String,
        periods: String,
        stratified_by: String,
        answers_a: u32,
        answers_b: u32,
        hardline_a: u64,
        conciliatory_a: u64,
        hardline_b: u64,
        conciliatory_b: u64,
        share_a: Option<f64>,
        share_b: Option<f64>,
        difference: Option<f64>,
        diff_low: Option<f64>,
        diff_high: Option<f64>,
        p_perm: f64,
        /// Filled once every row is in.
        q_perm: f64,
        n_perm: u64,
    }
}

crate::typed_table!(
    /// `speakers.csv`: the register of each pair of speakers compared.
    SpeakerRegister,
    SPEAKERS,
    "speakers.csv"
);

/// One answer with register terms: its stratum, side and counts.
#[derive(Clone, Copy)]
struct Item {
    stratum: usize,
    a: bool,
    hard: f64,
    conc: f64,
}

/// A stratum's answers in all, and those of speaker a.
#[derive(Clone, Copy, Default)]
struct Stratum {
    answers: usize,
    of_a: usize,
}

/// An answer's hard-line and conciliatory terms.
#[derive(Clone, Copy, Default)]
struct Terms {
    hard: f64,
    conc: f64,
}

/// Two speakers' answers on a topic in the years they share.
struct Pair {
    /// Answers with register terms.
    items: Vec<Item>,
    strata: Vec<Stratum>,
    years: Vec<i32>,
    answers: [u32; 2],
}

impl Pair {
    /// The two speakers' units of `topic` in the years both answered on it.
    fn of(counts: &Counts, a: &Units, b: &Units, topic: u16, years: &[i32]) -> Option<Pair> {
        let mut strata: BTreeMap<(i32, u16), usize> = BTreeMap::new();
        let mut sizes: Vec<Stratum> = Vec::new();
        let mut items = Vec::new();
        let mut shared = Vec::new();
        let mut answers = [0u32; 2];
        for &y in years {
            let (Some(ua), Some(ub)) = (a.get_index(y, topic), b.get_index(y, topic)) else {
                continue;
            };
            shared.push(y);
            for (side, u) in [(true, ua), (false, ub)] {
                answers[usize::from(!side)] += u.n_answers() as u32;
                let per = terms_per_answer(u);
                for (k, &i) in u.answers.iter().enumerate() {
                    // For `all`, the answer's first topic: topic mix stratified.
                    let first = match topic {
                        0 => counts.answers[i].topics.iter().copied().find(|&t| t != 0),
                        _ => None,
                    };
                    let next = strata.len();
                    let s = *strata.entry((y, first.unwrap_or(0))).or_insert(next);
                    if s == sizes.len() {
                        sizes.push(Stratum::default());
                    }
                    sizes[s].answers += 1;
                    sizes[s].of_a += usize::from(side);
                    let Terms { hard, conc } = per.get(&k).copied().unwrap_or_default();
                    if hard + conc > 0.0 {
                        items.push(Item {
                            stratum: s,
                            a: side,
                            hard,
                            conc,
                        });
                    }
                }
            }
        }
        (!shared.is_empty()).then_some(Pair {
            items,
            strata: sizes,
            years: shared,
            answers,
        })
    }

    /// Hard-line and conciliatory terms of each side, as labelled by `a`.
    fn sums(&self, a: impl Fn(usize, &Item) -> bool) -> [[f64; 2]; 2] {
        let mut out = [[0.0; 2]; 2];
        for (i, it) in self.items.iter().enumerate() {
            let side = usize::from(!a(i, it));
            out[side][0] += it.hard;
            out[side][1] += it.conc;
        }
        out
    }
}

/// Hard-line and conciliatory terms per answer of a unit (by its index).
fn terms_per_answer(u: &Unit) -> BTreeMap<usize, Terms> {
    let mut per: BTreeMap<usize, Terms> = BTreeMap::new();
    for (i, c) in u.kind_counts(Stance::Hardline.as_str()) {
        per.entry(i).or_default().hard += c;
    }
    for (i, c) in u.kind_counts(Stance::Conciliatory.as_str()) {
        per.entry(i).or_default().conc += c;
    }
    per
}

/// The register index of [hard, conciliatory]; None without terms.
fn share([hard, conc]: [f64; 2]) -> Option<f64> {
    (hard + conc > 0.0).then(|| hard / (hard + conc))
}

/// The difference of the two sides' indices; None where a side has no terms.
fn difference(sums: [[f64; 2]; 2]) -> Option<f64> {
    Some(share(sums[0])? - share(sums[1])?)
}

/// The stratified permutation p of the observed difference, and the draws made.
fn p_perm(pair: &Pair, observed: f64, s: &KeynessSettings, seed: u64) -> (f64, u64) {
    let mut rng = SplitMix64::new(seed);
    let by_stratum: Vec<Vec<usize>> = {
        let mut v = vec![Vec::new(); pair.strata.len()];
        for (i, it) in pair.items.iter().enumerate() {
            v[it.stratum].push(i);
        }
        v
    };
    let mut labels = vec![false; pair.items.len()];
    let (mut extreme, mut draws) = (0u64, 0u64);
    let tolerance = super::answer_level::at_least(observed);
    while draws < u64::from(s.permutations) {
        // Within each stratum, a simple random sample of its size for side a,
        // drawn over the answers with terms (the others change no sum).
        for (st, items) in by_stratum.iter().enumerate() {
            let Stratum {
                answers: mut left,
                of_a: mut take,
            } = pair.strata[st];
            for &i in items {
                let chosen = rng.below(left) < take;
                labels[i] = chosen;
                take -= usize::from(chosen);
                left -= 1;
            }
        }
        draws += 1;
        let d = difference(pair.sums(|i, _| labels[i]));
        if d.is_none_or(|d| d.abs() >= tolerance) {
            extreme += 1;
            if extreme >= u64::from(s.permutation_stop) {
                return (extreme as f64 / draws as f64, draws);
            }
        }
    }
    ((extreme + 1) as f64 / (draws + 1) as f64, draws)
}

/// The bootstrap interval of the difference: each side's index is
/// resampled on its own (the two speakers' answers are disjoint, so the
/// sides are independent under resampling of answers), and the interval is
/// that of the replicates' differences (none where it has zero width: both
/// sides without hard-line terms, or every answer of both the same mix).
fn interval(pair: &Pair, boot: &BootstrapSettings, seed: u64) -> (Option<f64>, Option<f64>) {
    let [a, b] = [true, false].map(|side| {
        let items: Vec<&Item> = pair.items.iter().filter(|it| it.a == side).collect();
        let answers = pair.answers[usize::from(!side)] as usize;
        side_replicates(&items, answers, boot, seed ^ u64::from(side) ^ 2)
    });
    let values: Vec<f64> = a.iter().zip(&b).map(|(a, b)| a - b).collect();
    stats::interval(values, boot.level).unzip()
}

/// The replicates of one side's register index over its `answers` answers,
/// of which `items` hold register terms (the others change neither sum).
/// The side is drawn as a unit of register.csv is: up to
/// `resample_max_answers` answers, each replicate weights each answer a
/// Poisson(1) number of times (Hanley & MacGibbon 2006); beyond, as a large
/// unit's ratio ([`bootstrap::replicates`]: normal by the delta method, or
/// Poisson weights for the few answers with hard-line terms). A side thus
/// costs at most `resample_max_answers` draws a replicate, not one for each
/// of its answers: drawing every answer of every pair was a third of the
/// shifts stage on 10 MB of briefings, by perf.
fn side_replicates(
    items: &[&Item],
    answers: usize,
    boot: &BootstrapSettings,
    seed: u64,
) -> Vec<f64> {
    let replicates = boot.replicates as usize;
    if answers > boot.resample_max_answers {
        let hard: Vec<(usize, f64)> = (items.iter().map(|it| it.hard).enumerate())
            .filter(|&(_, h)| h > 0.0)
            .collect();
        let all: Vec<(usize, f64)> = items
            .iter()
            .map(|it| it.hard + it.conc)
            .enumerate()
            .collect();
        let ratio = bootstrap::Ratio {
            n: answers,
            numerator: &hard,
            denominator: &all,
        };
        let normals = bootstrap::normals(replicates, seed);
        return bootstrap::replicates(&ratio, &normals, boot.normal_min_answers, seed).0;
    }
    let cdf = bootstrap::poisson_cdf();
    let mut rng = SplitMix64::new(seed);
    (0..replicates)
        .map(|_| {
            let mut sums = [0.0; 2];
            for it in items {
                let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
                let w = bootstrap::poisson(u, &cdf) as f64;
                sums[0] += w * it.hard;
                sums[1] += w * it.conc;
            }
            share(sums).unwrap_or(f64::NAN)
        })
        .collect()
}

/// What the comparison of speakers needs.
pub struct Inputs<'a> {
    pub counts: &'a Counts,
    pub all: &'a Units,
    pub speakers: &'a [Units],
    pub min_speaker_answers: usize,
    pub keyness: &'a KeynessSettings,
    pub boot: &'a BootstrapSettings,
}

/// speakers.csv: every pair of speakers on every topic, where each gave at
/// least `min_speaker_answers` answers in the years both answered on it and
/// both used register terms. The pairs are measured in parallel, each with
/// its own seed, and written in (topic, pair) order: measured one after
/// another they were a quarter of the shifts stage on 10 MB of briefings,
/// on one core.
pub fn run(inp: &Inputs) -> Result<SpeakerRegister> {
    let names = &inp.counts.speakers;
    let mut jobs = Vec::new();
    for (t, topic) in inp.counts.topics.iter().enumerate() {
        let years = inp.all.times_of(topic);
        for x in 0..names.len() {
            for y in x + 1..names.len() {
                jobs.push((t, x, y, years.clone()));
            }
        }
    }
    let measured: Vec<Option<Measured>> = jobs
        .par_iter()
        .map(|(t, x, y, years)| Measured::of(inp, *t, (*x, *y), years))
        .collect();
    let mut rows = Rows::default();
    for m in measured.into_iter().flatten() {
        rows.push(inp, m);
    }
    rows.table()
}

/// A pair of speakers on a topic, where it qualifies (see [`run`]): its
/// sums, the permutation test and the interval.
struct Measured {
    topic: usize,
    speakers: (usize, usize),
    pair: Pair,
    sums: [[f64; 2]; 2],
    difference: f64,
    p: f64,
    draws: u64,
    interval: (Option<f64>, Option<f64>),
}

impl Measured {
    fn of(inp: &Inputs, t: usize, (x, y): (usize, usize), years: &[i32]) -> Option<Measured> {
        let names = &inp.counts.speakers;
        let pair = Pair::of(
            inp.counts,
            &inp.speakers[x],
            &inp.speakers[y],
            t as u16,
            years,
        )?;
        if pair
            .answers
            .iter()
            .any(|&n| (n as usize) < inp.min_speaker_answers)
        {
            return None;
        }
        let sums = pair.sums(|_, it| it.a);
        let d = difference(sums)?;
        let topic = &inp.counts.topics[t];
        let name = format!("speakers/{topic}/{}/{}", names[x], names[y]);
        let seed = stats::seed_for(inp.boot.seed, &name);
        let (p, draws) = p_perm(&pair, d, inp.keyness, seed);
        let interval = interval(&pair, inp.boot, seed ^ 1);
        Some(Measured {
            topic: t,
            speakers: (x, y),
            pair,
            sums,
            difference: d,
            p,
            draws,
            interval,
        })
    }
}

impl Rows {
    /// The row of a measured pair.
    fn push(&mut self, inp: &Inputs, m: Measured) {
        let names = &inp.counts.speakers;
        let (t, (x, y), sums) = (m.topic, m.speakers, m.sums);
        self.topic.push(inp.counts.topics[t].clone());
        self.speaker_a.push(names[x].clone());
        self.speaker_b.push(names[y].clone());
        let period = inp.all.period;
        let periods: Vec<String> = m.pair.years.iter().map(|&k| period.label(k)).collect();
        self.periods.push(periods.join(";"));
        self.stratified_by.push(match t {
            0 => format!("{}, first topic", period.as_str()),
            _ => period.as_str().to_string(),
        });
        self.answers_a.push(m.pair.answers[0]);
        self.answers_b.push(m.pair.answers[1]);
        self.hardline_a.push(sums[0][0] as u64);
        self.conciliatory_a.push(sums[0][1] as u64);
        self.hardline_b.push(sums[1][0] as u64);
        self.conciliatory_b.push(sums[1][1] as u64);
        self.share_a.push(share(sums[0]));
        self.share_b.push(share(sums[1]));
        self.difference.push(Some(m.difference));
        self.diff_low.push(m.interval.0);
        self.diff_high.push(m.interval.1);
        self.p_perm.push(m.p);
        self.n_perm.push(m.draws);
    }

    /// speakers.csv, with q by Benjamini–Hochberg over every row.
    fn table(mut self) -> Result<SpeakerRegister> {
        self.q_perm = stats::benjamini_hochberg(&self.p_perm);
        SpeakerRegister::new(self.frame()?)
    }
}
