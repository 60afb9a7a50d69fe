"""Vocabulary of a run's answers (issue 29, item 1): distinct unigrams and
bigrams per year, and Heaps' beta, from the tool's own tokens.

    rhetoric-shift all --tokens --data DIR/data --out DIR/out
    python3 bench/heaps.py DIR/out/tables/tokens.csv

Counts the answers' word tokens (tokens.csv `field` answer, `word` true); a
bigram is two word tokens at consecutive positions of one answer (none across
punctuation or a number). Beta is the least-squares slope of log distinct
unigrams (and bigrams) against log tokens over the prefixes of the corpus in
date order, at 20 sizes spaced evenly in log from 1% of the tokens to all,
and over the last 10 of them (10% to all): where a fixed vocabulary (the
seeds') dominates the small prefixes, the slope rises with the size.
"""
import csv
import math
import sys


def main(path):
    years = {}
    stream = []  # (unigram, bigram or None) in corpus order
    with open(path, encoding="utf-8-sig", newline="") as f:
        last = (None, None)
        for row in csv.DictReader(f):
            if row["field"] != "answer":
                continue
            key = (row["id"], int(row["position"]))
            if row["word"] != "true":
                last = (None, None)
                continue
            uni = row["token"]
            bi = (last[1], uni) if last[0] == (key[0], key[1] - 1) else None
            y = years.setdefault(row["year"], [0, set(), set()])
            y[0] += 1
            y[1].add(uni)
            if bi:
                y[2].add(bi)
            stream.append((uni, bi))
            last = (key, uni)
    print("year,tokens,unigrams,bigrams")
    for year, (n, u, b) in sorted(years.items()):
        print(f"{year},{n},{len(u)},{len(b)}")
    total = len(stream)
    marks = sorted({max(1, round(total * 10 ** (-2 + 2 * k / 19))) for k in range(20)})
    seen_u, seen_b, points = set(), set(), []
    it = iter(marks)
    mark = next(it)
    for i, (u, b) in enumerate(stream, 1):
        seen_u.add(u)
        if b:
            seen_b.add(b)
        if i == mark:
            points.append((i, len(seen_u), len(seen_b)))
            mark = next(it, None)
    print(f"all,{total},{len(seen_u)},{len(seen_b)}")
    for name, col in (("unigrams", 1), ("bigrams", 2)):
        for part, label in ((points, "1%"), (points[len(points) // 2 :], "10%")):
            xs = [math.log(p[0]) for p in part]
            ys = [math.log(p[col]) for p in part]
            mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
            beta = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
            k = math.exp(my - beta * mx)
            print(f"heaps {name}: beta {beta:.3f}, K {k:.1f} (prefixes of {part[0][0]:,} to {total:,} tokens, {label} to all)")


if __name__ == "__main__":
    main(sys.argv[1])
