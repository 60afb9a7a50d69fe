//! The explore stage: explorer.html is self-contained, small, and in a real
//! browser gives the tables' numbers, on the seeds and on 60 MB of answers.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine;
use serde_json::Value;

use crate::workdir::*;

/// The data the page embeds for its script.
fn page_data(html: &str) -> Value {
    let open = r#"<script type="application/json" id="data">"#;
    let start = html.find(open).expect("no data in the page") + open.len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end].replace("<\\/", "</")).unwrap()
}

/// The questions and texts the page carries gzipped in base64 (mod.rs,
/// `Texts::packed`: the questions as a line of JSON, then a text a line), or
/// None where it carries none.
fn page_texts(html: &str) -> Option<(Vec<String>, Vec<String>)> {
    let open = r#"<script type="application/gzip" id="texts">"#;
    let start = html.find(open).expect("no texts element in the page") + open.len();
    let end = start + html[start..].find("</script>").unwrap();
    if start == end {
        return None;
    }
    let gzipped = base64::engine::general_purpose::STANDARD
        .decode(&html[start..end])
        .unwrap();
    let mut packed = String::new();
    flate2::read::GzDecoder::new(&gzipped[..])
        .read_to_string(&mut packed)
        .unwrap();
    let (questions, texts) = match packed.split_once('\n') {
        Some((questions, texts)) => (questions, texts.split('\n').map(String::from).collect()),
        None => (packed.as_str(), Vec::new()),
    };
    Some((serde_json::from_str(questions).unwrap(), texts))
}

/// A column of one of the page's tables (column names, then rows), by name.
fn column<'a>(table: &'a Value, name: &str) -> Vec<&'a Value> {
    let columns = table["columns"].as_array().unwrap();
    let at = columns
        .iter()
        .position(|c| c == name)
        .unwrap_or_else(|| panic!("no column {name} in {columns:?}"));
    let rows = table["rows"].as_array().unwrap();
    rows.iter().map(|r| &r[at]).collect()
}

