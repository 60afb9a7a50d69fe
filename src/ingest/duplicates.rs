//! Passages printed twice: a copy of an earlier answer's text inside a later
//! answer of the same conference or briefing is a layout fault, removed from
//! the later answer; the same passage said again in a later briefing of the
//! same file is the spokesperson's own repetition, kept and counted.
//!
//! A copy is found from its clauses: a clause of at least [`MIN_CLAUSE`]
//! characters that an earlier answer also holds anchors it; from the anchor
//! the copy is followed forward character by character through the earlier
//! text, and backward by whole clauses (so a short clause such as `同时，` at
//! its start goes with it), then cut back to the last whole clause it covers.
//! A copy therefore starts and ends where clauses do, and holds only text the
//! earlier answer holds too: it is never widened to take text that was
//! printed once. The copies of an answer are sorted and merged as [`Span`]s
//! before anything is removed, and the answer is rebuilt by copying the text
//! between them forward (as ripgrep's `Matcher::replace` copies the gaps), so
//! no removal can shift the offsets of another.
//!
//! Clauses of earlier answers are looked up in a table of exact clause text,
//! so the search is linear in the text, not in the number of answer pairs.

use std::collections::HashMap;

use super::parsed::{
    cjk_chars, snippet_end, snippet_start, tidy_paragraphs, Parsed, Record, Repair,
};
use crate::categories::RepairAction;
use crate::config::Layout;
use crate::text::Sentences;

/// The shortest clause that anchors a copy: set phrases of four characters
/// recur in every answer, a clause of six rarely does by chance.
const MIN_CLAUSE: usize = 6;

/// A byte range of a text, `start <= end`, both on character boundaries: the
/// invariant of ripgrep's `Match`, checked where a span is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Span {
    start: usize,
    end: usize,
}

impl Span {
    /// The span `start..end` of `text`, if it is one.
    pub(super) fn new(text: &str, start: usize, end: usize) -> Option<Span> {
        (start <= end && text.is_char_boundary(start) && text.is_char_boundary(end))
            .then_some(Span { start, end })
    }
}

/// Spans sorted by start, overlapping or touching ones merged into one.
pub(super) fn merged(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort();
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans {
        match out.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}

/// The text without the (merged) spans: the gaps between them copied forward.
pub(super) fn without(text: &str, spans: &[Span]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for s in spans {
        out.push_str(&text[at..s.start]);
        at = s.end;
    }
    out.push_str(&text[at..]);
    out
}

/// The words of a clause without its end: the key a clause is looked up by.
fn core<'t>(text: &'t str, (s, e): (usize, usize), sentences: &Sentences) -> &'t str {
    text[s..e].trim_end_matches(|c| sentences.is_clause_end(c) || sentences.is_closer(c))
}

/// Bytes that `a` and `b` share at their starts, on a character boundary.
fn common_prefix(a: &str, b: &str) -> usize {
    a.char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map_or(a.len().min(b.len()), |((i, _), _)| i)
}

/// Where a copy anchored at clause `k` of `text`, found at byte `off` of
/// `source`, lies in `text`: whole clauses only.
fn copy_at(
    text: &str,
    cl: &[(usize, usize)],
    k: usize,
    source: &str,
    off: usize,
    sentences: &Sentences,
) -> Option<Span> {
    let anchor = cl[k].0;
    let reach = anchor + common_prefix(&text[anchor..], &source[off..]);
    // Forward: up to the last clause whose words lie within the shared text
    // (its end may differ: a copy's last clause ends in 。 where the source
    // goes on with ，) and end where a clause of the source ends too: a
    // clause `也就是说，` after the copy shares its words with `也就是说中国…`
    // of the source, but was printed once.
    let words = |m: usize| core(text, cl[m], sentences).len();
    let ends_in_source = |m: usize| {
        source[off + cl[m].0 + words(m) - anchor..]
            .chars()
            .next()
            .is_none_or(|c| sentences.is_clause_end(c) || sentences.is_closer(c))
    };
    let last = (k..cl.len())
        .take_while(|&m| cl[m].0 + words(m) <= reach)
        .filter(|&m| words(m) > 0 && ends_in_source(m))
        .last()?;
    // Backward: whole clauses while the source has the same text before. A
    // line break alone is no clause of the copy: paragraphs stay apart.
    let (mut first, mut src_at) = (k, off);
    while first > 0 {
        let (s, e) = cl[first - 1];
        let len = e - s;
        let same = words(first - 1) > 0
            && src_at >= len
            && source.is_char_boundary(src_at - len)
            && source[src_at - len..src_at] == text[s..e];
        if !same {
            break;
        }
        first -= 1;
        src_at -= len;
    }
    Span::new(text, cl[first].0, cl[last].1)
}

