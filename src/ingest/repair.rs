//! Cut paragraphs: a paragraph that ends mid-sentence is joined to the
//! paragraph that continues it, next to it or elsewhere in the file.

use std::collections::{BTreeSet, HashMap};

use super::classify::{Unit, UnitKind};
use super::junction::{Evidence, Junction};
use super::parsed::{snippet_end, snippet_start, Parsed, Repair};
use crate::config::Layout;
use crate::vocab::RepairAction;

fn dangling(u: &Unit, layout: &Layout) -> bool {
    matches!(
        u.kind,
        UnitKind::Question
            | UnitKind::Answer
            | UnitKind::Excerpt
            | UnitKind::Statement
            | UnitKind::Body
    ) && !u.text.is_empty()
        && !layout.sentences.ends_sentence(&u.text)
}

/// Finds, for every paragraph cut at its end, the paragraph that continues it,
/// and returns the units in reading order with the continuations marked as
/// glued (joined without a paragraph break).
///
/// A continuation lies in the cut paragraph's scope (conference or briefing).
/// The candidates of a cut paragraph are the paragraph after it, the
/// paragraphs stranded after dropped material, and those whose first
/// character follows its last character somewhere in the corpus: the corpus
/// n-gram evidence needs that pair, and a word across the cut is a word of
/// the corpus. Only these pairs are scored (the segmenter is the costly
/// part): scoring every pair of paragraphs made a file's repair quadratic.
pub(super) fn repair_cuts(
    units: &[Unit],
    scopes: &[usize],
    layout: &Layout,
    junction: &Junction,
    out: &mut Parsed,
) -> (Vec<usize>, Vec<bool>) {
    let w = &layout.repair;
    let n = units.len();
    struct Candidate {
        cut: usize,
        cont: usize,
        score: f64,
        evidence: Evidence,
        adjacent: bool,
        stranded: bool,
    }
    let body = |j: usize| units[j].kind == UnitKind::Body;
    let is_stranded =
        |j: usize| j > 0 && (units[j - 1].kind == UnitKind::Gap || units[j - 1].block_end);
    let mut by_first: HashMap<(usize, char), Vec<usize>> = HashMap::new();
    let mut stranded_in: HashMap<usize, Vec<usize>> = HashMap::new();
    for j in (0..n).filter(|&j| body(j)) {
        if let Some(c) = units[j].text.chars().next() {
            by_first.entry((scopes[j], c)).or_default().push(j);
        }
        if is_stranded(j) {
            stranded_in.entry(scopes[j]).or_default().push(j);
        }
    }
    let mut candidates = Vec::new();
    for i in (0..n).filter(|&i| dangling(&units[i], layout)) {
        let scope = scopes[i];
        let mut pairs: BTreeSet<usize> = BTreeSet::new();
        if i + 1 < n && body(i + 1) && scopes[i + 1] == scope {
            pairs.insert(i + 1);
        }
        pairs.extend(stranded_in.get(&scope).into_iter().flatten());
        if let Some(last) = units[i].text.chars().last() {
            for &c in junction.followers(last) {
                pairs.extend(by_first.get(&(scope, c)).into_iter().flatten());
            }
        }
        pairs.remove(&i);
        for j in pairs {
            let adjacent = j == i + 1;
            let stranded = is_stranded(j);
            let evidence = junction.evidence(&units[i].text, &units[j].text);
            let ngram = evidence.ngram.as_ref().map_or(0, |(_, c)| *c);
            let linguistic = if evidence.word.is_some() {
                w.dictionary_word
            } else {
                0.0
            } + w.corpus_ngram * (1.0 + ngram as f64).ln();
            let score = linguistic
                + if adjacent { w.adjacent } else { 0.0 }
                + if stranded && !adjacent {
                    w.stranded
                } else {
                    0.0
                };
            // A paragraph in its natural place is taken away only on linguistic evidence.
            let eligible = adjacent || stranded || linguistic > 0.0;
            if eligible && score >= w.min_score {
                candidates.push(Candidate {
                    cut: i,
                    cont: j,
                    score,
                    evidence,
                    adjacent,
                    stranded,
                });
            }
        }
    }
    candidates.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.cut.abs_diff(a.cont).cmp(&b.cut.abs_diff(b.cont)))
            .then(a.cont.cmp(&b.cont))
    });

    let mut next_of: Vec<Option<usize>> = vec![None; n];
    let mut claimed = vec![false; n];
    // The paragraphs that travel with a continuation: it and the text paragraphs after it.
    let chain = |start: usize, claimed: &[bool]| -> Vec<usize> {
        let mut c = vec![start];
        let mut k = start + 1;
        while k < n && units[k].kind == UnitKind::Body && !claimed[k] {
            c.push(k);
            k += 1;
        }
        c
    };
    let mut seen = vec![0u32; n];
    let mut stamp = 0u32;
    for cand in &candidates {
        if next_of[cand.cut].is_some() || claimed[cand.cont] {
            continue;
        }
        // Following continuations must never lead back to the cut paragraph.
        // `seen` is stamped per candidate, so the walk costs what it visits.
        stamp += 1;
        let mut stack = vec![cand.cont];
        let mut cycle = false;
        while let Some(p) = stack.pop() {
            for k in chain(p, &claimed) {
                if k == cand.cut {
                    cycle = true;
                }
                if seen[k] != stamp {
                    seen[k] = stamp;
                    if let Some(nx) = next_of[k] {
                        stack.push(nx);
                    }
                }
            }
        }
        if cycle {
            continue;
        }
        next_of[cand.cut] = Some(cand.cont);
        claimed[cand.cont] = true;
        let (cu, co) = (&units[cand.cut], &units[cand.cont]);
        let how = if cand.adjacent {
            "next paragraph".to_string()
        } else if cand.stranded {
            format!("line {}, stranded after dropped material", co.line)
        } else {
            format!("line {}", co.line)
        };
        let evidence = match cand.evidence.describe() {
            e if e.is_empty() => "layout only".to_string(),
            e => e,
        };
        out.repairs.push(Repair {
            line: cu.line,
            action: if cand.adjacent {
                RepairAction::JoinCut
            } else {
                RepairAction::JoinDisplaced
            },
            detail: format!(
                "'…{}' continues at {} '{}…' ({}; score {:.2})",
                snippet_end(&cu.text),
                how,
                snippet_start(&co.text),
                evidence,
                cand.score
            ),
            dropped: 0,
        });
    }

    let mut in_chain = vec![false; n];
    for j in (0..n).filter(|&j| claimed[j]) {
        for k in chain(j, &claimed) {
            in_chain[k] = true;
        }
    }
    let mut order = Vec::with_capacity(n);
    let mut glued = vec![false; n];
    let mut emitted = vec![false; n];
    fn emit(
        i: usize,
        next_of: &[Option<usize>],
        chains: &dyn Fn(usize) -> Vec<usize>,
        order: &mut Vec<usize>,
        glued: &mut [bool],
        emitted: &mut [bool],
    ) {
        if emitted[i] {
            return;
        }
        emitted[i] = true;
        order.push(i);
        if let Some(p) = next_of[i] {
            glued[p] = true;
            for k in chains(p) {
                emit(k, next_of, chains, order, glued, emitted);
            }
        }
    }
    let chains = |p: usize| chain(p, &claimed);
    for (i, _) in in_chain.iter().enumerate().filter(|(_, &c)| !c) {
        emit(i, &next_of, &chains, &mut order, &mut glued, &mut emitted);
    }
    (order, glued)
}
