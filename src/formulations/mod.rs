//! Formulations (提法): the fixed multi-word phrases the minister repeats,
//! found without a list, and the years each one is said in.
//!
//! Run by the frequencies stage, before it counts: the formulations found
//! become a phrase kind of their own (`formulation`), counted per answer and
//! tested by keyness like the others.
//!
//! 1. **Candidates** ([`candidates`]): runs of 1 to `max_tokens` segmented
//!    tokens of the minister's answers, within a clause (punctuation ends a
//!    run), said in at least `min_answers` answers of the corpus.
//! 2. **Formula-like**: at least `min_chars` Chinese characters; not starting
//!    or ending with a word of `data/dict/formulation_edges.txt` (function
//!    words such as 的, 了, 是, and the verbs that govern a formula, 推动,
//!    坚持, which would make every use of 真正的多边主义 a new phrase);
//!    not made only of stopwords; not a name, nor a name and one short word
//!    (a place or organisation of data/dict/places.txt, or a word jieba tags
//!    as a person: 巴勒斯坦人民, 习近平主席 name things, they do not
//!    formulate; 中非命运共同体 does);
//!    where it is several words, it holds at least `min_cohesion` of the uses
//!    of its rarest content word (a free combination of common words, 中国
//!    人民, does not).
//! 3. **Maximal**: a candidate nested in a longer one said at least
//!    `fold_share` times as often is folded into it (it is that one's piece).
//! 4. **Ranked** by C-value ([`cvalue`]), which discounts a candidate's uses
//!    inside longer candidates; the `top` are kept, in rank order.
//!
//! Output `formulations.csv`, one row per formulation and year with a
//! transcript (gap years have no row: no transcript is no evidence), with
//! its status against the last earlier year that can tell (`first`, `new`,
//! `continuing`, `dropped`, `absent_partial`, `absent`). Its columns and the
//! statuses are documented once, in docs/outputs.md
//! ("tables/formulations.csv"), which `tests/cli/docs.rs` holds to
//! [`FORMULATIONS`].

pub mod candidates;
pub mod cvalue;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use polars::prelude::*;

use crate::config::analysis::FormulationSettings;
use crate::error::Result;
use crate::segment::Vocab;
use crate::store::Store;
use crate::table::{field, Schema, Ty::*};
use crate::vocab::{Category, Status};

pub const FORMULATIONS: &Schema = &[
    field("rank", U32),
    field("formulation", Str),
    field("tokens", Str),
    field("c_value", F64),
    field("tracked", Bool),
    field("first_year", I32),
    field("last_year", I32),
    field("year", I32),
    field("genre", Str),
    field("questions_share", F64),
    field("n", U32),
    field("answers", U32),
    field("per_10k_tokens", F64),
    field("status", Str),
];

/// New and dropped formulations shown per year and status by the figure and
/// the report, best C-value first: enough to read a year's turn, few enough
/// to stay legible.
pub const SHOWN_PER_YEAR: usize = 3;

/// The new and dropped formulations the report and the figure show: of
/// each (year, status), the first [`SHOWN_PER_YEAR`] by rank, as rows of
/// formulations.csv, in (year, status, rank) order. One choice for both, so
/// that the figure draws what the report lists.
pub fn shown(df: &DataFrame) -> Result<Vec<(i32, Status, usize)>> {
    let (rank, year, status) = (
        df.column("rank")?.u32()?,
        df.column("year")?.i32()?,
        df.column("status")?.str()?,
    );
    let mut picked: BTreeMap<(i32, &str), Vec<(u32, usize)>> = BTreeMap::new();
    for i in 0..df.height() {
        if let (Some(r), Some(y), Some(st)) = (rank.get(i), year.get(i), status.get(i)) {
            if st == Status::New.as_str() || st == Status::Dropped.as_str() {
                picked.entry((y, st)).or_default().push((r, i));
            }
        }
    }
    let mut out = Vec::new();
    for ((y, st), mut rows) in picked {
        rows.sort_unstable();
        let st = if st == Status::New.as_str() {
            Status::New
        } else {
            Status::Dropped
        };
        out.extend(
            rows.into_iter()
                .take(SHOWN_PER_YEAR)
                .map(|(_, i)| (y, st, i)),
        );
    }
    Ok(out)
}

/// A formulation found in the corpus.
#[derive(Debug, Clone)]
pub struct Formulation {
    /// Token ids into the segment stage's vocabulary.
    pub tokens: Vec<u32>,
    /// The tokens joined: the text as the normalised answers hold it.
    pub text: String,
    pub c_value: f64,
}

