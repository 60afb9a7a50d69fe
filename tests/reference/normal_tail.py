#!/usr/bin/env python3
"""Reference check of the `normal` regime of the answer-level test in its tail.

Written from the definition of the statistic and of the regime (docs/methods.md,
"The answer-level test and its regimes"), not from the Rust code. Python 3.11,
numpy and mpmath (tests/reference/requirements.txt).

The statistic
-------------
n pooled answers, k of them the target's; answer i has s_i word tokens and c_i
occurrences of the phrase; C = sum c_i, S = sum s_i, r = C/S. Over the splits
of the pool into a target of k answers, D = sum over the target of
d_i = c_i - r s_i, and p = P(|D| >= |d_obs|). Here D' = S*D = sum (S c_i - C s_i)
is an integer, so ties are exact.

What it does
------------
1. Generates --pools pools with a fixed seed (--seed), each of hundreds to
   thousands of answers a side (the smaller side 6% to 50% of the pool),
   answer sizes 20-400 word tokens from a log-normal with a long tail, and
   --phrases phrases each: in 10 to 200 answers (and in at least 10 expected
   answers of the smaller side, where the tool's rule picks `normal`), counts
   1-5 (all 1; geometric; or higher in long answers), the answers chosen
   uniformly or with weight s_i, s_i^2 or s_i^3 (concentrated in long answers).
   Some pools' target is their larger side.
2. For each phrase, a few observed targets: real k-subsets of the pool whose
   D is about 2.2, 2.9 and 3.5 standard deviations from 0 (mostly over-use,
   where the tail is long; some under-use).
3. The permutation p of each: --draws (200,000) uniformly random k-subsets of
   the pool per pool, shared by its phrases (each drawn as the k smallest of n
   uniform keys), p = x / R with x the splits at least as extreme; its
   standard error sqrt(p(1-p)/R).
4. The regime's p, from the answers' d_i (not from the tool's sums):
   var = k(n-k)/(n(n-1)) sum d_i^2 and the third moment
   (pi1 - 3 pi2 + 2 pi3) sum d_i^3, pi_j = k(k-1)..(k-j+1) / (n(n-1)..(n-j+1))
   the probability that j given answers are all in the target; skewness
   g = third / var^1.5; the continuity correction h = 0.5 exp(-2 pi^2 tau^2),
   tau^2 the permutation variance of r * (target tokens); and the two-sided
   tail of the Pearson type III distribution of mean 0, variance var and
   skewness g beyond |d_obs| - h: with a = 4/g^2, G ~ Gamma(a),
   X = sign(g) (G - a) sqrt(var/a), P(|X| >= t) from mpmath's regularized
   incomplete gamma at 50 digits (Kummer's series where mpmath gives up);
   the normal tail where |g| < 0.002. Also the plain normal p,
   erfc(|d_obs| / sqrt(2 var)), the regime before.

Checks (exit status 1 on any failure):
* the regime's p is never below the permutation p less 3 standard errors;
* with --check, the cases regenerated are those of the committed
  tests/reference/normal_tail_cases.json (every integer the same, every p to
  1e-9 relative): the Rust test hajek::tests::never_below_the_permutation_p
  reads that file, computes the tool's p from the sums it holds, and asserts
  both that it equals p_reference (to 1e-9) and the check above.

Usage:
  python3 tests/reference/normal_tail.py --check   # CI: regenerate and compare
  python3 tests/reference/normal_tail.py --write   # rewrite the cases file
Takes about 3 minutes on 2 cores (--workers 2).
"""

import argparse
import json
import math
import multiprocessing
import os
import sys

import mpmath
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, "normal_tail_cases.json")
SKEW_NORMAL_BELOW = 0.002
Z_TARGETS = [(2.2, 1), (2.9, 1), (3.5, 1), (2.2, -1)]


def make_pool(rng):
    """Answer sizes, the target's size, and whether it is the larger side."""
    small = int(rng.integers(150, 1200))
    frac = float(rng.uniform(0.06, 0.5))
    n = max(small + 200, int(round(small / frac)))
    n = min(n, 5000)
    s = np.clip(np.round(np.exp(rng.normal(4.4, 0.75, n))), 20, 400).astype(np.int64)
    larger = bool(rng.random() < 0.25)
    k = n - small if larger else small
    return s, k


