"""Agreement of the register index with hand labels (tests/fixtures/register_labels.csv).

Independent of the Rust code: from output/tables/register_hits.csv it counts,
per labelled answer, the hits counted as hard-line and as conciliatory; the
answer's index is hard / (hard + conciliatory), 0.5 where it has no hit. The
index's category is hard-line above 0.5, conciliatory below, neutral at 0.5.
Spearman's rho (average ranks for ties) compares the index with the labels
(conciliatory < neutral < hard-line). Run after `all`:

    python3 tests/reference/register_agreement.py output/tables/register_hits.csv [--check RHO]

With --check it fails (exit 1) where rho falls below RHO (CI: 0.65; 0.666
measured on 2026-12-07).
"""
import csv
import sys

ORDER = {"conciliatory": 0, "neutral": 1, "hardline": 2}


def ranks(xs):
    order = sorted(range(len(xs)), key=lambda i: xs[i])
    r = [0.0] * len(xs)
    i = 0
    while i < len(xs):
        j = i
        while j + 1 < len(xs) and xs[order[j + 1]] == xs[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return r


def spearman(x, y):
    rx, ry = ranks(x), ranks(y)
    n = len(x)
    mx, my = sum(rx) / n, sum(ry) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    sxx = sum((a - mx) ** 2 for a in rx)
    syy = sum((b - my) ** 2 for b in ry)
    return sxy / (sxx * syy) ** 0.5


def main(hits_path, labels_path="tests/fixtures/register_labels.csv", check=None):
    labels = list(csv.DictReader(open(labels_path, encoding="utf-8")))
    counts = {}
    for h in csv.DictReader(open(hits_path, encoding="utf-8-sig")):
        c = counts.setdefault(h["id"], {"hardline": 0, "conciliatory": 0})
        if h["counted_as"] in c:
            c[h["counted_as"]] += 1
    index, truth, table = [], [], {}
    for row in labels:
        c = counts.get(row["id"], {"hardline": 0, "conciliatory": 0})
        total = c["hardline"] + c["conciliatory"]
        share = c["hardline"] / total if total else 0.5
        category = "hardline" if share > 0.5 else "conciliatory" if share < 0.5 else "neutral"
        index.append(share)
        truth.append(ORDER[row["label"]])
        table[(row["label"], category)] = table.get((row["label"], category), 0) + 1
    print(f"answers: {len(labels)}, Spearman rho: {spearman(index, truth):.3f}")
    cats = ["hardline", "neutral", "conciliatory"]
    print("label \\ index | " + " | ".join(cats))
    for t in cats:
        print(f"{t} | " + " | ".join(str(table.get((t, c), 0)) for c in cats))
    agree = sum(table.get((t, t), 0) for t in cats)
    print(f"agreement: {agree} of {len(labels)}")
    rho = spearman(index, truth)
    if check is not None and rho < check:
        print(f"rho {rho:.3f} below {check}")
        return 1
    return 0


if __name__ == "__main__":
    args = sys.argv[1:]
    check = None
    if "--check" in args:
        at = args.index("--check")
        check = float(args[at + 1])
        del args[at : at + 2]
    sys.exit(main(*args, check=check))
