//! The report stage: what it states follows the data folder.

use std::path::Path;

use crate::workdir::*;

#[test]
fn the_report_states_the_parameters_the_data_folder_holds() {
    let w = toy();
    let analysis = std::fs::read_to_string(Path::new(REPO).join("data/analysis.toml"))
        .unwrap()
        .replace("replicates = 9999", "replicates = 200")
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
    assert!(!md.contains("9999 replicates") && !md.contains("95% bootstrap"));
}

#[test]
fn seeds_report_calls_trends_only_with_their_interval_and_no_zero_width_interval() {
    let (w, _) = seeds();
    let md = std::fs::read_to_string(w.out().join("report.md")).unwrap();
    // Topic `all`: three slope intervals exclude 0, but none survives the
    // correction over the topic's 136 tracked phrases (shifts.csv q_slope),
    // so the report calls no trend and says why.
    for said in [
        "- **全球南方**: slope 2.13 (95% interval 0.702 to 3.84; bootstrap p 0.00300, q 0.286)",
        "- **抗疫**: slope -0.804 (95% interval -1.52 to -0.253; bootstrap p 0.00420, q 0.286)",
        "No detectable change: none of the 136 tracked phrase(s) tested has q < 0.05",
        "No trend can be tested: for each of the 13 tracked phrase(s) a compared year has fewer than 3 answers",
        "whole answers split again between the year and its reference",
    ] {
        assert!(md.contains(said), "report.md does not say '{said}'");
    }
    // Every interval printed as "a–b" in a table has a < b.
    for line in md.lines().filter(|l| l.starts_with('|')) {
        for cell in line.split('|').map(str::trim) {
            if let Some((a, b)) = cell.split_once('–') {
                if let (Ok(a), Ok(b)) = (a.parse::<f64>(), b.parse::<f64>()) {
                    assert!(a < b, "zero-width interval in: {line}");
                }
            }
        }
    }
    assert!(md.contains("none (1 answers)") || md.contains("none (2 answers)"));
}

#[test]
fn the_report_says_nothing_of_gaps_or_exclusions_a_corpus_does_not_have() {
    let w = crate::charts::complete_years();
    let md = std::fs::read_to_string(w.out().join("report.md")).unwrap();
    assert!(md.contains("press conference shifts, 2019–2021."), "{md}");
    for absent in ["Years without a transcript", "no transcript", "()"] {
        assert!(!md.contains(absent), "report.md says '{absent}'");
    }
    assert!(md.contains("Years of genre summary never enter a comparison"));

    // With no genre left out, the methods say so instead of naming none.
    w.write(
        "data/analysis.toml",
        std::fs::read_to_string(Path::new(REPO).join("data/analysis.toml"))
            .unwrap()
            .replace("exclude_genres = [\"summary\"]", "exclude_genres = []"),
    );
    assert_ok(&w.all());
    let md = std::fs::read_to_string(w.out().join("report.md")).unwrap();
    assert!(md.contains("**Like with like.** Every genre enters the comparisons across years"));
    assert!(!md.contains("Years of genre"));
}

/// The report asks for its figures by the key the charts draw them under:
/// a figure missing from charts/ stops `report` with a message naming it,
/// instead of a report with a hole or a broken picture link.
#[test]
fn a_missing_figure_is_an_error_that_names_it() {
    let (w, _) = seeds();
    std::fs::remove_file(w.out().join("charts/salience.svg")).unwrap();
    let o = w.run(&["report"]);
    assert_fails(&o, &["salience", "charts stage did not draw"]);
}
