//! Formulations (提法): the fixed multi-word phrases the speakers repeat,
//! found without a list, when each entered or left the corpus's language,
//! and the years each one is said in.
//!
//! Run by the frequencies stage, before it counts: the formulations found
//! become a phrase kind of their own (`formulation`), counted per answer and
//! tested by keyness like the others.
//!
//! 1. **Candidates** ([`candidates`]): runs of 1 to `max_tokens` segmented
//!    tokens of the answers, within a clause (punctuation ends a run), said
//!    in at least `min_answers` answers of the corpus.
//! 2. **Formula-like** ([`Rules`]): at least `min_chars` Chinese characters,
//!    or `min_chars_cohesive` where it is one unit the corpus's discovery
//!    found (cohesive by PMI: 去风险); not starting or ending with a word of
//!    `data/dict/formulation_edges.txt` (function words such as 的, 了, 是,
//!    and the verbs that govern a formula, 推动, 坚持, which would make
//!    every use of 真正的多边主义 a new phrase); not made only of stopwords;
//!    no `narrative` token (出席了会议 reports, it does not formulate); not a
//!    name, nor a name and one short word (a place or organisation of
//!    data/dict/places.txt, a word jieba tags as a person, a speaker or
//!    outlet of the labels, a discovered unit written by sound: 巴勒斯坦人民,
//!    习近平主席 name things; 中非命运共同体 formulates); no person the
//!    corpus names in it; no title at either end (offices of
//!    data/dict/offices.txt); where it is several words, at least
//!    `min_cohesion` of the uses of its rarest content word (a free
//!    combination of common words, 中国人民, is not).
//! 3. **Maximal**: a candidate nested in a longer one said at least
//!    `fold_share` times as often is folded into it (it is that one's piece).
//! 4. **Tested** ([`change`]): its first and last use, and the exact
//!    permutation tests of its entry and exit over the answers in date
//!    order, Benjamini–Hochberg over all of them.
//! 5. **Ranked**: those that entered or left (q below `change_alpha`) by
//!    their stronger test's q, then the rest by C-value ([`cvalue`]); the
//!    `top` are kept, in rank order.
//!
//! Output `formulations.csv`, one row per formulation and year with a
//! transcript (gap years have no row: no transcript is no evidence), with
//! its change and its status in the year against the last earlier year that
//! can tell. Its columns are documented once, in docs/outputs.md
//! ("tables/formulations.csv"), which `tests/cli/docs.rs` holds to
//! [`FORMULATIONS`].

pub mod candidates;
pub mod change;
pub mod cvalue;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use polars::prelude::*;

use crate::categories::{Category, Change, Status};
use crate::config::analysis::FormulationSettings;
use crate::error::Result;
use crate::frequencies::PeriodFacts;
use crate::segment::Vocab;
use crate::store::Store;

/// Formulations that entered or left shown per year and turn by the figure
/// and the report, strongest evidence first: enough to read a year's turn,
/// few enough to stay legible.
pub const SHOWN_PER_YEAR: usize = 3;

