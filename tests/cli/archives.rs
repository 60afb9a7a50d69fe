//! Texts researchers bring besides the seeds, each a fixture of tests/fixtures/
//! with its right answer worked out by hand beside it (`*.expected.csv`, and
//! `*.notes.md` for how): a scraped archive of many briefings, a whole saved
//! page of the ministry's site, and TV-news summaries.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::workdir::*;

/// A work folder whose only transcripts are these fixtures.
fn with_fixtures(name: &str, files: &[&str]) -> Work {
    let w = Work::new(name);
    for f in files {
        let bytes = std::fs::read(Path::new(REPO).join("tests/fixtures").join(f)).unwrap();
        w.write(&format!("data/transcripts/{f}"), bytes);
    }
    w
}

/// The records of one source file, in order.
fn records_of(w: &Work, file: &str) -> Vec<BTreeMap<String, String>> {
    w.table("answers.csv")
        .into_iter()
        .filter(|r| r["source"] == file)
        .collect()
}

/// Compares the records with the hand answer on these columns (answers.csv
/// name, hand-answer name).
fn assert_records(
    got: &[BTreeMap<String, String>],
    want: &[BTreeMap<String, String>],
    columns: &[(&str, &str)],
) {
    assert_eq!(got.len(), want.len(), "number of records");
    for (i, (g, e)) in got.iter().zip(want).enumerate() {
        for (ours, theirs) in columns {
            assert_eq!(
                g[*ours],
                e[*theirs],
                "record {} ({}), column {ours}",
                i + 1,
                g["id"]
            );
        }
    }
}

fn coverage_of(w: &Work, file: &str) -> BTreeMap<String, String> {
    w.table("coverage.csv")
        .into_iter()
        .find(|r| r["source"] == file)
        .unwrap()
}

const ARCHIVE: &str = "2019-06-03_briefing-archive.txt";

#[test]
fn a_briefing_archive_goes_in_whole_with_its_repeats_and_without_its_misprint() {
    // Nine briefings, answers only, BOM and bare CR line ends, told apart by
    // stray ******* lines and the spokesperson's announcements only (see
    // tests/fixtures/2019-06-03_briefing-archive.notes.md).
    let w = with_fixtures("archive", &[ARCHIVE]);
    let o = w.all();
    assert_ok(&o);
    let got = records_of(&w, ARCHIVE);
    let want = hand_answer(ARCHIVE);
    assert_records(
        &got,
        &want,
        &[
            ("date", "date"),
            ("kind", "kind"),
            ("question", "question"),
            ("answer", "answer"),
        ],
    );
    // The file names no speaker for its answers (no title, no labels: the
    // archive holds two spokespersons' briefings), so their speaker is empty
    // and the console says so; each announcement is the words of the
    // spokesperson it names.
    for r in &got {
        let want = if r["kind"] == "statement" {
            "耿爽"
        } else {
            ""
        };
        assert_eq!(r["speaker"], want, "{r:?}");
    }
    let err = stderr(&o);
    assert!(err.contains("no spokesperson is named"), "{err}");
    // Dated by the file name, and said so once.
    assert!(got.iter().all(|r| r["dated_by"] == "file"));
    let dated = "9 of the 9 briefings in this file (told apart by headers, separator lines and announcements) have no dated header: their records are dated by the file name, 2019-06-03";
    assert_eq!(err.matches(dated).count(), 1, "{err}");
    // The four passages said again in later briefings stay, in every answer
    // that says them (R1–R4 of the notes); R2 is said three times.
    let r1 = "台湾是中国领土不可分割的一部分。中国政府和人民维护国家主权和领土完整的决心坚定不移，任何人都不要低估中方捍卫自身正当权益的坚强意志和强大能力。";
    let r2 = "香港事务纯属中国内政，任何外国政府、组织和个人都无权干预。我们敦促有关方面尊重中国主权，谨言慎行，立即停止以任何方式干预香港事务，停止干涉中国内政。";
    let r3 = "贸易战没有赢家。中方不愿打贸易战，但也不怕打贸易战，必要时不得不打。中方的态度是一贯的、明确的：谈，大门敞开；打，奉陪到底。";
    let r4 = "中方在这一问题上的立场是一贯的、明确的。我们始终主张各国主权平等，反对外部势力干涉别国内政，反对动辄实施单边制裁或以制裁相威胁。";
    for (passage, records) in [
        (r1, vec![7, 33]),
        (r2, vec![22, 29, 43]),
        (r3, vec![2, 18]),
        (r4, vec![39, 44]),
    ] {
        let holding: Vec<usize> = got
            .iter()
            .enumerate()
            .filter(|(_, r)| r["answer"].contains(passage))
            .map(|(i, _)| i + 1)
            .collect();
        assert_eq!(holding, records, "{passage}");
    }
    let cov = coverage_of(&w, ARCHIVE);
    assert_eq!(cov["repeats_kept"], "5");
    // The one misprint, a copy inside the seventh briefing, goes.
    let repairs = w.table("repairs.csv");
    let dups: Vec<&BTreeMap<String, String>> = repairs
        .iter()
        .filter(|r| r["action"] == "drop_duplicate")
        .collect();
    assert_eq!(dups.len(), 1);
    assert!(
        dups[0]["detail"].starts_with("removed 74 characters printed again"),
        "{:?}",
        dups[0]
    );
    let kept: f64 = cov["kept_share"].parse().unwrap();
    assert!(kept >= 0.95, "kept_share {kept}");
}

