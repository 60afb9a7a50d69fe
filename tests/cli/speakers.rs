//! Who said it (issue 27): a generated corpus of regular briefings by five
//! spokespersons, two a week over three years, the speaker changing by week
//! so that every spokesperson speaks in every quarter. Each of a briefing's
//! first four answers holds one conciliatory formula (愿同); one of them also
//! holds a hard-line one (坚决反对), three of four for 赵立坚. Worked out by
//! hand: each spokesperson's register index is 1 / (1 + 4) = 0.2 in every
//! year, 赵立坚's 3 / (3 + 4) = 3/7; the difference of a pair with 赵立坚 is
//! 0.2 − 3/7 = −8/35 (赵立坚 sorts last, as speaker b), of any other pair 0.
//! These answers have the same words but one: where 赵立坚's two first answers
//! of a briefing say 渔业, everyone else's (and his other two) say 会议, so
//! keyness against the other speakers finds 渔业 for him, and 日程, in every
//! answer of everyone, for no one.
//!
//! When (issue 27): every briefing ends with a fifth answer, on Taiwan,
//! without register terms; in August 2022 (nine briefings: Mondays and
//! Thursdays from the 1st to the 29th) it also says the tracked phrase
//! 外部势力, said nowhere else. By month, shifts.csv and the Taiwan chart
//! put 9 uses in 2022-08 and none in the 35 other months.

use std::collections::BTreeMap;

use crate::workdir::*;

/// The spokespersons, in the order their names sort (speakers.csv's order).
const SPEAKERS: [&str; 5] = ["华春莹", "林剑", "毛宁", "汪文斌", "赵立坚"];
const HARD: &str = "赵立坚";

/// The burst's month and phrase (a tracked phrase of the Taiwan topic).
const BURST: (i32, u32, &str) = (2022, 8, "外部势力");

/// Writes the corpus: a briefing every Monday and Thursday of 2021–2023.
/// Returns the briefings per speaker and year.
pub fn write_corpus(w: &Work) -> BTreeMap<(String, i32), u32> {
    let mut held = BTreeMap::new();
    let (start, end) = (days_from_civil(2021, 1, 4), days_from_civil(2023, 12, 31));
    let mut n = 0;
    for day in (start..=end).filter(|d| matches!((d + 3).rem_euclid(7), 0 | 3)) {
        let (y, m, d) = civil_from_days(day);
        let week = (day - start) / 7;
        let speaker = SPEAKERS[(week % 5) as usize];
        *held.entry((speaker.to_string(), y)).or_insert(0) += 1;
        let hard_answers = if speaker == HARD { 3 } else { 1 };
        let mut text = format!("{y}年{m}月{d}日外交部发言人{speaker}主持例行记者会\n\n");
        for j in 0..4 {
            n += 1;
            // Answers of the same words but the planted ones, so that no
            // other word's rate differs between speakers; the number breaks
            // every run of 40 characters, which within one briefing would be
            // a passage printed twice.
            let firm = if j < hard_answers {
                "中方对此坚决反对。"
            } else {
                "中方对此深表关切。"
            };
            let planted = if speaker == HARD && j < 2 {
                "渔业"
            } else {
                "会议"
            };
            text.push_str(&format!(
                "问：请问第{n}号议题的安排如何？\n\n答：我们愿同各方加强合作。第{n}号议题的日程\
                 正在商定，细节由主办方公布。{firm}{planted}事宜（第{n}号）另行通报。\
                 具体情况请向主管部门询问。\n\n"
            ));
        }
        n += 1;
        let burst = if (y, m) == (BURST.0, BURST.1) {
            format!("{}的言论改变不了这一事实。", BURST.2)
        } else {
            String::new()
        };
        text.push_str(&format!(
            "问：请问第{n}号问题，台湾方面有何新情况？\n\n答：台湾是中国领土不可分割的一部分（第{n}号）。{burst}\n\n"
        ));
        w.write(
            &format!("data/transcripts/{y:04}-{m:02}-{d:02}_briefing.txt"),
            text,
        );
    }
    held
}

