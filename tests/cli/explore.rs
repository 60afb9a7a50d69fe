//! The explore stage: explorer.html is self-contained, small, and in a real
//! browser gives the tables' numbers.

use std::path::Path;
use std::process::Command;

use crate::workdir::*;

#[test]
fn the_explorer_is_one_small_offline_file() {
    let (w, _) = seeds();
    let html = std::fs::read_to_string(w.out().join("explorer.html")).unwrap();
    assert!(
        html.len() < 2_000_000,
        "explorer.html is {} bytes",
        html.len()
    );
    // Nothing is fetched: no external script, style, font or image.
    for pulled in ["src=\"http", "href=\"http", "@import", "url(http", "<link "] {
        assert!(!html.contains(pulled), "explorer.html loads '{pulled}'");
    }
    assert!(
        html.contains("\"texts\":true"),
        "the seeds' texts are embedded"
    );
    // Every answer that phrase_freq counts is in the page, with its text.
    for size in w.table("answer_sizes.csv") {
        if size["topic"] == "all" {
            assert!(
                html.contains(&format!("[\"{}\",", size["id"])),
                "{}",
                size["id"]
            );
        }
    }
    // `explore` on its own writes the same page.
    std::fs::remove_file(w.out().join("explorer.html")).unwrap();
    assert_ok(&w.run(&["explore"]));
    assert_eq!(
        std::fs::read_to_string(w.out().join("explorer.html")).unwrap(),
        html
    );
}

#[test]
fn above_max_text_mb_the_texts_are_left_out_and_the_page_says_so() {
    let w = Work::with_seeds("explorer-no-texts");
    let analysis = std::fs::read_to_string(w.data().join("analysis.toml"))
        .unwrap()
        .replace("max_text_mb = 20.0", "max_text_mb = 0.01");
    w.write("data/analysis.toml", analysis);
    assert_ok(&w.all());
    let html = std::fs::read_to_string(w.out().join("explorer.html")).unwrap();
    assert!(html.contains("\"texts\":false"));
    assert!(
        !html.contains("台湾地区选举只是中国的一个地方选举"),
        "an answer's text is in the page"
    );
    assert!(html.len() < 1_200_000, "{} bytes", html.len());
}

/// Drives the page in Debian's headless Chromium (tests/browser/explorer.mjs,
/// playwright-core from tests/browser/package.json): the phrase 台独 typed
/// into the box gives phrase_freq.csv's 2024 count and rate, its point leads
/// to as many lines as `rhetoric-shift kwic` prints and on to the answer,
/// gap and partial years are marked, keyness sorts, and the console stays
/// clean. Needs `apt-get install chromium` and `npm ci --prefix tests/browser`
/// (the README; .ci/run does both). Screenshots go to $EXPLORER_SHOTS if set.
#[test]
fn in_a_browser_the_explorer_gives_the_tables_numbers() {
    let browser = Path::new(REPO).join("tests/browser");
    assert!(
        browser.join("node_modules/playwright-core").exists(),
        "run `npm ci --prefix tests/browser` first (the README's test section)"
    );
    let (w, _) = seeds();
    let freq = w.table("phrase_freq.csv");
    let r = row(
        &freq,
        &[
            ("year", "2024"),
            ("topic", "all"),
            ("phrase", "台独"),
            ("kind", "tracked"),
        ],
    );
    let kwic = w.run(&["kwic", "台独", "--year", "2024"]);
    assert_ok(&kwic);
    let lines: Vec<String> = String::from_utf8(kwic.stdout)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    let answers: Vec<String> = lines
        .iter()
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect();
    assert_eq!(lines.len(), r["n"].parse::<usize>().unwrap());
    let coverage = w.table("coverage.csv");
    let c2021 = row(&coverage, &[("year", "2021")]);
    let expected = format!(
        "{{\"phrase\":\"台独\",\"year\":2024,\"n\":{},\"rate\":{},\"lines\":{},\"answers\":[{}],\
         \"gap_year\":2019,\"partial_year\":2021,\"partial_label\":\"{}/{}\",\
         \"gloss\":\"Taiwan independence\",\"gloss_zh\":\"台独\",\"keyness_year\":2021}}",
        r["n"],
        r["per_10k_chars"],
        lines.len(),
        answers
            .iter()
            .map(|a| format!("\"{a}\""))
            .collect::<Vec<_>>()
            .join(","),
        c2021["questions"],
        c2021["questions_asked"],
    );
    let expected_path = w.dir.join("expected.json");
    std::fs::write(&expected_path, expected).unwrap();
    let mut node = Command::new("node");
    node.arg(browser.join("explorer.mjs"))
        .arg(w.out().join("explorer.html"))
        .arg(&expected_path);
    if let Ok(shots) = std::env::var("EXPLORER_SHOTS") {
        node.arg(shots);
    }
    let out = node.output().expect("node (Node.js) is installed");
    assert!(
        out.status.success(),
        "browser checks failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