/// The formulations that entered or left, as the report and the figure show
/// them: of each year and turn (`Entered` in the year of the first use,
/// `Left` in the year of the last), the first [`SHOWN_PER_YEAR`] by rank
/// (the strongest evidence first), as (year, turn, row of formulations.csv
/// for that year), in (year, turn, rank) order. One choice for both, so
/// that the figure draws what the report lists.
pub fn shown(df: &DataFrame) -> Result<Vec<(i32, Change, usize)>> {
    let (rank, year, change, first, last) = (
        df.column("rank")?.u32()?,
        df.column("year")?.i32()?,
        df.column("change")?.str()?,
        df.column("first_date")?.str()?,
        df.column("last_date")?.str()?,
    );
    let year_of = |d: Option<&str>| {
        d.and_then(|d| d.get(..4))
            .and_then(|y| y.parse::<i32>().ok())
    };
    let mut picked: BTreeMap<(i32, Change), Vec<(u32, usize)>> = BTreeMap::new();
    for i in 0..df.height() {
        let (Some(r), Some(y), Some(ch)) = (rank.get(i), year.get(i), change.get(i)) else {
            continue;
        };
        let entered = ch == Change::Entered.as_str() || ch == Change::EnteredLeft.as_str();
        let left = ch == Change::Left.as_str() || ch == Change::EnteredLeft.as_str();
        if entered && year_of(first.get(i)) == Some(y) {
            picked.entry((y, Change::Entered)).or_default().push((r, i));
        }
        if left && year_of(last.get(i)) == Some(y) {
            picked.entry((y, Change::Left)).or_default().push((r, i));
        }
    }
    let mut out = Vec::new();
    for ((y, turn), mut rows) in picked {
        rows.sort_unstable();
        out.extend(
            rows.into_iter()
                .take(SHOWN_PER_YEAR)
                .map(|(_, i)| (y, turn, i)),
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
    /// Answers of the corpus holding it.
    pub answers: u32,
    /// The dates of its first and its last use.
    pub first_date: String,
    pub last_date: String,
    /// Its change tests ([`change`]).
    pub evidence: Evidence,
}

/// A formulation's entry and exit tests: the answers dated before its first
/// use and after its last, the exact p of each ([`change::tail`]) and their
/// q (Benjamini–Hochberg over both tests of every formulation tested).
#[derive(Debug, Clone, Copy, Default)]
pub struct Evidence {
    pub before_first: u32,
    pub after_last: u32,
    pub p_entry: f64,
    pub q_entry: f64,
    pub p_exit: f64,
    pub q_exit: f64,
}

impl Evidence {
    /// Whether it entered, left, both or neither, at level `alpha`.
    pub fn change(&self, alpha: f64) -> Change {
        match (self.q_entry < alpha, self.q_exit < alpha) {
            (true, true) => Change::EnteredLeft,
            (true, false) => Change::Entered,
            (false, true) => Change::Left,
            (false, false) => Change::Stable,
        }
    }

    /// The stronger of its two tests, (q, p): what the ranking sorts by.
    fn strongest(&self) -> (f64, f64) {
        if (self.q_entry, self.p_entry) <= (self.q_exit, self.p_exit) {
            (self.q_entry, self.p_entry)
        } else {
            (self.q_exit, self.p_exit)
        }
    }
}

/// The answers formulations are found in, in date order.
pub struct Corpus<'a> {
    /// Each answer's token ids (of the segment stage's vocabulary).
    pub answers: &'a [&'a [u32]],
    /// Each answer's date, `YYYY-MM-DD`, in order.
    pub dates: &'a [&'a str],
}

/// What a candidate must not be to be a formulation (step 2 of the module
/// documentation).
pub struct Rules<'a> {
    /// Words a formulation may not start or end with.
    pub edges: &'a HashSet<String>,
    /// Offices (data/dict/offices.txt), longest first: a title is no
    /// formulation.
    pub offices: &'a [String],
    /// The units the corpus's own discovery added to the segmenter
    /// (discovered.csv, source `text`): cohesive by PMI, so such a unit may
    /// be a formulation of `min_chars_cohesive` characters.
    pub discovered: &'a HashSet<String>,
    /// Whether a word is a name (a place, a person, a speaker or outlet).
    pub is_name: &'a dyn Fn(&str) -> bool,
    /// Whether a word names a person the corpus itself names: a speaker of
    /// its labels, or a unit its discovery found written by sound. A run
    /// holding one is about that person (中方向卡莱索转达了关切), not a
    /// formulation; 习近平外交思想 names no such person.
    pub is_person: &'a dyn Fn(&str) -> bool,
}

