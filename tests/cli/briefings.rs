//! Issue 26: the ministry's daily briefings go in as they are. A corpus of
//! made-up briefings, one file a day ([`corpus`]), runs whole: opening
//! statements are records of their own, a file that cannot be read is set aside
//! (or, with `--strict`, stops the run), the console stays short, page furniture
//! never reaches a record, every record is the spokesperson's, and a year with
//! only a few months of briefings says so. Three fixtures of tests/fixtures/,
//! with their hand answers, cover the ministry's old page template, a plain-text
//! copy of it, and a briefing with a long statement and a question put after it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::workdir::*;

mod corpus;

use corpus::{FileTruth, Form, FOOTER};

type Row = BTreeMap<String, String>;

/// What [`write_briefings`] wrote, file by file, in date order.
pub struct Truth {
    pub files: Vec<FileTruth>,
}

impl Truth {
    fn good(&self) -> impl Iterator<Item = &FileTruth> {
        self.files.iter().filter(|f| !f.broken)
    }

    fn broken(&self) -> Vec<&FileTruth> {
        self.files.iter().filter(|f| f.broken).collect()
    }
}

/// Writes n briefing files `YYYY-MM-DD_briefing.txt` into w's
/// data/transcripts/, on working days spread evenly from 2020-09-01 to
/// 2024-04-30; the one at index `broken` (0-based) is a prose article without
/// any question or answer label. See [`corpus`] for what each file holds.
pub fn write_briefings(w: &Work, n: usize, broken: usize) -> Truth {
    let files = corpus::corpus(n, broken)
        .into_iter()
        .map(|g| {
            w.write(&format!("data/transcripts/{}", g.truth.name), &g.bytes);
            g.truth
        })
        .collect();
    Truth { files }
}

/// A cell that the contract says the table has.
fn cell<'a>(r: &'a Row, column: &str) -> &'a str {
    r.get(column)
        .unwrap_or_else(|| panic!("no column '{column}' in {r:?}"))
        .as_str()
}

/// A share column's value; None where it is empty or not a number.
fn share(r: &Row, column: &str) -> Option<f64> {
    cell(r, column).parse().ok()
}

