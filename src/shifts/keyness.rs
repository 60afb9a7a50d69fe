//! Keyness: which phrases a topic's answers use more, or less, in one year than
//! in the others (reference `rest`, all other years pooled) and than in the
//! previous year where the topic has answers (reference `previous`).
//!
//! Output `keyness.csv`, one row per (year, topic, reference, kind, phrase)
//! tested (a + b ≥ min_count, and a reference with tokens):
//! - `year`, `topic`, `reference` (`rest` or `previous`), `kind`, `phrase`
//! - `a`, `b`: the phrase's count in the target year and in the reference
//! - `n_a`, `n_b`: word tokens of the topic's answers in each
//! - `g2`: signed log-likelihood, negative where a/n_a < b/n_b
//! - `log_ratio`: log2((a/n_a)/(b/n_b)), 0.5 in place of a zero count
//! - `logodds_z`: Monroe et al. log-odds z, prior α_w = alpha0·(a+b)/(n_a+n_b)
//! - `alpha0`: the α0 used
//! - `p`: p-value of g2 (χ², 1 degree of freedom): token-level, treating
//!   every token as independent
//! - `q`: Benjamini–Hochberg q over the phrases tested in the same
//!   (year, topic, reference, kind)
//! - `lrc`: Evert's conservative log ratio, the bound nearer 0 of an exact
//!   confidence interval of log_ratio (level `lrc_level`, Bonferroni over the
//!   same family), 0 where the interval contains 0: the effect size to rank by
//! - `p_perm`, `q_perm`: answer-level permutation p (whole answers shuffled
//!   between the year and its reference; [`super::permutation`]) and its BH q
//!   over the same family. The answer is the sampled unit; these are the
//!   numbers to report.
//! - `n_perm`: splits behind p_perm: all of them (the test is exact) where the
//!   answers allow no more than `permutations`, else `permutations` draws
//!
//! Years of a genre in `exclude_genres` ([comparison] in analysis.toml;
//! summaries by default) are neither targets nor references. The formulas are
//! in [`super::stats`]. Rows are sorted by year, topic, reference, kind, then
//! LRC from the most over-used down, ties by z.

use std::collections::HashMap;

use polars::prelude::*;
use rayon::prelude::*;

use super::permutation::{self, Pool};
use super::stats;
use super::{Unit, Units};
use crate::config::analysis::KeynessSettings;
use crate::error::Result;
use crate::table::join;
use crate::vocab::{Category, Reference};

