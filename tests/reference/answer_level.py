#!/usr/bin/env python3
"""Independent check of the answer-level test behind keyness.csv's `p_perm`.

Written from the definition of the statistic alone (not from the Rust code in
src/shifts/answer_level/). Python 3.11, numpy and mpmath
(tests/reference/requirements.txt).

The statistic
-------------
The answers of a target (year, topic) and of its reference are pooled: n
answers, k of them the target's. Answer i has s_i word tokens and c_i
occurrences of the phrase; C = sum c_i, S = sum s_i, r = C/S and

    D = a - r * n_a  =  sum over the target's answers of d_i,  d_i = c_i - r s_i.

Everything below works with the integer D' = S * D = sum (S c_i - C s_i), so
that ties (which count as extreme) are exact. Under the null the target is a
uniformly random k-subset of the n answers; p = P(|D| >= |d_obs|). Since
sum d_i = 0, the complement has -D, so the smaller side k' = min(k, n-k) is
enumerated or drawn.

Computed for each row:
  exact        every k'-subset, where C(n, k') <= --exact-max (default 10**6)
  monte carlo  --draws (99,999) random k'-subsets, shared by all rows of one
               pool, seeded from --seed and the pool's name; p = x / R. A
               subset is drawn as its composition (multivariate
               hypergeometric over the pool's distinct answers), which is
               fast where the copied corpora repeat answers
  normal       the two-sided tail beyond |d_obs| - h of a Pearson type III
               distribution of D's exact permutation variance
               Var = k(n-k)/(n(n-1)) sum d_i^2 and skewness (third moment
               k(n-k)(n-2k)/(n(n-1)(n-2)) sum d_i^3), h = 0.5 exp(-2 pi^2
               tau^2) a continuity correction, tau^2 the permutation variance
               of r * (the target's tokens); computed by normal_tail.py's
               pearson_two_sided (mpmath's incomplete gamma). Before issue 27
               (item 6) it was erfc(|d_obs| / sqrt(2 Var))
  conditional  j ~ Hypergeometric(n, m, k') positives on the smaller side;
               (A, mean S_J) over the j-subsets of the m positives by an exact
               dynamic programme; tokens of the k'-j others ~ normal with the
               finite-population mean and variance, plus j sP^2 (m-j)/(m-1)
  token        G^2 = 2 sum O ln(O/E) over [[a, b], [n_a-a, n_b-b]],
               p = erfc(sqrt(G^2 / 2))

Checks of keyness.csv
---------------------
The rule's settings are read from --analysis (default data/analysis.toml):
permutations, normal_min_answers, normal_min_expected, permutation_stop and
[comparison] exclude_genres.
* the pool: a, b, n_a, n_b, answers_a, answers_b recomputed from
  answer_sizes.csv and answer_counts.csv;
* the regime: exact if C(n,k) <= permutations (9,999); else monte carlo if
  k' < normal_min_answers (30); else normal if m k'/n >= normal_min_expected
  (10); else conditional;
* p (token), and p_perm = max(answer-level p, token p) where `test` is exact,
  normal or conditional: to 1e-6 relative plus the rounding of the printed
  value. A difference below 1e-15 absolute is a "deep tail" difference,
  listed but not failed (--strict fails it): the tool's conditional p leaves
  out the hypergeometric terms P(j) below about 1e-18, which the reference
  keeps;
* where `test` is monte carlo: the two-sided probability of the printed
  p_perm under the tool's procedure (up to `permutations` draws, stopping at
  the permutation_stop-th extreme one: p = stop/draws, else (x+1)/(N+1)),
  computed exactly (binomial) for a true p drawn from the Beta posterior of
  our own --draws splits; a row fails below 1e-6;
* n_perm: C(n,k) where exact, empty where normal or conditional, N where the
  Monte Carlo draws did not stop early; where they did (p_perm = stop/draws),
  whether n_perm is those draws is a note, not a failure;
* p_perm is never below p (to the printed rounding).
The exit status is 1 if any of these disagree, else 0.

Accuracy of the approximations
------------------------------
Against the reference (exact where C(n,k') <= --exact-max, else the
99,999-split Monte Carlo), among rows whose reference p is near 0.05
(0.02-0.1) and near 0.001 (0.0003-0.003), by the expected number of the
phrase's answers on the smaller side, e = m k'/n. Two sets of points:
  observed     the row's own |d_obs|;
  calibrated   the thresholds t at which the reference tail P(|D| >= t) is
               about 0.05 and 0.001 (from the same draws), so every sampled
               row contributes one point near each level whatever its own p.
Tables by e, for k' >= 30 (where the rule picks normal or conditional) and
k' < 30 (monte carlo), each also for pools of at least 30 distinct answer
sizes: a copied corpus repeats every seed answer, so most of its topic pools
hold a handful of distinct answers and a lattice-like permutation
distribution, which no continuous approximation follows. conditional-cv is
not the tool's: the conditional approximation with Var(S_J | j, A) from the
dynamic programme in place of j sP^2 (m-j)/(m-1).
The Monte Carlo reference itself has relative standard error
sqrt((1-p)/(p R)), about 10% at p = 0.001 with R = 99,999: a relative
disagreement counts as beyond 10% only where it exceeds 10% by more than two
standard errors ("significantly > 10%").

Usage
-----
    python3 tests/reference/answer_level.py TABLES_DIR [--rows 300] [--seed 1]
        [--draws 99999] [--exact-max 1000000] [--check-all] [--self-test]
        [--tests normal,conditional] [--min-e E] [--analysis analysis.toml]
        [--row YEAR,TOPIC,REFERENCE,KIND,PHRASE ...] [--csv OUT.csv]
        [--points-csv POINTS.csv] [--log MISMATCHES.txt]

TABLES_DIR holds answer_sizes.csv, answer_counts.csv, keyness.csv and
coverage.csv (a run's tables/ folder, written with --tokens). Without --row,
up to --rows tested rows are drawn, stratified by `test`, by p_perm and by e
(--tests and --min-e narrow the draw). --check-all checks every tested row of
keyness.csv (Monte Carlo rows against --draws splits per pool). --self-test
also draws --draws splits where the reference enumerates, and compares.
--csv writes one line per sampled row, --points-csv one per accuracy point,
--log every mismatch, deep-tail and n_perm line. See answer_level.md.
"""
import argparse
import collections
import csv
import hashlib
import math
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from normal_tail import pearson_two_sided  # noqa: E402

