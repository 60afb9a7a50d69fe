//! The statistics of the shifts stage, as plain functions of counts, so that
//! each can be checked against an independent computation
//! (`tests/reference/keyness.py`, Python's math module, whose values
//! `tests/reference/keyness_cases.json` holds for the tests below).

/// Signed log-likelihood G² of a 2×2 table [[a, b], [n_a − a, n_b − b]]:
/// 2·Σ O·ln(O/E), cells with O = 0 contributing 0; negative when the phrase is
/// relatively rarer in the target (a/n_a < b/n_b).
pub fn g2(a: f64, b: f64, n_a: f64, n_b: f64) -> f64 {
    let n = n_a + n_b;
    let cells = [
        (a, n_a * (a + b) / n),
        (b, n_b * (a + b) / n),
        (n_a - a, n_a * (n - a - b) / n),
        (n_b - b, n_b * (n - a - b) / n),
    ];
    let g: f64 = 2.0
        * cells
            .iter()
            .filter(|(o, _)| *o > 0.0)
            .map(|(o, e)| o * (o / e).ln())
            .sum::<f64>();
    if a / n_a < b / n_b {
        -g
    } else {
        g
    }
}

/// Log Ratio (Hardie): log2 of the ratio of relative frequencies, with 0.5 in
/// place of a zero count so that a phrase absent on one side has a finite value.
pub fn log_ratio(a: f64, b: f64, n_a: f64, n_b: f64) -> f64 {
    let a = if a > 0.0 { a } else { 0.5 };
    let b = if b > 0.0 { b } else { 0.5 };
    ((a / n_a) / (b / n_b)).log2()
}

/// Log-odds ratio with an informative Dirichlet prior, as a z-score (Monroe,
/// Colaresi & Quinn 2008, eq. 16 and 22). The prior for the phrase is
/// α_w = α0·(a+b)/(n_a+n_b), its pooled rate scaled by α0, and α_0 = α0:
/// δ = ln((a+α_w)/(n_a+α_0−a−α_w)) − ln((b+α_w)/(n_b+α_0−b−α_w)),
/// z = δ / √(1/(a+α_w) + 1/(b+α_w)).
pub fn logodds_z(a: f64, b: f64, n_a: f64, n_b: f64, alpha0: f64) -> f64 {
    let aw = alpha0 * (a + b) / (n_a + n_b);
    let delta =
        ((a + aw) / (n_a + alpha0 - a - aw)).ln() - ((b + aw) / (n_b + alpha0 - b - aw)).ln();
    delta / (1.0 / (a + aw) + 1.0 / (b + aw)).sqrt()
}

/// p-value of a G² statistic: the survival function of χ² with 1 degree of freedom.
pub fn p_of_g2(g2: f64) -> f64 {
    libm::erfc((g2.abs() / 2.0).sqrt())
}

/// Benjamini–Hochberg adjusted p-values (q), in the order of `p`.
pub fn benjamini_hochberg(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&i, &j| p[i].total_cmp(&p[j]).then(i.cmp(&j)));
    let mut q = vec![0.0; m];
    let mut running = 1.0f64;
    for rank in (1..=m).rev() {
        let i = order[rank - 1];
        running = running.min(p[i] * m as f64 / rank as f64);
        q[i] = running;
    }
    q
}

/// ln B(a, b).
fn ln_beta(a: f64, b: f64) -> f64 {
    libm::lgamma(a) + libm::lgamma(b) - libm::lgamma(a + b)
}

/// The continued fraction of the incomplete beta function (modified Lentz).
fn beta_fraction(x: f64, a: f64, b: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..=1000 {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        d = if d.abs() < TINY { TINY } else { d };
        c = 1.0 + aa / c;
        c = if c.abs() < TINY { TINY } else { c };
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        d = if d.abs() < TINY { TINY } else { d };
        c = 1.0 + aa / c;
        c = if c.abs() < TINY { TINY } else { c };
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() < 1e-16 {
            break;
        }
    }
    h
}

/// The regularised incomplete beta function I_x(a, b), given ln B(a, b): a
/// quantile search evaluates it at many x for one (a, b), which need the
/// three lgamma calls once.
fn incomplete_beta(x: f64, a: f64, b: f64, ln_beta_ab: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let front = (a * x.ln() + b * (1.0 - x).ln() - ln_beta_ab).exp();
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_fraction(x, a, b) / a
    } else {
        1.0 - front * beta_fraction(1.0 - x, b, a) / b
    }
}

