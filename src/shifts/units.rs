//! The units the shifts stage resamples and tests: the answers of one
//! (time, topic), everyone's or one speaker's, with their counts of the
//! tracked phrases and register terms, and their bootstrap state.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::stats::{self, Resamples};
use super::{bootstrap, ALL_SPEAKERS};
use crate::config::analysis::BootstrapSettings;
use crate::frequencies::{By, Counts, Names, Term};
use crate::period::Period;

/// The answers of one (time, topic), or of one speaker's in it: the unit
/// the bootstrap resamples.
pub struct Unit {
    /// The year, or the period key for units of a period ([`Units::period`]).
    pub time: i32,
    pub topic: String,
    /// The speaker whose answers these are; None for everyone's.
    pub speaker: Option<String>,
    /// The topic's index in [`Counts::topics`].
    topic_index: u16,
    n_answers: usize,
    /// The answers, as indices into [`Counts::answers`], in id order.
    pub answers: Vec<usize>,
    /// The record id of every answer, by answer index.
    pub ids: Vec<String>,
    /// (answer index, word tokens) and (answer index, characters) of every answer.
    pub tokens: Vec<(usize, f64)>,
    pub chars: Vec<(usize, f64)>,
    /// term -> (answer index, count) where the count is not zero, for the
    /// terms the bootstrap resamples: tracked phrases and register terms.
    /// Other terms' counts are gathered where a test needs them ([`Units::gather`]).
    counts: HashMap<Term, Vec<(usize, f64)>>,
    names: Arc<Names>,
    boot: Mutex<Boot>,
}

/// A unit's bootstrap state, made on first use and dropped by
/// [`Unit::release`] once its users are done: the resamples take replicates ×
/// answers × 4 bytes (140 MB for the 3,600 answers of a briefing year), too
/// much to keep for every unit at once.
#[derive(Default)]
struct Boot {
    resamples: Option<Arc<Resamples>>,
    /// A unit too large to resample: its normal draws ([`bootstrap`]).
    normals: Option<Arc<Vec<f64>>>,
    token_sums: Option<Arc<Vec<f64>>>,
    char_sums: Option<Arc<Vec<f64>>>,
}

impl Unit {
    /// Per-answer counts of one phrase of `kind` (empty where it does not occur).
    pub fn counts(&self, kind: &str, phrase: &str) -> &[(usize, f64)] {
        self.names
            .term(kind, phrase)
            .map_or(&[], |t| self.term_counts(t))
    }

    /// Per-answer counts of a term (see [`Units::term`]).
    pub fn term_counts(&self, term: Term) -> &[(usize, f64)] {
        self.counts.get(&term).map_or(&[], Vec::as_slice)
    }

    /// Per-answer counts of all terms of `kind` together (a whole lexicon).
    pub fn kind_counts(&self, kind: &str) -> Vec<(usize, f64)> {
        let mut per_answer = vec![0.0; self.n_answers];
        for (t, values) in &self.counts {
            if Names::kind(*t) == kind {
                for &(i, c) in values {
                    per_answer[i] += c;
                }
            }
        }
        per_answer
            .into_iter()
            .enumerate()
            .filter(|&(_, c)| c > 0.0)
            .collect()
    }

    /// Word tokens of all the unit's answers.
    pub fn n_tokens(&self) -> f64 {
        self.tokens.iter().map(|t| t.1).sum()
    }

    /// `all`, or the speaker whose answers the unit holds.
    pub fn speaker_label(&self) -> &str {
        self.speaker.as_deref().unwrap_or(ALL_SPEAKERS)
    }

    /// The name its bootstrap's seed is made from: `year/topic`, and
    /// `/speaker` for one speaker's answers.
    fn seed_name(&self) -> String {
        match &self.speaker {
            None => format!("{}/{}", self.time, self.topic),
            Some(s) => format!("{}/{}/{s}", self.time, self.topic),
        }
    }

    fn resamples(&self, boot: &BootstrapSettings) -> Arc<Resamples> {
        let mut state = self.state();
        let r = state.resamples.get_or_insert_with(|| {
            Arc::new(Resamples::new(
                self.n_answers,
                boot.replicates,
                stats::seed_for(boot.seed, &self.seed_name()),
            ))
        });
        Arc::clone(r)
    }

