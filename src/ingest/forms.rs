//! Text forms: what a file is before it is a transcript. Researchers bring
//! the same conference as plain text, as HTML copied from a news page, or in
//! Traditional script from a Hong Kong or Taiwan mirror. Each form is
//! recognised by content, never by file name, and turned into plain
//! Simplified text before the layout is read; a note says what was done.
//!
//! - HTML: tags are removed by a WHATWG tokenizer (html5gum), not a regular
//!   expression; entities are decoded; `html_breaks` elements end a paragraph;
//!   the content of `html_skip` elements (scripts, styles, the head) is dropped.
//!   Line numbers in later messages are those of the extracted text.
//! - A whole saved page (it has `<html>` or `<body>`): its menus, link lists
//!   and footer often hold more text than the article, so the article is
//!   extracted first with dom_smoothie (a Rust port of Mozilla's Readability,
//!   the reader view of Firefox), and the page's title (its first `<h1>`, else its `<title>`: a briefing's
//!   title, `…外交部发言人汪文斌主持例行记者会`) is put before it where the
//!   article lacks it. What follows, kept_share included, counts the article
//!   only; the note says how much of the page it is. Where no article is
//!   found, the whole page is read, and the note says so.
//! - Traditional script: converted with OpenCC's t2s tables, phrase by phrase
//!   (一個中國原則 -> 一个中国原则, 臺獨 -> 台独), when that changes at least
//!   `traditional_min_share` of the Chinese characters.
//! - No-break and other Unicode spaces become plain spaces.

use ferrous_opencc::{config::BuiltinConfig, OpenCC};
use html5gum::{DefaultEmitter, Token, Tokenizer};

use crate::config::layout::Forms;
use crate::error::{Error, Result};
use crate::text::is_cjk;

/// The converters, built once per run.
pub struct Converter {
    t2s: OpenCC,
    tag: regex::Regex,
    whole_page: regex::Regex,
}

impl Converter {
    pub fn new() -> Result<Converter> {
        Ok(Converter {
            t2s: OpenCC::from_config(BuiltinConfig::T2s)
                .map_err(|e| Error::Table(format!("OpenCC t2s tables: {e}")))?,
            tag: regex::Regex::new(r"(?i)<(?:/?[a-z][a-z0-9]*\b[^<>]*|!doctype[^<>]*)>")
                .map_err(|e| Error::Table(format!("HTML tag pattern: {e}")))?,
            whole_page: regex::Regex::new(r"(?i)<(?:html|body)\b[^<>]*>")
                .map_err(|e| Error::Table(format!("HTML page pattern: {e}")))?,
        })
    }

    /// The text as plain Simplified text, and a note for each conversion made.
    pub fn plain(&self, text: &str, forms: &Forms) -> (String, Vec<String>) {
        let mut notes = Vec::new();
        let mut text = text.to_string();
        let tags = self.tag.find_iter(&text).count();
        if tags >= forms.html_min_tags {
            let page = html_text(&text, forms);
            if self.whole_page.is_match(&text) {
                match article(&text, forms) {
                    Some(article) => {
                        notes.push(format!(
                            "read as a saved web page: its article (Readability, dom_smoothie) holds {} of the page's {} Chinese characters; menus, link lists and footer are left out, kept_share counts the article only, and line numbers are those of the article's text",
                            cjk_count(&article),
                            cjk_count(&page)
                        ));
                        text = article;
                    }
                    None => {
                        notes.push(format!(
                            "read as a saved web page, but no article was found in it: the whole page's text is read ({tags} tags removed; line numbers are those of the extracted text)"
                        ));
                        text = page;
                    }
                }
            } else {
                notes.push(format!(
                    "read as HTML: {tags} tags removed, entities decoded, line numbers are those of the extracted text"
                ));
                text = page;
            }
        }
        let converted = self.t2s.convert(&text);
        let (changed, cjk) = changed_share(&text, &converted);
        if cjk > 0 && changed as f64 >= forms.traditional_min_share * cjk as f64 {
            notes.push(format!(
                "converted from Traditional to Simplified script (OpenCC t2s; {changed} of {cjk} Chinese characters changed)"
            ));
            text = converted;
        }
        (spaces(&text), notes)
    }
}

/// Chinese characters that differ between the two texts, and all Chinese
/// characters of the first. t2s maps character for character, so the texts
/// align; where they do not, every character counts as changed.
fn changed_share(before: &str, after: &str) -> (usize, usize) {
    let cjk = before.chars().filter(|&c| is_cjk(c)).count();
    if before.chars().count() != after.chars().count() {
        return (cjk, cjk);
    }
    let changed = before
        .chars()
        .zip(after.chars())
        .filter(|&(a, b)| a != b && is_cjk(a))
        .count();
    (changed, cjk)
}

/// No-break, ideographic-width and other Unicode spaces as plain spaces
/// (the ideographic space U+3000 is left to text normalisation), and line
/// ends as `\n`.
fn spaces(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' => ' ',
            '\r' => '\n',
            c => c,
        })
        .filter(|&c| !matches!(c, '\u{200B}' | '\u{FEFF}'))
        .collect()
}

