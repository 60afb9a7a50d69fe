//! The guard: what holds of every file's records, whatever the input. A
//! question never holds its answer's label (`汪文斌：…`, `答：…`), an answer
//! never opens with a reporter's label (`法新社记者：…`), and no record of
//! kind answer is empty. The assembly keeps these for the layouts it knows;
//! the guard makes them hold on any text (property-tested in `props.rs`),
//! splitting a record where a label stands inside it and logging the split.

use super::parsed::{Parsed, Record, Repair};
use crate::categories::{RecordKind, RepairAction};
use crate::config::Layout;

/// Whether a paragraph opens with an answer's label; the label's rest.
fn answer_label(layout: &Layout, paragraph: &str) -> Option<String> {
    [&layout.answer, &layout.reply]
        .into_iter()
        .find_map(|re| re.captures(paragraph))
        .map(|c| c.name("rest").map_or("", |m| m.as_str()).trim().to_string())
}

/// Makes the guard's rules hold on `records` (see the module documentation).
pub(super) fn guard(records: &mut Vec<Record>, layout: &Layout, out: &mut Parsed) {
    let mut kept: Vec<Record> = Vec::with_capacity(records.len());
    for mut r in records.drain(..) {
        split_question(&mut r, layout, out);
        let later = split_answer(&mut r, layout, out);
        kept.push(r);
        kept.extend(later);
    }
    for r in &mut kept {
        if r.kind == RecordKind::Answer && r.answer.is_empty() {
            r.kind = RecordKind::Unanswered;
        }
    }
    *records = kept;
}

/// A question paragraph that opens with an answer's label starts the answer.
fn split_question(r: &mut Record, layout: &Layout, out: &mut Parsed) {
    let paragraphs: Vec<&str> = r.question.split('\n').collect();
    let Some((at, rest)) = paragraphs
        .iter()
        .enumerate()
        .find_map(|(i, p)| answer_label(layout, p.trim()).map(|rest| (i, rest)))
    else {
        return;
    };
    let answer: Vec<&str> = std::iter::once(rest.as_str())
        .chain(paragraphs[at + 1..].iter().copied())
        .chain((!r.answer.is_empty()).then_some(r.answer.as_str()))
        .filter(|p| !p.is_empty())
        .collect();
    out.repairs.push(Repair {
        line: r.line,
        action: RepairAction::SplitLabel,
        detail: format!("the question held its answer from '{}'", paragraphs[at]),
        dropped: 0,
    });
    r.answer = answer.join("\n");
    r.question = paragraphs[..at].join("\n");
}

/// An answer paragraph that opens with a reporter's label starts a record
/// of its own, the paragraphs after it its answer.
fn split_answer(r: &mut Record, layout: &Layout, out: &mut Parsed) -> Vec<Record> {
    let paragraphs: Vec<String> = r.answer.split('\n').map(str::to_string).collect();
    let starts: Vec<usize> = (0..paragraphs.len())
        .filter(|&i| layout.reporter.is_match(paragraphs[i].trim()))
        .collect();
    let Some(&first) = starts.first() else {
        return Vec::new();
    };
    r.answer = paragraphs[..first].join("\n");
    let mut later = Vec::new();
    for (n, &at) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(paragraphs.len());
        let caps = layout
            .reporter
            .captures(paragraphs[at].trim())
            .expect("the paragraph matched the reporter pattern above");
        let part = |name: &str| {
            caps.name(name)
                .map_or("", |m| m.as_str())
                .trim()
                .to_string()
        };
        out.repairs.push(Repair {
            line: r.line,
            action: RepairAction::SplitLabel,
            detail: format!("an answer held a reporter's turn from '{}'", paragraphs[at]),
            dropped: 0,
        });
        later.push(Record {
            kind: RecordKind::Answer,
            speaker: r.speaker.clone(),
            outlet: part("outlet"),
            headline: String::new(),
            question: part("rest"),
            answer: paragraphs[at + 1..end].join("\n"),
            truncated: false,
            ..r.clone()
        });
    }
    later
}

/// Whether `records` keep the guard's rules: the oracle of the property tests.
#[cfg(test)]
pub(super) fn violations(records: &[Record], layout: &Layout) -> Vec<String> {
    let mut found = Vec::new();
    for (i, r) in records.iter().enumerate() {
        if r.question
            .split('\n')
            .any(|p| answer_label(layout, p.trim()).is_some())
        {
            found.push(format!(
                "record {i}: the question holds an answer label: {:?}",
                r.question
            ));
        }
        if r.answer
            .split('\n')
            .next()
            .is_some_and(|p| layout.reporter.is_match(p.trim()))
        {
            found.push(format!(
                "record {i}: the answer opens with a reporter label: {:?}",
                r.answer
            ));
        }
        if r.kind == RecordKind::Answer && r.answer.is_empty() {
            found.push(format!("record {i}: an empty answer"));
        }
    }
    found
}