    fn state(&self) -> std::sync::MutexGuard<'_, Boot> {
        // A panic elsewhere cannot leave a half-made cache: each field is
        // set whole or not at all.
        self.boot.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Drops the unit's resamples; the next use makes them again, the same.
    pub fn release(&self) {
        *self.state() = Boot::default();
    }

    /// Answers in the unit.
    pub fn n_answers(&self) -> usize {
        self.n_answers
    }

    /// 10,000 × Σ numerator / Σ size in each bootstrap replicate, where the
    /// size is word tokens or characters (see [`bootstrap`] for a unit too
    /// large to resample answer by answer). The sizes' sums are the same for
    /// every phrase of a resampled unit and computed once.
    pub fn rate_replicates(
        &self,
        numerator: &[(usize, f64)],
        per: Per,
        boot: &BootstrapSettings,
    ) -> Vec<f64> {
        let sizes = match per {
            Per::Tokens => &self.tokens,
            Per::Chars => &self.chars,
        };
        if self.n_answers > boot.resample_max_answers {
            return self
                .ratio_replicates(numerator, sizes, boot)
                .into_iter()
                .map(|x| x * 10_000.0)
                .collect();
        }
        let r = self.resamples(boot);
        let sums = {
            let mut state = self.state();
            let cache = match per {
                Per::Tokens => &mut state.token_sums,
                Per::Chars => &mut state.char_sums,
            };
            Arc::clone(cache.get_or_insert_with(|| Arc::new(r.sums(sizes))))
        };
        r.sums(numerator)
            .iter()
            .zip(sums.iter())
            .map(|(x, y)| x * 10_000.0 / y)
            .collect()
    }

    /// Bootstrap replicates of Σ numerator / Σ denominator, both sparse.
    fn ratio_replicates(
        &self,
        numerator: &[(usize, f64)],
        denominator: &[(usize, f64)],
        boot: &BootstrapSettings,
    ) -> Vec<f64> {
        if self.n_answers > boot.resample_max_answers {
            let ratio = bootstrap::Ratio {
                n: self.n_answers,
                numerator,
                denominator,
            };
            let seed = stats::seed_for(boot.seed, &self.seed_name());
            let normals = {
                let mut state = self.state();
                Arc::clone(state.normals.get_or_insert_with(|| {
                    Arc::new(bootstrap::normals(boot.replicates as usize, seed))
                }))
            };
            return bootstrap::replicates(&ratio, &normals, boot.normal_min_answers, seed).0;
        }
        let r = self.resamples(boot);
        r.sums(numerator)
            .iter()
            .zip(r.sums(denominator))
            .map(|(x, y)| x / y)
            .collect()
    }

    /// Bootstrap interval of the rate (see [`Unit::rate_replicates`]).
    pub fn rate_interval(
        &self,
        numerator: &[(usize, f64)],
        per: Per,
        boot: &BootstrapSettings,
    ) -> (Option<f64>, Option<f64>) {
        stats::interval(self.rate_replicates(numerator, per, boot), boot.level).unzip()
    }

    /// Why the unit gets no interval, if it has fewer than `min_answers`
    /// answers: resampling one or two answers gives an interval of (nearly)
    /// zero width, which would read as certainty.
    pub fn too_few(&self, min_answers: usize) -> Option<String> {
        (self.n_answers < min_answers).then(|| {
            format!(
                "{} answer(s), fewer than min_answers ({min_answers}): no interval",
                self.n_answers
            )
        })
    }

    /// Bootstrap interval of Σ numerator / Σ denominator, both sparse.
    pub fn ratio_interval(
        &self,
        numerator: &[(usize, f64)],
        denominator: &[(usize, f64)],
        boot: &BootstrapSettings,
    ) -> (Option<f64>, Option<f64>) {
        let values = self.ratio_replicates(numerator, denominator, boot);
        stats::interval(values, boot.level).unzip()
    }
}

/// Speaker `k`'s unit of a (year, topic), where a speaker's rows of their own
/// are made (register.csv, shifts.csv): two speakers or more answered on the
/// topic that year, this one at least `min_answers` times.
pub fn speaker_unit<'a>(
    speakers: &'a [Units],
    k: usize,
    year: i32,
    topic: &str,
    min_answers: usize,
) -> Option<&'a Unit> {
    let answered = speakers
        .iter()
        .filter(|s| s.get(year, topic).is_some())
        .count();
    let u = speakers.get(k)?.get(year, topic)?;
    (answered >= 2 && u.n_answers() >= min_answers).then_some(u)
}

