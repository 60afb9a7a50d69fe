//! Keyness of one speaker against the others (reference `other_speakers`):
//! which phrases a speaker's answers of a (year, topic) use more, or less,
//! than the other speakers' answers of the same (year, topic), so that what
//! a year's news made everyone say does not pass for one speaker's style.
//! The families are tested as the other references' are (the answer-level
//! test, BH, the cut), over the pool of the speakers' answers.

use std::collections::{BTreeMap, HashMap};

use super::{compare, Block, Family, Inputs};
use crate::categories::Reference;
use crate::frequencies::units::{sum_unit, Sums, TermSums};
use crate::frequencies::{Counts, Term};

/// One speaker's answers of a (year, topic) and the other speakers', summed.
struct Pool {
    speaker: String,
    /// The other speakers' answers, then the speaker's (the pool's order).
    answers: [Vec<usize>; 2],
    sums: [Sums; 2],
    maps: [HashMap<Term, TermSums>; 2],
    pooled: HashMap<Term, TermSums>,
}

impl Pool {
    fn new(counts: &Counts, unit: &Sums, speaker: u16, answers: [Vec<usize>; 2]) -> Pool {
        let sums = answers
            .clone()
            .map(|a| sum_unit(counts, unit.time, unit.topic, &a));
        let maps = [0, 1].map(|k| -> HashMap<Term, TermSums> {
            sums[k].rows.iter().map(|&(t, s, _)| (t, s)).collect()
        });
        let mut pooled = maps[0].clone();
        for (&t, &s) in &maps[1] {
            *pooled.entry(t).or_default() += s;
        }
        Pool {
            speaker: counts.speakers[usize::from(speaker)].clone(),
            answers,
            sums,
            maps,
            pooled,
        }
    }

    fn block(&self, topic: u16) -> Block<'_> {
        Block {
            topic,
            reference: Reference::OtherSpeakers,
            pool: self.sums.iter().collect(),
            targets: vec![1],
            phrases: &self.pooled,
            maps: self.maps.iter().collect(),
            answers: self.answers.iter().map(Vec::as_slice).collect(),
            speaker: Some(&self.speaker),
        }
    }
}

/// The `other_speakers` families of a topic's compared units: for every
/// speaker with `min_speaker_answers` answers or more in a (year, topic)
/// whose other speakers gave as many, that speaker against the others.
pub(super) fn families(inp: &Inputs, topic: u16, units: &[&Sums]) -> Vec<Family> {
    let counts = inp.counts;
    // The answers of each pool first, its sums only as it is compared: a
    // pool's sums and maps are the size of its unit's vocabulary, and holding
    // every speaker's of every year at once set the stage's peak memory
    // (heaptrack, vocab 10 MB: 160 of 419 MB).
    let mut pools = Vec::new();
    for &u in units {
        let Some(all) = inp.units.get_index(u.time, topic) else {
            continue;
        };
        let mut by_speaker: BTreeMap<u16, Vec<usize>> = BTreeMap::new();
        for &i in &all.answers {
            let s = counts.answers[i].speaker;
            if usize::from(s) < counts.speakers.len() {
                by_speaker.entry(s).or_default().push(i);
            }
        }
        for (&s, mine) in &by_speaker {
            let others: Vec<usize> = all
                .answers
                .iter()
                .copied()
                .filter(|&i| {
                    let x = counts.answers[i].speaker;
                    x != s && usize::from(x) < counts.speakers.len()
                })
                .collect();
            if mine.len().min(others.len()) >= inp.min_speaker_answers {
                pools.push((u, s, [others, mine.clone()]));
            }
        }
    }
    pools
        .into_iter()
        .flat_map(|(u, s, answers)| compare(inp, &Pool::new(counts, u, s, answers).block(topic)))
        .collect()
}
