//! Turns the text of one transcript into question/answer records, repairing the
//! damage of its layout, and says what it repaired.
//!
//! Layouts are recognised by what their lines look like (see `data/layout.toml`),
//! never by file name: live text with speaker lines and timestamps, newspaper Q/A
//! (`路透社记者：` then `王毅：`), newspaper summary style (`有记者提问，…` then
//! `王毅说，…`) with a sidebar of short answers under ■ headings. The work goes in
//! passes: classify each line; tell headlines from cut paragraphs; find where each
//! cut paragraph continues and move the continuation there; assemble records;
//! remove passages printed twice; apply manual overrides; trim fragments whose
//! continuation is lost. Every change is reported as a [`Repair`].

use crate::config::corpus::DropOverride;
use crate::config::Layout;
use crate::ingest::junction::{Evidence, Junction};
use crate::vocab::RecordKind;

/// One question and its answer (or an opening, closing or excerpt).
/// Paragraphs are separated by a newline.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub kind: RecordKind,
    /// Line of the source where the record starts.
    pub line: usize,
    pub outlet: String,
    pub headline: String,
    pub question: String,
    pub answer: String,
    /// Part of the text is lost in the source (a cut with no continuation).
    pub truncated: bool,
    /// The date and speaker of the briefing the record belongs to, where a
    /// briefing header gives them (several briefings can share a file).
    pub briefing: Option<Briefing>,
}

/// A briefing header: its date and spokesperson.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Briefing {
    pub year: i32,
    pub month: u32,
    pub day: u32,
    pub speaker: String,
}

/// One change the ingest made to the text, for `repairs.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Repair {
    pub line: usize,
    pub action: &'static str,
    pub detail: String,
    /// Chinese characters of the text the repair removed (0 for a join).
    pub dropped: usize,
}

/// Chinese characters in a text: the unit of how much of a file was kept.
pub fn cjk_chars(text: &str) -> usize {
    text.chars().filter(|&c| crate::text::is_cjk(c)).count()
}

/// Something a researcher should know that did not stop the run.
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    pub line: usize,
    pub message: String,
}

/// A statement of the text about its own date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateClue {
    /// A full date, e.g. a live-text timestamp.
    Full { year: i32, month: u32, day: u32 },
    /// "3月7日" in a lede, caption or dateline.
    MonthDay { month: u32, day: u32 },
    /// "7日在人民大会堂" in a lede.
    Day { day: u32 },
    /// The year an NPC session ("十三届全国人大一次会议") was held.
    Session { year: i32 },
}

#[derive(Debug, Default)]
pub struct Parsed {
    pub records: Vec<Record>,
    /// Briefing answers (答) read.
    pub replies: usize,
    pub repairs: Vec<Repair>,
    pub warnings: Vec<Warning>,
    pub clues: Vec<(usize, DateClue)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UnitKind {
    Question,
    Answer,
    Excerpt,
    /// A spokesperson's announcement.
    Statement,
    /// Another speaker's turn (a host); its text is not an answer.
    Other,
    Body,
    Headline,
    /// Dropped material (furniture, caption, lede, title, sidebar title).
    Gap,
}

#[derive(Debug, Clone)]
struct Unit {
    kind: UnitKind,
    line: usize,
    outlet: String,
    heading: String,
    text: String,
    /// Furniture was cut off its end: a box or column closes here.
    block_end: bool,
    /// An answer unit that always opens a record of its own (a briefing's 答).
    opens: bool,
    /// An answer unit of reported speech ("王毅表示，…"); `reported_only` where
    /// only the `reported` cues matched, and `raw` is the whole line.
    speech: bool,
    reported_only: bool,
    raw: String,
    /// A dropped briefing header (a Gap): the records after it are its.
    briefing: Option<Briefing>,
}

impl Unit {
    fn new(kind: UnitKind, line: usize, text: &str) -> Unit {
        Unit {
            kind,
            line,
            outlet: String::new(),
            heading: String::new(),
            text: text.to_string(),
            block_end: false,
            opens: false,
            speech: false,
            reported_only: false,
            raw: String::new(),
            briefing: None,
        }
    }
}

/// Parses one transcript. `junction` scores candidate continuations of cut
/// paragraphs; `overrides` are this file's manual corrections.
pub fn parse(
    text: &str,
    layout: &Layout,
    junction: &Junction,
    overrides: &[DropOverride],
) -> Parsed {
    let mut out = Parsed::default();
    let mut units = classify(text, layout, &mut out);
    // Reported speech is a record of its own only in a summary without
    // questions; elsewhere "他说，…" is text of the answer it stands in.
    if units.iter().any(|u| u.kind == UnitKind::Question) {
        for u in units.iter_mut().filter(|u| u.reported_only) {
            u.kind = UnitKind::Body;
            u.text = std::mem::take(&mut u.raw);
            u.speech = false;
        }
    }
    mark_headlines(&mut units, layout, &mut out);
    let (order, glued) = repair_cuts(&units, layout, junction, &mut out);
    let mut records = assemble(&units, &order, &glued, &mut out);
    remove_duplicates(&mut records, layout, &mut out);
    apply_overrides(&mut records, overrides, &mut out);
    trim_truncations(&mut records, layout, &mut out);
    check_pairs(&records, &mut out);
    out.records = records;
    out
}

fn first_match<'t>(patterns: &[regex::Regex], s: &'t str) -> Option<regex::Captures<'t>> {
    patterns.iter().find_map(|p| p.captures(s))
}