fn num(r: &BTreeMap<String, String>, c: &str) -> f64 {
    r[c].parse()
        .unwrap_or_else(|_| panic!("{c} = {:?} in {r:?}", r[c]))
}

#[test]
fn one_speaker_who_speaks_harder_is_found_in_the_same_years() {
    let w = Work::new("speakers");
    let held = write_corpus(&w);
    assert!(held.values().all(|&n| n >= 15), "{held:?}");
    let o = w.all();
    assert_ok(&o);
    register_by_hand(&w, &held);
    pairs_with_the_harder_speaker(&w);
    register_recomputes_from_the_hits(&w);
    let section = report_says_who(&w, &held);
    other_speakers_keyness_finds_the_planted_word(&w);
    speaker_series_add_up(&w);
    let keyness = w.table("keyness.csv");
    // Everyone's families (rest, previous) keep speaker `all`.
    assert!(keyness
        .iter()
        .filter(|r| r["reference"] != "other_speakers")
        .all(|r| r["speaker"] == "all"));
    let words = section
        .lines()
        .find(|l| l.starts_with(&format!("- **{HARD}**: ")))
        .unwrap_or_else(|| panic!("no words of {HARD} in {section}"));
    assert!(words.contains(" 渔业 (2021, 2022, 2023)"), "{words}");
    assert!(!section.contains("日程"), "{section}");
}

/// register.csv: each speaker's index, worked out by hand, in every year.
fn register_by_hand(w: &Work, held: &BTreeMap<(String, i32), u32>) {
    // register.csv: every speaker has rows of their own in every year, with
    // the index worked out by hand and an interval around it.
    let register = w.table("register.csv");
    for year in 2021..=2023 {
        for s in SPEAKERS {
            let r = register
                .iter()
                .find(|r| r["year"] == year.to_string() && r["topic"] == "all" && r["speaker"] == s)
                .unwrap_or_else(|| panic!("no register row of {s} in {year}"));
            let briefings = f64::from(held[&(s.to_string(), year)]);
            let hard = if s == HARD { 3.0 } else { 1.0 };
            assert_eq!(num(r, "hardline"), hard * briefings, "{r:?}");
            assert_eq!(num(r, "conciliatory"), 4.0 * briefings, "{r:?}");
            let want = hard / (hard + 4.0);
            assert!((num(r, "hardline_share") - want).abs() < 1e-6, "{r:?}");
            assert!(
                num(r, "share_low") < want && want < num(r, "share_high"),
                "{r:?}"
            );
        }
    }
}

/// speakers.csv: the pairs with the harder speaker differ, the others not.
fn pairs_with_the_harder_speaker(w: &Work) {
    // speakers.csv: the ten pairs on `all`; those with 赵立坚 differ by −8/35
    // with an interval below zero and q < 0.05, the others by nothing.
    let pairs: Vec<_> = w
        .table("speakers.csv")
        .into_iter()
        .filter(|r| r["topic"] == "all")
        .collect();
    assert_eq!(pairs.len(), 10);
    for r in &pairs {
        assert_eq!(r["periods"], "2021;2022;2023");
        assert_eq!(r["stratified_by"], "year, first topic");
        if r["speaker_b"] == HARD {
            assert!((num(r, "difference") + 8.0 / 35.0).abs() < 1e-6, "{r:?}");
            assert!(num(r, "diff_high") < 0.0, "{r:?}");
            assert!(num(r, "diff_low") < num(r, "difference"), "{r:?}");
            assert!(num(r, "q_perm") < 0.05, "{r:?}");
        } else {
            assert_eq!(num(r, "difference"), 0.0, "{r:?}");
            assert!(num(r, "q_perm") >= 0.05, "{r:?}");
        }
    }
}

