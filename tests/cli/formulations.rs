//! formulations.csv and `rhetoric-shift formulations`: statuses worked out by
//! hand on a toy corpus with a gap year and a partial year, and the seeds
//! against the hand list of tests/fixtures/formulations.csv.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::workdir::{assert_ok, read_csv, seeds, Work, REPO, TOY_TOPICS};

/// 2018 and 2021–2022 complete, 2019 a print holding one of four questions,
/// no 2020. 开放型世界经济 is said in 2018, 2021 and 2022; 真正的多边主义 in
/// 2018, 2019 and 2022.
fn toy() -> Work {
    let w = Work::new("formulations");
    w.write("data/topics.toml", TOY_TOPICS);
    w.write(
        "data/corpus.toml",
        "[defaults]\nspeaker = \"王毅\"\n\n[[transcript]]\nfile = \"2019-03-08_toy.txt\"\n\
         genre = \"print\"\nquestions_asked = 4\n",
    );
    let qa = |q: &str, a: &str| format!("路透社记者：{q}\n\n王毅：{a}\n\n");
    let years = [
        (
            "2018-03-08",
            qa("世界经济怎么样？", "我们要推动开放型世界经济。")
                + &qa("多边主义呢？", "坚持真正的多边主义。"),
        ),
        ("2019-03-08", qa("多边主义呢？", "真正的多边主义很重要。")),
        (
            "2021-03-07",
            qa("世界经济怎么样？", "开放型世界经济不可逆转。")
                + &qa("联合国呢？", "联合国作用很重要。"),
        ),
        (
            "2022-03-07",
            qa("还有呢？", "开放型世界经济和真正的多边主义。") + &qa("气候呢？", "应对气候变化。"),
        ),
    ];
    for (date, text) in years {
        w.write(&format!("data/transcripts/{date}_toy.txt"), text);
    }
    assert_ok(&w.all());
    w
}

/// formulation -> year -> (n, status).
fn statuses(w: &Work) -> BTreeMap<String, BTreeMap<String, (String, String)>> {
    let mut out: BTreeMap<String, BTreeMap<String, (String, String)>> = BTreeMap::new();
    for r in w.table("formulations.csv") {
        out.entry(r["formulation"].clone())
            .or_default()
            .insert(r["year"].clone(), (r["n"].clone(), r["status"].clone()));
    }
    out
}

#[test]
fn statuses_skip_the_gap_year_and_the_partial_print() {
    let w = toy();
    let got = statuses(&w);
    let want = |rows: [(&str, &str, &str); 4]| -> BTreeMap<String, (String, String)> {
        rows.iter()
            .map(|(y, n, s)| (y.to_string(), (n.to_string(), s.to_string())))
            .collect()
    };
    // 2019's print holds a quarter of its questions: its silence on
    // 开放型世界经济 is no drop, so 2021 continues from 2018. 2021 is complete
    // and without 真正的多边主义: dropped; back in 2022: new. No 2020 row.
    assert_eq!(
        got["开放型世界经济"],
        want([
            ("2018", "1", "first"),
            ("2019", "0", "absent_partial"),
            ("2021", "1", "continuing"),
            ("2022", "1", "continuing"),
        ])
    );
    assert_eq!(
        got["真正的多边主义"],
        want([
            ("2018", "1", "first"),
            ("2019", "1", "continuing"),
            ("2021", "0", "dropped"),
            ("2022", "1", "new"),
        ])
    );
    // Its pieces are said only inside it: folded, not listed.
    assert!(
        !got.contains_key("世界经济") && !got.contains_key("多边主义"),
        "{got:?}"
    );
    let rows = w.table("formulations.csv");
    let r = rows
        .iter()
        .find(|r| r["formulation"] == "真正的多边主义" && r["year"] == "2019")
        .unwrap();
    assert_eq!(
        (r["genre"].as_str(), r["questions_share"].as_str()),
        ("print", "0.25")
    );
    // Said on 2018-03-08, 2019-03-08 and 2022-03-07, in 3 of the 7 answers:
    // nothing before its first use nor after its last, so both p are 1.
    assert_eq!(
        [
            "first_date",
            "first_period",
            "last_date",
            "last_period",
            "holding",
            "before_first",
            "after_last",
            "p_entry",
            "p_exit",
            "change"
        ]
        .map(|c| r[c].as_str()),
        [
            "2018-03-08",
            "2018",
            "2022-03-07",
            "2022",
            "3",
            "0",
            "0",
            "1",
            "1",
            "stable"
        ]
    );
    assert_eq!(r["tokens"], "真正 的 多边主义");
}

#[test]
fn the_command_prints_what_the_table_holds() {
    let w = toy();
    let out = w.run(&["formulations"]);
    assert_ok(&out);
    let text = String::from_utf8(out.stdout).unwrap();
    let line = text
        .lines()
        .find(|l| l.contains("真正的多边主义"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        line.ends_with("2018:first 2019:continuing 2021:dropped 2022:new"),
        "{line}"
    );
    let out = w.run(&["formulations", "--year", "2022", "--new"]);
    assert_ok(&out);
    let text = String::from_utf8(out.stdout).unwrap();
    let new: Vec<&str> = text.lines().collect();
    assert!(
        new.iter()
            .any(|l| l.contains("真正的多边主义  new  n=1 answers=1")),
        "{text}"
    );
    assert!(!text.contains("开放型世界经济"), "{text}");
    let out = w.run(&["formulations", "--year", "2021", "--dropped"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("真正的多边主义  dropped  n=0"), "{text}");
}

/// The hand list (tests/fixtures/formulations.md says how it was made): of
/// its phrases in two answers or more, at least 90% are found, exactly or
/// folded into a longer formulation that holds them, and every one found
/// exactly is said in the years the list gives.
#[test]
fn the_seeds_give_the_hand_list_with_its_years() {
    let (w, _) = seeds();
    let mut years: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in w.table("formulations.csv") {
        let e = years.entry(r["formulation"].clone()).or_default();
        if r["n"] != "0" {
            e.insert(r["year"].clone());
        }
    }
    let hand = read_csv(&Path::new(REPO).join("tests/fixtures/formulations.csv"));
    let listed: Vec<_> = hand
        .iter()
        .filter(|h| h["answers"].parse::<u32>().unwrap() >= 2)
        .collect();
    let mut found = 0;
    let mut missed = Vec::new();
    for h in &listed {
        let phrase = &h["phrase"];
        if let Some(ys) = years.get(phrase) {
            let want: BTreeSet<String> = h["years"].split(';').map(String::from).collect();
            assert_eq!(ys, &want, "{phrase}");
            found += 1;
        } else if years.keys().any(|f| f.contains(phrase.as_str())) {
            found += 1;
        } else {
            missed.push(phrase.clone());
        }
    }
    assert!(
        found * 10 >= listed.len() * 9,
        "{found} of {} found; missed {missed:?}",
        listed.len()
    );
}

/// Formulations are a keyness kind like the others, tested at the answer level.
#[test]
fn formulations_are_tested_by_keyness() {
    let (w, _) = seeds();
    let keyness = w.table("keyness.csv");
    let rows: Vec<_> = keyness
        .iter()
        .filter(|r| r["kind"] == "formulation")
        .collect();
    assert!(!rows.is_empty());
    let listed: BTreeSet<String> = w
        .table("formulations.csv")
        .into_iter()
        .map(|r| r["formulation"].clone())
        .collect();
    for r in rows {
        assert!(listed.contains(&r["phrase"]), "{}", r["phrase"]);
        assert!(!r["test"].is_empty());
    }
}
