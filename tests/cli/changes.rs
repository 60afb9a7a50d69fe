//! Names and formulations the corpus reveals (issue 28), on a generated corpus
//! of regular briefings, every Monday and Thursday of 2020–2023, four answers
//! each, written for this test:
//!
//! - answer 1 says 和平共处五项原则 in every briefing (frequent and stable),
//!   and, from 2022-09-01, the title 国务委员兼外交部长;
//! - answer 2 says 共建清洁美丽世界 from 2021-07-01 (a Thursday) on: it
//!   enters; and names one of eight foreign persons (transliterations made
//!   up for this test, of 2 to 5 characters), in a frame that changes from
//!   briefing to briefing, one of them as 卡莱索外长;
//! - answer 3 says 睦邻友好合作机制 up to 2022-03-31 (a Thursday): it leaves;
//! - answer 4 says 战略协作新阶段 up to 2021-12-30 (a Thursday), then
//!   战略协作新高度 from 2022-01-03 (a Monday): one wording replaced;
//! - every file ends with the ministry's footer lines.
//!
//! Worked out by hand: the four planted formulations have exactly those
//! first or last dates; each entry or exit is far beyond chance (N = 1,668
//! answers; 共建清洁美丽世界, in the 261 answers 2 from 2021-07-01, comes
//! after 4 × 156 = 624 answers without it: p = C(1044, 261) / C(1668, 261),
//! below 1e-50), so they rank above the stable 和平共处五项原则; the titles
//! and the footer are not formulations; the eight names are found whole.

use std::collections::BTreeMap;

use crate::workdir::*;

const NAMES: [&str; 8] = [
    "泽林",
    "卡莱索",
    "奥伦多",
    "普雷托",
    "莫尔加",
    "塔里森",
    "巴托里克",
    "维兰德斯基",
];

/// How a name is said: frames with different characters on each side.
const FRAMES: [&str; 8] = [
    "{}表示，双方应加强沟通",
    "我们同{}会谈时谈到这一点",
    "据{}称，有关安排已经确定",
    "{}此访取得积极成果",
    "会见{}时，中方阐明了立场",
    "中方向{}转达了关切",
    "与{}通话后，双方发表了新闻稿",
    "{}外长说，愿意继续合作",
];

const ENTERS: (&str, &str) = ("共建清洁美丽世界", "2021-07-01");
const LEAVES: (&str, &str) = ("睦邻友好合作机制", "2022-03-31");
const REPLACED: (&str, &str) = ("战略协作新阶段", "2021-12-30");
const REPLACING: (&str, &str) = ("战略协作新高度", "2022-01-03");
const STABLE: &str = "和平共处五项原则";
const TITLE: (&str, &str) = ("国务委员兼外交部长", "2022-09-01");
const FOOTER: [&str; 2] = [
    "中华人民共和国外交部版权所有",
    "地址：北京市朝阳区朝阳门南大街2号　邮编：100701",
];

