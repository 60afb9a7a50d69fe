//! Candidate formulations: runs of tokens within a clause said in at least
//! `min_answers` answers, found level by level without a list.
//!
//! A run of L + 1 tokens can be in k answers only if both its runs of L tokens
//! are (Apriori), so each level extends only the positions where the run of L
//! tokens starting there and the one starting a token later were both frequent
//! enough. A run is a node of a trie of (shorter run, next token) pairs, so a
//! level costs one hash lookup per surviving position: the whole search is
//! linear in the tokens times `max_tokens`, and the trie holds only runs said
//! in two answers or more (and the one-off extensions of a level, dropped
//! before the next).

use std::collections::HashMap;

/// A run of tokens said in at least `min_answers` answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Token ids, in order.
    pub tokens: Vec<u32>,
    /// Occurrences over the answers.
    pub n: u32,
    /// Answers holding it.
    pub answers: u32,
    /// The first and the last answer holding it (indices into the answers).
    pub first: u32,
    pub last: u32,
}

const NONE: u32 = u32::MAX;

/// The trie's nodes, one per distinct run.
struct Node {
    parent: u32,
    token: u32,
    n: u32,
    answers: u32,
    /// The first answer it is counted in.
    first: u32,
    /// The last answer counted in `answers`, so an answer counts once.
    last: u32,
}

/// The runs seen so far: a node per distinct run, found from its shorter
/// run and its last token. The root (the empty run) is `NONE - 1`.
#[derive(Default)]
struct Trie {
    nodes: Vec<Node>,
    child: HashMap<(u32, u32), u32>,
}

impl Trie {
    /// The node of the run `parent` followed by `token` (made where new),
    /// with one more occurrence, in answer `a`.
    fn count(&mut self, parent: u32, token: u32, a: u32) -> u32 {
        let next = self.nodes.len() as u32;
        let nodes = &mut self.nodes;
        let id = *self.child.entry((parent, token)).or_insert_with(|| {
            nodes.push(Node {
                parent,
                token,
                n: 0,
                answers: 0,
                first: a,
                last: NONE,
            });
            next
        });
        let node = &mut self.nodes[id as usize];
        node.n += 1;
        if node.last != a {
            node.last = a;
            node.answers += 1;
        }
        id
    }

    /// The candidate of node `id`: its tokens, walked up to the root and
    /// put in order, and its counts.
    fn candidate(&self, id: u32) -> Candidate {
        let mut tokens = Vec::new();
        let mut at = id;
        while at != NONE - 1 {
            let node = &self.nodes[at as usize];
            tokens.push(node.token);
            at = node.parent;
        }
        tokens.reverse();
        let node = &self.nodes[id as usize];
        Candidate {
            tokens,
            n: node.n,
            answers: node.answers,
            first: node.first,
            last: node.last,
        }
    }
}

/// Every run of 1 to `max_tokens` tokens of a clause (no `is_break` token
/// inside) that occurs in at least `min_answers` of `answers`.
pub fn frequent_runs(
    answers: &[&[u32]],
    is_break: impl Fn(u32) -> bool,
    max_tokens: usize,
    min_answers: u32,
) -> Vec<Candidate> {
    let mut trie = Trie::default();
    // cur[a][p]: the node of the run of the current length starting at token
    // p of answer a, or NONE where there is none or it is not frequent.
    let mut cur: Vec<Vec<u32>> = answers.iter().map(|ids| vec![NONE; ids.len()]).collect();
    let mut frequent: Vec<u32> = Vec::new();
    for len in 1..=max_tokens {
        let first_new = trie.nodes.len();
        count_level(&mut trie, &mut cur, answers, &is_break, len);
        let any = drop_rare(&trie, &mut cur, min_answers);
        frequent.extend(
            (first_new..trie.nodes.len())
                .filter(|&i| trie.nodes[i].answers >= min_answers)
                .map(|i| i as u32),
        );
        if !any {
            break;
        }
    }
    frequent.into_iter().map(|id| trie.candidate(id)).collect()
}