fn cjk_count(text: &str) -> usize {
    text.chars().filter(|&c| is_cjk(c)).count()
}

/// The text of a whole page's article, the page's title (see [`page_title`])
/// before it where the article does not hold it; None where Readability
/// finds no article.
fn article(html: &str, forms: &Forms) -> Option<String> {
    let mut reader = dom_smoothie::Readability::new(html, None, None).ok()?;
    let found = reader.parse().ok()?;
    let body = html_text(&found.content, forms);
    if cjk_count(&body) == 0 {
        return None;
    }
    let heading = page_title(html, forms);
    let squeezed = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    Some(match heading {
        Some(h) if !squeezed(&body).contains(&squeezed(&h)) => format!("{h}\n{body}"),
        _ => body,
    })
}

/// The title of a page: its first `<h1>` (the ministry's pages from 2022
/// on), else its `<title>` without the site's name after `_` where it holds
/// one of `title_cues` (the pages of 2020–2021 have no `<h1>`:
/// `…主持例行记者会_中华人民共和国外交部`); another page's `<title>` is the
/// site's, not the article's.
fn page_title(html: &str, forms: &Forms) -> Option<String> {
    element_text(html, "h1", forms).or_else(|| {
        let title = element_text(html, "title", forms)?;
        let title = title.split('_').next().unwrap_or_default().trim();
        forms
            .title_cues
            .iter()
            .any(|cue| title.contains(cue.as_str()))
            .then(|| title.to_string())
    })
}

/// The text of the first element `tag` of a page, white space squeezed.
fn element_text(html: &str, tag: &str, forms: &Forms) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let start = lower.find(&format!("<{tag}"))?;
    let open_end = lower[start..].find('>')? + start + 1;
    let end = lower[open_end..].find(&format!("</{tag}>"))? + open_end;
    let text = html_text(html.get(open_end..end)?, forms);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

/// The text of an HTML fragment or page (see the module documentation).
fn html_text(html: &str, forms: &Forms) -> String {
    let mut emitter = DefaultEmitter::default();
    // Script and style content is raw text, not markup.
    emitter.naively_switch_states(true);
    let mut out = String::new();
    let mut skipping: Vec<String> = Vec::new();
    let is = |list: &[String], name: &[u8]| list.iter().any(|t| t.as_bytes() == name);
    for token in Tokenizer::new_with_emitter(html, emitter).flatten() {
        match token {
            Token::StartTag(tag) => {
                let name = tag.name.to_ascii_lowercase();
                if is(&forms.html_skip, &name) && !tag.self_closing {
                    skipping.push(String::from_utf8_lossy(&name).into_owned());
                } else if skipping.is_empty() && is(&forms.html_breaks, &name) {
                    out.push('\n');
                }
            }
            Token::EndTag(tag) => {
                let name = tag.name.to_ascii_lowercase();
                if skipping
                    .last()
                    .is_some_and(|s| s.as_bytes() == name.as_slice())
                {
                    skipping.pop();
                } else if skipping.is_empty() && is(&forms.html_breaks, &name) {
                    out.push('\n');
                }
            }
            Token::String(s) if skipping.is_empty() => {
                out.push_str(&String::from_utf8_lossy(&s));
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forms() -> Forms {
        crate::config::Layout::parse(
            std::path::Path::new("layout.toml"),
            crate::config::layout::DEFAULT_LAYOUT,
        )
        .unwrap()
        .forms
    }

    #[test]
    fn html_becomes_paragraphs_without_tags_scripts_or_entities() {
        let c = Converter::new().unwrap();
        let (text, notes) = c.plain(
            "<html><head><title>页面</title><style>p{}</style></head><body>\
             <p>路透社记者：中美&nbsp;关系？</p><p>王毅：<b>相互</b>尊重。<br/>第二段&lt;完&gt;</p>\
             <script>var x='<p>';</script></body></html>",
            &forms(),
        );
        let lines: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(
            lines,
            ["路透社记者：中美 关系？", "王毅：相互尊重。", "第二段<完>"]
        );
        assert_eq!(notes.len(), 1, "{notes:?}");
    }

    #[test]
    fn traditional_script_is_converted_phrase_by_phrase() {
        let c = Converter::new().unwrap();
        let (text, notes) = c.plain("王毅：堅持一個中國原則，反對「臺獨」。", &forms());
        assert_eq!(text, "王毅：坚持一个中国原则，反对「台独」。");
        assert!(
            notes[0].starts_with("converted from Traditional"),
            "{notes:?}"
        );
        let (text, notes) = c.plain("王毅：坚持一个中国原则。", &forms());
        assert_eq!(text, "王毅：坚持一个中国原则。");
        assert!(notes.is_empty());
    }

    #[test]
    fn a_few_tags_or_traditional_characters_do_not_switch_the_form() {
        let c = Converter::new().unwrap();
        let (text, notes) = c.plain(
            "王毅：中美关系<1>很重要。台灣一词。中美关系很重要很重要很重要。",
            &forms(),
        );
        assert!(notes.is_empty(), "{notes:?}");
        assert!(text.contains("<1>") && text.contains("台灣"));
    }
}