/// Writes the corpus (see the module documentation); returns the dates of
/// its briefings.
fn write_corpus(w: &Work) -> Vec<String> {
    let (start, end) = (days_from_civil(2020, 1, 2), days_from_civil(2023, 12, 28));
    let mut dates = Vec::new();
    for (b, day) in (start..=end)
        .filter(|d| matches!((d + 3).rem_euclid(7), 0 | 3))
        .enumerate()
    {
        let (y, m, d) = civil_from_days(day);
        let date = format!("{y:04}-{m:02}-{d:02}");
        let name = NAMES[b % NAMES.len()];
        let frame = FRAMES[(b / NAMES.len() + b) % FRAMES.len()].replace("{}", name);
        let title = if date.as_str() >= TITLE.1 {
            format!("{}出席了会议，", TITLE.0)
        } else {
            String::new()
        };
        let enters = if date.as_str() >= ENTERS.1 {
            format!("各方表示，{}，是共同目标。", ENTERS.0)
        } else {
            "各方表示，保护环境是共同目标。".to_string()
        };
        let leaves = if date.as_str() <= LEAVES.1 {
            format!("两国之间，{}，运转顺利。", LEAVES.0)
        } else {
            "两国之间，交往运转顺利。".to_string()
        };
        let wording = if date.as_str() <= REPLACED.1 {
            REPLACED.0
        } else {
            REPLACING.0
        };
        let text = format!(
            "{y}年{m}月{d}日外交部发言人汪文斌主持例行记者会\n\n\
             问：第{b}次记者会第一问，中方如何看待地区局势？\n\n\
             答：{title}我们始终坚持，{STABLE}，处理国家关系（第{b}次）。\n\n\
             问：第{b}次记者会第二问，关于环境合作有何进展？\n\n\
             答：{enters}{frame}（第{b}次）。\n\n\
             问：第{b}次记者会第三问，邻国交往情况如何？\n\n\
             答：{leaves}这是第{b}次介绍。\n\n\
             问：第{b}次记者会第四问，两国关系怎样评价？\n\n\
             答：双方一致认为，{wording}，值得期待（第{b}次）。\n\n\
             {}\n{}\n",
            FOOTER[0], FOOTER[1]
        );
        w.write(&format!("data/transcripts/{date}_briefing.txt"), text);
        dates.push(date);
    }
    dates
}

/// Each formulation's first row (its own columns repeat on every row).
fn by_formulation(w: &Work) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for r in w.table("formulations.csv") {
        out.entry(r["formulation"].clone()).or_insert(r);
    }
    out
}

#[test]
fn formulations_that_enter_leave_or_are_replaced_are_dated_and_ranked_first() {
    let w = Work::new("changes");
    let dates = write_corpus(&w);
    assert_eq!(dates.len(), 417);
    assert_ok(&w.all());
    let f = by_formulation(&w);
    let row = |t: &str| {
        f.get(t)
            .unwrap_or_else(|| panic!("{t} not in formulations.csv: {:?}", f.keys()))
    };
    let (first, last) = (dates[0].as_str(), dates[dates.len() - 1].as_str());
    let want = [
        (ENTERS.0, "entered", ENTERS.1, last),
        (LEAVES.0, "left", first, LEAVES.1),
        (REPLACED.0, "left", first, REPLACED.1),
        (REPLACING.0, "entered", REPLACING.1, last),
        (STABLE, "stable", first, last),
    ];
    for (t, change, a, b) in want {
        let r = row(t);
        assert_eq!(
            (
                r["change"].as_str(),
                r["first_date"].as_str(),
                r["last_date"].as_str()
            ),
            (change, a, b),
            "{t}: {r:?}"
        );
        assert_eq!(r["first_period"], &a[..4], "{t}");
        assert_eq!(r["last_period"], &b[..4], "{t}");
    }
    // The entry's numbers, by hand: 4 answers a briefing; 156 briefings
    // before 2021-07-01; 261 from it.
    let e = row(ENTERS.0);
    assert_eq!(
        (
            e["holding"].as_str(),
            e["before_first"].as_str(),
            e["after_last"].as_str()
        ),
        ("261", "624", "0")
    );
    assert!(e["p_entry"].parse::<f64>().unwrap() < 1e-50, "{e:?}");
    assert_eq!(e["p_exit"], "1");
    // Ranked above the stable phrase; the four planted ones the first four.
    let rank = |t: &str| row(t)["rank"].parse::<u32>().unwrap();
    let mut planted: Vec<u32> = [ENTERS.0, LEAVES.0, REPLACED.0, REPLACING.0]
        .iter()
        .map(|t| rank(t))
        .collect();
    planted.sort_unstable();
    assert!(
        planted.iter().all(|&r| r < rank(STABLE)),
        "{planted:?} vs {}",
        rank(STABLE)
    );
    report_and_figure_show_the_changes(&w, &f);
    // No title, name or footer line is a formulation.
    for t in f.keys() {
        let bad = t.contains("外交部长")
            || t.contains("外长")
            || FOOTER
                .iter()
                .any(|l| l.contains(t.as_str()) || t.contains("版权"))
            || NAMES.iter().any(|n| t.contains(n));
        assert!(!bad, "{t} is listed: {:?}", f[t]);
    }
}

