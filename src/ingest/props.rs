//! Property tests of the whole ingest of one file, on the seeds and on
//! real-shaped damage: passages copied into later answers, paragraphs cut and
//! moved, lines joined, labels removed, HTML wrapped around the text or a
//! whole page around it, Traditional script, bare CR line ends, a byte-order
//! mark, broken characters, a download cut short. Whatever the damage, the
//! ingest never panics, every paragraph of every record is made of pieces of
//! the text it read (joined only where a repair says so), and kept_share is
//! a share. A copy of an earlier answer's passage inserted into a later
//! answer is removed, giving back the records of the undamaged text: the
//! oracle, computed the simple way (parse the text before the damage), as
//! xsv's `tests/test_frequency.rs` checks its command against
//! `ftables_from_rows`.
//!
//! `RHETORIC_SHIFT_FUZZ=k` runs k times the cases each property names
//! (`just fuzz`: 10; CI runs them once, from a fixed seed). A counterexample
//! proptest finds is pinned below as a test of its own, with its input.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{LazyLock, Mutex};

use proptest::prelude::*;

use super::*;
use crate::categories::{RecordKind, RepairAction};
use crate::config::Layout;
use layout::Record;

static JIEBA: LazyLock<jieba_rs::Jieba> = LazyLock::new(|| {
    crate::config::words::parse_userdict(
        Path::new("userdict.txt"),
        crate::config::words::DEFAULT_USERDICT,
    )
    .unwrap()
});

static LAYOUT: LazyLock<Layout> = LazyLock::new(|| {
    Layout::parse(
        Path::new("layout.toml"),
        crate::config::layout::DEFAULT_LAYOUT,
    )
    .unwrap()
});

/// Layouts bound to a text's names, compiled once per set of names: binding
/// compiles regular expressions, most of a small case's time unoptimised.
fn bound(speaker: &str, text: &str) -> Layout {
    static CACHE: LazyLock<Mutex<HashMap<Vec<String>, Layout>>> = LazyLock::new(Default::default);
    let names = answer_names(speaker, text, &LAYOUT);
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    cache
        .entry(names)
        .or_insert_with_key(|n| LAYOUT.for_speakers(n))
        .clone()
}

static CONVERTER: LazyLock<forms::Converter> = LazyLock::new(|| forms::Converter::new().unwrap());

static S2T: LazyLock<ferrous_opencc::OpenCC> = LazyLock::new(|| {
    ferrous_opencc::OpenCC::from_config(ferrous_opencc::config::BuiltinConfig::S2t).unwrap()
});

/// The texts the damage is done to: the five seeds, a file of two briefings
/// and three briefings of the ministry's pages (an old-template saved page,
/// its plain copy, and a long opening statement), with the speaker whose
/// answers they hold.
const TEXTS: [(&str, &str); 9] = [
    (
        include_str!("../../data/transcripts/2018-03-08_scio-live.txt"),
        "王毅",
    ),
    (
        include_str!("../../data/transcripts/2021-03-07_peoples-daily.txt"),
        "王毅",
    ),
    (
        include_str!("../../data/transcripts/2024-03-07_peoples-daily.txt"),
        "王毅",
    ),
    (
        include_str!("../../data/transcripts/2025-03-07_print-second-half.txt"),
        "王毅",
    ),
    (
        include_str!("../../data/transcripts/2026-03-08_print-summary.txt"),
        "王毅",
    ),
    (
        include_str!("../../tests/fixtures/2024-03-08_briefings.txt"),
        "王毅",
    ),
    (
        include_str!("../../tests/fixtures/2020-10-13_mfa-page-old.txt"),
        "赵立坚",
    ),
    (
        include_str!("../../tests/fixtures/2020-10-14_mfa-old-plain.txt"),
        "华春莹",
    ),
    (
        include_str!("../../tests/fixtures/2022-12-27_briefing-statement.txt"),
        "汪文斌",
    ),
];

/// A window of `len` lines of text `which`, from line `start` (both taken
/// modulo what the text has), so that a case costs a few kilobytes.
fn window(which: usize, start: usize, len: usize) -> (String, &'static str) {
    let (text, speaker) = TEXTS[which % TEXTS.len()];
    let lines: Vec<&str> = text.lines().collect();
    let start = start % lines.len();
    let end = (start + len).min(lines.len());
    (lines[start..end].join("\n"), speaker)
}