# The rule's settings, as in data/analysis.toml ([keyness]); main() reads them from --analysis.
RULE_EXACT = 9_999  # permutations: every split is enumerated where C(n, k) <= this
RULE_MC_SIDE = 30  # normal_min_answers: monte carlo where the smaller side k' < this
RULE_NORMAL_E = 10.0  # normal_min_expected: normal where e = m k'/n >= this, else conditional
MC_STOP = 20  # permutation_stop: the tool's draws stop at this many extreme splits
EXCLUDE_GENRES = {"summary"}  # [comparison] exclude_genres
DEEP_TAIL = 1e-15  # below this absolute difference a p_perm mismatch is reported, not failed (see --strict)
DISTINCT = 30  # the accuracy tables show pools of at least this many distinct answer sizes apart
MC_FAIL = 1e-6  # a monte carlo p_perm fails where its two-sided probability under the tool's draws is below this
P_RANGES = {"0.05": (0.02, 0.1), "0.001": (0.0003, 0.003)}
E_BINS = [("<2", 0, 2), ("2-5", 2, 5), ("5-10", 5, 10), ("10-20", 10, 20), (">20", 20, math.inf)]
FINE_BINS = [("<5", 0, 5), ("5-10", 5, 10), ("10-20", 10, 20), ("20-50", 20, 50), ("50-100", 50, 100), (">100", 100, math.inf)]
STRAT_BINS = E_BINS[:-1] + FINE_BINS[3:]
SQRT2 = math.sqrt(2.0)
# conditional-cv: not the tool's; the conditional approximation with Var(S_J | j, A) in place of
# j sP^2 (m-j)/(m-1), to see whether it mends the conditional approximation where m/n is large
APPROX = ("normal", "conditional", "conditional-cv")


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        yield from csv.DictReader(f)


def ebin(e):
    for name, lo, hi in E_BINS:
        if lo <= e < hi:
            return name
    return E_BINS[-1][0]


# ---------------------------------------------------------------- token level
def g2_abs(a, b, na, nb):
    n = na + nb
    f = a + b
    cells = [(a, na * f / n), (b, nb * f / n), (na - a, na * (n - f) / n), (nb - b, nb * (n - f) / n)]
    return max(0.0, 2 * sum(o * math.log(o / e) for o, e in cells if o > 0))


def p_token(a, b, na, nb):
    return math.erfc(math.sqrt(g2_abs(a, b, na, nb) / 2))


# --------------------------------------------------------------- the tables
class Corpus:
    def __init__(self, tables):
        self.tables = tables
        # sizes[topic][year] = list of (id, n_tokens)
        self.sizes = collections.defaultdict(lambda: collections.defaultdict(list))
        for r in read_csv(os.path.join(tables, "answer_sizes.csv")):
            self.sizes[r["topic"]][int(r["year"])].append((r["id"], int(r["n_tokens"])))
        # A year's genres: those of its transcripts; a year is excluded from
        # comparisons when all of them are in exclude_genres (summary).
        genres = collections.defaultdict(set)
        for r in read_csv(os.path.join(tables, "coverage.csv")):
            if r.get("genre"):
                genres[int(r["year"])].add(r["genre"])
        self.genres = dict(genres)
        self.counts = {}
        self._pools = {}

    def comparable(self, year):
        g = self.genres.get(year, set())
        return not (g and g <= EXCLUDE_GENRES)

    def load_counts(self, keys):
        """Per-answer counts of the (topic, kind, phrase) in keys: {id: n}."""
        want = set(keys) - set(self.counts)
        for k in want:
            self.counts[k] = {}
        if not want:
            return
        for r in read_csv(os.path.join(self.tables, "answer_counts.csv")):
            key = (r["topic"], r["kind"], r["phrase"])
            if key in want:
                self.counts[key][r["id"]] = self.counts[key].get(r["id"], 0) + int(r["n"])

    def pool(self, year, topic, reference):
        """(ids, s, k): the target's answers first. None where no pool."""
        key = (year, topic, reference)
        if key in self._pools:
            return self._pools[key]
        by_year = self.sizes.get(topic, {})
        years = sorted(y for y in by_year if self.comparable(y))
        if year not in years:
            res = None
        else:
            if reference == "rest":
                others = [y for y in years if y != year]
            elif reference == "previous":
                earlier = [y for y in years if y < year]
                others = earlier[-1:]
            else:
                raise ValueError(reference)
            target = by_year[year]
            rest = [x for y in others for x in by_year[y]]
            if not rest:
                res = None
            else:
                both = target + rest
                res = ([i for i, _ in both], np.array([s for _, s in both], dtype=np.int64), len(target))
        self._pools[key] = res
        return res


