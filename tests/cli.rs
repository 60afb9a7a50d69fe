//! Integration tests: the binary on the real seeds and on small made-up
//! transcripts. Every test works in a fresh folder of its own.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

const BIN: &str = env!("CARGO_BIN_EXE_rhetoric-shift");
const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// A fresh work folder with a `data/` of its own.
struct Work {
    dir: PathBuf,
}

impl Work {
    fn new(name: &str) -> Work {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "rhetoric-shift-test-{}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst),
            name
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("data/transcripts")).unwrap();
        Work { dir }
    }

    /// A work folder whose data is a copy of the repository's (the five seeds).
    fn with_seeds(name: &str) -> Work {
        let w = Work::new(name);
        copy_dir(&Path::new(REPO).join("data"), &w.dir.join("data"));
        w
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    fn out(&self) -> PathBuf {
        self.dir.join("output")
    }

    fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        let p = self.dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(BIN)
            .args(args)
            .arg("--data")
            .arg(self.data())
            .arg("--out")
            .arg(self.out())
            .output()
            .unwrap()
    }

    fn all(&self) -> Output {
        self.run(&["all"])
    }

    fn table(&self, name: &str) -> Vec<BTreeMap<String, String>> {
        read_csv(&self.out().join("tables").join(name))
    }
}

impl Drop for Work {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

fn read_csv(path: &Path) -> Vec<BTreeMap<String, String>> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let text = String::from_utf8(bytes).unwrap();
    let text = text
        .strip_prefix('\u{feff}')
        .expect("CSV starts with a byte-order mark");
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn assert_ok(o: &Output) {
    assert!(
        o.status.success(),
        "expected success, got {:?}: {}",
        o.status.code(),
        stderr(o)
    );
}

/// Asserts exit code 2 and a message containing every piece.
fn assert_fails(o: &Output, pieces: &[&str]) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "expected exit 2, stderr: {err}");
    assert!(!err.contains("panicked"), "panic: {err}");
    for p in pieces {
        assert!(err.contains(p), "stderr lacks '{p}': {err}");
    }
}

const QA: &str = "路透社记者：中方如何看待中美关系？\n\n王毅：中美应当相互尊重。\n\n彭博社记者：台湾问题呢？\n\n王毅：台湾是中国的一部分。\n";

// ---------------------------------------------------------------- the seeds

fn seeds() -> (Work, Vec<BTreeMap<String, String>>) {
    let w = Work::with_seeds("seeds");
    assert_ok(&w.all());
    let answers = w.table("answers.csv");
    (w, answers)
}

/// The topics each record is tagged with (answer_topics.csv), highest score
/// first; records without a tag are absent.
fn tags(w: &Work) -> BTreeMap<String, Vec<String>> {
    let mut scored: BTreeMap<String, Vec<(f64, usize, String)>> = BTreeMap::new();
    for (i, r) in w.table("answer_topics.csv").into_iter().enumerate() {
        if r["tagged"] == "true" {
            let score: f64 = r["score"].parse().unwrap();
            scored
                .entry(r["id"].clone())
                .or_default()
                .push((score, i, r["topic"].clone()));
        }
    }
    scored
        .into_iter()
        .map(|(id, mut v)| {
            v.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
            (id, v.into_iter().map(|x| x.2).collect())
        })
        .collect()
}

fn by_year(
    answers: &[BTreeMap<String, String>],
    year: &str,
    kind: &str,
) -> Vec<BTreeMap<String, String>> {
    answers
        .iter()
        .filter(|r| r["year"] == year && r["kind"] == kind)
        .cloned()
        .collect()
}

#[test]
fn seeds_questions_per_year() {
    let (_w, answers) = seeds();
    for (year, n) in [
        ("2018", 22),
        ("2021", 14),
        ("2024", 11),
        ("2025", 18),
        ("2026", 8),
    ] {
        assert_eq!(
            by_year(&answers, year, "answer").len(),
            n,
            "questions in {year}"
        );
    }
    // Openings where the minister spoke before the first question, the 2021 closing
    // statement, and the six 2026 sidebar quotes.
    assert_eq!(by_year(&answers, "2018", "opening").len(), 1);
    assert_eq!(by_year(&answers, "2024", "opening").len(), 1);
    assert_eq!(by_year(&answers, "2021", "closing").len(), 1);
    let excerpts: Vec<String> = by_year(&answers, "2026", "excerpt")
        .iter()
        .map(|r| r["headline"].clone())
        .collect();
    assert_eq!(
        excerpts,
        [
            "全球治理倡议",
            "周边外交",
            "全球南方",
            "中欧关系",
            "中拉关系",
            "中非关系"
        ]
    );
}

#[test]
fn seeds_dates_and_outlets() {
    let (_w, answers) = seeds();
    let dates: std::collections::BTreeSet<&str> =
        answers.iter().map(|r| r["date"].as_str()).collect();
    assert_eq!(
        dates.into_iter().collect::<Vec<_>>(),
        [
            "2018-03-08",
            "2021-03-07",
            "2024-03-07",
            "2025-03-07",
            "2026-03-08"
        ]
    );
    let outlets = |year| {
        by_year(&answers, year, "answer")
            .iter()
            .map(|r| r["outlet"].clone())
            .collect::<Vec<_>>()
    };
    let o2018 = outlets("2018");
    assert_eq!(o2018[0], "人民日报社");
    assert_eq!(o2018[1], "路透社");
    assert_eq!(o2018[21], "新华社");
    assert_eq!(outlets("2021")[0], "中央广播电视总台央视");
    assert_eq!(outlets("2024")[1], "彭博社");
    // The 2025 print edition starts with the second half: Bloomberg on Ukraine.
    assert_eq!(outlets("2025")[0], "彭博社");
    assert_eq!(outlets("2025")[1], "CGTN");
    // The summary style does not name the outlets.
    assert!(outlets("2026").iter().all(String::is_empty));
    // Headlines: over every 2021 and 2026 answer, over none in 2018, 2024, 2025.
    for year in ["2021", "2026"] {
        assert!(
            by_year(&answers, year, "answer")
                .iter()
                .all(|r| !r["headline"].is_empty()),
            "{year}"
        );
    }
    for year in ["2018", "2024", "2025"] {
        assert!(
            answers
                .iter()
                .filter(|r| r["year"] == year)
                .all(|r| r["headline"].is_empty()),
            "{year}"
        );
    }
    let a2021 = by_year(&answers, "2021", "answer");
    assert_eq!(a2021[4]["headline"], "台湾问题 在台湾问题上没有妥协余地");
}

fn answer_of<'a>(
    answers: &'a [BTreeMap<String, String>],
    id: &str,
) -> &'a BTreeMap<String, String> {
    answers
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no record {id}"))
}

