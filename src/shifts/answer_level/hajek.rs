//! The `normal` regime of [`super::method`]: D's permutation distribution
//! from its exact first three moments, without draws.
//!
//! Over the splits of n pooled answers into a target of k, D = Σ_{i∈target}
//! d_i is the sum of a simple random sample of the d_i = c_i − r·s_i, which
//! add up to 0 over the pool. With P_j = Σ d_i^j over the pool, its
//! permutation mean is 0 and, exactly (Cochran 1977, Sampling Techniques,
//! 2.8, and the third moment from the inclusion probabilities of one, two and
//! three answers, k^(j)/n^(j)),
//!
//!   Var D = k(n−k) / (n(n−1)) · P_2,
//!   E D³  = k(n−k)(n−2k) / (n(n−1)(n−2)) · P_3,
//!
//! where P_2 = Σ c_i² − 2r·Σ c_i·s_i + r²·Σ s_i² and
//! P_3 = Σ c_i³ − 3r·Σ c_i²·s_i + 3r²·Σ c_i·s_i² − r³·Σ s_i³: the sums over c
//! run over the answers holding the phrase only, the sums of s alone over the
//! pool; the frequencies stage keeps both, so a phrase costs O(1).
//!
//! By Hájek's central limit theorem for sampling without replacement (1960)
//! D tends to a normal, but where few answers carry the phrase the d_i are
//! skewed (a few large c_i, many small −r·s_i) and so is D: its long tail is
//! heavier than the normal's, and a normal p was up to several times too
//! small there (tests/reference/normal_tail.md). So p is the two-sided tail
//! of a Pearson type III distribution with D's exact variance and skewness
//! ([`super::pearson`]), taken at |d| less a continuity correction: D moves
//! in whole occurrences (its count part, a, is an integer), blurred by the
//! sizes of the answers drawn (r·n_a, of permutation standard deviation τ),
//! so the correction is ½·exp(−2π²τ²), the lattice's half step damped as a
//! normal blur of standard deviation τ damps the lattice's first harmonic:
//! ½ for a rare phrase in answers of like size, nothing once τ passes 0.5.
//! tests/reference/normal_tail.py checks the result against 200,000 random
//! splits of generated pools.

use super::{pearson, PhraseSums, PoolSums};

/// The exact permutation variance of D.
pub fn variance(pool: &PoolSums, phrase: &PhraseSums) -> f64 {
    moments(pool, phrase).0
}

/// The exact permutation variance and third central moment of D.
pub fn moments(pool: &PoolSums, phrase: &PhraseSums) -> (f64, f64) {
    let (n, k) = (pool.n as f64, pool.k as f64);
    if n < 2.0 {
        return (0.0, 0.0);
    }
    let r = phrase.count / pool.tokens;
    let p2 = phrase.sq - 2.0 * r * phrase.cross + r * r * pool.tokens_sq;
    let p3 = phrase.cube - 3.0 * r * phrase.sq_tokens + 3.0 * r * r * phrase.cross_tokens
        - r * r * r * pool.tokens_cube;
    let var = k * (n - k) / (n * (n - 1.0)) * p2.max(0.0);
    let third = if n < 3.0 {
        0.0
    } else {
        k * (n - k) * (n - 2.0 * k) / (n * (n - 1.0) * (n - 2.0)) * p3
    };
    (var, third)
}

/// The continuity correction: half a step of the lattice of whole
/// occurrences, damped by the blur of the answers' sizes (the permutation
/// standard deviation τ of r·n_a) as exp(−2π²τ²).
pub fn continuity(pool: &PoolSums, phrase: &PhraseSums) -> f64 {
    let (n, k) = (pool.n as f64, pool.k as f64);
    if n < 2.0 || pool.tokens <= 0.0 {
        return 0.5;
    }
    let r = phrase.count / pool.tokens;
    let spread = (pool.tokens_sq - pool.tokens * pool.tokens / n).max(0.0);
    let tau_sq = r * r * k * (n - k) / (n * (n - 1.0)) * spread;
    0.5 * (-2.0 * std::f64::consts::PI.powi(2) * tau_sq).exp()
}

