"""Builds a scaled corpus for the benchmark: copies of the seed transcripts under
distinct dates, plus the seed's data files. Generated on demand, never committed.

Two shapes:

- `spread` (the default): copies spread over the 25 years 2002-2026, as the
  MFA's regular briefings are (copy k of a seed goes to year 2002 + k mod 25).
  Every year then holds copies of every seed, so the years barely differ and
  most phrases are far from significant: the cheap case of the analysis.
- `years`: each seed's copies stay in the seed's own year (2018, 2021, 2024,
  2025, 2026), as five years of briefings would be: few years, each with many
  answers, and years that really differ, so that most frequent phrases are
  significant. The costly case. A year holds more copies than it has days,
  so a file holds several copies, one briefing each, separated by a line of
  asterisks (a separator: a passage said again in another briefing is kept).

    python3 bench/make_corpus.py data /tmp/bench/40mb 40 [spread|years]
"""
import datetime
import pathlib
import shutil
import sys

FIRST_YEAR, YEARS = 2002, 25
SEPARATOR = b"\n*******\n"


def spread(texts, out, target):
    written, k = 0, 0
    while written < target:
        for i, (name, data) in enumerate(texts):
            year = FIRST_YEAR + k % YEARS
            offset = k // YEARS * len(texts) + i
            day = datetime.date(year, 1, 1) + datetime.timedelta(days=offset)
            if day.year != year:
                raise SystemExit(f"more than {365 * YEARS} copies of {name}: choose a smaller size")
            (out / f"{day.isoformat()}_{name[11:-4]}-copy{k}.txt").write_bytes(data)
            written += len(data)
        k += 1
    return len(texts) * k, written


def years(texts, out, target):
    # Copies per seed so that every seed gets the same number, and files per
    # seed so that no day holds two.
    per_seed = max(1, round(target / sum(len(d) for _, d in texts)))
    files = min(per_seed, 360)
    written, count = 0, 0
    for name, data in texts:
        year = int(name[:4])
        for f in range(files):
            copies = per_seed // files + (1 if f < per_seed % files else 0)
            day = datetime.date(year, 1, 1) + datetime.timedelta(days=f)
            body = SEPARATOR.join([data] * copies)
            (out / f"{day.isoformat()}_{name[11:-4]}-copies{f}.txt").write_bytes(body)
            written += len(body)
            count += 1
    return count, written


def main(src: str, dst: str, megabytes: float, shape: str = "spread") -> None:
    src_dir, dst_dir = pathlib.Path(src), pathlib.Path(dst)
    if dst_dir.exists():
        shutil.rmtree(dst_dir)
    shutil.copytree(src_dir, dst_dir / "data", ignore=shutil.ignore_patterns("transcripts", "corpus.toml"))
    out = dst_dir / "data" / "transcripts"
    out.mkdir(parents=True)
    seeds = sorted((src_dir / "transcripts").glob("*.txt"))
    texts = [(p.name, p.read_bytes()) for p in seeds]
    build = {"spread": spread, "years": years}.get(shape)
    if build is None:
        raise SystemExit(f"unknown shape '{shape}': spread or years")
    files, written = build(texts, out, megabytes * 1_000_000)
    print(f"{dst_dir}: {files} transcripts, {written / 1e6:.1f} MB, shape {shape}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]), *sys.argv[4:5])
