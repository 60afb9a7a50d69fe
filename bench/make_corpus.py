"""Builds a scaled corpus for the benchmark: copies of the seed transcripts under
distinct dates, plus the seed's data files. Generated on demand, never committed.

Four shapes:

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
- `vocab`: `briefings` whose vocabulary grows as real briefings' does (issue 29:
  Heaps' law, distinct words about K * N^beta). Same files, headers, speakers,
  dates and turn order, but every time a turn is placed in a briefing its
  replaceable words are drawn anew: names, places, organisations, other proper
  nouns and the rarer topic nouns of the seeds (jieba.posseg tags nr, ns, nt,
  nz and n, said at most `VOCAB_MAX_SEED_COUNT` = 5 times in all the seed
  turns, and the names of data/dict/places.txt at any count) each become a
  word of the same tag (ns for places.txt's) from jieba's dictionary, drawn
  under a Zipf law: the word of rank r, by the dictionary's frequency, with
  probability proportional to 1 / r^s, s = `VOCAB_ZIPF` = 1.0. One draw per
  distinct word per placed turn, so a turn names its new place consistently.
  Arabic numbers other than dates and times get random digits. The tool's own
  vocabulary is never replaced nor drawn: any word that is, holds or stands
  inside a term of topics.toml, layout.toml, outlets.csv, the lexicons,
  glossary.csv or the user dictionaries (places.txt aside). About 10% of the
  seed turns' characters are replaceable. The draws come from
  random.Random(VOCAB_SEED), so the corpus is the same bytes on every run with
  the same arguments. Needs `pip install jieba` (0.42.1: its dict.txt is the
  word pool, its posseg, without HMM, the tagger).

    python3 bench/make_corpus.py data /tmp/bench/40mb 40 [spread|years|briefings|vocab]
"""
import bisect
import datetime
import math
import os
import pathlib
import random
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


def turn_text(q, a):
    return "问：" + q + "\n\n" + "\n\n".join([("答：" if i == 0 else "") + p for i, p in enumerate(a)]) + "\n\n"


def briefings(texts, out, target, vary=None):
    turns = [turn_text(q, a) for q, a in seed_turns(texts)]
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
        placed = [(start + j) % len(turns) for j in range(n)]
        body = header + "".join(vary(k) if vary else turns[k] for k in placed)
        start += n
        data = body.encode("utf-8")
        (out / f"{day.isoformat()}_briefing.txt").write_bytes(data)
        written += len(data)
    return len(days), written


VOCAB_SEED = 29
VOCAB_ZIPF = 1.0  # 1.1 gave Heaps' beta 0.48 at 10 MB, 1.0 gives 0.53
VOCAB_MAX_SEED_COUNT = 5
VOCAB_TAGS = ("nr", "ns", "nt", "nz", "n")
HAN = re.compile(r"^[\u4e00-\u9fff]{2,}$")
NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
DATE_UNITS = set("年月日时点")  # a number before these is a date or time: kept


def protected_terms(src):
    """The tool's own vocabulary: every Han run of two characters or more in
    topics.toml, layout.toml (a drawn 记者 or 主持人 could start a turn),
    outlets.csv, the lexicons, glossary.csv and the dictionaries (places.txt
    aside, whose names are what the shape replaces)."""
    files = [src / "topics.toml", src / "layout.toml", src / "outlets.csv", src / "glossary.csv"]
    files += sorted((src / "lexicons").glob("*"))
    files += [p for p in sorted((src / "dict").glob("*.txt")) if p.name != "places.txt"]
    terms = set()
    for p in files:
        terms.update(re.findall(r"[\u4e00-\u9fff]{2,}", p.read_text(encoding="utf-8")))
    return terms