/// Builds keyness.csv from phrase_freq.csv and topic_year.csv.
pub fn run(
    phrase_freq: &DataFrame,
    topic_year: &DataFrame,
    units: &Units,
    s: &KeynessSettings,
    seed: u64,
) -> Result<DataFrame> {
    let totals = topic_year
        .clone()
        .lazy()
        .filter(col("n_tokens").gt(lit(0)))
        .select([
            col("year"),
            col("topic"),
            col("n_tokens").cast(DataType::Float64).alias("n_a"),
        ]);
    let wanted = s
        .kinds
        .iter()
        .fold(lit(false), |e, k| e.or(col("kind").eq(k.lit())));
    let counts = phrase_freq.clone().lazy().filter(wanted).select([
        col("year"),
        col("topic"),
        col("kind"),
        col("phrase"),
        col("n"),
    ]);
    // Every phrase seen in a topic, in every year the topic has answers: a phrase
    // the minister stopped using has a = 0 in the later years.
    let phrases = counts
        .clone()
        .select([col("topic"), col("kind"), col("phrase")])
        .unique(None, UniqueKeepStrategy::Any);
    let grid = join(
        join(phrases, totals.clone(), &["topic"], JoinType::Inner),
        counts,
        &["year", "topic", "kind", "phrase"],
        JoinType::Left,
    )
    .with_column(
        col("n")
            .fill_null(lit(0))
            .cast(DataType::Float64)
            .alias("a"),
    )
    .select([
        col("year"),
        col("topic"),
        col("kind"),
        col("phrase"),
        col("a"),
        col("n_a"),
    ])
    .collect()?
    .lazy();

    let phrase_key = [col("topic"), col("kind"), col("phrase")];
    let topic_tokens = totals
        .clone()
        .group_by([col("topic")])
        .agg([col("n_a").sum().alias("topic_tokens")]);
    let rest = join(grid.clone(), topic_tokens, &["topic"], JoinType::Inner).with_columns([
        (col("a").sum().over(phrase_key.clone())? - col("a")).alias("b"),
        (col("topic_tokens") - col("n_a")).alias("n_b"),
        Reference::Rest.lit().alias("reference"),
    ]);

    let previous_year = totals
        .sort(["topic", "year"], SortMultipleOptions::default())
        .with_column(
            col("year")
                .shift(lit(1))
                .over([col("topic")])?
                .alias("prev_year"),
        )
        .filter(col("prev_year").is_not_null())
        .select([col("year"), col("topic"), col("prev_year")]);
    let reference = grid.clone().select([
        col("year").alias("prev_year"),
        col("topic"),
        col("kind"),
        col("phrase"),
        col("a").alias("b"),
        col("n_a").alias("n_b"),
    ]);
    let previous = join(
        join(grid, previous_year, &["year", "topic"], JoinType::Inner),
        reference,
        &["prev_year", "topic", "kind", "phrase"],
        JoinType::Inner,
    )
    .with_column(Reference::Previous.lit().alias("reference"));

    let columns = [
        col("year"),
        col("topic"),
        col("reference"),
        col("kind"),
        col("phrase"),
        col("a"),
        col("b"),
        col("n_a"),
        col("n_b"),
    ];
    let tested = concat(
        [rest.select(columns.clone()), previous.select(columns)],
        UnionArgs::default(),
    )?
    .filter(
        (col("a") + col("b"))
            .gt_eq(lit(f64::from(s.min_count)))
            .and(col("n_b").gt(lit(0.0))),
    )
    .sort(
        ["year", "topic", "reference", "kind", "phrase"],
        SortMultipleOptions::default(),
    )
    .collect()?;

    let f = |name: &str| -> Result<Vec<f64>> {
        Ok(tested
            .column(name)?
            .f64()?
            .iter()
            .map(|v| v.unwrap_or(f64::NAN))
            .collect())
    };
    let (a, b, n_a, n_b) = (f("a")?, f("b")?, f("n_a")?, f("n_b")?);
    let rows = 0..tested.height();
    let g2: Vec<f64> = rows
        .clone()
        .map(|i| stats::g2(a[i], b[i], n_a[i], n_b[i]))
        .collect();
    let log_ratio: Vec<f64> = rows
        .clone()
        .map(|i| stats::log_ratio(a[i], b[i], n_a[i], n_b[i]))
        .collect();
    let z: Vec<f64> = rows
        .clone()
        .map(|i| stats::logodds_z(a[i], b[i], n_a[i], n_b[i], s.alpha0))
        .collect();
    let p: Vec<f64> = g2.iter().map(|&g| stats::p_of_g2(g)).collect();
    // q within each family; the table is sorted by the family's columns.
    let mut q = vec![0.0; p.len()];
    let families = {
        let year = tested.column("year")?.i32()?;
        let [topic, reference, kind] =
            ["topic", "reference", "kind"].map(|c| tested.column(c).and_then(|c| c.str()));
        let (topic, reference, kind) = (topic?, reference?, kind?);
        runs(tested.height(), |i| {
            (year.get(i), topic.get(i), reference.get(i), kind.get(i))
        })
    };
    for &(start, end) in &families {
        q[start..end].copy_from_slice(&stats::benjamini_hochberg(&p[start..end]));
    }

    let [lrc, p_perm, q_perm, n_perm] = answer_level(&tested, &families, units, s, seed)?;
    let out = tested
        .lazy()
        .with_columns([
            col("a").cast(DataType::UInt64),
            col("b").cast(DataType::UInt64),
            col("n_a").cast(DataType::UInt64),
            col("n_b").cast(DataType::UInt64),
        ])
        .collect()?;
    let mut out = out;
    for (name, values) in [
        ("g2", g2),
        ("log_ratio", log_ratio),
        ("lrc", lrc),
        ("logodds_z", z),
    ] {
        out.with_column(Column::new(name.into(), values))?;
    }
    out.with_column(Column::new("alpha0".into(), vec![s.alpha0; out.height()]))?;
    out.with_column(Column::new("p".into(), p))?;
    out.with_column(Column::new("q".into(), q))?;
    out.with_column(Column::new("p_perm".into(), p_perm))?;
    out.with_column(Column::new("q_perm".into(), q_perm))?;
    out.with_column(Column::new(
        "n_perm".into(),
        n_perm.iter().map(|&n| n as u64).collect::<Vec<u64>>(),
    ))?;
    // LRC ranks (Evert's recommendation): a large but uncertain ratio ranks
    // below a smaller sure one; ties (LRC 0) by the log-odds z.
    Ok(out
        .lazy()
        .sort_by_exprs(
            [
                col("year"),
                col("topic"),
                col("reference"),
                col("kind"),
                col("lrc"),
                col("logodds_z"),
                col("phrase"),
            ],
            SortMultipleOptions::default()
                .with_order_descending_multi([false, false, false, false, true, true, false]),
        )
        .collect()?)
}

