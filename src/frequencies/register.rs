//! The register lexicons' hits in an answer's text, in context.

use aho_corasick::AhoCorasick;

use crate::categories::Stance;
use crate::config::words::{ContextRule, GeneralContext, Lexicon, Negation};

crate::columns! {
    /// The columns of `register_hits.csv`.
    pub const REGISTER_HITS: &Schema;
    /// register_hits.csv's columns as the hits are gathered.
    pub(super) struct HitColumns {
        year: Option<i32>,
        period: Option<String>,
        id: String,
        lexicon: &'static str,
        term: String,
        counted_as: &'static str,
        left: String,
        right: String,
        rule: String,
    }
}

/// One hit of a register lexicon's term in an answer's text (byte offsets).
pub(super) struct Hit<'a> {
    pub(super) lexicon: Stance,
    pub(super) term: &'a str,
    pub(super) start: usize,
    pub(super) end: usize,
    /// The stance the hit counts for; None where a context rule says it is
    /// no register formula.
    pub(super) counted_as: Option<Stance>,
    /// The reason of the rule that decided, if one did.
    pub(super) rule: &'a str,
}

/// Whether byte `start` of `text` lies inside one of the quotation pairs.
fn quoted(text: &str, start: usize, pairs: &[String]) -> bool {
    let before = &text[..start];
    pairs.iter().any(|p| {
        let mut cs = p.chars();
        let (Some(open), Some(close)) = (cs.next(), cs.next()) else {
            return false;
        };
        match (before.rfind(open), before.rfind(close)) {
            (Some(o), Some(c)) => o > c,
            (Some(_), None) => true,
            _ => false,
        }
    })
}

/// Whether one of the negators stands in the `window` characters before
/// byte `start` of `text`.
fn negated(text: &str, start: usize, n: &Negation) -> bool {
    let from = text[..start]
        .char_indices()
        .rev()
        .take(n.window)
        .last()
        .map_or(start, |(i, _)| i);
    let window = &text[from..start];
    n.before.iter().any(|b| window.contains(b.as_str()))
}

/// The register hits of a text, with `data/lexicons/contexts.toml` applied:
/// a term's own rule first, then quotation (either stance), then negation
/// (hard-line terms).
pub(super) fn register_hits<'a>(
    text: &str,
    lexicons: &'a [Lexicon],
    matchers: &[AhoCorasick],
    rules: &'a [ContextRule],
    general: &'a GeneralContext,
) -> Vec<Hit<'a>> {
    let mut hits = Vec::new();
    for (lexicon, m) in lexicons.iter().zip(matchers) {
        for found in m.find_iter(text) {
            let term = lexicon.terms[found.pattern().as_usize()].as_str();
            let (start, end) = (found.start(), found.end());
            let rule = rules
                .iter()
                .find(|r| r.stance == lexicon.stance && r.term == term);
            let within = |r: &ContextRule| {
                r.within.iter().any(|w| {
                    let at = w.find(term).unwrap_or(0);
                    start >= at
                        && text
                            .get(start - at..)
                            .is_some_and(|t| t.starts_with(w.as_str()))
                })
            };
            let (counted_as, why) = match rule {
                Some(r)
                    if r.unless_followed_by
                        .iter()
                        .any(|f| text[end..].starts_with(f.as_str())) =>
                {
                    (None, r.reason.as_str())
                }
                Some(r) if within(r) => (r.becomes, r.reason.as_str()),
                _ if quoted(text, start, &general.quotes.pairs) => {
                    (None, general.quotes.reason.as_str())
                }
                _ if lexicon.stance == Stance::Hardline
                    && negated(text, start, &general.negation) =>
                {
                    (None, general.negation.reason.as_str())
                }
                _ => (Some(lexicon.stance), ""),
            };
            hits.push(Hit {
                lexicon: lexicon.stance,
                term,
                start,
                end,
                counted_as,
                rule: why,
            });
        }
    }
    hits
}

/// The characters of `text` before byte `start` and after byte `end`, at
/// most `window` on each side.
pub(super) fn context(text: &str, start: usize, end: usize, window: usize) -> (String, String) {
    let left: Vec<char> = text[..start].chars().rev().take(window).collect();
    (
        left.into_iter().rev().collect(),
        text[end..].chars().take(window).collect(),
    )
}

/// One register hit as register_hits.csv has it.
pub(super) struct HitRow {
    pub(super) lexicon: &'static str,
    pub(super) term: String,
    pub(super) counted_as: &'static str,
    pub(super) left: String,
    pub(super) right: String,
    pub(super) rule: String,
}