impl Rules<'_> {
    /// A title, or a run that starts or ends with one: what an official did
    /// or what was done to one (国务委员兼外交部长出席了会议, 会见了美国
    /// 国务卿), not a formulation. 习近平主席提出的全球发展倡议 starts with
    /// a title, and 全球发展倡议 is the formulation.
    pub fn holds_title(&self, words: &[&str]) -> bool {
        (1..=words.len())
            .any(|k| self.is_title(&words[..k]) || self.is_title(&words[words.len() - k..]))
    }

    /// A title: words naming an office, with names and at most one short
    /// word besides (王毅国务委员, 国务委员兼外长王毅, 外交部发言人汪文斌,
    /// 美国国务卿, 国家主席习近平): with its name words and every office
    /// (longest first) taken out, at most two characters are left.
    pub fn is_title(&self, words: &[&str]) -> bool {
        let mut rest: String = words
            .iter()
            .filter(|w| !(self.is_name)(w))
            .copied()
            .collect();
        let mut any = false;
        for o in self.offices {
            if rest.contains(o.as_str()) {
                rest = rest.replace(o.as_str(), "");
                any = true;
            }
        }
        any && rest.chars().count() <= 2
    }
}

/// Finds the formulations of the answers, best first: those that entered or
/// left (q below `change_alpha`) by the strength of that evidence, then the
/// rest by C-value; the first `top` are kept.
pub fn discover(
    corpus: &Corpus,
    vocab: &Vocab,
    rules: &Rules,
    s: &FormulationSettings,
) -> Vec<Formulation> {
    let found = candidates::frequent_runs(
        corpus.answers,
        |t| !vocab.is_word(t),
        s.max_tokens,
        s.min_answers,
    );
    let eligible = eligible(&found, vocab, rules, s);
    let items: Vec<cvalue::Item> = eligible
        .iter()
        .map(|c| cvalue::Item {
            tokens: &c.tokens,
            n: c.n,
            chars: han(&c.tokens, vocab),
        })
        .collect();
    let scored = cvalue::c_values(&items, s.fold_share);
    let kept: Vec<(&candidates::Candidate, f64)> = eligible
        .iter()
        .zip(scored)
        .filter(|(_, (c, folds))| !folds && *c > 0.0)
        .map(|(c, (c_value, _))| (*c, c_value))
        .collect();
    let mut out = tested(&kept, corpus, vocab);
    out.sort_by(|a, b| {
        let ((qa, pa), (qb, pb)) = (a.evidence.strongest(), b.evidence.strongest());
        let (sa, sb) = (qa < s.change_alpha, qb < s.change_alpha);
        let evidence = if sa && sb {
            qa.total_cmp(&qb).then(pa.total_cmp(&pb))
        } else {
            std::cmp::Ordering::Equal
        };
        sb.cmp(&sa)
            .then(evidence)
            .then(b.c_value.total_cmp(&a.c_value))
            .then_with(|| a.text.cmp(&b.text))
    });
    out.truncate(s.top);
    out
}

/// The candidates that are formula-like (step 2 of the module
/// documentation).
fn eligible<'c>(
    found: &'c [candidates::Candidate],
    vocab: &Vocab,
    rules: &Rules,
    s: &FormulationSettings,
) -> Vec<&'c candidates::Candidate> {
    let edge = |t: u32| rules.edges.contains(vocab.str(t));
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
    let long_enough = |c: &candidates::Candidate| {
        let chars = han(&c.tokens, vocab);
        chars >= s.min_chars
            || (chars >= s.min_chars_cohesive
                && c.tokens.len() == 1
                && rules.discovered.contains(vocab.str(c.tokens[0])))
    };
    found
        .iter()
        .filter(|c| {
            let (first, last) = (c.tokens[0], c.tokens[c.tokens.len() - 1]);
            long_enough(c)
                && !edge(first)
                && !edge(last)
                && c.tokens.iter().any(|&t| vocab.is_content(t))
                && !c
                    .tokens
                    .iter()
                    .any(|&t| s.narrative.iter().any(|w| w == vocab.str(t)))
                && cohesion(c) >= s.min_cohesion
                && !names_a_thing(&c.tokens, vocab, rules.is_name)
                && !c.tokens.iter().any(|&t| (rules.is_person)(vocab.str(t)))
                && !rules.holds_title(&c.tokens.iter().map(|&t| vocab.str(t)).collect::<Vec<_>>())
        })
        .collect()
}

