//! The shared vocabulary of text: what a Chinese character is, how text is
//! normalised before anything is counted, what a word and a content word are,
//! and where a sentence ends.
//!
//! Every stage that looks at characters takes these from here, so that the
//! ingest, the segmenter, the topic tagger, the counters and the concordance
//! agree on one normalised text. The sentence-end characters are data
//! (`sentence_end` and `closers` in `data/layout.toml`) and reach the code as a
//! [`Sentences`] built by the config layer.

use std::collections::HashSet;

/// A CJK ideograph (the unified blocks, extension A and the compatibility block).
pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

/// Normalises text for counting: full-width letters and digits become ASCII,
/// ASCII sentence punctuation becomes full-width (a '.' between digits stays),
/// the ideographic space becomes a space. 中方认为,应该:对话? reads 中方认为，应该：对话？
pub fn normalise(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let digit_around = |d: isize| {
            let j = i as isize + d;
            j >= 0 && (j as usize) < chars.len() && chars[j as usize].is_ascii_digit()
        };
        let n = match c {
            // Full-width ASCII variants: letters and digits to ASCII.
            '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            '\u{3000}' => ' ',
            ',' => '，',
            ':' if !(digit_around(-1) && digit_around(1)) => '：',
            ';' => '；',
            '?' => '？',
            '!' => '！',
            '(' => '（',
            ')' => '）',
            '.' if !(digit_around(-1) && digit_around(1)) => '。',
            _ => c,
        };
        out.push(n);
    }
    out
}

/// The text phrases are counted and quoted in: the normalised text without
/// white space. The segmenter drops white space and keeps every other
/// character, so this is also an answer's tokens joined.
pub fn counted(text: &str) -> String {
    normalise(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Is this token a word, not punctuation or a symbol?
pub fn is_word(token: &str) -> bool {
    token.chars().any(|c| is_cjk(c) || c.is_alphanumeric())
}

/// Is this token a content word: a Chinese character or a letter, and not a stopword?
pub fn is_content(token: &str, stopwords: &HashSet<String>) -> bool {
    let has_word_char = token.chars().any(|c| is_cjk(c) || c.is_alphabetic());
    has_word_char && !stopwords.contains(token)
}

/// Where sentences and clauses end: the `sentence_end` characters of
/// `data/layout.toml`, seen through any `closers` (quotation marks, brackets)
/// that follow them, and for clauses also its `clause_end` characters and a
/// line break.
#[derive(Debug, Clone)]
pub struct Sentences {
    ends: String,
    closers: String,
    clauses: String,
}

impl Sentences {
    pub fn new(ends: &str, closers: &str, clauses: &str) -> Sentences {
        Sentences {
            ends: ends.to_string(),
            closers: closers.to_string(),
            clauses: clauses.to_string(),
        }
    }

    /// Does `c` end a clause (a sentence end, a clause end such as a comma,
    /// or a line break)?
    pub fn is_clause_end(&self, c: char) -> bool {
        c == '\n' || self.is_end(c) || self.clauses.contains(c)
    }

    /// Does `c` end a sentence?
    pub fn is_end(&self, c: char) -> bool {
        self.ends.contains(c)
    }

    /// Is `c` a closing quotation mark or bracket?
    pub fn is_closer(&self, c: char) -> bool {
        self.closers.contains(c)
    }

    /// Does the text end where a sentence ends (closers aside)?
    pub fn ends_sentence(&self, text: &str) -> bool {
        text.trim_end()
            .trim_end_matches(|c| self.is_closer(c))
            .chars()
            .last()
            .is_some_and(|c| self.is_end(c))
    }

    /// The sentences of a text, each with its end and the closers after it;
    /// the last runs to the end of the text. They join back into the text.
    pub fn split<'t>(&self, text: &'t str) -> Vec<&'t str> {
        self.pieces(text, |c| self.is_end(c))
            .into_iter()
            .map(|(s, e)| &text[s..e])
            .collect()
    }

    /// The clauses of a text as byte ranges that tile it, each with its end
    /// (see [`Sentences::is_clause_end`]) and the closers after it.
    pub fn clauses(&self, text: &str) -> Vec<(usize, usize)> {
        self.pieces(text, |c| self.is_clause_end(c))
    }

    /// Byte ranges that tile `text`, each ending after a character `ends`
    /// accepts and the closers that follow it.
    fn pieces(&self, text: &str, ends: impl Fn(char) -> bool) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut start = 0;
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if !ends(c) {
                continue;
            }
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if !self.is_closer(d) {
                    break;
                }
                end = j + d.len_utf8();
                chars.next();
            }
            out.push((start, end));
            start = end;
        }
        if start < text.len() {
            out.push((start, text.len()));
        }
        out
    }

    /// Does the text hold a sentence end anywhere?
    pub fn has_end(&self, text: &str) -> bool {
        text.chars().any(|c| self.is_end(c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalise_punctuation_digits_and_letters() {
        assert_eq!(
            normalise("中方认为,应该:对话?好!(是)"),
            "中方认为，应该：对话？好！（是）"
        );
        assert_eq!(normalise("增长5.2%,时间10:30."), "增长5.2%，时间10:30。");
        assert_eq!(normalise("ＡＰＥＣ第３３次"), "APEC第33次");
        assert_eq!(counted("中美 关系,\n很好"), "中美关系，很好");
    }

    #[test]
    fn content_words() {
        let stop: HashSet<String> = ["的".to_string()].into();
        assert!(is_content("台独", &stop));
        assert!(is_content("APEC", &stop));
        assert!(!is_content("的", &stop));
        assert!(!is_content("，", &stop));
        assert!(!is_content("2024", &stop));
        assert!(is_word("2024") && !is_word("，"));
    }

    #[test]
    fn sentence_ends_are_seen_through_closers() {
        let s = Sentences::new("。！？", "”）", "，");
        assert!(s.ends_sentence("他说：“好。”"));
        assert!(!s.ends_sentence("伟大复"));
        assert!(s.has_end("一。二") && !s.has_end("一，二"));
        assert!(s.is_clause_end('，') && s.is_clause_end('。') && s.is_clause_end('\n'));
        assert!(!s.is_clause_end('”'));
        assert_eq!(
            s.split("他说：“好。”然后呢？没"),
            ["他说：“好。”", "然后呢？", "没"]
        );
    }
}