/// Finds the formulations of the answers (token ids of `vocab`), best first.
pub fn discover(
    answers: &[&[u32]],
    vocab: &Vocab,
    edges: &HashSet<String>,
    is_name: impl Fn(&str) -> bool,
    s: &FormulationSettings,
) -> Vec<Formulation> {
    let found =
        candidates::frequent_runs(answers, |t| !vocab.is_word(t), s.max_tokens, s.min_answers);
    let han = |t: u32| {
        vocab
            .str(t)
            .chars()
            .filter(|c| crate::text::is_cjk(*c))
            .count()
    };
    let edge = |t: u32| edges.contains(vocab.str(t));
    let uses: HashMap<u32, u32> = found
        .iter()
        .filter(|c| c.tokens.len() == 1)
        .map(|c| (c.tokens[0], c.n))
        .collect();
    // How much of its rarest content word's use the run is: 真正的多边主义
    // is a third of 多边主义's uses, 中国人民 a fiftieth of 中国's.
    let cohesion = |c: &candidates::Candidate| {
        let rarest = c
            .tokens
            .iter()
            .filter(|&&t| vocab.is_content(t))
            .map(|t| uses.get(t).copied().unwrap_or(c.n))
            .min()
            .unwrap_or(c.n);
        f64::from(c.n) / f64::from(rarest.max(1))
    };
    // A name and at most one word of two characters (中国 外交, 巴勒斯坦
    // 人民, 习近平 主席, and as one word 中美关系, 东盟国家) names a thing;
    // 中非 命运共同体 and 习近平 外交 思想 formulate.
    let names_a_thing = |c: &candidates::Candidate| {
        let text: String = c.tokens.iter().map(|&t| vocab.str(t)).collect();
        let rest = |name: &str| text.chars().count() - name.chars().count();
        let named: Vec<&str> = c
            .tokens
            .iter()
            .map(|&t| vocab.str(t))
            .filter(|w| is_name(w))
            .collect();
        match (&c.tokens[..], &named[..]) {
            ([_], []) => (2..text.chars().count())
                .filter_map(|k| text.char_indices().nth(k).map(|(i, _)| &text[..i]))
                .any(|prefix| is_name(prefix) && rest(prefix) <= 2),
            (_, [one]) => rest(one) <= 2,
            (_, names) => names.len() == c.tokens.len(),
        }
    };
    let eligible: Vec<&candidates::Candidate> = found
        .iter()
        .filter(|c| {
            let (first, last) = (c.tokens[0], c.tokens[c.tokens.len() - 1]);
            c.tokens.iter().map(|&t| han(t)).sum::<usize>() >= s.min_chars
                && !edge(first)
                && !edge(last)
                && c.tokens.iter().any(|&t| vocab.is_content(t))
                && cohesion(c) >= s.min_cohesion
                && !names_a_thing(c)
        })
        .collect();
    let items: Vec<cvalue::Item> = eligible
        .iter()
        .map(|c| cvalue::Item {
            tokens: &c.tokens,
            n: c.n,
            chars: c.tokens.iter().map(|&t| han(t)).sum(),
        })
        .collect();
    let scored = cvalue::c_values(&items, s.fold_share);
    let mut kept: Vec<Formulation> = eligible
        .iter()
        .zip(scored)
        .filter(|(_, (c, folds))| !folds && *c > 0.0)
        .map(|(c, (c_value, _))| Formulation {
            text: c.tokens.iter().map(|&t| vocab.str(t)).collect(),
            tokens: c.tokens.clone(),
            c_value,
        })
        .collect();
    kept.sort_by(|a, b| {
        b.c_value
            .total_cmp(&a.c_value)
            .then_with(|| a.text.cmp(&b.text))
    });
    kept.truncate(s.top);
    kept
}

/// Counts the formulations in a run of tokens: a trie of their token ids.
pub struct Matcher {
    child: HashMap<(u32, u32), u32>,
    /// The formulation each trie node completes, if one does.
    ends: Vec<Option<u32>>,
}

impl Matcher {
    pub fn new(formulations: &[Vec<u32>]) -> Matcher {
        let mut m = Matcher {
            child: HashMap::new(),
            ends: vec![None],
        };
        for (f, tokens) in formulations.iter().enumerate() {
            let mut at = 0u32;
            for &t in tokens {
                let next = m.ends.len() as u32;
                at = *m.child.entry((at, t)).or_insert(next);
                if at == next {
                    m.ends.push(None);
                }
            }
            m.ends[at as usize] = Some(f as u32);
        }
        m
    }

