//! Cut paragraphs: a paragraph that ends mid-sentence is joined to the
//! paragraph that continues it, next to it or elsewhere in the file.

use std::collections::{BTreeSet, HashMap};

use super::classify::{Chunk, ChunkKind};
use super::junction::{Evidence, Junction};
use super::parsed::{snippet_end, snippet_start, Parsed, Repair};
use crate::categories::RepairAction;
use crate::config::layout::RepairWeights;
use crate::config::Layout;

fn dangling(u: &Chunk, layout: &Layout) -> bool {
    matches!(
        u.kind,
        ChunkKind::Question
            | ChunkKind::Answer
            | ChunkKind::Excerpt
            | ChunkKind::Statement
            | ChunkKind::Body
    ) && !u.text.is_empty()
        && !layout.sentences.ends_sentence(&u.text)
}

/// Finds, for every paragraph cut at its end, the paragraph that continues it,
/// and returns the chunks in reading order with the continuations marked as
/// glued (joined without a paragraph break).
///
/// A continuation lies in the cut paragraph's scope (conference or briefing).
/// The candidates of a cut paragraph are the paragraph after it, the
/// paragraphs stranded after dropped material, and those whose first
/// character follows its last character somewhere in the corpus: the corpus
/// n-gram evidence needs that pair, and a word across the cut is a word of
/// the corpus. Only these pairs are scored (the segmenter is the costly
/// part): scoring every pair of paragraphs made a file's repair quadratic.
///
/// The candidates are taken best first; one is skipped where its cut
/// paragraph already has a continuation, its continuation is claimed, or
/// following continuations from it leads back to its cut paragraph.
pub(super) fn repair_cuts(
    chunks: &[Chunk],
    scopes: &[usize],
    layout: &Layout,
    junction: &Junction,
    out: &mut Parsed,
) -> (Vec<usize>, Vec<bool>) {
    let candidates = candidates(chunks, scopes, layout, junction);
    let mut links = Links {
        chunks,
        next_of: vec![None; chunks.len()],
        claimed: vec![false; chunks.len()],
    };
    let mut seen = vec![0u32; chunks.len()];
    let mut stamp = 0u32;
    for cand in &candidates {
        if links.next_of[cand.cut].is_some() || links.claimed[cand.cont] {
            continue;
        }
        // `seen` is stamped per candidate, so the walk costs what it visits.
        stamp += 1;
        if links.leads_back(cand, &mut seen, stamp) {
            continue;
        }
        links.next_of[cand.cut] = Some(cand.cont);
        links.claimed[cand.cont] = true;
        out.repairs.push(cand.repair(chunks));
    }
    links.reading_order()
}

/// A possible join: the cut paragraph, the one that would continue it, the
/// score and the evidence of the pair, and where the continuation stands.
struct Candidate {
    cut: usize,
    cont: usize,
    score: f64,
    evidence: Evidence,
    adjacent: bool,
    stranded: bool,
}

impl Candidate {
    /// The pair (cut paragraph `i`, paragraph `j`) scored: the linguistic
    /// evidence (a dictionary word across the cut, the corpus n-gram) plus
    /// the layout's (next paragraph, stranded); `None` where the score is
    /// below `min_score`, or where `j` stands in its natural place and there
    /// is no linguistic evidence to take it away.
    fn score(
        i: usize,
        j: usize,
        chunks: &[Chunk],
        w: &RepairWeights,
        junction: &Junction,
    ) -> Option<Candidate> {
        let adjacent = j == i + 1;
        let stranded = is_stranded(chunks, j);
        let evidence = junction.evidence(&chunks[i].text, &chunks[j].text);
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
        (eligible && score >= w.min_score).then_some(Candidate {
            cut: i,
            cont: j,
            score,
            evidence,
            adjacent,
            stranded,
        })
    }

    /// The repair log's line of the join.
    fn repair(&self, chunks: &[Chunk]) -> Repair {
        let (cu, co) = (&chunks[self.cut], &chunks[self.cont]);
        let how = if self.adjacent {
            "next paragraph".to_string()
        } else if self.stranded {
            format!("line {}, stranded after dropped material", co.line)
        } else {
            format!("line {}", co.line)
        };
        let evidence = match self.evidence.describe() {
            e if e.is_empty() => "layout only".to_string(),
            e => e,
        };
        Repair {
            line: cu.line,
            action: if self.adjacent {
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
                self.score
            ),
            dropped: 0,
        }
    }
}

/// Whether paragraph `j` follows dropped material (a gap or a block's end).
fn is_stranded(chunks: &[Chunk], j: usize) -> bool {
    j > 0 && (chunks[j - 1].kind == ChunkKind::Gap || chunks[j - 1].block_end)
}

/// The text paragraphs (kind body) that may continue a cut paragraph of
/// their scope, found by their first character and by being stranded.
struct Bodies {
    by_first: HashMap<(usize, char), Vec<usize>>,
    stranded_in: HashMap<usize, Vec<usize>>,
}

