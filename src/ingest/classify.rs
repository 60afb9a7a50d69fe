//! The first passes over a transcript: each line becomes a chunk (a question,
//! an answer, text, a headline, or dropped material), then short unpunctuated
//! lines are told apart as headlines, sidebar titles or text.

use super::furniture::Repeated;
use super::parsed::{cjk_chars, Briefing, DateClue, Parsed, Repair};
use crate::categories::RepairAction;
use crate::config::Layout;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ChunkKind {
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
pub(super) struct Chunk {
    pub(super) kind: ChunkKind,
    pub(super) line: usize,
    pub(super) outlet: String,
    pub(super) heading: String,
    pub(super) text: String,
    /// Furniture was cut off its end: a box or column closes here.
    pub(super) block_end: bool,
    /// An answer chunk that always opens a record of its own (a briefing's 答).
    pub(super) opens: bool,
    /// An answer chunk of reported speech ("王毅表示，…"); `reported_only` where
    /// only the `reported` cues matched, and `raw` is the whole line.
    pub(super) speech: bool,
    pub(super) reported_only: bool,
    pub(super) raw: String,
    /// A dropped briefing header (a Gap): the records after it are its.
    pub(super) briefing: Option<Briefing>,
    /// Whose turn a labelled chunk is, as its label names them ("汪文斌：");
    /// empty where the label names no one ("答：", "他表示").
    pub(super) who: String,
    /// A text line under a name label (`label` in layout.toml): the name and
    /// the text after the colon. It is the answer where a question awaits one.
    pub(super) labelled: Option<(String, String)>,
    /// A briefing header or a separator line (a Gap): a new scope starts.
    pub(super) starts_scope: bool,
}

impl Chunk {
    pub(super) fn new(kind: ChunkKind, line: usize, text: &str) -> Chunk {
        Chunk {
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
            who: String::new(),
            labelled: None,
            starts_scope: false,
        }
    }
}

/// The name a speaker pattern captured (`who`; see `Layout::for_speakers`).
fn who_of(caps: &regex::Captures) -> String {
    caps.name("who").map_or("", |m| m.as_str()).to_string()
}

/// The scope of every chunk: one conference, or one briefing of a file that
/// holds several. A briefing header or a separator line starts a new scope,
/// and so does an announcement (a statement) that follows questions or
/// answers: announcements open a briefing. A passage said again in another
/// scope is the speaker's own repetition, never a printing error, and a cut
/// paragraph never continues in another scope.
pub(super) fn scopes(chunks: &[Chunk]) -> Vec<usize> {
    let mut scope = 0;
    let mut spoken = false;
    chunks
        .iter()
        .map(|u| {
            let opens = u.starts_scope || (u.kind == ChunkKind::Statement && spoken);
            if opens {
                scope += 1;
                spoken = false;
            }
            spoken |= matches!(u.kind, ChunkKind::Question | ChunkKind::Answer);
            scope
        })
        .collect()
}

/// The line without its framing sentences (`framing` in layout.toml), and
/// the sentences cut.
fn strip_framing<'t>(line: &'t str, layout: &Layout) -> (String, Vec<&'t str>) {
    let mut kept = String::new();
    let mut cut = Vec::new();
    for sentence in layout.sentences.split(line) {
        if layout.framing.iter().any(|p| p.is_match(sentence.trim())) {
            cut.push(sentence);
        } else {
            kept.push_str(sentence);
        }
    }
    (kept.trim().to_string(), cut)
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

/// Each line of the text as a chunk, in order (blank lines are skipped).
///
/// A line is read in these steps, and the first that takes it decides:
/// 1. session clues are read, and undecodable characters (U+FFFD) removed;
/// 2. a line repeated across files (furniture) is dropped, a timestamp is a
///    date clue, a briefing header or a separator is dropped and opens a
///    scope ([`Lines::drop_marker`]);
/// 3. framing sentences are cut, the line dropped where nothing is left;
/// 4. `furniture`, `caption`, `lede` and `title` lines are dropped, in that
///    order;
/// 5. furniture at the end (`furniture_suffix`) is cut, and ends a block;
/// 6. the line is a turn where a key of [`TURN_KEYS`] matches, tried in its
///    order; otherwise it is the text of the turn before it that awaits one,
///    or a text paragraph (a `label` is noted on it).
pub(super) fn classify(
    text: &str,
    layout: &Layout,
    repeated: &Repeated,
    out: &mut Parsed,
) -> Vec<Chunk> {
    let mut lines = Lines {
        layout,
        chunks: Vec::new(),
        absorb: false,
    };
    for (idx, raw) in text.lines().enumerate() {
        let line = idx + 1;
        let s = raw.trim();
        if s.is_empty() {
            continue;
        }
        read_session_clues(s, line, out);
        let s = drop_broken_characters(s, line, out);
        lines.read(line, s, repeated, out);
    }
    lines.chunks
}

/// The line without its undecodable characters (U+FFFD), each removal
/// logged.
fn drop_broken_characters(s: &str, line: usize, out: &mut Parsed) -> String {
    if !s.contains('\u{FFFD}') {
        return s.to_string();
    }
    let n = s.matches('\u{FFFD}').count();
    out.repairs.push(Repair {
        line,
        action: RepairAction::DropBrokenCharacter,
        detail: format!("removed {n} undecodable character(s) (U+FFFD) left by the source"),
        dropped: 0,
    });
    s.replace('\u{FFFD}', "")
}

/// The chunks of a text as its lines are read.
struct Lines<'l> {
    layout: &'l Layout,
    chunks: Vec<Chunk>,
    /// A speaker line or ■ heading with nothing after it takes the next line as its text.
    absorb: bool,
}