# ----------------------------------------------------------------- one row
class Row:
    """The pooled data of one keyness row and its p-values."""

    def __init__(self, key, krow, ids, s, k, cmap):
        self.key = key  # (year, topic, reference, kind, phrase)
        self.krow = krow
        self.s = s
        self.c = np.array([cmap.get(i, 0) for i in ids], dtype=np.int64)
        self.n = len(ids)
        self.k = k
        self.kp = min(k, self.n - k)
        self.C = int(self.c.sum())
        self.S = int(self.s.sum())
        self.a = int(self.c[:k].sum())
        self.na = int(self.s[:k].sum())
        self.b = self.C - self.a
        self.nb = self.S - self.na
        self.m = int((self.c > 0).sum())
        self.ans_a = int((self.c[:k] > 0).sum())
        self.ans_b = self.m - self.ans_a
        self.e = self.m * self.kp / self.n
        self.comb = math.comb(self.n, self.k)
        # distinct answer sizes in the pool: about the number of distinct answers (a copied corpus repeats each
        # seed answer, and a pool of few distinct answers has a lattice-like permutation distribution)
        self.distinct = len(np.unique(s))
        # D' = S*D per answer; exact integers
        self.dp = self.S * self.c - self.C * self.s
        self.t = abs(int(self.dp[:k].sum()))  # |D'_obs|
        self.p = {}

    def regime(self):
        if self.comb <= RULE_EXACT:
            return "exact"
        if self.kp < RULE_MC_SIDE:
            return "monte carlo"
        if self.e >= RULE_NORMAL_E:
            return "normal"
        return "conditional"

    # normal ----------------------------------------------------------------
    def normal_tail(self, t):
        """The normal regime's p at |D'| = t (D' = S*D): the Pearson type III
        tail of D's exact variance and skewness beyond t less the continuity
        correction (normal_tail.py)."""
        n, k = self.n, self.k
        dp = self.dp.astype(np.float64)
        var = k * (n - k) / (n * (n - 1)) * float(np.sum(dp**2))
        if var <= 0:
            return 1.0 if t <= 0 else 0.0
        third = k * (n - k) * (n - 2 * k) / (n * (n - 1) * (n - 2)) * float(np.sum(dp**3)) if n > 2 else 0.0
        r = self.C / self.S
        sizes = self.s.astype(np.float64)
        tau2 = r * r * k * (n - k) / (n * (n - 1)) * float(np.sum((sizes - sizes.mean()) ** 2))
        h = self.S * 0.5 * math.exp(-2 * math.pi**2 * tau2)
        return pearson_two_sided(t - h, var, third)

    # conditional -----------------------------------------------------------
    def _cond_prep(self):
        if hasattr(self, "_cp"):
            return self._cp
        n, kp = self.n, self.kp
        pos = self.c > 0
        cpos, spos = self.c[pos], self.s[pos].astype(np.float64)
        s0 = self.s[~pos].astype(np.float64)
        m, n0 = len(cpos), len(s0)
        J = min(m, kp)
        Cm = int(cpos.sum())
        # Uniform j-subsets of the positives: P[j, A] and W[j, A] = P * E[S_J | j, A],
        # built item by item: P_i(j) = (i-j)/i P_{i-1}(j) + j/i shift(P_{i-1}(j-1)).
        # Q[j, A] = P * E[S_J^2 | j, A], for the variant with the conditional variance.
        P = np.zeros((J + 1, Cm + 1))
        W = np.zeros((J + 1, Cm + 1))
        Q = np.zeros((J + 1, Cm + 1))
        P[0, 0] = 1.0
        jj = np.arange(J + 1, dtype=np.float64)[:, None]
        for i in range(1, m + 1):
            ci, si = int(cpos[i - 1]), spos[i - 1]
            keep = np.clip((i - jj) / i, 0, None)
            add = jj / i
            sp = np.zeros_like(P)
            sw = np.zeros_like(W)
            sq = np.zeros_like(Q)
            sp[1:, ci:] = P[:-1, : Cm + 1 - ci]
            sw[1:, ci:] = W[:-1, : Cm + 1 - ci] + si * P[:-1, : Cm + 1 - ci]
            sq[1:, ci:] = Q[:-1, : Cm + 1 - ci] + 2 * si * W[:-1, : Cm + 1 - ci] + si * si * P[:-1, : Cm + 1 - ci]
            P = keep * P + add * sp
            W = keep * W + add * sw
            Q = keep * Q + add * sq
        # Hypergeometric P(j)
        lc = lambda a, b: math.lgamma(a + 1) - math.lgamma(b + 1) - math.lgamma(a - b + 1)
        lo, hi = max(0, kp - n0), min(m, kp)
        pj = np.zeros(J + 1)
        for j in range(lo, hi + 1):
            pj[j] = math.exp(lc(m, j) + lc(n0, kp - j) - lc(n, kp))
        mu0 = float(s0.mean()) if n0 else 0.0
        var0 = float(s0.var()) if n0 else 0.0  # population variance
        varP = float(spos.var()) if m else 0.0
        cells = []  # (weight, mean of X', sd of X') over (j, A)
        for j in range(lo, hi + 1):
            if pj[j] <= 0:
                continue
            row = P[j]
            nz = np.nonzero(row > 0)[0]
            o = kp - j
            v = 0.0
            if n0 > 1:
                v += o * var0 * (n0 - o) / (n0 - 1)
            vp = j * varP * (m - j) / (m - 1) if m > 1 else 0.0
            sbar = W[j, nz] / row[nz]
            # variant: Var(S_J | j, A) from the DP instead of the unconditional j sP^2 (m-j)/(m-1)
            vcond = np.clip(Q[j, nz] / row[nz] - sbar ** 2, 0, None)
            mu = self.S * nz - self.C * (sbar + o * mu0)
            sd = self.C * math.sqrt(max(v + vp, 0.0))
            cells.append((pj[j] * row[nz], mu, np.full(len(nz), sd), self.C * np.sqrt(v + vcond)))
        w = np.concatenate([x[0] for x in cells])
        mu = np.concatenate([x[1] for x in cells])
        sd = np.concatenate([x[2] for x in cells])
        sdv = np.concatenate([x[3] for x in cells])
        self._cp = (w, mu, sd, sdv)
        return self._cp

    def conditional_tail(self, t, variant=False):
        w, mu, sd, sdv = self._cond_prep()
        if variant:
            sd = sdv
        tol = 1e-9 * max(1.0, t)
        out = np.zeros_like(mu)
        z = sd > 0
        if z.any():
            # P(X >= t) + P(X <= -t), X ~ N(mu, sd)
            hi = (t - mu[z]) / (sd[z] * SQRT2)
            lo = (t + mu[z]) / (sd[z] * SQRT2)
            out[z] = 0.5 * (_erfc(hi) + _erfc(lo))
        out[~z] = (np.abs(mu[~z]) >= t - tol).astype(np.float64)
        return float(min(1.0, np.sum(w * out) / np.sum(w)))

    def cond_cost(self):
        return self.m * (min(self.m, self.kp) + 1) * (self.C + 1)


_erfc_v = np.frompyfunc(math.erfc, 1, 1)


def _erfc(x):
    return _erfc_v(x).astype(np.float64)


# -------------------------------------------------------- subsets of a pool
def pool_seed(seed, key):
    h = hashlib.sha256(("|".join(map(str, key))).encode()).digest()
    return [seed, int.from_bytes(h[:8], "little")]


def subset_sums(n, kp, Cmat, s, chunks):
    """For each chunk of index arrays (B x kp): A (B x P) and S_sub (B)."""
    for idx in chunks:
        if kp * Cmat.shape[1] <= 4 * n:
            A = Cmat[idx].sum(axis=1)
        else:
            M = np.zeros((idx.shape[0], n), dtype=np.float64)
            np.put_along_axis(M, idx, 1.0, axis=1)
            A = np.rint(M @ Cmat.astype(np.float64)).astype(np.int64)
        yield A, s[idx].sum(axis=1)


def random_draws(rng, rows, R, B=20000):
    """|D'| for R uniformly random k'-subsets, as their composition: answers
    with the same tokens and the same counts of every phrase of the pool are
    one type, and the numbers drawn of each type are multivariate
    hypergeometric (numpy's `count` method), the law of a random subset's
    composition. Yields (B x P) arrays."""
    r0 = rows[0]
    Cmat = np.stack([r.c for r in rows], axis=1)
    key = np.concatenate([r0.s[:, None], Cmat], axis=1)
    types, mult = np.unique(key, axis=0, return_counts=True)
    st = types[:, 0].astype(np.float64)
    Ct = types[:, 1:].astype(np.float64)
    Cs = np.array([r.C for r in rows], dtype=np.int64)
    Ss = np.array([r.S for r in rows], dtype=np.int64)
    done = 0
    while done < R:
        b = min(B, R - done)
        X = rng.multivariate_hypergeometric(mult, r0.kp, size=b, method="count").astype(np.float64)
        A = np.rint(X @ Ct).astype(np.int64)
        Ssub = np.rint(X @ st).astype(np.int64)
        yield np.abs(Ss[None, :] * A - Cs[None, :] * Ssub[:, None])
        done += b