/// Where a copy starts or ends inside a sentence, the words of that sentence
/// outside it: they were printed once and stay, which the repair says.
fn sentence_rest(text: &str, span: Span, sentences: &Sentences) -> String {
    let ends = |c: char| c == '\n' || sentences.is_end(c);
    let before = text[..span.start].rfind(ends).map_or(0, |p| {
        p + text[p..].chars().next().map_or(1, char::len_utf8)
    });
    let removed = &text[span.start..span.end];
    let after = if sentences.ends_sentence(removed) || removed.ends_with('\n') {
        span.end
    } else {
        text[span.end..]
            .find(ends)
            .map_or(text.len(), |p| span.end + p)
    };
    let kept: Vec<&str> = [&text[before..span.start], &text[span.end..after]]
        .into_iter()
        .filter(|t| !t.trim().is_empty())
        .collect();
    match kept.as_slice() {
        [] => String::new(),
        parts => format!(
            "; the rest of its sentence was printed once and stays: '{}'",
            parts.join("…")
        ),
    }
}

/// Removes passages of an answer that are printed again from an earlier
/// answer of the same scope (conference or briefing; see the module
/// documentation), and counts in `out.repeats_kept` those that a later scope
/// says again. Repeated set phrases are far shorter than
/// `duplicate_min_chars`, and clause-length formulas never anchor alone.
pub(super) fn remove_duplicates(records: &mut [Record], layout: &Layout, out: &mut Parsed) {
    let sentences = &layout.sentences;
    let originals: Vec<String> = records.iter().map(|r| r.answer.clone()).collect();
    // Clause text -> (record, byte offset) of every earlier answer holding it.
    let mut index: HashMap<&str, Vec<(usize, usize)>> = HashMap::new();
    for (r, text) in originals.iter().enumerate() {
        let cl = sentences.clauses(text);
        let mut copies: Vec<(Span, usize)> = Vec::new();
        let mut k = 0;
        while k < cl.len() {
            let key = core(text, cl[k], sentences);
            let found = (key.chars().count() >= MIN_CLAUSE)
                .then(|| index.get(key))
                .flatten();
            let scope = records[r].scope;
            let best = found.into_iter().flatten().filter_map(|&(j, off)| {
                let span = copy_at(text, &cl, k, &originals[j], off, sentences)?;
                let chars = text[span.start..span.end].chars().count();
                (chars >= layout.repair.duplicate_min_chars).then_some((span, j, chars))
            });
            // A source in the same scope first (a printing error, whatever
            // other briefings repeat); then the longest copy, the earliest source.
            let key = |&(_, j, chars): &(Span, usize, usize)| {
                (records[j].scope == scope, chars, std::cmp::Reverse(j))
            };
            match best.max_by_key(key) {
                Some((span, j, _)) => {
                    copies.push((span, j));
                    k = cl.iter().position(|c| c.0 >= span.end).unwrap_or(cl.len());
                }
                None => k += 1,
            }
        }
        for &(s, e) in &cl {
            let key = core(text, (s, e), sentences);
            if key.chars().count() >= MIN_CLAUSE {
                index.entry(key).or_default().push((r, s));
            }
        }
        let scope = records[r].scope;
        let (same, other): (Vec<_>, Vec<_>) = copies
            .into_iter()
            .partition(|&(_, j)| records[j].scope == scope);
        out.repeats_kept += other.len();
        if same.is_empty() {
            continue;
        }
        for &(span, j) in &same {
            let removed = &text[span.start..span.end];
            out.repairs.push(Repair {
                line: records[r].line,
                action: RepairAction::DropDuplicate,
                detail: format!(
                    "removed {} characters printed again from the answer at line {}: '{}…{}'{}",
                    removed.chars().count(),
                    records[j].line,
                    snippet_start(removed),
                    snippet_end(removed),
                    sentence_rest(text, span, sentences)
                ),
                dropped: cjk_chars(removed),
            });
        }
        let spans = merged(same.into_iter().map(|(s, _)| s).collect());
        records[r].answer = tidy_paragraphs(&without(text, &spans));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_merge_and_the_gaps_are_copied_forward() {
        let text = "一二三四五六七八";
        let s = |a: usize, b: usize| Span::new(text, 3 * a, 3 * b).unwrap();
        // Out of order, overlapping, touching: one removal of 二…五 and one of 七.
        let spans = merged(vec![s(6, 7), s(3, 5), s(1, 4), s(5, 5)]);
        assert_eq!(spans, vec![s(1, 5), s(6, 7)]);
        assert_eq!(without(text, &spans), "一六八");
        // Not on a character boundary: no span.
        assert_eq!(Span::new(text, 1, 3), None);
        assert_eq!(Span::new(text, 6, 3), None);
    }

    #[test]
    fn clauses_tile_the_text_with_their_ends_and_closers() {
        let s = Sentences::new("。！？", "”", "，、");
        let text = "他说：“好。”同时，我们\n继续";
        let cl: Vec<&str> = s.clauses(text).iter().map(|&(a, b)| &text[a..b]).collect();
        assert_eq!(cl, ["他说：“好。”", "同时，", "我们\n", "继续"]);
        assert_eq!(core(text, s.clauses(text)[1], &s), "同时");
    }
}