#[test]
fn the_explorer_is_one_small_offline_file() {
    let (w, answers) = seeds();
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
    // The font is in the page.
    assert!(html.contains("src: url(data:font/woff2;base64,d09G"));
    let data = page_data(&html);
    assert_eq!(data["texts"], true, "the seeds' texts are embedded");
    // Every answer that phrase_freq counts is in the page, with its question
    // and its text as phrases are counted in it.
    let (questions, texts) = page_texts(&html).expect("the seeds' texts are embedded");
    let ids = column(&data["answers"], "id");
    assert_eq!((questions.len(), texts.len()), (ids.len(), ids.len()));
    let record: BTreeMap<&str, &BTreeMap<String, String>> =
        answers.iter().map(|r| (r["id"].as_str(), r)).collect();
    let mut in_page = BTreeSet::new();
    for ((id, question), text) in ids.iter().zip(&questions).zip(&texts) {
        let id = id.as_str().unwrap();
        let r = record[id];
        assert_eq!(*question, r["question"], "{id}");
        assert_eq!(*text, rhetoric_shift::text::counted(&r["answer"]), "{id}");
        assert!(!text.is_empty(), "{id}");
        in_page.insert(id);
    }
    for size in w.table("answer_sizes.csv") {
        if size["topic"] == "all" {
            assert!(in_page.contains(size["id"].as_str()), "{}", size["id"]);
        }
    }
    // The keyness table: its kind, phrase and topic columns index the lists.
    let keyness = &data["keyness"];
    let n_kinds = keyness["kinds"].as_array().unwrap().len() as u64;
    let n_phrases = keyness["phrases"].as_array().unwrap().len() as u64;
    let n_topics = data["topics"].as_array().unwrap().len() as u64;
    for (name, n) in [
        ("kind", n_kinds),
        ("phrase", n_phrases),
        ("topic", n_topics),
    ] {
        let values = column(keyness, name);
        assert!(!values.is_empty());
        assert!(values.iter().all(|v| v.as_u64().unwrap() < n), "{name}");
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
        .replace("max_text_mb = 64.0", "max_text_mb = 0.01");
    w.write("data/analysis.toml", analysis);
    assert_ok(&w.all());
    let html = std::fs::read_to_string(w.out().join("explorer.html")).unwrap();
    let data = page_data(&html);
    assert_eq!(data["texts"], false);
    assert!(page_texts(&html).is_none(), "the page carries texts");
    assert!(
        !html.contains("台湾地区选举只是中国的一个地方选举"),
        "an answer's text is in the page"
    );
    assert!(html.len() < 1_200_000, "{} bytes", html.len());
    // At most keyness_rows rows for each (year, topic, reference, kind).
    let keyness = &data["keyness"];
    let mut families: BTreeMap<[String; 4], u64> = BTreeMap::new();
    let [year, topic, reference, kind] =
        ["year", "topic", "reference", "kind"].map(|c| column(keyness, c));
    for i in 0..year.len() {
        let family = [year[i], topic[i], reference[i], kind[i]].map(Value::to_string);
        *families.entry(family).or_default() += 1;
    }
    let most = families.values().max().copied().unwrap_or_default();
    assert!(
        most > 0 && most <= data["keyness_rows"].as_u64().unwrap(),
        "{most}"
    );
}

/// `name` as found on the PATH.
fn on_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// Chromium ($CHROMIUM, else `chromium` on the PATH), where it, Node.js and
/// tests/browser/node_modules are all there. Without them None, with one line
/// on stderr, so that `cargo test` passes on a fresh clone; with
/// RHETORIC_SHIFT_BROWSER=required (.ci/run sets it) a failure instead.
fn browser() -> Option<PathBuf> {
    let chromium = match std::env::var_os("CHROMIUM") {
        Some(path) => Some(PathBuf::from(path)).filter(|p| p.is_file()),
        None => on_path("chromium"),
    };
    let mut missing = Vec::new();
    if chromium.is_none() {
        missing.push("Chromium (apt-get install chromium)");
    }
    if on_path("node").is_none() {
        missing.push("Node.js (apt-get install nodejs npm)");
    }
    if !Path::new(REPO)
        .join("tests/browser/node_modules/playwright-core")
        .exists()
    {
        missing.push("tests/browser/node_modules (npm ci --prefix tests/browser)");
    }
    if !missing.is_empty() {
        let why = format!(
            "the browser test of explorer.html needs {}",
            missing.join(" and ")
        );
        if std::env::var("RHETORIC_SHIFT_BROWSER").is_ok_and(|v| v == "required") {
            panic!("RHETORIC_SHIFT_BROWSER=required, but {why}");
        }
        // To stderr itself: the harness keeps a passing test's eprintln! back.
        std::io::stderr()
            .write_all(format!("skipped: {why}\n").as_bytes())
            .unwrap();
        return None;
    }
    chromium
}

/// Runs a browser script on the run's explorer.html with the expectations
/// `expected` (JSON, written to the work folder for it; screenshots to
/// $EXPLORER_SHOTS if set) and fails with what it printed; passing, it
/// prints the script's lines (its timings) on stderr.
fn run_script(chromium: &Path, script: &str, w: &Work, expected: &str) {
    let expected_path = w.dir.join("expected.json");
    std::fs::write(&expected_path, expected).unwrap();
    let mut node = Command::new("node");
    node.env("CHROMIUM", chromium)
        .arg(Path::new(REPO).join("tests/browser").join(script))
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
    // To stderr itself: the harness keeps a passing test's eprintln! back.
    std::io::stderr().write_all(&out.stdout).unwrap();
}

/// Drives the page in Debian's headless Chromium (tests/browser/explorer.mjs,
/// playwright-core from tests/browser/package.json), with the system's fonts
/// for Chinese hidden: the page's own font draws its Chinese, the phrase 台独
/// typed into the box gives phrase_freq.csv's 2024 count and rate, its point
/// leads to as many lines as `rhetoric-shift kwic` prints and on to the
/// answer, gap and partial years are marked, the y axis has round ticks,
/// keyness sorts, a page whose data lacks a column says so, and the console
/// stays clean. Screenshots go to $EXPLORER_SHOTS if set.
///
/// Needs Chromium, Node.js and `npm ci --prefix tests/browser` (the README;
/// .ci/run installs Chromium and runs npm ci): see [`browser`].
#[test]
fn in_a_browser_the_explorer_gives_the_tables_numbers() {
    let Some(chromium) = browser() else { return };
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
    // The phrase box offers formulations.csv's formulations, in rank order.
    let mut formulations: Vec<String> = Vec::new();
    for f in w.table("formulations.csv") {
        if !formulations.contains(&f["formulation"]) {
            formulations.push(f["formulation"].clone());
        }
    }
    let expected = format!(
        "{{\"formulations\":[{}],\"phrase\":\"台独\",\"year\":2024,\"n\":{},\"rate\":{},\"lines\":{},\"answers\":[{}],\
         \"gap_year\":2019,\"partial_year\":2021,\"partial_label\":\"{}/{}\",\
         \"gloss\":\"Taiwan independence\",\"gloss_zh\":\"台独\",\"keyness_year\":2021}}",
        formulations
            .iter()
            .map(|f| format!("\"{f}\""))
            .collect::<Vec<_>>()
            .join(","),
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
    run_script(&chromium, "explorer.mjs", &w, &expected);
}

/// The spokespersons of the generated corpus of [`write_burst_corpus`], in the
/// order their names sort.
const SPOKESPERSONS: [&str; 3] = ["华春莹", "毛宁", "汪文斌"];
/// A tracked phrase of data/topics.toml (taiwan).
const BURST: &str = "和平统一";

/// Writes a briefing every Monday and Thursday of 2022–2023 but August 2022
/// (a summer break: a gap month), three answers each, the spokesperson
/// changing by week (week w from 2022-01-03 is SPOKESPERSONS[w % 3]). Every
/// briefing of March 2023 says 和平统一 in its first two answers; else it is
/// said once, on 2022-06-02 (week 21) and on 2023-11-16 (week 97). By hand:
/// March 2023 has 9 briefings, Thursday 2nd (week 60), Mondays and Thursdays
/// 6/9 (61), 13/16 (62), 20/23 (63), 27/30 (64): 18 occurrences, 华春莹's
/// weeks 60 and 63 (3 briefings, 6), 毛宁's 61 and 64 (4, 8), 汪文斌's 62
/// (2, 4). Returns the occurrences per (speaker, month), to check the
/// calendar against that.
fn write_burst_corpus(w: &Work) -> BTreeMap<(String, String), u32> {
    let mut said = BTreeMap::new();
    let start = days_from_civil(2022, 1, 3);
    let end = days_from_civil(2023, 12, 31);
    let mut n = 0;
    for day in (start..=end).filter(|d| matches!((d + 3).rem_euclid(7), 0 | 3)) {
        let (y, m, d) = civil_from_days(day);
        if (y, m) == (2022, 8) {
            continue;
        }
        let speaker = SPOKESPERSONS[((day - start) / 7 % 3) as usize];
        let mut text = format!("{y}年{m}月{d}日外交部发言人{speaker}主持例行记者会\n\n");
        for j in 0..3 {
            n += 1;
            let burst = ((y, m) == (2023, 3) && j < 2)
                || ([(2022, 6, 2), (2023, 11, 16)].contains(&(y, m, d)) && j == 0);
            if burst {
                *said
                    .entry((speaker.to_string(), format!("{y}-{m:02}")))
                    .or_insert(0) += 1;
            }
            let stance = if burst {
                "我们坚持和平统一的方针。"
            } else {
                "我们坚持既定的方针。"
            };
            // The number breaks every run of 40 characters, which within one
            // briefing would be a passage printed twice.
            text.push_str(&format!(
                "问：请问第{n}号议题的安排如何？\n\n答：{stance}第{n}号议题的日程\
                 正在商定，细节由主办方公布（第{n}号）。具体情况请向主管部门询问。\n\n"
            ));
        }
        w.write(
            &format!("data/transcripts/{y:04}-{m:02}-{d:02}_briefing.txt"),
            text,
        );
    }
    said
}

/// The period switch and the split by speaker, in Chromium
/// (tests/browser/periods.mjs), on the corpus of [`write_burst_corpus`] run
/// with `--period month`: shifts.csv puts the burst of 和平统一 in March 2023;
/// the page opens at month, where the phrase's peak is March 2023 with 18
/// and every other month has the hand-worked count (1 in 2022-06 and
/// 2023-11, else 0), August 2022 a gap; at quarter 18 in 2023-Q1, 1 in
/// 2022-Q2 and 2023-Q4, 2022-Q3 (no August) partial; at year 1 and 19; split
/// by speaker each spokesperson's own count; the month axis's labels do not
/// overlap, the link and the CSV download carry the period, and the console
/// stays clean.
#[test]
fn in_a_browser_the_explorer_switches_period_and_splits_by_speaker() {
    let Some(chromium) = browser() else { return };
    let w = Work::new("explorer-periods");
    let said = write_burst_corpus(&w);
    let by_hand: BTreeMap<(String, String), u32> = [
        ("华春莹", "2022-06", 1),
        ("华春莹", "2023-03", 6),
        ("毛宁", "2023-03", 8),
        ("汪文斌", "2023-03", 4),
        ("毛宁", "2023-11", 1),
    ]
    .into_iter()
    .map(|(s, m, n)| ((s.to_string(), m.to_string()), n))
    .collect();
    assert_eq!(said, by_hand, "the calendar is not the one worked by hand");
    assert_ok(&w.run(&["all", "--period", "month"]));

    // shifts.csv, everyone's series on all answers: the burst's month is the
    // peak, and every other month holds what was planted in it.
    let shifts: Vec<_> = w
        .table("shifts.csv")
        .into_iter()
        .filter(|r| r["topic"] == "all" && r["speaker"] == "all" && r["phrase"] == BURST)
        .collect();
    assert_eq!(shifts.len(), 23, "23 months with briefings");
    let peak = shifts
        .iter()
        .max_by_key(|r| r["n"].parse::<u32>().unwrap())
        .unwrap();
    assert_eq!(
        (peak["period"].as_str(), peak["n"].as_str()),
        ("2023-03", "18")
    );
    for r in &shifts {
        let want = match r["period"].as_str() {
            "2023-03" => 18,
            "2022-06" | "2023-11" => 1,
            _ => 0,
        };
        assert_eq!(r["n"], want.to_string(), "{r:?}");
    }
    assert!(!shifts.iter().any(|r| r["period"] == "2022-08"));

    let expected = serde_json::json!({
        "phrase": BURST,
        "period": "month",
        "peak": "2023-03",
        "gap": "2022-08",
        "partial": "2022-Q3",
        "speakers": SPOKESPERSONS,
        // Every period's count where not 0.
        "n": {
            "month": {"2022-06": 1, "2023-03": 18, "2023-11": 1},
            "quarter": {"2022-Q2": 1, "2023-Q1": 18, "2023-Q4": 1},
            "year": {"2022": 1, "2023": 19},
        },
        // Each speaker's, split.
        "by_speaker": {
            "month": {
                "华春莹": {"2022-06": 1, "2023-03": 6},
                "毛宁": {"2023-03": 8, "2023-11": 1},
                "汪文斌": {"2023-03": 4},
            },
            "year": {
                "华春莹": {"2022": 1, "2023": 6},
                "毛宁": {"2023": 9},
                "汪文斌": {"2023": 4},
            },
        },
    });
    run_script(&chromium, "periods.mjs", &w, &expected.to_string());
}

/// Copies of each seed transcript in [`write_spread_corpus`]: 620 of the five
/// hold a little over 60 MB of answer text.
const COPIES: usize = 620;

/// Writes [`COPIES`] copies of each seed transcript spread over the 25 years
/// 2002–2026, as bench/make_corpus.py's `spread` shape does: copy k of seed i
/// is dated day k / 25 × 5 + i of year 2002 + k mod 25. Answers in date order
/// then come from the five seeds in turn, so that a seed's text recurs only
/// some 100 KB later, past gzip's 32 KB window, and the page's texts
/// compress as different answers do (about threefold). Copies one after
/// another (the `years` shape) would compress a hundredfold into a page of
/// 9 MB that measures nothing. Without corpus.toml, whose entries name the
/// seeds' files.
fn write_spread_corpus(w: &Work) {
    let seeds = Path::new(REPO).join("data/transcripts");
    let mut names: Vec<String> = std::fs::read_dir(&seeds)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    std::fs::remove_dir_all(w.data().join("transcripts")).unwrap();
    std::fs::remove_file(w.data().join("corpus.toml")).unwrap();
    for (i, name) in names.iter().enumerate() {
        let text = std::fs::read(seeds.join(name)).unwrap();
        // "2018-03-08_scio-live.txt" -> "scio-live", which names the layout.
        let stem = &name[11..name.len() - 4];
        for k in 0..COPIES {
            let year = 2002 + (k % 25) as i32;
            let day = days_from_civil(year, 1, 1) + (k / 25 * names.len() + i) as i64;
            let (y, m, d) = civil_from_days(day);
            assert_eq!(y, year, "copy {k} of {name} leaves its year");
            w.write(
                &format!("data/transcripts/{y:04}-{m:02}-{d:02}_{stem}-copy{k}.txt"),
                &text,
            );
        }
    }
}

/// Calls `row` with each record of tables/`name` and a column's position by
/// name, reading the table as a stream: the large corpus's tables are too
/// big to hold as maps ([`Work::table`]).
fn each_row(w: &Work, name: &str, mut row: impl FnMut(&csv::StringRecord, &dyn Fn(&str) -> usize)) {
    let mut r = csv::Reader::from_path(w.out().join("tables").join(name)).unwrap();
    let headers: Vec<String> = r
        .headers()
        .unwrap()
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    let at = |c: &str| headers.iter().position(|h| h == c).unwrap();
    for rec in r.records() {
        row(&rec.unwrap(), &at);
    }
}

/// Bytes of answer text in answers.csv, and each answer's year by id.
fn answer_text(w: &Work) -> (usize, BTreeMap<String, String>) {
    let mut bytes = 0;
    let mut years = BTreeMap::new();
    each_row(w, "answers.csv", |r, at| {
        bytes += r[at("answer")].len();
        years.insert(r[at("id")].to_string(), r[at("year")].to_string());
    });
    (bytes, years)
}

/// A phrase's occurrences per year as `rhetoric-shift kwic` prints them: a
/// line each, its answer's id first.
fn kwic_per_year(
    w: &Work,
    phrase: &str,
    years: &BTreeMap<String, String>,
) -> BTreeMap<String, u64> {
    let out = w.run(&["kwic", phrase]);
    assert_ok(&out);
    let mut n = BTreeMap::new();
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let id = line.split_whitespace().next().unwrap();
        *n.entry(years[id].clone()).or_insert(0) += 1;
    }
    n
}

/// explorer.html of a generated corpus of 60 MB of answer text (the seeds,
/// [`write_spread_corpus`]), in Chromium (tests/browser/large.mjs): the
/// texts are embedded and phrase search is on; the tracked phrase 台独 gives
/// phrase_freq.csv's count in every year, and 中美关系, which no table
/// tracks, `rhetoric-shift kwic`'s; a year's point lists as many lines as
/// kwic prints for that year and leads to an answer; no request leaves the
/// file, and the console stays clean. The script prints the page's load and
/// query times, and asserts none; a screenshot to $EXPLORER_SHOTS if set.
///
/// Release builds only (`cargo test --release`; .ci/run runs it after its
/// release build): about a minute on two cores, most of it the run of `all`,
/// which an unoptimised build takes four times as long over (134 s against
/// 31 s at 10 MB of answers), past what a test suite should spend.
#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "60 MB of answers through an unoptimised build: run it with --release"
)]
fn in_a_browser_the_explorer_searches_60_mb_of_answers() {
    let Some(chromium) = browser() else { return };
    let w = Work::with_seeds("explorer-60mb");
    write_spread_corpus(&w);
    assert_ok(&w.all());
    let (bytes, years) = answer_text(&w);
    assert!(bytes >= 60_000_000, "{bytes} bytes of answer text");
    let html = std::fs::read_to_string(w.out().join("explorer.html")).unwrap();
    assert_eq!(
        page_data(&html)["texts"],
        true,
        "{bytes} bytes of answer text left out"
    );
    std::io::stderr()
        .write_all(
            format!(
                "timing: {:.1} MB of answer text, explorer.html {:.1} MB\n",
                bytes as f64 / 1e6,
                html.len() as f64 / 1e6
            )
            .as_bytes(),
        )
        .unwrap();

    let mut tracked: BTreeMap<String, u64> = BTreeMap::new();
    each_row(&w, "phrase_freq.csv", |r, at| {
        if [("phrase", "台独"), ("topic", "all"), ("kind", "tracked")]
            .iter()
            .all(|(c, v)| &r[at(c)] == *v)
        {
            tracked.insert(r[at("year")].to_string(), r[at("n")].parse().unwrap());
        }
    });
    let free = kwic_per_year(&w, "中美关系", &years);
    let tracked_kwic = kwic_per_year(&w, "台独", &years);
    assert_eq!(
        tracked.iter().filter(|(_, &n)| n > 0).collect::<Vec<_>>(),
        tracked_kwic.iter().collect::<Vec<_>>(),
        "phrase_freq.csv and kwic disagree on 台独"
    );
    let (year, lines) = tracked_kwic.iter().next_back().unwrap();
    let expected = serde_json::json!({
        "n": {"台独": tracked, "中美关系": free},
        "lines": {"phrase": "台独", "year": year, "n": lines},
    });
    run_script(&chromium, "large.mjs", &w, &expected.to_string());
}
