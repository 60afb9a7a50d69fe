//! Stage 2, segment: answers become tokens, held as ids into one vocabulary.
//!
//! The segmenter is jieba-rs with the project's user dictionary
//! (`data/dict/userdict.txt`, jieba's `word [freq] [tag]` format, `#` comments),
//! which keeps diplomatic set phrases whole (一个中国原则, not 一个/中国/原则).
//! Text is normalised first, so that transcripts printed with ASCII commas and
//! colons segment like those printed with full-width ones. The ingest uses the
//! same segmenter to judge where a sentence cut by the page layout continues.
//!
//! Every distinct token is stored once, in a [`Vocab`], with its word and
//! content flags; a text is a run of `u32` ids into it. At briefing scale (100+
//! MB of Chinese, tens of millions of tokens) an owned string per token in a
//! table was the largest allocation of the whole run and made every later
//! join compare strings; four bytes per token and a flag lookup do not.
//! Strings come back only when a table is written.
//!
//! Output, `tokens.csv`, one row per token of every question and answer, for
//! corpora up to `[output] tokens_max_mb` of text (analysis.toml) or when
//! asked with `--tokens` (it is about eight times the size of the text), and
//! `discovered.csv`, the units added to the segmenter for the run
//! ([`crate::discover`]). Their columns are documented once, in
//! docs/outputs.md, which `tests/cli/docs.rs` holds to [`TOKENS`] and
//! [`crate::discover::DISCOVERED`].
//!
//! White space is not a token; every other character of the normalised text is
//! in exactly one token, in order.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use polars::prelude::*;
use rayon::prelude::*;

use crate::categories::{Category, RecordKind};
use crate::config::words::Words;
use crate::discover;
use crate::error::{Error, Result};
use crate::store::Store;
use crate::table::{field, Schema, Ty::*};
use crate::text::{is_content, is_word, normalise};

/// The columns of `tokens.csv` (see the module documentation).
pub const TOKENS: &Schema = &[
    field("id", Str),
    field("year", I32),
    field("field", Str),
    field("position", U32),
    field("token", Str),
    field("word", Bool),
    field("content", Bool),
];

/// Every distinct token once, numbered in order of first occurrence, with its
/// word and content flags.
#[derive(Default)]
pub struct Vocab {
    strings: Vec<String>,
    index: HashMap<String, u32>,
    word: Vec<bool>,
    content: Vec<bool>,
}

impl Vocab {
    /// The id of `token`, added with its flags if new.
    fn intern(&mut self, token: &str, stopwords: &HashSet<String>) -> u32 {
        if let Some(&id) = self.index.get(token) {
            return id;
        }
        self.add(
            token.to_string(),
            is_word(token),
            is_content(token, stopwords),
        )
    }

    fn add(&mut self, token: String, word: bool, content: bool) -> u32 {
        let id = self.strings.len() as u32;
        self.index.insert(token.clone(), id);
        self.strings.push(token);
        self.word.push(word);
        self.content.push(content);
        id
    }

    pub fn len(&self) -> usize {
        self.strings.len()
    }

    pub fn is_empty(&self) -> bool {
        self.strings.is_empty()
    }

    /// Every token, by id.
    pub fn strings(&self) -> &[String] {
        &self.strings
    }

    pub fn str(&self, id: u32) -> &str {
        &self.strings[id as usize]
    }

    /// A word: punctuation and symbols are not (see the module documentation).
    pub fn is_word(&self, id: u32) -> bool {
        self.word[id as usize]
    }

    pub fn is_content(&self, id: u32) -> bool {
        self.content[id as usize]
    }
}

/// Which text of a record a run of tokens is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Question,
    Answer,
}

impl Field {
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Question => "question",
            Field::Answer => "answer",
        }
    }
}

/// One segmented text: a record's question or answer.
pub struct Text {
    /// The record's id in answers.csv.
    pub id: String,
    pub year: i32,
    pub field: Field,
    /// Where its token ids lie in [`Tokens::ids`].
    range: Range<usize>,
}

/// What the segment stage produces: every question's tokens, then every
/// answer's, in the order of answers.csv (the order of tokens.csv).
pub struct Tokens {
    pub vocab: Vocab,
    pub texts: Vec<Text>,
    ids: Vec<u32>,
    /// Write tokens.csv (small corpus, or `--tokens`).
    pub write_csv: bool,
    /// discovered.csv: of this run, or read back with tokens.csv (None
    /// where an earlier run wrote none).
    pub discovered: Option<DataFrame>,
}

