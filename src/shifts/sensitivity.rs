//! Sensitivity: does a shift survive when the comparison is made like with
//! like? Every keyness row the tool calls a shift (q_perm < 0.05) is
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
//! `without partial years`, `common topics only`): `year`, `topic`,
//! `reference`, `kind`, `phrase`, `check`, `a`, `b`, `n_a`, `n_b`,
//! `answers_a`, `answers_b`, `log_ratio`, `lrc` (Bonferroni over the same
//! family as in keyness.csv), `p_perm` (answer-level permutation p, drawn as
//! in keyness.csv, so that `as reported` repeats its value), `survives`
//! (`true` where p_perm < 0.05; not corrected for multiplicity: the check asks
//! whether one reported shift holds, not which of many do), `note` (why a
//! check could not be made).

use std::collections::{BTreeSet, HashMap};

use polars::prelude::*;

use super::permutation::{self, Pool};
use super::{stats, Unit, Units};
use crate::config::analysis::KeynessSettings;
use crate::error::Result;
use crate::table::{field, Schema, Ty::*};
use crate::vocab::{Category, Reference};

/// The columns of `sensitivity.csv` (see the module documentation).
pub const SENSITIVITY: &Schema = &[
    field("year", I32),
    field("topic", Str),
    field("reference", Str),
    field("kind", Str),
    field("phrase", Str),
    field("check", Str),
    field("a", U64),
    field("b", U64),
    field("n_a", U64),
    field("n_b", U64),
    field("answers_a", U32),
    field("answers_b", U32),
    field("log_ratio", F64),
    field("lrc", F64),
    field("p_perm", F64),
    field("survives", Bool),
    field("note", Str),
];

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
    /// The topics of every record, by id.
    pub tags: &'a HashMap<String, Vec<String>>,
    /// Years whose transcript holds only part of the conference.
    pub partial: &'a BTreeSet<i32>,
    pub settings: &'a KeynessSettings,
    pub seed: u64,
}

/// One recomputed comparison, or why there is none.
type Outcome = std::result::Result<[f64; 9], String>;

/// Builds sensitivity.csv from keyness.csv (see the module documentation).
pub fn run(keyness: &DataFrame, cx: &Context) -> Result<Sensitivity> {
    let shifts = keyness
        .clone()
        .lazy()
        .filter(col("q_perm").lt(lit(0.05)))
        .collect()?;
    let text = |c: &str, i: usize| -> Result<String> {
        Ok(shifts
            .column(c)?
            .str()?
            .get(i)
            .unwrap_or_default()
            .to_string())
    };
    let year = shifts.column("year")?.i32()?;
    let mut rows: Vec<(usize, &'static str, Outcome)> = Vec::new();
    for i in 0..shifts.height() {
        let (y, t) = (year.get(i).unwrap_or_default(), text("topic", i)?);
        let (reference, kind, phrase) =
            (text("reference", i)?, text("kind", i)?, text("phrase", i)?);
        let family = keyness
            .clone()
            .lazy()
            .filter(
                col("year")
                    .eq(lit(y))
                    .and(col("topic").eq(lit(t.as_str())))
                    .and(col("reference").eq(lit(reference.as_str())))
                    .and(col("kind").eq(lit(kind.as_str()))),
            )
            .collect()?
            .height();
        let comparison = Comparison {
            year: y,
            topic: &t,
            reference: &reference,
            kind: &kind,
            phrase: &phrase,
            family,
        };
        rows.push((i, "as reported", comparison.compute(cx, |_| true, |_| true)));
        let without_partial = if cx.partial.contains(&y) {
            Err(format!("{y} itself holds only part of its conference"))
        } else {
            comparison.compute(cx, |_| true, |ref_year| !cx.partial.contains(&ref_year))
        };
        rows.push((i, "without partial years", without_partial));
        rows.push((i, "common topics only", comparison.common_topics(cx)));
    }
    let mut cols = Columns::default();
    for (i, check, outcome) in rows {
        cols.year.push(year.get(i));
        for (c, v) in [
            ("topic", &mut cols.topic),
            ("reference", &mut cols.reference),
            ("kind", &mut cols.kind),
            ("phrase", &mut cols.phrase),
        ] {
            v.push(text(c, i)?);
        }
        cols.check.push(check);
        match outcome {
            Ok([a, b, n_a, n_b, answers_a, answers_b, log_ratio, lrc, p]) => {
                for (v, x) in [
                    (&mut cols.a, a),
                    (&mut cols.b, b),
                    (&mut cols.n_a, n_a),
                    (&mut cols.n_b, n_b),
                ] {
                    v.push(Some(x as u64));
                }
                cols.answers_a.push(Some(answers_a as u32));
                cols.answers_b.push(Some(answers_b as u32));
                cols.log_ratio.push(Some(log_ratio));
                cols.lrc.push(Some(lrc));
                cols.p.push(Some(p));
                cols.survives.push(Some(p < 0.05));
                cols.note.push(String::new());
            }
            Err(note) => {
                for v in [&mut cols.a, &mut cols.b, &mut cols.n_a, &mut cols.n_b] {
                    v.push(None);
                }
                cols.answers_a.push(None);
                cols.answers_b.push(None);
                cols.log_ratio.push(None);
                cols.lrc.push(None);
                cols.p.push(None);
                cols.survives.push(None);
                cols.note.push(note);
            }
        }
    }
    Sensitivity::new(df!(
        "year" => cols.year,
        "topic" => cols.topic,
        "reference" => cols.reference,
        "kind" => cols.kind,
        "phrase" => cols.phrase,
        "check" => cols.check,
        "a" => cols.a,
        "b" => cols.b,
        "n_a" => cols.n_a,
        "n_b" => cols.n_b,
        "answers_a" => cols.answers_a,
        "answers_b" => cols.answers_b,
        "log_ratio" => cols.log_ratio,
        "lrc" => cols.lrc,
        "p_perm" => cols.p,
        "survives" => cols.survives,
        "note" => cols.note,
    )?)
}

#[derive(Default)]
struct Columns {
    year: Vec<Option<i32>>,
    topic: Vec<String>,
    reference: Vec<String>,
    kind: Vec<String>,
    phrase: Vec<String>,
    check: Vec<&'static str>,
    a: Vec<Option<u64>>,
    b: Vec<Option<u64>>,
    n_a: Vec<Option<u64>>,
    n_b: Vec<Option<u64>>,
    answers_a: Vec<Option<u32>>,
    answers_b: Vec<Option<u32>>,
    log_ratio: Vec<Option<f64>>,
    lrc: Vec<Option<f64>>,
    p: Vec<Option<f64>>,
    survives: Vec<Option<bool>>,
    note: Vec<String>,
}

/// One reported shift.
struct Comparison<'a> {
    year: i32,
    topic: &'a str,
    reference: &'a str,
    kind: &'a str,
    phrase: &'a str,
    family: usize,
}

