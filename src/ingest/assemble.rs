//! Units in reading order become records: a question opens a record, the
//! answer and the text after it fill it.

use super::classify::{Unit, UnitKind};
use super::parsed::{cjk_chars, Briefing, Parsed, Record, Repair, Warning};
use crate::vocab::{RecordKind, RepairAction};

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

/// The records of the units taken in `order`, continuations `glued` to the
/// text before them; a record belongs to the scope of the unit that opens it.
pub(super) fn assemble(
    units: &[Unit],
    scopes: &[usize],
    order: &[usize],
    glued: &[bool],
    out: &mut Parsed,
) -> Vec<Record> {
    let mut records: Vec<Record> = Vec::new();
    let mut main: Option<usize> = None;
    let mut target = Target::None;
    let mut headlines: Vec<String> = Vec::new();
    let has_questions = units.iter().any(|u| u.kind == UnitKind::Question);
    // A briefing (a header, or 答 turns): the spokesperson's text that
    // answers no question is a statement, their own words, never dropped.
    let briefing_file = units.iter().any(|u| u.briefing.is_some() || u.opens);
    // The briefing the records belong to, from the last briefing header.
    let mut briefing: Option<Briefing> = None;
    // Answers (答) with no question before them: (count, line of the first).
    let mut unasked = (0, 0);
    let new_record =
        |kind: RecordKind, u: &Unit, headlines: &mut Vec<String>, b: &Option<Briefing>, scope| {
            Record {
                kind,
                speaker: u.who.clone(),
                line: u.line,
                scope,
                outlet: u.outlet.clone(),
                headline: std::mem::take(headlines).join(" / "),
                question: String::new(),
                answer: String::new(),
                truncated: false,
                briefing: b.clone(),
            }
        };
    let mut scope = 0;
    for &i in order {
        let u = &units[i];
        if scopes[i] != scope {
            // A new briefing: nothing continues across it, and without a
            // header of its own it has no date of the one before.
            scope = scopes[i];
            main = None;
            target = Target::None;
            briefing = None;
        }
        // In a briefing, the spokesperson's text that answers no question is a
        // statement, as an announcement is: their own words, never dropped.
        let kind = match u.kind {
            UnitKind::Body if target == Target::None && briefing_file => UnitKind::Statement,
            k => k,
        };
        match kind {
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
                let mut r = new_record(RecordKind::Answer, u, &mut headlines, &briefing, scopes[i]);
                r.question = u.text.clone();
                records.push(r);
                main = Some(records.len() - 1);
                target = Target::Question(records.len() - 1);
            }
            UnitKind::Answer if u.speech && !has_questions => {
                let mut r =
                    new_record(RecordKind::Summary, u, &mut headlines, &briefing, scopes[i]);
                if !u.heading.is_empty() {
                    // The editor's lead-in names the paragraph's subject.
                    r.headline = u.heading.clone();
                }
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
                        let mut r =
                            new_record(RecordKind::Answer, u, &mut headlines, &briefing, scopes[i]);
                        r.answer = u.text.clone();
                        records.push(r);
                        records.len() - 1
                    }
                };
                main = Some(m);
                target = Target::Answer(m);
            }
            UnitKind::Statement => {
                let mut r = new_record(
                    RecordKind::Statement,
                    u,
                    &mut headlines,
                    &briefing,
                    scopes[i],
                );
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
                    if records[m].speaker.is_empty() {
                        records[m].speaker = u.who.clone();
                    }
                    target = Target::Answer(m);
                } else {
                    let any_question = records.iter().any(|r| !r.question.is_empty());
                    let kind = if briefing_file {
                        RecordKind::Statement
                    } else if any_question {
                        RecordKind::Closing
                    } else {
                        RecordKind::Opening
                    };
                    let mut r = new_record(kind, u, &mut headlines, &briefing, scopes[i]);
                    r.answer = u.text.clone();
                    records.push(r);
                    main = Some(records.len() - 1);
                    target = Target::Answer(records.len() - 1);
                }
            }
            UnitKind::Excerpt => {
                let mut r = new_record(
                    RecordKind::Excerpt,
                    u,
                    &mut Vec::new(),
                    &briefing,
                    scopes[i],
                );
                r.headline = u.heading.clone();
                r.answer = u.text.clone();
                records.push(r);
                target = Target::Excerpt(records.len() - 1);
            }
            UnitKind::Other => target = Target::None,
            UnitKind::Body => match target {
                // "华春莹：…" under a question awaiting its answer: the answer,
                // in that name's words, whether or not a header names them.
                Target::Question(m) if records[m].answer.is_empty() && u.labelled.is_some() => {
                    let (who, text) = u.labelled.clone().unwrap_or_default();
                    records[m].answer = text;
                    records[m].speaker = who;
                    target = Target::Answer(m);
                }
                Target::Question(m) => push_text(&mut records[m].question, &u.text, glued[i]),
                Target::Answer(m) | Target::Excerpt(m) => {
                    push_text(&mut records[m].answer, &u.text, glued[i])
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
