//! The last passes: manual overrides, paragraphs whose continuation is lost,
//! and questions left without an answer.

use super::parsed::{cjk_chars, tidy_paragraphs, Parsed, Record, Repair, Warning};
use crate::categories::{RecordKind, RepairAction};
use crate::config::corpus::DropOverride;
use crate::config::Layout;

pub(super) fn apply_overrides(
    records: &mut [Record],
    overrides: &[DropOverride],
    out: &mut Parsed,
) {
    for o in overrides {
        let hit = records.iter_mut().find_map(|r| {
            if r.answer.contains(&o.text) {
                Some((r.line, &mut r.answer))
            } else if r.question.contains(&o.text) {
                Some((r.line, &mut r.question))
            } else {
                None
            }
        });
        match hit {
            Some((line, field)) => {
                *field = tidy_paragraphs(&field.replacen(&o.text, "", 1));
                out.repairs.push(Repair {
                    line,
                    action: RepairAction::OverrideDrop,
                    detail: format!("'{}' ({})", o.text, o.reason),
                    dropped: cjk_chars(&o.text),
                });
            }
            None => out.warnings.push(Warning {
                line: 0,
                message: format!("override text not found in any record: '{}'", o.text),
            }),
        }
    }
}

/// Cuts every paragraph back to its last complete sentence where its
/// continuation is lost, so no record holds half a sentence.
pub(super) fn trim_truncations(records: &mut [Record], layout: &Layout, out: &mut Parsed) {
    for r in records.iter_mut() {
        let line = r.line;
        let mut truncated = false;
        for field in [&mut r.question, &mut r.answer] {
            let mut kept = Vec::new();
            for para in field.split('\n') {
                if para.is_empty() || layout.sentences.ends_sentence(para) {
                    kept.push(para.to_string());
                    continue;
                }
                truncated = true;
                let cut = para
                    .char_indices()
                    .rfind(|&(_, c)| layout.sentences.is_end(c))
                    .map(|(i, c)| {
                        // Keep closing quotes that belong to the last sentence.
                        let mut end = i + c.len_utf8();
                        for c2 in para[end..].chars() {
                            if !layout.sentences.is_closer(c2) {
                                break;
                            }
                            end += c2.len_utf8();
                        }
                        end
                    })
                    .unwrap_or(0);
                out.repairs.push(Repair {
                    line,
                    action: RepairAction::TrimTruncated,
                    detail: format!(
                        "the source cuts off here; dropped fragment '{}'",
                        &para[cut..]
                    ),
                    dropped: cjk_chars(&para[cut..]),
                });
                if cut > 0 {
                    kept.push(para[..cut].to_string());
                }
            }
            *field = kept.join("\n");
        }
        r.truncated = truncated;
    }
}

pub(super) fn check_pairs(records: &[Record], out: &mut Parsed) {
    for r in records {
        if r.kind == RecordKind::Answer && r.answer.is_empty() {
            out.warnings.push(Warning {
                line: r.line,
                message: "question without an answer".into(),
            });
        }
    }
}
