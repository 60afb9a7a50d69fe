//! The whole run: the stage graph, the output folder, determinism and faults.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::workdir::*;

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
            "answer_counts.bin",
            "answer_counts.csv",
            "answer_sizes.csv",
            "answer_topics.csv",
            "answers.csv",
            "coverage.csv",
            "discovered.csv",
            "formulations.csv",
            "keyness.csv",
            "kwic.csv",
            "phrase_freq.csv",
            "register.csv",
            "register_hits.csv",
            "repairs.csv",
            "sensitivity.csv",
            "shifts.csv",
            "speakers.csv",
            "tokens.csv",
            "topic_year.csv",
            "warnings.csv"
        ]
    );
    for (name, bytes) in first.iter().filter(|(n, _)| n.ends_with(".csv")) {
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
    // With --strict a file that cannot be read stops the run, and nothing is written.
    assert_fails(&w.run(&["all", "--strict"]), &["empty file"]);
    assert_eq!(
        std::fs::read(w.out().join("tables/answers.csv")).unwrap(),
        before
    );
    // Without, it is set aside and the rest analysed.
    let o = w.all();
    assert_ok(&o);
    assert!(stderr(&o).contains("2020-03-08_empty.txt: empty file"));
    let cov = w.table("coverage.csv");
    let empty = cov
        .iter()
        .find(|r| r["source"] == "2020-03-08_empty.txt")
        .unwrap();
    assert_eq!(
        (empty["status"].as_str(), empty["reason"].as_str()),
        ("set_aside", "empty file")
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

#[test]
fn seeds_stages_run_one_by_one_write_what_all_writes() {
    // Each stage reads its inputs back from CSV; the numbers it derives must
    // not depend on whether they came from memory or from the rounded CSV.
    let w = Work::with_seeds("stagewise");
    assert_ok(&w.all());
    let all = files_under(&w.out());
    // output/README.md, shipped in the repository, names every table written.
    let readme = std::fs::read_to_string(Path::new(REPO).join("output/README.md")).unwrap();
    for path in all.keys().filter(|p| p.starts_with("tables")) {
        let name = format!("`{}`", path.display());
        assert!(
            readme.contains(&name),
            "output/README.md does not name {name}"
        );
    }
    std::fs::remove_dir_all(w.out()).unwrap();
    for stage in [
        "ingest",
        "segment",
        "topics",
        "frequencies",
        "shifts",
        "charts",
        "report",
        "explore",
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
            // A killed run's temporaries and its lock are the next run's to remove.
            if name.ends_with(".tmp") || name.ends_with(".lock") {
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
        after
            .keys()
            .all(|n| !n.ends_with(".tmp") && !n.ends_with(".lock")),
        "temporary or lock files left"
    );
    assert_eq!(after, new);
}

// ------------------------------------------------------- sized outputs

/// Sets `key = value` in the work folder's analysis.toml (the line must exist).
fn set_analysis(w: &Work, from: &str, to: &str) {
    let path = w.data().join("analysis.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "analysis.toml has no '{from}'");
    std::fs::write(path, text.replace(from, to)).unwrap();
}

#[test]
fn above_tokens_max_mb_the_per_token_tables_are_written_only_when_asked() {
    let (full, _) = seeds();
    let w = Work::with_seeds("tokens-cap");
    set_analysis(&w, "tokens_max_mb = 5.0", "tokens_max_mb = 0.01");
    assert_ok(&w.all());
    let tables = w.out().join("tables");
    for name in ["tokens.csv", "answer_counts.csv"] {
        assert!(!tables.join(name).exists(), "{name} written above the cap");
    }
    // Every other table is as with the cap not reached.
    let (a, b) = (files_under(&full.out()), files_under(&w.out()));
    for (path, bytes) in &b {
        assert!(&a[path] == bytes, "{} differs", path.display());
    }
    // The shifts stage runs on its own from answer_counts.bin, written at
    // every size, and gives what `all` gave.
    assert_ok(&w.run(&["shifts"]));
    for name in ["keyness.csv", "shifts.csv", "sensitivity.csv"] {
        assert_eq!(
            std::fs::read(tables.join(name)).unwrap(),
            std::fs::read(full.out().join("tables").join(name)).unwrap(),
            "{name}"
        );
    }
    // `--tokens` writes them, the same as below the cap.
    assert_ok(&w.run(&["all", "--tokens"]));
    for name in ["tokens.csv", "answer_counts.csv"] {
        assert_eq!(
            std::fs::read(tables.join(name)).unwrap(),
            std::fs::read(full.out().join("tables").join(name)).unwrap(),
            "{name}"
        );
    }
    // A run without `--tokens` removes them again, so none is left stale.
    assert_ok(&w.all());
    assert!(!tables.join("tokens.csv").exists());
}

#[test]
fn kwic_lines_are_capped_per_year_topic_and_phrase_unless_all_are_asked() {
    let w = Work::with_seeds("kwic-cap");
    assert_ok(&w.run(&["all", "--kwic-all"]));
    let every = w.table("kwic.csv");
    let mut per: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    for l in &every {
        *per.entry((l["year"].clone(), l["topic"].clone(), l["phrase"].clone()))
            .or_default() += 1;
    }
    let most = *per.values().max().unwrap();
    assert!(
        most > 2,
        "no phrase has more than 2 lines: the test proves nothing"
    );
    // The shipped cap (50) does not bind on the seeds: the default table is all of it.
    assert_ok(&w.all());
    assert_eq!(w.table("kwic.csv"), every);
    set_analysis(&w, "max_lines = 50", "max_lines = 2");
    assert_ok(&w.all());
    let capped = w.table("kwic.csv");
    let expected: usize = per.values().map(|&n| n.min(2)).sum();
    assert_eq!(capped.len(), expected);
    // The first lines in text order are the ones kept.
    for (key, _) in per.iter().filter(|(_, &n)| n > 2) {
        let of = |t: &[BTreeMap<String, String>]| -> Vec<BTreeMap<String, String>> {
            t.iter()
                .filter(|l| (&l["year"], &l["topic"], &l["phrase"]) == (&key.0, &key.1, &key.2))
                .take(2)
                .cloned()
                .collect()
        };
        assert_eq!(of(&capped), of(&every), "{key:?}");
    }
}

#[test]
fn all_ends_with_one_summary_line() {
    let (w, _) = seeds();
    let o = w.all();
    assert_ok(&o);
    let err = stderr(&o);
    let summary: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("rhetoric-shift: "))
        .collect();
    let tokens = w.table("tokens.csv").len();
    let records = w.table("answers.csv").len();
    assert_eq!(summary.len(), 1, "{err}");
    assert!(
        summary[0].starts_with(&format!(
            "rhetoric-shift: 5 transcripts, {records} records, {tokens} tokens in "
        )),
        "{}",
        summary[0]
    );
    // No progress line reaches a stderr that is not a terminal.
    assert!(!err.contains('\r') && !err.contains("[1/"), "{err}");
    // `--timings` adds one line per stage and one for the writing.
    let timed = stderr(&w.run(&["all", "--timings"]));
    assert_eq!(
        timed.lines().filter(|l| l.starts_with("timing: ")).count(),
        9,
        "{timed}"
    );
}
