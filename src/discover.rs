//! Words found from the corpus itself: the names and terms its text holds
//! that the segmenter's dictionary does not, so that 佩洛西 is one token and
//! not 佩/洛/西 (issue 28).
//!
//! The classic new-word method on the corpus's own character n-grams:
//! a candidate is a run of 2 to `max_chars` Chinese characters said at least
//! `min_count` times; it is kept where it is **cohesive** (the least, over
//! the ways of cutting it in two, pointwise mutual information
//! ln(c(w)·N / (c(a)·c(b))) of its two parts, N the corpus's characters,
//! reaches `min_cohesion`) and **free** (the entropy of the characters
//! before it, and of those after it, each reaches `min_entropy`; the start
//! or end of a run of Chinese is a neighbour of its own each time). A part
//! of a longer name (泽连斯 of 泽连斯基) fails freedom: it is always followed
//! by the same character. Of the survivors only those the dictionary would
//! cut into pieces of which at least one is a single character are added:
//! a name it does not know, not a phrase of words it knows (国际社会 stays
//! two words). Counting is level by level, an n-gram counted only where its
//! two (n−1)-grams are frequent (an n-gram is no more frequent than its
//! parts), so the cost is linear in the text for each length.

use std::collections::{BTreeMap, HashSet};

use rustc_hash::FxHashMap as HashMap;

use jieba_rs::Jieba;
use polars::prelude::*;

use crate::config::Words;
use crate::error::Result;
use crate::text::is_cjk;

/// The table the segment stage writes of what it found.
pub const FILE: &str = "discovered.csv";

/// discovered.csv's `source` of a unit found in the text (the others come
/// from titles, the labels or data/dict/units.txt).
pub const TEXT: &str = "text";

/// discovered.csv's `source` of a name found before an office.
pub const TITLES: &str = "titles";

/// The units a reader adds or refuses (`data/dict/units.txt`: `+unit` or
/// `-unit`, one a line).
#[derive(Debug, Clone, Default)]
pub struct Edits {
    pub add: Vec<String>,
    pub refuse: HashSet<String>,
}

/// Whether the dictionary cuts `unit` into pieces of which one is a single
/// character, or any pieces where the unit is written only in the characters
/// of names transliterated by sound (巴托/里克), none of them a stopword: a
/// name it does not know, not a phrase of words it knows, nor a word with a
/// particle (我们将, 主权和).
pub fn split_by(words: &Words, jieba: &Jieba, unit: &str) -> bool {
    let pieces = jieba.cut(unit, false);
    let by_sound = unit.chars().all(|c| words.transliteration.contains(&c));
    pieces.len() > 1
        && (by_sound || pieces.iter().any(|t| t.word.chars().count() == 1))
        && !pieces.iter().any(|t| words.stopwords.contains(t.word))
}

/// The segmenter for this run: `jieba` with the units found in `texts`
/// (normalised, by record: `rows[i]` is text i's row of answers.csv), the
/// speakers and outlets the corpus's labels name, and the units of
/// `data/dict/units.txt` added, those it refuses left out; and
/// discovered.csv. None where nothing is added.
pub fn extend(
    words: &Words,
    answers: &DataFrame,
    texts: &[(usize, &str)],
    s: &Settings,
) -> Result<(Option<Jieba>, DataFrame)> {
    let (jieba, edits) = (&words.jieba, &words.units);
    let (id, date) = (answers.column("id")?.str()?, answers.column("date")?.str()?);
    let row_of = |r: usize| {
        (
            id.get(r).unwrap_or_default(),
            date.get(r).unwrap_or_default(),
        )
    };
    let mut rows = Rows::default();
    let mut seen: HashSet<String> = HashSet::new();
    let keep = |u: &str, seen: &HashSet<String>| !edits.refuse.contains(u) && !seen.contains(u);
    if s.enabled {
        let plain: Vec<&str> = texts.iter().map(|t| t.1).collect();
        for f in discover(&plain, s, |u| split_by(words, jieba, u)) {
            if keep(&f.unit, &seen) {
                let (i, d) = row_of(texts[f.first].0);
                rows.push(
                    &f.unit,
                    TEXT,
                    Some(f.uses),
                    Some((f.cohesion, f.left_entropy, f.right_entropy)),
                    i,
                    d,
                );
                seen.insert(f.unit);
            }
        }
        for (name, (uses, k)) in titled(words, texts) {
            if keep(&name, &seen) {
                let (i, d) = row_of(texts[k].0);
                rows.push(&name, TITLES, Some(uses), None, i, d);
                seen.insert(name);
            }
        }
    }
    for (name, (uses, r)) in labelled(answers)? {
        if keep(name, &seen) && split_by(words, jieba, name) {
            let (i, d) = row_of(r);
            rows.push(name, "labels", Some(uses), None, i, d);
            seen.insert(name.to_string());
        }
    }
    for unit in &edits.add {
        if keep(unit, &seen) && !jieba.has_word(unit) {
            rows.push(unit, "dict", None, None, "", "");
            seen.insert(unit.clone());
        }
    }
    let extended = (!rows.unit.is_empty()).then(|| {
        let mut j = jieba.clone();
        for u in &rows.unit {
            j.add_word(u, None, None);
        }
        j
    });
    Ok((extended, rows.frame()?))
}

