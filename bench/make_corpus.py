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
- `briefings`: the MFA's regular briefings (issue 27: speakers and periods).
  The seeds' question-and-answer pairs are taken out of their five layouts
  (`seed_turns`) and written as `问：`/`答：` turns, one briefing per weekday
  from 2021-01-01 (`YYYY-MM-DD_briefing.txt`), each opening with its header
  (`2021年1月4日外交部发言人华春莹主持例行记者会`); five spokespersons take
  turns by week. The corpus spans as many whole years as about eight turns a
  briefing fill (4 years at 10 MB), and the turns are spread over its
  briefings until it reaches the size; a briefing's turns are consecutive
  seed turns, so no turn stands twice in one briefing (where the ingest would
  take the second for a passage printed twice). Only the wording of each
  question is kept, not its outlet.

    python3 bench/make_corpus.py data /tmp/bench/40mb 40 [spread|years|briefings]
"""
import datetime
import math
import pathlib
import re
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


SPOKESPERSONS = ["华春莹", "汪文斌", "赵立坚", "毛宁", "林剑"]
SENTENCE_END = "。！？!?…；;：:"
CLOSERS = "”’」』）)》】\"'"
QUESTION = [
    re.compile(r"^[^：:，。,]{0,40}?记者\s*[：:]\s*(?P<rest>.*)$"),
    re.compile(r"^(?:会上)?有记者(?:提问|问|问道)\s*[，,：:]\s*(?P<rest>.*)$"),
]
ANSWER = [
    re.compile(r"^(?:[^：:，。,\s]{0,20}(?:部长|外长|委员)\s*)?王毅\s*[：:]\s*(?P<rest>.*)$"),
    re.compile(r"^(?:对此\s*[，,]\s*)?王毅(?:说|称|表示)\s*[，,：:]\s*(?P<rest>.*)$"),
]
# Lines that belong to no turn: page furniture, timestamps, captions, ledes,
# the sidebar's headings, a host's or another speaker's name on its own.
SKIP = re.compile(
    r"^(?:title|url|author|content)\s*:|^\[\s*\d{4}-\d\d-\d\d [\d:]+\s*\]$|接第\S{1,3}版|^两会\s*重磅$"
    r"|摄[）)]?$|新华社发$|^图为|全国人大.{0,12}会议.{0,40}举行(?:视频)?记者会|^据新华社|^记者会(?:历时|持续)"
)
FURNITURE_SUFFIX = re.compile(r"\s+据新华社\S{0,8}$")
OTHER_TURN = re.compile(r"^[^\s：:，。,、！？!?]{1,12}(?:\s+\S{1,8})?\s*[：:]\s*$")


def ends_sentence(line):
    return line.rstrip(CLOSERS)[-1:] in SENTENCE_END


def seed_turns(texts):
    """The seeds' (question, answer) pairs, each answer's paragraphs joined by
    blank lines (a paragraph cut by a column break joined to its end), in
    conference order. Answers without a question (openings, the sidebar) and
    questions without an answer are left out."""
    turns = []
    for _, data in texts:
        question, answer, state = None, [], None

        def close():
            if question and answer and sum(map(len, answer)) >= 60:
                turns.append((question, answer))

        lines = [FURNITURE_SUFFIX.sub("", line.strip()) for line in data.decode("utf-8").splitlines()]
        lines = [line for line in lines if line and not SKIP.search(line)]
        for k, line in enumerate(lines):
            q = next((m for m in (r.match(line) for r in QUESTION) if m), None)
            a = next((m for m in (r.match(line) for r in ANSWER) if m), None)
            if q:
                close()
                question, answer, state = q["rest"].strip(), [], "question"
            elif a:
                if state == "answer" and answer:
                    # A live text's next block under the same name.
                    rest = a["rest"].strip()
                    if rest and not ends_sentence(answer[-1]):
                        answer[-1] += rest
                    elif rest:
                        answer.append(rest)
                    continue
                if state != "question":
                    question = None
                answer, state = ([a["rest"].strip()] if a["rest"].strip() else []), "answer"
            elif OTHER_TURN.match(line) or line.startswith("■"):
                close()
                question, answer, state = None, [], None
            elif state == "question" and not question:
                question = line  # a live text's question under its outlet's line
            elif state == "answer":
                after = lines[k + 1] if k + 1 < len(lines) else "■"
                headline = (
                    len(line) <= 40
                    and not ends_sentence(line)
                    and (after.startswith("■") or any(r.match(after) for r in QUESTION))
                )
                if answer and not ends_sentence(answer[-1]):
                    answer[-1] += line  # a column break
                elif headline:
                    close()  # a headline over the next question
                    question, answer, state = None, [], None
                else:
                    answer.append(line)
        close()
    return turns


def briefings(texts, out, target):
    turns = [
        "问：" + q + "\n\n" + "\n\n".join([("答：" if i == 0 else "") + p for i, p in enumerate(a)]) + "\n\n"
        for q, a in seed_turns(texts)
    ]
    if not turns:
        raise SystemExit("no question-and-answer turns found in the seeds")
    sizes = [len(t.encode("utf-8")) for t in turns]
    mean = sum(sizes) / len(sizes)
    needed = math.ceil(target / mean)
    # Whole years of weekdays, about eight turns a briefing.
    years = max(1, round(needed / 8 / 261))
    first = datetime.date(2021, 1, 1)
    days = [first + datetime.timedelta(days=d) for d in range((datetime.date(2021 + years, 1, 1) - first).days)]
    days = [d for d in days if d.weekday() < 5]
    monday = first - datetime.timedelta(days=first.weekday())
    per_day, extra = divmod(needed, len(days))
    if per_day + 1 > len(turns):
        raise SystemExit(f"more than {len(turns)} turns a briefing: choose a smaller size")
    written, start = 0, 0
    for f, day in enumerate(days):
        n = per_day + (1 if f < extra else 0)
        speaker = SPOKESPERSONS[(day - monday).days // 7 % len(SPOKESPERSONS)]
        header = f"{day.year}年{day.month}月{day.day}日外交部发言人{speaker}主持例行记者会\n\n"
        body = header + "".join(turns[(start + j) % len(turns)] for j in range(n))
        start += n
        data = body.encode("utf-8")
        (out / f"{day.isoformat()}_briefing.txt").write_bytes(data)
        written += len(data)
    return len(days), written


def main(src: str, dst: str, megabytes: float, shape: str = "spread") -> None:
    src_dir, dst_dir = pathlib.Path(src), pathlib.Path(dst)
    if dst_dir.exists():
        shutil.rmtree(dst_dir)
    shutil.copytree(src_dir, dst_dir / "data", ignore=shutil.ignore_patterns("transcripts", "corpus.toml"))
    out = dst_dir / "data" / "transcripts"
    out.mkdir(parents=True)
    seeds = sorted((src_dir / "transcripts").glob("*.txt"))
    texts = [(p.name, p.read_bytes()) for p in seeds]
    build = {"spread": spread, "years": years, "briefings": briefings}.get(shape)
    if build is None:
        raise SystemExit(f"unknown shape '{shape}': spread, years or briefings")
    files, written = build(texts, out, megabytes * 1_000_000)
    print(f"{dst_dir}: {files} transcripts, {written / 1e6:.1f} MB, shape {shape}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]), *sys.argv[4:5])
