//! What a file says of itself: its date (checked against the file name), its
//! speaker, its genre, and how many briefings it holds undated.

use std::collections::BTreeSet;

use super::layout::{self, DateClue, Parsed};
use crate::categories::{Genre, RecordKind};
use crate::config::corpus::TranscriptFile;
use crate::config::Layout;

/// Compares what the text says of its date with the file name.
pub(super) fn check_dates(t: &TranscriptFile, session: Option<&str>, parsed: &mut Parsed) {
    let mut warn = |line: usize, said: String| {
        parsed.warnings.push(layout::Warning {
            line,
            message: format!(
                "the text dates itself {said}, the file name says {}",
                t.date()
            ),
        })
    };
    for &(line, clue) in &parsed.clues.clone() {
        match clue {
            DateClue::Full { year, month, day }
                if (year, month, day) != (t.year, t.month, t.day) =>
            {
                warn(line, format!("{year:04}-{month:02}-{day:02}"))
            }
            DateClue::MonthDay { month, day } if (month, day) != (t.month, t.day) => {
                warn(line, format!("{month}月{day}日"))
            }
            DateClue::Day { day } if day != t.day => warn(line, format!("the {day}th")),
            DateClue::Session { year } if year != t.year => {
                warn(line, format!("by an NPC session held in {year}"))
            }
            _ => {}
        }
    }
    if let Some(session) = session {
        if let Some(&year) = layout::session_years(session).first() {
            if year != t.year {
                parsed.warnings.push(layout::Warning {
                    line: 0,
                    message: format!(
                        "corpus.toml gives session {session} ({year}), the file name says {}",
                        t.date()
                    ),
                });
            }
        }
    }
}

/// The names a file's answers stand under: its speaker and the
/// spokespersons its briefing headers name.
pub(super) fn answer_names(speaker: &str, text: &str, layout: &Layout) -> Vec<String> {
    let mut names = vec![speaker.to_string()];
    for n in layout.header_names(text) {
        if !names.contains(&n) {
            names.push(n);
        }
    }
    names
}

/// The speaker a text names with a title (`speaker_titles` in layout.toml):
/// the name given most often, the first of equals.
pub(super) fn recognise_speaker(text: &str, layout: &crate::config::Layout) -> Option<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for re in &layout.speaker_titles {
        for caps in re.captures_iter(text) {
            let Some(name) = caps.name("name").map(|m| m.as_str().to_string()) else {
                continue;
            };
            match counts.iter_mut().find(|(n, _)| *n == name) {
                Some((_, c)) => *c += 1,
                None => counts.push((name, 1)),
            }
        }
    }
    let most = counts.iter().map(|(_, c)| *c).max()?;
    counts.into_iter().find(|(_, c)| *c == most).map(|(n, _)| n)
}

/// Says, once per file, that a file of several briefings has briefings
/// without a dated header, whose records take the file name's date.
pub(super) fn undated_briefings(p: &Parsed, t: &TranscriptFile) -> Option<String> {
    let scopes: BTreeSet<usize> = p.records.iter().map(|r| r.scope).collect();
    let undated: BTreeSet<usize> = p
        .records
        .iter()
        .filter(|r| r.briefing.as_ref().and_then(|b| b.date).is_none())
        .map(|r| r.scope)
        .collect();
    (scopes.len() > 1 && !undated.is_empty()).then(|| {
        format!(
            "{} of the {} briefings in this file (told apart by headers, separator lines and \
             announcements) have no dated header: their records are dated by the file name, {} \
             (answers.csv dated_by = file)",
            undated.len(),
            scopes.len(),
            t.date()
        )
    })
}

/// The genre a file's layout shows, where corpus.toml does not say.
pub(super) fn infer_genre(p: &Parsed) -> Genre {
    let has = |k: RecordKind| p.records.iter().any(|r| r.kind == k);
    if p.replies > 0 || has(RecordKind::Statement) || p.records.iter().any(|r| r.briefing.is_some())
    {
        Genre::Briefing
    } else if has(RecordKind::Summary) && !has(RecordKind::Answer) {
        Genre::Summary
    } else if p
        .clues
        .iter()
        .any(|(_, c)| matches!(c, DateClue::Full { .. }))
    {
        Genre::Verbatim
    } else {
        Genre::Print
    }
}