impl Lines<'_> {
    /// Reads one line (steps 2 to 6 of [`classify`]).
    fn read(&mut self, line: usize, s: String, repeated: &Repeated, out: &mut Parsed) {
        if self.drop_marker(line, &s, repeated, out) {
            return;
        }
        let Some(s) = self.strip_framing(line, s, out) else {
            return;
        };
        if self.drop_material(line, &s, out) {
            return;
        }
        let (s, block_end) = strip_furniture_suffix(line, s, self.layout, out);
        self.place(line, s, block_end);
    }

    /// A dropped line: a chunk of dropped material, which takes no text.
    fn gap(&mut self, u: Chunk) {
        self.chunks.push(u);
        self.absorb = false;
    }

    /// Whether the line is repeated furniture, a timestamp, a briefing
    /// header or a separator, which it takes (step 2 of [`classify`]).
    fn drop_marker(&mut self, line: usize, s: &str, repeated: &Repeated, out: &mut Parsed) -> bool {
        let layout = self.layout;
        if repeated.contains(s) {
            out.repairs
                .push(dropped(line, RepairAction::DropRepeatedFurniture, s));
            self.gap(Chunk::new(ChunkKind::Gap, line, ""));
        } else if let Some(caps) = layout.timestamp.captures(s) {
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
        } else if let Some(caps) = first_match(&layout.briefing_header, s) {
            let num = |k: &str| caps.name(k).and_then(|m| m.as_str().parse::<u32>().ok());
            let date = match (num("y"), num("m"), num("d")) {
                (Some(y), Some(m), Some(d)) => Some((y as i32, m, d)),
                _ => None,
            };
            let mut u = Chunk::new(ChunkKind::Gap, line, "");
            u.briefing = Some(Briefing {
                date,
                speaker: caps.name("name").map_or("", |n| n.as_str()).to_string(),
            });
            u.starts_scope = true;
            out.repairs
                .push(dropped(line, RepairAction::DropBriefingHeader, s));
            self.gap(u);
        } else if layout.separator.iter().any(|p| p.is_match(s)) {
            let mut u = Chunk::new(ChunkKind::Gap, line, "");
            u.starts_scope = true;
            out.repairs
                .push(dropped(line, RepairAction::DropSeparator, s));
            self.gap(u);
        } else {
            return false;
        }
        true
    }

    /// The line without its framing sentences, or `None` where they were all
    /// of it (step 3 of [`classify`]).
    fn strip_framing(&mut self, line: usize, s: String, out: &mut Parsed) -> Option<String> {
        let (kept, cut) = strip_framing(&s, self.layout);
        if cut.is_empty() {
            return Some(s);
        }
        for sentence in cut {
            out.repairs.push(Repair {
                line,
                action: RepairAction::StripFraming,
                dropped: cjk_chars(sentence),
                detail: sentence.to_string(),
            });
        }
        if kept.is_empty() {
            self.gap(Chunk::new(ChunkKind::Gap, line, ""));
            return None;
        }
        Some(kept)
    }

    /// Whether the line is furniture, a caption, a lede or a title, which it
    /// drops (step 4 of [`classify`]).
    fn drop_material(&mut self, line: usize, s: &str, out: &mut Parsed) -> bool {
        let layout = self.layout;
        let material = [
            (&layout.furniture, RepairAction::DropFurniture),
            (&layout.caption, RepairAction::DropCaption),
            (&layout.lede, RepairAction::DropLede),
            (&layout.title, RepairAction::DropTitle),
        ]
        .into_iter()
        .find(|(patterns, _)| patterns.iter().any(|p| p.is_match(s)));
        let Some((_, action)) = material else {
            return false;
        };
        read_date_clues(s, line, out);
        out.repairs.push(dropped(line, action, s));
        self.gap(Chunk::new(ChunkKind::Gap, line, ""));
        true
    }

    /// Places the line (step 6 of [`classify`]): the chunks of a turn, the
    /// text of the turn that awaits one, or a text paragraph.
    fn place(&mut self, line: usize, s: String, block_end: bool) {
        let layout = self.layout;
        match turn(layout, line, &s) {
            Some(mut turn) => {
                let mut u = turn.pop().expect("a turn has a chunk");
                self.chunks.extend(turn);
                u.block_end = block_end;
                self.absorb = u.text.is_empty();
                self.chunks.push(u);
            }
            None if self.absorb => {
                let last = self
                    .chunks
                    .last_mut()
                    .expect("absorb is set only after a chunk");
                last.text = s;
                last.block_end |= block_end;
                self.absorb = false;
            }
            None => {
                let mut u = Chunk::new(ChunkKind::Body, line, &s);
                u.block_end = block_end;
                u.labelled = layout
                    .label
                    .captures(&s)
                    .map(|caps| (who_of(&caps), rest_of(&caps)));
                self.chunks.push(u);
            }
        }
    }
}

