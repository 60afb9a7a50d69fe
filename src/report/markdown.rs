//! The report document as Markdown (`report.md`), figures as links to the PNGs.

use std::fmt::Write as _;

use super::document::{Block, Inline};

/// Escapes data for Markdown: HTML's special characters, and `|`, which
/// would end a table cell.
fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('|', "\\|")
}

fn inlines(parts: &[Inline]) -> String {
    parts
        .iter()
        .map(|p| match p {
            Inline::Text(t) => t.clone(),
            Inline::Data(t) => esc(t),
            Inline::Bold(t) => format!("**{}**", esc(t)),
            Inline::Code(t) => format!("`{t}`"),
        })
        .collect()
}

/// One table row: an empty cell is written `| |`.
fn row(cells: impl Iterator<Item = String>) -> String {
    let mut line = String::from("|");
    for c in cells {
        if c.is_empty() {
            line.push_str(" |");
        } else {
            let _ = write!(line, " {c} |");
        }
    }
    line
}

fn block(b: &Block) -> String {
    match b {
        Block::Heading(level, t) => format!("{} {t}\n", "#".repeat(usize::from(*level))),
        Block::Para(parts) => format!("{}\n", inlines(parts)),
        Block::List(items) => items
            .iter()
            .map(|i| format!("- {}\n", inlines(i)))
            .collect(),
        Block::Table { head, rows } => {
            let mut out = row(head.iter().cloned());
            let _ = writeln!(out, "\n|{}", "---|".repeat(head.len()));
            for r in rows {
                out.push_str(&row(r.iter().map(|c| inlines(c))));
                out.push('\n');
            }
            out
        }
        Block::Figure { id, caption } => format!("![{caption}](charts/{}.png)\n", id.name()),
    }
}

/// The document as Markdown: blocks separated by a blank line.
pub fn write(doc: &[Block]) -> String {
    doc.iter().map(block).collect::<Vec<_>>().join("\n")
}