def exact_chunks(n, kp, B=20000):
    import itertools

    it = itertools.combinations(range(n), kp)
    while True:
        flat = np.fromiter(itertools.chain.from_iterable(itertools.islice(it, B)), dtype=np.int64)
        if flat.size == 0:
            return
        yield flat.reshape(-1, kp)


def pool_distribution(rows, chunks):
    """|D'| of every subset for every row of one pool: array (R x P)."""
    r0 = rows[0]
    Cmat = np.stack([r.c for r in rows], axis=1)
    Cs = np.array([r.C for r in rows], dtype=np.int64)
    Ss = np.array([r.S for r in rows], dtype=np.int64)
    out = []
    for A, Ssub in subset_sums(r0.n, r0.kp, Cmat, r0.s, chunks):
        out.append(np.abs(Ss[None, :] * A - Cs[None, :] * Ssub[:, None]))
    return np.concatenate(out, axis=0)


def tail_from(sorted_abs, t):
    """Share of sorted (ascending) |D'| values >= t."""
    R = len(sorted_abs)
    return (R - np.searchsorted(sorted_abs, t, side="left")) / R


# ----------------------------------------------------------- row selection
def tested_rows(keyness_path):
    for r in read_csv(keyness_path):
        if r.get("test"):
            yield r


def pbin(p):
    p = float(p)
    for name, hi in (("<3e-4", 3e-4), ("3e-4..3e-3", 3e-3), ("3e-3..0.02", 0.02), ("0.02..0.1", 0.1), ("0.1..1", 1.0)):
        if p < hi:
            return name
    return "1"


def select_rows(corpus, krows, nrows, seed):
    """Stratified by test, p_perm and expected count; the p-ranges of interest weigh thrice."""
    rng = np.random.default_rng(seed)
    cells = collections.defaultdict(list)
    for r in krows:
        pl = corpus.pool(int(r["year"]), r["topic"], r["reference"])
        if pl is None:
            continue
        n, k = len(pl[0]), pl[2]
        m = int(r["answers_a"] or 0) + int(r["answers_b"] or 0)
        e = m * min(k, n - k) / n
        sb = next(b[0] for b in STRAT_BINS if b[1] <= e < b[2])
        cells[(r["test"], pbin(r["p_perm"]), sb)].append(r)
    weight = {"3e-4..3e-3": 3, "0.02..0.1": 3, "1": 0.25}
    order = {c: list(rng.permutation(len(v))) for c, v in cells.items()}
    chosen, credit = [], {c: 0.0 for c in cells}
    while len(chosen) < nrows and any(order.values()):
        for c in sorted(cells):
            credit[c] += weight.get(c[1], 1)
            while credit[c] >= 1 and order[c] and len(chosen) < nrows:
                credit[c] -= 1
                chosen.append(cells[c][order[c].pop()])
    return chosen


# -------------------------------------------------------------- the checks
def printed_tol(text, expected):
    """1e-6 relative plus the rounding of the printed value: keyness.csv prints
    6 decimals (0.000395) or, below 1e-4, 6 significant digits (2.99448e-5)."""
    tol = 1e-6 * abs(expected)
    t = text.strip().lower()
    if "e" in t:
        mant, exp = t.split("e")
        dec = len(mant.split(".")[1]) if "." in mant else 0
        tol += 0.5 * 10 ** (int(exp) - max(dec, 5))
    else:
        tol += 0.5e-6
    return tol + 1e-300


def binom_cdf(c, d, p):
    """P(Binomial(d, p) <= c) for a vector p, c small (a sum of c + 1 terms)."""
    p = np.asarray(p, dtype=np.float64)
    if c < 0:
        return np.zeros_like(p)
    if c >= d:
        return np.ones_like(p)
    x = np.arange(c + 1, dtype=np.float64)[:, None]
    lg = np.array([math.lgamma(d + 1) - math.lgamma(v + 1) - math.lgamma(d - v + 1) for v in range(c + 1)])[:, None]
    with np.errstate(divide="ignore"):
        lp, lq = np.log(p)[None, :], np.log1p(-p)[None, :]
    terms = np.where(x == 0, 0.0, x * lp) + (d - x) * lq + lg
    return np.clip(np.exp(terms).sum(axis=0), 0.0, 1.0)


def tool_phat_cdf(v, p, N, stop, strict=False):
    """P(phat <= v) (or < v where strict) for the tool's sequential estimate of
    a true p (vector): up to N draws, stopping at the stop-th extreme one,
    phat = stop / draws; else phat = (x + 1) / (N + 1), x < stop the extremes.
    The values (x+1)/(N+1) <= stop/(N+1) lie below every stop/D, D <= N."""
    eps = 1e-9
    if v >= stop / N - eps * (not strict) + eps * strict:
        # phat <= v: not stopped, or stopped at D >= stop / v: fewer than stop extremes in the first Dmin - 1 draws
        dmin = math.floor(stop / v + eps) + 1 if strict else math.ceil(stop / v - eps)
        dmin = max(dmin, stop)
        return binom_cdf(stop - 1, min(dmin - 1, N), p)
    # only not-stopped runs: x <= xcap
    xcap = (math.ceil(v * (N + 1) - eps) - 2) if strict else (math.floor(v * (N + 1) + eps) - 1)
    return binom_cdf(min(xcap, stop - 1), N, p)


def tool_mc_tail(x_ref, R, tok, obs, tol, rng, N=9_999, stop=MC_STOP, sims=4000):
    """How unusual is the tool's Monte Carlo p_perm?

    The tool draws up to N splits and stops at the `stop`-th extreme one
    (p = stop / draws), else p = (x + 1) / (N + 1); p_perm = max(p, token p).
    The true p is drawn from the Jeffreys (Beta) posterior of our own x_ref
    extreme splits of R; the law of the tool's p given the true p is exact
    (binomial). Returns the two-sided tail probability of the printed p_perm."""
    pt = np.clip(rng.beta(x_ref + 0.5, R - x_ref + 0.5, size=sims), 1e-300, 1 - 1e-16)
    # P(max(phat, tok) <= obs + tol) and P(max(phat, tok) >= obs - tol)
    lo = float(np.mean(tool_phat_cdf(obs + tol, pt, N, stop))) if tok <= obs + tol else 0.0
    hi = 1.0 if tok >= obs - tol else float(np.mean(1.0 - tool_phat_cdf(obs - tol, pt, N, stop, strict=True)))
    return min(1.0, 2 * min(lo, hi))


