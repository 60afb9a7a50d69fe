"""The register index against blind ratings: tests/fixtures/register_validation/.

Independent of the Rust code except for the hits it counts: the script writes
each answer of sample.csv as a transcript of its own (one question, one answer)
into a temporary data folder with the repository's lexicons and settings, runs
the binary's ingest, segment, topics and frequencies stages, and reads
register_hits.csv. Per answer the index is hard-line / (hard-line +
conciliatory) counted hits, 0.5 without any. The two raters' ratings (1 =
conciliatory … 5 = hard-line) are compared with each other (Spearman, exact and
within-one agreement, quadratic-weighted kappa) and their mean with the index
(Spearman, average ranks for ties) on the tuning half and on the held-out half
(an answer is held out where the SHA-256 of its id is odd). The lexicons and
context rules were changed looking at the tuning half only.

    cargo build --release
    python3 tests/reference/register_validation.py target/release/rhetoric-shift [--check 0.7]

With --check X it exits 1 where the held-out Spearman is below X.
"""
import csv
import datetime
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile

from register_agreement import spearman

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
FIXTURES = os.path.join(REPO, "tests", "fixtures", "register_validation")


def read(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def held_out(answer_id):
    return int(hashlib.sha256(answer_id.encode()).hexdigest(), 16) % 2 == 1


def kappa(a, b, k=5):
    """Cohen's kappa with quadratic weights for ratings 1..k."""
    n = len(a)
    w = [[1 - ((i - j) ** 2) / ((k - 1) ** 2) for j in range(k)] for i in range(k)]
    obs = [[0.0] * k for _ in range(k)]
    for x, y in zip(a, b):
        obs[x - 1][y - 1] += 1 / n
    pa = [sum(r) for r in obs]
    pb = [sum(obs[i][j] for i in range(k)) for j in range(k)]
    po = sum(w[i][j] * obs[i][j] for i in range(k) for j in range(k))
    pe = sum(w[i][j] * pa[i] * pb[j] for i in range(k) for j in range(k))
    return (po - pe) / (1 - pe)


def index_per_answer(binary, sample):
    work = tempfile.mkdtemp(prefix="register-validation-")
    try:
        data = os.path.join(work, "data")
        os.makedirs(os.path.join(data, "transcripts"))
        for item in ["lexicons", "dict", "topics.toml", "analysis.toml", "layout.toml"]:
            src = os.path.join(REPO, "data", item)
            (shutil.copytree if os.path.isdir(src) else shutil.copy)(src, os.path.join(data, item))
        with open(os.path.join(data, "corpus.toml"), "w", encoding="utf-8") as f:
            f.write('[defaults]\nspeaker = "发言人"\n')
        by_date = {}
        day0 = datetime.date(2001, 1, 1)
        for k, row in enumerate(sample):
            date = (day0 + datetime.timedelta(days=k)).isoformat()
            by_date[date] = row["id"]
            with open(os.path.join(data, "transcripts", f"{date}_v.txt"), "w", encoding="utf-8") as f:
                f.write(f"问：请介绍有关情况。\n\n答：{row['text']}\n")
        out = os.path.join(work, "out")
        for stage in ["ingest", "segment", "topics", "frequencies"]:
            subprocess.run([binary, stage, "--data", data, "--out", out], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        tables = os.path.join(out, "tables")
        sample_id = {r["id"]: by_date[r["date"]] for r in read(os.path.join(tables, "answers.csv"))}
        hard, conc = {}, {}
        for hit in read(os.path.join(tables, "register_hits.csv")):
            s = sample_id[hit["id"]]
            if hit["counted_as"] == "hardline":
                hard[s] = hard.get(s, 0) + 1
            elif hit["counted_as"] == "conciliatory":
                conc[s] = conc.get(s, 0) + 1
        return {r["id"]: (0.5 if hard.get(r["id"], 0) + conc.get(r["id"], 0) == 0
                          else hard.get(r["id"], 0) / (hard.get(r["id"], 0) + conc.get(r["id"], 0)))
                for r in sample}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    binary = os.path.abspath(args[0])
    check = float(args[args.index("--check") + 1]) if "--check" in args else None
    sample = read(os.path.join(FIXTURES, "sample.csv"))
    a = {r["id"]: int(r["rating"]) for r in read(os.path.join(FIXTURES, "raters", "rater_a.csv"))}
    b = {r["id"]: int(r["rating"]) for r in read(os.path.join(FIXTURES, "raters", "rater_b.csv"))}
    ids = [r["id"] for r in sample]
    assert set(ids) == set(a) == set(b), "every answer rated by both raters"
    ra, rb = [a[i] for i in ids], [b[i] for i in ids]
    print(f"answers: {len(ids)} ({sum(1 for i in ids if not i.startswith('w'))} from the seeds)")
    print(f"raters: Spearman {spearman(ra, rb):.3f}, quadratic-weighted kappa {kappa(ra, rb):.3f}, "
          f"exact agreement {sum(x == y for x, y in zip(ra, rb)) / len(ids):.3f}, "
          f"within one {sum(abs(x - y) <= 1 for x, y in zip(ra, rb)) / len(ids):.3f}")
    index = index_per_answer(binary, sample)
    result = {}
    for name, part in [("tuning", [i for i in ids if not held_out(i)]),
                       ("held-out", [i for i in ids if held_out(i)])]:
        rho = spearman([index[i] for i in part], [(a[i] + b[i]) / 2 for i in part])
        result[name] = rho
        print(f"{name}: {len(part)} answers, Spearman index vs mean rating {rho:.3f}")
    if check is not None and result["held-out"] < check:
        print(f"held-out Spearman {result['held-out']:.3f} below {check}")
        sys.exit(1)


if __name__ == "__main__":
    main()
