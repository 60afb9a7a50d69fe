"""Reference values for the keyness unit tests in src/shifts/stats.rs.

An independent implementation written from the formulas in the issue and in
Monroe, Colaresi & Quinn (2008), "Fightin' Words", eq. 16 and 22, using only
Python's math module. `python3 tests/reference/keyness.py --write` writes the
values to keyness_cases.json, which the Rust tests read; `--check` (CI)
recomputes them and fails where the file differs.
"""
import math


def g2(a, b, na, nb):
    n = na + nb
    cells = [
        (a, na * (a + b) / n),
        (b, nb * (a + b) / n),
        (na - a, na * (n - a - b) / n),
        (nb - b, nb * (n - a - b) / n),
    ]
    g = 2 * sum(o * math.log(o / e) for o, e in cells if o > 0)
    return -g if a / na < b / nb else g


def log_ratio(a, b, na, nb):
    a = a if a > 0 else 0.5
    b = b if b > 0 else 0.5
    return math.log2((a / na) / (b / nb))


def logodds_z(a, b, na, nb, alpha0):
    aw = alpha0 * (a + b) / (na + nb)
    d = math.log((a + aw) / (na + alpha0 - a - aw)) - math.log((b + aw) / (nb + alpha0 - b - aw))
    return d / math.sqrt(1 / (a + aw) + 1 / (b + aw))


def p_of_g2(g):
    # Survival function of chi-square with 1 degree of freedom.
    return math.erfc(math.sqrt(abs(g) / 2))


def binom_tail_ge(k, n, p):
    """P(X >= k) for X ~ Binomial(n, p), from the pmf in log space."""
    if k <= 0:
        return 1.0
    terms = []
    for j in range(k, n + 1):
        if p <= 0.0:
            terms.append(0.0)
            continue
        if p >= 1.0:
            terms.append(1.0 if j == n else 0.0)
            continue
        lp = (math.lgamma(n + 1) - math.lgamma(j + 1) - math.lgamma(n - j + 1)
              + j * math.log(p) + (n - j) * math.log1p(-p))
        terms.append(math.exp(lp))
    return math.fsum(terms)


def bisect(f, target, increasing):
    lo, hi = 0.0, 1.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if (f(mid) < target) == increasing:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def clopper_pearson(k, n, alpha):
    """Exact interval: P(X >= k; p_lo) = alpha/2 and P(X <= k; p_hi) = alpha/2."""
    lo = 0.0 if k == 0 else bisect(lambda p: binom_tail_ge(k, n, p), alpha / 2, True)
    hi = 1.0 if k == n else bisect(lambda p: 1 - binom_tail_ge(k + 1, n, p), alpha / 2, False)
    return lo, hi


def lrc(a, b, na, nb, level, family):
    """Evert's conservative log ratio, Bonferroni over the family."""
    f = a + b
    if f == 0:
        return 0.0
    lo, hi = clopper_pearson(a, f, (1 - level) / family)
    to_lr = lambda p: (math.log2(p / (1 - p) * nb / na) if 0 < p < 1
                       else (-math.inf if p == 0 else math.inf))
    lo, hi = to_lr(lo), to_lr(hi)
    return lo if lo > 0 else (hi if hi < 0 else 0.0)


def bh(ps):
    m = len(ps)
    order = sorted(range(m), key=lambda i: ps[i])
    q = [0.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, ps[i] * m / rank)
        q[i] = running
    return q


KEYNESS_CASES = [(10, 2, 1000, 3000), (0, 12, 800, 2400), (5, 0, 500, 4000), (7, 7, 1000, 1000)]
LRC_CASES = [(12, 3, 4703, 11000, 0.95, 1), (12, 3, 4703, 11000, 0.95, 150),
             (0, 9, 2500, 9000, 0.95, 20), (1, 40, 2500, 9000, 0.95, 1),
             (5, 5, 2000, 2000, 0.95, 1), (30, 0, 3329, 12000, 0.99, 10)]
BH_PS = [0.01, 0.04, 0.03, 0.2, 0.001]
CASES_FILE = __import__("pathlib").Path(__file__).with_name("keyness_cases.json")


def cases():
    """Every reference value the Rust tests of src/shifts/stats.rs read."""
    out = {"keyness": [], "lrc": []}
    for a, b, na, nb in KEYNESS_CASES:
        g = g2(a, b, na, nb)
        out["keyness"].append({"a": a, "b": b, "n_a": na, "n_b": nb, "g2": g,
                               "log_ratio": log_ratio(a, b, na, nb),
                               "logodds_z": logodds_z(a, b, na, nb, 100), "alpha0": 100,
                               "p": p_of_g2(g)})
    for a, b, na, nb, level, family in LRC_CASES:
        out["lrc"].append({"a": a, "b": b, "n_a": na, "n_b": nb, "level": level,
                           "family": family, "lrc": lrc(a, b, na, nb, level, family)})
    lo, hi = clopper_pearson(3, 10, 0.05)
    out["clopper_pearson"] = {"k": 3, "n": 10, "alpha": 0.05, "low": lo, "high": hi}
    out["bh"] = {"p": BH_PS, "q": bh(BH_PS)}
    return out


def main():
    """--write: write keyness_cases.json; --check (CI): recompute and fail where
    the file differs, so that the Rust tests read what this code computes."""
    import json
    import sys
    text = json.dumps(cases(), indent=1) + "\n"
    if "--write" in sys.argv:
        CASES_FILE.write_text(text)
    elif "--check" in sys.argv:
        if CASES_FILE.read_text() != text:
            sys.exit(f"{CASES_FILE} differs from what keyness.py computes: run it with --write")
        print(f"{CASES_FILE.name}: as keyness.py computes")
    else:
        print(text, end="")


if __name__ == "__main__":
    main()