fn rest_of(caps: &regex::Captures) -> String {
    caps.name("rest")
        .map_or("", |m| m.as_str())
        .trim()
        .to_string()
}

fn classify(text: &str, layout: &Layout, out: &mut Parsed) -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::new();
    // A speaker line or ■ heading with nothing after it takes the next line as its text.
    let mut absorb = false;
    for (idx, raw) in text.lines().enumerate() {
        let line = idx + 1;
        let mut s = raw.trim().to_string();
        if s.is_empty() {
            continue;
        }
        read_session_clues(&s, line, out);
        if s.contains('\u{FFFD}') {
            let n = s.matches('\u{FFFD}').count();
            s = s.replace('\u{FFFD}', "");
            out.repairs.push(Repair {
                line,
                action: "drop_broken_character",
                detail: format!("removed {n} undecodable character(s) (U+FFFD) left by the source"),
                dropped: 0,
            });
        }
        if let Some(caps) = layout.timestamp.captures(&s) {
            let num = |k: &str| caps.name(k).and_then(|m| m.as_str().parse::<u32>().ok());
            if let (Some(y), Some(m), Some(d)) = (num("y"), num("m"), num("d")) {
                out.clues.push((
                    line,
                    DateClue::Full {
                        year: y as i32,
                        month: m,
                        day: d,
                    },
                ));
            }
            continue;
        }
        if let Some(caps) = first_match(&layout.briefing_header, &s) {
            let num = |k: &str| caps.name(k).and_then(|m| m.as_str().parse::<u32>().ok());
            if let (Some(y), Some(m), Some(d)) = (num("y"), num("m"), num("d")) {
                let mut u = Unit::new(UnitKind::Gap, line, "");
                u.briefing = Some(Briefing {
                    year: y as i32,
                    month: m,
                    day: d,
                    speaker: caps.name("name").map_or("", |n| n.as_str()).to_string(),
                });
                out.repairs.push(Repair {
                    line,
                    action: "drop_briefing_header",
                    detail: s.clone(),
                    dropped: cjk_chars(&s),
                });
                units.push(u);
                absorb = false;
                continue;
            }
        }
        let dropped = [
            (&layout.furniture, "drop_furniture"),
            (&layout.caption, "drop_caption"),
            (&layout.lede, "drop_lede"),
            (&layout.title, "drop_title"),
        ]
        .into_iter()
        .find(|(patterns, _)| patterns.iter().any(|p| p.is_match(&s)));
        if let Some((_, action)) = dropped {
            read_date_clues(&s, line, out);
            out.repairs.push(Repair {
                line,
                action,
                detail: s.clone(),
                dropped: cjk_chars(&s),
            });
            units.push(Unit::new(UnitKind::Gap, line, ""));
            absorb = false;
            continue;
        }
        let mut block_end = false;
        if let Some(m) = layout.furniture_suffix.iter().find_map(|p| p.find(&s)) {
            let cut = m.as_str().trim().to_string();
            read_date_clues(&cut, line, out);
            s.truncate(m.start());
            s = s.trim_end().to_string();
            block_end = true;
            out.repairs.push(Repair {
                line,
                action: "strip_furniture",
                dropped: cjk_chars(&cut),
                detail: cut,
            });
        }
        let unit = if let Some(heading) = s.strip_prefix(layout.sidebar_mark.as_str()) {
            let mut u = Unit::new(UnitKind::Excerpt, line, "");
            u.heading = heading.trim().to_string();
            Some(u)
        } else if let Some(caps) = layout.reporter.captures(&s) {
            let mut u = Unit::new(UnitKind::Question, line, &rest_of(&caps));
            u.outlet = caps
                .name("outlet")
                .map_or("", |m| m.as_str())
                .trim()
                .to_string();
            Some(u)
        } else if let Some(caps) = first_match(&layout.question_openers, &s) {
            Some(Unit::new(UnitKind::Question, line, &rest_of(&caps)))
        } else if let Some(caps) = layout.answer.captures(&s) {
            Some(Unit::new(UnitKind::Answer, line, &rest_of(&caps)))
        } else if let Some(caps) = first_match(&layout.answer_openers, &s) {
            let mut u = Unit::new(UnitKind::Answer, line, &rest_of(&caps));
            u.speech = true;
            Some(u)
        } else if let Some(caps) = layout.reply.captures(&s) {
            let mut u = Unit::new(UnitKind::Answer, line, &rest_of(&caps));
            u.opens = true;
            Some(u)
        } else if let Some(caps) = first_match(&layout.statement, &s) {
            Some(Unit::new(UnitKind::Statement, line, &rest_of(&caps)))
        } else if let Some(caps) = first_match(&layout.reported, &s) {
            let mut u = Unit::new(UnitKind::Answer, line, &rest_of(&caps));
            u.speech = true;
            u.reported_only = true;
            u.raw = s.clone();
            Some(u)
        } else if layout.other_speaker.is_match(&s) {
            Some(Unit::new(UnitKind::Other, line, ""))
        } else {
            None
        };
        match unit {
            Some(mut u) => {
                u.block_end = block_end;
                absorb = u.text.is_empty();
                units.push(u);
            }
            None => {
                if absorb {
                    let last = units.last_mut().expect("absorb is set only after a unit");
                    last.text = s;
                    last.block_end |= block_end;
                    absorb = false;
                } else {
                    let mut u = Unit::new(UnitKind::Body, line, &s);
                    u.block_end = block_end;
                    units.push(u);
                }
            }
        }
    }
    units
}

