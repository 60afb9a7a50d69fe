//! The frequencies stage: counts worked out by hand, and tracked counts checked against substring counts.

use crate::workdir::*;

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