/// The p-quantile of Beta(a, b), by bisection (I_x is increasing in x).
///
/// A step is a function of (lo, hi) alone, so once a step leaves both
/// unchanged (they are adjacent floats or equal) every later one would too,
/// and stopping there returns the bits the full 200 steps give: about 60
/// steps instead of 200 (perf, briefings 10 MB: the LRC's quantiles were
/// 10% of the shifts stage).
fn beta_quantile(p: f64, a: f64, b: f64) -> f64 {
    let ln_beta_ab = ln_beta(a, b);
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        let next = if incomplete_beta(mid, a, b, ln_beta_ab) < p {
            (mid, hi)
        } else {
            (lo, mid)
        };
        if next == (lo, hi) {
            break;
        }
        (lo, hi) = next;
    }
    0.5 * (lo + hi)
}

/// Clopper–Pearson interval for a binomial proportion k/n at level 1 − α.
pub fn clopper_pearson(k: f64, n: f64, alpha: f64) -> (f64, f64) {
    let lo = if k <= 0.0 {
        0.0
    } else {
        beta_quantile(alpha / 2.0, k, n - k + 1.0)
    };
    let hi = if k >= n {
        1.0
    } else {
        beta_quantile(1.0 - alpha / 2.0, k + 1.0, n - k)
    };
    (lo, hi)
}

/// Evert's conservative log ratio (LRC; Evert 2023, R `corpora::keyness`): the
/// bound nearer zero of a confidence interval for log2((a/n_a)/(b/n_b)), or 0
/// when the interval contains 0. Conditional on a + b, a is binomial with
/// p = a/(a+b); its exact Clopper–Pearson interval, at level
/// 1 − (1 − `level`)/`family` (Bonferroni over the phrases tested together),
/// maps to the log ratio as log2(p/(1−p) · n_b/n_a).
pub fn lrc(a: f64, b: f64, n_a: f64, n_b: f64, level: f64, family: usize) -> f64 {
    if a + b <= 0.0 {
        return 0.0;
    }
    lrc_of(lrc_interval(a, a + b, level, family), n_a, n_b)
}

/// The Clopper–Pearson interval behind [`lrc`] for a of f = a + b: the
/// costly part, which depends only on (a, f) within a family, so a caller
/// with many phrases can compute it once per distinct pair.
pub fn lrc_interval(a: f64, f: f64, level: f64, family: usize) -> (f64, f64) {
    let alpha = (1.0 - level) / family.max(1) as f64;
    clopper_pearson(a, f, alpha)
}

/// [`lrc`] from its interval of the proportion a/(a+b).
pub fn lrc_of((lo, hi): (f64, f64), n_a: f64, n_b: f64) -> f64 {
    let to_lr = |p: f64| (p / (1.0 - p) * n_b / n_a).log2();
    let (lo, hi) = (to_lr(lo), to_lr(hi));
    if lo > 0.0 {
        lo
    } else if hi < 0.0 {
        hi
    } else {
        0.0
    }
}

/// Least-squares slope of y on x; None with fewer than two distinct x.
pub fn slope(points: &[(f64, f64)]) -> Option<f64> {
    let n = points.len() as f64;
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    (points.len() >= 2 && sxx > 0.0).then(|| sxy / sxx)
}

/// The q-quantile of sorted values, linear between order statistics (R's type 7).
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * q;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// SplitMix64 (Steele, Lea & Flood 2014). The bootstrap needs the same draws on
/// every machine and with every future dependency version, so the generator is
/// spelled out here rather than taken from a crate whose algorithm may change.
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform index below `n` (Lemire's multiply-shift; the bias is below 2⁻³² for
    /// the few hundred answers of a year).
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }
}

/// A seed for one resampling unit, derived from the run's seed and the unit's
/// name, so that results do not depend on the order units are processed in.
pub fn seed_for(seed: u64, unit: &str) -> u64 {
    // FNV-1a over the name, mixed with the run's seed.
    let h = unit.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    SplitMix64::new(seed ^ h).next_u64()
}

/// Bootstrap resamples of the answers of one (year, topic): each replicate draws
/// as many answers as there are, with replacement. A replicate is kept as the
/// number of times it drew each answer, so that a phrase's resampled count is a
/// sum over only the answers where the phrase occurs.
///
/// The weights are stored answer by answer (all replicates of answer 0, then
/// of answer 1, …): a sum over a phrase's answers then reads each answer's
/// weights in one contiguous run and adds them to every replicate at once,
/// which the compiler vectorises, instead of gathering one weight per
/// replicate from rows apart.
pub struct Resamples {
    replicates: usize,
    /// weights[i · replicates + r]: how often replicate r drew answer i
    /// (two bytes: a unit resampled this way has at most
    /// `resample_max_answers` answers, fewer than 2¹⁶).
    weights: Vec<u16>,
}