/// Chinese numerals up to 99, as NPC sessions are numbered.
fn chinese_number(s: &str) -> Option<i32> {
    let digit = |c: char| {
        "零一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|p| p as i32)
    };
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        [c] if *c == '十' => Some(10),
        [c] => digit(*c),
        ['十', u] => Some(10 + digit(*u)?),
        [t, '十'] => Some(10 * digit(*t)?),
        [t, '十', u] => Some(10 * digit(*t)? + digit(*u)?),
        _ => None,
    }
}

/// The year of an NPC session named in the text ("十三届全国人大一次会议" is 2018).
pub fn session_years(s: &str) -> Vec<i32> {
    static SESSION: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = SESSION.get_or_init(|| {
        regex::Regex::new(
            "([一二三四五六七八九十]{1,3})届全国人大([一二三四五六七八九十]{1,2})次会议",
        )
        .expect("literal pattern")
    });
    re.captures_iter(s)
        .filter_map(|caps| {
            let (npc, session) = (chinese_number(&caps[1])?, chinese_number(&caps[2])?);
            // From the 5th NPC (1978) on, each NPC sits for five years, one session a year.
            (npc >= 5 && (1..=5).contains(&session)).then(|| 1978 + 5 * (npc - 5) + (session - 1))
        })
        .collect()
}

fn read_session_clues(s: &str, line: usize, out: &mut Parsed) {
    for year in session_years(s) {
        out.clues.push((line, DateClue::Session { year }));
    }
}

fn read_date_clues(s: &str, line: usize, out: &mut Parsed) {
    static MONTH_DAY: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    static DAY: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let md =
        MONTH_DAY.get_or_init(|| regex::Regex::new(r"(\d{1,2})月(\d{1,2})日").expect("literal"));
    let d = DAY.get_or_init(|| regex::Regex::new(r"会议(\d{1,2})日").expect("literal"));
    if let Some(c) = md.captures(s) {
        if let (Ok(month), Ok(day)) = (c[1].parse(), c[2].parse()) {
            out.clues.push((line, DateClue::MonthDay { month, day }));
        }
    } else if let Some(c) = d.captures(s) {
        if let Ok(day) = c[1].parse() {
            out.clues.push((line, DateClue::Day { day }));
        }
    }
}

fn headline_like(u: &Unit, layout: &Layout) -> bool {
    u.kind == UnitKind::Body
        && u.text.chars().count() <= layout.headline_max_chars
        && !layout.sentences.ends_sentence(&u.text)
        && !layout.sentences.has_end(&u.text)
}

/// The next unit after `i` that is not dropped material.
fn next_kept(units: &[Unit], i: usize) -> Option<usize> {
    (i + 1..units.len()).find(|&j| units[j].kind != UnitKind::Gap)
}

fn prev_kept(units: &[Unit], i: usize) -> Option<usize> {
    (0..i).rev().find(|&j| units[j].kind != UnitKind::Gap)
}