/// Each speaker's rows of register.csv recompute from register_hits.csv.
fn register_recomputes_from_the_hits(w: &Work) {
    let register = w.table("register.csv");
    // The per-speaker rows recompute from register_hits.csv and answers.csv.
    let speaker_of: BTreeMap<String, String> = w
        .table("answers.csv")
        .into_iter()
        .map(|r| (r["id"].clone(), r["speaker"].clone()))
        .collect();
    let mut recount: BTreeMap<(String, String, String), f64> = BTreeMap::new();
    for h in w.table("register_hits.csv") {
        if !h["counted_as"].is_empty() {
            let key = (
                h["year"].clone(),
                speaker_of[&h["id"]].clone(),
                h["counted_as"].clone(),
            );
            *recount.entry(key).or_default() += 1.0;
        }
    }
    for r in register
        .iter()
        .filter(|r| r["topic"] == "all" && r["speaker"] != "all")
    {
        for lexicon in ["hardline", "conciliatory"] {
            let key = (r["year"].clone(), r["speaker"].clone(), lexicon.to_string());
            assert_eq!(
                recount.get(&key).copied().unwrap_or(0.0),
                num(r, lexicon),
                "{key:?}"
            );
        }
    }
}

/// The report's opening and its "Who said it" section; returns the section.
fn report_says_who(w: &Work, held: &BTreeMap<(String, i32), u32>) -> String {
    // The report says who, with the difference, its interval and its test;
    // the chart of the register by speaker is drawn.
    let report = std::fs::read_to_string(w.out().join("report.md")).unwrap();
    // The report and the explorer describe the corpus they hold, not the
    // annual press conference.
    let briefings: u32 = held.values().sum();
    let opening = format!("How the language of {briefings} regular briefings by ");
    assert!(report.contains(&opening), "{}", &report[..400]);
    assert!(!report.contains("annual NPC press conference"));
    let page = std::fs::read_to_string(w.out().join("explorer.html")).unwrap();
    assert!(page.contains(&format!(
        "例行记者会话语探索：{briefings}场，2021-01-04至2023-12-28"
    )));
    let section = report
        .split("## Who said it")
        .nth(1)
        .expect("a section 'Who said it'");
    for s in &SPEAKERS[..4] {
        assert!(
            section.contains(&format!("**{s} vs {HARD}** on all")),
            "{section}"
        );
    }
    assert!(section.contains("difference -0.229"), "{section}");
    assert!(w.out().join("charts/register_speakers.png").exists());

    section.to_string()
}

/// keyness.csv, reference other_speakers: the planted word, not the shared ones.
fn other_speakers_keyness_finds_the_planted_word(w: &Work) {
    // Keyness against the other speakers of the same year finds the word
    // planted for 赵立坚 in every year, and the word all share for no one.
    let keyness = w.table("keyness.csv");
    let others: Vec<_> = keyness
        .iter()
        .filter(|r| r["reference"] == "other_speakers" && r["topic"] == "all")
        .collect();
    for year in 2021..=2023 {
        let r = others
            .iter()
            .find(|r| {
                r["year"] == year.to_string() && r["speaker"] == HARD && r["phrase"] == "渔业"
            })
            .unwrap_or_else(|| {
                panic!(
                    "no keyness row of 渔业 for {HARD} in {year} among {} rows: {:?}",
                    others.len(),
                    others.iter().take(3).collect::<Vec<_>>()
                )
            });
        assert_eq!(r["shown"], "significant", "{r:?}");
        assert!(
            num(r, "log_ratio") > 0.0 && num(r, "q_perm") < 0.05,
            "{r:?}"
        );
    }
    for shared in ["日程", "主办方", "主管部门"] {
        assert!(
            !others
                .iter()
                .any(|r| r["phrase"] == shared && r["shown"] == "significant"),
            "{shared} found for a speaker"
        );
    }
}

