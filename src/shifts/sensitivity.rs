//! Sensitivity: does a shift survive when the comparison is made like with
//! like? The keyness rows the tool calls shifts (q_perm < alpha, [comparison]
//! in analysis.toml), the first `recheck` over-used and under-used of each
//! family ([keyness] in analysis.toml; on the seeds, all of them), are
//! recomputed two more ways:
//! - `without partial years`: the reference keeps only years whose transcript
//!   holds every question asked (coverage.csv questions_share = 1); where the
//!   year itself is partial, there is nothing to recompute, and the note says
//!   so;
//! - `common topics only`: on both sides, only the answers tagged with a topic
//!   that the other side also has answers on (untagged answers stay), so a
//!   shift that only reflects which subjects were raised falls away.
//!
//! Output `sensitivity.csv`, three rows per shift (`check` = `as reported`,
//! `without partial years`, `common topics only`). Its columns, in order,
//! are documented once, in docs/outputs.md ("tables/sensitivity.csv"),
//! which `tests/cli/docs.rs` holds to [`SENSITIVITY`].

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;

use polars::prelude::*;

use super::answer_level::{self, conditional, hajek, permutation, PhraseSums, PoolSums};
use super::{stats, Unit, Units};
use crate::categories::TestMethod;
use crate::categories::{Category, Reference};
use crate::config::analysis::KeynessSettings;
use crate::error::Result;
use crate::frequencies::units::TermSums;
use crate::frequencies::{Counts, Term};

crate::typed_table!(
    /// `sensitivity.csv`: each shift recomputed like with like.
    Sensitivity,
    SENSITIVITY,
    "sensitivity.csv"
);

/// What the checks need beyond keyness.csv.
pub struct Context<'a> {
    /// The units of the compared years.
    pub units: &'a Units,
    /// Every answer's counts, to gather the phrase's from.
    pub counts: &'a Counts,
    /// The topics of every record, by id.
    pub tags: &'a HashMap<String, Vec<String>>,
    /// Years whose transcript holds only part of the conference.
    pub partial: &'a BTreeSet<i32>,
    pub settings: &'a KeynessSettings,
    pub alpha: f64,
    pub seed: u64,
}

/// One recomputed comparison: its numbers and the test, or why there is none.
type Outcome = std::result::Result<(Numbers, TestMethod), String>;

/// The numbers of one recomputed comparison, as sensitivity.csv writes them
/// (see the module documentation). The counts are kept as the sums made them
/// (tokens as f64), and written truncated.
#[derive(Debug, Clone, Copy)]
struct Numbers {
    a: f64,
    b: f64,
    n_a: f64,
    n_b: f64,
    pool_a: usize,
    pool_b: usize,
    answers_a: u32,
    answers_b: u32,
    log_ratio: f64,
    lrc: f64,
    /// The answer-level p, never below the token-level one.
    p_perm: f64,
}

impl Numbers {
    /// The token-level p of the counts (G²).
    fn p_token(&self) -> f64 {
        stats::p_of_g2(stats::g2(self.a, self.b, self.n_a, self.n_b))
    }
}