impl Comparison<'_> {
    /// The reference years of the comparison among the compared ones.
    fn reference_years(&self, units: &Units) -> Vec<i32> {
        let years = units.years_of(self.topic);
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

    /// The comparison on the answers `keep` accepts, with the reference
    /// years `keep_year` accepts: [a, b, n_a, n_b, answers_a, answers_b,
    /// log ratio, LRC, p_perm].
    fn compute(
        &self,
        cx: &Context,
        keep: impl Fn(&str) -> bool,
        keep_year: impl Fn(i32) -> bool,
    ) -> Outcome {
        let target = cx
            .units
            .get(self.year, self.topic)
            .ok_or_else(|| "no answers".to_string())?;
        let refs: Vec<&Unit> = self
            .reference_years(cx.units)
            .into_iter()
            .filter(|&y| keep_year(y))
            .filter_map(|y| cx.units.get(y, self.topic))
            .collect();
        if refs.is_empty() {
            return Err("no reference year left".into());
        }
        // The kept answers of each side: (unit, answer index).
        let side = |units: &[&Unit]| -> Vec<(usize, usize)> {
            units
                .iter()
                .enumerate()
                .flat_map(|(u, unit)| {
                    (0..unit.ids.len())
                        .filter(|&k| keep(&unit.ids[k]))
                        .map(move |k| (u, k))
                })
                .collect()
        };
        let pool_units: Vec<&Unit> = std::iter::once(target).chain(refs).collect();
        let kept = side(&pool_units);
        let (kept_target, kept_ref): (Vec<_>, Vec<_>) =
            kept.into_iter().partition(|&(u, _)| u == 0);
        if kept_target.is_empty() || kept_ref.is_empty() {
            return Err("no answers left on one side".into());
        }
        let order: Vec<(usize, usize)> = kept_target.iter().chain(&kept_ref).copied().collect();
        let sizes: Vec<f64> = order
            .iter()
            .map(|&(u, k)| pool_units[u].tokens[k].1)
            .collect();
        let counts: Vec<HashMap<usize, f64>> = pool_units
            .iter()
            .map(|u| u.counts(self.kind, self.phrase).iter().copied().collect())
            .collect();
        let phrase: Vec<(usize, f64)> = order
            .iter()
            .enumerate()
            .filter_map(|(i, &(u, k))| counts[u].get(&k).map(|&c| (i, c)))
            .collect();
        let n_target = kept_target.len();
        let a: f64 = phrase.iter().filter(|c| c.0 < n_target).map(|c| c.1).sum();
        let b: f64 = phrase.iter().filter(|c| c.0 >= n_target).map(|c| c.1).sum();
        let n_a: f64 = sizes[..n_target].iter().sum();
        let n_b: f64 = sizes[n_target..].iter().sum();
        let s = cx.settings;
        // The key keyness.rs seeds this comparison with: the splits drawn do not
        // depend on the phrases, so `as reported` reproduces keyness.csv's p_perm.
        let key = format!(
            "permutation/{}/{}/{}",
            self.year, self.topic, self.reference
        );
        let (p, _) = permutation::p_values(
            &Pool {
                sizes: &sizes,
                n_target,
            },
            &[phrase],
            s.permutations,
            s.permutation_stop,
            stats::seed_for(cx.seed, &key),
        );
        Ok([
            a,
            b,
            n_a,
            n_b,
            n_target as f64,
            (order.len() - n_target) as f64,
            stats::log_ratio(a, b, n_a, n_b),
            stats::lrc(a, b, n_a, n_b, s.lrc_level, self.family),
            p[0],
        ])
    }

    /// The comparison on the answers whose topics the other side also has
    /// answers on (untagged answers stay).
    fn common_topics(&self, cx: &Context) -> Outcome {
        let topics_of = |years: &[i32]| -> BTreeSet<&str> {
            years
                .iter()
                .filter_map(|&y| cx.units.get(y, self.topic))
                .flat_map(|u| u.ids.iter())
                .flat_map(|id| cx.tags.get(id).into_iter().flatten())
                .map(String::as_str)
                .collect()
        };
        let target_topics = topics_of(&[self.year]);
        let reference_years = self.reference_years(cx.units);
        let reference_topics = topics_of(&reference_years);
        let common: BTreeSet<&str> = target_topics
            .intersection(&reference_topics)
            .copied()
            .collect();
        let keep = |id: &str| match cx.tags.get(id) {
            Some(ts) if !ts.is_empty() => ts.iter().any(|t| common.contains(t.as_str())),
            _ => true,
        };
        self.compute(cx, keep, |_| true)
    }
}