/// One kind of damage, with the numbers that place it.
#[derive(Debug, Clone)]
enum Damage {
    /// Line a cut at character b, its rest moved after line c.
    CutMove(usize, usize, usize),
    /// Line a joined to the next.
    Join(usize),
    /// The speaker or reporter label of line a removed.
    DropLabel(usize),
    /// Broken characters (U+FFFD) put into line a.
    Broken(usize, usize),
    /// Every line a paragraph of HTML; with `true`, inside a whole page with menus.
    Html(bool),
    Traditional,
    BareCr,
    Bom,
    /// The last n bytes cut off (a download cut short, maybe inside a character).
    CutShort(usize),
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        3 => (any::<usize>(), any::<usize>(), any::<usize>()).prop_map(|(a, b, c)| Damage::CutMove(a, b, c)),
        2 => any::<usize>().prop_map(Damage::Join),
        2 => any::<usize>().prop_map(Damage::DropLabel),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Damage::Broken(a, b)),
        1 => any::<bool>().prop_map(Damage::Html),
        1 => Just(Damage::Traditional),
        1 => Just(Damage::BareCr),
        1 => Just(Damage::Bom),
        1 => (1usize..7).prop_map(Damage::CutShort),
    ]
}

/// A char boundary of `s` near byte `at`.
fn boundary(s: &str, at: usize) -> usize {
    let mut at = at % (s.len() + 1);
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The text with the damage done, as bytes.
fn apply(text: &str, damages: &[Damage]) -> Vec<u8> {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut tail: Vec<Damage> = Vec::new();
    for d in damages {
        if lines.is_empty() {
            break;
        }
        let n = lines.len();
        match *d {
            Damage::CutMove(a, b, c) => {
                let a = a % n;
                let at = boundary(&lines[a], b);
                let rest = lines[a].split_off(at);
                lines.insert((a + 1 + c % n).min(n), rest);
            }
            Damage::Join(a) if n > 1 => {
                let a = a % (n - 1);
                let next = lines.remove(a + 1);
                lines[a].push_str(&next);
            }
            Damage::DropLabel(a) => {
                let line = &mut lines[a % n];
                if let Some(p) = line.find(['：', ':']) {
                    if line[..p].chars().count() <= 12 {
                        *line = line[p..].chars().skip(1).collect();
                    }
                }
            }
            Damage::Broken(a, b) => {
                let line = &mut lines[a % n];
                let at = boundary(line, b);
                line.insert(at, '\u{FFFD}');
            }
            _ => tail.push(d.clone()),
        }
    }
    let mut text = lines.join("\n");
    let mut bytes_damage = Vec::new();
    for d in tail {
        match d {
            Damage::Html(page) => {
                let body: String = text
                    .lines()
                    .map(|l| format!("<p>{}</p>\n", escape(l)))
                    .collect();
                text = if page {
                    let menu: String = [
                        "首页",
                        "外交部",
                        "外事动态",
                        "国家和组织",
                        "领事服务",
                        "驻阿富汗使馆",
                        "驻阿尔巴尼亚使馆",
                        "网站地图",
                        "联系我们",
                    ]
                    .iter()
                    .map(|m| format!("<li><a href=\"/{m}\">{m}</a></li>"))
                    .collect();
                    format!(
                        "<!DOCTYPE html><html><head><title>页面</title><script>var a='<p>';</script></head><body><div class=\"nav\"><ul>{menu}</ul></div><div class=\"article\">{body}</div><div class=\"footer\"><ul>{menu}</ul><p>版权所有</p></div></body></html>"
                    )
                } else {
                    format!("<div class=\"TRS_Editor\">{body}</div>")
                };
            }
            Damage::Traditional => text = S2T.convert(&text),
            Damage::BareCr => text = text.replace('\n', "\r"),
            other => bytes_damage.push(other),
        }
    }
    let mut bytes = text.into_bytes();
    for d in bytes_damage {
        if let Damage::CutShort(k) = d {
            bytes.truncate(bytes.len().saturating_sub(k));
        } else if let Damage::Bom = d {
            bytes.splice(0..0, *b"\xEF\xBB\xBF");
        }
    }
    bytes
}

/// The bytes read as [`read_bytes`] reads them, with the bound layouts cached.
fn read(bytes: &[u8], speaker: &str) -> Option<(String, Parsed, f64)> {
    let (text, _) = decode(bytes).ok()?;
    let (text, _) = CONVERTER.plain(&text, &LAYOUT.forms);
    let junction = junction::Junction::new(&JIEBA, &text);
    let (parsed, kept) = read_text(&text, &bound(speaker, &text), &junction);
    Some((text, parsed, kept))
}

/// Repairs that may put two pieces of the text next to each other.
fn joining(a: RepairAction) -> bool {
    matches!(
        a,
        RepairAction::JoinCut
            | RepairAction::JoinDisplaced
            | RepairAction::DropDuplicate
            | RepairAction::StripFraming
            | RepairAction::StripFurniture
    )
}

/// How many pieces of `hay` (taken greedily, each as long as it can be)
/// make `para`; None where a character of it is in no piece.
fn pieces(
    para: &str,
    hay: &str,
    index: &HashMap<[char; 4], Vec<usize>>,
    hay_chars: &[char],
) -> Option<usize> {
    let p: Vec<char> = para.chars().collect();
    let mut at = 0;
    let mut count = 0;
    while at < p.len() {
        let mut best = 0;
        if at + 4 <= p.len() {
            let key = [p[at], p[at + 1], p[at + 2], p[at + 3]];
            for &q in index.get(&key).into_iter().flatten() {
                let len = p[at..]
                    .iter()
                    .zip(&hay_chars[q..])
                    .take_while(|(x, y)| x == y)
                    .count();
                best = best.max(len);
            }
        }
        if best == 0 {
            // Fewer than four characters, or a short piece between two joins.
            best = (1..=3.min(p.len() - at))
                .rev()
                .find(|&k| hay.contains(&p[at..at + k].iter().collect::<String>()))?;
        }
        at += best;
        count += 1;
    }
    Some(count)
}

/// The invariants every read must keep (see the module documentation).
fn check(
    text: &str,
    speaker: &str,
    parsed: &Parsed,
    kept: f64,
) -> std::result::Result<(), TestCaseError> {
    prop_assert!((0.0..=1.0).contains(&kept), "kept_share {kept}");
    // The guard's rules hold whatever the damage.
    let broken = guard::violations(&parsed.records, &bound(speaker, text));
    prop_assert!(broken.is_empty(), "{broken:?}");
    let hay_chars: Vec<char> = text.chars().collect();
    let mut index: HashMap<[char; 4], Vec<usize>> = HashMap::new();
    for (i, w) in hay_chars.windows(4).enumerate() {
        index.entry([w[0], w[1], w[2], w[3]]).or_default().push(i);
    }
    // Each broken character removed may join the text around it.
    let broken = text.matches('\u{FFFD}').count();
    let joins = broken + parsed.repairs.iter().filter(|r| joining(r.action)).count();
    for r in &parsed.records {
        let headlines = r.headline.split(" / ");
        let paragraphs = r.question.split('\n').chain(r.answer.split('\n'));
        for para in paragraphs.chain(headlines).chain([r.outlet.as_str()]) {
            let para = para.trim();
            if para.is_empty() {
                continue;
            }
            let n = pieces(para, text, &index, &hay_chars);
            prop_assert!(n.is_some(), "'{para}' holds text that is not in the input");
            let n = n.unwrap_or_default();
            prop_assert!(
                n <= 1 + joins,
                "'{para}' is {n} pieces of the input, with {joins} joining repairs"
            );
        }
    }
    Ok(())
}

/// A passage of an earlier answer copied into a later one, and where: the
/// parsed record `j` and `r`, the passage, and the byte offset of the text
/// where it goes; None where the text offers no such place.
fn copy_site(
    text: &str,
    records: &[Record],
    pick: (usize, usize, usize, usize, usize),
) -> Option<(String, usize)> {
    let sentences = &LAYOUT.sentences;
    let answers: Vec<usize> = (0..records.len())
        .filter(|&i| !records[i].answer.is_empty())
        .collect();
    if answers.len() < 2 {
        return None;
    }
    let r = answers[1 + pick.0 % (answers.len() - 1)];
    let j = answers[pick.1 % answers.iter().position(|&a| a == r)?];
    // The passage: whole clauses of one paragraph of answer j, 40–400
    // characters, ending where a sentence ends.
    let paras: Vec<&str> = records[j].answer.split('\n').collect();
    let para = paras[pick.2 % paras.len()];
    let cl = sentences.clauses(para);
    let start = cl[pick.3 % cl.len()].0;
    let mut passage = None;
    for &(_, e) in cl.iter().filter(|c| c.1 > start) {
        let p = &para[start..e];
        let chars = p.chars().count();
        if chars > 400 {
            break;
        }
        if chars >= 40 && sentences.ends_sentence(p) {
            passage = Some(p);
            if pick.4.is_multiple_of(2) {
                break;
            }
        }
    }
    let passage = passage?;
    // Where it goes: a sentence boundary of a paragraph of answer r, found
    // in the text after the line where record r starts.
    let line_start: usize = text
        .split_inclusive('\n')
        .take(records[r].line - 1)
        .map(str::len)
        .sum();
    let target_paras: Vec<&str> = records[r]
        .answer
        .split('\n')
        .filter(|p| !p.is_empty())
        .collect();
    if target_paras.is_empty() {
        return None;
    }
    let target = target_paras[pick.2 % target_paras.len()];
    let at = line_start + text.get(line_start..)?.find(target)?;
    // Inside the paragraph: a copy at its start or end would change the
    // characters a cut paragraph's continuation is judged by (found with
    // a window of the 2024 seed, where a copy put before 俄方… let the cut
    // …不寻求改变中 continue there, 中俄 spanning the cut), which is the
    // repair of cuts doing its work, not this oracle's case.
    let ends: Vec<usize> = sentences
        .split(target)
        .iter()
        .scan(0, |n, s| {
            *n += s.len();
            Some(*n)
        })
        .filter(|&e| e < target.len())
        .collect();
    if ends.is_empty() {
        return None;
    }
    let cut = ends[pick.4 % ends.len()];
    // Where the clause before (or after) the copy is also the one before (or
    // after) the passage in its answer, the copy is longer than what was
    // inserted, and rightly removed whole: not this oracle's case.
    let before = |t: &str, at: usize| {
        t[..at]
            .trim_end_matches('\n')
            .rsplit(|c| sentences.is_clause_end(c))
            .nth(1)
            .map(str::to_string)
    };
    let after = |t: &str, at: usize| {
        t[at..]
            .split(|c| sentences.is_clause_end(c))
            .next()
            .map(str::to_string)
    };
    let src = records[j].answer.find(passage)?;
    let (b1, b2) = (before(target, cut), before(&records[j].answer, src));
    let (a1, a2) = (
        after(target, cut),
        after(&records[j].answer, src + passage.len()),
    );
    if (b1.is_some() && b1 == b2) || (a1.as_deref().is_some_and(|a| !a.is_empty()) && a1 == a2) {
        return None;
    }
    Some((passage.to_string(), at + cut))
}

fn fields(p: &Parsed) -> Vec<(RecordKind, String, String, String, String)> {
    p.records
        .iter()
        .map(|r| {
            (
                r.kind,
                r.outlet.clone(),
                r.headline.clone(),
                r.question.clone(),
                r.answer.clone(),
            )
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::cases(7000)))]

    #[test]
    fn damaged_text_is_read_whole_and_never_panics(
        which in 0usize..TEXTS.len(), start in any::<usize>(), len in 8usize..40,
        damages in prop::collection::vec(damage(), 0..6),
    ) {
        let (text, speaker) = window(which, start, len);
        if let Some((plain, parsed, kept)) = read(&apply(&text, &damages), speaker) {
            check(&plain, speaker, &parsed, kept)?;
        }
    }
}

