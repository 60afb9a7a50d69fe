//! The normal approximation of the permutation distribution of D (regime 3
//! of [`super::method`]).
//!
//! Over the splits of n pooled answers into a target of k, D = Σ_{i∈target}
//! d_i is the sum of a simple random sample of the d_i = c_i − r·s_i, which
//! add up to 0 over the pool. Its permutation mean is 0 and its variance is
//! exactly k(n−k)/(n(n−1))·Σ d_i² (Cochran 1977, Sampling Techniques, 2.8),
//! where Σ d_i² = Σ c_i² − 2r·Σ c_i·s_i + r²·Σ s_i²: the first two sums run
//! over the answers holding the phrase only, the third over the pool. By
//! Hájek's central limit theorem for sampling without replacement (1960) D
//! is then close to normal when both sides are large and the phrase is not
//! concentrated in a few answers of the smaller side; the rule that chooses
//! this test says when ([`super::method`]).

use super::{normal_two_sided, PhraseSums, PoolSums};

/// The exact permutation variance of D.
pub fn variance(pool: &PoolSums, phrase: &PhraseSums) -> f64 {
    let r = phrase.count / pool.tokens;
    let ss = phrase.sq - 2.0 * r * phrase.cross + r * r * pool.tokens_sq;
    let (n, k) = (pool.n as f64, pool.k as f64);
    if n < 2.0 {
        return 0.0;
    }
    k * (n - k) / (n * (n - 1.0)) * ss.max(0.0)
}

/// The two-sided p of the observed D under its normal approximation.
pub fn p_value(pool: &PoolSums, phrase: &PhraseSums) -> f64 {
    let var = variance(pool, phrase);
    let d = phrase.d(pool);
    if var <= 0.0 {
        // No split differs from another: nothing is extreme but the mean.
        return if d.abs() > 1e-9 { 0.0 } else { 1.0 };
    }
    normal_two_sided(d / var.sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The closed form against the variance over every split of a toy pool,
    /// enumerated: 5 answers of sizes 10, 20, 10, 30, 30, the phrase 2, 1, 0,
    /// 0, 3 times; the target holds 2 answers.
    #[test]
    fn the_variance_is_that_of_every_split() {
        let sizes = [10.0, 20.0, 10.0, 30.0, 30.0];
        let counts = [2.0, 1.0, 0.0, 0.0, 3.0];
        let (s, c): (f64, f64) = (sizes.iter().sum(), counts.iter().sum());
        let r = c / s;
        let mut ds = Vec::new();
        for a in 0..5 {
            for b in a + 1..5 {
                ds.push(counts[a] + counts[b] - r * (sizes[a] + sizes[b]));
            }
        }
        let mean = ds.iter().sum::<f64>() / ds.len() as f64;
        let var = ds.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / ds.len() as f64;
        let pool = PoolSums {
            n: 5,
            k: 2,
            tokens: s,
            target_tokens: 30.0,
            tokens_sq: sizes.iter().map(|x| x * x).sum(),
        };
        let phrase = PhraseSums {
            count: c,
            target: 3.0,
            answers: 3,
            sq: counts.iter().map(|x| x * x).sum(),
            cross: counts.iter().zip(&sizes).map(|(c, s)| c * s).sum(),
        };
        assert!(mean.abs() < 1e-12);
        assert!((variance(&pool, &phrase) - var).abs() < 1e-12, "{var}");
        // Observed D = 3 − (6/100)·30 = 1.2; its z and two-sided p.
        let z = 1.2 / var.sqrt();
        assert!((p_value(&pool, &phrase) - libm::erfc(z / 2f64.sqrt())).abs() < 1e-12);
    }
}
