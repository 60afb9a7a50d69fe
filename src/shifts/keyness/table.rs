//! keyness.csv: a family's rows corrected and cut, and the families written
//! in order (the columns: docs/outputs.md).

use std::collections::{HashMap, HashSet};

use polars::prelude::*;

use super::{Family, Inputs, Row};
use crate::categories::{Category, Shown};
use crate::error::Result;
use crate::frequencies::{PeriodFacts, Term};
use crate::shifts::stats;

/// BH and LRC over a family's tested rows, then the cut (see the module
/// documentation): the rows to write, in order, with why each is shown.
pub(super) fn correct_and_cut(
    mut rows: Vec<Row>,
    inp: &Inputs,
    (n_a, n_b): (f64, f64),
) -> Vec<(Row, Shown)> {
    let family = correct(&mut rows);
    let mut lrc = Lrc {
        intervals: HashMap::new(),
        level: inp.settings.lrc_level,
        family,
        n_a,
        n_b,
    };
    // LRC for the rows that can be shown or ranked by it: the significant
    // and the tracked ones, and (in `cut`) the strongest of the rest by G².
    for r in rows.iter_mut().filter(|r| {
        r.tested && (r.q_perm < inp.alpha || inp.all || matches!(r.term, Term::Tracked(_)))
    }) {
        lrc.set(r);
    }
    let mut order: Vec<(usize, Shown)> = Vec::new();
    for side_over in [true, false] {
        order.extend(cut(&mut rows, inp, side_over, &mut lrc));
    }
    order.extend(the_rest(&rows, inp, &order));
    order
        .into_iter()
        .map(|(i, why)| (rows[i].clone(), why))
        .collect()
}

/// Benjamini–Hochberg over the tested rows, of p and of p_perm; the number
/// of rows tested (the family's size).
fn correct(rows: &mut [Row]) -> usize {
    let tested: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].tested).collect();
    let q = stats::benjamini_hochberg(&tested.iter().map(|&i| rows[i].p).collect::<Vec<_>>());
    let q_perm =
        stats::benjamini_hochberg(&tested.iter().map(|&i| rows[i].p_perm).collect::<Vec<_>>());
    for (k, &i) in tested.iter().enumerate() {
        rows[i].q = q[k];
        rows[i].q_perm = q_perm[k];
    }
    tested.len()
}

/// LRC of a family's rows. The exact interval behind it is the costly part;
/// α is the same for the whole family, and most phrases share a small
/// (a, a + b), so each interval is computed once.
struct Lrc {
    intervals: HashMap<(u64, u64), (f64, f64)>,
    level: f64,
    family: usize,
    n_a: f64,
    n_b: f64,
}

impl Lrc {
    fn set(&mut self, r: &mut Row) {
        let f = r.a + r.b;
        let (level, family) = (self.level, self.family);
        let ci = *self
            .intervals
            .entry((r.a, f))
            .or_insert_with(|| stats::lrc_interval(r.a as f64, f as f64, level, family));
        r.lrc = if f == 0 {
            0.0
        } else {
            stats::lrc_of(ci, self.n_a, self.n_b)
        };
    }
}

/// Orders rows by their phrase: ties break by it, so that `all` and
/// `shifts` run alone (whose term ids differ) list a family alike; the
/// phrase is spelt out only where two rows tie.
fn by_phrase(inp: &Inputs, x: &Row, y: &Row) -> std::cmp::Ordering {
    let names = &inp.counts.names;
    names.phrase(x.term).cmp(&names.phrase(y.term))
}