/// shifts.csv: each speaker's series beside everyone's, adding up to it.
fn speaker_series_add_up(w: &Work) {
    // shifts.csv: every tracked phrase has everyone's series and each
    // speaker's, year by year, and each speaker's counts add up to everyone's.
    let shifts = w.table("shifts.csv");
    for year in 2021..=2023 {
        let of = |who: &str| -> Vec<&BTreeMap<String, String>> {
            shifts
                .iter()
                .filter(|r| {
                    r["year"] == year.to_string() && r["topic"] == "all" && r["speaker"] == who
                })
                .collect()
        };
        let everyone = of("all");
        assert!(!everyone.is_empty());
        for s in SPEAKERS {
            let mine = of(s);
            assert_eq!(mine.len(), everyone.len(), "{s} in {year}");
        }
        for r in &everyone {
            let by_speakers: f64 = SPEAKERS
                .iter()
                .flat_map(|s| of(s))
                .filter(|x| x["phrase"] == r["phrase"])
                .map(|x| num(x, "n"))
                .sum();
            assert_eq!(by_speakers, num(r, "n"), "{r:?}");
        }
    }
}

/// The briefings of each month of the corpus, as write_corpus dates them.
fn briefings_by_month() -> BTreeMap<String, u32> {
    let (start, end) = (days_from_civil(2021, 1, 4), days_from_civil(2023, 12, 31));
    let mut out = BTreeMap::new();
    for day in (start..=end).filter(|d| matches!((d + 3).rem_euclid(7), 0 | 3)) {
        let (y, m, _) = civil_from_days(day);
        *out.entry(format!("{y}-{m:02}")).or_insert(0) += 1;
    }
    out
}

#[test]
fn by_month_a_burst_is_in_its_month_and_every_row_recomputes() {
    let w = Work::new("speakers_month");
    write_corpus(&w);
    let o = w.run(&["all", "--period", "month"]);
    assert_ok(&o);
    let months = briefings_by_month();
    assert_eq!(months.len(), 36);
    let burst_month = format!("{}-{:02}", BURST.0, BURST.1);
    assert_eq!(months[&burst_month], 9);

    burst_in_its_month(&w, &months, &burst_month);
    let answers = shifts_recompute_by_month(&w);
    register_recomputes_by_month(&w, &answers);
    // Keyness stays yearly.
    assert!(w.table("keyness.csv").iter().all(|r| r["year"].len() == 4));

    taiwan_chart_peaks_in_the_burst_month(&w);
}

/// Each answer's month and speaker (answers.csv).
type MonthAndSpeaker = BTreeMap<String, (String, String)>;

/// shifts.csv and topic_year.csv by month: the burst in its month only.
fn burst_in_its_month(w: &Work, months: &BTreeMap<String, u32>, burst_month: &str) {
    // shifts.csv: the burst's phrase has a row in every month, 9 uses in
    // August 2022 (one in each of its nine briefings), none elsewhere.
    let shifts = w.table("shifts.csv");
    for topic in ["taiwan", "all"] {
        let series: BTreeMap<String, f64> = shifts
            .iter()
            .filter(|r| r["topic"] == topic && r["speaker"] == "all" && r["phrase"] == BURST.2)
            .map(|r| {
                assert_eq!(r["year"], r["period"][..4], "{r:?}");
                (r["period"].clone(), num(r, "n"))
            })
            .collect();
        assert_eq!(
            series.keys().collect::<Vec<_>>(),
            months.keys().collect::<Vec<_>>(),
            "{topic}"
        );
        for (month, n) in &series {
            let want = if *month == burst_month { 9.0 } else { 0.0 };
            assert_eq!(*n, want, "{topic} {month}");
        }
    }

    // topic_year.csv: five answers a briefing, month by month.
    for r in w
        .table("topic_year.csv")
        .iter()
        .filter(|r| r["topic"] == "all")
    {
        assert_eq!(
            num(r, "n_answers"),
            f64::from(5 * months[&r["period"]]),
            "{r:?}"
        );
    }
}