impl Tokens {
    /// The token ids of a text.
    pub fn of(&self, text: &Text) -> &[u32] {
        &self.ids[text.range.clone()]
    }

    /// The units of discovered.csv from `source` ([`discover::TEXT`],
    /// [`discover::TITLES`]).
    pub fn discovered_units(&self, from: &str) -> Result<HashSet<String>> {
        let Some(df) = &self.discovered else {
            return Ok(HashSet::new());
        };
        let (unit, source) = (df.column("unit")?.str()?, df.column("source")?.str()?);
        Ok(unit
            .iter()
            .zip(source.iter())
            .filter(|(_, s)| *s == Some(from))
            .filter_map(|(u, _)| u.map(str::to_string))
            .collect())
    }

    /// All tokens of the corpus.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Writes tokens.csv where it is asked for (see the module documentation),
    /// else removes an earlier run's.
    pub fn write(&self, store: &Store) -> Result<()> {
        if let Some(found) = &self.discovered {
            store.write_tables(&[(discover::FILE, found, discover::DISCOVERED)])?;
        }
        if !self.write_csv {
            return store.remove_table("tokens.csv");
        }
        store.write_tables(&[("tokens.csv", &self.frame()?, TOKENS)])
    }

    /// Reads tokens.csv back, interning its tokens; a corpus above
    /// `tokens_max_mb` has none unless `segment --tokens` wrote it.
    pub fn read(store: &Store) -> Result<Tokens> {
        if !store.table_exists("tokens.csv") {
            return Err(Error::Usage(
                "tables/tokens.csv is missing: it is written only for corpora up to \
                 [output] tokens_max_mb of text (data/analysis.toml). Run `rhetoric-shift all`, \
                 or `rhetoric-shift segment --tokens` before the later stages"
                    .to_string(),
            ));
        }
        let df = store.read_table("tokens.csv", TOKENS, "segment")?;
        let discovered = if store.table_exists(discover::FILE) {
            Some(store.read_table(discover::FILE, discover::DISCOVERED, "segment")?)
        } else {
            None
        };
        let (id, year, field, token) = (
            df.column("id")?.str()?,
            df.column("year")?.i32()?,
            df.column("field")?.str()?,
            df.column("token")?.str()?,
        );
        let (word, content) = (df.column("word")?.bool()?, df.column("content")?.bool()?);
        let mut out = Tokens {
            vocab: Vocab::default(),
            texts: Vec::new(),
            ids: Vec::with_capacity(df.height()),
            write_csv: true,
            discovered,
        };
        for i in 0..df.height() {
            let (Some(rid), Some(y), Some(f), Some(t)) =
                (id.get(i), year.get(i), field.get(i), token.get(i))
            else {
                continue;
            };
            let f = if f == "question" {
                Field::Question
            } else {
                Field::Answer
            };
            let new_text = out
                .texts
                .last()
                .is_none_or(|last| last.id != rid || last.field != f);
            if new_text {
                let at = out.ids.len();
                out.texts.push(Text {
                    id: rid.to_string(),
                    year: y,
                    field: f,
                    range: at..at,
                });
            }
            let tid = match out.vocab.index.get(t) {
                Some(&tid) => tid,
                None => out.vocab.add(
                    t.to_string(),
                    word.get(i).unwrap_or(false),
                    content.get(i).unwrap_or(false),
                ),
            };
            out.ids.push(tid);
            if let Some(last) = out.texts.last_mut() {
                last.range.end = out.ids.len();
            }
        }
        Ok(out)
    }

    /// The tokens as the rows of tokens.csv.
    fn frame(&self) -> Result<DataFrame> {
        let n = self.ids.len();
        let mut id = StringChunkedBuilder::new("id".into(), n);
        let mut field = StringChunkedBuilder::new("field".into(), n);
        let mut token = StringChunkedBuilder::new("token".into(), n);
        let (mut year, mut position, mut word, mut content) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        for t in &self.texts {
            for (pos, &tid) in self.of(t).iter().enumerate() {
                id.append_value(&t.id);
                year.push(t.year);
                field.append_value(t.field.as_str());
                position.push(pos as u32);
                token.append_value(self.vocab.str(tid));
                word.push(self.vocab.is_word(tid));
                content.push(self.vocab.is_content(tid));
            }
        }
        Ok(DataFrame::new_infer_height(vec![
            id.finish().into_column(),
            Column::new("year".into(), year),
            field.finish().into_column(),
            Column::new("position".into(), position),
            token.finish().into_column(),
            Column::new("word".into(), word),
            Column::new("content".into(), content),
        ])?)
    }
}