/// The names the corpus's labels give, its speakers and its outlets, each
/// with its records and the first record (row of answers.csv) it labels.
fn labelled(answers: &DataFrame) -> Result<BTreeMap<&str, (u32, usize)>> {
    let mut named: BTreeMap<&str, (u32, usize)> = BTreeMap::new();
    for column in ["speaker", "outlet"] {
        let values = answers.column(column)?.str()?;
        for (r, v) in values.iter().enumerate() {
            if let Some(v) = v.filter(|v| v.chars().count() >= 2 && v.chars().all(is_cjk)) {
                named.entry(v).or_insert((0, r)).0 += 1;
            }
        }
    }
    Ok(named)
}

/// The names the corpus's titles reveal: two to four characters the
/// dictionary cuts one by one, none a stopword, just before an office of
/// data/dict/offices.txt (岸/田/文/雄 首相, 尹/锡/悦 总统), each with its
/// uses so and the first text (index into `texts`) saying it so. A name
/// said once with a title is then one token wherever it is said.
fn titled(words: &Words, texts: &[(usize, &str)]) -> BTreeMap<String, (u32, usize)> {
    let mut out: BTreeMap<String, (u32, usize)> = BTreeMap::new();
    for (k, (_, text)) in texts.iter().enumerate() {
        for clause in text.split(|c: char| !is_cjk(c)) {
            if !words.offices.iter().any(|o| clause.contains(o.as_str())) {
                continue;
            }
            let cut: Vec<&str> = words
                .jieba
                .cut(clause, false)
                .iter()
                .map(|t| t.word)
                .collect();
            for (j, w) in cut.iter().enumerate() {
                if !words.offices.iter().any(|o| o == w) {
                    continue;
                }
                let run = cut[..j]
                    .iter()
                    .rev()
                    .take_while(|t| t.chars().count() == 1 && !words.stopwords.contains(**t))
                    .count();
                if (2..=4).contains(&run) {
                    out.entry(cut[j - run..j].concat()).or_insert((0, k)).0 += 1;
                }
            }
        }
    }
    out
}

crate::columns! {
    /// The columns of `discovered.csv` (docs/outputs.md).
    pub const DISCOVERED: &Schema;
    /// discovered.csv's columns as they are filled.
    struct Rows {
        unit: String,
        source: &'static str,
        uses: Option<u32>,
        cohesion: Option<f64>,
        left_entropy: Option<f64>,
        right_entropy: Option<f64>,
        first_id: String,
        first_date: String,
    }
}

impl Rows {
    fn push(
        &mut self,
        unit: &str,
        source: &'static str,
        uses: Option<u32>,
        evidence: Option<(f64, f64, f64)>,
        first_id: &str,
        first_date: &str,
    ) {
        self.unit.push(unit.to_string());
        self.source.push(source);
        self.uses.push(uses);
        self.cohesion.push(evidence.map(|e| e.0));
        self.left_entropy.push(evidence.map(|e| e.1));
        self.right_entropy.push(evidence.map(|e| e.2));
        self.first_id.push(first_id.to_string());
        self.first_date.push(first_date.to_string());
    }
}

/// The thresholds (`[discovery]` in analysis.toml).
#[derive(Debug, Clone, Copy, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Find and add units at all.
    pub enabled: bool,
    pub min_count: u32,
    pub max_chars: usize,
    /// Natural-log PMI of the weakest cut.
    pub min_cohesion: f64,
    /// Natural-log entropy of each side's neighbours.
    pub min_entropy: f64,
}