/// The repair of a line dropped whole.
fn dropped(line: usize, action: RepairAction, s: &str) -> Repair {
    Repair {
        line,
        action,
        detail: s.to_string(),
        dropped: cjk_chars(s),
    }
}

/// The line without the furniture at its end (step 5 of [`classify`]), and
/// whether there was some: a box or column closes there.
fn strip_furniture_suffix(
    line: usize,
    mut s: String,
    layout: &Layout,
    out: &mut Parsed,
) -> (String, bool) {
    let Some(m) = layout.furniture_suffix.iter().find_map(|p| p.find(&s)) else {
        return (s, false);
    };
    let cut = m.as_str().trim().to_string();
    read_date_clues(&cut, line, out);
    s.truncate(m.start());
    out.repairs.push(Repair {
        line,
        action: RepairAction::StripFurniture,
        dropped: cjk_chars(&cut),
        detail: cut,
    });
    (s.trim_end().to_string(), true)
}

/// Makes the chunks of a turn of a line (the last is the line's own chunk),
/// or `None` where the layout key it stands for does not match.
type TurnMatcher = fn(&Layout, usize, &str) -> Option<Vec<Chunk>>;

/// The layout keys that make a line a turn, in the order they are tried:
/// the first that matches decides what the line is. So a ■ heading is never
/// a turn; a reporter's label wins over a question opener, which (a
/// question and its answer on one line) wins over a speaker's label; a
/// spokesperson's label (`answer`) wins over reported speech of them
/// (`answer_openers`), which wins over `答：` (`reply`), an announcement
/// (`statement`), the looser `reported` cues and, last, another speaker's
/// label (`other_speaker`, a host).
const TURN_KEYS: [(&str, TurnMatcher); 9] = [
    ("sidebar_mark", sidebar_heading),
    ("reporter", reporter_question),
    ("question_openers", opened_question),
    ("answer", labelled_answer),
    ("answer_openers", opened_answer),
    ("reply", reply),
    ("statement", statement),
    ("reported", reported_speech),
    ("other_speaker", other_speaker),
];

