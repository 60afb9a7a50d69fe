#!/usr/bin/env python3
"""Recomputes the entry and exit tests of formulations.csv from the answers.

Independent of the Rust code (src/formulations/change.rs): it reads only
answer_sizes.csv (every answer with a word token, topic `all`: the N answers
and their dates, from their ids `YYYY-MM-DD/NN`) and answer_counts.csv (which
answers hold each formulation, kind `formulation`, topic `all`), and computes
for each formulation the answers holding it (k), its first and last date, the
answers dated before its first use's day and after its last's (m), the exact
p = C(N - m, k) / C(N, k) with Python's integers (math.comb), and
Benjamini-Hochberg q over both tests of every formulation of formulations.csv.

answer_counts.csv keeps only the phrases in `[keyness] min_answers` answers or
more, so formulations held by fewer are skipped here (their k, m and p are
the same formula; their q enters BH, recomputed from the table's own p).

Usage: formulation_change.py output/tables
Fails (exit 1) where a column differs beyond rounding.
"""

import csv
import math
import os
import sys
from collections import defaultdict
from fractions import Fraction

sys.path.insert(0, os.path.dirname(__file__))
from keyness import bh  # noqa: E402  (Benjamini-Hochberg, the keyness reference's)


def rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def close(a, b):
    # The tables print six decimals, or six significant digits below 1e-4.
    return abs(a - b) <= 5e-7 or abs(a - b) <= 1e-5 * max(abs(a), abs(b))


def main(tables):
    dates = sorted(r["id"].split("/")[0] for r in rows(f"{tables}/answer_sizes.csv") if r["topic"] == "all")
    n = len(dates)
    holding = defaultdict(set)
    for r in rows(f"{tables}/answer_counts.csv"):
        if r["topic"] == "all" and r["kind"] == "formulation":
            holding[r["phrase"]].add(r["id"].split("/")[0] + "/" + r["id"].split("/")[1])
    table = {}
    for r in rows(f"{tables}/formulations.csv"):
        table.setdefault(r["formulation"], r)
    # BH over the table's own p, in rank order (two tests per formulation).
    ps = [float(r[c]) for r in table.values() for c in ("p_entry", "p_exit")]
    qs = bh(ps)
    bad = 0
    checked = 0
    for i, (text, r) in enumerate(table.items()):
        for c, q in (("q_entry", qs[2 * i]), ("q_exit", qs[2 * i + 1])):
            if not close(float(r[c]), q):
                print(f"{text}: {c} {r[c]} != {q}")
                bad += 1
        ids = holding.get(text)
        if not ids:
            continue
        k = len(ids)
        first = min(i.split("/")[0] for i in ids)
        last = max(i.split("/")[0] for i in ids)
        before = sum(d < first for d in dates)
        after = sum(d > last for d in dates)
        p_entry = Fraction(math.comb(n - before, k), math.comb(n, k))
        p_exit = Fraction(math.comb(n - after, k), math.comb(n, k))
        want = {
            "holding": k,
            "first_date": first,
            "last_date": last,
            "before_first": before,
            "after_last": after,
        }
        for col, v in want.items():
            if str(v) != r[col]:
                print(f"{text}: {col} {r[col]} != {v}")
                bad += 1
        for col, v in (("p_entry", p_entry), ("p_exit", p_exit)):
            if not close(float(r[col]), float(v)):
                print(f"{text}: {col} {r[col]} != {float(v)}")
                bad += 1
        checked += 1
    print(f"formulation_change: {checked} formulations recomputed from the answers "
          f"(N = {n}), {len(table)} q; {bad} differences")
    return 1 if bad or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "output/tables"))
