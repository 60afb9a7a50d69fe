//! Keyness of one speaker against the others (reference `other_speakers`):
//! which phrases a speaker's answers of a (year, topic) use more, or less,
//! than the other speakers' answers of the same (year, topic), so that what
//! a year's news made everyone say does not pass for one speaker's style.
//! The families are tested as the other references' are (the answer-level
//! test, BH, the cut), over the pool of the speakers' answers.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use super::{compare, Block, Family, Inputs};
use crate::categories::Reference;
use crate::frequencies::units::{sum_unit, Sums, TermSums, EXACT_BELOW};
use crate::frequencies::{Counts, Term};

/// The answers of a (year, topic) by a known speaker, summed once for all
/// the unit's pools: where the sums are exact ([`TermSums::exact`]) they
/// are every pool's phrases, to the bit, and a pool's other side's size is
/// these less the speaker's own, so a unit's answers are summed twice in
/// all, not once per speaker (perf, briefings 10 MB: the other sides'
/// `sum_unit` was 11% of the shifts stage).
struct Known {
    sums: Sums,
    map: HashMap<Term, TermSums>,
    exact: bool,
}

impl Known {
    fn new(counts: &Counts, unit: &Sums, answers: &[usize]) -> Known {
        let sums = sum_unit(counts, unit.time, unit.topic, answers);
        let map: HashMap<Term, TermSums> = sums.rows.iter().map(|&(t, s, _)| (t, s)).collect();
        let exact =
            sums.tokens_sq.max(sums.tokens_cube) < EXACT_BELOW && map.values().all(TermSums::exact);
        Known { sums, map, exact }
    }
}

/// One speaker's answers of a (year, topic) and the other speakers', summed.
struct Pool<'a> {
    speaker: String,
    /// The other speakers' answers, then the speaker's (the pool's order).
    answers: [Vec<usize>; 2],
    /// Their sizes; the other side's rows are left empty, as a block reads
    /// the terms of its targets only, and the speaker is the only target.
    sums: [Sums; 2],
    /// The same for the terms: the other side's map stays empty.
    maps: [HashMap<Term, TermSums>; 2],
    pooled: Cow<'a, HashMap<Term, TermSums>>,
}

impl<'a> Pool<'a> {
    fn new(counts: &Counts, known: &'a Known, speaker: u16, answers: [Vec<usize>; 2]) -> Pool<'a> {
        let (time, topic) = (known.sums.time, known.sums.topic);
        let mine = sum_unit(counts, time, topic, &answers[1]);
        let mine_map: HashMap<Term, TermSums> = mine.rows.iter().map(|&(t, s, _)| (t, s)).collect();
        let (mut others, pooled) = if known.exact {
            let k = &known.sums;
            let others = Sums {
                time,
                topic,
                n_answers: k.n_answers - mine.n_answers,
                n_tokens: k.n_tokens - mine.n_tokens,
                n_chars: k.n_chars - mine.n_chars,
                tokens_sq: k.tokens_sq - mine.tokens_sq,
                tokens_cube: k.tokens_cube - mine.tokens_cube,
                rows: Vec::new(),
            };
            (others, Cow::Borrowed(&known.map))
        } else {
            let others = sum_unit(counts, time, topic, &answers[0]);
            let mut pooled: HashMap<Term, TermSums> =
                others.rows.iter().map(|&(t, s, _)| (t, s)).collect();
            for (&t, &s) in &mine_map {
                *pooled.entry(t).or_default() += s;
            }
            (others, Cow::Owned(pooled))
        };
        others.rows = Vec::new();
        Pool {
            speaker: counts.speakers[usize::from(speaker)].clone(),
            answers,
            sums: [others, mine],
            maps: [HashMap::new(), mine_map],
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
    let known_speaker = |i: usize| usize::from(counts.answers[i].speaker) < counts.speakers.len();
    let mut families = Vec::new();
    // One unit at a time, and a pool's sums only as it is compared: a pool's
    // sums and maps are the size of its unit's vocabulary, and holding every
    // speaker's of every year at once set the stage's peak memory
    // (heaptrack, vocab 10 MB: 160 of 419 MB).
    for &u in units {
        let Some(all) = inp.units.get_index(u.time, topic) else {
            continue;
        };
        let mut by_speaker: BTreeMap<u16, Vec<usize>> = BTreeMap::new();
        for &i in all.answers.iter().filter(|&&i| known_speaker(i)) {
            by_speaker
                .entry(counts.answers[i].speaker)
                .or_default()
                .push(i);
        }
        let mut pools = Vec::new();
        for (&s, mine) in &by_speaker {
            let others: Vec<usize> = all
                .answers
                .iter()
                .copied()
                .filter(|&i| counts.answers[i].speaker != s && known_speaker(i))
                .collect();
            if mine.len().min(others.len()) >= inp.min_speaker_answers {
                pools.push((s, [others, mine.clone()]));
            }
        }
        if pools.is_empty() {
            continue;
        }
        let answers: Vec<usize> = all
            .answers
            .iter()
            .copied()
            .filter(|&i| known_speaker(i))
            .collect();
        let known = Known::new(counts, u, &answers);
        for (s, answers) in pools {
            families.extend(compare(
                inp,
                &Pool::new(counts, &known, s, answers).block(topic),
            ));
        }
    }
    families
}