/// The chunks of the turn the line is, by the first of [`TURN_KEYS`] that
/// matches; `None` where none does.
fn turn(layout: &Layout, line: usize, s: &str) -> Option<Vec<Chunk>> {
    TURN_KEYS
        .iter()
        .find_map(|(_, matcher)| matcher(layout, line, s))
}

/// `■ heading`: an excerpt's heading; its text is the next line.
fn sidebar_heading(layout: &Layout, line: usize, s: &str) -> Option<Vec<Chunk>> {
    let heading = s.strip_prefix(layout.sidebar_mark.as_str())?;
    let mut u = Chunk::new(ChunkKind::Excerpt, line, "");
    u.heading = heading.trim().to_string();
    Some(vec![u])
}

/// `路透社记者：…`: a question, with the reporter's outlet.
fn reporter_question(layout: &Layout, line: usize, s: &str) -> Option<Vec<Chunk>> {
    let caps = layout.reporter.captures(s)?;
    let mut u = Chunk::new(ChunkKind::Question, line, &rest_of(&caps));
    u.outlet = caps
        .name("outlet")
        .map_or("", |m| m.as_str())
        .trim()
        .to_string();
    Some(vec![u])
}

/// `有记者提问，…`: a question, and where the line goes on to its answer
/// ("会后，有记者问及…。汪文斌表示，…") the answer as reported speech.
fn opened_question(layout: &Layout, line: usize, s: &str) -> Option<Vec<Chunk>> {
    let caps = first_match(&layout.question_openers, s)?;
    let question = Chunk::new(ChunkKind::Question, line, &rest_of(&caps));
    let Some(answer) = caps.name("answer") else {
        return Some(vec![question]);
    };
    let mut u = Chunk::new(ChunkKind::Answer, line, answer.as_str().trim());
    u.who = who_of(&caps);
    u.speech = true;
    Some(vec![question, u])
}

/// `汪文斌：…`: an answer under its speaker's label.
fn labelled_answer(layout: &Layout, line: usize, s: &str) -> Option<Vec<Chunk>> {
    let caps = layout.answer.captures(s)?;
    let mut u = Chunk::new(ChunkKind::Answer, line, &rest_of(&caps));
    u.who = who_of(&caps);
    Some(vec![u])
}

/// `王毅表示，…`: an answer in reported speech.
fn opened_answer(layout: &Layout, line: usize, s: &str) -> Option<Vec<Chunk>> {
    let caps = first_match(&layout.answer_openers, s)?;
    let mut u = Chunk::new(ChunkKind::Answer, line, &rest_of(&caps));
    u.who = who_of(&caps);
    u.speech = true;
    Some(vec![u])
}

/// `答：…`: an answer that always opens a record of its own.
fn reply(layout: &Layout, line: usize, s: &str) -> Option<Vec<Chunk>> {
    let caps = layout.reply.captures(s)?;
    let mut u = Chunk::new(ChunkKind::Answer, line, &rest_of(&caps));
    u.opens = true;
    Some(vec![u])
}