const PAGE: &str = "2023-02-01_mfa-page.txt";

#[test]
fn a_saved_ministry_page_is_read_as_its_article() {
    // A whole page: menus, 172 countries, 265 embassy links and a footer hold
    // more Chinese than the briefing itself (notes.md: 1,899 of the page's).
    let w = with_fixtures("page", &[PAGE]);
    let o = w.all();
    assert_ok(&o);
    let got = records_of(&w, PAGE);
    assert_records(
        &got,
        &hand_answer(PAGE),
        &[
            ("date", "date"),
            ("kind", "kind"),
            ("speaker", "speaker"),
            // The hand answer gives the outlet as the page prints it.
            ("outlet_printed", "outlet"),
            ("question", "question"),
            ("answer", "answer"),
        ],
    );
    // The <h1> is the briefing's header: it dates the records and names the
    // spokesperson, whose name opens every answer.
    assert!(got.iter().all(|r| r["dated_by"] == "header"));
    let err = stderr(&o);
    let note = err
        .lines()
        .find(|l| l.contains("read as a saved web page: its article"))
        .unwrap_or_else(|| panic!("no extraction note: {err}"));
    assert!(
        note.contains("of the page's 5310 Chinese characters"),
        "{note}"
    );
    // kept_share counts the article only, so the page passes the 0.6 floor.
    let kept: f64 = coverage_of(&w, PAGE)["kept_share"].parse().unwrap();
    assert!(kept >= 0.95, "kept_share {kept}");
}

const SUMMARIES: [&str; 3] = [
    "2024-03-07_cctv-summary.txt",
    "2025-03-07_cctv-summary.txt",
    "2026-03-08_cctv-summary.txt",
];

#[test]
fn tv_summaries_give_one_record_per_reported_paragraph_whatever_the_line_ends() {
    // CRLF between </p> and <p> (2024), nothing between (2025), blank lines
    // and 　　 indents (2026); lead-ins (谈到中美关系，王毅表示，) and the
    // closing 王毅还就……回答了记者提问 in three forms.
    let w = with_fixtures("summaries", &SUMMARIES);
    assert_ok(&w.all());
    let tags = tags(&w);
    let watched: BTreeSet<&str> = ["us", "russia", "taiwan"].into();
    for file in SUMMARIES {
        let got = records_of(&w, file);
        let want = hand_answer(file);
        assert_records(
            &got,
            &want,
            &[
                ("kind", "kind"),
                ("headline", "lead_in"),
                ("answer", "answer"),
            ],
        );
        for (g, e) in got.iter().zip(&want) {
            assert!(!g["answer"].contains("回答了记者提问"), "{}", g["id"]);
            // Every paragraph about the US, Russia or Taiwan carries that
            // topic, and no other paragraph does.
            let ours: BTreeSet<&str> = tags
                .get(&g["id"])
                .into_iter()
                .flatten()
                .map(String::as_str)
                .filter(|t| watched.contains(t))
                .collect();
            let theirs: BTreeSet<&str> = e["topics"]
                .split(';')
                .filter(|t| watched.contains(t))
                .collect();
            assert_eq!(ours, theirs, "{} {}", g["id"], g["answer"]);
        }
    }
    let framing = w
        .table("repairs.csv")
        .into_iter()
        .filter(|r| r["action"] == "strip_framing")
        .count();
    assert_eq!(framing, 3, "one closing per summary");
}