/// Short unpunctuated lines are headlines where the layout puts headlines over
/// questions, sidebar titles where they stand over a sidebar, and otherwise text.
fn mark_headlines(units: &mut [Unit], layout: &Layout, out: &mut Parsed) {
    let questions: Vec<usize> = (0..units.len())
        .filter(|&i| units[i].kind == UnitKind::Question)
        .collect();
    let with_headline = questions
        .iter()
        .filter(|&&q| prev_kept(units, q).is_some_and(|p| headline_like(&units[p], layout)))
        .count();
    // A layout with headlines has them over most questions; a cut paragraph that
    // happens to stand before a question must not become one.
    let headline_layout = questions.len() >= 2 && with_headline * 2 >= questions.len();
    for i in 0..units.len() {
        if !headline_like(&units[i], layout) {
            continue;
        }
        // Several headline lines may stand over one item.
        let mut j = next_kept(units, i);
        while let Some(k) = j.filter(|&k| headline_like(&units[k], layout)) {
            j = next_kept(units, k);
        }
        match j.map(|k| units[k].kind) {
            Some(UnitKind::Excerpt) => {
                out.repairs.push(Repair {
                    line: units[i].line,
                    action: "drop_sidebar_title",
                    detail: units[i].text.clone(),
                    dropped: cjk_chars(&units[i].text),
                });
                units[i].kind = UnitKind::Gap;
            }
            Some(UnitKind::Question) | Some(UnitKind::Answer) if headline_layout => {
                units[i].kind = UnitKind::Headline;
            }
            _ => {}
        }
    }
}

fn dangling(u: &Unit, layout: &Layout) -> bool {
    matches!(
        u.kind,
        UnitKind::Question
            | UnitKind::Answer
            | UnitKind::Excerpt
            | UnitKind::Statement
            | UnitKind::Body
    ) && !u.text.is_empty()
        && !layout.sentences.ends_sentence(&u.text)
}

fn snippet_end(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    chars[chars.len().saturating_sub(8)..].iter().collect()
}

fn snippet_start(s: &str) -> String {
    s.chars().take(8).collect()
}

/// Finds, for every paragraph cut at its end, the paragraph that continues it,
/// and returns the units in reading order with the continuations marked as
/// glued (joined without a paragraph break).
fn repair_cuts(
    units: &[Unit],
    layout: &Layout,
    junction: &Junction,
    out: &mut Parsed,
) -> (Vec<usize>, Vec<bool>) {
    let w = &layout.repair;
    let n = units.len();
    struct Candidate {
        cut: usize,
        cont: usize,
        score: f64,
        evidence: Evidence,
        adjacent: bool,
        stranded: bool,
    }
    let mut candidates = Vec::new();
    for i in (0..n).filter(|&i| dangling(&units[i], layout)) {
        for j in (0..n).filter(|&j| j != i && units[j].kind == UnitKind::Body) {
            let adjacent = j == i + 1;
            let stranded = j > 0 && (units[j - 1].kind == UnitKind::Gap || units[j - 1].block_end);
            let evidence = junction.evidence(&units[i].text, &units[j].text);
            let ngram = evidence.ngram.as_ref().map_or(0, |(_, c)| *c);
            let linguistic = if evidence.word.is_some() {
                w.dictionary_word
            } else {
                0.0
            } + w.corpus_ngram * (1.0 + ngram as f64).ln();
            let score = linguistic
                + if adjacent { w.adjacent } else { 0.0 }
                + if stranded && !adjacent {
                    w.stranded
                } else {
                    0.0
                };
            // A paragraph in its natural place is taken away only on linguistic evidence.
            let eligible = adjacent || stranded || linguistic > 0.0;
            if eligible && score >= w.min_score {
                candidates.push(Candidate {
                    cut: i,
                    cont: j,
                    score,
                    evidence,
                    adjacent,
                    stranded,
                });
            }
        }
    }
    candidates.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.cut.abs_diff(a.cont).cmp(&b.cut.abs_diff(b.cont)))
            .then(a.cont.cmp(&b.cont))
    });

    let mut next_of: Vec<Option<usize>> = vec![None; n];
    let mut claimed = vec![false; n];
    // The paragraphs that travel with a continuation: it and the text paragraphs after it.
    let chain = |start: usize, claimed: &[bool]| -> Vec<usize> {
        let mut c = vec![start];
        let mut k = start + 1;
        while k < n && units[k].kind == UnitKind::Body && !claimed[k] {
            c.push(k);
            k += 1;
        }
        c
    };
    for cand in &candidates {
        if next_of[cand.cut].is_some() || claimed[cand.cont] {
            continue;
        }
        // Following continuations must never lead back to the cut paragraph.
        let mut seen = vec![false; n];
        let mut stack = vec![cand.cont];
        let mut cycle = false;
        while let Some(p) = stack.pop() {
            for k in chain(p, &claimed) {
                if k == cand.cut {
                    cycle = true;
                }
                if !seen[k] {
                    seen[k] = true;
                    if let Some(nx) = next_of[k] {
                        stack.push(nx);
                    }
                }
            }
        }
        if cycle {
            continue;
        }
        next_of[cand.cut] = Some(cand.cont);
        claimed[cand.cont] = true;
        let (cu, co) = (&units[cand.cut], &units[cand.cont]);
        let how = if cand.adjacent {
            "next paragraph".to_string()
        } else if cand.stranded {
            format!("line {}, stranded after dropped material", co.line)
        } else {
            format!("line {}", co.line)
        };
        let evidence = match cand.evidence.describe() {
            e if e.is_empty() => "layout only".to_string(),
            e => e,
        };
        out.repairs.push(Repair {
            line: cu.line,
            action: if cand.adjacent {
                "join_cut"
            } else {
                "join_displaced"
            },
            detail: format!(
                "'…{}' continues at {} '{}…' ({}; score {:.2})",
                snippet_end(&cu.text),
                how,
                snippet_start(&co.text),
                evidence,
                cand.score
            ),
            dropped: 0,
        });
    }

    let mut in_chain = vec![false; n];
    for j in (0..n).filter(|&j| claimed[j]) {
        for k in chain(j, &claimed) {
            in_chain[k] = true;
        }
    }
    let mut order = Vec::with_capacity(n);
    let mut glued = vec![false; n];
    let mut emitted = vec![false; n];
    fn emit(
        i: usize,
        next_of: &[Option<usize>],
        chains: &dyn Fn(usize) -> Vec<usize>,
        order: &mut Vec<usize>,
        glued: &mut [bool],
        emitted: &mut [bool],
    ) {
        if emitted[i] {
            return;
        }
        emitted[i] = true;
        order.push(i);
        if let Some(p) = next_of[i] {
            glued[p] = true;
            for k in chains(p) {
                emit(k, next_of, chains, order, glued, emitted);
            }
        }
    }
    let chains = |p: usize| chain(p, &claimed);
    for (i, _) in in_chain.iter().enumerate().filter(|(_, &c)| !c) {
        emit(i, &next_of, &chains, &mut order, &mut glued, &mut emitted);
    }
    (order, glued)
}