#[test]
fn seeds_cut_sentences_are_rejoined() {
    let (_w, answers) = seeds();
    // Each join below was checked by reading the transcript.
    // 2021: words cut by column breaks, continued in the next paragraph.
    assert!(answer_of(&answers, "2021-03-07/01")["answer"]
        .contains("继续为中华民族伟大复兴营造良好外部环境"));
    assert!(
        answer_of(&answers, "2021-03-07/03")["answer"].contains("继往开来，推陈出新，在更大范围")
    );
    assert!(answer_of(&answers, "2021-03-07/05")["answer"].contains("也必然统一"));
    assert!(answer_of(&answers, "2021-03-07/06")["answer"].contains("他们这样做，目的只有一个"));
    // 2024: the Russia answer (line 109) continues at line 11, near the top of the file.
    let russia = answer_of(&answers, "2024-03-07/10");
    assert_eq!(russia["outlet"], "今日俄罗斯国际通讯社");
    assert!(russia["answer"].contains("中俄关系顺应世界多极化和国际关系民主化的时代潮流"));
    assert!(russia["answer"].ends_with("维护地区和全球的安全稳定。"));
    let opening = answer_of(&answers, "2024-03-07/01");
    assert!(opening["answer"].ends_with("下面我愿回答大家的提问。"));
    // 2024: the South China Sea answer (line 87) resumes at line 115, after a photo
    // caption and two other answers.
    let scs = answer_of(&answers, "2024-03-07/08");
    assert!(scs["answer"].contains("就是两个坚持：存在的争议坚持由直接当事国"));
    assert!(!scs["answer"].contains("中欧班列"));
    // 2024: the economy answer's tail printed again inside the consular answer.
    let consular = answer_of(&answers, "2024-03-07/12");
    assert!(
        consular["answer"].contains("12308热线全年受理求助来电53万多次。\n我们将重点抓好三件大事")
    );
    assert!(!consular["answer"].contains("自贸协定"));
    assert!(answer_of(&answers, "2024-03-07/07")["answer"].contains("推动商签更多的高标准自贸协定"));
    // 2025 and 2026, ASCII punctuation.
    assert!(answer_of(&answers, "2025-03-07/09")["answer"]
        .contains("在中南半岛和中亚地区形成命运共同体"));
    assert!(answer_of(&answers, "2026-03-08/12")["answer"].contains("过去一年,我们共处置"));
    // 2026: the Iran question is cut by a lede, a caption and the whole sidebar.
    let iran = answer_of(&answers, "2026-03-08/04");
    assert_eq!(iran["question"], "美国、以色列再次对伊朗进行军事打击,冲突正在向整个中东地区蔓延。中方对解决伊朗问题有什么主张?");
    assert!(iran["answer"].starts_with("这是各方都关切的问题"));
}

#[test]
fn seeds_hold_no_foreign_text_and_no_cut_sentence() {
    let (_w, answers) = seeds();
    let foreign = [
        "摄",
        "新华社发",
        "据新华社",
        "本版照片",
        "两会 重磅",
        "上接第",
        "下图",
        "王毅还回应",
        "记者会历时",
        "举行记者会",
        "中欧班列（越南",
        "\u{fffd}",
    ];
    for r in &answers {
        for field in ["question", "answer"] {
            let text = &r[field];
            for f in foreign {
                assert!(!text.contains(f), "{} {field} holds '{f}'", r["id"]);
            }
            for para in text.split('\n').filter(|p| !p.is_empty()) {
                let last = para
                    .trim_end_matches(['”', '’', '」', '）', ')', '》'])
                    .chars()
                    .last()
                    .unwrap();
                assert!(
                    "。！？!?…；;：:".contains(last),
                    "{} {field}: cut paragraph '{para}'",
                    r["id"]
                );
            }
        }
        assert_eq!(r["truncated"], "false", "{}", r["id"]);
        assert!(!r["answer"].is_empty(), "{} has no answer", r["id"]);
    }
}

#[test]
fn seeds_coverage_marks_missing_years_as_missing() {
    let (w, _) = seeds();
    let cov = w.table("coverage.csv");
    let years: Vec<&str> = cov.iter().map(|r| r["year"].as_str()).collect();
    assert_eq!(
        years,
        ["2018", "2019", "2020", "2021", "2022", "2023", "2024", "2025", "2026"]
    );
    for r in &cov {
        if ["2019", "2020", "2022", "2023"].contains(&r["year"].as_str()) {
            assert_eq!(r["status"], "no transcript");
            // Missing, not zero.
            assert_eq!(r["questions"], "");
            assert_eq!(r["answer_chars"], "");
        } else {
            assert_eq!(r["status"], "ok");
        }
    }
    let y2024 = cov.iter().find(|r| r["year"] == "2024").unwrap();
    assert_eq!(y2024["questions"], "11");
    assert_eq!(y2024["warnings"], "0");
    let repairs = w.table("repairs.csv");
    let count = |source: &str, action: &str| {
        repairs
            .iter()
            .filter(|r| r["source"].starts_with(source) && r["action"] == action)
            .count()
    };
    assert_eq!(count("2021", "join_cut"), 12);
    assert_eq!(count("2024", "join_displaced"), 2);
    assert_eq!(count("2024", "drop_duplicate"), 1);
    assert_eq!(count("2026", "join_displaced"), 1);
    assert_eq!(
        y2024["repairs"],
        repairs
            .iter()
            .filter(|r| r["source"].starts_with("2024"))
            .count()
            .to_string()
    );
}

#[test]
fn csv_is_excel_friendly_and_reruns_are_identical() {
    let (w, _) = seeds();
    let tables = w.out().join("tables");
    let mut first: Vec<(String, Vec<u8>)> = std::fs::read_dir(&tables)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    first.sort();
    let names: Vec<&str> = first.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "answer_counts.csv",
            "answer_sizes.csv",
            "answer_topics.csv",
            "answers.csv",
            "coverage.csv",
            "keyness.csv",
            "kwic.csv",
            "phrase_freq.csv",
            "register.csv",
            "repairs.csv",
            "shifts.csv",
            "tokens.csv",
            "topic_year.csv",
            "warnings.csv"
        ]
    );
    for (name, bytes) in &first {
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "{name} lacks a BOM");
        let text = std::str::from_utf8(bytes).unwrap();
        assert!(
            text.split('\n').next().unwrap().ends_with('\r'),
            "{name}: header not CRLF-terminated"
        );
    }
    assert_ok(&w.all());
    // The bootstrap, the joins and the sorts give the same bytes on every run.
    for (name, bytes) in &first {
        assert_eq!(
            &std::fs::read(tables.join(name)).unwrap(),
            bytes,
            "{name} differs on rerun"
        );
    }
    let leftovers: Vec<_> = std::fs::read_dir(&tables)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

// ------------------------------------------------------- made-up transcripts

#[test]
fn a_transcript_needs_no_manifest_entry() {
    let w = Work::new("plain");
    w.write("data/transcripts/2019-03-08_test.txt", QA);
    assert_ok(&w.all());
    let a = w.table("answers.csv");
    assert_eq!(a.len(), 2);
    assert_eq!(a[0]["id"], "2019-03-08/01");
    assert_eq!(a[0]["outlet"], "路透社");
    assert_eq!(a[0]["answer"], "中美应当相互尊重。");
    assert_eq!(a[1]["question"], "台湾问题呢？");
    assert_eq!(w.table("coverage.csv")[0]["questions"], "2");
}

#[test]
fn an_override_drops_a_passage_and_is_logged() {
    let w = Work::new("override");
    w.write("data/transcripts/2019-03-08_test.txt", QA);
    w.write(
        "data/overrides.toml",
        "[[drop]]\nfile = \"2019-03-08_test.txt\"\ntext = \"是中国的一部分\"\nreason = \"test\"\n",
    );
    assert_ok(&w.all());
    assert_eq!(w.table("answers.csv")[1]["answer"], "台湾。");
    assert!(w
        .table("repairs.csv")
        .iter()
        .any(|r| r["action"] == "override_drop"));
}

