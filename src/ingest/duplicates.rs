//! Passages printed twice: a copy of an earlier answer's text inside a later
//! answer is a layout fault, removed from the later answer.

use super::parsed::{
    cjk_chars, snippet_end, snippet_start, tidy_paragraphs, Parsed, Record, Repair,
};
use crate::config::Layout;
use crate::vocab::RepairAction;

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
pub(super) fn remove_duplicates(records: &mut [Record], layout: &Layout, out: &mut Parsed) {
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
                action: RepairAction::DropDuplicate,
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