def make_phrase(rng, s, k):
    n = len(s)
    small = min(k, n - k)
    m_min = max(10, math.ceil(10 * n / small))
    m = int(rng.integers(m_min, max(m_min, 200) + 1))
    alpha = float(rng.choice([0.0, 1.0, 2.0, 3.0]))
    w = s.astype(float) ** alpha
    idx = rng.choice(n, m, replace=False, p=w / w.sum())
    mode = int(rng.integers(0, 3))
    if mode == 0:
        cnt = np.ones(m, np.int64)
    elif mode == 1:
        cnt = np.minimum(rng.geometric(0.6, m), 5)
    else:
        cnt = np.minimum(1 + (s[idx] > 150) * rng.integers(0, 5, m), 5)
    c = np.zeros(n, np.int64)
    c[idx] = cnt
    return c


def observed_targets(rng, s, c, k, sd):
    """Real k-subsets whose D is about z standard deviations from 0."""
    n = len(s)
    S, C = int(s.sum()), int(c.sum())
    pos = np.flatnonzero(c)
    non = np.flatnonzero(c == 0)
    m = len(pos)
    j0 = int(round(m * k / n))
    out = []
    for z, sign in Z_TARGETS:
        j = j0
        found = None
        while 0 <= j <= min(m, k) and k - j <= len(non):
            chosen = np.concatenate(
                [rng.choice(pos, j, replace=False), rng.choice(non, k - j, replace=False)]
            )
            a, tt = int(c[chosen].sum()), int(s[chosen].sum())
            d = (S * a - C * tt) / S
            if sign * d >= z * sd:
                found = (a, tt, z, sign)
                break
            j += sign
        if found:
            out.append(found)
    return out


def splits(seed, n, k, draws, chunk=5000):
    """|D'| over `draws` random splits (the smaller side drawn)."""
    rng = np.random.default_rng(seed)
    side = min(k, n - k)
    for start in range(0, draws, chunk):
        b = min(chunk, draws - start)
        keys = rng.random((b, n))
        idx = np.argpartition(keys, side - 1, axis=1)[:, :side]
        ind = np.zeros((b, n))
        np.put_along_axis(ind, idx, 1.0, axis=1)
        yield ind


def moments(d, k):
    """Permutation variance and third moment of the sum of a k-sample of d."""
    n = len(d)

    def pi(j):
        v = 1.0
        for t in range(j):
            v *= (k - t) / (n - t)
        return v

    p2, p3 = float((d**2).sum()), float((d**3).sum())
    return (pi(1) - pi(2)) * p2, (pi(1) - 3 * pi(2) + 2 * pi(3)) * p3


def gamma_p(a, x):
    """P(a, x) by Kummer's series, x^a e^-x / Gamma(a+1) * 1F1(1; a+1; x) (A&S
    6.5.12), with room for the thousands of terms a shape near 10^6 needs."""
    return mpmath.exp(a * mpmath.log(x) - x - mpmath.loggamma(a + 1)) * mpmath.hyp1f1(
        1, a + 1, x, maxterms=10**7
    )


def pearson_two_sided(t, var, third):
    """P(|X| >= t), X Pearson type III of mean 0, variance var, third moment third."""
    mpmath.mp.dps = 50
    sd = math.sqrt(var)
    z = max(t, 0.0) / sd
    g = third / var**1.5
    if abs(g) < SKEW_NORMAL_BELOW:
        return math.erfc(z / math.sqrt(2))
    a = mpmath.mpf(4) / mpmath.mpf(g) ** 2
    up_x = a + z * mpmath.sqrt(a)
    lo_x = a - z * mpmath.sqrt(a)
    try:
        up = mpmath.gammainc(a, up_x, mpmath.inf, regularized=True)
        lo = mpmath.gammainc(a, 0, lo_x, regularized=True) if lo_x > 0 else 0
    except mpmath.libmp.NoConvergence:
        # mpmath's own series gives up for some shapes near 10^6; 50 digits
        # leave 1 - P exact to far below any p that matters.
        up = 1 - gamma_p(a, up_x)
        lo = gamma_p(a, lo_x) if lo_x > 0 else 0
    return float(min(up + lo, 1))


