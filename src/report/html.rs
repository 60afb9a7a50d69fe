//! The report document as one self-contained HTML page, figures inlined as
//! their outlined SVG: each keeps its width and height (its size in points)
//! and scales to the column by its viewBox, so its height follows its own
//! aspect ratio; `display: block` leaves no line gap under it. A table wider
//! than a phone's screen scrolls by itself, not the whole page.

use std::fmt::Write as _;

use super::document::{Block, Inline};
use crate::error::{Error, Result};

fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn inlines(parts: &[Inline]) -> String {
    parts
        .iter()
        .map(|p| match p {
            Inline::Text(t) | Inline::Data(t) => esc(t),
            Inline::Bold(t) => format!("<strong>{}</strong>", esc(t)),
            Inline::Code(t) => format!("<code>{}</code>", esc(t)),
        })
        .collect()
}

/// An SVG file's text without its XML declaration, to stand inside HTML.
fn inline_svg(svg: &str) -> &str {
    let svg = svg.trim_start_matches(|c| c != '<');
    svg.strip_prefix("<?xml")
        .map_or(svg, |s| s.split_once("?>").map_or(s, |(_, rest)| rest))
}

/// The document as HTML; `svgs` are (chart name, SVG text). A figure whose
/// chart the charts stage did not draw is an error: the report asks only for
/// the figures the charts draw for the same tables.
pub fn write(doc: &[Block], svgs: &[(String, String)]) -> Result<String> {
    let mut body = String::new();
    for b in doc {
        match b {
            Block::Heading(level, t) => {
                let _ = writeln!(body, "<h{level}>{}</h{level}>", esc(t));
            }
            Block::Para(parts) => {
                let _ = writeln!(body, "<p>{}</p>", inlines(parts));
            }
            Block::List(items) => {
                body.push_str("<ul>\n");
                for i in items {
                    let _ = writeln!(body, "<li>{}</li>", inlines(i));
                }
                body.push_str("</ul>\n");
            }
            Block::Table { head, rows } => {
                body.push_str("<table>\n<tr>");
                for h in head {
                    let _ = write!(body, "<th>{}</th>", esc(h));
                }
                body.push_str("</tr>\n");
                for r in rows {
                    body.push_str("<tr>");
                    for c in r {
                        let _ = write!(body, "<td>{}</td>", inlines(c));
                    }
                    body.push_str("</tr>\n");
                }
                body.push_str("</table>\n");
            }
            Block::Figure { id, caption } => {
                let name = id.name();
                let Some((_, svg)) = svgs.iter().find(|(n, _)| *n == name) else {
                    return Err(Error::Table(format!(
                        "the report shows the figure {name}, which the charts stage did not draw: \
                         run `rhetoric-shift charts` (or `all`) again"
                    )));
                };
                // The id lets a reader link to a figure by its chart's name.
                let _ = writeln!(
                    body,
                    "<figure id=\"{}\">{}<figcaption>{}</figcaption></figure>",
                    esc(&name),
                    inline_svg(svg),
                    esc(caption)
                );
            }
        }
    }
    Ok(format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>rhetoric-shift report</title>\n<style>\n\
         body {{ font-family: sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }}\n\
         table {{ border-collapse: collapse; margin: 1rem 0; display: block; overflow-x: auto; }}\n\
         th, td {{ border: 1px solid #ccc; padding: 0.2rem 0.6rem; text-align: right; }}\n\
         figure {{ margin: 1.5rem 0; }}\n\
         figure svg {{ display: block; width: 100%; height: auto; }}\n\
         figcaption {{ font-size: 0.9rem; color: #555; }}\n\
         </style>\n</head>\n<body>\n{body}</body>\n</html>\n"
    ))
}