def vocab(texts, out, target, src):
    try:
        import jieba
        import jieba.posseg
    except ImportError:
        raise SystemExit("shape vocab needs jieba: pip install jieba")
    jieba.setLogLevel(60)
    protected = protected_terms(src)
    inside = {t[i:j] for t in protected for i in range(len(t)) for j in range(i + 2, len(t) + 1)}

    def is_protected(word):
        n = len(word)
        return word in inside or any(word[i:j] in protected for i in range(n) for j in range(i + 2, n + 1))

    places = set()
    for line in (src / "dict" / "places.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            places.add(line.split()[0])
    # The pools: jieba's dictionary, one list per tag, by frequency (ties by word).
    pools = {t: [] for t in VOCAB_TAGS}
    with open(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"), encoding="utf-8") as f:
        for line in f:
            word, freq, tag = line.split()
            if tag in pools and HAN.match(word) and not is_protected(word):
                pools[tag].append((-int(freq), word))
    cumulative = {}
    for tag, pool in pools.items():
        pool.sort()
        pools[tag] = [w for _, w in pool]
        total, cum = 0.0, []
        for r in range(1, len(pool) + 1):
            total += 1.0 / r**VOCAB_ZIPF
            cum.append(total)
        cumulative[tag] = cum
    # Each seed turn as pieces: literal text, or a slot (tag, word) to replace.
    # One tagger, no HMM, so the tags depend on the dictionary only.
    pairs = seed_turns(texts)
    cut = [[(p.word, p.flag) for p in jieba.posseg.cut(turn_text(q, a), HMM=False)] for q, a in pairs]
    counts = {}
    for words in cut:
        for w, _ in words:
            counts[w] = counts.get(w, 0) + 1

    def slot(word, flag):
        if not HAN.match(word) or is_protected(word):
            return None
        if word in places:
            return "ns"
        if flag in pools and counts[word] <= VOCAB_MAX_SEED_COUNT:
            return flag
        return None

    templates = []
    for words in cut:
        pieces = []
        for i, (w, flag) in enumerate(words):
            tag = slot(w, flag)
            after = words[i + 1][0][:1] if i + 1 < len(words) else ""
            if tag:
                pieces.append((tag, w))
            elif NUMBER.fullmatch(w) and after not in DATE_UNITS:
                pieces.append(("number", w))
            elif pieces and isinstance(pieces[-1], str):
                pieces[-1] += w
            else:
                pieces.append(w)
        templates.append(pieces)
    rng = random.Random(VOCAB_SEED)

    def draw(tag):
        cum = cumulative[tag]
        return pools[tag][bisect.bisect_left(cum, rng.random() * cum[-1])]

    def number(w):
        whole, _, frac = w.partition(".")
        digits = str(rng.randint(1 if len(whole) > 1 else 0, 9)) + "".join(
            str(rng.randint(0, 9)) for _ in range(len(whole) - 1)
        )
        return digits + ("." + "".join(str(rng.randint(0, 9)) for _ in frac) if frac else "")

    def vary(k):
        chosen, parts = {}, []
        for piece in templates[k]:
            if isinstance(piece, str):
                parts.append(piece)
            elif piece[0] == "number":
                parts.append(number(piece[1]))
            else:
                if piece not in chosen:
                    chosen[piece] = draw(piece[0])
                parts.append(chosen[piece])
        return "".join(parts)

    return briefings(texts, out, target, vary)


def main(src: str, dst: str, megabytes: float, shape: str = "spread") -> None:
    src_dir, dst_dir = pathlib.Path(src), pathlib.Path(dst)
    if dst_dir.exists():
        shutil.rmtree(dst_dir)
    shutil.copytree(src_dir, dst_dir / "data", ignore=shutil.ignore_patterns("transcripts", "corpus.toml"))
    out = dst_dir / "data" / "transcripts"
    out.mkdir(parents=True)
    seeds = sorted((src_dir / "transcripts").glob("*.txt"))
    texts = [(p.name, p.read_bytes()) for p in seeds]
    shapes = {
        "spread": spread,
        "years": years,
        "briefings": briefings,
        "vocab": lambda texts, out, target: vocab(texts, out, target, src_dir),
    }
    build = shapes.get(shape)
    if build is None:
        raise SystemExit(f"unknown shape '{shape}': spread, years, briefings or vocab")
    files, written = build(texts, out, megabytes * 1_000_000)
    print(f"{dst_dir}: {files} transcripts, {written / 1e6:.1f} MB, shape {shape}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]), *sys.argv[4:5])