/// Builds sensitivity.csv from keyness.csv (see the module documentation).
///
/// The shifts of one comparison (year, topic, reference) are rechecked
/// together: their counts are gathered in one pass over the pool's answers,
/// and the splits of the permutation test are drawn once for all of them
/// (as keyness.csv draws them), so the stage costs the comparisons' answers,
/// not the shifts × answers.
pub fn run(keyness: &DataFrame, cx: &Context) -> Result<Sensitivity> {
    // One speaker against the others is a comparison within a year: the
    // checks here (without partial years, on common topics) are of years.
    let shifts = keyness
        .clone()
        .lazy()
        .filter(
            col("q_perm")
                .lt(lit(cx.alpha))
                .and(col("reference").neq(Reference::OtherSpeakers.lit())),
        )
        .collect()?;
    let comparisons = comparisons(&shifts, cx)?;
    let checked: Vec<Vec<(usize, &'static str, Outcome)>> = comparisons
        .par_iter()
        .map(|((y, t, reference), shifts)| {
            let c = Comparison {
                year: *y,
                topic: t,
                reference,
            };
            c.recheck(cx, shifts)
        })
        .collect();
    let mut rows: Vec<(usize, &'static str, Outcome)> = checked.into_iter().flatten().collect();
    rows.sort_by_key(|r| (r.0, CHECKS.iter().position(|c| *c == r.1)));
    let year = shifts.column("year")?.i32()?;
    let mut cols = Columns::default();
    for (i, check, outcome) in rows {
        cols.year.push(year.get(i));
        for (c, v) in [
            ("topic", &mut cols.topic),
            ("reference", &mut cols.reference),
            ("kind", &mut cols.kind),
            ("phrase", &mut cols.phrase),
        ] {
            v.push(text(&shifts, c, i)?);
        }
        cols.check.push(check);
        cols.push_outcome(outcome, cx.alpha);
    }
    Sensitivity::new(cols.frame()?)
}

/// Row `i` of text column `c` of the shifts ("" where null).
fn text(shifts: &DataFrame, c: &str, i: usize) -> Result<String> {
    Ok(shifts
        .column(c)?
        .str()?
        .get(i)
        .unwrap_or_default()
        .to_string())
}

/// The shifts of each comparison (year, topic, reference), at most
/// `recheck` per family and side, in keyness.csv's order.
fn comparisons(
    shifts: &DataFrame,
    cx: &Context,
) -> Result<BTreeMap<(i32, String, String), Vec<Shift>>> {
    let year = shifts.column("year")?.i32()?;
    let tested = shifts.column("tested")?.u32()?;
    let log_ratio = shifts.column("log_ratio")?.f64()?;
    let mut comparisons: BTreeMap<(i32, String, String), Vec<Shift>> = BTreeMap::new();
    let mut per_side: HashMap<(i32, String, String, String, bool), usize> = HashMap::new();
    for i in 0..shifts.height() {
        let y = year.get(i).unwrap_or_default();
        let (t, reference, kind) = (
            text(shifts, "topic", i)?,
            text(shifts, "reference", i)?,
            text(shifts, "kind", i)?,
        );
        let over = log_ratio.get(i).unwrap_or_default() > 0.0;
        let n = per_side
            .entry((y, t.clone(), reference.clone(), kind.clone(), over))
            .or_default();
        *n += 1;
        if *n > cx.settings.recheck {
            continue;
        }
        comparisons
            .entry((y, t, reference))
            .or_default()
            .push(Shift {
                row: i,
                kind,
                phrase: text(shifts, "phrase", i)?,
                family: tested.get(i).unwrap_or(1) as usize,
            });
    }
    Ok(comparisons)
}

crate::columns! {
    /// The columns of `sensitivity.csv`.
    pub const SENSITIVITY: &Schema;
    /// sensitivity.csv's columns as each check fills them.
    struct Columns {
        year: Option<i32>,
        topic: String,
        reference: String,
        kind: String,
        phrase: String,
        check: &'static str,
        a: Option<u64>,
        b: Option<u64>,
        n_a: Option<u64>,
        n_b: Option<u64>,
        pool_a: Option<u32>,
        pool_b: Option<u32>,
        answers_a: Option<u32>,
        answers_b: Option<u32>,
        log_ratio: Option<f64>,
        lrc: Option<f64>,
        p_perm: Option<f64>,
        test: Option<&'static str>,
        survives: Option<bool>,
        note: String,
    }
}

impl Columns {
    /// A check's numbers, or its note and no numbers.
    fn push_outcome(&mut self, outcome: Outcome, alpha: f64) {
        match outcome {
            Ok((x, test)) => {
                for (v, x) in [
                    (&mut self.a, x.a),
                    (&mut self.b, x.b),
                    (&mut self.n_a, x.n_a),
                    (&mut self.n_b, x.n_b),
                ] {
                    v.push(Some(x as u64));
                }
                self.pool_a.push(Some(x.pool_a as u32));
                self.pool_b.push(Some(x.pool_b as u32));
                self.answers_a.push(Some(x.answers_a));
                self.answers_b.push(Some(x.answers_b));
                self.log_ratio.push(Some(x.log_ratio));
                self.lrc.push(Some(x.lrc));
                self.p_perm.push(Some(x.p_perm));
                self.test.push(Some(test.as_str()));
                self.survives.push(Some(x.p_perm < alpha));
                self.note.push(String::new());
            }
            Err(note) => {
                for v in [&mut self.a, &mut self.b, &mut self.n_a, &mut self.n_b] {
                    v.push(None);
                }
                self.pool_a.push(None);
                self.pool_b.push(None);
                self.answers_a.push(None);
                self.answers_b.push(None);
                self.log_ratio.push(None);
                self.lrc.push(None);
                self.p_perm.push(None);
                self.test.push(None);
                self.survives.push(None);
                self.note.push(note);
            }
        }
    }
}

/// The checks, in the order sensitivity.csv lists a shift's rows.
const CHECKS: [&str; 3] = ["as reported", "without partial years", "common topics only"];

/// One reported shift: its row of keyness.csv, its phrase and its family's
/// size (the Bonferroni factor of LRC).
struct Shift {
    row: usize,
    kind: String,
    phrase: String,
    family: usize,
}

/// One comparison whose shifts are rechecked.
struct Comparison<'a> {
    year: i32,
    topic: &'a str,
    reference: &'a str,
}

impl Comparison<'_> {
    /// The reference years of the comparison among the compared ones.
    fn reference_years(&self, units: &Units) -> Vec<i32> {
        let years = units.times_of(self.topic);
        if self.reference == Reference::Rest.as_str() {
            years.into_iter().filter(|&y| y != self.year).collect()
        } else {
            years
                .into_iter()
                .filter(|&y| y < self.year)
                .max()
                .into_iter()
                .collect()
        }
    }

    /// Every check of every shift of the comparison, as rows (keyness.csv
    /// row, check, outcome).
    fn recheck(&self, cx: &Context, shifts: &[Shift]) -> Vec<(usize, &'static str, Outcome)> {
        let mut out = Vec::new();
        let Some(target) = cx.units.get(self.year, self.topic) else {
            for s in shifts {
                for check in CHECKS {
                    out.push((s.row, check, Err("no answers".to_string())));
                }
            }
            return out;
        };
        let mut pool: Vec<&Unit> = self
            .reference_years(cx.units)
            .into_iter()
            .filter_map(|y| cx.units.get(y, self.topic))
            .collect();
        pool.push(target);
        pool.sort_by_key(|u| u.time);
        let terms: Vec<Option<Term>> = shifts
            .iter()
            .map(|s| cx.units.term(&s.kind, &s.phrase))
            .collect();
        let mut wanted: Vec<Term> = terms.iter().flatten().copied().collect();
        wanted.sort_unstable();
        wanted.dedup();
        let lists = Units::gather(cx.counts, &pool, &wanted);
        // The answers each check keeps, by their number in the pool.
        let all = |_: &Unit, _: &str| true;
        let common = self.common_topics(cx);
        let kept_common = |_: &Unit, id: &str| match cx.tags.get(id) {
            Some(ts) if !ts.is_empty() => ts.iter().any(|t| common.contains(t.as_str())),
            _ => true,
        };
        let complete = |u: &Unit, _: &str| u.time == self.year || !cx.partial.contains(&u.time);
        for (check, keep) in [
            (CHECKS[0], &all as &dyn Fn(&Unit, &str) -> bool),
            (CHECKS[1], &complete),
            (CHECKS[2], &kept_common),
        ] {
            if check == CHECKS[1] && cx.partial.contains(&self.year) {
                for s in shifts {
                    let note = format!("{} itself holds only part of its conference", self.year);
                    out.push((s.row, check, Err(note)));
                }
                continue;
            }
            let outcomes = self.compute(cx, &pool, keep, shifts, &terms, &lists);
            for (s, o) in shifts.iter().zip(outcomes) {
                out.push((s.row, check, o));
            }
        }
        out
    }

    /// The shifts on the answers `keep` accepts. The sums are made as the
    /// frequencies stage makes them (per unit, answers in order, then units
    /// in year order) and the test is chosen by the same rule, with the same
    /// splits, so that with every answer kept the numbers are keyness.csv's
    /// to the bit.
    fn compute(
        &self,
        cx: &Context,
        pool: &[&Unit],
        keep: &dyn Fn(&Unit, &str) -> bool,
        shifts: &[Shift],
        terms: &[Option<Term>],
        lists: &HashMap<Term, Vec<(usize, f64)>>,
    ) -> Vec<Outcome> {
        let ti = pool.iter().position(|u| u.time == self.year).unwrap_or(0);
        let kept = Kept::new(pool, keep, ti);
        // A reference year all of whose answers the check drops is left out;
        // with none left there is nothing to compare with.
        let years_left = pool
            .iter()
            .enumerate()
            .any(|(i, u)| i != ti && u.ids.iter().any(|id| keep(u, id)));
        if !years_left {
            return vec![Err("no reference year left".to_string()); shifts.len()];
        }
        if !kept.both_sides() {
            return vec![Err("no answers left on one side".to_string()); shifts.len()];
        }
        let mut by_split: Vec<(usize, Vec<(usize, f64)>)> = Vec::new();
        let mut results: Vec<Outcome> = Vec::new();
        for (x, (shift, term)) in shifts.iter().zip(terms).enumerate() {
            let Some(term) = term else {
                results.push(Err("the phrase is not in the corpus".to_string()));
                continue;
            };
            let counts: HashMap<usize, f64> =
                lists.get(term).into_iter().flatten().copied().collect();
            let (outcome, split) = kept.test(cx, shift, &counts);
            if let Some(list) = split {
                by_split.push((x, list));
            }
            results.push(outcome);
        }
        if !by_split.is_empty() {
            self.permute(cx, &kept, &by_split, &mut results);
        }
        results
    }

    /// The permutation test of the shifts in `by_split`, all at once, with
    /// the splits keyness.csv draws for this comparison.
    fn permute(
        &self,
        cx: &Context,
        kept: &Kept,
        by_split: &[(usize, Vec<(usize, f64)>)],
        results: &mut [Outcome],
    ) {
        let s = cx.settings;
        // The key keyness.csv seeds this comparison with (everyone's
        // families only: sensitivity skips other_speakers).
        let key = answer_level::seed_key(self.year, self.topic, self.reference, None);
        let sizes: Vec<f64> = kept.order.iter().map(|k| k.1).collect();
        let phrases: Vec<Vec<(usize, f64)>> = by_split.iter().map(|b| b.1.clone()).collect();
        let (p, draws) = permutation::p_values(
            &permutation::Pool {
                sizes: &sizes,
                n_target: kept.pool.k,
            },
            &phrases,
            s.permutations,
            s.permutation_stop,
            stats::seed_for(cx.seed, &key),
        );
        let test = if draws.exact {
            TestMethod::Exact
        } else {
            TestMethod::MonteCarlo
        };
        for ((x, _), p) in by_split.iter().zip(p) {
            if let Ok((numbers, method)) = &mut results[*x] {
                numbers.p_perm = p.max(numbers.p_token());
                *method = test;
            }
        }
    }

    /// The topics of the target's answers that the reference's answers also
    /// have (an untagged answer stays in every check).
    fn common_topics<'c>(&self, cx: &'c Context) -> BTreeSet<&'c str> {
        let topics_of = |years: &[i32]| -> BTreeSet<&'c str> {
            years
                .iter()
                .filter_map(|&y| cx.units.get(y, self.topic))
                .flat_map(|u| u.ids.iter())
                .flat_map(|id| cx.tags.get(id).into_iter().flatten())
                .map(String::as_str)
                .collect()
        };
        let target_topics = topics_of(&[self.year]);
        let reference_topics = topics_of(&self.reference_years(cx.units));
        target_topics
            .intersection(&reference_topics)
            .copied()
            .collect()
    }
}