/// Per row of `tested` (sorted by year, topic, reference, kind, phrase, with
/// `families` the runs of rows of one (year, topic, reference, kind)): LRC, the
/// answer-level permutation p and its BH q over the family, and the number of
/// splits behind p. The comparisons run in parallel, each with its own seed,
/// so the result does not depend on the number of threads.
fn answer_level(
    tested: &DataFrame,
    families: &[(usize, usize)],
    units: &Units,
    s: &KeynessSettings,
    seed: u64,
) -> Result<[Vec<f64>; 4]> {
    let year = tested.column("year")?.i32()?;
    let topic = tested.column("topic")?.str()?;
    let reference = tested.column("reference")?.str()?;
    let kind = tested.column("kind")?.str()?;
    let phrase = tested.column("phrase")?.str()?;
    let num = |c: &str| -> Result<Vec<f64>> {
        Ok(tested
            .column(c)?
            .f64()?
            .iter()
            .map(|v| v.unwrap_or(0.0))
            .collect())
    };
    let (a, b, n_a, n_b) = (num("a")?, num("b")?, num("n_a")?, num("n_b")?);
    let rows = tested.height();
    let lrc: Vec<f64> = families
        .par_iter()
        .flat_map_iter(|&(start, end)| {
            // α is the same for the whole family, and most phrases share a
            // small (a, a + b): each exact interval is computed once. The
            // bisection behind it was four fifths of a 10 MB run (perf).
            let mut intervals: HashMap<(u64, u64), (f64, f64)> = HashMap::new();
            (start..end)
                .map(|i| {
                    if a[i] + b[i] <= 0.0 {
                        return 0.0;
                    }
                    let f = a[i] + b[i];
                    let ci = *intervals
                        .entry((a[i].to_bits(), f.to_bits()))
                        .or_insert_with(|| stats::lrc_interval(a[i], f, s.lrc_level, end - start));
                    stats::lrc_of(ci, n_a[i], n_b[i])
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let comparisons = runs(rows, |i| (year.get(i), topic.get(i), reference.get(i)));
    let results: Vec<(Vec<f64>, u64)> = comparisons
        .par_iter()
        .map(|&(start, end)| {
            let (y, t) = (
                year.get(start).unwrap_or_default(),
                topic.get(start).unwrap_or_default(),
            );
            let refs = reference_units(units, y, t, reference.get(start).unwrap_or_default());
            let Some(target) = units.get(y, t) else {
                return (vec![f64::NAN; end - start], 0);
            };
            let pool_units: Vec<&Unit> = std::iter::once(target).chain(refs).collect();
            let mut sizes = Vec::new();
            let mut offsets = Vec::new();
            for u in &pool_units {
                offsets.push(sizes.len());
                sizes.extend(u.tokens.iter().map(|t| t.1));
            }
            let phrases: Vec<Vec<(usize, f64)>> = (start..end)
                .map(|i| {
                    let (k, p) = (
                        kind.get(i).unwrap_or_default(),
                        phrase.get(i).unwrap_or_default(),
                    );
                    let Some(term) = units.term(k, p) else {
                        return Vec::new();
                    };
                    pool_units
                        .iter()
                        .zip(&offsets)
                        .flat_map(|(u, &o)| {
                            u.term_counts(term).iter().map(move |&(j, c)| (o + j, c))
                        })
                        .collect()
                })
                .collect();
            let pool = Pool {
                sizes: &sizes,
                n_target: target.tokens.len(),
            };
            let key = format!(
                "permutation/{y}/{t}/{}",
                reference.get(start).unwrap_or_default()
            );
            let (p, draws) = permutation::p_values(
                &pool,
                &phrases,
                s.permutations,
                s.permutation_stop,
                stats::seed_for(seed, &key),
            );
            (p, draws.n)
        })
        .collect();
    let mut p_perm = Vec::with_capacity(rows);
    let mut n_perm = Vec::with_capacity(rows);
    for ((start, end), (p, n)) in comparisons.iter().zip(results) {
        p_perm.extend(p);
        n_perm.extend(std::iter::repeat_n(n as f64, end - start));
    }
    let mut q_perm = vec![0.0; rows];
    for &(start, end) in families {
        q_perm[start..end].copy_from_slice(&stats::benjamini_hochberg(&p_perm[start..end]));
    }
    Ok([lrc, p_perm, q_perm, n_perm])
}

/// The runs of rows with equal `key`, as (start, end): the table is sorted,
/// so a family or a comparison is one run.
fn runs<K: PartialEq>(rows: usize, key: impl Fn(usize) -> K) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=rows {
        if i == rows || key(i) != key(start) {
            out.push((start, i));
            start = i;
        }
    }
    out
}

/// The units a comparison sets the target (year, topic) against: every other
/// year with answers on the topic (`rest`), or the latest earlier one
/// (`previous`), among the units given (the years compared).
fn reference_units<'a>(units: &'a Units, year: i32, topic: &str, reference: &str) -> Vec<&'a Unit> {
    let years = units.years_of(topic);
    if reference == Reference::Rest.as_str() {
        years
            .iter()
            .filter(|&&y| y != year)
            .filter_map(|&y| units.get(y, topic))
            .collect()
    } else {
        years
            .iter()
            .filter(|&&y| y < year)
            .max()
            .and_then(|&y| units.get(y, topic))
            .into_iter()
            .collect()
    }
}