/// The `top` rows of one side (over-used or under-used): the significant
/// ones by LRC, then, where fewer pass, the strongest of the rest by G²
/// (their LRC set here).
fn cut(rows: &mut [Row], inp: &Inputs, side_over: bool, lrc: &mut Lrc) -> Vec<(usize, Shown)> {
    let top = inp.settings.top;
    let significant = |r: &Row| r.tested && r.q_perm < inp.alpha;
    let over = |r: &Row| r.log_ratio > 0.0;
    let mut sig: Vec<usize> = (0..rows.len())
        .filter(|&i| significant(&rows[i]) && over(&rows[i]) == side_over)
        .collect();
    // By LRC from the most over-used (or under-used) down; ties by z.
    sig.sort_by(|&x, &y| {
        let (a, b) = (&rows[x], &rows[y]);
        let by = if side_over {
            b.lrc.total_cmp(&a.lrc).then(b.z.total_cmp(&a.z))
        } else {
            a.lrc.total_cmp(&b.lrc).then(a.z.total_cmp(&b.z))
        };
        by.then_with(|| by_phrase(inp, a, b))
    });
    sig.truncate(top);
    let mut rest: Vec<usize> = (0..rows.len())
        .filter(|&i| rows[i].tested && !significant(&rows[i]) && over(&rows[i]) == side_over)
        .collect();
    rest.sort_by(|&x, &y| {
        let (a, b) = (&rows[x], &rows[y]);
        b.g2.abs()
            .total_cmp(&a.g2.abs())
            .then_with(|| by_phrase(inp, a, b))
    });
    rest.truncate(top - sig.len());
    for &i in &rest {
        lrc.set(&mut rows[i]);
    }
    let mut order: Vec<(usize, Shown)> = sig.into_iter().map(|i| (i, Shown::Significant)).collect();
    order.extend(rest.into_iter().map(|i| (i, Shown::Strongest)));
    order
}

/// The rows not cut in that are shown all the same, by LRC: the tracked
/// ones, and with `--keyness-all` every tested one.
fn the_rest(rows: &[Row], inp: &Inputs, order: &[(usize, Shown)]) -> Vec<(usize, Shown)> {
    let shown: HashSet<usize> = order.iter().map(|o| o.0).collect();
    let mut more: Vec<(usize, Shown)> = (0..rows.len())
        .filter(|i| !shown.contains(i))
        .filter_map(|i| {
            if matches!(rows[i].term, Term::Tracked(_)) {
                Some((i, Shown::Tracked))
            } else if inp.all && rows[i].tested {
                Some((i, Shown::Tested))
            } else {
                None
            }
        })
        .collect();
    more.sort_by(|x, y| {
        let (a, b) = (&rows[x.0], &rows[y.0]);
        b.lrc.total_cmp(&a.lrc).then_with(|| by_phrase(inp, a, b))
    });
    more
}

/// keyness.csv: the families' rows in order, with their numbers.
pub(super) fn frame(inp: &Inputs, families: &[Family]) -> Result<(DataFrame, Option<String>)> {
    let mut families: Vec<&Family> = families.iter().collect();
    // Everyone's families first (speaker None), then each speaker's.
    families.sort_by(|x, y| {
        (
            x.year,
            inp.counts.topics[x.topic as usize].as_str(),
            &x.speaker,
            x.reference.as_str(),
            x.kind.as_str(),
        )
            .cmp(&(
                y.year,
                inp.counts.topics[y.topic as usize].as_str(),
                &y.speaker,
                y.reference.as_str(),
                y.kind.as_str(),
            ))
    });
    let top = inp.settings.top;
    let fitted = match inp.all {
        true => top,
        false => fitted_top(&families, top),
    };
    let mut c = Columns::default();
    for f in families {
        let mut kept = [0usize; 2];
        let rows = f.rows.iter().filter(|(r, shown)| {
            let Some(side) = cut_side(r, *shown) else {
                return true;
            };
            kept[side] += 1;
            kept[side] <= fitted
        });
        for (rank, (r, shown)) in rows.enumerate() {
            c.push(inp, f, rank, r, *shown);
        }
    }
    let warning = (fitted < top)
        .then(|| crate::table::cut_warning("keyness.csv", top, fitted, "[keyness] top"));
    Ok((c.frame()?, warning))
}