impl Bodies {
    fn new(chunks: &[Chunk], scopes: &[usize]) -> Bodies {
        let mut by_first: HashMap<(usize, char), Vec<usize>> = HashMap::new();
        let mut stranded_in: HashMap<usize, Vec<usize>> = HashMap::new();
        for j in (0..chunks.len()).filter(|&j| chunks[j].kind == ChunkKind::Body) {
            if let Some(c) = chunks[j].text.chars().next() {
                by_first.entry((scopes[j], c)).or_default().push(j);
            }
            if is_stranded(chunks, j) {
                stranded_in.entry(scopes[j]).or_default().push(j);
            }
        }
        Bodies {
            by_first,
            stranded_in,
        }
    }

    /// The paragraphs that may continue cut paragraph `i` (see
    /// [`repair_cuts`]), in file order.
    fn partners(
        &self,
        i: usize,
        chunks: &[Chunk],
        scopes: &[usize],
        junction: &Junction,
    ) -> BTreeSet<usize> {
        let scope = scopes[i];
        let mut pairs: BTreeSet<usize> = BTreeSet::new();
        if i + 1 < chunks.len() && chunks[i + 1].kind == ChunkKind::Body && scopes[i + 1] == scope {
            pairs.insert(i + 1);
        }
        pairs.extend(self.stranded_in.get(&scope).into_iter().flatten());
        if let Some(last) = chunks[i].text.chars().last() {
            for &c in junction.followers(last) {
                pairs.extend(self.by_first.get(&(scope, c)).into_iter().flatten());
            }
        }
        pairs.remove(&i);
        pairs
    }
}

/// Every candidate join of the file, best first: highest score, then the
/// nearer pair, then the earlier continuation.
fn candidates(
    chunks: &[Chunk],
    scopes: &[usize],
    layout: &Layout,
    junction: &Junction,
) -> Vec<Candidate> {
    let bodies = Bodies::new(chunks, scopes);
    let mut candidates = Vec::new();
    for i in (0..chunks.len()).filter(|&i| dangling(&chunks[i], layout)) {
        for j in bodies.partners(i, chunks, scopes, junction) {
            candidates.extend(Candidate::score(i, j, chunks, &layout.repair, junction));
        }
    }
    candidates.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.cut.abs_diff(a.cont).cmp(&b.cut.abs_diff(b.cont)))
            .then(a.cont.cmp(&b.cont))
    });
    candidates
}

/// The joins taken so far: each cut paragraph's continuation, and the
/// paragraphs claimed as one.
struct Links<'u> {
    chunks: &'u [Chunk],
    next_of: Vec<Option<usize>>,
    claimed: Vec<bool>,
}

impl Links<'_> {
    /// The paragraphs that travel with a continuation: it and the text
    /// paragraphs after it that no join has claimed.
    fn chain(&self, start: usize) -> Vec<usize> {
        let mut c = vec![start];
        let mut k = start + 1;
        while k < self.chunks.len() && self.chunks[k].kind == ChunkKind::Body && !self.claimed[k] {
            c.push(k);
            k += 1;
        }
        c
    }

    /// Whether following continuations from the candidate's would lead back
    /// to its cut paragraph: a join must never close a cycle. `seen` holds
    /// `stamp` for the paragraphs this walk has visited.
    fn leads_back(&self, cand: &Candidate, seen: &mut [u32], stamp: u32) -> bool {
        let mut stack = vec![cand.cont];
        let mut cycle = false;
        while let Some(p) = stack.pop() {
            for k in self.chain(p) {
                if k == cand.cut {
                    cycle = true;
                }
                if seen[k] != stamp {
                    seen[k] = stamp;
                    if let Some(nx) = self.next_of[k] {
                        stack.push(nx);
                    }
                }
            }
        }
        cycle
    }

    /// The chunks in reading order, and which are glued to the one before:
    /// from each paragraph that travels with no continuation, in file order,
    /// on through its continuations.
    fn reading_order(&self) -> (Vec<usize>, Vec<bool>) {
        let n = self.chunks.len();
        let mut in_chain = vec![false; n];
        for j in (0..n).filter(|&j| self.claimed[j]) {
            for k in self.chain(j) {
                in_chain[k] = true;
            }
        }
        let mut reading = Reading {
            links: self,
            order: Vec::with_capacity(n),
            glued: vec![false; n],
            emitted: vec![false; n],
        };
        for (i, _) in in_chain.iter().enumerate().filter(|(_, &c)| !c) {
            reading.emit(i);
        }
        (reading.order, reading.glued)
    }
}

/// The reading order as it is built (see [`Links::reading_order`]).
struct Reading<'l> {
    links: &'l Links<'l>,
    order: Vec<usize>,
    glued: Vec<bool>,
    emitted: Vec<bool>,
}

impl Reading<'_> {
    /// Puts paragraph `i` next in the order (once), then its continuation
    /// glued to it and the paragraphs that travel with that.
    fn emit(&mut self, i: usize) {
        if self.emitted[i] {
            return;
        }
        self.emitted[i] = true;
        self.order.push(i);
        if let Some(p) = self.links.next_of[i] {
            self.glued[p] = true;
            for k in self.links.chain(p) {
                self.emit(k);
            }
        }
    }
}