/// The answers a check keeps in a comparison's pool, and their sums.
struct Kept {
    /// Per unit, its kept answers: (answer number in the pool, word tokens).
    units: Vec<Vec<(usize, f64)>>,
    /// The target's unit.
    ti: usize,
    /// The kept answers' sums; `n_a`, `n_b` the word tokens of each side.
    pool: PoolSums,
    n_a: f64,
    n_b: f64,
    /// The target's answers first, then the others in year order: the order
    /// keyness.csv's permutation test numbers them in.
    order: Vec<(usize, f64)>,
}

impl Kept {
    fn new(pool: &[&Unit], keep: &dyn Fn(&Unit, &str) -> bool, ti: usize) -> Self {
        let mut units: Vec<Vec<(usize, f64)>> = Vec::new();
        let mut at = 0;
        for u in pool {
            units.push(
                u.ids
                    .iter()
                    .enumerate()
                    .filter(|(_, id)| keep(u, id))
                    .map(|(k, _)| (at + k, u.tokens[k].1))
                    .collect(),
            );
            at += u.ids.len();
        }
        let (mut tokens, mut tokens_sq, mut tokens_cube, mut n) = (0.0, 0.0, 0.0, 0);
        for unit in &units {
            let unit_tokens: u64 = unit.iter().map(|k| k.1 as u64).sum();
            tokens += unit_tokens as f64;
            tokens_sq += unit.iter().map(|k| k.1.powi(2)).sum::<f64>();
            tokens_cube += unit.iter().map(|k| k.1.powi(3)).sum::<f64>();
            n += unit.len();
        }
        let n_a: f64 = units[ti].iter().map(|k| k.1).sum();
        let pool = PoolSums {
            n,
            k: units[ti].len(),
            tokens,
            target_tokens: n_a,
            tokens_sq,
            tokens_cube,
        };
        let order: Vec<(usize, f64)> = units[ti]
            .iter()
            .chain(
                units
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != ti)
                    .flat_map(|(_, k)| k),
            )
            .copied()
            .collect();
        Kept {
            units,
            ti,
            pool,
            n_a,
            n_b: tokens - n_a,
            order,
        }
    }

    /// Whether the target and some reference year keep answers.
    fn both_sides(&self) -> bool {
        let references_left = self
            .units
            .iter()
            .enumerate()
            .any(|(i, k)| i != self.ti && !k.is_empty());
        !self.units[self.ti].is_empty() && references_left
    }

    /// A phrase's sums over the kept answers, and over the target's, from its
    /// count in each answer of the pool: per unit, then units in year order.
    fn phrase_sums(&self, count: impl Fn(usize) -> f64) -> (TermSums, TermSums) {
        let mut phrase = TermSums::default();
        let mut target_sums = TermSums::default();
        for (u, unit) in self.units.iter().enumerate() {
            let mut sums = TermSums::default();
            for &(i, size) in unit {
                let c = count(i);
                if c > 0.0 {
                    sums.n += c as u64;
                    sums.answers += 1;
                    sums.sq += c * c;
                    sums.cross += c * size;
                    sums.cube += c * c * c;
                    sums.sq_tokens += c * c * size;
                    sums.cross_tokens += c * size * size;
                }
            }
            phrase += sums;
            if u == self.ti {
                target_sums = sums;
            }
        }
        (phrase, target_sums)
    }

    /// One shift on the kept answers, from the phrase's count in each answer
    /// of the pool. Its p_perm by the normal or the conditional test; where
    /// the permutation test is due, also the phrase's counts in its
    /// numbering (the p is then set by [`Comparison::permute`]).
    fn test(
        &self,
        cx: &Context,
        shift: &Shift,
        counts: &HashMap<usize, f64>,
    ) -> (Outcome, Option<Vec<(usize, f64)>>) {
        let s = cx.settings;
        let pool = &self.pool;
        let (n_a, n_b) = (self.n_a, self.n_b);
        let count = |i: usize| counts.get(&i).copied().unwrap_or(0.0);
        let (phrase, target_sums) = self.phrase_sums(count);
        let sums = PhraseSums {
            count: phrase.n as f64,
            target: target_sums.n as f64,
            answers: phrase.answers,
            sq: phrase.sq,
            cross: phrase.cross,
            cube: phrase.cube,
            sq_tokens: phrase.sq_tokens,
            cross_tokens: phrase.cross_tokens,
        };
        let (a, b) = (target_sums.n as f64, (phrase.n - target_sums.n) as f64);
        let p_token = stats::p_of_g2(stats::g2(a, b, n_a, n_b));
        let numbers = |p: f64| Numbers {
            a,
            b,
            n_a,
            n_b,
            pool_a: pool.k,
            pool_b: pool.n - pool.k,
            answers_a: target_sums.answers,
            answers_b: phrase.answers - target_sums.answers,
            log_ratio: stats::log_ratio(a, b, n_a, n_b),
            lrc: stats::lrc(a, b, n_a, n_b, s.lrc_level, shift.family),
            p_perm: p.max(p_token),
        };
        let method = answer_level::method(pool.n, pool.k, phrase.answers, s);
        match method {
            TestMethod::Normal => (Ok((numbers(hajek::p_value(pool, &sums)), method)), None),
            TestMethod::Conditional => {
                let positives: Vec<(u32, f64)> = self
                    .units
                    .iter()
                    .flatten()
                    .filter(|k| count(k.0) > 0.0)
                    .map(|k| (count(k.0) as u32, k.1))
                    .collect();
                let outcome = match conditional::p_value(pool, sums.d(pool), &positives) {
                    Some(p) => (numbers(p), TestMethod::Conditional),
                    None => (numbers(hajek::p_value(pool, &sums)), TestMethod::Normal),
                };
                (Ok(outcome), None)
            }
            TestMethod::Exact | TestMethod::MonteCarlo => {
                let list: Vec<(usize, f64)> = self
                    .order
                    .iter()
                    .enumerate()
                    .filter(|(_, k)| count(k.0) > 0.0)
                    .map(|(i, k)| (i, count(k.0)))
                    .collect();
                (Ok((numbers(f64::NAN), method)), Some(list))
            }
        }
    }
}