/// The tokens of one contiguous piece of the work, numbered in a vocabulary
/// of the piece's own.
struct Piece {
    vocab: Vocab,
    lengths: Vec<usize>,
    ids: Vec<u32>,
}

/// Segments every question and answer of the answers table (see the module
/// documentation), but those of a record of a kind in `excluded` (`[comparison]
/// exclude_kinds`), which so enters no count. `write_csv` says whether
/// tokens.csv is to be written.
///
/// Each thread segments one contiguous piece into a vocabulary of its own; the
/// pieces are merged in input order, so a token's id is its rank of first
/// occurrence in the corpus whatever the thread count.
pub fn run(
    answers: &DataFrame,
    words: &Words,
    discovery: &discover::Settings,
    excluded: &[RecordKind],
    write_csv: bool,
) -> Result<Tokens> {
    let (work, rows) = texts_of(answers, excluded)?;
    // Normalised once: the units are found in the text the segmenter cuts.
    let normalised: Vec<String> = work.par_iter().map(|w| normalise(w.3)).collect();
    let found: Vec<(usize, &str)> = rows
        .iter()
        .zip(&normalised)
        .map(|(&r, t)| (r, t.as_str()))
        .collect();
    let (extended, discovered) = discover::extend(words, answers, &found, discovery)?;
    let jieba = extended.as_ref().unwrap_or(&words.jieba);
    let work: Vec<Work> = work
        .iter()
        .zip(&normalised)
        .map(|(&(id, year, field, _), t)| (id, year, field, t.as_str()))
        .collect();
    let pieces = segment_pieces(&work, jieba, words);
    let mut out = Tokens {
        vocab: Vocab::default(),
        texts: Vec::with_capacity(work.len()),
        ids: Vec::with_capacity(pieces.iter().map(|p| p.ids.len()).sum()),
        write_csv,
        discovered: Some(discovered),
    };
    let mut work = work.iter();
    for p in pieces {
        let Piece {
            vocab,
            lengths,
            ids,
        } = p;
        let remap: Vec<u32> = vocab
            .strings
            .into_iter()
            .zip(vocab.word.iter().zip(&vocab.content))
            .map(|(s, (&w, &c))| match out.vocab.index.get(&s) {
                Some(&id) => id,
                None => out.vocab.add(s, w, c),
            })
            .collect();
        let mut at = 0;
        for (len, &(id, year, field, _)) in lengths.into_iter().zip(work.by_ref()) {
            let start = out.ids.len();
            out.ids
                .extend(ids[at..at + len].iter().map(|&t| remap[t as usize]));
            at += len;
            out.texts.push(Text {
                id: id.to_string(),
                year,
                field,
                range: start..out.ids.len(),
            });
        }
    }
    Ok(out)
}

/// A record's text to segment: its id, year, field and text.
type Work<'a> = (&'a str, i32, Field, &'a str);

/// The questions, then the answers, of the records of a kind not in
/// `excluded`, with each one's row of the answers table.
fn texts_of<'a>(
    answers: &'a DataFrame,
    excluded: &[RecordKind],
) -> Result<(Vec<Work<'a>>, Vec<usize>)> {
    let ids = answers.column("id")?.str()?;
    let years = answers.column("year")?.i32()?;
    let kinds = answers.column("kind")?.str()?;
    let counted = |i: usize| {
        !kinds
            .get(i)
            .is_some_and(|k| excluded.iter().any(|e| e.as_str() == k))
    };
    let mut work: Vec<Work> = Vec::new();
    let mut rows: Vec<usize> = Vec::new();
    for (field, name) in [(Field::Question, "question"), (Field::Answer, "answer")] {
        let column = answers.column(name)?.str()?;
        for i in (0..answers.height()).filter(|&i| counted(i)) {
            if let (Some(id), Some(year), Some(text)) = (ids.get(i), years.get(i), column.get(i)) {
                work.push((id, year, field, text));
                rows.push(i);
            }
        }
    }
    Ok((work, rows))
}