    /// Each formulation's uses in `ids`, counting every start (a formulation
    /// inside another one is counted in both).
    pub fn counts(&self, ids: &[u32]) -> BTreeMap<u32, u32> {
        let mut out = BTreeMap::new();
        if self.child.is_empty() {
            return out;
        }
        for start in 0..ids.len() {
            let mut at = 0u32;
            for &t in &ids[start..] {
                match self.child.get(&(at, t)) {
                    Some(&next) => at = next,
                    None => break,
                }
                if let Some(f) = self.ends[at as usize] {
                    *out.entry(f).or_default() += 1;
                }
            }
        }
        out
    }
}

/// One year of the corpus as the status needs it.
pub struct Year {
    pub year: i32,
    /// Word tokens of the year's answers.
    pub n_tokens: u64,
    /// Whether its text is partial or a summary.
    pub partial: bool,
}

/// A formulation's status in each year (in `years` order), from whether it
/// is said in each (see the module documentation).
pub fn statuses(said: &[bool], partial: &[bool]) -> Vec<Status> {
    // The last earlier year that can tell: (whether it is said there).
    let mut then: Option<bool> = None;
    said.iter()
        .zip(partial)
        .enumerate()
        .map(|(i, (&now, &part))| {
            let s = match (now, then) {
                (true, _) if i == 0 => Status::First,
                (true, Some(true)) => Status::Continuing,
                (true, _) => Status::New,
                (false, _) if part => Status::AbsentPartial,
                (false, Some(true)) => Status::Dropped,
                (false, _) => Status::Absent,
            };
            if now || !part {
                then = Some(now);
            }
            s
        })
        .collect()
}

