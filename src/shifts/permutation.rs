//! Answer-level permutation tests of keyness.
//!
//! The answer, not the token, is the unit that was sampled: a phrase said ten
//! times in one answer is one piece of evidence, not ten. Token-level G² treats
//! the ten as independent and overstates significance (Lijffijt et al. 2016,
//! DSH 31(2)). Here the answers of the target (year, topic) and of its
//! reference are pooled and split again into a "target" of the same number of
//! answers, and the statistic (|G²| of the phrase's counts in the two groups,
//! with the groups' own token totals) is recomputed for each split; p is the
//! share of splits at least as extreme as the observed one.
//!
//! Where the pooled answers allow at most `limit` distinct splits, every split
//! is enumerated and p is exact (the observed split is one of them). Otherwise
//! up to `limit` random splits are drawn with a seeded SplitMix64 and
//! p = (1 + #extreme) / (1 + limit), so the smallest p reported is
//! 1 / (limit + 1); a phrase stops drawing once `stop` splits were as extreme
//! as the observed one, with p = stop / draws (the sequential p-value of
//! Besag & Clifford 1991, Biometrika 78(2)): a phrase far from significance
//! costs a few dozen draws instead of `limit`. The same splits serve every
//! phrase of a comparison.

use super::stats::{g2, SplitMix64};

/// One comparison: the pooled answers (target first) and their token counts.
pub struct Pool<'a> {
    /// Word tokens of each answer; the first `n_target` are the target's.
    pub sizes: &'a [f64],
    pub n_target: usize,
}

/// How a comparison's p-values were obtained.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Draws {
    /// Splits evaluated (all of them when exact).
    pub n: u64,
    pub exact: bool,
}

/// Number of ways to choose k of n, saturating at u64::MAX.
fn choose(n: usize, k: usize) -> u64 {
    let k = k.min(n - k);
    let mut c: u128 = 1;
    for i in 0..k {
        c = c * (n - i) as u128 / (i + 1) as u128;
        if c > u64::MAX as u128 {
            return u64::MAX;
        }
    }
    c as u64
}