/// What a rate is per.
#[derive(Clone, Copy)]
pub enum Per {
    Tokens,
    Chars,
}

/// Every (time, topic) unit of the frequencies stage's per-answer counts,
/// the time a year or a period key.
pub struct Units {
    /// What the keys' times are: the year, or the run's period.
    pub period: Period,
    units: HashMap<(i32, String), Arc<Unit>>,
    names: Arc<Names>,
    /// `all`, then the topics of topics.toml ([`Counts::topics`]).
    topics: Vec<String>,
}

impl Units {
    /// Every (time, topic) unit of everyone's answers, by year or by the
    /// run's period.
    pub fn new(counts: &Counts, by: By) -> Units {
        Units::build(counts, by, None)
    }

    /// Every speaker's units, one [`Units`] per speaker of
    /// [`Counts::speakers`], in that order.
    pub fn by_speaker(counts: &Counts, by: By) -> Vec<Units> {
        (0..counts.speakers.len())
            .map(|s| Units::build(counts, by, Some(s as u16)))
            .collect()
    }

    fn build(counts: &Counts, by: By, speaker: Option<u16>) -> Units {
        let names = Arc::clone(&counts.names);
        let label = speaker.map(|s| counts.speakers[usize::from(s)].clone());
        let units = counts
            .units_where(by, |a| speaker.is_none_or(|s| a.speaker == s))
            .into_par_iter()
            .map(|(year, t, answers)| {
                let topic = counts.topics[t as usize].clone();
                let mut terms: HashMap<Term, Vec<(usize, f64)>> = HashMap::new();
                let (mut ids, mut tokens, mut chars) = (Vec::new(), Vec::new(), Vec::new());
                for (k, &i) in answers.iter().enumerate() {
                    let a = &counts.answers[i];
                    ids.push(a.id.clone());
                    tokens.push((k, f64::from(a.n_tokens)));
                    chars.push((k, f64::from(a.n_chars)));
                    for &(term, c) in &a.terms {
                        let resampled = matches!(term, Term::Tracked(_) | Term::Register(..));
                        if resampled && names.counts_in(term, t) {
                            terms.entry(term).or_default().push((k, f64::from(c)));
                        }
                    }
                }
                let unit = Unit {
                    time: year,
                    topic: topic.clone(),
                    speaker: label.clone(),
                    topic_index: t,
                    n_answers: answers.len(),
                    answers,
                    ids,
                    tokens,
                    chars,
                    counts: terms,
                    names: Arc::clone(&names),
                    boot: Mutex::new(Boot::default()),
                };
                ((year, topic), Arc::new(unit))
            })
            .collect();
        Units {
            period: match by {
                By::Year => Period::Year,
                By::Period => counts.period,
            },
            units,
            names,
            topics: counts.topics.clone(),
        }
    }

    /// The counts of the `wanted` terms (sorted) in the answers of `units`,
    /// which are numbered in the order given (the first unit's answers
    /// first): term -> (answer number, count); see [`Units::gather_answers`].
    pub fn gather(
        counts: &Counts,
        units: &[&Unit],
        wanted: &[Term],
    ) -> HashMap<Term, Vec<(usize, f64)>> {
        let topic = units.first().map_or(0, |u| u.topic_index);
        let lists: Vec<&[usize]> = units.iter().map(|u| u.answers.as_slice()).collect();
        Units::gather_answers(counts, topic, &lists, wanted)
    }

