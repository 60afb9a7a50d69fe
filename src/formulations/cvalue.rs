//! C-value (Frantzi, Ananiadou & Mima 2000, "Automatic recognition of
//! multi-word terms: the C-value/NC-value method", Int. J. Digit. Libr.
//! 3:115–130), and the folding of a candidate into a longer one said about
//! as often.
//!
//! For a candidate a of length |a| said f(a) times, with T_a the longer
//! candidates that contain it:
//!
//! ```text
//! C(a) = log2|a| · f(a)                               if T_a is empty
//! C(a) = log2|a| · (f(a) − Σ_{b ∈ T_a} f(b) / |T_a|)   otherwise
//! ```
//!
//! A piece said only inside longer candidates scores about zero; a formula
//! that is also said inside longer ones keeps the uses of its own. The length
//! is counted in Chinese characters, not tokens: a formula the segmenter keeps
//! as one word (多边主义) is still a formula, and log2 of one token is zero.

use std::collections::HashMap;

/// What C-value needs of a candidate.
pub struct Item<'a> {
    pub tokens: &'a [u32],
    /// Occurrences.
    pub n: u32,
    /// Length in Chinese characters (at least 2, so that log2 > 0).
    pub chars: usize,
}

/// What an item's C-value needs of T_a, the longer items holding it.
#[derive(Debug, Clone, Copy, Default)]
struct Nested {
    /// Σ f(b) over T_a.
    sum: u64,
    /// |T_a|.
    count: u32,
    /// The largest f(b).
    max: u32,
}

/// Each item's C-value, and whether it folds into a longer item said at
/// least `fold_share` times as often as it (it is then a piece of that one,
/// not a formulation of its own).
pub fn c_values(items: &[Item], fold_share: f64) -> Vec<(f64, bool)> {
    let index: HashMap<&[u32], usize> = items
        .iter()
        .enumerate()
        .map(|(i, it)| (it.tokens, i))
        .collect();
    let mut nested: Vec<Nested> = vec![Nested::default(); items.len()];
    for b in items {
        let len = b.tokens.len();
        let mut seen: Vec<usize> = Vec::new();
        for i in 0..len {
            for j in i + 1..=len {
                if j - i == len {
                    continue;
                }
                if let Some(&a) = index.get(&b.tokens[i..j]) {
                    // A piece said twice inside b still has b once in T_a.
                    if !seen.contains(&a) {
                        seen.push(a);
                        let e = &mut nested[a];
                        e.sum += u64::from(b.n);
                        e.count += 1;
                        e.max = e.max.max(b.n);
                    }
                }
            }
        }
    }
    items
        .iter()
        .zip(&nested)
        .map(|(a, t)| {
            let f = f64::from(a.n);
            let own = if t.count == 0 {
                f
            } else {
                f - t.sum as f64 / f64::from(t.count)
            };
            let folds = t.count > 0 && f64::from(t.max) >= fold_share * f;
            ((a.chars as f64).log2() * own, folds)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_piece_said_only_inside_a_longer_candidate_scores_zero_and_folds() {
        // 1 2 3 said 4 times; 1 2 said 4 times, all inside it; 2 3 said 6
        // times, 4 inside; lengths 6, 4, 4 characters.
        let items = [
            Item {
                tokens: &[1, 2, 3],
                n: 4,
                chars: 6,
            },
            Item {
                tokens: &[1, 2],
                n: 4,
                chars: 4,
            },
            Item {
                tokens: &[2, 3],
                n: 6,
                chars: 4,
            },
        ];
        let got = c_values(&items, 0.8);
        assert!((got[0].0 - 6f64.log2() * 4.0).abs() < 1e-12);
        assert!(!got[0].1);
        assert_eq!(got[1], (0.0, true));
        assert_eq!(got[2], (2.0 * 2.0, false));
    }
}
