//! The shared work folder of the integration tests, after xsv's `workdir.rs`:
//! every test runs the binary in a fresh folder with a `data/` of its own, on
//! the real seeds or on small made-up transcripts, and reads back the CSVs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

pub const BIN: &str = env!("CARGO_BIN_EXE_rhetoric-shift");

pub const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// A fresh work folder with a `data/` of its own.
pub struct Work {
    pub dir: PathBuf,
}

impl Work {
    pub fn new(name: &str) -> Work {
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
    pub fn with_seeds(name: &str) -> Work {
        let w = Work::new(name);
        copy_dir(&Path::new(REPO).join("data"), &w.dir.join("data"));
        w
    }

    pub fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    pub fn out(&self) -> PathBuf {
        self.dir.join("output")
    }

    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        let p = self.dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }

    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(BIN)
            .args(args)
            .arg("--data")
            .arg(self.data())
            .arg("--out")
            .arg(self.out())
            .output()
            .unwrap()
    }

    pub fn all(&self) -> Output {
        self.run(&["all"])
    }

    pub fn table(&self, name: &str) -> Vec<BTreeMap<String, String>> {
        read_csv(&self.out().join("tables").join(name))
    }
}

impl Drop for Work {
    /// Removes the folder, unless `RHETORIC_SHIFT_KEEP_WORK` is set (to read
    /// what a test's run wrote).
    fn drop(&mut self) {
        if std::env::var_os("RHETORIC_SHIFT_KEEP_WORK").is_none() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
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

pub fn read_csv(path: &Path) -> Vec<BTreeMap<String, String>> {
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

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn assert_ok(o: &Output) {
    assert!(
        o.status.success(),
        "expected success, got {:?}: {}",
        o.status.code(),
        stderr(o)
    );
}

/// Asserts exit code 2 and a message containing every piece.
pub fn assert_fails(o: &Output, pieces: &[&str]) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "expected exit 2, stderr: {err}");
    assert!(!err.contains("panicked"), "panic: {err}");
    for p in pieces {
        assert!(err.contains(p), "stderr lacks '{p}': {err}");
    }
}

pub const QA: &str = "路透社记者：中方如何看待中美关系？\n\n王毅：中美应当相互尊重。\n\n彭博社记者：台湾问题呢？\n\n王毅：台湾是中国的一部分。\n";

// ---------------------------------------------------------------- the seeds

pub fn seeds() -> (Work, Vec<BTreeMap<String, String>>) {
    let w = Work::with_seeds("seeds");
    assert_ok(&w.all());
    let answers = w.table("answers.csv");
    (w, answers)
}

/// The topics each record is tagged with (answer_topics.csv), highest score
/// first; records without a tag are absent.
pub fn tags(w: &Work) -> BTreeMap<String, Vec<String>> {
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

pub fn by_year(
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

pub const TOY_TOPICS: &str = r#"
[scoring]
question_weight = 3
answer_weight = 1
min_score = 4
unasked_min_score = 3

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
pub fn toy() -> Work {
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

pub fn row<'a>(
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

/// Every file under `dir`, by path relative to it.
pub fn files_under(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
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

/// The toy with every phrase said twice or more tested, in however few
/// answers ([keyness] min_count = 2, min_answers = 1): its years have one
/// answer per topic.
pub fn toy_with_min_count() -> Work {
    let w = toy();
    w.write(
        "data/analysis.toml",
        std::fs::read_to_string(Path::new(REPO).join("data/analysis.toml"))
            .unwrap()
            .replace(
                "min_count = 3\nmin_answers = 3",
                "min_count = 2\nmin_answers = 1",
            ),
    );
    assert_ok(&w.all());
    w
}

/// The hand answer of a fixture of tests/fixtures/ (`*.expected.csv`), one
/// map per record.
pub fn hand_answer(fixture: &str) -> Vec<BTreeMap<String, String>> {
    let path = Path::new(REPO)
        .join("tests/fixtures")
        .join(fixture.replace(".txt", ".expected.csv"));
    let mut r = csv::Reader::from_path(&path).unwrap();
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            headers
                .iter()
                .zip(rec.unwrap().iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// Days since 1970-01-01 of a civil date (H. Hinnant's days_from_civil): the
/// generated corpora date their files by it.
pub fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(if m <= 2 { y - 1 } else { y });
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
}

/// The civil date of a day number (the inverse of [`days_from_civil`]).
pub fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    ((yoe + era * 400 + i64::from(m <= 2)) as i32, m, d)
}
