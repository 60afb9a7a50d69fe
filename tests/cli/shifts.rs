//! The shifts stage: keyness, trends and register on a toy corpus, and KWIC.

use std::collections::BTreeMap;

use crate::workdir::*;

#[test]
fn toy_keyness_trends_and_register() {
    let w = toy_with_min_count();
    toy_keyness(&w);
    toy_trends(&w);
    toy_register(&w);
}

/// keyness.csv of the toy: 打压 against both references, by hand and by
/// tests/reference/keyness.py.
fn toy_keyness(w: &Work) {
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
}

/// shifts.csv of the toy: the change, the slope, and no interval where one
/// answer would give a zero-width one.
fn toy_trends(w: &Work) {
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
    // One answer in the (year, topic): resampling it would give a zero-width
    // interval, so there is none, and the note says why; nor a slope interval.
    assert_eq!([&r["ci_low"], &r["ci_high"]], ["", ""]);
    assert_eq!(
        r["note"],
        "1 answer(s), fewer than min_answers (3): no interval"
    );
    assert_eq!(
        [&r["slope_low"], &r["slope_high"], &r["trend"]],
        ["", "", "too few answers"]
    );
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
}

/// register.csv of the toy.
fn toy_register(w: &Work) {
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

/// A reader that closes the pipe before the lines come (`kwic … | head -0`)
/// ends the printing: exit 0 and no panic, where `println!` panicked on the
/// broken pipe. The pipe is closed as soon as the process starts, long
/// before it has read its tables and prints.
#[test]
fn kwic_into_a_closed_pipe_exits_quietly() {
    use std::process::{Command, Stdio};
    let w = toy();
    for args in [&["kwic", "打压"][..], &["formulations"][..]] {
        let mut child = Command::new(BIN)
            .args(args)
            .arg("--data")
            .arg(w.data())
            .arg("--out")
            .arg(w.out())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let o = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success(), "{args:?}: {:?} {err}", o.status);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
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
    // Every bootstrap interval holds its estimate; a (year, topic) with fewer
    // than 3 answers has none, and says so; a trend is called only where its
    // slope interval excludes 0.
    for r in w.table("shifts.csv") {
        let n: usize = w
            .table("answer_sizes.csv")
            .iter()
            .filter(|a| a["year"] == r["year"] && a["topic"] == r["topic"])
            .count();
        if n < 3 {
            assert!(r["ci_low"].is_empty() && !r["note"].is_empty(), "{r:?}");
            continue;
        }
        // A phrase in no answer of the year: every resample gives 0, and an
        // interval [0, 0] would read as certainty, so there is none.
        if r["n"] == "0" {
            assert!(r["ci_low"].is_empty() && r["ci_high"].is_empty(), "{r:?}");
            assert!(
                r["note"].starts_with("every resample gives the same value"),
                "{r:?}"
            );
            continue;
        }
        let (lo, x, hi): (f64, f64, f64) = (
            r["ci_low"].parse().unwrap(),
            r["per_10k_tokens"].parse().unwrap(),
            r["ci_high"].parse().unwrap(),
        );
        assert!(lo <= x + 1e-6 && x <= hi + 1e-6, "{r:?}");
        if let (Ok(q), Ok(slope)) = (r["q_slope"].parse::<f64>(), r["slope"].parse::<f64>()) {
            let want = match (q < 0.05, slope > 0.0) {
                (true, true) => "rising",
                (true, false) => "falling",
                (false, _) => "no detectable change",
            };
            assert_eq!(r["trend"], want, "{r:?}");
            let p: f64 = r["p_slope"].parse().unwrap();
            assert!(
                p <= q + 1e-12 && (2.0 / 10_000.0..=1.0).contains(&p),
                "{r:?}"
            );
        }
    }
    for r in w.table("register.csv") {
        if let Ok(s) = r["hardline_share"].parse::<f64>() {
            assert!((0.0..=1.0).contains(&s), "{r:?}");
        }
    }
}

// ------------------------------------------------------------ charts and report

#[test]
fn toy_answer_level_test_enumerates_the_two_splits_by_hand() {
    // 2021 us has one answer (美国打压，中方反对打压: 打压 twice in 5 words), its
    // reference (2019 us) one answer of 6 words without 打压. The only splits
    // of two answers into one and one are the observed one and the swap. The
    // pooled rate is r = 2/11: observed D = 2 − 5r = 12/11, swapped D =
    // 0 − 6r = −12/11, as extreme: p_perm = 2/2 = 1 (exact), where the
    // token-level test says p = 0.054. With 2 occurrences the exact interval
    // of the log ratio contains 0: LRC = 0.
    let w = toy_with_min_count();
    let k = w.table("keyness.csv");
    let r = row(
        &k,
        &[
            ("year", "2021"),
            ("topic", "us"),
            ("reference", "rest"),
            ("kind", "unigram"),
            ("phrase", "打压"),
        ],
    );
    assert_eq!(
        [
            &r["p"],
            &r["p_perm"],
            &r["q_perm"],
            &r["n_perm"],
            &r["lrc"],
            &r["test"]
        ],
        ["0.054382", "1", "1", "2", "0", "exact"]
    );
    assert_eq!(r["genre"], "print");
}

#[test]
fn seeds_summaries_never_enter_a_keyness_comparison() {
    let (w, _) = seeds();
    let years: std::collections::BTreeSet<String> = w
        .table("keyness.csv")
        .into_iter()
        .map(|r| r["year"].clone())
        .collect();
    // 2026 is a summary (corpus.toml): neither a target nor in any reference.
    assert_eq!(
        years.into_iter().collect::<Vec<_>>(),
        ["2018", "2021", "2024", "2025"]
    );
    let k = w.table("keyness.csv");
    let r = row(
        &k,
        &[
            ("year", "2025"),
            ("topic", "all"),
            ("reference", "previous"),
            ("kind", "tracked"),
            ("phrase", "全球南方"),
        ],
    );
    // 2025's previous year is 2024, not 2026 or a summary.
    let n_b: u64 = r["n_b"].parse().unwrap();
    let ty = w.table("topic_year.csv");
    let t2024 = row(&ty, &[("year", "2024"), ("topic", "all")]);
    assert_eq!(n_b, t2024["n_tokens"].parse::<u64>().unwrap());
    // 抗疫 (fighting the pandemic), said six times in five answers of 2021 and
    // in none of the other compared years, is a shift by the answer-level test.
    let key = |phrase| {
        [
            ("year", "2021"),
            ("topic", "all"),
            ("reference", "rest"),
            ("kind", "tracked"),
            ("phrase", phrase),
        ]
    };
    let v = row(&k, &key("抗疫"));
    assert_eq!(
        [&v["a"], &v["b"], &v["answers_a"], &v["answers_b"]],
        ["6", "0", "5", "0"]
    );
    assert!(v["q_perm"].parse::<f64>().unwrap() < 0.05);
    assert!(v["lrc"].parse::<f64>().unwrap() > 0.0);
    // 疫苗 (vaccines), 18 times in 2021 but in two answers only, is below the
    // filter: two answers cannot make a small answer-level p.
    let v = row(&k, &key("疫苗"));
    assert_eq!(
        [&v["a"], &v["answers_a"], &v["shown"], &v["p_perm"]],
        ["18", "2", "tracked", ""]
    );
    assert!(
        v["note"].starts_with("not tested: below the filter"),
        "{v:?}"
    );
}

#[test]
fn seeds_sensitivity_rechecks_every_reported_shift() {
    let (w, _) = seeds();
    let k = w.table("keyness.csv");
    let shifts: Vec<_> = k
        .iter()
        .filter(|r| r["q_perm"].parse::<f64>().is_ok_and(|q| q < 0.05))
        .collect();
    let s = w.table("sensitivity.csv");
    assert_eq!(s.len(), 3 * shifts.len());
    for r in shifts {
        let keys = [
            ("year", r["year"].as_str()),
            ("topic", r["topic"].as_str()),
            ("reference", r["reference"].as_str()),
            ("kind", r["kind"].as_str()),
            ("phrase", r["phrase"].as_str()),
        ];
        let with = |check: &str| {
            let mut k = keys.to_vec();
            k.push(("check", check));
            row(&s, &k).clone()
        };
        // As reported: keyness.csv's own numbers, p_perm included.
        let reported = with("as reported");
        for c in ["a", "b", "n_a", "n_b", "lrc", "p_perm"] {
            assert_eq!(reported[c], r[c], "{c} of {keys:?}");
        }
        // Every reported shift is in 2021, a print holding 14 of 27 questions.
        assert_eq!(
            with("without partial years")["note"],
            format!("{} itself holds only part of its conference", r["year"])
        );
        let common = with("common topics only");
        assert!(common["survives"] == "true" || common["survives"] == "false");
    }
    // 抗疫 (fighting the pandemic) rests partly on an answer tagged with a
    // topic of 2021 alone: on the topics both sides share, 2021 keeps 14 of
    // its 15 answers and 5 of the 6 occurrences, the reference 41 of its 53
    // answers, and the shift still holds.
    let check = |c: &str| {
        row(
            &s,
            &[
                ("year", "2021"),
                ("topic", "all"),
                ("reference", "rest"),
                ("kind", "tracked"),
                ("phrase", "抗疫"),
                ("check", c),
            ],
        )
        .clone()
    };
    let cells = |r: &BTreeMap<String, String>| {
        ["a", "b", "pool_a", "pool_b", "survives"].map(|c| r[c].clone())
    };
    assert_eq!(cells(&check("as reported")), ["6", "0", "15", "53", "true"]);
    assert_eq!(
        cells(&check("common topics only")),
        ["5", "0", "14", "41", "true"]
    );
}

#[test]
fn seeds_register_hits_can_be_audited_and_add_up_to_the_index() {
    let (w, _) = seeds();
    let hits = w.table("register_hits.csv");
    // Every counted hit of a year is in the register index of topic `all`.
    for r in w
        .table("register.csv")
        .iter()
        .filter(|r| r["topic"] == "all")
    {
        for stance in ["hardline", "conciliatory"] {
            let counted = hits
                .iter()
                .filter(|h| h["year"] == r["year"] && h["counted_as"] == stance)
                .count();
            assert_eq!(counted.to_string(), r[stance], "{} {stance}", r["year"]);
        }
    }
    // The context rules of data/lexicons/contexts.toml, where they fire.
    let decided: Vec<(String, String, String)> = hits
        .iter()
        .filter(|h| !h["rule"].is_empty())
        .map(|h| (h["id"].clone(), h["term"].clone(), h["counted_as"].clone()))
        .collect();
    assert!(decided.contains(&("2026-03-08/11".into(), "底线".into(), "conciliatory".into())));
    assert!(decided.contains(&("2026-03-08/01".into(), "必将".into(), String::new())));
    let hit = hits
        .iter()
        .find(|h| h["id"] == "2026-03-08/11" && h["term"] == "底线")
        .unwrap();
    assert!(hit["left"].ends_with("守住和平共处的"), "{hit:?}");
    // The hand labels the README's agreement figures come from name 40 real
    // answers, each with one of the three labels and a reason.
    let labels = std::fs::read_to_string(
        std::path::Path::new(REPO).join("tests/fixtures/register_labels.csv"),
    )
    .unwrap();
    let ids: std::collections::BTreeSet<String> = w
        .table("answers.csv")
        .into_iter()
        .map(|r| r["id"].clone())
        .collect();
    let rows: Vec<&str> = labels.lines().skip(1).collect();
    assert_eq!(rows.len(), 40);
    for r in rows {
        let f: Vec<&str> = r.splitn(3, ',').collect();
        assert!(ids.contains(f[0]), "{r}");
        assert!(
            ["hardline", "neutral", "conciliatory"].contains(&f[1]),
            "{r}"
        );
        assert!(!f[2].is_empty(), "{r}");
    }
}

#[test]
fn toy_sensitivity_worked_out_by_hand() {
    // By hand. 2019 (complete, 4 of 4 questions): four answers 美国|打压|中国|，|我们|反对|。
    // (5 words each, 打压 once); 2021 (a print of 4 of 8 questions): four answers
    // 美国|应当|合作|，|我们|欢迎|。 (5 words, no 打压). All eight are tagged us.
    // 2019 us against the rest: a = 4, b = 0, n_a = n_b = 20. Of the C(8,4) = 70
    // splits of the eight answers, two are as extreme (all four 打压 answers on
    // one side or on the other): p_perm = 2/70 = 0.028571, alone in its family
    // (the tracked phrases of 2019 us), so q_perm = p_perm: a reported shift.
    // Without partial years the reference (2021 only) is gone; on common topics
    // (us on both sides) every answer stays and the numbers are those reported.
    let w = toy_sensitivity_corpus();
    assert_ok(&w.all());
    let s = w.table("sensitivity.csv");
    let check = |year: &str, check: &str| {
        row(
            &s,
            &[
                ("year", year),
                ("topic", "us"),
                ("reference", "rest"),
                ("kind", "tracked"),
                ("phrase", "打压"),
                ("check", check),
            ],
        )
        .clone()
    };
    let fields = [
        "a",
        "b",
        "n_a",
        "n_b",
        "pool_a",
        "pool_b",
        "answers_a",
        "answers_b",
        "p_perm",
        "test",
        "survives",
    ];
    for c in ["as reported", "common topics only"] {
        let r = check("2019", c);
        assert_eq!(
            fields.map(|f| r[f].as_str()),
            ["4", "0", "20", "20", "4", "4", "4", "0", "0.028571", "exact", "true"],
            "{c}"
        );
    }
    assert_eq!(
        check("2019", "without partial years")["note"],
        "no reference year left"
    );
    assert_eq!(
        check("2021", "without partial years")["note"],
        "2021 itself holds only part of its conference"
    );
    let k = w.table("keyness.csv");
    let reported = row(
        &k,
        &[
            ("year", "2019"),
            ("topic", "us"),
            ("reference", "rest"),
            ("kind", "tracked"),
            ("phrase", "打压"),
        ],
    );
    assert_eq!(
        [
            &reported["p_perm"],
            &reported["q_perm"],
            &reported["n_perm"]
        ],
        ["0.028571", "0.028571", "70"]
    );
}

/// The toy of the sensitivity test: two prints of four answers each, all
/// tagged us, 打压 in every answer of 2019 and in none of 2021 (a print of
/// 4 of its 8 questions).
fn toy_sensitivity_corpus() -> Work {
    let w = Work::new("toy-sensitivity");
    w.write(
        "data/topics.toml",
        "[scoring]\nquestion_weight = 3\nanswer_weight = 1\nmin_score = 4\nunasked_min_score = 3\n\n\
         [[topic]]\nid = \"us\"\nzh = \"美国\"\nen = \"United States\"\nheadline = true\n\
         cues = [[\"美国\"]]\nphrases = [\"打压\"]\n",
    );
    let year = |answer: &str| -> String {
        (0..4)
            .map(|_| format!("路透社记者：美国如何？\n\n王毅：{answer}\n\n"))
            .collect()
    };
    w.write(
        "data/transcripts/2019-03-08_a.txt",
        year("美国打压中国，我们反对。"),
    );
    w.write(
        "data/transcripts/2021-03-07_b.txt",
        year("美国应当合作，我们欢迎。"),
    );
    w.write(
        "data/corpus.toml",
        "[[transcript]]\nfile = \"2019-03-08_a.txt\"\ngenre = \"print\"\nquestions_asked = 4\n\n\
         [[transcript]]\nfile = \"2021-03-07_b.txt\"\ngenre = \"print\"\nquestions_asked = 8\n",
    );
    w
}