proptest! {
    // Most windows offer a place for a copy; those that do not are rejected.
    #![proptest_config(ProptestConfig { cases: crate::cases(3000), max_global_rejects: crate::cases(3000) * 10, ..ProptestConfig::default() })]

    #[test]
    fn a_copy_inserted_into_a_later_answer_is_removed_and_nothing_else(
        which in 0usize..5, start in any::<usize>(), len in 10usize..60,
        pick in (any::<usize>(), any::<usize>(), any::<usize>(), any::<usize>(), any::<usize>()),
    ) {
        let (text, speaker) = window(which, start, len);
        let junction = junction::Junction::new(&JIEBA, &text);
        let bound = bound(speaker, &text);
        let (original, _) = read_text(&text, &bound, &junction);
        let site = copy_site(&text, &original.records, pick);
        prop_assume!(site.is_some());
        let (passage, at) = site.unwrap_or_default();
        let damaged = format!("{}{passage}{}", &text[..at], &text[at..]);
        let (parsed, kept) = read_text(&damaged, &bound, &junction);
        check(&damaged, speaker, &parsed, kept)?;
        prop_assert_eq!(fields(&parsed), fields(&original), "passage '{}' at byte {}", passage, at);
        let dups = |p: &Parsed| p.repairs.iter().filter(|r| r.action == RepairAction::DropDuplicate).count();
        prop_assert!(dups(&parsed) > dups(&original));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::cases(200)))]

    #[test]
    fn parse_keeps_records_in_input_order(
        which in 0usize..TEXTS.len(), start in any::<usize>(), len in 8usize..40,
        damages in prop::collection::vec(damage(), 0..4),
    ) {
        let (text, speaker) = window(which, start, len);
        if let Some((_, parsed, _)) = read(&apply(&text, &damages), speaker) {
            let starts: Vec<usize> = parsed.records.iter().map(|r| r.line).collect();
            let moved = parsed.repairs.iter().any(|r| r.action == RepairAction::JoinDisplaced);
            prop_assert!(moved || starts.windows(2).all(|w| w[0] <= w[1]), "records out of order: {starts:?}");
        }
    }

    #[test]
    fn config_loaders_never_panic(text in "\\PC{0,200}") {
        let _ = crate::config::Topics::parse(Path::new("topics.toml"), &text);
    }

    #[test]
    fn topic_files_with_lines_removed_give_results_or_errors(drop in prop::collection::vec(any::<bool>(), 400)) {
        // Any subset of the shipped topics.toml's lines: parsed, or refused with a line number.
        let text: String = crate::config::topics::DEFAULT_TOPICS
            .lines()
            .zip(drop.iter().cycle())
            .filter(|(_, d)| !**d)
            .map(|(l, _)| format!("{l}\n"))
            .collect();
        if let Err(e) = crate::config::Topics::parse(Path::new("topics.toml"), &text) {
            prop_assert!(e.to_string().starts_with("topics.toml"), "{e}");
        }
    }
}