/// Segments `work` in contiguous pieces, one a thread, each into a
/// vocabulary of its own (merged in input order by [`run`]).
fn segment_pieces(work: &[Work], jieba: &jieba_rs::Jieba, words: &Words) -> Vec<Piece> {
    let piece = work.len().div_ceil(rayon::current_num_threads()).max(1);
    work.par_chunks(piece)
        .map(|part| {
            // About one token per 1.6 bytes of Chinese text.
            let bytes: usize = part.iter().map(|w| w.3.len()).sum();
            let mut p = Piece {
                vocab: Vocab::default(),
                lengths: Vec::with_capacity(part.len()),
                ids: Vec::with_capacity(bytes * 10 / 16),
            };
            for &(_, _, _, norm) in part {
                let before = p.ids.len();
                let cut: Vec<&str> = jieba.cut(norm, false).iter().map(|t| t.word).collect();
                for t in by_sound(norm, &cut, &words.transliteration) {
                    if !t.trim().is_empty() {
                        p.ids.push(p.vocab.intern(t, &words.stopwords));
                    }
                }
                p.lengths.push(p.ids.len() - before);
            }
            p
        })
        .collect()
}

/// The tokens `cut` of `text` (they tile it, in order), with every run of
/// two or more written only in the characters of names transliterated by
/// sound (`sounds`), one of them a single character, made one token: the
/// dictionary cuts a foreign name it does not know into such pieces
/// (佩/洛/西, 布/林肯, 冯/德/莱恩), and a name said too rarely for the
/// corpus's discovery stays whole so.
pub fn by_sound<'t>(text: &'t str, cut: &[&str], sounds: &HashSet<char>) -> Vec<&'t str> {
    let sounded = |w: &str| !w.is_empty() && w.chars().all(|c| sounds.contains(&c));
    let mut out = Vec::with_capacity(cut.len());
    let (mut i, mut at) = (0, 0);
    while i < cut.len() {
        let run = cut[i..].iter().take_while(|w| sounded(w)).count();
        let single = cut[i..i + run].iter().any(|w| w.chars().count() == 1);
        let take = if run >= 2 && single { run } else { 1 };
        let len: usize = cut[i..i + take].iter().map(|w| w.len()).sum();
        out.push(&text[at..at + len]);
        (i, at) = (i + take, at + len);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jieba_rs::Jieba;

    fn jieba() -> Jieba {
        crate::config::words::parse_userdict(
            std::path::Path::new("userdict.txt"),
            crate::config::words::DEFAULT_USERDICT,
        )
        .unwrap()
    }

    fn cut(j: &Jieba, s: &str) -> Vec<String> {
        j.cut(&normalise(s), false)
            .into_iter()
            .map(|t| t.word.to_string())
            .collect()
    }

    #[test]
    fn set_phrases_stay_whole() {
        // Snapshot of the segmentation of a sentence full of set phrases, read and judged right.
        let j = jieba();
        assert_eq!(
            cut(
                &j,
                "坚持一个中国原则，反对台独，推动构建人类命运共同体，加快南海行为准则磋商。"
            ),
            [
                "坚持",
                "一个中国原则",
                "，",
                "反对",
                "台独",
                "，",
                "推动",
                "构建",
                "人类命运共同体",
                "，",
                "加快",
                "南海行为准则",
                "磋商",
                "。"
            ]
        );
    }

    #[test]
    fn ascii_and_fullwidth_punctuation_segment_alike() {
        let j = jieba();
        assert_eq!(
            cut(&j, "中美应当相互尊重,和平共处,合作共赢。"),
            cut(&j, "中美应当相互尊重，和平共处，合作共赢。")
        );
    }

    #[test]
    fn runs_written_by_sound_with_a_single_character_are_one_token() {
        let sounds: HashSet<char> = "佩洛西布林肯马克龙冯德莱恩英法".chars().collect();
        let text = "佩洛西和布林肯同马克龙会见冯德莱恩，英法马克";
        let cut = [
            "佩", "洛", "西", "和", "布", "林肯", "同", "马克", "龙", "会见", "冯", "德", "莱恩",
            "，", "英法", "马克",
        ];
        assert_eq!(cut.concat(), text);
        assert_eq!(
            by_sound(text, &cut, &sounds),
            [
                "佩洛西",
                "和",
                "布林肯",
                "同",
                "马克龙",
                "会见",
                "冯德莱恩",
                "，",
                "英法",
                "马克"
            ]
        );
    }
}
