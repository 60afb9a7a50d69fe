//! Chunks in reading order become records: a question opens a record, the
//! answer and the text after it fill it.

use super::classify::{Chunk, ChunkKind};
use super::parsed::{cjk_chars, Briefing, Parsed, Record, Repair, Warning};
use crate::categories::{RecordKind, RepairAction};

#[derive(Clone, Copy, PartialEq)]
enum Target {
    None,
    Question(usize),
    Answer(usize),
    Excerpt(usize),
}

/// Adds a paragraph (or, glued, the rest of a cut one) to a record's text;
/// a speaker turn with no text (a label the file ends on) adds nothing.
fn push_text(field: &mut String, text: &str, glue: bool) {
    if text.is_empty() {
        return;
    }
    if !glue && !field.is_empty() {
        field.push('\n');
    }
    field.push_str(text);
}

/// The records of the chunks taken in `order`, continuations `glued` to the
/// text before them; a record belongs to the scope of the chunk that opens it.
pub(super) fn assemble(
    chunks: &[Chunk],
    scopes: &[usize],
    order: &[usize],
    glued: &[bool],
    out: &mut Parsed,
) -> Vec<Record> {
    let mut a = Assembly {
        records: Vec::new(),
        main: None,
        target: Target::None,
        headlines: Vec::new(),
        has_questions: chunks.iter().any(|u| u.kind == ChunkKind::Question),
        briefing_file: chunks.iter().any(|u| u.briefing.is_some() || u.opens),
        briefing: None,
        unasked: (0, 0),
    };
    let mut scope = 0;
    for &i in order {
        if scopes[i] != scope {
            // A new briefing: nothing continues across it, and without a
            // header of its own it has no date of the one before.
            scope = scopes[i];
            a.main = None;
            a.target = Target::None;
            a.briefing = None;
        }
        a.take(&chunks[i], scopes[i], glued[i], out);
    }
    a.finish(out)
}

/// The records as the chunks are taken, and where the next text goes.
struct Assembly {
    records: Vec<Record>,
    /// The record of the last question or answer turn.
    main: Option<usize>,
    /// The record (and its field) a text paragraph goes to.
    target: Target,
    /// Headlines waiting for the next record.
    headlines: Vec<String>,
    has_questions: bool,
    /// A briefing (a header, or 答 turns): the spokesperson's text that
    /// answers no question is a statement, their own words, never dropped.
    briefing_file: bool,
    /// The briefing the records belong to, from the last briefing header.
    briefing: Option<Briefing>,
    /// Answers (答) with no question before them: (count, line of the first).
    unasked: (usize, usize),
}

impl Assembly {
    /// Takes one chunk, of the given scope, `glue`d to the text before it or not.
    fn take(&mut self, u: &Chunk, scope: usize, glue: bool, out: &mut Parsed) {
        // In a briefing, the spokesperson's text that answers no question is a
        // statement, as an announcement is: their own words, never dropped.
        let kind = match u.kind {
            ChunkKind::Body if self.target == Target::None && self.briefing_file => {
                ChunkKind::Statement
            }
            k => k,
        };
        match kind {
            ChunkKind::Gap => self.gap(u),
            ChunkKind::Headline => {
                self.headlines.push(u.text.clone());
                self.target = Target::None;
            }
            ChunkKind::Question => {
                let mut r = self.record(RecordKind::Answer, u, scope);
                r.question = u.text.clone();
                self.records.push(r);
                self.main = Some(self.records.len() - 1);
                self.target = Target::Question(self.records.len() - 1);
            }
            ChunkKind::Answer if u.speech && !self.has_questions => {
                let mut r = self.record(RecordKind::Summary, u, scope);
                if !u.heading.is_empty() {
                    // The editor's lead-in names the paragraph's subject.
                    r.headline = u.heading.clone();
                }
                self.answered(r, u);
            }
            ChunkKind::Answer if u.opens => {
                out.replies += 1;
                self.reply(u, scope);
            }
            ChunkKind::Statement => {
                let r = self.record(RecordKind::Statement, u, scope);
                self.answered(r, u);
            }
            ChunkKind::Answer => self.answer(u, scope),
            ChunkKind::Excerpt => {
                let mut r = self.new_record(RecordKind::Excerpt, u, String::new(), scope);
                r.headline = u.heading.clone();
                r.answer = u.text.clone();
                self.records.push(r);
                self.target = Target::Excerpt(self.records.len() - 1);
            }
            ChunkKind::Other => self.target = Target::None,
            ChunkKind::Body => self.body(u, glue, out),
        }
    }

    /// A record of `kind` opened by `u`, under the headlines waiting (which
    /// it takes).
    fn record(&mut self, kind: RecordKind, u: &Chunk, scope: usize) -> Record {
        let headline = std::mem::take(&mut self.headlines).join(" / ");
        self.new_record(kind, u, headline, scope)
    }

