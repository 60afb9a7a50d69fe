"""Reference check of C-value, the ranking measure of src/formulations/cvalue.rs.

An independent implementation written from the definition in Frantzi,
Ananiadou & Mima (2000), "Automatic recognition of multi-word terms: the
C-value/NC-value method", Int. J. Digit. Libr. 3:115-130, using only Python's
standard library. For a candidate a of |a| Chinese characters said f(a) times,
with T_a the candidates of MORE tokens holding a as a contiguous run of tokens:

    C(a) = log2|a| * f(a)                              if T_a is empty
    C(a) = log2|a| * (f(a) - sum_{b in T_a} f(b) / |T_a|)   otherwise

and a folds (is a piece of a longer one) when some b in T_a has
f(b) >= fold_share * f(a). See tests/reference/cvalue.md for the toy corpus and
the values worked out by hand.

Usage:
    python3 tests/reference/cvalue.py
        Brute-force the toy corpus (every contiguous run of every clause,
        candidates in >= 2 answers, T_a by containment) and assert the result
        equals the hand-worked table hard-coded below. Exit 1 on a mismatch.
    python3 tests/reference/cvalue.py --csv FILE [--fold-share 0.8] [--tol 1e-9]
        Read candidates from a CSV with columns tokens (space separated), n,
        chars, and print each one's |T_a|, C-value and fold flag. If the CSV
        also has columns c_value and/or folds (e.g. the Rust function's output
        dumped beside its input), compare them and exit 1 on any mismatch.
    python3 tests/reference/cvalue.py --emit-toy-csv
        Print the toy corpus's candidates (token ids) in that CSV format, with
        the expected c_value and folds, to feed whatever dumps the Rust side.
"""
import argparse
import csv
import math
import sys

FOLD_SHARE = 0.8
MIN_ANSWERS = 2
PUNCT = {"，", "。"}

# The toy corpus: five answers, pre-segmented (tokens separated by spaces),
# clauses ended by '，' or '。'.
TOY = [
    "构建 人类 命运共同体 ， 坚持 和平 发展 。",
    "构建 人类 命运共同体 ， 人类 命运共同体 ， 和平 发展 道路 。",
    "人类 命运共同体 ， 坚持 和平 发展 道路 。",
    "坚持 和平 发展 ， 构建 人类 命运共同体 。",
    "坚持 和平 发展 ， 人类 命运共同体 。",
]

# The same answers as token ids (each distinct word numbered in first-seen
# order from 1, punctuation = 0), as a Rust test would write them.
TOY_IDS = [
    [1, 2, 3, 0, 4, 5, 6, 0],
    [1, 2, 3, 0, 2, 3, 0, 5, 6, 7, 0],
    [2, 3, 0, 4, 5, 6, 7, 0],
    [4, 5, 6, 0, 1, 2, 3, 0],
    [4, 5, 6, 0, 2, 3, 0],
]

# The hand-worked table of cvalue.md (min_answers = 2, fold_share = 0.8, any
# length, no 4-character or edge-word filter):
# ids: (n, answers, chars, T_a as id tuples, C-value, folds)
EXPECTED = {
    (1,):      (3, 3, 2, {(1, 2), (1, 2, 3)}, 0.0, True),
    (2,):      (6, 5, 2, {(1, 2), (2, 3), (1, 2, 3)}, 2.0, True),
    (3,):      (6, 5, 5, {(2, 3), (1, 2, 3)}, 3.4828921423310435, True),
    (4,):      (4, 4, 2, {(4, 5), (4, 5, 6)}, 0.0, True),
    (5,):      (5, 5, 2, {(4, 5), (5, 6), (4, 5, 6), (5, 6, 7)}, 1.25, True),
    (6,):      (5, 5, 2, {(5, 6), (6, 7), (4, 5, 6), (5, 6, 7)}, 1.75, True),
    (7,):      (2, 2, 2, {(6, 7), (5, 6, 7)}, 0.0, True),
    (1, 2):    (3, 3, 4, {(1, 2, 3)}, 0.0, True),
    (2, 3):    (6, 5, 7, {(1, 2, 3)}, 8.422064766172813, False),
    (4, 5):    (4, 4, 4, {(4, 5, 6)}, 0.0, True),
    (5, 6):    (5, 5, 4, {(4, 5, 6), (5, 6, 7)}, 4.0, True),
    (6, 7):    (2, 2, 4, {(5, 6, 7)}, 0.0, True),
    (1, 2, 3): (3, 3, 9, set(), 9.509775004326936, False),
    (4, 5, 6): (4, 4, 6, set(), 10.339850002884624, False),
    (5, 6, 7): (2, 2, 6, set(), 5.169925001442312, False),
}