/// The non-empty lines a run printed, standard output and standard error.
fn console(o: &std::process::Output) -> Vec<String> {
    [&o.stdout, &o.stderr]
        .iter()
        .flat_map(|b| {
            String::from_utf8_lossy(b)
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(String::from)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The footer lines and every piece of them that could be left over.
fn footer_pieces() -> Vec<String> {
    let mut pieces: Vec<String> = FOOTER.iter().map(|l| l.to_string()).collect();
    for line in FOOTER {
        pieces.extend(
            line.split(['　', '：', '（', '）'])
                .filter(|p| p.chars().count() >= 4)
                .map(String::from),
        );
    }
    pieces.extend(["版权", "转载", "邮政编码", "朝阳门"].map(String::from));
    pieces
}

/// 2020 holds September–December, 2024 January–April.
fn partial(year: i32) -> bool {
    year == 2020 || year == 2024
}

/// Fails with the first problems of each section and their counts.
fn report_sections(sections: &[(&str, Vec<String>)]) {
    let failing: Vec<String> = sections
        .iter()
        .filter(|(_, p)| !p.is_empty())
        .map(|(name, p)| {
            format!(
                "{name}: {} problem(s){}\n{}",
                p.len(),
                if p.len() > 10 { ", the first 10" } else { "" },
                p.iter().take(10).cloned().collect::<Vec<_>>().join("\n")
            )
        })
        .collect();
    assert!(failing.is_empty(), "\n{}", failing.join("\n\n"));
}

/// Fails with the first problems and their count.
fn report(problems: &[String]) {
    assert!(
        problems.is_empty(),
        "{} problem(s), the first 30:\n{}",
        problems.len(),
        problems
            .iter()
            .take(30)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

const BROKEN: usize = 250;

#[test]
fn five_hundred_briefings_run_whole() {
    let w = Work::new("briefings-500");
    let truth = write_briefings(&w, 500, BROKEN);
    assert_eq!(truth.broken().len(), 1);
    let broken = &truth.broken()[0].name;
    assert_eq!(
        truth
            .files
            .iter()
            .filter(|f| f.form != Form::Plain && !f.broken)
            .count(),
        20,
        "every 25th file a saved page"
    );
    let o = w.all();
    assert_ok(&o);

    // 3. At most 20 lines on the console for 500 files.
    let lines = console(&o);
    assert!(
        lines.len() <= 20,
        "{} console lines:\n{}",
        lines.len(),
        lines.join("\n")
    );

    let cov = w.table("coverage.csv");
    let mut status = coverage_status(&cov, &truth, broken);
    let answers = w.table("answers.csv");
    let (speakers, statement_problems, turn_problems) = records_per_file(&answers, &truth, broken);
    let footer = footer_in_records(&answers);
    let years_problems = partial_years(&w, &cov, &truth, &mut status);

    report_sections(&[
        ("coverage.csv status and year of the good files", status),
        (
            "speaker and date of every record (the spokesperson's, the file's)",
            speakers,
        ),
        (
            "one statement record per file, its paragraphs joined",
            statement_problems,
        ),
        ("answer records per file = turns written", turn_problems),
        ("footer in a record", footer),
        ("partial years", years_problems),
    ]);
}

/// Item 2: one coverage row per file, the broken one set aside with a
/// reason, every other one ok; the problems found.
fn coverage_status(cov: &[Row], truth: &Truth, broken: &str) -> Vec<String> {
    // 2. One coverage row per file: the broken one set aside with a reason,
    // every other one ok.
    let rows: BTreeMap<&str, &Row> = cov
        .iter()
        .filter(|r| !cell(r, "source").is_empty())
        .map(|r| (cell(r, "source"), r))
        .collect();
    assert_eq!(rows.len(), 500, "coverage rows with a source");
    let set_aside: Vec<&str> = cov
        .iter()
        .filter(|r| cell(r, "status") == "set_aside")
        .map(|r| cell(r, "source"))
        .collect();
    assert_eq!(set_aside, [broken]);
    let reason = cell(rows[broken], "reason");
    assert!(
        !reason.trim().is_empty(),
        "{broken} set aside without a reason"
    );
    let mut status = Vec::new();
    for f in truth.good() {
        match rows.get(f.name.as_str()) {
            None => status.push(format!("{}: no coverage row", f.name)),
            Some(r) if cell(r, "status") != "ok" => status.push(format!(
                "{}: status '{}' ({})",
                f.name,
                cell(r, "status"),
                cell(r, "reason")
            )),
            _ => {}
        }
    }
    status
}

/// Items 1 and 4: records per file, its statement, its turns, its
/// spokesperson; the speaker, statement and turn problems found.
fn records_per_file(
    answers: &[Row],
    truth: &Truth,
    broken: &str,
) -> (Vec<String>, Vec<String>, Vec<String>) {
    // 1, 4. Records per file: its statement, its turns, its spokesperson.
    let mut by_source: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
    for r in answers {
        by_source.entry(cell(r, "source")).or_default().push(r);
    }
    assert!(
        !by_source.contains_key(broken),
        "records from the set-aside file {broken}"
    );
    let none = Vec::new();
    let (mut speakers, mut statement_problems, mut turn_problems) =
        (Vec::new(), Vec::new(), Vec::new());
    for f in truth.good() {
        let recs = by_source.get(f.name.as_str()).unwrap_or(&none);
        for r in recs {
            if r["speaker"] != f.spokesperson {
                speakers.push(format!(
                    "{} {}: speaker '{}', not {} ({} '{}')",
                    f.name, r["id"], r["speaker"], f.spokesperson, r["kind"], r["answer"]
                ));
            }
            if r["date"] != f.date {
                speakers.push(format!("{} {}: date {}", f.name, r["id"], r["date"]));
            }
        }
        let statements: Vec<&&Row> = recs.iter().filter(|r| r["kind"] == "statement").collect();
        let want = f.statement.join("\n");
        match statements.as_slice() {
            [s] => {
                if s["answer"] != want {
                    statement_problems.push(format!(
                        "{} ({:?}): statement\n  got  {:?}\n  want {:?}",
                        f.name, f.form, s["answer"], want
                    ));
                }
                if !s["question"].is_empty() {
                    statement_problems.push(format!("{}: statement with a question", f.name));
                }
            }
            _ => statement_problems.push(format!(
                "{} ({:?}): {} statement records, want 1: {:?}",
                f.name,
                f.form,
                statements.len(),
                statements.iter().map(|s| &s["answer"]).collect::<Vec<_>>()
            )),
        }
        let turns = recs.iter().filter(|r| r["kind"] == "answer").count();
        if turns != f.turns {
            turn_problems.push(format!(
                "{} ({:?}): {turns} answer records, {} turns written; kinds {:?}",
                f.name,
                f.form,
                f.turns,
                recs.iter().map(|r| r["kind"].as_str()).collect::<Vec<_>>()
            ));
        }
    }
    (speakers, statement_problems, turn_problems)
}

/// Item 6: the footer, on every file, is in no record; where it is.
fn footer_in_records(answers: &[Row]) -> Vec<String> {
    // 6. The footer, on every file, is in no record.
    let pieces = footer_pieces();
    let mut footer = Vec::new();
    for r in answers {
        for field in ["question", "answer"] {
            for p in &pieces {
                if r[field].contains(p.as_str()) {
                    footer.push(format!("{} {field} holds footer '{p}'", r["id"]));
                }
            }
        }
    }
    footer
}

/// Item 7: the partial years of coverage.csv and topic_year.csv; a good
/// file whose coverage row has another year goes to `status`.
fn partial_years(w: &Work, cov: &[Row], truth: &Truth, status: &mut Vec<String>) -> Vec<String> {
    let rows: BTreeMap<&str, &Row> = cov
        .iter()
        .filter(|r| !cell(r, "source").is_empty())
        .map(|r| (cell(r, "source"), r))
        .collect();
    // 7. 2020 (September–December) and 2024 (January–April) are partial
    // years, in coverage.csv and in topic_year.csv: the shares found, per year.
    let mut coverage_years: BTreeMap<i32, BTreeSet<String>> = BTreeMap::new();
    for f in truth.good() {
        let Some(r) = rows.get(f.name.as_str()) else {
            continue;
        };
        if cell(r, "year") != f.year.to_string() {
            status.push(format!("{}: year {}", f.name, cell(r, "year")));
        }
        coverage_years.entry(f.year).or_default().insert(format!(
            "questions_share '{}', year_share '{}'",
            cell(r, "questions_share"),
            cell(r, "year_share")
        ));
        let (qs, ys) = (share(r, "questions_share"), share(r, "year_share"));
        let fine = match (qs, ys) {
            (Some(qs), Some(ys)) if partial(f.year) => qs < 1.0 && ys < 0.9,
            (Some(qs), Some(ys)) => qs == 1.0 && ys >= 0.9,
            _ => false,
        };
        if !fine {
            coverage_years
                .get_mut(&f.year)
                .unwrap()
                .insert(format!("wrong for {}", f.name));
        }
    }
    let mut years_problems: Vec<String> = coverage_years
        .iter()
        .filter(|(_, found)| found.iter().any(|x| x.starts_with("wrong")))
        .map(|(year, found)| {
            let wrong = found.iter().filter(|x| x.starts_with("wrong")).count();
            let shares: Vec<&String> = found
                .iter()
                .filter(|x| !x.starts_with("wrong"))
                .take(5)
                .collect();
            format!(
                "coverage.csv {year} ({}): {wrong} file(s) wrong; shares found {shares:?}",
                if partial(*year) {
                    "partial: questions_share < 1, year_share < 0.9"
                } else {
                    "full: questions_share = 1, year_share >= 0.9"
                }
            )
        })
        .collect();
    years_problems.extend(topic_year_partial(w));
    years_problems
}

/// Item 7 in topic_year.csv: each year's questions_share, partial or whole.
fn topic_year_partial(w: &Work) -> Vec<String> {
    let mut years_problems = Vec::new();
    let mut topic_years: BTreeMap<i32, BTreeSet<String>> = BTreeMap::new();
    for r in w.table("topic_year.csv") {
        let year: i32 = cell(&r, "year").parse().unwrap();
        topic_years
            .entry(year)
            .or_default()
            .insert(cell(&r, "questions_share").to_string());
    }
    for year in 2020..=2024 {
        let Some(found) = topic_years.get(&year) else {
            years_problems.push(format!("topic_year.csv: no row for {year}"));
            continue;
        };
        let fine = found.iter().all(|v| match v.parse::<f64>() {
            Ok(qs) if partial(year) => qs < 1.0,
            Ok(qs) => qs == 1.0,
            Err(_) => false,
        });
        if !fine {
            years_problems.push(format!(
                "topic_year.csv {year} ({}): questions_share {found:?}",
                if partial(year) {
                    "partial, want < 1"
                } else {
                    "full, want 1"
                }
            ));
        }
    }
    years_problems
}

/// Not text at all: the start of a JPEG and some binary.
const NOT_TEXT: &[u8] = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\
\xff\xdb\x00\x43\x00\x08\x06\x06\x07\x06\x05\x08\x07\x07\x07\x09\x09\x08\x0a\x0c\x14\x0d\x0c\x0b\
\x0b\x0c\x19\x12\x13\x0f\x14\x1d\x1a\x1f\x1e\x1d\x1a\x1c\x1c\x20\x24\x2e\x27\x20\x22\x2c\x23\x1c\
\x1c\x28\x37\x29\x2c\x30\x31\x34\x34\x34\x1f\x27\x39\x3d\x38\x32\x3c\x2e\x33\x34\x32\xff\xd9";

#[test]
fn strict_stops_on_the_broken_file() {
    let w = Work::new("briefings-strict");
    let truth = write_briefings(&w, 30, 7);
    // A second bad file: bytes that are not text.
    let prose = truth.files[7].name.clone();
    let binary = truth.files[19].name.clone();
    w.write(&format!("data/transcripts/{binary}"), NOT_TEXT);

    // --strict: exit 2, every bad file named, nothing written.
    let o = w.run(&["all", "--strict"]);
    assert_fails(&o, &[prose.as_str(), binary.as_str()]);
    assert!(
        !w.out().join("tables/answers.csv").exists(),
        "a run stopped by --strict wrote answers.csv"
    );

    // Without it the same corpus goes in, both set aside with a reason.
    let o = w.all();
    assert_ok(&o);
    let cov = w.table("coverage.csv");
    let set_aside: BTreeSet<&str> = cov
        .iter()
        .filter(|r| cell(r, "status") == "set_aside")
        .map(|r| {
            assert!(!cell(r, "reason").trim().is_empty(), "no reason: {r:?}");
            cell(r, "source")
        })
        .collect();
    assert_eq!(set_aside, BTreeSet::from([prose.as_str(), binary.as_str()]));
}

// ------------------------------------------------------------ the fixtures

/// A work folder whose only transcript is this fixture of tests/fixtures/.
fn fixture_alone(name: &str, fixture: &str) -> Work {
    let w = Work::new(name);
    let bytes = std::fs::read(Path::new(REPO).join("tests/fixtures").join(fixture)).unwrap();
    w.write(&format!("data/transcripts/{fixture}"), bytes);
    w
}

/// The hand answers' columns, compared with answers.csv's columns of
/// [`ANSWER_COLUMNS`] (the outlet as the page prints it).
const COLUMNS: [&str; 6] = ["date", "kind", "speaker", "outlet", "question", "answer"];
const ANSWER_COLUMNS: [&str; 6] = [
    "date",
    "kind",
    "speaker",
    "outlet_printed",
    "question",
    "answer",
];

/// `ingest` on the fixture alone gives the hand answer's records, in order.
fn ingest_gives_the_hand_answer(fixture: &str) {
    let w = fixture_alone(&fixture.replace(".txt", ""), fixture);
    let o = w.run(&["ingest"]);
    assert_ok(&o);
    let got: Vec<Vec<String>> = w
        .table("answers.csv")
        .into_iter()
        .filter(|r| r["source"] == fixture)
        .map(|r| ANSWER_COLUMNS.iter().map(|c| r[*c].clone()).collect())
        .collect();
    let want: Vec<Vec<String>> = hand_answer(fixture)
        .into_iter()
        .map(|r| COLUMNS.iter().map(|c| r[*c].clone()).collect())
        .collect();
    // Records short: kind, speaker, outlet and the start of question and answer.
    let short = |r: &Vec<String>| {
        let cut = |t: &str| t.chars().take(16).collect::<String>();
        format!(
            "{} {} [{}] {} | {}",
            r[1],
            r[2],
            r[3],
            cut(&r[4]),
            cut(&r[5])
        )
    };
    let mut problems = Vec::new();
    if got.len() != want.len() {
        problems.push(format!(
            "{fixture}: {} records, the hand answer has {}\ngot:\n  {}\nwant:\n  {}",
            got.len(),
            want.len(),
            got.iter().map(short).collect::<Vec<_>>().join("\n  "),
            want.iter().map(short).collect::<Vec<_>>().join("\n  ")
        ));
    } else {
        for (i, (g, e)) in got.iter().zip(&want).enumerate() {
            for (k, c) in COLUMNS.iter().enumerate() {
                if g[k] != e[k] {
                    problems.push(format!(
                        "{fixture}: record {}, {c}\n  got  {:?}\n  want {:?}",
                        i + 1,
                        g[k],
                        e[k]
                    ));
                }
            }
        }
    }
    report(&problems);
}

#[test]
fn old_template_page() {
    // No <h1>: the title in <title> and News_Body_Title; questions in nested
    // bold that closes mid-question; a labelled statement before the first
    // question; a photo; menus and a footer (see its notes.md).
    ingest_gives_the_hand_answer("2020-10-13_mfa-page-old.txt");
}

#[test]
fn old_template_plain() {
    // The plain-text copy of an old-template page: 　　 indents, an unlabelled
    // statement after the title, the footer lines at the end.
    ingest_gives_the_hand_answer("2020-10-14_mfa-old-plain.txt");
}

#[test]
fn long_statement_briefing() {
    // An eleven-paragraph statement naming 王毅 and 秦刚 is one statement of
    // 汪文斌's; the question put after the briefing is his answer too.
    ingest_gives_the_hand_answer("2022-12-27_briefing-statement.txt");
}

/// `[comparison] exclude_kinds = ["statement"]` leaves the statements in
/// answers.csv and out of every count: none of their tokens is segmented,
/// while the answers' are.
#[test]
fn statements_can_be_left_out_of_every_count() {
    let w = fixture_alone("exclude-statements", "2022-12-27_briefing-statement.txt");
    let analysis = std::fs::read_to_string(Path::new(REPO).join("data/analysis.toml")).unwrap();
    assert!(analysis.contains("exclude_kinds = []"));
    w.write(
        "data/analysis.toml",
        analysis.replace("exclude_kinds = []", "exclude_kinds = [\"statement\"]"),
    );
    let o = w.all();
    assert_ok(&o);
    let answers = w.table("answers.csv");
    let kind_of: BTreeMap<&str, &str> = answers
        .iter()
        .map(|r| (r["id"].as_str(), r["kind"].as_str()))
        .collect();
    assert!(kind_of.values().any(|k| *k == "statement"));
    let segmented: BTreeSet<String> = w
        .table("tokens.csv")
        .into_iter()
        .map(|r| r["id"].clone())
        .collect();
    for (id, kind) in &kind_of {
        assert_eq!(
            segmented.contains(*id),
            *kind != "statement",
            "{id} ({kind})"
        );
    }
}

/// Where the answers' label names another spokesperson than the title, the
/// label is who answers, and the file says so once.
#[test]
fn a_label_that_disagrees_with_the_title_is_taken_and_said_once() {
    let w = Work::new("label-title");
    w.write(
        "data/transcripts/2021-05-10_briefing.txt",
        "2021年5月10日外交部发言人汪文斌主持例行记者会\n\n\
         法新社记者：中方对有关报道有何评论？\n\n华春莹：我们注意到有关报道。\n\n\
         彭博社记者：请介绍会谈情况。\n\n华春莹：双方就共同关心的问题交换了意见。\n",
    );
    let o = w.run(&["ingest"]);
    assert_ok(&o);
    let answers = w.table("answers.csv");
    assert_eq!(answers.len(), 2);
    assert!(
        answers.iter().all(|r| r["speaker"] == "华春莹"),
        "{answers:?}"
    );
    let said = "the briefing's title names 汪文斌, but 2 answer(s) stand under the label 华春莹";
    assert_eq!(stderr(&o).matches(said).count(), 1, "{}", stderr(&o));
}