/// The permutation p-value of every phrase; `phrases[j]` lists (answer index
/// in the pool, count) where phrase j occurs.
pub fn p_values(
    pool: &Pool,
    phrases: &[Vec<(usize, f64)>],
    limit: u32,
    stop: u32,
    seed: u64,
) -> (Vec<f64>, Draws) {
    let n = pool.sizes.len();
    let k = pool.n_target;
    let total_tokens: f64 = pool.sizes.iter().sum();
    let totals: Vec<f64> = phrases
        .iter()
        .map(|p| p.iter().map(|c| c.1).sum())
        .collect();
    let stat = |in_target: &[bool], j: usize| -> f64 {
        let n_a: f64 = (0..n)
            .filter(|&i| in_target[i])
            .map(|i| pool.sizes[i])
            .sum();
        let a: f64 = phrases[j]
            .iter()
            .filter(|c| in_target[c.0])
            .map(|c| c.1)
            .sum();
        g2(a, totals[j] - a, n_a, total_tokens - n_a).abs()
    };
    let mut in_target: Vec<bool> = (0..n).map(|i| i < k).collect();
    let observed: Vec<f64> = (0..phrases.len()).map(|j| stat(&in_target, j)).collect();
    let mut extreme = vec![0u64; phrases.len()];
    // Phrases still drawing (all of them when enumerating).
    let mut active: Vec<usize> = (0..phrases.len()).collect();
    let count = |in_target: &[bool], active: &[usize], extreme: &mut [u64]| {
        let n_a: f64 = (0..n)
            .filter(|&i| in_target[i])
            .map(|i| pool.sizes[i])
            .sum();
        for &j in active {
            let a: f64 = phrases[j]
                .iter()
                .filter(|c| in_target[c.0])
                .map(|c| c.1)
                .sum();
            let s = g2(a, totals[j] - a, n_a, total_tokens - n_a).abs();
            // Ties count as extreme; the tolerance absorbs rounding.
            if s >= observed[j] - 1e-9 * observed[j].max(1.0) {
                extreme[j] += 1;
            }
        }
    };
    let splits = choose(n, k);
    if splits <= u64::from(limit) + 1 {
        // Every k-subset, in lexicographic order.
        let mut pick: Vec<usize> = (0..k).collect();
        loop {
            in_target.iter_mut().for_each(|b| *b = false);
            pick.iter().for_each(|&i| in_target[i] = true);
            count(&in_target, &active, &mut extreme);
            let Some(pos) = (0..k).rev().find(|&p| pick[p] < n - k + p) else {
                break;
            };
            pick[pos] += 1;
            for q in pos + 1..k {
                pick[q] = pick[q - 1] + 1;
            }
        }
        let p = extreme.iter().map(|&e| e as f64 / splits as f64).collect();
        return (
            p,
            Draws {
                n: splits,
                exact: true,
            },
        );
    }
    let mut rng = SplitMix64::new(seed);
    let mut order: Vec<usize> = (0..n).collect();
    let mut p = vec![f64::NAN; phrases.len()];
    let mut drawn = 0u64;
    while drawn < u64::from(limit) && !active.is_empty() {
        // A partial Fisher–Yates shuffle: the first k positions are the target.
        for i in 0..k {
            let j = i + rng.below(n - i);
            order.swap(i, j);
        }
        in_target.iter_mut().for_each(|b| *b = false);
        order[..k].iter().for_each(|&i| in_target[i] = true);
        count(&in_target, &active, &mut extreme);
        drawn += 1;
        active.retain(|&j| {
            let done = extreme[j] >= u64::from(stop);
            if done {
                p[j] = extreme[j] as f64 / drawn as f64;
            }
            !done
        });
    }
    for j in active {
        p[j] = (1 + extreme[j]) as f64 / (1 + u64::from(limit)) as f64;
    }
    (
        p,
        Draws {
            n: u64::from(limit),
            exact: false,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A toy small enough to enumerate by hand: 2 target answers, 3 reference
    /// answers, all of 10 tokens. Phrase X: 3 and 2 in the target answers, 0, 0
    /// and 1 in the reference, so the observed split puts 5 of its 6
    /// occurrences in 20 of 50 tokens (|G²| = 5.43; expected a = 2.4). Of the
    /// C(5,2) = 10 splits, two are as extreme: the observed {0,1} (a = 5) and
    /// {2,3} (a = 0, |G²| = 6.67; the test is two-sided); the others have
    /// |G²| ≤ 1.98 (checked with tests/reference/keyness.py). So p = 2/10.
    #[test]
    fn exhaustive_enumeration_by_hand() {
        let sizes = [10.0; 5];
        let pool = Pool {
            sizes: &sizes,
            n_target: 2,
        };
        let x = vec![(0, 3.0), (1, 2.0), (4, 1.0)];
        let (p, draws) = p_values(&pool, std::slice::from_ref(&x), 9999, 20, 1);
        assert_eq!(draws, Draws { n: 10, exact: true });
        // Recomputed by brute force over all 10 splits, independently of the code above.
        let mut extreme = 0;
        let obs = g2(5.0, 1.0, 20.0, 30.0).abs();
        for a in 0..5 {
            for b in a + 1..5 {
                let hits: f64 = x.iter().filter(|c| c.0 == a || c.0 == b).map(|c| c.1).sum();
                if g2(hits, 6.0 - hits, 20.0, 30.0).abs() >= obs - 1e-12 {
                    extreme += 1;
                }
            }
        }
        assert_eq!(extreme, 2);
        assert_eq!(p, [0.2]);
    }

    #[test]
    fn sampling_is_seeded_and_bounded_by_the_number_of_draws() {
        let sizes: Vec<f64> = (0..40).map(|i| 50.0 + i as f64).collect();
        let pool = Pool {
            sizes: &sizes,
            n_target: 10,
        };
        let phrase = vec![(0, 4.0), (1, 3.0), (2, 5.0), (30, 1.0)];
        let (p1, d1) = p_values(&pool, std::slice::from_ref(&phrase), 999, 20, 7);
        let (p2, _) = p_values(&pool, &[phrase], 999, 20, 7);
        assert_eq!(p1, p2);
        assert!(!d1.exact && d1.n == 999);
        assert!(p1[0] >= 1.0 / 1000.0 && p1[0] < 0.05, "{}", p1[0]);
    }

    #[test]
    fn a_phrase_far_from_significance_stops_early() {
        let sizes: Vec<f64> = vec![30.0; 40];
        let pool = Pool {
            sizes: &sizes,
            n_target: 10,
        };
        // One occurrence per answer everywhere: every split is as extreme.
        let even: Vec<(usize, f64)> = (0..40).map(|i| (i, 1.0)).collect();
        let (p, _) = p_values(&pool, &[even], 9999, 20, 3);
        assert_eq!(p, [1.0], "20 extreme splits in the first 20 draws");
    }

    #[test]
    fn a_phrase_spread_evenly_is_not_significant() {
        let sizes = [20.0; 8];
        let pool = Pool {
            sizes: &sizes,
            n_target: 4,
        };
        let even: Vec<(usize, f64)> = (0..8).map(|i| (i, 1.0)).collect();
        let (p, d) = p_values(&pool, &[even], 9999, 20, 1);
        assert!(d.exact && d.n == 70);
        assert_eq!(p, [1.0]);
    }
}