#[test]
fn the_text_date_is_cross_checked() {
    let w = Work::new("date");
    w.write(
        "data/transcripts/2019-03-08_test.txt",
        format!("十三届全国人大一次会议新闻中心3月8日举行记者会，请外交部部长王毅回答中外记者提问。\n\n{QA}"),
    );
    let o = w.all();
    assert_ok(&o);
    assert!(
        stderr(&o).contains(
            "2019-03-08_test.txt:1: the text dates itself by an NPC session held in 2018"
        ),
        "{}",
        stderr(&o)
    );
    assert_eq!(w.table("warnings.csv").len(), 1);
}

#[test]
fn gb18030_is_decoded_with_a_warning() {
    let w = Work::new("gbk");
    let (bytes, _, _) = encoding_rs::GB18030.encode(QA);
    w.write("data/transcripts/2019-03-08_gbk.txt", &bytes);
    let o = w.all();
    assert_ok(&o);
    assert!(stderr(&o).contains("decoded as GB18030"));
    assert_eq!(w.table("answers.csv")[0]["answer"], "中美应当相互尊重。");
}

#[test]
fn utf16_and_bom_and_crlf_are_read() {
    let w = Work::new("utf16");
    let mut utf16 = vec![0xFF, 0xFE];
    for u in QA.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    w.write("data/transcripts/2019-03-08_utf16.txt", &utf16);
    w.write(
        "data/transcripts/2020-03-08_bomcrlf.txt",
        format!("\u{feff}{}", QA.replace('\n', "\r\n")),
    );
    assert_ok(&w.all());
    let a = w.table("answers.csv");
    assert_eq!(a.len(), 4);
    assert!(a
        .iter()
        .all(|r| !r["answer"].contains('\r') && !r["question"].starts_with('\u{feff}')));
    assert_eq!(a[2]["outlet"], "路透社");
}

#[test]
fn bad_transcripts_are_refused_with_the_file_named() {
    let cases: [(&str, &[u8], &[&str]); 5] = [
        (
            "2019-03-08_empty.txt",
            b"",
            &["2019-03-08_empty.txt: empty file"],
        ),
        (
            "2019-03-08_bin.txt",
            b"\x00\x01\x02\xff\xfe\x00garbage",
            &["2019-03-08_bin.txt: binary data"],
        ),
        (
            "2019-03-08_bad.txt",
            b"\xff\xff\xff\x80\x80",
            &["2019-03-08_bad.txt: not UTF-8", "GB18030"],
        ),
        (
            "2019-03-08_prose.txt",
            "这是一段没有问答结构的文字。".as_bytes(),
            &["2019-03-08_prose.txt: no question/answer structure"],
        ),
        (
            "notes.txt",
            QA.as_bytes(),
            &["notes.txt: file name must start with the conference date"],
        ),
    ];
    for (name, bytes, pieces) in cases {
        let w = Work::new("bad");
        w.write(&format!("data/transcripts/{name}"), bytes);
        assert_fails(&w.all(), pieces);
        assert!(
            !w.out().join("tables/answers.csv").exists(),
            "{name}: output written"
        );
    }
}

#[test]
fn an_impossible_date_in_a_file_name_is_refused() {
    let w = Work::new("bad-date");
    w.write("data/transcripts/2019-02-30_t.txt", QA);
    assert_fails(
        &w.all(),
        &["2019-02-30_t.txt: '2019-02-30' in the file name is not a date"],
    );
}

#[test]
fn two_transcripts_for_one_date_are_refused() {
    let w = Work::new("dup");
    w.write("data/transcripts/2019-03-08_a.txt", QA);
    w.write("data/transcripts/2019-03-08_b.txt", QA);
    assert_fails(
        &w.all(),
        &[
            "2019-03-08_b.txt: a second transcript for 2019-03-08",
            "2019-03-08_a.txt",
        ],
    );
}

#[test]
fn manifest_errors_name_file_and_line() {
    let cases: [(&str, &[&str]); 4] = [
        ("[[transcript]]\nfile = \"2019-03-08_t.txt\"\ndat = \"x\"\n", &["corpus.toml:3: unknown field 'dat'"]),
        ("[[transcript]\nfile = 1\n", &["corpus.toml:1:"]),
        (
            "[[transcript]]\nfile = \"2019-03-08_t.txt\"\n\n[[transcript]]\nfile = \"2019-03-08_t.txt\"\n",
            &["corpus.toml:4: duplicate entry for '2019-03-08_t.txt'"],
        ),
        ("[[transcript]]\nfile = \"2030-01-01_gone.txt\"\n", &["corpus.toml:1: entry for '2030-01-01_gone.txt'"]),
    ];
    for (manifest, pieces) in cases {
        let w = Work::new("manifest");
        w.write("data/transcripts/2019-03-08_t.txt", QA);
        w.write("data/corpus.toml", manifest);
        assert_fails(&w.all(), pieces);
    }
}

#[test]
fn a_broken_dictionary_or_layout_line_is_named() {
    let w = Work::new("dict");
    w.write("data/transcripts/2019-03-08_t.txt", QA);
    w.write("data/dict/userdict.txt", "一带一路 3000 n\n台独 lots n\n");
    assert_fails(
        &w.all(),
        &["userdict.txt:2: frequency 'lots' is not a whole number in '台独 lots n'"],
    );

    let w = Work::new("layout");
    w.write("data/transcripts/2019-03-08_t.txt", QA);
    let layout = std::fs::read_to_string(Path::new(REPO).join("data/layout.toml")).unwrap();
    w.write(
        "data/layout.toml",
        layout.replacen("caption = [", "caption = ['(unclosed', ", 1),
    );
    assert_fails(&w.all(), &["layout.toml:", "bad pattern in 'caption'"]);
}

#[test]
fn output_inside_data_is_refused_and_failures_keep_old_outputs() {
    let w = Work::new("paths");
    w.write("data/transcripts/2019-03-08_t.txt", QA);
    let o = Command::new(BIN)
        .args(["all", "--data"])
        .arg(w.data())
        .arg("--out")
        .arg(w.data().join("out"))
        .output()
        .unwrap();
    assert_fails(&o, &["overlaps --data"]);
    assert!(!w.data().join("out").exists());
    // The output folder may not be the data folder either, nor contain it.
    for out in [w.data(), w.dir.clone()] {
        let o = Command::new(BIN)
            .args(["all", "--data"])
            .arg(w.data())
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        assert_fails(&o, &["overlaps --data"]);
    }
    assert!(!w.data().join("tables").exists() && !w.dir.join("tables").exists());

    assert_ok(&w.all());
    let before = std::fs::read(w.out().join("tables/answers.csv")).unwrap();
    w.write("data/transcripts/2020-03-08_empty.txt", "");
    assert_fails(&w.all(), &["empty file"]);
    assert_eq!(
        std::fs::read(w.out().join("tables/answers.csv")).unwrap(),
        before
    );
}

#[test]
fn help_explains_each_stage() {
    let o = Command::new(BIN).arg("--help").output().unwrap();
    assert_ok(&o);
    let text = String::from_utf8_lossy(&o.stdout);
    for word in ["all", "ingest", "--data", "--out"] {
        assert!(text.contains(word), "--help lacks {word}: {text}");
    }
}