    /// The counts of the `wanted` terms (sorted) in the answers of `lists`
    /// (indices into [`Counts::answers`], all of one topic), numbered in the
    /// order given: term -> (answer number, count). One pass over those
    /// answers; an answer's terms are sorted, so each wanted term is found in
    /// them by binary search (few wanted), or each of them in `wanted` (many),
    /// without hashing: SipHash of every occurrence was a third of a run
    /// whose shifts are many, by perf.
    pub fn gather_answers(
        counts: &Counts,
        topic: u16,
        lists: &[&[usize]],
        wanted: &[Term],
    ) -> HashMap<Term, Vec<(usize, f64)>> {
        let mut out: HashMap<Term, Vec<(usize, f64)>> = HashMap::new();
        if wanted.is_empty() {
            return out;
        }
        for (at, &i) in lists.iter().flat_map(|l| l.iter()).enumerate() {
            let terms = &counts.answers[i].terms;
            let mut found = |term: Term, c: u32| {
                if counts.names.counts_in(term, topic) {
                    out.entry(term).or_default().push((at, f64::from(c)));
                }
            };
            if wanted.len() * 8 < terms.len() {
                for &w in wanted {
                    if let Ok(x) = terms.binary_search_by(|t| t.0.cmp(&w)) {
                        found(w, terms[x].1);
                    }
                }
            } else {
                // Each of the answer's terms searched in what is left of
                // `wanted`, galloping from its start: a merge walked all of
                // `wanted` for every answer, thousands of terms for a few
                // hundred (perf, vocab 40 MB: this function 17% of shifts;
                // a binary search over all the rest, 11%).
                let mut rest = wanted;
                for &(term, c) in terms {
                    let k = first_not_below(rest, term);
                    if rest.get(k) == Some(&term) {
                        found(term, c);
                    }
                    rest = &rest[k..];
                    if rest.is_empty() {
                        break;
                    }
                }
            }
        }
        out
    }

    /// The term of a `kind` and `phrase` as the tables write them, looked up
    /// once for a phrase that is then counted in many units.
    pub fn term(&self, kind: &str, phrase: &str) -> Option<Term> {
        self.names.term(kind, phrase)
    }

    /// The unit of a year and a topic given by its index in [`Counts::topics`].
    pub fn get_index(&self, year: i32, topic: u16) -> Option<&Unit> {
        let name = self.topics.get(topic as usize)?;
        self.get(year, name)
    }

    pub fn get(&self, year: i32, topic: &str) -> Option<&Unit> {
        self.units
            .get(&(year, topic.to_string()))
            .map(|u| u.as_ref())
    }

    /// The times (years or period keys) in which the topic has answers, in
    /// order.
    pub fn times_of(&self, topic: &str) -> Vec<i32> {
        let mut years: Vec<i32> = self
            .units
            .keys()
            .filter(|(_, t)| t == topic)
            .map(|(y, _)| *y)
            .collect();
        years.sort();
        years
    }

    /// Only the units of the given times (shared, not copied).
    pub fn of_times(&self, years: &std::collections::BTreeSet<i32>) -> Units {
        Units {
            period: self.period,
            units: self
                .units
                .iter()
                .filter(|((y, _), _)| years.contains(y))
                .map(|(k, u)| (k.clone(), Arc::clone(u)))
                .collect(),
            names: Arc::clone(&self.names),
            topics: self.topics.clone(),
        }
    }

    /// Units in (year, topic) order.
    pub fn sorted(&self) -> Vec<&Unit> {
        let mut v: Vec<&Unit> = self.units.values().map(|u| u.as_ref()).collect();
        v.sort_by(|a, b| (a.time, &a.topic).cmp(&(b.time, &b.topic)));
        v
    }
}

/// The first index of sorted `v` whose value is not below `x` (`v.len()`
/// if none), by exponential search from the start: the cost is the log of
/// the distance, not of the length.
fn first_not_below<T: Ord>(v: &[T], x: T) -> usize {
    let mut step = 1;
    while step < v.len() && v[step] < x {
        step *= 2;
    }
    // v[step / 2] < x where the loop ran; the answer is at most `step`.
    let lo = if step > 1 { step / 2 + 1 } else { 0 };
    let hi = (step + 1).min(v.len());
    lo + v[lo..hi].partition_point(|w| *w < x)
}

#[cfg(test)]
mod tests {
    use super::first_not_below;

    /// Against the plain binary search, at every value in and around every
    /// sorted list of up to 40 values with repeats.
    #[test]
    fn first_not_below_is_the_partition_point() {
        for len in 0..40u32 {
            let v: Vec<u32> = (0..len).map(|i| i * 3 / 2).collect();
            for x in 0..len * 2 + 2 {
                assert_eq!(
                    first_not_below(&v, x),
                    v.partition_point(|w| *w < x),
                    "{v:?} {x}"
                );
            }
        }
    }
}