/// A unit found, with the evidence for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub unit: String,
    pub uses: u32,
    pub cohesion: f64,
    pub left_entropy: f64,
    pub right_entropy: f64,
    /// The index of the first text it is said in.
    pub first: usize,
}

/// A run of Chinese characters of a text, and the characters beside it.
struct Run {
    /// The index of its text.
    text: usize,
    chars: Vec<char>,
    /// The neighbours outside the run ([`neighbour`]).
    before: Option<char>,
    after: Option<char>,
}

/// A character beside a run as a neighbour: any digit is one neighbour
/// (`0`), any Latin letter another (`a`), so that 号 after numbers that
/// change each time is not taken for a free boundary; white space and the
/// text's ends are None, a boundary of its own each time.
fn neighbour(c: Option<char>) -> Option<char> {
    match c? {
        c if c.is_whitespace() => None,
        c if c.is_numeric() => Some('0'),
        c if c.is_alphabetic() && !is_cjk(c) => Some('a'),
        c => Some(c),
    }
}

/// The runs of Chinese characters of each text.
fn runs(texts: &[&str]) -> Vec<Run> {
    let mut out = Vec::new();
    for (i, t) in texts.iter().enumerate() {
        let chars: Vec<char> = t.chars().collect();
        let mut k = 0;
        while k < chars.len() {
            if !is_cjk(chars[k]) {
                k += 1;
                continue;
            }
            let start = k;
            while k < chars.len() && is_cjk(chars[k]) {
                k += 1;
            }
            out.push(Run {
                text: i,
                chars: chars[start..k].to_vec(),
                before: neighbour(start.checked_sub(1).map(|j| chars[j])),
                after: neighbour(chars.get(k).copied()),
            });
        }
    }
    out
}

impl Run {
    /// The neighbours of the n-gram at `k` of length `n`.
    fn sides(&self, k: usize, n: usize) -> (Option<char>, Option<char>) {
        let left = match k {
            0 => self.before,
            _ => Some(self.chars[k - 1]),
        };
        (left, self.chars.get(k + n).copied().or(self.after))
    }
}

/// A frequent n-gram: its count, and where it is a cohesive candidate, the
/// index of its neighbours in [`discover`]'s list (`NONE` elsewhere), so
/// that one probe of one table tells both: two probes of two tables, one of
/// entries holding the neighbours' maps, were two thirds of the segment
/// stage on 10 MB of briefings, each a cache miss (perf annotate).
#[derive(Clone, Copy)]
struct Gram {
    count: u32,
    candidate: u32,
}

impl Gram {
    const NONE: u32 = u32::MAX;
}

/// Counts of the frequent n-grams of each length, `levels[n]` of length n
/// (`levels[1]` every character).
fn count_levels<'a>(runs: &'a [Run], s: &Settings) -> Vec<HashMap<&'a [char], Gram>> {
    let gram = || Gram {
        count: 0,
        candidate: Gram::NONE,
    };
    let mut levels: Vec<HashMap<&[char], Gram>> = vec![HashMap::default(); 2];
    for run in runs.iter().map(|r| &r.chars) {
        for k in 0..run.len() {
            levels[1].entry(&run[k..=k]).or_insert_with(gram).count += 1;
        }
    }
    let frequent =
        |m: &HashMap<&[char], Gram>, g: &[char]| m.get(g).is_some_and(|c| c.count >= s.min_count);
    for n in 2..=s.max_chars {
        let below = &levels[n - 1];
        let mut level: HashMap<&[char], Gram> = HashMap::default();
        for run in runs.iter().map(|r| &r.chars) {
            for k in 0..(run.len() + 1).saturating_sub(n) {
                let g = &run[k..k + n];
                if frequent(below, &g[..n - 1]) && frequent(below, &g[1..]) {
                    level.entry(g).or_insert_with(gram).count += 1;
                }
            }
        }
        level.retain(|_, c| c.count >= s.min_count);
        if level.is_empty() {
            break;
        }
        levels.push(level);
    }
    levels
}