/// Counts the runs of `len` tokens into the trie, each extending a frequent
/// run of `len - 1` (see the module documentation), and leaves in `cur` the
/// node of the run of `len` at each position (or `NONE`).
fn count_level(
    trie: &mut Trie,
    cur: &mut [Vec<u32>],
    answers: &[&[u32]],
    is_break: &impl Fn(u32) -> bool,
    len: usize,
) {
    for (a, ids) in answers.iter().enumerate() {
        let a = a as u32;
        let row = &mut cur[a as usize];
        for p in 0..ids.len() {
            let parent = if len == 1 {
                if is_break(ids[p]) {
                    NONE
                } else {
                    NONE - 1
                }
            } else {
                // The run of len − 1 at p and the one at p + 1 must both
                // be frequent: the second also proves that the token at
                // p + len − 1 is in the clause.
                match (row[p], row.get(p + 1)) {
                    (x, Some(&y)) if x != NONE && y != NONE => x,
                    _ => NONE,
                }
            };
            if parent == NONE {
                row[p] = NONE;
                continue;
            }
            // Overwrites the run of len − 1 at p, which no later p reads.
            row[p] = trie.count(parent, ids[p + len - 1], a);
        }
    }
}

/// Sets to `NONE` the positions of `cur` whose run is in fewer than
/// `min_answers` answers; whether any position is left.
fn drop_rare(trie: &Trie, cur: &mut [Vec<u32>], min_answers: u32) -> bool {
    let mut any = false;
    for row in cur.iter_mut() {
        for x in row.iter_mut() {
            if *x != NONE && trie.nodes[*x as usize].answers < min_answers {
                *x = NONE;
            }
            any |= *x != NONE;
        }
    }
    any
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A run's uses and the answers it is said in, as the oracle counts them.
    #[derive(Default)]
    struct Said {
        n: u32,
        answers: std::collections::BTreeSet<u32>,
    }

    /// Every run the simple way: all substrings of every clause, counted.
    fn oracle(answers: &[&[u32]], max: usize, min: u32) -> Vec<Candidate> {
        let mut runs: HashMap<Vec<u32>, Said> = HashMap::new();
        for (a, ids) in answers.iter().enumerate() {
            for clause in ids.split(|&t| t == 0) {
                for i in 0..clause.len() {
                    for j in i + 1..=(i + max).min(clause.len()) {
                        let said = runs.entry(clause[i..j].to_vec()).or_default();
                        said.n += 1;
                        said.answers.insert(a as u32);
                    }
                }
            }
        }
        let mut v: Vec<Candidate> = runs
            .into_iter()
            .filter(|(_, said)| said.answers.len() as u32 >= min)
            .map(|(tokens, said)| Candidate {
                tokens,
                n: said.n,
                answers: said.answers.len() as u32,
                first: *said.answers.first().unwrap(),
                last: *said.answers.last().unwrap(),
            })
            .collect();
        v.sort_by(|a, b| a.tokens.cmp(&b.tokens));
        v
    }

    fn sorted(mut v: Vec<Candidate>) -> Vec<Candidate> {
        v.sort_by(|a, b| a.tokens.cmp(&b.tokens));
        v
    }

    #[test]
    fn runs_within_clauses_in_two_answers() {
        // 0 is punctuation. Answer 0: 1 2 3 , 1 2 3 ; answer 1: 4 1 2 3 ;
        // answer 2: 1 2 , 3.
        let answers: Vec<&[u32]> = vec![&[1, 2, 3, 0, 1, 2, 3], &[4, 1, 2, 3], &[1, 2, 0, 3]];
        let got = sorted(frequent_runs(&answers, |t| t == 0, 8, 2));
        // (tokens, n, answers, first answer, last answer)
        let c = |tokens: &[u32], n, answers, first, last| Candidate {
            tokens: tokens.to_vec(),
            n,
            answers,
            first,
            last,
        };
        let want = vec![
            c(&[1], 4, 3, 0, 2),
            c(&[1, 2], 4, 3, 0, 2),
            c(&[1, 2, 3], 3, 2, 0, 1),
            c(&[2], 4, 3, 0, 2),
            c(&[2, 3], 3, 2, 0, 1),
            c(&[3], 4, 3, 0, 2),
        ];
        assert_eq!(got, want);
    }

    proptest::proptest! {
        #[test]
        fn agrees_with_counting_every_substring(
            answers in proptest::collection::vec(proptest::collection::vec(0u32..5, 0..30), 0..12),
            max in 1usize..6,
            min in 1u32..4,
        ) {
            let refs: Vec<&[u32]> = answers.iter().map(Vec::as_slice).collect();
            let got = sorted(frequent_runs(&refs, |t| t == 0, max, min));
            proptest::prop_assert_eq!(got, oracle(&refs, max, min));
        }
    }
}
