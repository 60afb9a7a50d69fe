//! One transcript parsed with the layout bound to its speaker, checked for
//! how much of it was read, or set aside with the reason.

use super::coverage::{FileFacts, Kept};
use super::facts::{check_dates, infer_genre, undated_briefings};
use super::layout::{self, Parsed};
use super::speaker::{label_disagrees, label_speaker, SpeakerFrom};
use super::{furniture, junction, Transcript};
use crate::categories::{Category, Genre, RecordKind};
use crate::config::layout::Layout;
use crate::config::Config;
use crate::error::Error;

/// One transcript parsed: its records, repairs and warnings, and its facts.
pub(super) struct ParsedFile {
    pub(super) speaker: String,
    pub(super) genre: Genre,
    pub(super) parsed: Parsed,
    pub(super) facts: FileFacts,
}

/// A file set aside: why, and how much of it reached a record where it was parsed.
pub(super) struct Refusal {
    pub(super) error: Error,
    pub(super) kept_share: Option<f64>,
}

/// Parses one transcript with the layout bound to its speaker, and checks
/// that enough of it was read.
pub(super) fn parse_file(
    t: &Transcript,
    (speaker, from): (String, SpeakerFrom),
    layout: &Layout,
    junction: &junction::Junction,
    repeated: &furniture::Repeated,
    config: &Config,
) -> std::result::Result<ParsedFile, Refusal> {
    let manifest = &config.corpus.manifest;
    let entry = manifest.entries.get(&t.meta.file);
    let file_overrides: Vec<_> = config
        .corpus
        .overrides
        .drop
        .iter()
        .filter(|o| o.file == t.meta.file)
        .cloned()
        .collect();
    let mut parsed = layout::parse(&t.text, layout, junction, &file_overrides, repeated);
    check_dates(
        t.meta,
        entry.and_then(|e| e.session.as_deref()),
        &mut parsed,
    );
    // Facts the tool inferred are notes of coverage.csv; what a researcher
    // must check is a warning.
    let mut notes = Vec::new();
    let speaker = bind_speaker(
        speaker,
        from,
        &manifest.default_speaker,
        &mut parsed,
        &mut notes,
    );
    if let Some(w) = label_disagrees(&parsed) {
        parsed.warnings.push(w);
    }
    let genre = match entry.and_then(|e| e.genre) {
        Some(g) => g,
        None => {
            let genre = infer_genre(&parsed);
            notes.push(format!(
                "genre '{}', inferred from the layout",
                genre.as_str()
            ));
            genre
        }
    };
    for note in t
        .notes
        .iter()
        .cloned()
        .chain(undated_briefings(&parsed, t.meta))
    {
        parsed.warnings.push(layout::Warning {
            line: 0,
            message: note,
        });
    }
    let kept = Kept::of(&t.text, &parsed);
    check_read(t, &parsed, &kept, layout)?;
    Ok(ParsedFile {
        speaker,
        genre,
        facts: FileFacts {
            repeats_kept: parsed.repeats_kept as u32,
            genre,
            kept_share: kept.share,
            dropped: kept.breakdown(),
            notes,
        },
        parsed,
    })
}

/// The speaker of the file's answers, and the note saying where it came
/// from: the title, the text (where it is not the manifest's default), or
/// the labels of its answers; where no label names one either, a warning and
/// no speaker.
fn bind_speaker(
    speaker: String,
    from: SpeakerFrom,
    default_speaker: &str,
    parsed: &mut Parsed,
    notes: &mut Vec<String>,
) -> String {
    match from {
        SpeakerFrom::Title => {
            notes.push(format!("speaker {speaker}, from the briefing's title"));
            speaker
        }
        SpeakerFrom::Text if speaker != default_speaker => {
            notes.push(format!("speaker {speaker}, as the text names them"));
            speaker
        }
        SpeakerFrom::Labels => match label_speaker(parsed) {
            Some(name) => {
                notes.push(format!("speaker {name}, from the labels of its answers"));
                name
            }
            None => {
                parsed.warnings.push(layout::Warning {
                    line: 0,
                    message: "no spokesperson is named (no briefing title, no labelled \
                              answers): the speaker of its answers is left empty (name it in \
                              corpus.toml)"
                        .into(),
                });
                String::new()
            }
        },
        _ => speaker,
    }
}

/// Refuses a file with no turns at all, or of which less than the layout's
/// `min_kept_share` reached a record. Questions without their answers are
/// still the shape of a press conference.
fn check_read(
    t: &Transcript,
    parsed: &Parsed,
    kept: &Kept,
    layout: &Layout,
) -> std::result::Result<(), Refusal> {
    let spoken = [
        RecordKind::Answer,
        RecordKind::Unanswered,
        RecordKind::Summary,
        RecordKind::Statement,
    ];
    if !parsed.records.iter().any(|r| spoken.contains(&r.kind)) {
        return Err(Refusal {
            error: t.meta.error(
                None,
                "no question/answer structure found (expected lines such as '路透社记者：…' then '王毅：…', '有记者提问，…' then '王毅说，…', '问：…' then '答：…', or reported speech such as '王毅表示，…')",
            ),
            kept_share: Some(kept.share),
        });
    }
    if kept.share < layout.min_kept_share {
        return Err(Refusal {
            error: t.meta.error(None, kept.refusal()),
            kept_share: Some(kept.share),
        });
    }
    Ok(())
}