/// The least PMI over the cuts of `g` in two.
fn cohesion(g: &[char], levels: &[HashMap<&[char], Gram>], n_chars: f64) -> f64 {
    let c = |x: &[char]| f64::from(levels[x.len()].get(x).map_or(1, |c| c.count));
    (1..g.len())
        .map(|k| (c(g) * n_chars / (c(&g[..k]) * c(&g[k..]))).ln())
        .fold(f64::INFINITY, f64::min)
}

/// Entropy of neighbour counts, each boundary a neighbour of its own.
fn entropy(counts: &HashMap<char, u32>, boundaries: u32) -> f64 {
    let n = f64::from(counts.values().sum::<u32>() + boundaries);
    if n == 0.0 {
        return 0.0;
    }
    let h = |c: f64| -(c / n) * (c / n).ln();
    counts.values().map(|&c| h(f64::from(c))).sum::<f64>() + f64::from(boundaries) * h(1.0)
}

/// Neighbours on one side: the characters, and the boundaries.
#[derive(Default)]
struct Side {
    chars: HashMap<char, u32>,
    boundaries: u32,
}

impl Side {
    fn add(&mut self, c: Option<char>) {
        match c {
            Some(c) => *self.chars.entry(c).or_default() += 1,
            None => self.boundaries += 1,
        }
    }
}