def regime_p(s, c, k, a_obs, tt_obs):
    n = len(s)
    S, C = int(s.sum()), int(c.sum())
    r = C / S
    d = c - r * s
    var, third = moments(d, k)
    d_obs = a_obs - r * tt_obs
    tau2 = r * r * (k * (n - k) / (n * (n - 1))) * float(((s - s.mean()) ** 2).sum())
    h = 0.5 * math.exp(-2 * math.pi**2 * tau2)
    p_new = pearson_two_sided(abs(d_obs) - h, var, third)
    p_old = math.erfc(abs(d_obs) / math.sqrt(2 * var))
    return p_new, p_old, var, third, d_obs, h


def run_pool(args):
    seed, pool_i, phrases, draws = args
    rng = np.random.default_rng([seed, pool_i])
    s, k = make_pool(rng)
    n = len(s)
    S = int(s.sum())
    cs = [make_phrase(rng, s, k) for _ in range(phrases)]
    targets = []
    for c in cs:
        var, _ = moments(c - c.sum() / S * s, k)
        targets.append(observed_targets(rng, s, c, k, math.sqrt(var)))
    # D' = S c_i - C s_i, integers: every product and sum below 2^53 is exact
    # in float64, whatever order the matrix product adds them in.
    dmat = np.stack([S * c - int(c.sum()) * s for c in cs], axis=1).astype(np.float64)
    assert np.abs(dmat).sum(0).max() < 2**53
    thresholds = [
        [abs(S * a - int(c.sum()) * tt) for (a, tt, _, _) in tg] for c, tg in zip(cs, targets)
    ]
    exceed = [[0] * len(t) for t in thresholds]
    for ind in splits([seed, pool_i, 1], n, k, draws):
        dd = np.abs(ind @ dmat)
        for p, ts in enumerate(thresholds):
            for i, t in enumerate(ts):
                exceed[p][i] += int((dd[:, p] >= t).sum())
    cases = []
    for p, (c, tg) in enumerate(zip(cs, targets)):
        pos = c > 0
        for i, (a, tt, z, sign) in enumerate(tg):
            p_new, p_old, var, third, d_obs, h = regime_p(s, c, k, a, tt)
            x = exceed[p][i]
            p_perm = x / draws
            cases.append(
                {
                    "id": f"pool{pool_i}/phrase{p}/{'+' if sign > 0 else '-'}{z}",
                    "n": n,
                    "k": k,
                    "tokens": S,
                    "target_tokens": tt,
                    "tokens_sq": int((s**2).sum()),
                    "tokens_cube": int((s**3).sum()),
                    "count": int(c.sum()),
                    "target": a,
                    "answers": int(pos.sum()),
                    "sq": int((c**2).sum()),
                    "cross": int((c * s).sum()),
                    "cube": int((c**3).sum()),
                    "sq_tokens": int((c**2 * s).sum()),
                    "cross_tokens": int((c * s**2).sum()),
                    "expected": round(int(pos.sum()) * min(k, n - k) / n, 3),
                    "skewness": round(third / var**1.5, 6),
                    "z": round(abs(d_obs) / math.sqrt(var), 6),
                    "continuity": round(h, 6),
                    "draws": draws,
                    "extreme": x,
                    "p_permutation": p_perm,
                    "se": math.sqrt(p_perm * (1 - p_perm) / draws),
                    "p_reference": p_new,
                    "p_normal": p_old,
                }
            )
    return cases


def generate(seed, pools, phrases, draws, workers):
    jobs = [(seed, i, phrases, draws) for i in range(pools)]
    if workers > 1:
        with multiprocessing.Pool(workers) as pool:
            parts = pool.map(run_pool, jobs)
    else:
        parts = [run_pool(j) for j in jobs]
    return [c for part in parts for c in part]