def compute(corpus, krows, args, log):
    keys = {(r["topic"], r["kind"], r["phrase"]) for r in krows}
    corpus.load_counts(keys)
    rows = []
    for r in krows:
        year = int(r["year"])
        pl = corpus.pool(year, r["topic"], r["reference"])
        key = (year, r["topic"], r["reference"], r["kind"], r["phrase"])
        if pl is None:
            log.append(f"no pool for {key}")
            continue
        ids, s, k = pl
        rows.append(Row(key, r, ids, s, k, corpus.counts[(r["topic"], r["kind"], r["phrase"])]))
    return rows


def run_reference(rows, args):
    """Exact or Monte Carlo |D'| distributions, pool by pool."""
    by_pool = collections.defaultdict(list)
    for row in rows:
        by_pool[row.key[:3]].append(row)
    for pkey, prow in by_pool.items():
        r0 = prow[0]
        if r0.kp == 0:
            continue
        exact = math.comb(r0.n, r0.kp) <= args.exact_max
        if exact:
            dist = pool_distribution(prow, exact_chunks(r0.n, r0.kp))
        else:
            rng = np.random.default_rng(pool_seed(args.seed, pkey))
            dist = np.concatenate(list(random_draws(rng, prow, args.draws)), axis=0)
        for j, row in enumerate(prow):
            col = np.sort(dist[:, j])
            row.ref_kind = "exact" if exact else "mc"
            row.ref_R = len(col)
            row.ref_sorted = col
            p = tail_from(col, row.t)
            row.p["exact" if exact else "mc"] = float(p)
            row.p["ref"] = float(p)
        if exact and args.self_test:
            # the composition draw against the enumeration, on the same rows
            rng = np.random.default_rng(pool_seed(args.seed + 1, pkey))
            x = mc_extremes(rng, prow, args.draws)
            for j, row in enumerate(prow):
                row.p["selftest_mc"] = x[j] / args.draws


def mc_extremes(rng, rows, R, P=256):
    """Number of R random k'-subsets with |D'| >= |D'_obs|, per row of one
    pool (rows in chunks of P)."""
    out = np.zeros(len(rows), dtype=np.int64)
    for i in range(0, len(rows), P):
        part = rows[i:i + P]
        ts = np.array([r.t for r in part], dtype=np.int64)
        for absd in random_draws(rng, part, R):
            out[i:i + P] += (absd >= ts[None, :]).sum(axis=0)
    return out


def ref_se(row, p):
    return 0.0 if row.ref_kind == "exact" else math.sqrt(max(p * (1 - p), 0) / row.ref_R)


def _ratio(line):
    """keyness / recomputed of a mismatch line."""
    import re

    m = re.search(r"keyness (\S+) recomputed (\S+)", line)
    a, b = float(m.group(1)), float(m.group(2))
    return max(a, b) / max(min(a, b), 1e-300)