/// The side (0 over-used, 1 under-used) of a row the cut chose, in the
/// family's order; None for a row shown whatever the cut (tracked, or every
/// tested one with `--keyness-all`).
fn cut_side(r: &Row, shown: Shown) -> Option<usize> {
    matches!(shown, Shown::Significant | Shown::Strongest)
        .then_some(usize::from(r.log_ratio <= 0.0))
}

/// `top` lowered where the families' rows would pass a spreadsheet's rows
/// ([`crate::table::fit_top`]): each family's side is a group, cut from its
/// end, which is the cut [`cut`] makes with the lower `top` (significant rows
/// first by LRC, then the strongest of the rest by G²).
fn fitted_top(families: &[&Family], top: usize) -> usize {
    let (mut sizes, mut fixed) = (Vec::new(), 0);
    for f in families {
        let mut side = [0usize; 2];
        for (r, shown) in &f.rows {
            match cut_side(r, *shown) {
                Some(s) => side[s] += 1,
                None => fixed += 1,
            }
        }
        sizes.extend(side);
    }
    crate::table::fit_top(&sizes, fixed, top)
}

crate::columns! {
    /// The columns of `keyness.csv`.
    pub const KEYNESS: &Schema;
    /// keyness.csv's columns as each family's rows fill them.
    struct Columns<'a> {
        /// The year, until its facts follow it.
        year: i32 => PeriodFacts::OF_YEAR,
        topic: &'a str,
        speaker: &'a str,
        reference: &'static str,
        kind: &'static str,
        rank: u32,
        phrase: String,
        shown: &'static str,
        a: u64,
        b: u64,
        n_a: u64,
        n_b: u64,
        answers_a: u32,
        answers_b: u32,
        g2: Option<f64>,
        log_ratio: Option<f64>,
        lrc: Option<f64>,
        logodds_z: Option<f64>,
        alpha0: f64,
        p: Option<f64>,
        q: Option<f64>,
        p_perm: Option<f64>,
        q_perm: Option<f64>,
        test: Option<&'static str>,
        n_perm: Option<u64>,
        tested: u32,
        note: String,
    }
}

impl<'a> Columns<'a> {
    /// Row `r` of family `f`, at `rank` (from 0) in it.
    fn push(&mut self, inp: &'a Inputs, f: &'a Family, rank: usize, r: &Row, shown: Shown) {
        let c = self;
        let num = |x: f64| r.tested.then_some(x);
        c.year.push(f.year);
        c.topic.push(inp.counts.topics[f.topic as usize].as_str());
        c.speaker
            .push(f.speaker.as_deref().unwrap_or(crate::shifts::ALL_SPEAKERS));
        c.reference.push(f.reference.as_str());
        c.kind.push(f.kind.as_str());
        c.rank.push(rank as u32 + 1);
        c.phrase.push(inp.counts.names.phrase(r.term).into_owned());
        c.shown.push(shown.as_str());
        c.a.push(r.a);
        c.b.push(r.b);
        c.n_a.push(f.n_a);
        c.n_b.push(f.n_b);
        c.answers_a.push(r.answers_a);
        c.answers_b.push(r.answers_b);
        c.g2.push(num(r.g2));
        c.log_ratio.push(num(r.log_ratio));
        c.lrc.push(num(r.lrc));
        c.logodds_z.push(num(r.z));
        c.alpha0.push(inp.settings.alpha0);
        c.p.push(num(r.p));
        c.q.push(num(r.q));
        c.p_perm.push(num(r.p_perm));
        c.q_perm.push(num(r.q_perm));
        c.test.push(r.test.map(|t| t.as_str()));
        c.n_perm.push(r.n_perm);
        c.tested.push(f.tested);
        c.note.push(if r.tested {
            String::new()
        } else {
            format!(
                "not tested: below the filter (a + b < {} or in fewer than {} pooled answers)",
                inp.settings.min_count, inp.settings.min_answers
            )
        });
    }
}
