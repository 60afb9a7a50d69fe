//! The report stage: what it states follows the data folder.

use std::path::Path;

use crate::workdir::*;

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
