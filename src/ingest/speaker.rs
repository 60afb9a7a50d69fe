//! Who speaks in a file: corpus.toml's speaker, a briefing's header, the
//! name a press conference gives with a title, the labels its answers stand
//! under, or the default; and where a label disagrees with the header.

use super::layout;
use super::parsed::Parsed;
use super::{recognise_speaker, Transcript};
use crate::categories::RecordKind;
use crate::config::layout::Layout;
use crate::config::Config;

/// Where a file's speaker comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SpeakerFrom {
    /// corpus.toml names the speaker.
    Corpus,
    /// A briefing's header (`…外交部发言人汪文斌主持例行记者会`).
    Title,
    /// A press conference names its speaker with a title (`外交部长秦刚`).
    Text,
    /// corpus.toml's `[defaults] speaker`.
    Default,
    /// A briefing with neither a header nor corpus.toml's word: the names its
    /// answers stand under, or nobody (decided after the parse).
    Labels,
}

/// Whether a text reads as a regular briefing: a briefing's header, an 答
/// turn or a spokesperson's announcement.
pub(super) fn looks_like_briefing(text: &str, layout: &Layout) -> bool {
    text.lines().map(str::trim).any(|l| {
        layout.reply.is_match(l)
            || layout.briefing_header.iter().any(|p| p.is_match(l))
            || layout.statement.iter().any(|p| p.is_match(l))
    })
}

/// A file's speaker before its parse: corpus.toml's, a briefing's header's,
/// the name a press conference gives with a title, or the default; never a
/// name inside a briefing's announcement.
pub(super) fn file_speaker(t: &Transcript, config: &Config) -> (String, SpeakerFrom) {
    let manifest = &config.corpus.manifest;
    let layout = &config.layout;
    if let Some(s) = manifest
        .entries
        .get(&t.meta.file)
        .and_then(|e| e.speaker.as_deref())
    {
        return (s.to_string(), SpeakerFrom::Corpus);
    }
    if looks_like_briefing(&t.text, layout) {
        return match layout.header_names(&t.text).into_iter().next() {
            Some(name) => (name, SpeakerFrom::Title),
            None => (String::new(), SpeakerFrom::Labels),
        };
    }
    match recognise_speaker(&t.text, layout) {
        Some(s) => (s, SpeakerFrom::Text),
        None => (manifest.default_speaker.clone(), SpeakerFrom::Default),
    }
}

/// The speaker of a briefing that names none in a header: the name most of
/// its labelled records stand under; None where no answer has a label.
pub(super) fn label_speaker(parsed: &Parsed) -> Option<String> {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    // Answers only: an announcement names its own spokesperson, and an
    // archive holds several.
    for r in parsed
        .records
        .iter()
        .filter(|r| r.kind == RecordKind::Answer && !r.speaker.is_empty())
    {
        match counts.iter_mut().find(|(n, _)| *n == r.speaker) {
            Some((_, c)) => *c += 1,
            None => counts.push((&r.speaker, 1)),
        }
    }
    let most = counts.iter().map(|(_, c)| *c).max()?;
    counts
        .into_iter()
        .find(|(_, c)| *c == most)
        .map(|(n, _)| n.to_string())
}

/// Where an answer's label names another spokesperson than its briefing's
/// title, the label is taken (it is who answers) and the file says so once.
pub(super) fn label_disagrees(parsed: &Parsed) -> Option<layout::Warning> {
    let r = parsed.records.iter().find(|r| {
        r.briefing.as_ref().is_some_and(|b| {
            !b.speaker.is_empty() && !r.speaker.is_empty() && b.speaker != r.speaker
        })
    })?;
    let title = r.briefing.as_ref().map_or("", |b| b.speaker.as_str());
    let n = parsed
        .records
        .iter()
        .filter(|x| {
            x.briefing.as_ref().is_some_and(|b| b.speaker == title)
                && !x.speaker.is_empty()
                && x.speaker != title
        })
        .count();
    Some(layout::Warning {
        line: r.line,
        message: format!(
            "the briefing's title names {title}, but {n} answer(s) stand under the label {}: their \
             speaker is the label's",
            r.speaker
        ),
    })
}