/// The units of `texts` (normalised answers, in corpus order) that pass the
/// thresholds and that `split` says the dictionary cuts into a piece of one
/// character; in order of uses (most first), then of the unit.
pub fn discover(texts: &[&str], s: &Settings, split: impl Fn(&str) -> bool) -> Vec<Found> {
    let runs = runs(texts);
    let mut levels = count_levels(&runs, s);
    let n_chars: f64 = runs.iter().map(|r| r.chars.len() as f64).sum();
    // Cohesive candidates the dictionary splits, with their neighbours and
    // first text. `split` is asked first: most cohesive n-grams are words it
    // knows, and gathering neighbours for each of their uses, a cache miss
    // each, was most of the stage (perf annotate).
    let cohesive: Vec<(&[char], String)> = (levels.iter().take(s.max_chars + 1).skip(2))
        .flat_map(|level| level.keys().copied())
        .filter(|g| cohesion(g, &levels, n_chars) >= s.min_cohesion)
        .map(|g| (g, g.iter().collect::<String>()))
        .filter(|(_, unit)| split(unit))
        .collect();
    let mut sides: Vec<(Side, Side, usize)> = Vec::with_capacity(cohesive.len());
    for &(g, _) in &cohesive {
        if let Some(gram) = levels[g.len()].get_mut(g) {
            gram.candidate = sides.len() as u32;
            sides.push((Side::default(), Side::default(), usize::MAX));
        }
    }
    for run in &runs {
        for k in 0..run.chars.len() {
            for n in 2..=s.max_chars.min(run.chars.len() - k) {
                let g = &run.chars[k..k + n];
                // No longer n-gram at k is frequent where this one is not.
                let Some(gram) = levels.get(n).and_then(|l| l.get(g)) else {
                    break;
                };
                if let Some((left, right, first)) = sides.get_mut(gram.candidate as usize) {
                    let (l, r) = run.sides(k, n);
                    left.add(l);
                    right.add(r);
                    *first = (*first).min(run.text);
                }
            }
        }
    }
    let mut out: Vec<Found> = cohesive
        .into_iter()
        .zip(sides)
        .filter_map(|((g, unit), (left, right, first))| {
            let (l, r) = (
                entropy(&left.chars, left.boundaries),
                entropy(&right.chars, right.boundaries),
            );
            (l.min(r) >= s.min_entropy).then(|| Found {
                uses: levels[g.len()][g].count,
                cohesion: cohesion(g, &levels, n_chars),
                left_entropy: l,
                right_entropy: r,
                first,
                unit,
            })
        })
        .collect();
    out.sort_by(|a, b| b.uses.cmp(&a.uses).then_with(|| a.unit.cmp(&b.unit)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SETTINGS: Settings = Settings {
        enabled: true,
        min_count: 3,
        max_chars: 6,
        min_cohesion: 1.0,
        min_entropy: 0.9,
    };

    /// Worked by hand: 佩洛西 said four times, each time between other
    /// characters (以/。, 称/访, 对/， and 批评/的); 洛西 and 佩洛 are always
    /// beside 佩 and 西, so their entropy on that side is 0 and they fail.
    /// The 4 uses of 佩洛西 give PMI ln(4·N/(4·4)) at every cut, N the
    /// characters; its left neighbours 以, 称, 对, 评 (four kinds) give ln 4.
    #[test]
    fn a_name_is_found_whole_and_its_parts_are_not() {
        let texts = [
            "美方以佩洛西。",
            "他称佩洛西访台。",
            "我们对佩洛西，表示",
            "中方批评佩洛西的言行",
        ];
        let found = discover(&texts, &SETTINGS, |_| true);
        let units: Vec<&str> = found.iter().map(|f| f.unit.as_str()).collect();
        assert_eq!(units, ["佩洛西"]);
        let f = &found[0];
        assert_eq!((f.uses, f.first), (4, 0));
        let n: f64 = texts
            .iter()
            .map(|t| t.chars().filter(|c| is_cjk(*c)).count() as f64)
            .sum();
        assert!((f.cohesion - (4.0 * n / 16.0).ln()).abs() < 1e-12, "{f:?}");
        assert!((f.left_entropy - 4f64.ln()).abs() < 1e-12, "{f:?}");
        // After it: 。, 访, ， and 的.
        assert!((f.right_entropy - 4f64.ln()).abs() < 1e-12, "{f:?}");
        // A unit the dictionary keeps whole is not added.
        assert!(discover(&texts, &SETTINGS, |_| false).is_empty());
    }

    /// Every n-gram of every run, counted the plain way.
    fn brute_counts(texts: &[&str], max: usize) -> HashMap<String, u32> {
        let mut out = HashMap::default();
        for run in runs(texts).into_iter().map(|r| r.chars) {
            for k in 0..run.len() {
                for n in 1..=max.min(run.len() - k) {
                    *out.entry(run[k..k + n].iter().collect()).or_default() += 1;
                }
            }
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::cases(500)))]
        /// Against a brute-force oracle: every unit found has the plain
        /// count, PMI and entropies, and every n-gram the plain way finds
        /// passing the thresholds is found.
        #[test]
        fn matches_the_brute_force_oracle(
            texts in prop::collection::vec("[甲乙丙丁，1a ]{0,30}", 1..8)
        ) {
            let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
            let s = Settings { min_cohesion: 0.0, min_entropy: 0.3, ..SETTINGS };
            let found = discover(&texts, &s, |_| true);
            let counts = brute_counts(&texts, s.max_chars);
            let n: f64 = counts.iter().filter(|(g, _)| g.chars().count() == 1).map(|(_, c)| f64::from(*c)).sum();
            let c = |g: &str| f64::from(counts.get(g).copied().unwrap_or(0));
            let mut want: Vec<String> = Vec::new();
            for (g, &count) in &counts {
                let chars: Vec<char> = g.chars().collect();
                if chars.len() < 2 || count < s.min_count {
                    continue;
                }
                let pmi = (1..chars.len())
                    .map(|k| {
                        let (a, b): (String, String) = (chars[..k].iter().collect(), chars[k..].iter().collect());
                        (f64::from(count) * n / (c(&a) * c(&b))).ln()
                    })
                    .fold(f64::INFINITY, f64::min);
                let (mut left, mut right) = (Side::default(), Side::default());
                // Each occurrence's neighbours, from the text itself.
                for t in &texts {
                    let all: Vec<char> = t.chars().collect();
                    for k in 0..all.len() {
                        if all[k..].starts_with(&chars) {
                            left.add(neighbour(k.checked_sub(1).map(|j| all[j])));
                            right.add(neighbour(all.get(k + chars.len()).copied()));
                        }
                    }
                }
                let (l, r) = (entropy(&left.chars, left.boundaries), entropy(&right.chars, right.boundaries));
                if pmi >= s.min_cohesion && l.min(r) >= s.min_entropy {
                    want.push(g.clone());
                }
                if let Some(f) = found.iter().find(|f| f.unit == *g) {
                    prop_assert_eq!(f.uses, count);
                    prop_assert!((f.cohesion - pmi).abs() < 1e-9);
                    prop_assert!((f.left_entropy - l).abs() < 1e-9 && (f.right_entropy - r).abs() < 1e-9);
                }
            }
            want.sort();
            let mut got: Vec<String> = found.iter().map(|f| f.unit.clone()).collect();
            got.sort();
            prop_assert_eq!(got, want);
        }
    }
}