/// `发言人…宣布：…`: a spokesperson's announcement.
fn statement(layout: &Layout, line: usize, s: &str) -> Option<Vec<Chunk>> {
    let caps = first_match(&layout.statement, s)?;
    let mut u = Chunk::new(ChunkKind::Statement, line, &rest_of(&caps));
    u.who = who_of(&caps);
    Some(vec![u])
}

/// `谈到…，他表示，…`: an answer by the looser cues of reported speech,
/// with its lead and the whole line kept.
fn reported_speech(layout: &Layout, line: usize, s: &str) -> Option<Vec<Chunk>> {
    let caps = first_match(&layout.reported, s)?;
    let mut u = Chunk::new(ChunkKind::Answer, line, &rest_of(&caps));
    u.who = who_of(&caps);
    u.heading = caps.name("lead").map_or("", |m| m.as_str()).to_string();
    u.speech = true;
    u.reported_only = true;
    u.raw = s.to_string();
    Some(vec![u])
}

/// `主持人：`: another speaker's turn, whose text is not an answer.
fn other_speaker(layout: &Layout, line: usize, s: &str) -> Option<Vec<Chunk>> {
    layout
        .other_speaker
        .is_match(s)
        .then(|| vec![Chunk::new(ChunkKind::Other, line, "")])
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

fn headline_like(u: &Chunk, layout: &Layout) -> bool {
    u.kind == ChunkKind::Body
        && u.text.chars().count() <= layout.headline_max_chars
        && !layout.sentences.ends_sentence(&u.text)
        && !layout.sentences.has_end(&u.text)
}

/// The next chunk after `i` that is not dropped material.
pub(super) fn next_kept(chunks: &[Chunk], i: usize) -> Option<usize> {
    (i + 1..chunks.len()).find(|&j| chunks[j].kind != ChunkKind::Gap)
}

fn prev_kept(chunks: &[Chunk], i: usize) -> Option<usize> {
    (0..i).rev().find(|&j| chunks[j].kind != ChunkKind::Gap)
}

/// Short unpunctuated lines are headlines where the layout puts headlines over
/// questions, sidebar titles where they stand over a sidebar, and otherwise text.
pub(super) fn mark_headlines(chunks: &mut [Chunk], layout: &Layout, out: &mut Parsed) {
    let questions: Vec<usize> = (0..chunks.len())
        .filter(|&i| chunks[i].kind == ChunkKind::Question)
        .collect();
    let with_headline = questions
        .iter()
        .filter(|&&q| prev_kept(chunks, q).is_some_and(|p| headline_like(&chunks[p], layout)))
        .count();
    // A layout with headlines has them over most questions; a cut paragraph that
    // happens to stand before a question must not become one.
    let headline_layout = questions.len() >= 2 && with_headline * 2 >= questions.len();
    for i in 0..chunks.len() {
        if !headline_like(&chunks[i], layout) {
            continue;
        }
        // Several headline lines may stand over one item.
        let mut j = next_kept(chunks, i);
        while let Some(k) = j.filter(|&k| headline_like(&chunks[k], layout)) {
            j = next_kept(chunks, k);
        }
        match j.map(|k| chunks[k].kind) {
            Some(ChunkKind::Excerpt) => {
                out.repairs.push(Repair {
                    line: chunks[i].line,
                    action: RepairAction::DropSidebarTitle,
                    detail: chunks[i].text.clone(),
                    dropped: cjk_chars(&chunks[i].text),
                });
                chunks[i].kind = ChunkKind::Gap;
            }
            Some(ChunkKind::Question) | Some(ChunkKind::Answer) if headline_layout => {
                chunks[i].kind = ChunkKind::Headline;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::TURN_KEYS;
    use crate::config::layout::DEFAULT_LAYOUT;

    /// The order of turns names keys of layout.toml, as its documentation says.
    #[test]
    fn turn_keys_are_layout_keys() {
        for (key, _) in TURN_KEYS {
            assert!(
                DEFAULT_LAYOUT
                    .lines()
                    .any(|l| l.split('=').next().is_some_and(|k| k.trim() == key)),
                "{key}"
            );
        }
    }
}