#[derive(Clone, Copy, PartialEq)]
enum Target {
    None,
    Question(usize),
    Answer(usize),
    Excerpt(usize),
}

fn push_text(field: &mut String, text: &str, glue: bool) {
    if !glue && !field.is_empty() {
        field.push('\n');
    }
    field.push_str(text);
}

fn assemble(units: &[Unit], order: &[usize], glued: &[bool], out: &mut Parsed) -> Vec<Record> {
    let mut records: Vec<Record> = Vec::new();
    let mut main: Option<usize> = None;
    let mut target = Target::None;
    let mut headlines: Vec<String> = Vec::new();
    let has_questions = units.iter().any(|u| u.kind == UnitKind::Question);
    // The briefing the records belong to, from the last briefing header.
    let mut briefing: Option<Briefing> = None;
    // Answers (答) with no question before them: (count, line of the first).
    let mut unasked = (0, 0);
    let new_record =
        |kind: RecordKind, u: &Unit, headlines: &mut Vec<String>, b: &Option<Briefing>| Record {
            kind,
            line: u.line,
            outlet: u.outlet.clone(),
            headline: std::mem::take(headlines).join(" / "),
            question: String::new(),
            answer: String::new(),
            truncated: false,
            briefing: b.clone(),
        };
    for &i in order {
        let u = &units[i];
        match u.kind {
            UnitKind::Gap => {
                if let Some(b) = &u.briefing {
                    briefing = Some(b.clone());
                    main = None;
                    target = Target::None;
                } else if matches!(target, Target::Excerpt(_)) {
                    target = Target::None;
                }
            }
            UnitKind::Headline => {
                headlines.push(u.text.clone());
                target = Target::None;
            }
            UnitKind::Question => {
                let mut r = new_record(RecordKind::Answer, u, &mut headlines, &briefing);
                r.question = u.text.clone();
                records.push(r);
                main = Some(records.len() - 1);
                target = Target::Question(records.len() - 1);
            }
            UnitKind::Answer if u.speech && !has_questions => {
                let mut r = new_record(RecordKind::Summary, u, &mut headlines, &briefing);
                r.answer = u.text.clone();
                records.push(r);
                main = Some(records.len() - 1);
                target = Target::Answer(records.len() - 1);
            }
            UnitKind::Answer if u.opens => {
                out.replies += 1;
                let awaiting = main.filter(|&m| {
                    records[m].kind == RecordKind::Answer
                        && records[m].answer.is_empty()
                        && headlines.is_empty()
                });
                let m = match awaiting {
                    Some(m) => {
                        push_text(&mut records[m].answer, &u.text, false);
                        m
                    }
                    None => {
                        if unasked.0 == 0 {
                            unasked.1 = u.line;
                        }
                        unasked.0 += 1;
                        let mut r = new_record(RecordKind::Answer, u, &mut headlines, &briefing);
                        r.answer = u.text.clone();
                        records.push(r);
                        records.len() - 1
                    }
                };
                main = Some(m);
                target = Target::Answer(m);
            }
            UnitKind::Statement => {
                let mut r = new_record(RecordKind::Statement, u, &mut headlines, &briefing);
                r.answer = u.text.clone();
                records.push(r);
                main = Some(records.len() - 1);
                target = Target::Answer(records.len() - 1);
            }
            UnitKind::Answer => {
                let awaiting = main.filter(|&m| {
                    records[m].kind == RecordKind::Answer
                        && records[m].answer.is_empty()
                        && headlines.is_empty()
                });
                // Live text spreads one answer over many consecutive turns.
                let continuing =
                    main.filter(|&m| target == Target::Answer(m) && headlines.is_empty());
                if let Some(m) = awaiting.or(continuing) {
                    push_text(&mut records[m].answer, &u.text, false);
                    target = Target::Answer(m);
                } else {
                    let any_question = records.iter().any(|r| !r.question.is_empty());
                    let kind = if any_question {
                        RecordKind::Closing
                    } else {
                        RecordKind::Opening
                    };
                    let mut r = new_record(kind, u, &mut headlines, &briefing);
                    r.answer = u.text.clone();
                    records.push(r);
                    main = Some(records.len() - 1);
                    target = Target::Answer(records.len() - 1);
                }
            }
            UnitKind::Excerpt => {
                let mut r = new_record(RecordKind::Excerpt, u, &mut Vec::new(), &briefing);
                r.headline = u.heading.clone();
                r.answer = u.text.clone();
                records.push(r);
                target = Target::Excerpt(records.len() - 1);
            }
            UnitKind::Other => target = Target::None,
            UnitKind::Body => match target {
                Target::Question(m) => push_text(&mut records[m].question, &u.text, glued[i]),
                Target::Answer(m) | Target::Excerpt(m) => {
                    push_text(&mut records[m].answer, &u.text, glued[i])
                }
                Target::None => {
                    out.repairs.push(Repair {
                        line: u.line,
                        action: "drop_unattached",
                        detail: u.text.clone(),
                        dropped: cjk_chars(&u.text),
                    });
                    out.warnings.push(Warning {
                        line: u.line,
                        message: "text outside any question or answer was dropped".into(),
                    });
                }
            },
        }
    }
    if unasked.0 > 0 {
        out.warnings.push(Warning {
            line: unasked.1,
            message: format!(
                "{} answer(s) (答) have no question (问) in the text: their question is left empty",
                unasked.0
            ),
        });
    }
    // A statement without a question between two answers is neither opening nor closing.
    let last_question = records.iter().rposition(|r| !r.question.is_empty());
    for (idx, r) in records.iter_mut().enumerate() {
        if r.kind == RecordKind::Closing && last_question.is_some_and(|q| idx < q) {
            r.kind = RecordKind::Answer;
            out.warnings.push(Warning {
                line: r.line,
                message: "an answer without a question stands between other answers".into(),
            });
        }
    }
    records
}

