"""Builds a scaled corpus for the benchmark: copies of the seed transcripts under
distinct dates, plus the seed's data files. Generated on demand, never committed.

Copies are spread over the 25 years 2002-2026, as the MFA's regular briefings
are (copy k of a seed goes to year 2002 + k mod 25), so a briefing-scale corpus
has a briefing-scale number of years to compare, not five ever-larger ones.

    python3 bench/make_corpus.py data /tmp/bench/40mb 40
"""
import datetime
import pathlib
import shutil
import sys

FIRST_YEAR, YEARS = 2002, 25


def main(src: str, dst: str, megabytes: float) -> None:
    src_dir, dst_dir = pathlib.Path(src), pathlib.Path(dst)
    if dst_dir.exists():
        shutil.rmtree(dst_dir)
    shutil.copytree(src_dir, dst_dir / "data", ignore=shutil.ignore_patterns("transcripts", "corpus.toml"))
    out = dst_dir / "data" / "transcripts"
    out.mkdir(parents=True)
    seeds = sorted((src_dir / "transcripts").glob("*.txt"))
    texts = [(p.name, p.read_bytes()) for p in seeds]
    target = megabytes * 1_000_000
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
    print(f"{dst_dir}: {len(texts) * k} transcripts, {written / 1e6:.1f} MB")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]))
