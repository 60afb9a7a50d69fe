//! The report as a document: blocks of inline text, written out as Markdown
//! ([`super::markdown`]) and as HTML ([`super::html`]) by separate writers, so
//! neither format is ever parsed back into the other.

/// A run of text within a block.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    /// The report's own words, written as they are.
    Text(String),
    /// Words from the data (a KWIC context, a caveat): escaped in Markdown too.
    Data(String),
    Bold(String),
    Code(String),
}

/// A block of the document.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading(u8, String),
    Para(Vec<Inline>),
    List(Vec<Vec<Inline>>),
    /// Column headings and rows of cells; an empty cell is an empty Vec.
    Table {
        head: Vec<String>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
    /// A chart, by the key the charts stage draws it under, with its caption.
    Figure {
        id: crate::charts::FigureId,
        caption: String,
    },
}

pub fn text(s: impl Into<String>) -> Inline {
    Inline::Text(s.into())
}

pub fn data(s: impl Into<String>) -> Inline {
    Inline::Data(s.into())
}

pub fn bold(s: impl Into<String>) -> Inline {
    Inline::Bold(s.into())
}

pub fn code(s: impl Into<String>) -> Inline {
    Inline::Code(s.into())
}

/// The inlines of a sentence written in the source with `**bold**` and
/// `` `code` `` marks, for the report's fixed texts (never for data).
pub fn marked(s: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    let (mut rest, mut plain) = (s, String::new());
    while !rest.is_empty() {
        let (mark, make): (&str, fn(String) -> Inline) = if rest.starts_with("**") {
            ("**", Inline::Bold)
        } else if rest.starts_with('`') {
            ("`", Inline::Code)
        } else {
            let c = rest.chars().next().unwrap_or_default();
            plain.push(c);
            rest = &rest[c.len_utf8()..];
            continue;
        };
        let inner = &rest[mark.len()..];
        let Some(end) = inner.find(mark) else {
            plain.push_str(rest);
            break;
        };
        if !plain.is_empty() {
            out.push(Inline::Text(std::mem::take(&mut plain)));
        }
        out.push(make(inner[..end].to_string()));
        rest = &inner[end + mark.len()..];
    }
    if !plain.is_empty() {
        out.push(Inline::Text(plain));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_become_inlines() {
        assert_eq!(
            marked("**Rates.** See `tables/x.csv`, and 2 * 3."),
            [
                bold("Rates."),
                text(" See "),
                code("tables/x.csv"),
                text(", and 2 * 3.")
            ]
        );
    }
}