/// formulations.csv from each formulation's uses and answers per year
/// (`per_year[f][year]`), in rank order.
pub fn table(
    found: &[Formulation],
    tokens: &[String],
    tracked: &BTreeSet<String>,
    years: &[Year],
    per_year: &[BTreeMap<i32, (u32, u32)>],
) -> Result<DataFrame> {
    let (mut rank, mut text, mut segs, mut cv, mut tr, mut first, mut last) =
        (vec![], vec![], vec![], vec![], vec![], vec![], vec![]);
    let (mut year, mut n, mut answers, mut rate, mut status) =
        (vec![], vec![], vec![], vec![], vec![]);
    let partial: Vec<bool> = years.iter().map(|y| y.partial).collect();
    for (r, f) in found.iter().enumerate() {
        let uses = &per_year[r];
        let said: Vec<bool> = years
            .iter()
            .map(|y| uses.get(&y.year).is_some_and(|u| u.0 > 0))
            .collect();
        let seg = f
            .tokens
            .iter()
            .map(|&t| tokens[t as usize].as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let in_years = || {
            years
                .iter()
                .zip(&said)
                .filter(|(_, s)| **s)
                .map(|(y, _)| y.year)
        };
        let (fy, ly) = (in_years().next(), in_years().next_back());
        for (y, st) in years.iter().zip(statuses(&said, &partial)) {
            let (un, ua) = uses.get(&y.year).copied().unwrap_or((0, 0));
            rank.push(r as u32 + 1);
            text.push(f.text.clone());
            segs.push(seg.clone());
            cv.push(f.c_value);
            tr.push(tracked.contains(&f.text));
            first.push(fy);
            last.push(ly);
            year.push(y.year);
            n.push(un);
            answers.push(ua);
            rate.push(f64::from(un) * 10_000.0 / y.n_tokens.max(1) as f64);
            status.push(st.as_str());
        }
    }
    Ok(df!(
        "rank" => rank,
        "formulation" => text,
        "tokens" => segs,
        "c_value" => cv,
        "tracked" => tr,
        "first_year" => first,
        "last_year" => last,
        "year" => year,
        "n" => n,
        "answers" => answers,
        "per_10k_tokens" => rate,
        "status" => status,
    )?)
}

/// The table's file name; the frequencies stage writes it.
pub const FILE: &str = "formulations.csv";

/// formulations.csv, read back for the charts, the report, the explorer and
/// the `formulations` command.
pub fn read(store: &Store) -> Result<DataFrame> {
    store.read_table(FILE, FORMULATIONS, "frequencies")
}

/// The lines `rhetoric-shift formulations` prints (see its `--help`), from
/// formulations.csv, in rank order.
pub fn command(store: &Store, year: Option<i32>, only: Option<Status>) -> Result<Vec<String>> {
    let df = read(store)?;
    let col = |name: &str| df.column(name);
    let (rank, text, y, n, answers, rate, status, genre) = (
        col("rank")?.u32()?,
        col("formulation")?.str()?,
        col("year")?.i32()?,
        col("n")?.u32()?,
        col("answers")?.u32()?,
        col("per_10k_tokens")?.f64()?,
        col("status")?.str()?,
        col("genre")?.str()?,
    );
    let mut lines = Vec::new();
    let mut by_formulation: BTreeMap<u32, (String, Vec<String>, bool)> = BTreeMap::new();
    for i in 0..df.height() {
        let (Some(r), Some(t), Some(yr), Some(st)) =
            (rank.get(i), text.get(i), y.get(i), status.get(i))
        else {
            continue;
        };
        let wanted = only.is_none_or(|o| o.as_str() == st);
        if let Some(want) = year {
            if yr == want && wanted {
                lines.push(format!(
                    "{r:>4}  {t}  {st}  n={} answers={} per_10k_tokens={:.2} ({})",
                    n.get(i).unwrap_or(0),
                    answers.get(i).unwrap_or(0),
                    rate.get(i).unwrap_or(0.0),
                    genre.get(i).unwrap_or(""),
                ));
            }
            continue;
        }
        let e = by_formulation
            .entry(r)
            .or_insert_with(|| (t.to_string(), Vec::new(), false));
        e.1.push(format!("{yr}:{st}"));
        e.2 |= only.is_some_and(|o| o.as_str() == st);
    }
    for (r, (t, years, hit)) in by_formulation {
        if only.is_none() || hit {
            lines.push(format!("{r:>4}  {t}  {}", years.join(" ")));
        }
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The toy corpus worked out by hand in tests/reference/cvalue.md (and
    /// recomputed by brute force in tests/reference/cvalue.py): candidates
    /// and C-values end to end.
    #[test]
    fn c_values_of_the_reference_toy_corpus() {
        let answers: Vec<&[u32]> = vec![
            &[1, 2, 3, 0, 4, 5, 6, 0],
            &[1, 2, 3, 0, 2, 3, 0, 5, 6, 7, 0],
            &[2, 3, 0, 4, 5, 6, 7, 0],
            &[4, 5, 6, 0, 1, 2, 3, 0],
            &[4, 5, 6, 0, 2, 3, 0],
        ];
        let chars = |t: u32| if t == 3 { 5usize } else { 2 };
        let want: &[(&[u32], u32, u32, f64, bool)] = &[
            (&[1], 3, 3, 0.0, true),
            (&[2], 6, 5, 2.0, true),
            (&[3], 6, 5, 1.5 * 5f64.log2(), true),
            (&[4], 4, 4, 0.0, true),
            (&[5], 5, 5, 1.25, true),
            (&[6], 5, 5, 1.75, true),
            (&[7], 2, 2, 0.0, true),
            (&[1, 2], 3, 3, 0.0, true),
            (&[2, 3], 6, 5, 3.0 * 7f64.log2(), false),
            (&[4, 5], 4, 4, 0.0, true),
            (&[5, 6], 5, 5, 4.0, true),
            (&[6, 7], 2, 2, 0.0, true),
            (&[1, 2, 3], 3, 3, 3.0 * 9f64.log2(), false),
            (&[4, 5, 6], 4, 4, 4.0 * 6f64.log2(), false),
            (&[5, 6, 7], 2, 2, 2.0 * 6f64.log2(), false),
        ];
        let mut found = candidates::frequent_runs(&answers, |t| t == 0, 8, 2);
        found.sort_by(|a, b| (a.tokens.len(), &a.tokens).cmp(&(b.tokens.len(), &b.tokens)));
        let items: Vec<cvalue::Item> = found
            .iter()
            .map(|c| cvalue::Item {
                tokens: &c.tokens,
                n: c.n,
                chars: c.tokens.iter().map(|&t| chars(t)).sum(),
            })
            .collect();
        let got = cvalue::c_values(&items, 0.8);
        assert_eq!(found.len(), want.len());
        for ((c, (cv, folds)), &(tokens, n, answers, w_cv, w_folds)) in
            found.iter().zip(got).zip(want)
        {
            assert_eq!((c.tokens.as_slice(), c.n, c.answers), (tokens, n, answers));
            assert!((cv - w_cv).abs() < 1e-12, "{tokens:?}: {cv} != {w_cv}");
            assert_eq!(folds, w_folds, "{tokens:?}");
        }
    }

    #[test]
    fn statuses_skip_partial_years_without_the_formulation() {
        use Status::*;
        // Years: complete, partial, complete, summary, complete.
        let partial = [false, true, false, true, false];
        assert_eq!(
            statuses(&[true, false, true, false, false], &partial),
            [First, AbsentPartial, Continuing, AbsentPartial, Dropped]
        );
        assert_eq!(
            statuses(&[false, false, true, true, true], &partial),
            [Absent, AbsentPartial, New, Continuing, Continuing]
        );
        assert_eq!(
            statuses(&[false, true, false, false, true], &partial),
            [Absent, New, Dropped, AbsentPartial, New]
        );
    }
}
