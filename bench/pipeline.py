"""The Python pipeline the benchmark compares against: what a researcher would
write with jieba and pandas for the same job, on the same inputs, writing the
same two core tables (phrase_freq.csv and topic_year.csv).

It reads the transcripts, splits question and answer turns (reporter lines
'…记者：', answer lines '王毅：' / '王毅说，'), normalises punctuation as
rhetoric-shift does, segments with jieba and the same user dictionary and
stopwords, tags topics from the same topics.toml with the same weights
(longest cue first), and counts content unigrams, bigrams and tracked phrases
per (year, topic) and year with pandas group-bys: n, per 10k tokens and
characters, n_answers. It does less than rhetoric-shift (no layout repairs, no
Gries' DP, no keyness, bootstrap, charts or report), which favours Python.

    python3 bench/pipeline.py DATA_DIR OUT_DIR
"""
import pathlib
import re
import sys
import tomllib

import jieba
import pandas as pd

ASCII = str.maketrans({",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）", "\u3000": " "})
REPORTER = re.compile(r"^(?:[^：:]{0,20}记者|有记者提问)[：:，,]?(.*)$")
ANSWER = re.compile(r"^王毅(?:[：:]|说[，,：:])(.*)$")


def normalise(text: str) -> str:
    text = text.translate(ASCII)
    return "".join(chr(ord(c) - 0xFEE0) if "０" <= c <= "９" or "Ａ" <= c <= "ｚ" else c for c in text)


def turns(path: pathlib.Path):
    year = int(path.name[:4])
    question, answer, records = None, [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            continue
        if m := REPORTER.match(line):
            if question is not None:
                records.append((question, "\n".join(answer)))
            question, answer = m.group(1), []
        elif m := ANSWER.match(line):
            answer.append(m.group(1))
        elif question is not None:
            answer.append(line)
    if question is not None:
        records.append((question, "\n".join(answer)))
    return [(f"{path.stem}/{i + 1:02}", year, q, a) for i, (q, a) in enumerate(records)]


def main(data: str, out: str) -> None:
    data_dir, out_dir = pathlib.Path(data), pathlib.Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    jieba.setLogLevel(60)
    jieba.load_userdict(str(data_dir / "dict" / "userdict.txt"))
    stop = {l.split("#")[0].strip() for l in (data_dir / "dict" / "stopwords.txt").read_text(encoding="utf-8").splitlines()}
    topics = tomllib.loads((data_dir / "topics.toml").read_text(encoding="utf-8"))
    score = topics["scoring"]
    cues = {}
    for t in topics["topic"]:
        for group in t["cues"]:
            for c in group:
                cues.setdefault(normalise(c), []).append(t["id"])
    for c in topics.get("ignore", []):
        cues.setdefault(normalise(c), [])
    cue_re = re.compile("|".join(re.escape(c) for c in sorted(cues, key=len, reverse=True)))

    rows = [r for p in sorted((data_dir / "transcripts").glob("*.txt")) for r in turns(p)]
    answers = pd.DataFrame(rows, columns=["id", "year", "question", "answer"])
    answers["norm"] = answers["answer"].map(normalise)

    tags = []
    for rec in answers.itertuples():
        s = {}
        for text, w in ((normalise(rec.question), score["question_weight"]), (rec.norm, score["answer_weight"])):
            for m in cue_re.finditer(text):
                for t in cues[m.group(0)]:
                    s[t] = s.get(t, 0) + w
        tags += [(rec.id, t) for t, v in s.items() if v >= score["min_score"]]
    membership = pd.concat([pd.DataFrame(tags, columns=["id", "topic"]), answers[["id"]].assign(topic="all")])

    tokens = [(rec.id, pos, w) for rec in answers.itertuples() for pos, w in enumerate(t for t in jieba.lcut(rec.norm) if t.strip())]
    tok = pd.DataFrame(tokens, columns=["id", "position", "token"])
    tok["word"] = tok["token"].str.contains(r"[\w]", regex=True)
    tok["content"] = tok["word"] & ~tok["token"].isin(stop) & ~tok["token"].str.fullmatch(r"\d+")
    sizes = tok.groupby("id").agg(n_tokens=("word", "sum")).reset_index()
    sizes = sizes.merge(answers[["id", "year", "norm"]], on="id")
    sizes["n_chars"] = sizes["norm"].str.replace(r"\s", "", regex=True).str.len()
    sized = sizes.merge(membership, on="id")
    groups = sized.groupby(["year", "topic"]).agg(n_answers=("id", "size"), n_tokens=("n_tokens", "sum"), n_chars=("n_chars", "sum")).reset_index()
    totals = groups[groups.topic == "all"][["year", "n_chars"]].rename(columns={"n_chars": "year_chars"})
    topic_year = groups.merge(totals, on="year")
    topic_year["share"] = topic_year["n_chars"] / topic_year["year_chars"]
    topic_year.drop(columns="year_chars").to_csv(out_dir / "topic_year.csv", index=False, encoding="utf-8-sig")

    uni = tok[tok.content].groupby(["id", "token"]).size().reset_index(name="c").rename(columns={"token": "phrase"}).assign(kind="unigram")
    tok["next"] = tok.groupby("id")["token"].shift(-1)
    tok["next_content"] = tok.groupby("id")["content"].shift(-1).fillna(False).astype(bool)
    bi = tok[tok.content & tok.next_content]
    bi = (bi["token"] + " " + bi["next"]).to_frame("phrase").assign(id=bi["id"]).groupby(["id", "phrase"]).size().reset_index(name="c").assign(kind="bigram")
    tracked_rows = []
    phrase_topic = [(normalise(p), t["id"]) for t in topics["topic"] for p in t.get("phrases", [])]
    for rec in sizes.itertuples():
        text = re.sub(r"\s", "", rec.norm)
        for p in {p for p, _ in phrase_topic}:
            c = text.count(p)
            if c:
                tracked_rows.append((rec.id, p, c))
    tracked = pd.DataFrame(tracked_rows, columns=["id", "phrase", "c"]).assign(kind="tracked")
    pt = pd.DataFrame(phrase_topic + [(p, "all") for p, _ in phrase_topic], columns=["phrase", "topic"]).drop_duplicates()
    counts = pd.concat([uni.merge(sized[["id", "year", "topic"]], on="id"), tracked.merge(sized[["id", "year", "topic"]], on="id").merge(pt, on=["phrase", "topic"]), bi.merge(sized[["id", "year", "topic"]], on="id")])
    freq = counts.groupby(["year", "topic", "kind", "phrase"]).agg(n=("c", "sum"), n_answers=("id", "size")).reset_index()
    freq = freq.merge(groups, on=["year", "topic"], suffixes=("", "_g"))
    freq["per_10k_tokens"] = freq["n"] * 10000 / freq["n_tokens"]
    freq["per_10k_chars"] = freq["n"] * 10000 / freq["n_chars"]
    freq = freq.sort_values(["year", "topic", "kind", "n", "phrase"], ascending=[True, True, True, False, True])
    freq[["year", "topic", "phrase", "kind", "n", "per_10k_tokens", "per_10k_chars", "n_answers"]].to_csv(out_dir / "phrase_freq.csv", index=False, encoding="utf-8-sig")
    print(f"pipeline.py: {len(answers)} records, {len(tok)} tokens, {len(freq)} frequency rows")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