    fn new_record(&self, kind: RecordKind, u: &Chunk, headline: String, scope: usize) -> Record {
        Record {
            kind,
            speaker: u.who.clone(),
            line: u.line,
            scope,
            outlet: u.outlet.clone(),
            headline,
            question: String::new(),
            answer: String::new(),
            truncated: false,
            briefing: self.briefing.clone(),
        }
    }

    /// Adds record `r` with `u`'s text as its answer; the text after it
    /// continues that answer.
    fn answered(&mut self, mut r: Record, u: &Chunk) {
        r.answer = u.text.clone();
        self.records.push(r);
        self.main = Some(self.records.len() - 1);
        self.target = Target::Answer(self.records.len() - 1);
    }

    /// Dropped material: a briefing header starts the records of its
    /// briefing; other material ends an excerpt.
    fn gap(&mut self, u: &Chunk) {
        if let Some(b) = &u.briefing {
            self.briefing = Some(b.clone());
            self.main = None;
            self.target = Target::None;
        } else if matches!(self.target, Target::Excerpt(_)) {
            self.target = Target::None;
        }
    }

    /// The question record awaiting its answer, where no headline stands
    /// between.
    fn awaiting(&self) -> Option<usize> {
        self.main.filter(|&m| {
            self.records[m].kind == RecordKind::Answer
                && self.records[m].answer.is_empty()
                && self.headlines.is_empty()
        })
    }

    /// `答：…`: the answer of the question awaiting one, or a record of its
    /// own with no question (counted for the warning).
    fn reply(&mut self, u: &Chunk, scope: usize) {
        let m = match self.awaiting() {
            Some(m) => {
                push_text(&mut self.records[m].answer, &u.text, false);
                m
            }
            None => {
                if self.unasked.0 == 0 {
                    self.unasked.1 = u.line;
                }
                self.unasked.0 += 1;
                let mut r = self.record(RecordKind::Answer, u, scope);
                r.answer = u.text.clone();
                self.records.push(r);
                self.records.len() - 1
            }
        };
        self.main = Some(m);
        self.target = Target::Answer(m);
    }

    /// A speaker's turn: the answer of the question awaiting one, more of
    /// the answer before it, or a record of its own (a statement in a
    /// briefing, else a closing or opening remark).
    fn answer(&mut self, u: &Chunk, scope: usize) {
        // Live text spreads one answer over many consecutive turns.
        let continuing = self
            .main
            .filter(|&m| self.target == Target::Answer(m) && self.headlines.is_empty());
        if let Some(m) = self.awaiting().or(continuing) {
            push_text(&mut self.records[m].answer, &u.text, false);
            if self.records[m].speaker.is_empty() {
                self.records[m].speaker = u.who.clone();
            }
            self.target = Target::Answer(m);
        } else {
            let any_question = self.records.iter().any(|r| !r.question.is_empty());
            let kind = if self.briefing_file {
                RecordKind::Statement
            } else if any_question {
                RecordKind::Closing
            } else {
                RecordKind::Opening
            };
            let r = self.record(kind, u, scope);
            self.answered(r, u);
        }
    }

    /// A text paragraph: the answer under a name label where a question
    /// awaits one, else more of the target's text; with no target, dropped.
    fn body(&mut self, u: &Chunk, glue: bool, out: &mut Parsed) {
        match self.target {
            // "华春莹：…" under a question awaiting its answer: the answer,
            // in that name's words, whether or not a header names them.
            Target::Question(m) if self.records[m].answer.is_empty() && u.labelled.is_some() => {
                let (who, text) = u.labelled.clone().unwrap_or_default();
                self.records[m].answer = text;
                self.records[m].speaker = who;
                self.target = Target::Answer(m);
            }
            Target::Question(m) => push_text(&mut self.records[m].question, &u.text, glue),
            Target::Answer(m) | Target::Excerpt(m) => {
                push_text(&mut self.records[m].answer, &u.text, glue)
            }
            Target::None => {
                out.repairs.push(Repair {
                    line: u.line,
                    action: RepairAction::DropUnattached,
                    detail: u.text.clone(),
                    dropped: cjk_chars(&u.text),
                });
                out.warnings.push(Warning {
                    line: u.line,
                    message: "text outside any question or answer was dropped".into(),
                });
            }
        }
    }

    /// The records, with the warning of answers without questions, and a
    /// closing remark before the last question made an answer.
    fn finish(self, out: &mut Parsed) -> Vec<Record> {
        let mut records = self.records;
        if self.unasked.0 > 0 {
            out.warnings.push(Warning {
                line: self.unasked.1,
                message: format!(
                    "{} answer(s) (答) have no question (问) in the text: their question is left empty",
                    self.unasked.0
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
}