// ---------------------------------------------------------------- segment

#[test]
fn tokens_cover_every_answer_losslessly_and_stages_chain() {
    let (w, answers) = seeds();
    let tokens = w.table("tokens.csv");
    let ids: std::collections::BTreeSet<&str> = answers.iter().map(|r| r["id"].as_str()).collect();
    assert!(tokens.iter().all(|t| ids.contains(t["id"].as_str())));
    // Joining the tokens of a field gives its normalised text back, white space aside.
    let normalise = |s: &str| {
        s.replace(',', "，")
            .replace(':', "：")
            .replace('?', "？")
            .replace('!', "！")
            .replace('(', "（")
            .replace(')', "）")
            .replace(';', "；")
    };
    for r in answers
        .iter()
        .filter(|r| r["year"] == "2025" || r["year"] == "2021")
    {
        let joined: String = tokens
            .iter()
            .filter(|t| t["id"] == r["id"] && t["field"] == "answer")
            .map(|t| t["token"].as_str())
            .collect();
        let expected: String = normalise(&r["answer"])
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        assert_eq!(joined, expected, "{}", r["id"]);
    }
    // Set phrases stay whole in the real text.
    for phrase in [
        "一带一路",
        "一个中国原则",
        "人类命运共同体",
        "南海行为准则",
        "全球南方",
    ] {
        assert!(
            tokens.iter().any(|t| t["token"] == phrase),
            "{phrase} is never a token"
        );
    }
    // The segment stage on its own reads the ingest's answers.csv and writes the same tokens.
    let before = std::fs::read(w.out().join("tables/tokens.csv")).unwrap();
    std::fs::remove_file(w.out().join("tables/tokens.csv")).unwrap();
    assert_ok(&w.run(&["segment"]));
    assert_eq!(
        std::fs::read(w.out().join("tables/tokens.csv")).unwrap(),
        before
    );
}

#[test]
fn segment_without_answers_says_what_to_run() {
    let w = Work::new("segment-first");
    w.write("data/transcripts/2019-03-08_t.txt", QA);
    assert_fails(
        &w.run(&["segment"]),
        &["answers.csv does not exist", "rhetoric-shift ingest"],
    );
}

// ---------------------------------------------------------- topics and frequencies

const TOY_TOPICS: &str = r#"
[scoring]
question_weight = 3
answer_weight = 1
min_score = 4

[[topic]]
id = "us"
zh = "美国"
en = "United States"
headline = true
cues = [["中美", "美国"]]
phrases = ["相互尊重", "打压"]

[[topic]]
id = "taiwan"
zh = "台湾"
en = "Taiwan"
headline = true
cues = [["台湾", "台独"]]
phrases = ["台独"]
"#;

/// Two made-up years whose counts were worked out by hand (see `toy_counts_match_hand_counts`).
fn toy() -> Work {
    let w = Work::new("toy");
    w.write("data/topics.toml", TOY_TOPICS);
    w.write(
        "data/transcripts/2019-03-08_toy.txt",
        "路透社记者：中美关系如何？\n\n王毅：中美应当相互尊重。相互尊重是基础。\n\n\
         彭博社记者：台湾问题呢？\n\n王毅：反对台独。\n",
    );
    w.write(
        "data/transcripts/2021-03-07_toy.txt",
        "路透社记者：美国打压中国怎么办？\n\n王毅：美国打压，中方反对打压。\n",
    );
    assert_ok(&w.all());
    w
}

fn row<'a>(
    table: &'a [BTreeMap<String, String>],
    keys: &[(&str, &str)],
) -> &'a BTreeMap<String, String> {
    let found: Vec<_> = table
        .iter()
        .filter(|r| keys.iter().all(|(k, v)| r[*k] == *v))
        .collect();
    assert_eq!(found.len(), 1, "rows matching {keys:?}: {found:?}");
    found[0]
}

#[test]
fn toy_counts_match_hand_counts() {
    // By hand. 2019 answer 1 (us: question cue 中美 ×3 + answer cue 中美 ×1 = 4) segments as
    // 中美|应当|相互尊重|。|相互尊重|是|基础|。: 6 words, 17 characters.
    // 2019 answer 2 (taiwan: 台湾 ×3 + 台独 ×1 = 4) is 反对|台独|。: 2 words, 5 characters.
    // 2021 answer 1 (us: 美国 ×3 + 美国 ×1 = 4) is 美国|打压|，|中方|反对|打压|。: 5 words, 12 characters.
    let w = toy();
    let a = w.table("answers.csv");
    let tags = tags(&w);
    let topics: Vec<&str> = a.iter().map(|r| tags[&r["id"]][0].as_str()).collect();
    assert_eq!(topics, ["us", "taiwan", "us"]);
    assert!(tags.values().all(|t| t.len() == 1));

    let ty = w.table("topic_year.csv");
    let cells = |year, topic| {
        let r = row(&ty, &[("year", year), ("topic", topic)]);
        [
            r["n_answers"].clone(),
            r["n_tokens"].clone(),
            r["n_chars"].clone(),
            r["share"].clone(),
        ]
    };
    assert_eq!(cells("2019", "all"), ["2", "8", "22", "1"]);
    assert_eq!(cells("2019", "us"), ["1", "6", "17", "0.772727"]); // 17/22
    assert_eq!(cells("2019", "taiwan"), ["1", "2", "5", "0.227273"]); // 5/22
    assert_eq!(cells("2021", "taiwan"), ["0", "0", "0", "0"]); // a year with data: a real zero
    assert!(
        ty.iter().all(|r| r["year"] != "2020"),
        "a year without a transcript has no rows"
    );

    let pf = w.table("phrase_freq.csv");
    let stats = |year, topic, phrase, kind| {
        let r = row(
            &pf,
            &[
                ("year", year),
                ("topic", topic),
                ("phrase", phrase),
                ("kind", kind),
            ],
        );
        [
            r["n"].clone(),
            r["per_10k_tokens"].clone(),
            r["per_10k_chars"].clone(),
            r["n_answers"].clone(),
            r["dp"].clone(),
        ]
    };
    // One answer holds everything: DP = 0.
    assert_eq!(
        stats("2019", "us", "相互尊重", "tracked"),
        ["2", "3333.333333", "1176.470588", "1", "0"]
    );
    // Whole year: s = (6/8, 2/8), v = (1, 0): DP = ½(0.25 + 0.25) = 0.25.
    assert_eq!(
        stats("2019", "all", "相互尊重", "tracked"),
        ["2", "2500", "909.090909", "1", "0.25"]
    );
    // v = (0, 1): DP = ½(0.75 + 0.75) = 0.75.
    assert_eq!(
        stats("2019", "all", "台独", "tracked"),
        ["1", "1250", "454.545455", "1", "0.75"]
    );
    // Tracked but never said in a (year, topic) with answers: an explicit zero, no DP.
    assert_eq!(
        stats("2019", "us", "打压", "tracked"),
        ["0", "0", "0", "0", ""]
    );
    assert_eq!(
        stats("2021", "us", "打压", "tracked"),
        ["2", "4000", "1666.666667", "1", "0"]
    );
    // The segmented kinds agree with the literal count where the phrase is one token.
    assert_eq!(
        stats("2019", "us", "相互尊重", "unigram"),
        stats("2019", "us", "相互尊重", "tracked")
    );
    assert_eq!(stats("2019", "taiwan", "反对 台独", "bigram")[0], "1");
    // A taiwan phrase is not counted under us, and nothing is counted for 2020.
    assert!(pf
        .iter()
        .all(|r| !(r["topic"] == "us" && r["phrase"] == "台独") && r["year"] != "2020"));

    let at = w.table("answer_topics.csv");
    let r = row(&at, &[("id", "2019-03-08/01"), ("topic", "us")]);
    assert_eq!(
        [&r["score"], &r["question_cues"], &r["answer_cues"]],
        ["4", "中美 1", "中美 1"]
    );
}