impl Resamples {
    pub fn new(n_answers: usize, replicates: u32, seed: u64) -> Resamples {
        let mut rng = SplitMix64::new(seed);
        let r_count = replicates as usize;
        let mut weights = vec![0u16; n_answers * r_count];
        for r in 0..r_count {
            for _ in 0..n_answers {
                weights[rng.below(n_answers) * r_count + r] += 1;
            }
        }
        Resamples {
            replicates: r_count,
            weights,
        }
    }

    /// Per replicate, Σ weight·value over sparse (answer index, value) pairs,
    /// added in the pairs' order from −0.0 (as `Iterator::sum` adds).
    pub fn sums(&self, values: &[(usize, f64)]) -> Vec<f64> {
        let mut out = vec![-0.0; self.replicates];
        for &(i, v) in values {
            let w = &self.weights[i * self.replicates..(i + 1) * self.replicates];
            for (o, &c) in out.iter_mut().zip(w) {
                *o += f64::from(c) * v;
            }
        }
        out
    }
}

/// The central `level` interval of replicate values (NaN values left out);
/// None when no replicate is defined, and None where it has zero width
/// (every replicate in it the same, as for a phrase never said: an interval
/// of zero width would read as certainty). The two quantiles are [`quantile`]'s,
/// from order statistics selected rather than from a full sort: a row of
/// shifts.csv sorted its 9,999 replicates to read two of them, 4.5 s of a
/// 10 MB run by month in perf (bench/README.md), for the same numbers.
pub fn interval(mut values: Vec<f64>, level: f64) -> Option<(f64, f64)> {
    values.retain(|v| v.is_finite());
    if values.is_empty() {
        return None;
    }
    let tail = (1.0 - level) / 2.0;
    let (lo, hi) = (
        selected(&mut values, tail),
        selected(&mut values, 1.0 - tail),
    );
    (lo < hi).then_some((lo, hi))
}