def summary(cases):
    lines = []
    for name, key in [("normal (before)", "p_normal"), ("Pearson III (now)", "p_reference")]:
        ratios = sorted(c[key] / c["p_permutation"] for c in cases if c["extreme"] > 0)
        beyond = [c for c in cases if c[key] < c["p_permutation"] - 3 * c["se"]]
        low = min(
            (c for c in cases if c["extreme"] > 0), key=lambda c: c[key] / c["p_permutation"]
        )
        lines.append(
            f"{name}: p / permutation p median {ratios[len(ratios) // 2]:.3f}, "
            f"smallest {ratios[0]:.3f} ({low['id']}: {low[key]:.3g} vs "
            f"{low['p_permutation']:.3g} ± {low['se']:.2g}), largest {ratios[-1]:.3f}; "
            f"below the permutation p by more than 3 SE: {len(beyond)} of {len(cases)}"
        )
    for lo, hi in [(1e-4, 1e-3), (1e-3, 1e-2), (1e-2, 0.06)]:
        sel = [c for c in cases if lo <= c["p_permutation"] < hi and c["extreme"] > 0]
        if sel:
            ro = sorted(c["p_normal"] / c["p_permutation"] for c in sel)
            rn = sorted(c["p_reference"] / c["p_permutation"] for c in sel)
            lines.append(
                f"  permutation p in [{lo:g}, {hi:g}): {len(sel)} cases; normal median "
                f"{ro[len(ro) // 2]:.3f} (smallest {ro[0]:.3f}), Pearson III median "
                f"{rn[len(rn) // 2]:.3f} (smallest {rn[0]:.3f})"
            )
    return "\n".join(lines)


def same(a, b):
    if set(a) != set(b):
        return False
    for key, va in a.items():
        vb = b[key]
        if isinstance(va, float) or isinstance(vb, float):
            if abs(va - vb) > 1e-9 * max(abs(va), abs(vb), 1e-300):
                return False
        elif va != vb:
            return False
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", action="store_true", help="regenerate and compare with the file")
    mode.add_argument("--write", action="store_true", help="rewrite the cases file")
    ap.add_argument("--seed", type=int, default=20261207)
    ap.add_argument("--pools", type=int, default=12)
    ap.add_argument("--phrases", type=int, default=8)
    ap.add_argument("--draws", type=int, default=200_000)
    ap.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--file", default=CASES)
    args = ap.parse_args()
    cases = generate(args.seed, args.pools, args.phrases, args.draws, args.workers)
    print(summary(cases))
    failed = False
    liberal = [c for c in cases if c["p_reference"] < c["p_permutation"] - 3 * c["se"]]
    for c in liberal:
        print(f"LIBERAL {c['id']}: {c['p_reference']:.4g} < {c['p_permutation']:.4g} - 3 x {c['se']:.2g}")
        failed = True
    doc = {
        "about": "tests/reference/normal_tail.py: generated pools, the permutation p of "
        "random splits, and the normal regime's p (p_reference); read by the Rust test "
        "shifts::answer_level::hajek::tests::never_below_the_permutation_p",
        "seed": args.seed,
        "pools": args.pools,
        "phrases": args.phrases,
        "cases": cases,
    }
    if args.write:
        head = {key: v for key, v in doc.items() if key != "cases"}
        with open(args.file, "w") as f:
            # One case a line: small diffs, and a file a reader can grep.
            f.write(json.dumps(head)[:-1] + ',\n"cases": [\n')
            f.write(",\n".join(json.dumps(c) for c in cases))
            f.write("\n]}\n")
        print(f"wrote {len(cases)} cases to {args.file}")
    else:
        with open(args.file) as f:
            old = json.load(f)
        meta = all(old.get(key) == doc[key] for key in ("seed", "pools", "phrases"))
        drift = [
            n["id"] for o, n in zip(old["cases"], cases) if not same(o, n)
        ] + (["(number of cases)"] if len(old["cases"]) != len(cases) else [])
        if not meta or drift:
            print(f"DRIFT from {args.file}: {drift[:10] if meta else 'seed, pools or phrases'}")
            failed = True
        else:
            print(f"{len(cases)} cases, the same as {args.file}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