/// Splits text into clauses at Chinese and ASCII punctuation, with byte ranges.
fn clauses(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if "，,。；;！!？?、\n".contains(c) {
            if i > start {
                out.push((start, i));
            }
            start = i + c.len_utf8();
        }
    }
    if start < text.len() {
        out.push((start, text.len()));
    }
    out
}

/// Removes passages of an answer that are printed again from an earlier answer
/// of the same transcript: a layout fault, not the minister repeating himself
/// (repeated set phrases are far shorter than `duplicate_min_chars`).
fn remove_duplicates(records: &mut [Record], layout: &Layout, out: &mut Parsed) {
    const MIN_CLAUSE: usize = 6;
    // A copied passage is widened to whole sentences, or to its paragraph.
    let sentence_end = |c: char| c == '\n' || layout.sentences.is_end(c);
    for r in 1..records.len() {
        let earlier: Vec<&str> = records[..r].iter().map(|x| x.answer.as_str()).collect();
        let text = records[r].answer.clone();
        let cl = clauses(&text);
        let dup: Vec<bool> = cl
            .iter()
            .map(|&(s, e)| {
                let c = &text[s..e];
                // One SIMD searcher per clause for all earlier answers: building a
                // searcher per pair dominated the ingest of large corpora.
                c.chars().count() >= MIN_CLAUSE && {
                    let finder = memchr::memmem::Finder::new(c.as_bytes());
                    earlier.iter().any(|t| finder.find(t.as_bytes()).is_some())
                }
            })
            .collect();
        // Runs of duplicated clauses, longest first so byte ranges stay valid when cut from the end.
        let mut runs = Vec::new();
        let mut k = 0;
        while k < cl.len() {
            if !dup[k] {
                k += 1;
                continue;
            }
            let first = k;
            while k < cl.len() && dup[k] {
                k += 1;
            }
            let (s, e) = (cl[first].0, cl[k - 1].1);
            if text[s..e].chars().count() >= layout.repair.duplicate_min_chars {
                // Widen to whole sentences: the copy starts and ends where a sentence does.
                let start = text[..s].rfind(sentence_end).map_or(0, |p| {
                    p + text[p..].chars().next().map_or(1, char::len_utf8)
                });
                let end = text[e..].find(sentence_end).map_or(text.len(), |p| {
                    e + p + text[e + p..].chars().next().map_or(1, char::len_utf8)
                });
                runs.push((start, end));
            }
        }
        let mut answer = text.clone();
        for &(s, e) in runs.iter().rev() {
            let removed = answer[s..e].to_string();
            answer.replace_range(s..e, "");
            out.repairs.push(Repair {
                line: records[r].line,
                action: "drop_duplicate",
                detail: format!(
                    "removed {} characters printed again from an earlier answer: '{}…{}'",
                    removed.chars().count(),
                    snippet_start(&removed),
                    snippet_end(&removed)
                ),
                dropped: cjk_chars(&removed),
            });
        }
        records[r].answer = tidy_paragraphs(&answer);
    }
}