/// [`quantile`] of unsorted values: the order statistics it interpolates
/// between, by selection (the one above is the least of those above the
/// one below).
fn selected(values: &mut [f64], q: f64) -> f64 {
    let h = (values.len() - 1) as f64 * q;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    let (_, &mut below, above) = values.select_nth_unstable_by(lo, f64::total_cmp);
    let next = match hi == lo {
        true => below,
        false => above
            .iter()
            .copied()
            .min_by(f64::total_cmp)
            .unwrap_or(below),
    };
    below + (h - lo as f64) * (next - below)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(x: f64, y: f64) {
        assert!((x - y).abs() <= 1e-9 * y.abs().max(1.0), "{x} vs {y}");
    }

    /// The reference values of tests/reference/keyness.py (independent code,
    /// Python's math module), as it writes them and CI checks them.
    fn reference() -> serde_json::Value {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/reference/keyness_cases.json"
        );
        let text = std::fs::read_to_string(path).expect("tests/reference/keyness_cases.json");
        serde_json::from_str(&text).expect("valid JSON")
    }

    fn num(v: &serde_json::Value, key: &str) -> f64 {
        v[key].as_f64().unwrap_or_else(|| panic!("{key} in {v}"))
    }

    #[test]
    fn keyness_matches_the_reference() {
        let file = reference();
        let cases = file["keyness"].as_array().expect("keyness cases");
        assert_eq!(cases.len(), 4);
        for c in cases {
            let (a, b, na, nb) = (num(c, "a"), num(c, "b"), num(c, "n_a"), num(c, "n_b"));
            close(g2(a, b, na, nb), num(c, "g2"));
            close(log_ratio(a, b, na, nb), num(c, "log_ratio"));
            close(
                logodds_z(a, b, na, nb, num(c, "alpha0")),
                num(c, "logodds_z"),
            );
            close(p_of_g2(g2(a, b, na, nb)), num(c, "p"));
        }
    }

    #[test]
    fn lrc_matches_the_reference() {
        // lrc(): Clopper–Pearson from binomial tail sums (math.lgamma), not
        // from the incomplete beta function.
        let file = reference();
        let cases = file["lrc"].as_array().expect("lrc cases");
        assert_eq!(cases.len(), 6);
        for c in cases {
            let family = num(c, "family") as usize;
            let got = lrc(
                num(c, "a"),
                num(c, "b"),
                num(c, "n_a"),
                num(c, "n_b"),
                num(c, "level"),
                family,
            );
            close(got, num(c, "lrc"));
        }
        let cp = &file["clopper_pearson"];
        let (lo, hi) = clopper_pearson(num(cp, "k"), num(cp, "n"), num(cp, "alpha"));
        close(lo, num(cp, "low"));
        close(hi, num(cp, "high"));
    }

    #[test]
    fn g2_by_hand() {
        // a = b = 0 on equal totals: nothing to see.
        assert_eq!(g2(0.0, 0.0, 100.0, 100.0), 0.0);
        // [[1, 0], [1, 2]]: N = 4, E = [[0.5, 0.5], [1.5, 1.5]];
        // G² = 2(1·ln(1/0.5) + 1·ln(1/1.5) + 2·ln(2/1.5)), the empty cell adding nothing.
        let by_hand = 2.0 * (2f64.ln() + (1.0f64 / 1.5).ln() + 2.0 * (2.0f64 / 1.5).ln());
        close(g2(1.0, 0.0, 2.0, 2.0), by_hand);
    }

    #[test]
    fn bh_matches_the_reference() {
        let file = reference();
        let values = |key: &str| -> Vec<f64> {
            file["bh"][key]
                .as_array()
                .expect(key)
                .iter()
                .map(|v| v.as_f64().expect(key))
                .collect()
        };
        let q = benjamini_hochberg(&values("p"));
        let want = values("q");
        assert_eq!(q.len(), want.len());
        for (x, y) in q.iter().zip(want) {
            close(*x, y);
        }
    }

    #[test]
    fn selected_quantiles_are_the_sorted_ones() {
        let mut rng = SplitMix64::new(7);
        for n in [1, 2, 3, 10, 9_999] {
            let values: Vec<f64> = (0..n)
                .map(|i| match i % 5 {
                    0 => 0.0,
                    1 => -0.0,
                    _ => (rng.next_u64() % 1000) as f64 / 7.0,
                })
                .collect();
            let mut sorted = values.clone();
            sorted.sort_by(f64::total_cmp);
            for q in [0.0, 0.025, 0.5, 0.975, 1.0] {
                let got = selected(&mut values.clone(), q);
                assert_eq!(
                    got.to_bits(),
                    quantile(&sorted, q).to_bits(),
                    "n {n}, q {q}"
                );
            }
        }
    }

    #[test]
    fn slope_and_quantile() {
        assert_eq!(
            slope(&[(2018.0, 1.0), (2021.0, 4.0), (2024.0, 7.0)]),
            Some(1.0)
        );
        assert_eq!(slope(&[(2018.0, 1.0)]), None);
        assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0], 0.5), 2.5);
        assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0, 5.0], 0.025), 1.1);
    }

    #[test]
    fn resamples_are_reproducible_and_draw_every_answer_count() {
        let a = Resamples::new(5, 200, 42);
        let b = Resamples::new(5, 200, 42);
        assert_eq!(a.weights, b.weights);
        // Each replicate draws 5 answers: its weights over the answers sum to 5.
        assert!((0..200).all(|r| (0..5)
            .map(|i| u32::from(a.weights[i * 200 + r]))
            .sum::<u32>()
            == 5));
        // A value held by every answer sums to 5 × value in every replicate.
        let all: Vec<(usize, f64)> = (0..5).map(|i| (i, 2.0)).collect();
        assert!(a.sums(&all).iter().all(|&s| s == 10.0));
        // One answer in five: on average drawn once per replicate.
        let one = a.sums(&[(3, 1.0)]);
        let mean = one.iter().sum::<f64>() / one.len() as f64;
        assert!((0.8..1.2).contains(&mean), "{mean}");
        assert_eq!(
            interval(vec![f64::NAN, 1.0, 2.0, 3.0], 0.5),
            Some((1.5, 2.5))
        );
        assert_eq!(interval(vec![f64::NAN], 0.95), None);
        // Every replicate 0 (a phrase never said): no interval, not [0, 0].
        assert_eq!(interval(vec![0.0; 99], 0.95), None);
    }

    #[test]
    fn the_generator_is_fixed() {
        // SplitMix64 from seed 0: first outputs as published with the algorithm.
        let mut r = SplitMix64::new(0);
        assert_eq!(r.next_u64(), 0xe220a8397b1dcdaf);
        assert_eq!(r.next_u64(), 0x6e789e6aa1b965f4);
        assert!((0..1000).all(|_| r.below(7) < 7));
    }
}
