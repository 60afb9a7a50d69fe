//! The conditional test (regime 4 of [`super::method`]): both sides of the
//! pool are large, but the phrase is in few answers of the smaller side, so D
//! is far from normal (it moves in steps of whole answers) and the normal
//! approximation would misstate small p-values.
//!
//! The smaller side is the one enumerated (|D| is the same whichever side is
//! called the target, as the d_i add up to 0). Of its k answers, j hold the
//! phrase: j is hypergeometric, P(j) = C(m, j)·C(n−m, k−j)/C(n, k) for m
//! answers holding it among n. Given j, every j-subset of those m answers is
//! equally likely; a dynamic programme over them counts the subsets by the
//! phrase's count A in them, and sums their word tokens. D on that side is
//! A − r·(tokens of the chosen answers + tokens of the k − j others); the
//! others are a random sample from the n − m answers without the phrase, and
//! the sum of their tokens, over hundreds or thousands of answers, is normal
//! to great accuracy with its exact finite-population mean and variance. So
//! p = Σ_j P(j) Σ_A P(A | j)·P(|D| ≥ |d| | j, A), exact in everything but the
//! sizes of the answers without the phrase. The programme has (j kept + 1) ×
//! (A + 1) cells, j kept where P(j) > 10⁻¹⁸, and a step per distinct count
//! of the phrase in an answer: small where this test is chosen (few answers
//! expected on the smaller side).

use super::{at_least, normal_beyond, PoolSums};

/// Work above which the programme is not run (the caller falls back to the
/// normal approximation and says so): a bound on a group's steps, (j + 1) ×
/// (A + 1) cells times up to j + 1 choices, that keeps a phrase's cost
/// bounded whatever the input.
const MAX_CELLS: usize = 20_000_000;

/// The two-sided p of the observed `d` for a phrase whose pooled answers
/// holding it are `positives`, (count, word tokens) each; None where the
/// programme would exceed [`MAX_CELLS`].
pub fn p_value(pool: &PoolSums, d: f64, positives: &[(u32, f64)]) -> Option<f64> {
    let side = pool.k.min(pool.n - pool.k);
    Some(Table::new(pool, positives, &[side])?.p_value(pool, d))
}

/// The programme over a phrase's answers, made once for every target of a
/// pool (the years compared with the rest share one pool and differ only in
/// the size of the side enumerated).
pub struct Table {
    m: usize,
    /// The pooled rate r = count / tokens.
    rate: f64,
    mu0: f64,
    var0: f64,
    var_p: f64,
    width: usize,
    j_max: usize,
    /// ways[j][a]: j-subsets of the phrase's answers whose counts sum to a;
    /// size[j][a]: the sum of their word tokens over those subsets.
    ways: Vec<f64>,
    size: Vec<f64>,
    /// C(m, j) for j up to j_max.
    subsets: Vec<f64>,
}

/// ln C(n, k).
fn ln_choose(n: usize, k: usize) -> f64 {
    let f = |x: usize| libm::lgamma(x as f64 + 1.0);
    f(n) - f(k) - f(n - k)
}

/// P(j) of a side of `k` answers holding j of the `m` answers with the phrase
/// among `n`, for the j where it is not negligible. One ln C per call; the
/// rest by the ratio of successive terms, (m−j)(k−j) / ((j+1)(n−m−k+j+1)):
/// lgamma for every j was a fifth of a 25-year run, by perf.
fn weights(n: usize, m: usize, k: usize) -> Vec<(usize, f64)> {
    let n0 = n - m;
    let (lo, hi) = (k.saturating_sub(n0), m.min(k));
    let mut out = Vec::new();
    let mut ln_w = ln_choose(m, lo) + ln_choose(n0, k - lo) - ln_choose(n, k);
    let mut seen_peak = false;
    for j in lo..=hi {
        let w = ln_w.exp();
        // Terms under 1e-18 are left out: together they move p by less
        // than 1e-17 (tests/reference/answer_level.md found at most 7.9e-19),
        // which only shows on p-values far below any threshold.
        if w > 1e-18 {
            out.push((j, w));
        } else if seen_peak {
            break;
        }
        // Past the mode the terms only fall.
        seen_peak |= w > 1e-18;
        if j < hi {
            let (j, m, k, n0) = (j as f64, m as f64, k as f64, n0 as f64);
            ln_w += ((m - j) * (k - j) / ((j + 1.0) * (n0 - k + j + 1.0))).ln();
        }
    }
    out
}

