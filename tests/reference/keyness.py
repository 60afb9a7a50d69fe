"""Reference values for the keyness unit tests in src/shifts/stats.rs.

An independent implementation written from the formulas in the issue and in
Monroe, Colaresi & Quinn (2008), "Fightin' Words", eq. 16 and 22, using only
Python's math module. Run `python3 tests/reference/keyness.py` and compare with
the constants in the tests.
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


for a, b, na, nb in [(10, 2, 1000, 3000), (0, 12, 800, 2400), (5, 0, 500, 4000), (7, 7, 1000, 1000)]:
    g = g2(a, b, na, nb)
    print(f"({a}, {b}, {na}, {nb}): g2={g!r} lr={log_ratio(a, b, na, nb)!r} "
          f"z100={logodds_z(a, b, na, nb, 100)!r} p={p_of_g2(g)!r}")
print("bh", bh([0.01, 0.04, 0.03, 0.2, 0.001]))