fn tidy_paragraphs(text: &str) -> String {
    text.split('\n')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn apply_overrides(records: &mut [Record], overrides: &[DropOverride], out: &mut Parsed) {
    for o in overrides {
        let hit = records.iter_mut().find_map(|r| {
            if r.answer.contains(&o.text) {
                Some((r.line, &mut r.answer))
            } else if r.question.contains(&o.text) {
                Some((r.line, &mut r.question))
            } else {
                None
            }
        });
        match hit {
            Some((line, field)) => {
                *field = tidy_paragraphs(&field.replacen(&o.text, "", 1));
                out.repairs.push(Repair {
                    line,
                    action: "override_drop",
                    detail: format!("'{}' ({})", o.text, o.reason),
                    dropped: cjk_chars(&o.text),
                });
            }
            None => out.warnings.push(Warning {
                line: 0,
                message: format!("override text not found in any record: '{}'", o.text),
            }),
        }
    }
}

/// Cuts every paragraph back to its last complete sentence where its
/// continuation is lost, so no record holds half a sentence.
fn trim_truncations(records: &mut [Record], layout: &Layout, out: &mut Parsed) {
    for r in records.iter_mut() {
        let line = r.line;
        let mut truncated = false;
        for field in [&mut r.question, &mut r.answer] {
            let mut kept = Vec::new();
            for para in field.split('\n') {
                if para.is_empty() || layout.sentences.ends_sentence(para) {
                    kept.push(para.to_string());
                    continue;
                }
                truncated = true;
                let cut = para
                    .char_indices()
                    .rfind(|&(_, c)| layout.sentences.is_end(c))
                    .map(|(i, c)| {
                        // Keep closing quotes that belong to the last sentence.
                        let mut end = i + c.len_utf8();
                        for c2 in para[end..].chars() {
                            if !layout.sentences.is_closer(c2) {
                                break;
                            }
                            end += c2.len_utf8();
                        }
                        end
                    })
                    .unwrap_or(0);
                out.repairs.push(Repair {
                    line,
                    action: "trim_truncated",
                    detail: format!(
                        "the source cuts off here; dropped fragment '{}'",
                        &para[cut..]
                    ),
                    dropped: cjk_chars(&para[cut..]),
                });
                if cut > 0 {
                    kept.push(para[..cut].to_string());
                }
            }
            *field = kept.join("\n");
        }
        r.truncated = truncated;
    }
}

fn check_pairs(records: &[Record], out: &mut Parsed) {
    for r in records {
        if r.kind == RecordKind::Answer && r.answer.is_empty() {
            out.warnings.push(Warning {
                line: r.line,
                message: "question without an answer".into(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jieba_rs::Jieba;

    fn layout() -> Layout {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/layout.toml");
        Layout::load(&path)
            .expect("data/layout.toml loads")
            .for_speaker("王毅")
    }

    fn run(text: &str) -> Parsed {
        let jieba = Jieba::new();
        let junction = Junction::new(&jieba, text);
        parse(text, &layout(), &junction, &[])
    }

    #[test]
    fn newspaper_qa_with_ascii_and_fullwidth_colons() {
        let p = run("路透社记者：中方怎么看？\n\n王毅：我们反对。\n\n第二段。\n\n彭博社记者:还有问题吗?\n\n王毅:没有了。\n");
        assert_eq!(p.records.len(), 2);
        assert_eq!(p.records[0].outlet, "路透社");
        assert_eq!(p.records[0].question, "中方怎么看？");
        assert_eq!(p.records[0].answer, "我们反对。\n第二段。");
        assert_eq!(p.records[1].outlet, "彭博社");
        assert_eq!(p.records[1].answer, "没有了。");
    }

    #[test]
    fn live_turns_merge_and_host_is_not_an_answer() {
        let text = "主持人 何绍仁：\n欢迎。\n[ 2018-03-08 10:02 ]\n外交部部长 王毅：\n大家好。\n[ 2018-03-08 10:03 ]\n新华社记者：\n请问？\n[ 2018-03-08 10:04 ]\n王毅：\n第一。\n[ 2018-03-08 10:05 ]\n王毅：\n第二。\n何绍仁：\n结束。\n";
        let p = run(text);
        let kinds: Vec<_> = p.records.iter().map(|r| r.kind).collect();
        assert_eq!(kinds, vec![RecordKind::Opening, RecordKind::Answer]);
        assert_eq!(p.records[0].answer, "大家好。");
        assert_eq!(p.records[1].answer, "第一。\n第二。");
        assert!(p.clues.contains(&(
            3,
            DateClue::Full {
                year: 2018,
                month: 3,
                day: 8
            }
        )));
    }

    #[test]
    fn summary_style_with_sidebar_excerpts() {
        let text = "有记者提问,中美关系如何?\n\n王毅说,要相互尊重。\n\n王毅还回应了这些热点话题\n\n■中欧关系\n\n中欧是伙伴。 据新华社\n\n会上有记者提问,台湾呢?\n\n王毅称,台湾是中国的一部分。\n";
        let p = run(text);
        let kinds: Vec<_> = p.records.iter().map(|r| r.kind).collect();
        assert_eq!(
            kinds,
            vec![RecordKind::Answer, RecordKind::Excerpt, RecordKind::Answer]
        );
        assert_eq!(p.records[0].answer, "要相互尊重。");
        assert_eq!(p.records[1].headline, "中欧关系");
        assert_eq!(p.records[1].answer, "中欧是伙伴。");
        assert_eq!(p.records[2].question, "台湾呢?");
        assert!(p.repairs.iter().any(|r| r.action == "drop_sidebar_title"));
        assert!(p
            .repairs
            .iter()
            .any(|r| r.action == "strip_furniture" && r.detail == "据新华社"));
    }

    #[test]
    fn adjacent_cut_is_joined_without_a_break() {
        let p = run("新华社记者：问题？\n\n王毅：继续为中华民族伟大复\n\n兴营造良好外部环境。\n");
        assert_eq!(
            p.records[0].answer,
            "继续为中华民族伟大复兴营造良好外部环境。"
        );
        assert_eq!(p.repairs[0].action, "join_cut");
        assert!(!p.records[0].truncated);
    }

    #[test]
    fn displaced_continuation_after_a_caption_and_another_answer() {
        // The first answer is cut; its rest stands after the second answer and a caption.
        let text = "甲记者：问一？\n\n王毅：答案的第一部分，推动构建新型国际\n\n乙记者：问二？\n\n王毅：第二个答案。\n\n3月7日，中欧班列驶出。本版照片均为新华社发\n\n关系，这是第一个答案的结尾。\n\n丙记者：问三？\n\n王毅：第三个答案。\n";
        let p = run(text);
        assert_eq!(p.records.len(), 3);
        assert_eq!(
            p.records[0].answer,
            "答案的第一部分，推动构建新型国际关系，这是第一个答案的结尾。"
        );
        assert_eq!(p.records[1].answer, "第二个答案。");
        assert!(p.repairs.iter().any(|r| r.action == "join_displaced"));
        assert!(p.repairs.iter().any(|r| r.action == "drop_caption"));
    }

    #[test]
    fn lost_continuation_is_trimmed_and_flagged() {
        let p = run("记者：问？\n\n王毅：第一句完整。第二句被截\n\n记者：下一个？\n\n王毅：好。\n");
        assert_eq!(p.records[0].answer, "第一句完整。");
        assert!(p.records[0].truncated);
        assert!(p
            .repairs
            .iter()
            .any(|r| r.action == "trim_truncated" && r.detail.contains("第二句被截")));
    }

    #[test]
    fn headlines_stand_over_questions_only_in_a_headline_layout() {
        let text = "中美关系 相互尊重\n\n甲记者：问一？\n\n王毅：答一。\n\n台湾问题 没有妥协余地\n\n乙记者：问二？\n\n王毅：答二。\n";
        let p = run(text);
        assert_eq!(p.records[0].headline, "中美关系 相互尊重");
        assert_eq!(p.records[1].headline, "台湾问题 没有妥协余地");
    }

    #[test]
    fn a_passage_printed_twice_is_kept_only_where_it_first_stands() {
        let shared = "推动商签更多的高标准自贸协定，扩大面向全球的自由贸易区网络，维护全球产业链供应链稳定畅通。";
        let text = format!("甲记者：经济？\n\n王毅：我们愿配合主管部门，{shared}\n\n乙记者：领保？\n\n王毅：我们处理案件8万多起。我们进一步配合主管部门，{shared}\n");
        let p = run(&text);
        assert_eq!(p.records[0].answer, format!("我们愿配合主管部门，{shared}"));
        assert_eq!(p.records[1].answer, "我们处理案件8万多起。");
    }

    #[test]
    fn npc_sessions_give_years() {
        let p = run("十三届全国人大一次会议新闻中心举行记者会\n十四届全国人大四次会议\n");
        let years: Vec<_> = p
            .clues
            .iter()
            .filter_map(|(_, c)| match c {
                DateClue::Session { year } => Some(*year),
                _ => None,
            })
            .collect();
        assert_eq!(years, vec![2018, 2026]);
    }
}
