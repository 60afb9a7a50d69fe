//! When a formulation enters or leaves the official language, and whether
//! that is more than chance: its first and last use, each with an exact
//! permutation test over the corpus's answers.
//!
//! The answers, in date order, are the sampled units. A formulation held by
//! k of the N answers enters late where many answers come before its first
//! use. Under the null that the answers holding it are any k of the N (the
//! answers exchangeable: the permutation test of its rate before against
//! after the change point), the chance that none of the m answers dated
//! before its first use holds it is
//!
//! P(M ≥ m) = C(N − m, k) / C(N, k) = Π_{i<k} (N − m − i) / (N − i),
//!
//! and likewise for the m answers dated after its last use. Answers of the
//! day of the first (last) use are not counted in m: a briefing's order is
//! no evidence of when a wording arrived. Benjamini–Hochberg runs over both
//! tests of every formulation tested (see `super::discover`).

/// The answers in date order, as the tests count them.
pub struct Timeline {
    /// Of each answer, the answers dated before its day.
    before: Vec<u32>,
    /// Of each answer, the answers dated after its day.
    after: Vec<u32>,
}

impl Timeline {
    /// The timeline of answers dated `dates` (ISO dates, in order).
    pub fn new(dates: &[&str]) -> Timeline {
        let n = dates.len();
        let (mut before, mut after) = (vec![0u32; n], vec![0u32; n]);
        let mut start = 0;
        while start < n {
            let end = start
                + dates[start..]
                    .iter()
                    .take_while(|&&d| d == dates[start])
                    .count();
            for i in start..end {
                before[i] = start as u32;
                after[i] = (n - end) as u32;
            }
            start = end;
        }
        Timeline { before, after }
    }

    /// N: the answers.
    pub fn len(&self) -> u32 {
        self.before.len() as u32
    }

    pub fn is_empty(&self) -> bool {
        self.before.is_empty()
    }

    /// Answers dated before answer `i`'s day.
    pub fn before(&self, i: usize) -> u32 {
        self.before[i]
    }

    /// Answers dated after answer `i`'s day.
    pub fn after(&self, i: usize) -> u32 {
        self.after[i]
    }
}

/// P(M ≥ m): the chance that k answers drawn from N without replacement
/// avoid m given ones (see the module documentation).
pub fn tail(n: u32, m: u32, k: u32) -> f64 {
    if m == 0 {
        return 1.0;
    }
    if u64::from(m) + u64::from(k) > u64::from(n) {
        return 0.0;
    }
    let mut ln = 0.0f64;
    for i in 0..k {
        ln += (f64::from(n - m - i) / f64::from(n - i)).ln();
        // Beyond any p a table prints: stop where the product underflows.
        if ln < -745.0 {
            return 0.0;
        }
    }
    ln.exp()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Worked by hand: N = 10, k = 2. None of the first 5 holds it:
    /// C(5,2)/C(10,2) = 10/45; none of the first 8: C(2,2)/C(10,2) = 1/45.
    #[test]
    fn the_tail_is_the_hypergeometric_zero() {
        assert!((tail(10, 5, 2) - 10.0 / 45.0).abs() < 1e-15);
        assert!((tail(10, 8, 2) - 1.0 / 45.0).abs() < 1e-15);
        assert_eq!(tail(10, 0, 2), 1.0);
        assert_eq!(tail(10, 9, 2), 0.0);
        // k = 1: the share of answers after the m.
        assert!((tail(40, 30, 1) - 0.25).abs() < 1e-15);
    }

    #[test]
    fn the_tail_agrees_with_enumerating_every_placement() {
        // Every k-subset of N = 9 answers: the share avoiding the first m.
        let n = 9u32;
        for k in 1..=4u32 {
            for m in 0..=n {
                let (mut all, mut avoid) = (0u32, 0u32);
                for mask in 0u32..(1 << n) {
                    if mask.count_ones() == k {
                        all += 1;
                        avoid += u32::from(mask & ((1 << m) - 1) == 0);
                    }
                }
                let want = f64::from(avoid) / f64::from(all);
                assert!((tail(n, m, k) - want).abs() < 1e-12, "m={m} k={k}");
            }
        }
    }

    #[test]
    fn a_day_is_counted_whole() {
        let t = Timeline::new(&[
            "2020-01-02",
            "2020-01-02",
            "2020-01-05",
            "2020-02-01",
            "2020-02-01",
        ]);
        assert_eq!(t.len(), 5);
        assert_eq!(
            (0..5).map(|i| t.before(i)).collect::<Vec<_>>(),
            [0, 0, 2, 3, 3]
        );
        assert_eq!(
            (0..5).map(|i| t.after(i)).collect::<Vec<_>>(),
            [3, 3, 2, 0, 0]
        );
    }
}