/// The two-sided p of the observed D: the Pearson type III tail of D's exact
/// variance and skewness beyond |d| less the continuity correction.
pub fn p_value(pool: &PoolSums, phrase: &PhraseSums) -> f64 {
    let (var, third) = moments(pool, phrase);
    let d = phrase.d(pool);
    if var <= 0.0 {
        // No split differs from another: nothing is extreme but the mean.
        return if d.abs() > 1e-9 { 0.0 } else { 1.0 };
    }
    let sd = var.sqrt();
    let beyond = (d.abs() - continuity(pool, phrase)).max(0.0);
    pearson::two_sided(beyond / sd, third / (var * sd))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A toy pool: 6 answers of sizes 10, 20, 10, 30, 30, 45, the phrase 2,
    /// 1, 0, 0, 3, 0 times.
    const SIZES: [f64; 6] = [10.0, 20.0, 10.0, 30.0, 30.0, 45.0];
    const COUNTS: [f64; 6] = [2.0, 1.0, 0.0, 0.0, 3.0, 0.0];

    fn sums(k: usize, target: f64, target_tokens: f64) -> (PoolSums, PhraseSums) {
        let sum = |f: &dyn Fn(f64, f64) -> f64| -> f64 {
            SIZES.iter().zip(&COUNTS).map(|(&s, &c)| f(c, s)).sum()
        };
        let pool = PoolSums {
            n: SIZES.len(),
            k,
            tokens: sum(&|_, s| s),
            target_tokens,
            tokens_sq: sum(&|_, s| s * s),
            tokens_cube: sum(&|_, s| s * s * s),
        };
        let phrase = PhraseSums {
            count: sum(&|c, _| c),
            target,
            answers: 3,
            sq: sum(&|c, _| c * c),
            cross: sum(&|c, s| c * s),
            cube: sum(&|c, _| c * c * c),
            sq_tokens: sum(&|c, s| c * c * s),
            cross_tokens: sum(&|c, s| c * s * s),
        };
        (pool, phrase)
    }

    /// The closed forms against the moments over every split of the toy
    /// pool, enumerated, for targets of 1 to 5 answers (skewed both ways).
    #[test]
    fn the_moments_are_those_of_every_split() {
        let n = SIZES.len();
        let r = COUNTS.iter().sum::<f64>() / SIZES.iter().sum::<f64>();
        for k in 1..n {
            let ds: Vec<f64> = (0u32..1 << n)
                .filter(|m| m.count_ones() as usize == k)
                .map(|m| {
                    (0..n)
                        .filter(|i| m & (1 << i) != 0)
                        .map(|i| COUNTS[i] - r * SIZES[i])
                        .sum()
                })
                .collect();
            let moment = |j: i32| ds.iter().map(|d| d.powi(j)).sum::<f64>() / ds.len() as f64;
            let (pool, phrase) = sums(k, 0.0, 0.0);
            let (var, third) = moments(&pool, &phrase);
            assert!(moment(1).abs() < 1e-12);
            assert!(
                (var - moment(2)).abs() < 1e-12,
                "k={k}: {var} vs {}",
                moment(2)
            );
            assert!(
                (third - moment(3)).abs() < 1e-12,
                "k={k}: {third} vs {}",
                moment(3)
            );
        }
    }

    /// p is the Pearson type III tail at |d| less the continuity correction;
    /// where τ is large the correction vanishes and p is the tail at |d|.
    #[test]
    fn p_is_the_skewed_tail_beyond_the_corrected_d() {
        // The target: answers 1 and 5 (2 + 3 occurrences in 40 tokens).
        let (pool, phrase) = sums(2, 5.0, 40.0);
        let (var, third) = moments(&pool, &phrase);
        let d = phrase.d(&pool);
        let step = continuity(&pool, &phrase);
        assert!(step > 0.0 && step < 0.5);
        let want = pearson::two_sided((d.abs() - step) / var.sqrt(), third / (var * var.sqrt()));
        assert_eq!(p_value(&pool, &phrase), want);
        // Sizes spread wide against the rate: τ ≫ 0.5, no correction.
        let wide = PoolSums {
            tokens_sq: pool.tokens_sq * 1e4,
            ..pool
        };
        assert!(continuity(&wide, &phrase) < 1e-300);
    }

    /// The reference check (tests/reference/normal_tail.py): on generated
    /// pools of realistic shape, with phrases in 10 to 200 answers and
    /// skewed, p is never below the permutation p of 200,000 random splits
    /// beyond 3 Monte Carlo standard errors, and it is the reference's own
    /// p (computed from the answers' d_i with mpmath's incomplete gamma)
    /// to 1e-9 relative.
    #[test]
    fn never_below_the_permutation_p() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/reference/normal_tail_cases.json"
        );
        let text = std::fs::read_to_string(path).expect("tests/reference/normal_tail_cases.json");
        let file: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        let cases = file["cases"].as_array().expect("cases");
        assert!(cases.len() >= 100, "{} cases", cases.len());
        let num = |c: &serde_json::Value, key: &str| c[key].as_f64().expect(key);
        let mut liberal = Vec::new();
        for c in cases {
            let pool = PoolSums {
                n: num(c, "n") as usize,
                k: num(c, "k") as usize,
                tokens: num(c, "tokens"),
                target_tokens: num(c, "target_tokens"),
                tokens_sq: num(c, "tokens_sq"),
                tokens_cube: num(c, "tokens_cube"),
            };
            let phrase = PhraseSums {
                count: num(c, "count"),
                target: num(c, "target"),
                answers: num(c, "answers") as u32,
                sq: num(c, "sq"),
                cross: num(c, "cross"),
                cube: num(c, "cube"),
                sq_tokens: num(c, "sq_tokens"),
                cross_tokens: num(c, "cross_tokens"),
            };
            // Where data/analysis.toml's rule sends a phrase to this test:
            // both sides of 30 answers or more, the phrase expected in 10
            // answers or more of the smaller side.
            let smaller = pool.k.min(pool.n - pool.k);
            let expected = f64::from(phrase.answers) * smaller as f64 / pool.n as f64;
            assert!(smaller >= 30 && expected >= 10.0, "{}", c["id"]);
            let p = p_value(&pool, &phrase);
            let reference = num(c, "p_reference");
            assert!(
                (p - reference).abs() <= 1e-9 * reference,
                "{}: {p} vs the reference's {reference}",
                c["id"]
            );
            let (perm, se) = (num(c, "p_permutation"), num(c, "se"));
            if p < perm - 3.0 * se {
                liberal.push(format!("{}: {p} < {perm} − 3·{se}", c["id"]));
            }
        }
        assert!(liberal.is_empty(), "liberal: {liberal:#?}");
    }
}