#[test]
fn stages_run_one_by_one_give_the_same_tables() {
    let w = toy();
    let names = [
        "answers.csv",
        "answer_topics.csv",
        "tokens.csv",
        "phrase_freq.csv",
        "topic_year.csv",
        "answer_sizes.csv",
        "answer_counts.csv",
        "keyness.csv",
        "shifts.csv",
        "register.csv",
        "kwic.csv",
    ];
    let read = |n: &str| std::fs::read(w.out().join("tables").join(n)).unwrap();
    let before: Vec<Vec<u8>> = names.iter().map(|n| read(n)).collect();
    std::fs::remove_dir_all(w.out()).unwrap();
    for stage in ["ingest", "segment", "topics", "frequencies", "shifts"] {
        assert_ok(&w.run(&[stage]));
    }
    for (n, b) in names.iter().zip(before) {
        assert_eq!(read(n), b, "{n}");
    }
}

/// Every file under `dir`, by path relative to it.
fn files_under(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(
                    p.strip_prefix(dir).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    out
}

#[test]
fn seeds_stages_run_one_by_one_write_what_all_writes() {
    // Each stage reads its inputs back from CSV; the numbers it derives must
    // not depend on whether they came from memory or from the rounded CSV.
    let w = Work::with_seeds("stagewise");
    assert_ok(&w.all());
    let all = files_under(&w.out());
    std::fs::remove_dir_all(w.out()).unwrap();
    for stage in [
        "ingest",
        "segment",
        "topics",
        "frequencies",
        "shifts",
        "charts",
        "report",
    ] {
        assert_ok(&w.run(&[stage]));
    }
    let one_by_one = files_under(&w.out());
    assert_eq!(
        all.keys().collect::<Vec<_>>(),
        one_by_one.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &all {
        assert!(&one_by_one[path] == bytes, "{} differs", path.display());
    }
}

#[test]
fn frequencies_without_topics_says_what_to_run() {
    let w = Work::new("freq-first");
    w.write("data/transcripts/2019-03-08_t.txt", QA);
    assert_ok(&w.run(&["ingest"]));
    assert_ok(&w.run(&["segment"]));
    assert_fails(
        &w.run(&["frequencies"]),
        &["answer_topics.csv does not exist", "rhetoric-shift topics"],
    );
}

#[test]
fn topics_errors_name_file_and_line() {
    let w = Work::new("topics-bad");
    w.write("data/transcripts/2019-03-08_t.txt", QA);
    w.write(
        "data/topics.toml",
        format!("{TOY_TOPICS}\n[[topic]]\nid = \"us\"\nzh = \"x\"\nen = \"x\"\ncues = [[\"x\"]]\n"),
    );
    assert_fails(&w.all(), &["topics.toml:23:", "duplicate topic id 'us'"]);
    w.write(
        "data/topics.toml",
        TOY_TOPICS.replace("cues = [[\"台湾\", \"台独\"]]", "cues = []"),
    );
    assert_fails(
        &w.all(),
        &["topics.toml:15:", "topic 'taiwan' has an empty cue list"],
    );
    w.write(
        "data/topics.toml",
        TOY_TOPICS.replace("zh = \"美国\"", "zh = \"美国\"\nzhh = 1"),
    );
    assert_fails(&w.all(), &["topics.toml:", "unknown field 'zhh'"]);
}

/// Tracked phrase counts, recomputed from answers.csv with `str::matches` over
/// the normalised answer text: no segmentation, no Aho-Corasick, no Polars.
#[test]
fn seeds_tracked_counts_equal_direct_substring_counts() {
    let (w, answers) = seeds();
    let topics = rhetoric_shift::config::Topics::load(&w.data().join("topics.toml")).unwrap();
    let tags = tags(&w);
    let pf = w.table("phrase_freq.csv");
    let mut checked = 0;
    for r in pf.iter().filter(|r| r["kind"] == "tracked") {
        let texts = answers.iter().filter(|a| {
            a["year"] == r["year"]
                && (r["topic"] == "all"
                    || tags.get(&a["id"]).is_some_and(|t| t.contains(&r["topic"])))
        });
        let n: usize = texts
            .map(|a| {
                let norm: String = rhetoric_shift::text::normalise(&a["answer"])
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect();
                norm.matches(r["phrase"].as_str()).count()
            })
            .sum();
        assert_eq!(r["n"], n.to_string(), "{r:?}");
        checked += 1;
    }
    // Every tracked phrase of every topic has a row for each year that topic has answers.
    let ty = w.table("topic_year.csv");
    let expected: usize = topics
        .topics
        .iter()
        .map(|t| {
            let years = ty
                .iter()
                .filter(|r| r["topic"] == t.id && r["n_answers"] != "0")
                .count();
            years * t.phrases.len()
        })
        .sum::<usize>()
        + 5 * {
            let mut all: Vec<&String> = topics.topics.iter().flat_map(|t| &t.phrases).collect();
            all.sort();
            all.dedup();
            all.len()
        };
    assert_eq!(checked, expected);
    for r in &pf {
        if let Ok(dp) = r["dp"].parse::<f64>() {
            assert!((0.0..1.0).contains(&dp), "{r:?}");
        }
    }
}

/// The headline topics of the seeds, read answer by answer and judged right.
#[test]
fn seeds_headline_topics_are_tagged_as_read() {
    let (w, answers) = seeds();
    let tags = tags(&w);
    let topics = |id: &str| -> Vec<String> {
        assert!(answers.iter().any(|r| r["id"] == id), "{id}");
        tags.get(id).cloned().unwrap_or_default()
    };
    let has = |id: &str, t: &str| topics(id).iter().any(|x| x == t);
    // Asked about: tagged.
    for (id, t) in [
        ("2018-03-08/05", "us"), // Trump and trade tools
        ("2018-03-08/12", "south_china_sea"),
        ("2018-03-08/14", "japan"),
        ("2018-03-08/21", "taiwan"), // Panama's switch from Taipei
        ("2021-03-07/05", "taiwan"), // US policy on Taiwan: about both
        ("2021-03-07/05", "us"),
        ("2021-03-07/06", "south_china_sea"),
        ("2021-03-07/07", "us"),
        ("2021-03-07/08", "japan"),
        ("2024-03-07/03", "us"),
        ("2024-03-07/06", "taiwan"),
        ("2024-03-07/08", "south_china_sea"),
        ("2025-03-07/02", "us"), // DeepSeek and US tech rivalry
        ("2025-03-07/02", "technology"),
        ("2025-03-07/08", "taiwan"), // Resolution 2758
        ("2025-03-07/12", "japan"),
        ("2025-03-07/15", "south_china_sea"),
        ("2026-03-08/11", "us"),
        ("2026-03-08/13", "japan"), // Takaichi's remarks on Taiwan: about both
        ("2026-03-08/13", "taiwan"),
        ("2026-03-08/14", "taiwan"),
        ("2026-03-08/04", "middle_east"),
        ("2024-03-07/12", "consular_protection"),
    ] {
        assert!(has(id, t), "{id} should be tagged {t}: {:?}", topics(id));
    }
    // Named in passing: not tagged.
    for (id, t) in [
        ("2018-03-08/07", "us"),          // Russia question names the US once
        ("2018-03-08/19", "middle_east"), // 《红海行动》 is a film
        ("2021-03-07/07", "taiwan"),      // one item in a list of US concerns
        ("2021-03-07/07", "south_china_sea"),
        ("2024-03-07/12", "us"),
        ("2025-03-07/11", "us"), // Global South polls
        ("2026-03-08/12", "us"),
    ] {
        assert!(
            !has(id, t),
            "{id} should not be tagged {t}: {:?}",
            topics(id)
        );
    }
}

// ------------------------------------------------------------------ shifts

#[test]
fn toy_keyness_trends_and_register() {
    let w = toy_with_min_count();
    let k = w.table("keyness.csv");
    // 打压 is said in 2021 only: a = 2 of n_a = 5 words, b = 0 of n_b = 6 (2019).
    // Reference values from tests/reference/keyness.py (Python's math module):
    // g2 = 3.7009482171798567, log_ratio = 2.263034405833794 (0.5 for the zero),
    // z (α0 = 100) = 0.43025335700725303, p = 0.05438155496947327.
    for reference in ["rest", "previous"] {
        let r = row(
            &k,
            &[
                ("year", "2021"),
                ("topic", "us"),
                ("reference", reference),
                ("kind", "tracked"),
                ("phrase", "打压"),
            ],
        );
        assert_eq!(
            [
                &r["a"],
                &r["b"],
                &r["n_a"],
                &r["n_b"],
                &r["g2"],
                &r["log_ratio"],
                &r["logodds_z"],
                &r["alpha0"],
                &r["p"]
            ],
            ["2", "0", "5", "6", "3.700948", "2.263034", "0.430253", "100", "0.054382"]
        );
    }
    // The same phrase in 2019, where it is absent: the mirror image, with a = 0.
    let r = row(
        &k,
        &[
            ("year", "2019"),
            ("topic", "us"),
            ("reference", "rest"),
            ("kind", "tracked"),
            ("phrase", "打压"),
        ],
    );
    assert_eq!([&r["a"], &r["b"], &r["g2"]], ["0", "2", "-3.700948"]);
    // 2019 has no previous year; taiwan has answers in one year only, so nothing to compare.
    assert!(k
        .iter()
        .all(|r| !(r["year"] == "2019" && r["reference"] == "previous")));
    assert!(k.iter().all(|r| r["topic"] != "taiwan"));

    let s = w.table("shifts.csv");
    let r = row(&s, &[("topic", "us"), ("phrase", "打压"), ("year", "2021")]);
    // 0 per 10k in 2019, 4000 in 2021: change 4000, slope 4000 / 2 years.
    assert_eq!(
        [
            &r["per_10k_tokens"],
            &r["first_year"],
            &r["last_year"],
            &r["change"],
            &r["slope"],
            &r["status"]
        ],
        ["4000", "2021", "2021", "4000", "2000", "emerging"]
    );
    // One answer in the (year, topic): every resample is that answer.
    assert_eq!([&r["ci_low"], &r["ci_high"]], ["4000", "4000"]);
    let r = row(
        &s,
        &[("topic", "us"), ("phrase", "相互尊重"), ("year", "2021")],
    );
    assert_eq!(r["status"], "vanishing");
    let r = row(
        &s,
        &[("topic", "taiwan"), ("phrase", "台独"), ("year", "2019")],
    );
    assert_eq!(
        [&r["status"], &r["change"], &r["slope"]],
        ["one year", "", ""]
    );
    assert!(
        s.iter().all(|r| r["year"] != "2020"),
        "no rows for a year without data"
    );

    // Register: 2019 us holds 相互尊重 twice (conciliatory) and no hard-line term.
    let g = w.table("register.csv");
    let r = row(&g, &[("year", "2019"), ("topic", "us")]);
    assert_eq!(
        [
            &r["hardline"],
            &r["conciliatory"],
            &r["hardline_share"],
            &r["conciliatory_per_10k"]
        ],
        ["0", "2", "0", "1176.470588"] // 2 / 17 characters
    );

    // KWIC: one line per occurrence, context cut at the answer's edges.
    let q = w.table("kwic.csv");
    let lines: Vec<_> = q
        .iter()
        .filter(|r| r["phrase"] == "打压" && r["topic"] == "us")
        .map(|r| (r["left"].as_str(), r["right"].as_str()))
        .collect();
    assert_eq!(
        lines,
        [("美国", "，中方反对打压。"), ("美国打压，中方反对", "。")]
    );
}

fn toy_with_min_count() -> Work {
    let w = toy();
    w.write(
        "data/analysis.toml",
        std::fs::read_to_string(Path::new(REPO).join("data/analysis.toml"))
            .unwrap()
            .replace("min_count = 3", "min_count = 2"),
    );
    assert_ok(&w.all());
    w
}

#[test]
fn the_report_states_the_parameters_the_data_folder_holds() {
    let w = toy();
    let analysis = std::fs::read_to_string(Path::new(REPO).join("data/analysis.toml"))
        .unwrap()
        .replace("replicates = 1000", "replicates = 200")
        .replace("level = 0.95", "level = 0.9");
    w.write("data/analysis.toml", analysis);
    w.write(
        "data/topics.toml",
        TOY_TOPICS
            .replace("question_weight = 3", "question_weight = 2.5")
            .replace("headline = true\ncues = [[\"台湾\"", "cues = [[\"台湾\""),
    );
    w.write(
        "data/corpus.toml",
        "[[transcript]]\nfile = \"2021-03-07_toy.txt\"\ncaveat = \"Half of it.\"\n",
    );
    assert_ok(&w.all());
    let md = std::fs::read_to_string(w.out().join("report.md")).unwrap();
    for said in [
        "weighs 2.5, in the answer 1; a topic is tagged from a score of 4",
        "90% bootstrap intervals",
        "200 replicates",
        "the 5% and 95% quantiles",
        "- 2021: Half of it.",
        "## United States 美国",
    ] {
        assert!(md.contains(said), "report.md does not say '{said}'");
    }
    assert!(
        !md.contains("## Taiwan"),
        "taiwan is no headline topic here"
    );
    assert!(!md.contains("1000 replicates") && !md.contains("95% bootstrap"));
}

#[test]
fn kwic_command_prints_a_concordance() {
    let w = toy();
    let o = w.run(&["kwic", "打压", "--year", "2021", "--window", "4"]);
    assert_ok(&o);
    let out = String::from_utf8(o.stdout).unwrap();
    assert_eq!(
        out,
        "2021-03-07/01  \u{3000}\u{3000}美国【打压】，中方反\n2021-03-07/01  中方反对【打压】。\n"
    );
    let o = w.run(&["kwic", "打压", "--topic", "taiwan"]);
    assert_ok(&o);
    assert!(o.stdout.is_empty());
    // The tags live in answer_topics.csv: rerunning the ingest alone keeps them.
    assert_ok(&w.run(&["ingest"]));
    let o = w.run(&["kwic", "打压", "--topic", "us"]);
    assert_ok(&o);
    assert_eq!(String::from_utf8(o.stdout).unwrap().lines().count(), 2);
}

#[test]
fn seeds_kwic_lines_match_tracked_counts() {
    let (w, _) = seeds();
    let pf = w.table("phrase_freq.csv");
    let q = w.table("kwic.csv");
    let mut lines: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    for r in q.iter().filter(|r| r["why"] == "tracked") {
        *lines
            .entry((r["year"].clone(), r["topic"].clone(), r["phrase"].clone()))
            .or_default() += 1;
    }
    for r in pf
        .iter()
        .filter(|r| r["kind"] == "tracked" && r["topic"] != "all")
    {
        let key = (r["year"].clone(), r["topic"].clone(), r["phrase"].clone());
        assert_eq!(
            lines.get(&key).copied().unwrap_or(0).to_string(),
            r["n"],
            "{key:?}"
        );
    }
    // Every bootstrap interval holds its estimate, and shares are shares.
    for r in w.table("shifts.csv") {
        let (lo, x, hi): (f64, f64, f64) = (
            r["ci_low"].parse().unwrap(),
            r["per_10k_tokens"].parse().unwrap(),
            r["ci_high"].parse().unwrap(),
        );
        assert!(lo <= x + 1e-6 && x <= hi + 1e-6, "{r:?}");
    }
    for r in w.table("register.csv") {
        if let Ok(s) = r["hardline_share"].parse::<f64>() {
            assert!((0.0..=1.0).contains(&s), "{r:?}");
        }
    }
}

// ------------------------------------------------------------ charts and report

fn png_of(path: &Path) -> (png::OutputInfo, Vec<u8>, Option<png::PixelDimensions>) {
    let decoder = png::Decoder::new(std::fs::File::open(path).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let dims = reader.info().pixel_dims;
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    (info, buf, dims)
}

#[test]
fn seeds_charts_are_valid_and_reports_inline_them() {
    let (w, _) = seeds();
    let charts = w.out().join("charts");
    let topics = rhetoric_shift::config::Topics::load(&w.data().join("topics.toml")).unwrap();
    let mut names: Vec<String> = topics.ids().iter().map(|t| format!("trend_{t}")).collect();
    names.extend(["overview", "salience", "register"].map(String::from));
    names.extend(["2018", "2021", "2024", "2025", "2026"].map(|y| format!("keyness_{y}")));
    let fonts = {
        let mut db = resvg::usvg::fontdb::Database::new();
        db.load_font_data(rhetoric_shift::charts::FONT.to_vec());
        std::sync::Arc::new(db)
    };
    for name in &names {
        // PNG: decodes, 7 inches at 300 dpi, resolution recorded.
        let (info, _, dims) = png_of(&charts.join(format!("{name}.png")));
        assert_eq!(info.width, 2100, "{name}");
        let dims = dims.expect("pHYs chunk");
        assert_eq!((dims.xppu, dims.unit), (11811, png::Unit::Meter), "{name}");
        // SVG: parses, and every glyph is a path: no <text> a reader's fonts could change.
        let svg = std::fs::read_to_string(charts.join(format!("{name}.svg"))).unwrap();
        assert!(!svg.contains("<text"), "{name}.svg has text elements");
        let opts = resvg::usvg::Options {
            fontdb: fonts.clone(),
            ..Default::default()
        };
        resvg::usvg::Tree::from_str(&svg, &opts).unwrap_or_else(|e| panic!("{name}.svg: {e}"));
        // PDF: a PDF, with the font embedded.
        let pdf = std::fs::read(charts.join(format!("{name}.pdf"))).unwrap();
        assert!(pdf.starts_with(b"%PDF"), "{name}.pdf");
        assert!(
            pdf.windows(9).any(|w| w == b"/FontFile"),
            "{name}.pdf embeds no font"
        );
    }
    assert_eq!(std::fs::read_dir(&charts).unwrap().count(), names.len() * 3);

    let md = std::fs::read_to_string(w.out().join("report.md")).unwrap();
    for piece in [
        "## Corpus coverage",
        "| 2019 | no transcript | | |",
        "## United States 美国",
        "## South China Sea 南海",
        "![United States](charts/trend_us.png)",
        "## How every number was computed",
    ] {
        assert!(md.contains(piece), "report.md lacks {piece}");
    }
    let html = std::fs::read_to_string(w.out().join("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert_eq!(html.matches("<figure><svg").count(), 7, "figures inlined");
    assert!(
        !html.contains("<img") && !html.contains("charts/"),
        "self-contained"
    );
    // Every row of every table has as many cells as its header (the gap years'
    // empty cells once collapsed and those rows lost their columns).
    for table in html.split("<table>").skip(1) {
        let table = &table[..table.find("</table>").unwrap()];
        let mut rows = table.split("<tr>").skip(1);
        let head = rows.next().unwrap().matches("<th>").count();
        assert!(head > 0);
        for r in rows {
            assert_eq!(r.matches("<td>").count(), head, "{r}");
        }
    }
    assert!(html.contains("<tr><td>2019</td><td>no transcript</td><td></td><td></td></tr>"));

    // Reruns give the same chart and report bytes.
    let before: Vec<(std::ffi::OsString, Vec<u8>)> = std::fs::read_dir(&charts)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (e.file_name(), std::fs::read(e.path()).unwrap())
        })
        .chain(
            ["report.md", "report.html"]
                .map(|n| (n.into(), std::fs::read(w.out().join(n)).unwrap())),
        )
        .collect();
    assert_ok(&w.all());
    for (name, bytes) in before {
        let path = if name.to_string_lossy().starts_with("report") {
            w.out().join(&name)
        } else {
            charts.join(&name)
        };
        assert!(
            std::fs::read(path).unwrap() == bytes,
            "{name:?} differs on rerun"
        );
    }
}

/// Dark pixels in the top `rows` of a PNG: the title's glyphs.
fn ink_in_title(path: &Path, rows: usize) -> usize {
    let (info, buf, _) = png_of(path);
    let stride = info.line_size;
    buf[..stride * rows]
        .chunks(3)
        .filter(|px| px.iter().map(|&c| u32::from(c)).sum::<u32>() < 300)
        .count()
}

#[test]
fn chinese_labels_are_drawn_and_english_labels_replace_them() {
    let w = toy();
    assert_ok(&w.run(&["charts", "--lang", "zh"]));
    let zh = w.out().join("charts/trend_us.png");
    // The title 美国：追踪短语的频率 is drawn: thousands of dark pixels in its band
    // (an empty box per missing glyph would give a few hundred, nothing at all none).
    let ink = ink_in_title(&zh, 100);
    assert!(ink > 3000, "title band holds {ink} dark pixels");
    let zh_bytes = std::fs::read(&zh).unwrap();
    let o = w.run(&["charts", "--lang", "en", "--width", "single"]);
    assert_ok(&o);
    let (info, _, _) = png_of(&zh);
    assert_eq!(info.width, 1050, "single column: 3.5 in at 300 dpi");
    assert_ne!(std::fs::read(&zh).unwrap(), zh_bytes);
    // Phrases without a gloss are named in a warning, not left blank.
    w.write("data/glossary.csv", "phrase,en\n相互尊重,mutual respect\n");
    let o = w.run(&["charts", "--lang", "en"]);
    assert_ok(&o);
    let err = stderr(&o);
    assert!(err.contains("glossary.csv: no English gloss for"), "{err}");
    assert!(err.contains("打压"), "{err}");
    assert!(!err.contains("相互尊重,"), "{err}");
    w.write("data/glossary.csv", "phrase,english\n");
    assert_fails(
        &w.run(&["charts"]),
        &["glossary.csv:1:", "expected the header 'phrase,en'"],
    );
}

// ------------------------------------------------------- hostile input and faults

#[test]
fn a_transcript_cut_inside_a_character_keeps_its_text_with_a_warning() {
    let w = Work::new("cut-utf8");
    let mut bytes = QA.as_bytes().to_vec();
    bytes.extend_from_slice(&"中".as_bytes()[..2]);
    w.write("data/transcripts/2019-03-08_t.txt", bytes);
    let o = w.all();
    assert_ok(&o);
    assert!(
        stderr(&o).contains("2019-03-08_t.txt: ends inside a UTF-8 character"),
        "{}",
        stderr(&o)
    );
    let a = w.table("answers.csv");
    assert_eq!(a[1]["answer"], "台湾是中国的一部分。", "no mojibake");
}

#[test]
fn transcripts_with_only_questions_or_only_answers_are_refused_clearly() {
    // Only questions: each is kept with an empty answer and named in a warning;
    // an empty answer counts nothing.
    let w = Work::new("one-sided");
    w.write(
        "data/transcripts/2019-03-08_q.txt",
        "路透社记者：中方如何看待中美关系？\n\n彭博社记者：台湾问题呢？\n",
    );
    let o = w.all();
    assert_ok(&o);
    for line in [
        "2019-03-08_q.txt:1: question without an answer",
        "2019-03-08_q.txt:3: question without an answer",
    ] {
        assert!(stderr(&o).contains(line), "{}", stderr(&o));
    }
    assert!(w
        .table("answers.csv")
        .iter()
        .all(|r| r["answer"].is_empty()));
    // Only answers: no question/answer structure at all, so the run cannot go on.
    let w = Work::new("answers-only");
    w.write(
        "data/transcripts/2019-03-08_a.txt",
        "王毅：中美应当相互尊重。\n\n王毅：台湾是中国的一部分。\n",
    );
    assert_fails(
        &w.all(),
        &["2019-03-08_a.txt: no question/answer structure found"],
    );
}

#[test]
fn an_output_folder_that_cannot_be_written_is_named() {
    let w = Work::new("unwritable");
    w.write("data/transcripts/2019-03-08_t.txt", QA);
    w.write("blocker", "a file where the output folder should be");
    let o = Command::new(BIN)
        .args(["all", "--data"])
        .arg(w.data())
        .arg("--out")
        .arg(w.dir.join("blocker"))
        .output()
        .unwrap();
    assert_fails(&o, &["blocker"]);
    assert_eq!(
        std::fs::read_to_string(w.dir.join("blocker")).unwrap(),
        "a file where the output folder should be"
    );
}

#[test]
fn outputs_do_not_depend_on_the_thread_count() {
    let w = toy();
    let read_all = |root: &Path| -> Vec<(String, Vec<u8>)> {
        let mut files = Vec::new();
        for sub in ["tables", "charts"] {
            for e in std::fs::read_dir(root.join(sub)).unwrap() {
                let e = e.unwrap();
                files.push((
                    format!("{sub}/{}", e.file_name().to_string_lossy()),
                    std::fs::read(e.path()).unwrap(),
                ));
            }
        }
        files.sort();
        files
    };
    let many = read_all(&w.out());
    for threads in ["1", "2"] {
        std::fs::remove_dir_all(w.out()).unwrap();
        let o = Command::new(BIN)
            .args(["all", "--data"])
            .arg(w.data())
            .arg("--out")
            .arg(w.out())
            .env("POLARS_MAX_THREADS", threads)
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
        assert_ok(&o);
        let got = read_all(&w.out());
        assert_eq!(got.len(), many.len());
        for ((name, a), (_, b)) in got.iter().zip(&many) {
            assert!(a == b, "{name} differs with {threads} thread(s)");
        }
    }
}

/// Every output of a run killed at any moment is the old complete file or the
/// new complete file, never a mix; the next run cleans up what the killed one left.
#[test]
fn a_killed_run_leaves_old_or_new_files_never_half_written_ones() {
    let w = toy();
    let snapshot = |root: &Path| -> BTreeMap<String, Vec<u8>> {
        let mut files = BTreeMap::new();
        for sub in ["tables", "charts", ""] {
            let Ok(dir) = std::fs::read_dir(root.join(sub)) else {
                continue;
            };
            for e in dir.flatten().filter(|e| e.path().is_file()) {
                let name = format!("{sub}/{}", e.file_name().to_string_lossy());
                files.insert(name, std::fs::read(e.path()).unwrap());
            }
        }
        files
    };
    let old = snapshot(&w.out());
    // The new outputs differ: a stricter topic threshold changes every table downstream.
    let strict = TOY_TOPICS.replace("min_score = 4", "min_score = 5");
    let other = Work::new("toy-new");
    copy_dir(&w.data(), &other.data());
    other.write("data/topics.toml", &strict);
    let start = std::time::Instant::now();
    assert_ok(&other.all());
    let full = start.elapsed();
    let new = snapshot(&other.out());
    assert_ne!(
        old["tables/answer_topics.csv"],
        new["tables/answer_topics.csv"]
    );

    w.write("data/topics.toml", &strict);
    // Kill points spread over the run, most of them in its last part, where it writes.
    for k in 1..=10u32 {
        let at = full.mul_f64(0.55 + 0.05 * f64::from(k));
        let mut child = Command::new(BIN)
            .args(["all", "--data"])
            .arg(w.data())
            .arg("--out")
            .arg(w.out())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(at);
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();
        for (name, bytes) in snapshot(&w.out()) {
            if name.ends_with(".tmp") {
                continue;
            }
            let is_old = old.get(&name) == Some(&bytes);
            let is_new = new.get(&name) == Some(&bytes);
            assert!(
                is_old || is_new,
                "{name} is neither the old nor the new file (kill at {at:?})"
            );
        }
    }
    assert_ok(&w.all());
    let after = snapshot(&w.out());
    assert!(
        after.keys().all(|n| !n.ends_with(".tmp")),
        "temporary files left"
    );
    assert_eq!(after, new);
}

#[test]
fn a_fifty_megabyte_line_without_a_newline_is_read_not_crashed_on() {
    let w = Work::new("one-line");
    let unit = "路透社记者：中方如何看待中美关系？王毅：中美应当相互尊重。";
    let text: String = unit.repeat(50_000_000 / unit.len() + 1);
    assert!(text.len() >= 50_000_000 && !text.contains('\n'));
    w.write("data/transcripts/2019-03-08_line.txt", &text);
    // The ingest is the stage that reads raw lines; one line is one question turn.
    let o = w.run(&["ingest"]);
    assert_ok(&o);
    assert!(
        stderr(&o).contains("2019-03-08_line.txt:1: question without an answer"),
        "{}",
        stderr(&o)
    );
    assert_eq!(w.table("answers.csv").len(), 1);
}