/// The Chinese characters of a run of tokens: a formulation's length.
fn han(tokens: &[u32], vocab: &Vocab) -> usize {
    tokens
        .iter()
        .map(|&t| {
            vocab
                .str(t)
                .chars()
                .filter(|c| crate::text::is_cjk(*c))
                .count()
        })
        .sum()
}

/// The tokens' text, joined.
fn text_of(tokens: &[u32], vocab: &Vocab) -> String {
    tokens.iter().map(|&t| vocab.str(t)).collect()
}

/// A name and at most one word of two characters (中国 外交, 巴勒斯坦
/// 人民, 习近平 主席, and as one word 中美关系, 东盟国家) names a thing;
/// 中非 命运共同体 and 习近平 外交 思想 formulate.
fn names_a_thing(tokens: &[u32], vocab: &Vocab, is_name: &dyn Fn(&str) -> bool) -> bool {
    let text = text_of(tokens, vocab);
    let rest = |name: &str| text.chars().count() - name.chars().count();
    let named: Vec<&str> = tokens
        .iter()
        .map(|&t| vocab.str(t))
        .filter(|w| is_name(w))
        .collect();
    match (tokens, &named[..]) {
        ([_], []) => (2..text.chars().count())
            .filter_map(|k| text.char_indices().nth(k).map(|(i, _)| &text[..i]))
            .any(|prefix| is_name(prefix) && rest(prefix) <= 2),
        (_, [one]) => rest(one) <= 2,
        (_, names) => names.len() == tokens.len(),
    }
}

/// The formulations kept, each with its first and last use and its change
/// tests, q by Benjamini–Hochberg over all of them.
fn tested(
    kept: &[(&candidates::Candidate, f64)],
    corpus: &Corpus,
    vocab: &Vocab,
) -> Vec<Formulation> {
    let timeline = change::Timeline::new(corpus.dates);
    let n = timeline.len();
    let mut out: Vec<Formulation> = kept
        .iter()
        .map(|&(c, c_value)| {
            let (first, last) = (c.first as usize, c.last as usize);
            let (before_first, after_last) = (timeline.before(first), timeline.after(last));
            Formulation {
                tokens: c.tokens.clone(),
                text: text_of(&c.tokens, vocab),
                c_value,
                answers: c.answers,
                first_date: corpus.dates[first].to_string(),
                last_date: corpus.dates[last].to_string(),
                evidence: Evidence {
                    before_first,
                    after_last,
                    p_entry: change::tail(n, before_first, c.answers),
                    p_exit: change::tail(n, after_last, c.answers),
                    ..Evidence::default()
                },
            }
        })
        .collect();
    let p: Vec<f64> = out
        .iter()
        .flat_map(|f| [f.evidence.p_entry, f.evidence.p_exit])
        .collect();
    let q = crate::shifts::stats::benjamini_hochberg(&p);
    for (f, q) in out.iter_mut().zip(q.chunks(2)) {
        f.evidence.q_entry = q[0];
        f.evidence.q_exit = q[1];
    }
    out
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

crate::columns! {
    /// The columns of `formulations.csv`.
    pub const FORMULATIONS: &Schema;
    /// formulations.csv's columns: those a formulation gives every row of
    /// it, then those of the year.
    struct Columns {
        rank: u32,
        formulation: String,
        tokens: String,
        c_value: f64,
        tracked: bool,
        change: &'static str,
        first_date: String,
        first_period: String,
        last_date: String,
        last_period: String,
        holding: u32,
        before_first: u32,
        after_last: u32,
        p_entry: f64,
        q_entry: f64,
        p_exit: f64,
        q_exit: f64,
        /// The year, until its facts follow it.
        year: i32 => PeriodFacts::OF_YEAR,
        n: u32,
        answers: u32,
        per_10k_tokens: f64,
        status: &'static str,
    }
}

/// A formulation's uses in a year, and the answers holding it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Uses {
    pub n: u32,
    pub answers: u32,
}