def read_analysis(path):
    """The rule's settings from analysis.toml; the defaults above where absent."""
    global RULE_EXACT, RULE_MC_SIDE, RULE_NORMAL_E, MC_STOP, EXCLUDE_GENRES
    if not os.path.exists(path):
        return
    import tomllib

    with open(path, "rb") as f:
        cfg = tomllib.load(f)
    kw = cfg.get("keyness", {})
    RULE_EXACT = int(kw.get("permutations", RULE_EXACT))
    RULE_MC_SIDE = int(kw.get("normal_min_answers", RULE_MC_SIDE))
    RULE_NORMAL_E = float(kw.get("normal_min_expected", RULE_NORMAL_E))
    MC_STOP = int(kw.get("permutation_stop", MC_STOP))
    EXCLUDE_GENRES = set(cfg.get("comparison", {}).get("exclude_genres", EXCLUDE_GENRES))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("tables")
    ap.add_argument("--rows", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--draws", type=int, default=99_999)
    ap.add_argument("--exact-max", type=int, default=1_000_000)
    ap.add_argument("--cond-max", type=float, default=5e8, help="skip the conditional p above this DP size")
    ap.add_argument("--check-all", action="store_true")
    ap.add_argument("--strict", action="store_true",
                    help="fail on p_perm differences below 1e-15 absolute too (deep-tail terms)")
    ap.add_argument("--accuracy-all", action="store_true",
                    help="include rows the tool enumerates (C(n,k) <= permutations) in the accuracy tables")
    ap.add_argument("--row", action="append", default=[])
    ap.add_argument("--csv", help="write one line per computed row")
    ap.add_argument("--points-csv", help="write one line per accuracy point")
    ap.add_argument("--min-e", type=float, default=0, help="sample only rows with e = m k'/n at least this")
    ap.add_argument("--tests", help="sample only rows of these tests, e.g. normal,conditional")
    ap.add_argument("--min-distinct", type=int, default=0,
                    help="sample only rows whose pool has at least this many distinct answer sizes")
    ap.add_argument("--analysis", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data", "analysis.toml"),
                    help="the run's analysis.toml, for the rule's settings (default: the repository's data/analysis.toml)")
    ap.add_argument("--self-test", action="store_true",
                    help="also draw --draws random splits where the reference enumerates, and compare")
    ap.add_argument("--log", help="write every mismatch and deep-tail line to this file")
    args = ap.parse_args()
    t0 = time.time()
    read_analysis(args.analysis)
    corpus = Corpus(args.tables)
    kpath = os.path.join(args.tables, "keyness.csv")
    log = []
    failures = collections.Counter()
    out = []
    say = out.append

    all_tested = list(tested_rows(kpath))
    say(f"answer-level reference check: {args.tables}")
    say(f"  keyness.csv: {len(all_tested)} tested rows; " + ", ".join(
        f"{t}: {n}" for t, n in sorted(collections.Counter(r['test'] for r in all_tested).items())))
    say(f"  rule ({os.path.normpath(args.analysis)}): exact where C(n,k) <= {RULE_EXACT}; else monte carlo where k' < {RULE_MC_SIDE}"
        f" (stop at {MC_STOP} extreme splits); else normal where e = m k'/n >= {RULE_NORMAL_E:g}; else conditional;"
        f" years of genre {sorted(EXCLUDE_GENRES)} left out")
    if args.row:
        want = {tuple(x.split(",", 4)) for x in args.row}
        krows = [r for r in all_tested if (r["year"], r["topic"], r["reference"], r["kind"], r["phrase"]) in want]
    else:
        pool_rows = all_tested
        if args.tests:
            keep = set(args.tests.split(","))
            pool_rows = [r for r in all_tested if r["test"] in keep]
        if args.min_e > 0:
            def e_of(r):
                pl = corpus.pool(int(r["year"]), r["topic"], r["reference"])
                if pl is None:
                    return -1
                n, k = len(pl[0]), pl[2]
                return (int(r["answers_a"] or 0) + int(r["answers_b"] or 0)) * min(k, n - k) / n
            pool_rows = [r for r in pool_rows if e_of(r) >= args.min_e]
        if args.min_distinct > 0:
            def d_of(r):
                pl = corpus.pool(int(r["year"]), r["topic"], r["reference"])
                return -1 if pl is None else len(np.unique(pl[1]))
            pool_rows = [r for r in pool_rows if d_of(r) >= args.min_distinct]
        krows = select_rows(corpus, pool_rows, args.rows, args.seed)
    # one pass over answer_counts.csv for every phrase to be computed
    corpus.load_counts({(r["topic"], r["kind"], r["phrase"]) for r in (all_tested if args.check_all else krows)})
    rows = compute(corpus, krows, args, log)
    say(f"  rows computed: {len(rows)} ({', '.join(f'{t}: {n}' for t, n in sorted(collections.Counter(r.krow['test'] for r in rows).items()))})")

    # ---- pool and regime checks, token p, normal, conditional
    for row in rows:
        row.p["token"] = p_token(row.a, row.b, row.na, row.nb)
        row.p["normal"] = row.normal_tail(row.t)
        if row.cond_cost() <= args.cond_max:
            row.p["conditional"] = row.conditional_tail(row.t)
            row.p["conditional-cv"] = row.conditional_tail(row.t, variant=True)
    t1 = time.time()
    run_reference(rows, args)
    t2 = time.time()

    mism, deep, notes_ = [], [], []
    notes = collections.Counter()
    checked = collections.Counter()  # rows whose p_perm was checked, by test
    skipped = collections.Counter()  # rows whose p_perm could not be checked, by reason
    N = RULE_EXACT  # the tool's Monte Carlo draws: `permutations`

    def check_pool(row):
        kr = row.krow
        got = (row.a, row.b, row.na, row.nb, row.ans_a, row.ans_b)
        want = tuple(int(kr[x]) for x in ("a", "b", "n_a", "n_b", "answers_a", "answers_b"))
        if got != want:
            failures["pool"] += 1
            mism.append(f"pool  {row.key}: keyness {want} recomputed {got}")
            return False
        if row.regime() != kr["test"]:
            failures["regime"] += 1
            mism.append(f"regime {row.key}: keyness {kr['test']} rule {row.regime()} (n={row.n} k={row.k} m={row.m} e={row.e:.2f})")
        tok = row.p["token"]
        if abs(float(kr["p"]) - tok) > printed_tol(kr["p"], tok):
            failures["token p"] += 1
            mism.append(f"token p {row.key}: keyness {kr['p']} recomputed {tok:.6g}")
        # n_perm: every split where exact, empty where no splits are drawn
        want_n = {"exact": str(row.comb), "normal": "", "conditional": ""}.get(kr["test"])
        if want_n is not None and kr["n_perm"].strip() != want_n:
            failures["n_perm"] += 1
            mism.append(f"n_perm {row.key} [{kr['test']}]: keyness '{kr['n_perm']}', expected '{want_n}'")
        return True

    def check_p(row, answer_p, where):
        kr = row.krow
        tok = row.p["token"]
        exp = max(answer_p, tok)
        got = float(kr["p_perm"])
        checked[kr["test"]] += 1
        if abs(got - exp) > printed_tol(kr["p_perm"], exp):
            line = (f"p_perm {row.key} [{kr['test']}{where}]: keyness {kr['p_perm']} recomputed {exp:.6g}"
                    f" (answer {answer_p:.6g}, token {tok:.6g}; n={row.n} k={row.k} m={row.m} e={row.e:.2f})")
            if abs(got - exp) <= DEEP_TAIL and not args.strict:
                failures["deep tail"] += 1
                deep.append(line)
            else:
                failures["p_perm"] += 1
                mism.append(line)

    mc_tails, mc_tails_sampled = [], []

    def check_mc(row, x_ref, R, where):
        """A Monte Carlo p_perm against our x_ref extreme splits of R."""
        kr = row.krow
        obs = float(kr["p_perm"])
        tol = printed_tol(kr["p_perm"], obs)
        tokp = row.p["token"]
        tail = tool_mc_tail(x_ref, R, tokp, obs, tol, np.random.default_rng(pool_seed(args.seed, row.key)), N=N, stop=MC_STOP)
        mc_tails.append(tail)
        checked["monte carlo"] += 1
        # the tool's own p: (x+1)/(N+1) <= stop/(N+1) where it drew all N splits, stop/draws > that where it stopped
        # early; unknown where p_perm is the token p
        if abs(obs - tokp) > tol:
            if obs > MC_STOP / (N + 1) + tol:
                draws = round(MC_STOP / obs)
                notes["stopped early"] += 1
                if kr["n_perm"].strip() != str(draws):
                    notes["n_perm is not the draws"] += 1
                    notes_.append(f"n_perm {row.key} [monte carlo]: p_perm {kr['p_perm']} = {MC_STOP}/{draws} (stopped early), n_perm {kr['n_perm']}")
            elif kr["n_perm"].strip() != str(N):
                failures["n_perm"] += 1
                mism.append(f"n_perm {row.key} [monte carlo]: p_perm {kr['p_perm']} not stopped early, n_perm {kr['n_perm']} (expected {N})")
        if obs < tokp - printed_tol(kr["p_perm"], tokp) or tail < MC_FAIL:
            failures["p_perm (monte carlo)"] += 1
            pr = x_ref / R
            mism.append(f"p_perm {row.key} [monte carlo{where}]: keyness {kr['p_perm']} (n_perm {kr['n_perm']}) "
                        f"recomputed {max(pr, tokp):.6g} (answer {pr:.6g} = {x_ref}/{R}, token {tokp:.6g}); "
                        f"two-sided probability of the printed value {tail:.2g}")
        return tail

    for row in rows:
        if not check_pool(row):
            continue
        test = row.krow["test"]
        if test == "exact":
            if row.ref_kind == "exact":
                check_p(row, row.p["exact"], "")
        elif test in ("normal", "conditional"):
            if test in row.p:
                check_p(row, row.p[test], "")
            else:
                skipped[f"{test}: DP above --cond-max"] += 1
        elif test == "monte carlo":
            mc_tails_sampled.append(check_mc(row, int(round(row.p["ref"] * row.ref_R)), row.ref_R, ""))

    checked_all = 0
    if args.check_all:
        done = {r.key for r in rows}
        rest = [r for r in all_tested if (int(r["year"]), r["topic"], r["reference"], r["kind"], r["phrase"]) not in done]
        extra = compute(corpus, rest, args, log)
        mc_rows = collections.defaultdict(list)
        for row in extra:
            checked_all += 1
            row.p["token"] = p_token(row.a, row.b, row.na, row.nb)
            if not check_pool(row):
                continue
            test = row.krow["test"]
            if test == "exact":
                dist = pool_distribution([row], exact_chunks(row.n, row.kp))
                check_p(row, float(np.mean(dist[:, 0] >= row.t)), " (check-all)")
            elif test == "normal":
                check_p(row, row.normal_tail(row.t), " (check-all)")
            elif test == "conditional":
                if row.cond_cost() <= args.cond_max:
                    check_p(row, row.conditional_tail(row.t), " (check-all)")
                else:
                    skipped["conditional: DP above --cond-max"] += 1
            elif test == "monte carlo":
                mc_rows[row.key[:3]].append(row)
        for pkey, prow in mc_rows.items():
            x = mc_extremes(np.random.default_rng(pool_seed(args.seed, pkey)), prow, args.draws)
            for j, row in enumerate(prow):
                check_mc(row, int(x[j]), args.draws, " (check-all)")
    # p_perm is max(answer p, token p): never below p
    liberal = [r for r in (all_tested if args.check_all else [x.krow for x in rows])
               if float(r["p_perm"]) < float(r["p"]) - printed_tol(r["p"], float(r["p"])) - printed_tol(r["p_perm"], float(r["p_perm"]))]
    failures["p_perm < p"] += len(liberal)
    for r in liberal:
        mism.append(f"p_perm < p {(r['year'], r['topic'], r['reference'], r['kind'], r['phrase'])} [{r['test']}]: p {r['p']} p_perm {r['p_perm']}")
    t3 = time.time()

    # ---- accuracy of the approximations
    pts = []  # (approx, level, source, row, p_ref, p_approx, se)
    for row in rows:
        if "ref" not in row.p or (row.comb <= RULE_EXACT and not args.accuracy_all):
            continue
        for lev, (lo, hi) in P_RANGES.items():
            pr = row.p["ref"]
            if lo <= pr <= hi:
                for ap_ in APPROX:
                    if ap_ in row.p:
                        pts.append((ap_, lev, "observed", row, pr, row.p[ap_], ref_se(row, pr)))
            # calibrated: the threshold whose reference tail is nearest the level
            col = row.ref_sorted
            R = len(col)
            target = float(lev)
            i = R - int(round(target * R))
            if 0 < i < R and col[i] > 0:
                t = col[i]
                pr = float(tail_from(col, t))
                if lo <= pr <= hi:
                    pn = row.normal_tail(float(t))
                    pts.append(("normal", lev, "calibrated", row, pr, pn, ref_se(row, pr)))
                    if "conditional" in row.p:
                        pts.append(("conditional", lev, "calibrated", row, pr, row.conditional_tail(float(t)), ref_se(row, pr)))
                        pts.append(("conditional-cv", lev, "calibrated", row, pr,
                                    row.conditional_tail(float(t), variant=True), ref_se(row, pr)))
    t4 = time.time()

    say("")
    say(f"keyness.csv checks: {len(rows)} sampled rows" + (f", plus {checked_all} with --check-all" if args.check_all else ""))
    say(f"  p_perm checked: {sum(checked.values())} rows (" + ", ".join(f"{t}: {n}" for t, n in sorted(checked.items())) + ")"
        + ("; not checked: " + ", ".join(f"{k}: {v}" for k, v in skipped.items()) if skipped else ""))
    for name in ("pool", "regime", "token p", "p_perm", "p_perm (monte carlo)", "n_perm", "p_perm < p"):
        say(f"  {name:22s} mismatches: {failures[name]}")
    say(f"  {'deep tail':22s} differences: {failures['deep tail']} (p_perm differing by less than {DEEP_TAIL:g} absolute,"
        f" beyond 1e-6 relative; not failed without --strict)"
        + (f"; largest ratio {max(_ratio(x) for x in deep):.3g}" if deep else ""))
    if mc_tails:
        say(f"  monte carlo rows: {len(mc_tails)} ({len(mc_tails_sampled)} sampled); two-sided probability of the printed p_perm under the tool's"
            f" draws (stop at {MC_STOP} extreme splits of {N}), given our {args.draws} draws: smallest {min(mc_tails):.2g};"
            f" below 0.01: {sum(t < 0.01 for t in mc_tails)} (at most about {0.01 * len(mc_tails):.1f} expected),"
            f" below 0.001: {sum(t < 0.001 for t in mc_tails)} (about {0.001 * len(mc_tails):.1f}); a row fails below {MC_FAIL:g}")
        say(f"  monte carlo rows stopped early (p_perm = {MC_STOP}/draws): {notes['stopped early']};"
            f" their n_perm is not those draws in {notes['n_perm is not the draws']} (a note, not failed: README says"
            f" n_perm is the splits behind p_perm)")
    for line in mism[:40]:
        say("    " + line)
    if len(mism) > 40:
        say(f"    ... {len(mism) - 40} more")
    for line in deep[:5]:
        say("    deep tail: " + line)
    if len(deep) > 5:
        say(f"    ... {len(deep) - 5} more deep-tail differences")
    for line in notes_[:3]:
        say("    note: " + line)
    if args.log:
        with open(args.log, "w", encoding="utf-8") as f:
            for line in mism + ["deep tail: " + x for x in deep] + ["note: " + x for x in notes_]:
                f.write(line + "\n")
    if args.self_test:
        st = [r for r in rows if "selftest_mc" in r.p]
        if st:
            z = [(r.p["selftest_mc"] - r.p["exact"]) / math.sqrt(max(r.p["exact"] * (1 - r.p["exact"]), 1 / args.draws) / args.draws) for r in st]
            say(f"  self-test: {len(st)} rows enumerated and drawn ({args.draws} splits): largest |z| {max(map(abs, z)):.2f},"
                f" |z| > 3: {sum(abs(v) > 3 for v in z)}, mean z {np.mean(z):.3f}")

    def summarise(sel):
        if not sel:
            return None
        ab = max(sel, key=lambda x: abs(x[5] - x[4]))
        rl = max(sel, key=lambda x: abs(x[5] / x[4] - 1))
        rels = [abs(x[5] / x[4] - 1) for x in sel]
        sig = sum(1 for x in sel if abs(x[5] / x[4] - 1) - 0.10 > 2 * x[6] / x[4])
        ratio = np.exp(np.mean([math.log(max(x[5], 1e-300) / x[4]) for x in sel]))
        # liberal: the approximation below the reference (a p too small)
        lib = max([1 - x[5] / x[4] for x in sel if x[5] < x[4]], default=0.0)
        return dict(n=len(sel), max_abs=abs(ab[5] - ab[4]), abs_row=ab, max_rel=abs(rl[5] / rl[4] - 1), rel_row=rl, max_lib=lib,
                    n_lib=sum(1 for x in sel if x[5] < x[4]),
                    med_rel=float(np.median(rels)), p90_rel=float(np.quantile(rels, 0.9)), sig10=sig,
                    gmean_ratio=float(ratio), med_se=float(np.median([x[6] / x[4] for x in sel])))

    def fmt_row(x):
        row = x[3]
        y, tp, rf, kd, ph = row.key
        return (f"{y} {tp} {rf} {kd} '{ph}' [{row.krow['test']}] n={row.n} (distinct {row.distinct}) k'={row.kp} m={row.m} e={row.e:.1f}: "
                f"ref {x[4]:.4g} ({row.ref_kind}) {x[0]} {x[5]:.4g}")

    def table(sel_pts, title, bins=E_BINS):
        say(f"  {title}")
        say(f"  cells: points; largest |diff|; largest rel |approx/ref - 1|; largest liberal rel (approx < ref); median rel;"
            f" points significantly >10% (2 se)")
        say(f"  {'level':6s} {'approx':14s} " + " ".join(f"{b[0]:>31s}" for b in bins))
        for lev in P_RANGES:
            for ap_ in APPROX:
                cells_ = []
                for b in bins:
                    s = summarise([x for x in sel_pts if x[0] == ap_ and x[1] == lev and b[1] <= x[3].e < b[2]])
                    cells_.append("-" if s is None else
                                  f"{s['n']}; {s['max_abs']:.1g}; {s['max_rel']:.0%}; {s['max_lib']:.0%}; {s['med_rel']:.0%}; {s['sig10']}")
                say(f"  {lev:6s} {ap_:14s} " + " ".join(f"{c:>31s}" for c in cells_))

    say("")
    say("Approximations against the reference (exact where C(n,k') <= %d, else %d random splits)" % (args.exact_max, args.draws))
    say(f"  rows whose pool the tool enumerates (C(n,k) <= {RULE_EXACT}) are " + ("included" if args.accuracy_all else "left out"))
    say("  reference kinds: " + ", ".join(f"{k}: {v}" for k, v in collections.Counter(getattr(r, 'ref_kind', 'none') for r in rows).items()))
    for source in ("observed", "calibrated"):
        sp = [x for x in pts if x[2] == source]
        say(f"\n[{source} points]")
        for lev in P_RANGES:
            for ap_ in APPROX:
                s = summarise([x for x in sp if x[0] == ap_ and x[1] == lev])
                if s is None:
                    say(f"  p~{lev} {ap_:14s}: no points")
                    continue
                say(f"  p~{lev} {ap_:14s}: {s['n']} points; largest |diff| {s['max_abs']:.3g}; largest rel {s['max_rel']:.1%}; "
                    f"largest liberal rel {s['max_lib']:.1%} ({s['n_lib']} points below the reference); "
                    f"90th pct rel {s['p90_rel']:.1%}; median rel {s['med_rel']:.1%}; geo-mean ratio {s['gmean_ratio']:.3f}; "
                    f"significantly >10%: {s['sig10']}; median MC rel se {s['med_se']:.1%}")
                say(f"      largest abs: {fmt_row(s['abs_row'])}")
                say(f"      largest rel: {fmt_row(s['rel_row'])}")
                for own in (ap_,):
                    so = summarise([x for x in sp if x[0] == ap_ and x[1] == lev and x[3].krow["test"] == own])
                    if so:
                        say(f"      where the tool chose {own}: {so['n']} points; largest |diff| {so['max_abs']:.3g}; "
                            f"largest rel {so['max_rel']:.1%}; largest liberal rel {so['max_lib']:.1%} ({so['n_lib']} below); "
                            f"median rel {so['med_rel']:.1%}; significantly >10%: {so['sig10']}")
                        say(f"        largest abs: {fmt_row(so['abs_row'])}")
                        say(f"        largest rel: {fmt_row(so['rel_row'])}")
        big = [x for x in sp if x[3].kp >= RULE_MC_SIDE]
        small = [x for x in sp if x[3].kp < RULE_MC_SIDE]
        table(big, f"by expected count e = m k'/n, k' >= {RULE_MC_SIDE} (where the rule picks normal or conditional):", FINE_BINS)
        table([x for x in big if x[3].distinct >= DISTINCT], f"the same, pools of at least {DISTINCT} distinct answer sizes:", FINE_BINS)
        table(small, f"by e, k' < {RULE_MC_SIDE} (where the rule picks monte carlo):")
        table([x for x in small if x[3].distinct >= DISTINCT], f"the same, pools of at least {DISTINCT} distinct answer sizes:")
    if args.points_csv:
        with open(args.points_csv, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["approx", "level", "source", "year", "topic", "reference", "kind", "phrase", "test", "n", "distinct", "kprime",
                        "m", "e", "ref_kind", "p_ref", "p_approx", "ref_se"])
            for x in pts:
                row = x[3]
                w.writerow([x[0], x[1], x[2], *row.key, row.krow["test"], row.n, row.distinct, row.kp, row.m, f"{row.e:.4g}",
                            row.ref_kind, f"{x[4]:.6g}", f"{x[5]:.6g}", f"{x[6]:.3g}"])
    say("")
    say(f"time: load+normal+conditional {t1 - t0:.1f} s, reference {t2 - t1:.1f} s, checks {t3 - t2:.1f} s, accuracy {t4 - t3:.1f} s")
    for line in log[:10]:
        say("note: " + line)
    print("\n".join(out))

    if args.csv:
        with open(args.csv, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["year", "topic", "reference", "kind", "phrase", "test", "rule", "n", "distinct", "k", "kprime", "m", "e",
                        "a", "b", "n_a", "n_b", "p_perm", "ref_kind", "p_ref", "p_normal", "p_conditional", "p_conditional_cv", "p_token"])
            for row in rows:
                w.writerow(list(row.key) + [row.krow["test"], row.regime(), row.n, row.distinct, row.k, row.kp, row.m, f"{row.e:.4g}",
                                            row.a, row.b, row.na, row.nb, row.krow["p_perm"], getattr(row, "ref_kind", ""),
                                            *(f"{row.p[x]:.6g}" if x in row.p else "" for x in ("ref", "normal", "conditional", "conditional-cv", "token"))])
    sys.exit(1 if sum(v for k, v in failures.items() if k != "deep tail") else 0)


if __name__ == "__main__":
    main()