def is_han(c):
    o = ord(c)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF
            or 0x20000 <= o <= 0x2FA1F or 0xF900 <= o <= 0xFAFF)


def han_chars(word):
    return sum(1 for c in word if is_han(c))


def clauses(answer):
    """The clauses of a segmented answer: token lists split at punctuation."""
    out, cur = [], []
    for tok in answer.split():
        if tok in PUNCT:
            if cur:
                out.append(cur)
            cur = []
        else:
            cur.append(tok)
    if cur:
        out.append(cur)
    return out


def brute_candidates(answers, min_answers):
    """Every contiguous run of every clause, with its uses and its answers;
    those in at least min_answers answers."""
    n, where = {}, {}
    for a, text in enumerate(answers):
        for cl in clauses(text):
            for i in range(len(cl)):
                for j in range(i + 1, len(cl) + 1):
                    run = tuple(cl[i:j])
                    n[run] = n.get(run, 0) + 1
                    where.setdefault(run, set()).add(a)
    return {r: (n[r], len(where[r])) for r in n if len(where[r]) >= min_answers}


def contains(longer, shorter):
    k = len(shorter)
    return any(longer[i:i + k] == shorter for i in range(len(longer) - k + 1))


def score(items, fold_share):
    """items: {tokens tuple: (n, chars)} -> {tokens: (T_a, C-value, folds)}."""
    out = {}
    for a, (fa, chars) in items.items():
        t = {b for b in items if len(b) > len(a) and contains(b, a)}
        fs = [items[b][0] for b in t]
        own = fa if not t else fa - sum(fs) / len(t)
        folds = any(fb >= fold_share * fa for fb in fs)
        out[a] = (t, math.log2(chars) * own, folds)
    return out


def first_seen_ids(answers):
    ids, seqs = {}, []
    for text in answers:
        seq = []
        for tok in text.split():
            if tok in PUNCT:
                seq.append(0)
            else:
                seq.append(ids.setdefault(tok, len(ids) + 1))
        seqs.append(seq)
    return ids, seqs


def toy_table():
    """The toy corpus brute-forced, keyed by id tuples:
    {ids: (n, answers, chars, T_a, C, folds, words)}."""
    ids, _ = first_seen_ids(TOY)
    cands = brute_candidates(TOY, MIN_ANSWERS)
    items = {r: (n, sum(han_chars(w) for w in r)) for r, (n, _) in cands.items()}
    scored = score(items, FOLD_SHARE)
    key = lambda r: tuple(ids[w] for w in r)
    table = {}
    for r, (n, ans) in cands.items():
        t, c, folds = scored[r]
        table[key(r)] = (n, ans, items[r][1], {key(b) for b in t}, c, folds, r)
    return table