#[test]
fn the_pieces_of_a_paragraph_are_counted_at_its_joins() {
    let hay = "继续为中华民族伟大复\n兴营造良好外部环境。谢谢。";
    let chars: Vec<char> = hay.chars().collect();
    let mut index: HashMap<[char; 4], Vec<usize>> = HashMap::new();
    for (i, w) in chars.windows(4).enumerate() {
        index.entry([w[0], w[1], w[2], w[3]]).or_default().push(i);
    }
    assert_eq!(pieces("继续为中华民族伟大复", hay, &index, &chars), Some(1));
    assert_eq!(
        pieces(
            "继续为中华民族伟大复兴营造良好外部环境。",
            hay,
            &index,
            &chars
        ),
        Some(2)
    );
    assert_eq!(pieces("伟大复谢谢。", hay, &index, &chars), Some(2));
    assert_eq!(pieces("伟大复兴是梦想", hay, &index, &chars), None);
}

/// Found by `a_copy_inserted_into_a_later_answer_is_removed_and_nothing_else`
/// (a window of the 2018 live text ending on a speaker label): a label with
/// no text after it added an empty paragraph to the answer it continued, and
/// the copy, inserted "into" that empty paragraph, went before the next label.
/// Input, lines 14–16 of the window: `王毅：` / `第一段。` / `王毅：`.
#[test]
fn a_speaker_label_the_file_ends_on_adds_no_empty_paragraph() {
    let text = "新华社记者：\n请问？\n王毅：\n第一段。\n王毅：";
    let junction = junction::Junction::new(&JIEBA, text);
    let (parsed, _) = read_text(text, &bound("王毅", text), &junction);
    assert_eq!(parsed.records.len(), 1);
    assert_eq!(parsed.records[0].answer, "第一段。");
}

/// Found by `a_copy_inserted_into_a_later_answer_is_removed_and_nothing_else`
/// in CI (a window of the 2018 live text; which = 0, start =
/// 8455416785682494486, len = 51): the clause `也就是说，` after a copy shared
/// its words with `也就是说中国越发展` after the passage in its source, and
/// went with the copy though it was printed once. Made-up text of that shape.
#[test]
fn a_clause_after_a_copy_goes_with_it_only_if_the_source_ends_a_clause_there() {
    let copy = "我们走的是自己选择的和平发展道路，核心要义是坚持合作共赢，成功之处在于互利互惠。";
    let text = format!(
        "新华社记者：\n请问甲？\n王毅：\n{copy}也就是说中国越发展，越能为世界做贡献。\n\
         中国日报记者：\n请问乙？\n王毅：\n阳光倡议是黄金法则。{copy}也就是说，一切都在阳光下运作。"
    );
    let junction = junction::Junction::new(&JIEBA, &text);
    let (parsed, _) = read_text(&text, &bound("王毅", &text), &junction);
    assert_eq!(parsed.records.len(), 2);
    assert_eq!(
        parsed.records[1].answer,
        "阳光倡议是黄金法则。也就是说，一切都在阳光下运作。"
    );
}