/// What formulations.csv is made from: the formulations found (in rank
/// order) and how to read them.
pub struct Found<'a> {
    pub found: &'a [Formulation],
    /// The vocabulary's token strings.
    pub tokens: &'a [String],
    pub tracked: &'a BTreeSet<String>,
    /// The level below which a q is a change.
    pub alpha: f64,
    /// The label of the period a date lies in.
    pub period_of: &'a dyn Fn(&str) -> String,
}

/// formulations.csv from each formulation's uses and answers per year
/// (`per_year[f][year]`), in rank order.
pub fn table(f: &Found, years: &[Year], per_year: &[BTreeMap<i32, Uses>]) -> Result<DataFrame> {
    let mut c = Columns::default();
    let partial: Vec<bool> = years.iter().map(|y| y.partial).collect();
    for (r, uses) in per_year.iter().enumerate().take(f.found.len()) {
        let said: Vec<bool> = years
            .iter()
            .map(|y| uses.get(&y.year).is_some_and(|u| u.n > 0))
            .collect();
        for (y, st) in years.iter().zip(statuses(&said, &partial)) {
            let u = uses.get(&y.year).copied().unwrap_or_default();
            c.push_formulation(f, r);
            c.year.push(y.year);
            c.n.push(u.n);
            c.answers.push(u.answers);
            c.per_10k_tokens
                .push(f64::from(u.n) * 10_000.0 / y.n_tokens.max(1) as f64);
            c.status.push(st.as_str());
        }
    }
    c.frame()
}

impl Columns {
    /// The columns of formulation `r` of `f`, for one more row.
    fn push_formulation(&mut self, f: &Found, r: usize) {
        let form = &f.found[r];
        let e = &form.evidence;
        self.rank.push(r as u32 + 1);
        self.formulation.push(form.text.clone());
        self.tokens.push(
            form.tokens
                .iter()
                .map(|&t| f.tokens[t as usize].as_str())
                .collect::<Vec<_>>()
                .join(" "),
        );
        self.c_value.push(form.c_value);
        self.tracked.push(f.tracked.contains(&form.text));
        self.change.push(e.change(f.alpha).as_str());
        self.first_date.push(form.first_date.clone());
        self.first_period.push((f.period_of)(&form.first_date));
        self.last_date.push(form.last_date.clone());
        self.last_period.push((f.period_of)(&form.last_date));
        self.holding.push(form.answers);
        self.before_first.push(e.before_first);
        self.after_last.push(e.after_last);
        self.p_entry.push(e.p_entry);
        self.q_entry.push(e.q_entry);
        self.p_exit.push(e.p_exit);
        self.q_exit.push(e.q_exit);
    }
}

crate::typed_table!(
    /// `formulations.csv`, as the frequencies stage writes it and the
    /// charts, the report, the explorer and the `formulations` command read
    /// it (see the module documentation).
    Formulations,
    FORMULATIONS,
    "formulations.csv"
);

/// formulations.csv, read back for the charts, the report, the explorer and
/// the `formulations` command.
pub fn read(store: &Store) -> Result<Formulations> {
    Formulations::new(store.read_table(Formulations::FILE, FORMULATIONS, "frequencies")?)
}

/// A formulation's line of `rhetoric-shift formulations`: its text, its
/// status in each year, and whether one of them is the status asked for.
struct Line<'a> {
    text: &'a str,
    years: Vec<String>,
    asked: bool,
}

/// The lines `rhetoric-shift formulations` prints (see its `--help`), from
/// formulations.csv, in rank order.
pub fn command(store: &Store, year: Option<i32>, only: Option<Status>) -> Result<Vec<String>> {
    let table = read(store)?;
    let df = table.frame();
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
    let mut by_formulation: BTreeMap<u32, Line> = BTreeMap::new();
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
        let line = by_formulation.entry(r).or_insert_with(|| Line {
            text: t,
            years: Vec::new(),
            asked: false,
        });
        line.years.push(format!("{yr}:{st}"));
        line.asked |= only.is_some_and(|o| o.as_str() == st);
    }
    for (r, line) in by_formulation {
        if only.is_none() || line.asked {
            lines.push(format!("{r:>4}  {}  {}", line.text, line.years.join(" ")));
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