/// Every row of shifts.csv recomputes from answer_counts.csv and the
/// answers' dates and speakers; returns those.
fn shifts_recompute_by_month(w: &Work) -> MonthAndSpeaker {
    // Every row of shifts.csv (everyone's and each speaker's) recomputes
    // from answer_counts.csv and the answers' dates and speakers.
    let answers: BTreeMap<String, (String, String)> = w
        .table("answers.csv")
        .into_iter()
        .map(|r| {
            (
                r["id"].clone(),
                (r["date"][..7].to_string(), r["speaker"].clone()),
            )
        })
        .collect();
    let mut uses: BTreeMap<(String, String, String, String), f64> = BTreeMap::new();
    for c in w.table("answer_counts.csv") {
        if c["kind"] != "tracked" {
            continue;
        }
        let (month, speaker) = &answers[&c["id"]];
        for who in [speaker.as_str(), "all"] {
            let key = (
                month.clone(),
                c["topic"].clone(),
                who.to_string(),
                c["phrase"].clone(),
            );
            *uses.entry(key).or_default() += num(&c, "n");
        }
    }
    let shifts = w.table("shifts.csv");
    let speaker_rows = shifts.iter().filter(|r| r["speaker"] != "all").count();
    assert!(
        speaker_rows > 0,
        "no speaker has rows of their own by month"
    );
    for r in &shifts {
        let key = (
            r["period"].clone(),
            r["topic"].clone(),
            r["speaker"].clone(),
            r["phrase"].clone(),
        );
        assert_eq!(uses.get(&key).copied().unwrap_or(0.0), num(r, "n"), "{r:?}");
    }

    answers
}

/// Every row of register.csv recomputes from register_hits.csv.
fn register_recomputes_by_month(w: &Work, answers: &MonthAndSpeaker) {
    // Every row of register.csv recomputes from register_hits.csv.
    let mut hits: BTreeMap<(String, String, String), f64> = BTreeMap::new();
    for h in w.table("register_hits.csv") {
        if h["counted_as"].is_empty() {
            continue;
        }
        assert_eq!(h["period"], answers[&h["id"]].0, "{h:?}");
        for who in [answers[&h["id"]].1.as_str(), "all"] {
            let key = (
                h["period"].clone(),
                who.to_string(),
                h["counted_as"].clone(),
            );
            *hits.entry(key).or_default() += 1.0;
        }
    }
    let register = w.table("register.csv");
    assert!(register.iter().any(|r| r["speaker"] != "all"));
    for r in register.iter().filter(|r| r["topic"] == "all") {
        for lexicon in ["hardline", "conciliatory"] {
            let key = (
                r["period"].clone(),
                r["speaker"].clone(),
                lexicon.to_string(),
            );
            assert_eq!(
                hits.get(&key).copied().unwrap_or(0.0),
                num(r, lexicon),
                "{key:?}"
            );
        }
    }
}

/// The Taiwan chart's highest point lies in the burst's month.
fn taiwan_chart_peaks_in_the_burst_month(w: &Work) {
    // The Taiwan chart: one point a month, 36 in a row, the highest in
    // August 2022 (the 20th month).
    let svg = std::fs::read_to_string(w.out().join("charts/trend_taiwan.svg")).unwrap();
    // A point is a closed curve outlined in the first series' colour (the
    // figure's text is outlined too, but in grey and black); its centre is
    // the middle of its box.
    let mut points: BTreeMap<i64, f64> = BTreeMap::new();
    for path in svg.split("<path ").skip(1) {
        let path = &path[..path.find("/>").unwrap()];
        let Some(d) = path.split("d=\"").nth(1) else {
            continue;
        };
        if !path.contains("stroke=\"#0072b2\"") || !d.contains(" C ") {
            continue;
        }
        let nums: Vec<f64> = d.split([' ', '"']).filter_map(|t| t.parse().ok()).collect();
        let (xs, ys): (Vec<f64>, Vec<f64>) = nums.chunks(2).map(|p| (p[0], p[1])).unzip();
        let mid = |v: &[f64]| {
            (v.iter().copied().fold(f64::MAX, f64::min)
                + v.iter().copied().fold(f64::MIN, f64::max))
                / 2.0
        };
        let e = points
            .entry((mid(&xs) * 10.0).round() as i64)
            .or_insert(f64::MAX);
        *e = e.min(mid(&ys));
    }
    assert_eq!(points.len(), 36, "{points:?}");
    let highest = points
        .values()
        .position(|y| points.values().all(|z| y <= z))
        .unwrap();
    assert_eq!(highest, 19);
}
