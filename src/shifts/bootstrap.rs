//! The bootstrap of a ratio of sums over a (year, topic)'s answers, Σ x_i /
//! Σ y_i (a rate: a phrase's counts over the answers' word tokens or
//! characters; the register index: hard-line hits over all hits), each
//! replicate resampling the answers with replacement.
//!
//! Where the unit has at most `resample_max_answers` answers, the replicates
//! are drawn answer by answer ([`super::stats::Resamples`]), shared by every
//! ratio of the unit. A larger unit is not: its resamples would take
//! replicates × answers × 2 bytes (120 MB for the 6,000 answers of a
//! briefing year, per unit, for every unit of a topic at once), and drawing
//! them answer by answer was most of the time of a 40 MB run, by perf. The
//! bootstrap distribution of the ratio is then made without them:
//! - `normal`: where the numerator is non-zero in at least
//!   `normal_min_answers` answers, the ratio's bootstrap distribution is close
//!   to normal, with the variance of the delta method,
//!   Σ (x_i − R·y_i)² / (Σ y_i)² over the n answers (the exact first-order
//!   variance of the ratio under resampling with replacement);
//! - `sparse`: where it is non-zero in fewer, each replicate draws each of
//!   those few answers a Poisson(1) number of times (the Poisson bootstrap,
//!   Hanley & MacGibbon 2006, the multinomial one's large-sample form) and
//!   the other answers enter as one sum, normal with its exact mean and
//!   variance (a sum over hundreds or thousands of answers, where the
//!   central limit theorem is at its best).
//!
//! Either way the draws are the unit's: its normal draws and its answers'
//! Poisson weights are common to every ratio of the unit, as a resampled
//! unit's resamples are, and seeded by the unit, so that a run gives the same
//! intervals every time.

use super::stats::SplitMix64;

/// How the replicates of a ratio were made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Resampled,
    Normal,
    Sparse,
}

/// One ratio over a unit's `n` answers: its numerator's non-zero values
/// and its denominator's, (answer index, value) each.
pub struct Ratio<'a> {
    pub n: usize,
    pub numerator: &'a [(usize, f64)],
    pub denominator: &'a [(usize, f64)],
}

/// `count` standard normal draws (Box–Muller, both of each pair), the
/// unit's common random numbers: every ratio of a unit made the normal way
/// uses the same draws, as every ratio of a resampled unit uses the same
/// resamples.
pub fn normals(count: usize, seed: u64) -> Vec<f64> {
    let mut rng = SplitMix64::new(seed);
    let mut out = Vec::with_capacity(count + 1);
    while out.len() < count {
        let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        let v = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        let radius = (-2.0 * (1.0 - u).ln()).sqrt();
        let angle = std::f64::consts::TAU * v;
        out.push(radius * angle.cos());
        out.push(radius * angle.sin());
    }
    out.truncate(count);
    out
}

