//! The answer-level test of keyness: is a phrase spread between a year's
//! answers and its reference's as a random split of those answers would
//! spread it?
//!
//! The answer, not the token, is the unit that was sampled: a phrase said ten
//! times in one answer is one piece of evidence, not ten. Token-level G²
//! treats the ten as independent and overstates significance (Lijffijt et
//! al. 2016, DSH 31(2)). Here the answers of the target (year, topic) and of
//! its reference are pooled, and the statistic is the score statistic of the
//! rate comparison, D = a − r·n_a: the phrase's count in the target less what
//! the pooled rate r = (a + b)/(n_a + n_b) expects of the target's n_a word
//! tokens (positive where the target uses the phrase more). Over the splits
//! of the pool into a "target" of the same number of answers, D is a sum over
//! a simple random sample of the answers' d_i = c_i − r·s_i (c_i the phrase's
//! count in answer i, s_i its word tokens); p is the share of splits with
//! |D| at least the observed |D|. How p is found depends on the pool (the
//! rule, [`method`]):
//!
//! 1. `exact`: where the pool allows at most `permutations` + 1 splits, every
//!    split is enumerated ([`permutation`]).
//! 2. `monte carlo`: where a side has fewer than `normal_min_answers`
//!    answers, `permutations` seeded random splits, a phrase stopping once
//!    `permutation_stop` of them were as extreme as observed (Besag &
//!    Clifford 1991) ([`permutation`]). The pool, or its smaller side, is
//!    small, so a draw is cheap.
//! 3. `normal`: where both sides have `normal_min_answers` answers or more
//!    and the phrase is expected in at least `normal_min_expected` answers of
//!    the smaller side, D is close to normal (Hájek's central limit theorem
//!    for sampling without replacement), but skewed where few answers carry
//!    the phrase: its permutation mean (0), variance and third moment are
//!    exact in closed form from sums the frequencies stage keeps per (year,
//!    topic), and p is the tail of a Pearson type III distribution of that
//!    variance and skewness, with a continuity correction: O(1) per phrase,
//!    no draws ([`hajek`], [`pearson`]).
//! 4. `conditional`: where both sides are large but the phrase is in few
//!    answers of the smaller side, the split of the phrase's own answers is
//!    enumerated exactly (how many fall in the target is hypergeometric;
//!    which, and their counts, by dynamic programming over those answers),
//!    and only the sizes of the other answers in the target enter by a
//!    normal approximation, which for thousands of answers is excellent
//!    ([`conditional`]). O(answers × kept splits), no draws.
//!
//! No regime's cost grows with phrases × draws × pool: draws are made only
//! where a side is small. tests/reference/answer_level.py checks the normal
//! and conditional p-values against 99,999 random splits (docs/methods.md
//! gives the largest disagreements), and tests/reference/normal_tail.py the
//! normal's against 200,000 random splits of generated pools with skewed
//! phrases (a test in [`hajek`] reads its cases).

pub mod conditional;
pub mod hajek;
pub mod pearson;
pub mod permutation;

use crate::categories::TestMethod;
use crate::config::analysis::KeynessSettings;

/// A comparison's pool, as sums: answers and word tokens on each side.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PoolSums {
    /// Answers pooled, and of them in the target.
    pub n: usize,
    pub k: usize,
    /// Word tokens of all pooled answers, and of the target's.
    pub tokens: f64,
    pub target_tokens: f64,
    /// Σ s_i² and Σ s_i³ over the pooled answers.
    pub tokens_sq: f64,
    pub tokens_cube: f64,
}

/// A phrase in a pool, as sums over the answers where it occurs.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PhraseSums {
    /// Occurrences in the pool and in the target.
    pub count: f64,
    pub target: f64,
    /// Pooled answers holding it.
    pub answers: u32,
    /// Σ c_i² and Σ c_i·s_i over those answers.
    pub sq: f64,
    pub cross: f64,
    /// Σ c_i³, Σ c_i²·s_i and Σ c_i·s_i² over those answers (the third
    /// moment of the normal regime, [`hajek`]).
    pub cube: f64,
    pub sq_tokens: f64,
    pub cross_tokens: f64,
}

impl PhraseSums {
    /// The observed statistic D = a − r·n_a.
    pub fn d(&self, pool: &PoolSums) -> f64 {
        self.target - self.count / pool.tokens * pool.target_tokens
    }
}

/// The test a phrase of `answers` pooled answers gets in a pool of `n`
/// answers, `k` of them the target's (see the module documentation).
pub fn method(n: usize, k: usize, answers: u32, s: &KeynessSettings) -> TestMethod {
    let smaller = k.min(n - k);
    if permutation::splits(n, k) <= u64::from(s.permutations) + 1 {
        TestMethod::Exact
    } else if smaller < s.normal_min_answers {
        TestMethod::MonteCarlo
    } else if f64::from(answers) * smaller as f64 / n as f64 >= s.normal_min_expected {
        TestMethod::Normal
    } else {
        TestMethod::Conditional
    }
}

/// The two-sided tail of the standard normal beyond |z|.
pub fn normal_two_sided(z: f64) -> f64 {
    libm::erfc(z.abs() / std::f64::consts::SQRT_2)
}

/// P(|X| ≥ d) for X normal with mean `mean` and standard deviation `sd`;
/// with sd = 0, whether |mean| ≥ d.
pub fn normal_beyond(mean: f64, sd: f64, d: f64) -> f64 {
    if sd <= 0.0 {
        return f64::from(u8::from(mean.abs() >= d));
    }
    let upper = 0.5 * libm::erfc((d - mean) / sd / std::f64::consts::SQRT_2);
    let lower = 0.5 * libm::erfc((d + mean) / sd / std::f64::consts::SQRT_2);
    (upper + lower).min(1.0)
}

/// The tolerance under which a split's |D| counts as at least the observed:
/// rounding must not make a tie look less extreme.
pub fn at_least(d_obs: f64) -> f64 {
    d_obs.abs() - 1e-9 * d_obs.abs().max(1.0)
}

/// The name the permutation test of a comparison is seeded by (with
/// [`crate::shifts::stats::seed_for`]): keyness.csv and sensitivity.csv draw
/// the same splits for the same comparison because both take it from here.
/// The splits do not depend on the phrases tested.
pub fn seed_key(year: i32, topic: &str, reference: &str, speaker: Option<&str>) -> String {
    match speaker {
        None => format!("permutation/{year}/{topic}/{reference}"),
        Some(s) => format!("permutation/{year}/{topic}/{reference}/{s}"),
    }
}
