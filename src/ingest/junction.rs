//! Scores a junction: how well the start of one paragraph continues the cut-off
//! end of another.
//!
//! Print layouts cut sentences, even words, at column and page breaks, and the
//! rest may stand far away in the file. Where nothing in the layout says which
//! paragraph continues a cut one, two kinds of linguistic evidence do:
//! a word of the segmenter's dictionary that spans the cut ("伟大复|兴" makes
//! 复兴), and the four characters around the cut occurring elsewhere in the
//! corpus ("国际|关系" is common in these speeches, "国际|争议" never occurs).

use std::collections::{HashMap, HashSet};

use jieba_rs::Jieba;

use crate::text::is_cjk;

/// The evidence that a junction is a real continuation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evidence {
    /// A dictionary word that the joined text has across the cut.
    pub word: Option<String>,
    /// The four characters around the cut and how often they occur elsewhere.
    pub ngram: Option<(String, usize)>,
}

impl Evidence {
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(word) = &self.word {
            parts.push(format!("dictionary word '{word}' spans the cut"));
        }
        if let Some((gram, n)) = &self.ngram {
            if *n > 0 {
                parts.push(format!("'{gram}' occurs {n} times elsewhere in the corpus"));
            }
        }
        parts.join("; ")
    }
}

pub struct Junction<'a> {
    jieba: &'a Jieba,
    /// Occurrences of every run of four CJK characters in the corpus, keyed by
    /// the four characters packed into 16 bits each (every character `is_cjk`
    /// accepts lies in the Basic Multilingual Plane).
    ngrams: HashMap<u64, u32>,
    /// Every character that follows a character somewhere in the corpus
    /// (white space breaks the pair), in order of first occurrence.
    followers: HashMap<char, Vec<char>>,
}

/// The four characters packed as one key; None unless all four are CJK.
fn key(gram: &[char]) -> Option<u64> {
    (gram.len() == 4 && gram.iter().all(|&c| is_cjk(c))).then(|| {
        gram.iter()
            .fold(0u64, |k, &c| (k << 16) | u64::from(c as u32 as u16))
    })
}

/// How many characters on each side of the cut the segmenter sees.
const WINDOW: usize = 6;

fn last_chars(s: &str, n: usize) -> &str {
    let start = s
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    &s[start..]
}

fn first_chars(s: &str, n: usize) -> &str {
    let end = s.char_indices().nth(n).map_or(s.len(), |(i, _)| i);
    &s[..end]
}

impl<'a> Junction<'a> {
    /// `corpus` is the text the n-gram counts come from: all transcripts. It is
    /// read once into a table of 4-gram counts: searching the corpus for each
    /// candidate junction made the ingest quadratic (85% of the time of `all` on
    /// a 10 MB corpus went to substring search).
    pub fn new(jieba: &'a Jieba, corpus: &str) -> Self {
        let mut ngrams: HashMap<u64, u32> = HashMap::new();
        let mut pairs: HashSet<(char, char)> = HashSet::new();
        let mut followers: HashMap<char, Vec<char>> = HashMap::new();
        let mut previous: Option<char> = None;
        let mut window: Vec<char> = Vec::with_capacity(4);
        for c in corpus.chars() {
            if c.is_whitespace() {
                previous = None;
            } else {
                if let Some(p) = previous {
                    if pairs.insert((p, c)) {
                        followers.entry(p).or_default().push(c);
                    }
                }
                previous = Some(c);
            }
            if !is_cjk(c) {
                window.clear();
                continue;
            }
            if window.len() == 4 {
                window.remove(0);
            }
            window.push(c);
            if let Some(k) = key(&window) {
                *ngrams.entry(k).or_default() += 1;
            }
        }
        Junction {
            jieba,
            ngrams,
            followers,
        }
    }

    /// The characters that follow `c` somewhere in the corpus.
    pub fn followers(&self, c: char) -> &[char] {
        self.followers.get(&c).map_or(&[], Vec::as_slice)
    }

    pub fn evidence(&self, left: &str, right: &str) -> Evidence {
        Evidence {
            word: self.spanning_word(left, right),
            ngram: self.ngram(left, right),
        }
    }

    fn spanning_word(&self, left: &str, right: &str) -> Option<String> {
        let l = last_chars(left, WINDOW);
        let r = first_chars(right, WINDOW);
        let joined = format!("{l}{r}");
        let cut = l.len();
        self.jieba
            .cut(&joined, false)
            .into_iter()
            .find(|t| t.byte_start < cut && t.byte_end > cut && t.word.chars().count() >= 2)
            .map(|t| t.word.to_string())
    }

    fn ngram(&self, left: &str, right: &str) -> Option<(String, usize)> {
        let gram = format!("{}{}", last_chars(left, 2), first_chars(right, 2));
        let k = key(&gram.chars().collect::<Vec<_>>())?;
        // The two halves are apart in the source, so every occurrence is elsewhere.
        let n = self.ngrams.get(&k).copied().unwrap_or(0) as usize;
        Some((gram, n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dictionary_word_across_a_cut() {
        let jieba = Jieba::new();
        let j = Junction::new(&jieba, "");
        assert_eq!(
            j.evidence("继续为中华民族伟大复", "兴营造良好外部环境")
                .word
                .as_deref(),
            Some("复兴")
        );
        assert_eq!(j.evidence("过去", "一年，我们").word, None);
    }

    #[test]
    fn corpus_ngram_counts_only_cjk_windows() {
        let jieba = Jieba::new();
        let corpus = "推动国际关系民主化。新型国际关系。";
        let j = Junction::new(&jieba, corpus);
        assert_eq!(
            j.evidence("多极化和国际", "关系民主化").ngram,
            Some(("国际关系".into(), 2))
        );
        assert_eq!(
            j.evidence("多极化和国际", "争议坚持").ngram,
            Some(("国际争议".into(), 0))
        );
        assert_eq!(j.evidence("他们这样做，", "目的只有").ngram, None);
    }
}