/// The word tokens of the pool's answers: mean and variance of those without
/// the phrase, variance of those with it (zeros where there are none).
struct Sizes {
    mu0: f64,
    var0: f64,
    var_p: f64,
}

impl Sizes {
    fn new(pool: &PoolSums, positives: &[(u32, f64)]) -> Self {
        let (n, m) = (pool.n, positives.len());
        let n0 = n.saturating_sub(m);
        let s_pos: f64 = positives.iter().map(|p| p.1).sum();
        let q_pos: f64 = positives.iter().map(|p| p.1 * p.1).sum();
        let (mu0, var0) = if n0 > 0 {
            let mu = (pool.tokens - s_pos) / n0 as f64;
            (
                mu,
                ((pool.tokens_sq - q_pos) / n0 as f64 - mu * mu).max(0.0),
            )
        } else {
            (0.0, 0.0)
        };
        let mu_p = if m > 0 { s_pos / m as f64 } else { 0.0 };
        let var_p = if m > 0 {
            (q_pos / m as f64 - mu_p * mu_p).max(0.0)
        } else {
            0.0
        };
        Sizes { mu0, var0, var_p }
    }
}

/// The answers of a phrase that hold it the same number of times.
#[derive(Debug, Clone, Copy)]
struct Group {
    /// The count each of them holds.
    count: usize,
    answers: usize,
    /// Their word tokens, summed.
    tokens: f64,
}

/// The phrase's answers grouped by their count, in increasing count.
///
/// The answers with one count are added together: t of g of them add t to j
/// and t·c to a in C(g, t) ways, and the sum of their tokens over those
/// choices is C(g−1, t−1)·(their tokens). Most of a phrase's answers hold it
/// once, so a phrase costs a few groups, not one step per answer (the step
/// per answer was an eighth of a 25-year run, by perf).
fn groups(positives: &[(u32, f64)]) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    let mut by_count: Vec<(u32, f64)> = positives.to_vec();
    by_count.sort_by_key(|p| p.0);
    for (c, s) in by_count {
        match groups.last_mut() {
            Some(g) if g.count == c as usize => {
                g.answers += 1;
                g.tokens += s;
            }
            _ => groups.push(Group {
                count: c as usize,
                answers: 1,
                tokens: s,
            }),
        }
    }
    groups
}

/// The dynamic programme over the groups: ways[j][a] and size[j][a] (see
/// [`Table`]), for j up to `j_max` and a below `width`, row-major.
fn programme(groups: &[Group], j_max: usize, width: usize) -> (Vec<f64>, Vec<f64>) {
    let cells = (j_max + 1) * width;
    let mut ways = vec![0.0f64; cells];
    let mut size = vec![0.0f64; cells];
    let (mut next_ways, mut next_size) = (vec![0.0f64; cells], vec![0.0f64; cells]);
    ways[0] = 1.0;
    let (mut j_reach, mut a_reach) = (0usize, 0usize);
    for &Group {
        count: c,
        answers: g,
        tokens,
    } in groups
    {
        next_ways.iter_mut().for_each(|x| *x = 0.0);
        next_size.iter_mut().for_each(|x| *x = 0.0);
        // C(g, t) and C(g − 1, t − 1) for the t that fit.
        let t_max = g.min(j_max);
        let mut choose = vec![1.0f64; t_max + 1];
        for t in 1..=t_max {
            choose[t] = choose[t - 1] * (g + 1 - t) as f64 / t as f64;
        }
        let with = |t: usize| {
            if t == 0 {
                0.0
            } else {
                choose[t] * t as f64 / g as f64
            }
        };
        for j in 0..=j_reach {
            for a in 0..=a_reach {
                let w = ways[j * width + a];
                if w == 0.0 {
                    continue;
                }
                let sz = size[j * width + a];
                for (t, &ways_t) in choose.iter().enumerate().take(j_max - j + 1) {
                    let at = a + t * c;
                    if at >= width {
                        break;
                    }
                    let cell = (j + t) * width + at;
                    next_ways[cell] += w * ways_t;
                    next_size[cell] += sz * ways_t + w * with(t) * tokens;
                }
            }
        }
        std::mem::swap(&mut ways, &mut next_ways);
        std::mem::swap(&mut size, &mut next_size);
        j_reach = (j_reach + t_max).min(j_max);
        a_reach = (a_reach + t_max * c).min(width - 1);
    }
    (ways, size)
}