def check_toy():
    bad = []
    ids, seqs = first_seen_ids(TOY)
    if seqs != TOY_IDS:
        bad.append(f"id sequences differ: {seqs} != {TOY_IDS}")
    got = toy_table()
    for k in sorted(set(got) | set(EXPECTED), key=lambda k: (len(k), k)):
        if k not in got:
            bad.append(f"{k}: expected a candidate, brute force has none")
            continue
        if k not in EXPECTED:
            bad.append(f"{k}: brute force has a candidate not in the hand table: {got[k][:6]}")
            continue
        n, ans, chars, t, c, folds, _ = got[k]
        en, eans, echars, et, ec, efolds = EXPECTED[k]
        if (n, ans, chars, t, folds) != (en, eans, echars, et, efolds) or abs(c - ec) > 1e-12:
            bad.append(f"{k}: got n={n} answers={ans} chars={chars} T={sorted(t)} C={c!r} folds={folds}; "
                       f"hand n={en} answers={eans} chars={echars} T={sorted(et)} C={ec!r} folds={efolds}")
    print(f"toy corpus: {len(got)} candidates (min_answers={MIN_ANSWERS}, fold_share={FOLD_SHARE})")
    print(f"{'ids':<11} {'text':<12} {'n':>2} {'ans':>3} {'chars':>5} {'|T|':>3} {'C-value':>20} folds")
    for k in sorted(got, key=lambda k: (len(k), k)):
        n, ans, chars, t, c, folds, words = got[k]
        ids_s = ",".join(map(str, k))
        print(f"{ids_s:<11} {''.join(words):<12} {n:>2} {ans:>3} {chars:>5} {len(t):>3} {c!r:>20} {folds}")
    for b in bad:
        print("MISMATCH", b)
    print("OK" if not bad else f"FAILED: {len(bad)} mismatch(es)")
    return 1 if bad else 0


def parse_bool(s):
    v = s.strip().lower()
    if v in ("true", "1", "yes", "t"):
        return True
    if v in ("false", "0", "no", "f"):
        return False
    raise ValueError(f"not a boolean: {s!r}")


def check_csv(path, fold_share, tol):
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    if not rows:
        print("no rows", file=sys.stderr)
        return 2
    for col in ("tokens", "n", "chars"):
        if col not in rows[0]:
            print(f"missing column {col!r}", file=sys.stderr)
            return 2
    items, order = {}, []
    for row in rows:
        toks = tuple(row["tokens"].split())
        if toks in items:
            print(f"duplicate candidate {' '.join(toks)!r}", file=sys.stderr)
            return 2
        items[toks] = (int(row["n"]), int(row["chars"]))
        order.append((toks, row))
    scored = score(items, fold_share)
    bad = 0
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["tokens", "n", "chars", "t_size", "c_value", "folds", "check"])
    for toks, row in order:
        t, c, folds = scored[toks]
        notes = []
        if row.get("c_value") not in (None, ""):
            theirs = float(row["c_value"])
            if abs(theirs - c) > tol * max(1.0, abs(c)):
                notes.append(f"c_value {theirs!r} != {c!r}")
        if row.get("folds") not in (None, ""):
            theirs = parse_bool(row["folds"])
            if theirs != folds:
                notes.append(f"folds {theirs} != {folds}")
        bad += bool(notes)
        w.writerow([" ".join(toks), items[toks][0], items[toks][1], len(t), repr(c),
                    "true" if folds else "false", "; ".join(notes) or "ok"])
    print(f"{len(order)} candidates, {bad} mismatch(es)", file=sys.stderr)
    return 1 if bad else 0


def emit_toy_csv():
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["tokens", "n", "chars", "c_value", "folds"])
    for k in sorted(EXPECTED, key=lambda k: (len(k), k)):
        n, _, chars, _, c, folds = EXPECTED[k]
        w.writerow([" ".join(map(str, k)), n, chars, repr(c), "true" if folds else "false"])
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--csv", help="candidates CSV: tokens (space separated), n, chars[, c_value, folds]")
    p.add_argument("--fold-share", type=float, default=FOLD_SHARE)
    p.add_argument("--tol", type=float, default=1e-9, help="relative tolerance for c_value")
    p.add_argument("--emit-toy-csv", action="store_true")
    args = p.parse_args()
    if args.emit_toy_csv:
        return emit_toy_csv()
    if args.csv:
        return check_csv(args.csv, args.fold_share, args.tol)
    return check_toy()


if __name__ == "__main__":
    sys.exit(main())
