"""Where each stage of one `rhetoric-shift all --timings` run spends its time.

    perf record -F 499 -o perf.data rhetoric-shift all --timings --data D --out O 2> all.log
    python3 bench/stage_profile.py perf.data all.log

perf's samples carry no stage (rayon's worker threads run every stage's work
on stacks that do not name it), so each sample is given to the stage whose
interval, from the run's own `timing:` lines, holds its time: the stages run
one after another, and the time before the first is reading the
configuration. Prints each stage's seconds, its samples and the functions
that take the most of them (self time).
"""

import collections
import re
import subprocess
import sys

TOP = 6


def stages(log):
    out = []
    for line in open(log, encoding="utf-8"):
        m = re.match(r"timing: (\w+): ([0-9.]+) s", line)
        if m:
            out.append((m.group(1), float(m.group(2))))
    return out


def samples(data):
    text = subprocess.run(
        ["perf", "script", "-i", data, "-F", "time,ip,sym"],
        capture_output=True, text=True, check=True,
    ).stdout
    out = []
    for line in text.splitlines():
        m = re.match(r"\s*([0-9.]+):\s+[0-9a-f]+\s*(.*)", line)
        if m:
            out.append((float(m.group(1)), m.group(2).strip() or "[unknown]"))
    return out


def short(sym):
    """A function's last three path segments, without generics or hash."""
    sym = re.sub(r"::h[0-9a-f]{16}$", "", sym)
    for _ in range(3):
        sym = re.sub(r"<[^<>]*>", "", sym)
    return "::".join(sym.split("::")[-3:])[-80:]


def main(data, log):
    steps = stages(log)
    got = samples(data)
    if not steps or not got:
        raise SystemExit("no timing lines in the log, or no samples in the perf data")
    t0 = got[0][0]
    before = (got[-1][0] - t0) - sum(s for _, s in steps)
    bounds, at = [], before
    for name, secs in steps:
        bounds.append((name, at + secs))
        at += secs
    per = collections.defaultdict(collections.Counter)
    for t, sym in got:
        name = next((n for n, end in bounds if t - t0 < end), bounds[-1][0])
        per[name][sym] += 1
    print(f"before the first stage: {max(before, 0.0):.2f} s")
    for name, secs in steps:
        counts = per[name]
        n = sum(counts.values())
        print(f"{name}: {secs:.2f} s, {n} samples")
        for sym, k in counts.most_common(TOP):
            print(f"  {100 * k / n:5.1f}%  {short(sym)}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2])