impl Table {
    /// The programme for sides of the sizes given; None where it would
    /// exceed [`MAX_CELLS`].
    pub fn new(pool: &PoolSums, positives: &[(u32, f64)], sides: &[usize]) -> Option<Table> {
        let (n, m) = (pool.n, positives.len());
        let count: f64 = positives.iter().map(|p| f64::from(p.0)).sum();
        let sizes = Sizes::new(pool, positives);
        let j_max = sides
            .iter()
            .filter(|&&k| m <= n && k <= n)
            .flat_map(|&k| weights(n, m, k).into_iter().map(|w| w.0))
            .max()
            .unwrap_or(0);
        // A cell for every count the j_max largest counts can reach.
        let mut largest: Vec<u32> = positives.iter().map(|p| p.0).collect();
        largest.sort_unstable_by(|a, b| b.cmp(a));
        let width = largest
            .iter()
            .take(j_max)
            .map(|&c| c as usize)
            .sum::<usize>()
            + 1;
        if (j_max + 1).saturating_mul(width).saturating_mul(j_max + 1) > MAX_CELLS {
            return None;
        }
        let (ways, size) = programme(&groups(positives), j_max, width);
        let mut subsets = vec![1.0f64; j_max + 1];
        for j in 1..=j_max {
            subsets[j] = subsets[j - 1] * (m + 1 - j) as f64 / j as f64;
        }
        Some(Table {
            subsets,
            m,
            rate: count / pool.tokens,
            mu0: sizes.mu0,
            var0: sizes.var0,
            var_p: sizes.var_p,
            width,
            j_max,
            ways,
            size,
        })
    }