#[test]
fn names_the_segmenter_splits_are_found_whole_and_counted_as_one_token() {
    let w = Work::new("changes-names");
    write_corpus(&w);
    assert_ok(&w.all());
    let units: Vec<String> = w
        .table("discovered.csv")
        .into_iter()
        .map(|r| r["unit"].clone())
        .collect();
    for n in NAMES {
        assert!(units.iter().any(|u| u == n), "{n} not found: {units:?}");
        // No fragment of a name is a unit.
        for u in &units {
            assert!(
                u == n || !n.contains(u.as_str()),
                "{u} is a fragment of {n}"
            );
        }
    }
    // Every use of a name in the answers is one token (issue 28, item 3:
    // keyness, formulations and KWIC count these tokens).
    let answers = w.table("answers.csv");
    let tokens = w.table("tokens.csv");
    for n in NAMES {
        let said: usize = answers.iter().map(|r| r["answer"].matches(n).count()).sum();
        let whole = tokens
            .iter()
            .filter(|r| r["field"] == "answer" && r["token"] == n)
            .count();
        assert!(said > 0);
        assert_eq!(whole, said, "{n}");
    }
    // kwic finds every use, each line with the whole name.
    let o = w.run(&["kwic", NAMES[7]]);
    assert_ok(&o);
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    let said: usize = answers
        .iter()
        .map(|r| r["answer"].matches(NAMES[7]).count())
        .sum();
    assert_eq!(
        out.lines().filter(|l| l.contains(NAMES[7])).count(),
        said,
        "{out}"
    );
}

/// The report lists each planted entry under the year of its first use and
/// each exit under the year of its last, with its dates, k, m, p and q from
/// formulations.csv; the figure is drawn (its glyphs are paths: its rows,
/// labelled with their dates, were read from the PNG).
fn report_and_figure_show_the_changes(w: &Work, f: &BTreeMap<String, BTreeMap<String, String>>) {
    let md = std::fs::read_to_string(w.out().join("report.md")).unwrap();
    let section = md
        .split("## Formulations that entered or left")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .unwrap_or_else(|| panic!("no formulations section:\n{md}"));
    let under = |year: &str| {
        section
            .split(&format!("**{year}**\n"))
            .nth(1)
            .map(|s| s.split("\n**").next().unwrap_or(s))
            .unwrap_or_else(|| panic!("no year {year} in:\n{section}"))
    };
    for (t, year, says) in [
        (
            ENTERS.0,
            "2021",
            format!(
                "entered: first said {} (2021), after 624 answers without it",
                ENTERS.1
            ),
        ),
        (
            REPLACING.0,
            "2022",
            format!("entered: first said {} (2022)", REPLACING.1),
        ),
        (
            REPLACED.0,
            "2021",
            format!("left: last said {} (2021)", REPLACED.1),
        ),
        (
            LEAVES.0,
            "2022",
            format!("left: last said {} (2022)", LEAVES.1),
        ),
    ] {
        let list = under(year);
        let item = list
            .lines()
            .find(|l| l.contains(&format!("**{t}**")))
            .unwrap_or_else(|| panic!("{t} not under {year}:\n{list}"));
        assert!(item.contains(&says), "{item}");
        assert!(
            item.contains(&format!("in {} answers of the corpus", f[t]["holding"])),
            "{item}"
        );
    }
    for ext in ["svg", "png", "pdf"] {
        assert!(w.out().join(format!("charts/formulations.{ext}")).exists());
    }
}