/// A uniform draw in [0, 1) that depends on the unit's seed, the answer and
/// the replicate only: an answer's Poisson weight in a replicate is the same
/// for every ratio of the unit, without storing the weights. The seed and
/// the answer enter through [`answer_key`], made once per answer.
fn uniform_at(answer_key: u64, replicate: usize) -> f64 {
    let key = answer_key ^ (replicate as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
    (SplitMix64::new(key).next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// The part of [`uniform_at`]'s key that is the unit's and the answer's.
fn answer_key(seed: u64, answer: usize) -> u64 {
    seed ^ (answer as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// The Poisson(1) distribution function up to 20 (beyond, less than 10⁻¹⁹).
pub(super) fn poisson_cdf() -> [f64; 21] {
    let mut cdf = [0.0; 21];
    let (mut term, mut sum) = ((-1.0f64).exp(), 0.0);
    for (k, c) in cdf.iter_mut().enumerate() {
        sum += term;
        *c = sum;
        term /= (k + 1) as f64;
    }
    cdf
}

/// A Poisson(1) draw from a uniform, by inversion of its distribution
/// function: the number of values of the (increasing) function at or below
/// `u`. The first eight are counted without a branch, which decide all but
/// 10⁻⁵ of the draws: a search that stopped at the first value above `u`
/// mispredicted a branch on most draws (perf: this function was a tenth of
/// the shifts stage on briefings 10 MB).
pub(super) fn poisson(u: f64, cdf: &[f64; 21]) -> usize {
    let head: usize = cdf[..8].iter().map(|&c| usize::from(u >= c)).sum();
    if head < 8 {
        head
    } else {
        cdf.iter().position(|&c| u < c).unwrap_or(cdf.len())
    }
}

/// Sparse values summed per answer, in answer order (an answer may be
/// listed twice, as in the register index's two lexicons).
fn by_answer(values: &[(usize, f64)]) -> Vec<(usize, f64)> {
    let mut merged: std::collections::BTreeMap<usize, f64> = std::collections::BTreeMap::new();
    for &(i, v) in values {
        *merged.entry(i).or_default() += v;
    }
    merged.into_iter().collect()
}

/// The draws of the ratio Σ x / Σ y for a unit too large to resample answer
/// by answer (see the module documentation): one per draw of the unit's
/// `normals`; `seed` is the unit's.
pub fn replicates(
    r: &Ratio,
    normals: &[f64],
    normal_min_answers: usize,
    seed: u64,
) -> (Vec<f64>, Method) {
    let (numerator, denominator) = (by_answer(r.numerator), by_answer(r.denominator));
    let r = &Ratio {
        n: r.n,
        numerator: &numerator,
        denominator: &denominator,
    };
    let sum_x: f64 = r.numerator.iter().map(|v| v.1).sum();
    let sum_y: f64 = r.denominator.iter().map(|v| v.1).sum();
    let ratio = sum_x / sum_y;
    if r.numerator.len() >= normal_min_answers {
        // Σ (x_i − R y_i)² over every answer, from the two sparse lists.
        let mut x_at: std::collections::HashMap<usize, f64> = r.numerator.iter().copied().collect();
        let mut ss = 0.0;
        for &(i, y) in r.denominator {
            let x = x_at.remove(&i).unwrap_or(0.0);
            ss += (x - ratio * y).powi(2);
        }
        ss += x_at.values().map(|x| x * x).sum::<f64>();
        let sd = ss.sqrt() / sum_y;
        let draws = normals.iter().map(|z| ratio + sd * z).collect();
        return (draws, Method::Normal);
    }
    // The answers with a non-zero numerator, with their denominators; the
    // others' denominators as one sum. Each answer is drawn a Poisson(1)
    // number of times (the Poisson bootstrap, Hanley & MacGibbon 2006, which
    // for hundreds of answers is the multinomial one to within its own
    // Monte Carlo error; drawing the multinomial as a chain of binomials was
    // a third of a 40 MB run, by perf), so the others' sum is normal with
    // mean Σ y and variance Σ y² over them.
    let y_at: std::collections::HashMap<usize, f64> = r.denominator.iter().copied().collect();
    let chosen: Vec<(u64, f64, f64)> = r
        .numerator
        .iter()
        .map(|&(i, x)| (answer_key(seed, i), x, y_at.get(&i).copied().unwrap_or(0.0)))
        .collect();
    let y_chosen: f64 = chosen.iter().map(|c| c.2).sum();
    let q_chosen: f64 = chosen.iter().map(|c| c.2 * c.2).sum();
    let q_all: f64 = r.denominator.iter().map(|v| v.1 * v.1).sum();
    let (rest_mean, rest_sd) = (sum_y - y_chosen, (q_all - q_chosen).max(0.0).sqrt());
    let cdf = poisson_cdf();
    let draws = normals
        .iter()
        .enumerate()
        .map(|(k, z)| {
            let (mut x, mut y) = (0.0, 0.0);
            for &(i, xi, yi) in &chosen {
                let w = poisson(uniform_at(i, k), &cdf) as f64;
                x += w * xi;
                y += w * yi;
            }
            y += rest_mean + rest_sd * z;
            x / y
        })
        .collect();
    (draws, Method::Sparse)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The branch-free head of `poisson` against the plain search of the
    /// distribution function, at every value of the function, just below
    /// and above it, past its end, and on a grid of uniforms.
    #[test]
    fn poisson_is_the_first_value_above_u() {
        let cdf = poisson_cdf();
        let plain = |u: f64| cdf.iter().position(|&c| u < c).unwrap_or(cdf.len());
        let mut us: Vec<f64> = (0..100_000).map(|i| f64::from(i) / 100_000.0).collect();
        for &c in &cdf {
            us.extend([c, c.next_down(), c.next_up()]);
        }
        us.push(1.0);
        for u in us {
            assert_eq!(poisson(u, &cdf), plain(u), "u = {u}");
        }
        assert_eq!(poisson(cdf[7], &cdf), 8);
        assert_eq!(poisson(0.0, &cdf), 0);
    }
    use crate::shifts::stats::{interval, Resamples};

    /// The two ways without resamples against resampling answer by answer,
    /// on a unit of 2,000 answers: a phrase in 300 answers (normal) and one
    /// in 8 (sparse); the 95% intervals agree within 3% of the rate.
    #[test]
    fn large_units_agree_with_resampling() {
        let n = 2000;
        let sizes: Vec<(usize, f64)> = (0..n).map(|i| (i, 40.0 + (i * 37 % 90) as f64)).collect();
        let frequent: Vec<(usize, f64)> = (0..n)
            .filter(|i| i % 7 == 0)
            .map(|i| (i, 1.0 + (i % 3) as f64))
            .collect();
        let rare: Vec<(usize, f64)> = [3, 150, 151, 700, 1200, 1500, 1800, 1999]
            .iter()
            .map(|&i| (i, 1.0 + (i % 2) as f64))
            .collect();
        let exact = Resamples::new(n, 4000, 7);
        let sums_y = exact.sums(&sizes);
        for (phrase, want) in [(&frequent, Method::Normal), (&rare, Method::Sparse)] {
            let reference: Vec<f64> = exact
                .sums(phrase)
                .iter()
                .zip(&sums_y)
                .map(|(x, y)| x / y)
                .collect();
            let (lo, hi) = interval(reference, 0.95).unwrap();
            let ratio = Ratio {
                n,
                numerator: phrase,
                denominator: &sizes,
            };
            let (draws, method) = replicates(&ratio, &normals(4000, 5), 30, 11);
            assert_eq!(method, want);
            let (a, b) = interval(draws, 0.95).unwrap();
            let rate: f64 =
                phrase.iter().map(|p| p.1).sum::<f64>() / sizes.iter().map(|s| s.1).sum::<f64>();
            assert!((a - lo).abs() < 0.03 * rate, "{method:?} low {a} vs {lo}");
            assert!((b - hi).abs() < 0.03 * rate, "{method:?} high {b} vs {hi}");
        }
    }
}