    /// The two-sided p of the observed `d` for the target of `pool` (its
    /// smaller side is enumerated).
    pub fn p_value(&self, pool: &PoolSums, d: f64) -> f64 {
        let (n, m, r) = (pool.n, self.m, self.rate);
        if m == 0 || n < 2 || m > n {
            return 1.0;
        }
        let k = pool.k.min(n - pool.k);
        let n0 = n - m;
        let threshold = at_least(d);
        let fpc = |draws: usize, of: usize| {
            if of > 1 {
                (of - draws) as f64 / (of - 1) as f64
            } else {
                0.0
            }
        };
        let mut p = 0.0;
        for (j, pj) in weights(n, m, k) {
            if j > self.j_max {
                continue;
            }
            let subsets = self.subsets[j];
            let others = k - j;
            let var = r
                * r
                * (others as f64 * self.var0 * fpc(others, n0) + j as f64 * self.var_p * fpc(j, m));
            for a in 0..self.width {
                let w = self.ways[j * self.width + a];
                if w == 0.0 {
                    continue;
                }
                let tokens = self.size[j * self.width + a] / w + others as f64 * self.mu0;
                let mean = a as f64 - r * tokens;
                p += pj * w / subsets * normal_beyond(mean, var.sqrt(), threshold);
            }
        }
        p.min(1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The subsets of the positives with one (j, A): how many, and their
    /// word tokens summed over them.
    #[derive(Default)]
    struct Subsets {
        ways: f64,
        sizes: f64,
    }

    /// With answers of equal size, D depends on the split of the phrase's
    /// answers only, so the test is exact: a pool of 40 answers of 50 tokens,
    /// the phrase once in each of 4 answers, all 4 in the target of 10.
    /// |D| ≥ |d| where the target holds 4 of them (or 0, whose |D| is 1, less
    /// than d = 4 − 4·10/40 = 3): P(j = 4) = C(4,4)·C(36,6)/C(40,10).
    #[test]
    fn equal_sizes_give_the_hypergeometric_tail() {
        let pool = PoolSums {
            n: 40,
            k: 10,
            tokens: 2000.0,
            target_tokens: 500.0,
            tokens_sq: 40.0 * 2500.0,
            tokens_cube: 40.0 * 125_000.0,
        };
        let positives = [(1, 50.0); 4];
        let want = (ln_choose(36, 6) - ln_choose(40, 10)).exp();
        let p = p_value(&pool, 3.0, &positives).unwrap();
        assert!((p - want).abs() < 1e-12, "{p} vs {want}");
        // d = 1 (two in the target): j ∈ {0, 2, 3, 4} are as extreme (|D| = 1, 1, 2, 3).
        let p1 = p_value(&pool, 1.0, &positives).unwrap();
        let p_j = |j: usize| (ln_choose(4, j) + ln_choose(36, 10 - j) - ln_choose(40, 10)).exp();
        let want1 = p_j(0) + p_j(2) + p_j(3) + p_j(4);
        assert!((p1 - want1).abs() < 1e-12, "{p1} vs {want1}");
    }

    /// The programme against the same sum taken subset by subset: six
    /// answers hold the phrase 1, 1, 2, 3, 1 and 2 times, with sizes that
    /// differ; every subset of them is weighted by P(j) and its own tokens.
    #[test]
    fn the_grouped_programme_is_the_sum_over_subsets() {
        let positives = [
            (1, 40.0),
            (1, 55.0),
            (2, 70.0),
            (3, 90.0),
            (1, 30.0),
            (2, 65.0),
        ];
        let (n, k) = (60usize, 12usize);
        let others: Vec<f64> = (0..n - positives.len())
            .map(|i| 20.0 + (i % 9) as f64 * 7.0)
            .collect();
        let tokens: f64 = positives.iter().map(|p| p.1).sum::<f64>() + others.iter().sum::<f64>();
        let tokens_sq: f64 = positives.iter().map(|p| p.1 * p.1).sum::<f64>()
            + others.iter().map(|x| x * x).sum::<f64>();
        let pool = PoolSums {
            n,
            k,
            tokens,
            target_tokens: 0.0,
            tokens_sq,
            tokens_cube: 0.0,
        };
        let d = 2.3;
        let table = Table::new(&pool, &positives, &[k]).unwrap();
        let got = table.p_value(&pool, d);
        // By hand: every subset J of the six, with P(j) / C(6, j), and the
        // others' tokens normal with their exact mean and variance.
        let (m, n0) = (positives.len(), others.len());
        let r = 10.0 / tokens;
        let mu0 = others.iter().sum::<f64>() / n0 as f64;
        let var0 = others.iter().map(|x| (x - mu0).powi(2)).sum::<f64>() / n0 as f64;
        let mu_p = positives.iter().map(|p| p.1).sum::<f64>() / m as f64;
        let var_p = positives.iter().map(|p| (p.1 - mu_p).powi(2)).sum::<f64>() / m as f64;
        let ln_c = |a: usize, b: usize| ln_choose(a, b);
        // Subsets grouped by (j, A): their mean tokens, as the programme keeps them.
        let mut cells: std::collections::BTreeMap<(usize, u32), Subsets> = Default::default();
        for mask in 0u32..(1 << m) {
            let j = mask.count_ones() as usize;
            let (a, s): (u32, f64) = (0..m)
                .filter(|i| mask & (1 << i) != 0)
                .fold((0, 0.0), |(a, s), i| {
                    (a + positives[i].0, s + positives[i].1)
                });
            let cell = cells.entry((j, a)).or_default();
            cell.ways += 1.0;
            cell.sizes += s;
        }
        let mut want = 0.0;
        for ((j, a), Subsets { ways, sizes }) in cells {
            let pj = (ln_c(m, j) + ln_c(n0, k - j) - ln_c(n, k)).exp();
            let rest = k - j;
            let var = r
                * r
                * (rest as f64 * var0 * (n0 - rest) as f64 / (n0 - 1) as f64
                    + j as f64 * var_p * (m - j) as f64 / (m - 1) as f64);
            let mean = a as f64 - r * (sizes / ways + rest as f64 * mu0);
            let subsets = ln_c(m, j).exp();
            want += pj * ways / subsets * normal_beyond(mean, var.sqrt(), at_least(d));
        }
        assert!((got - want).abs() < 1e-12, "{got} vs {want}");
    }
}
