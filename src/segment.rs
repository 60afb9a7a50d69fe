//! Stage 2, segment: answers become tokens.
//!
//! The segmenter is jieba-rs with the project's user dictionary
//! (`data/dict/userdict.txt`, jieba's `word [freq] [tag]` format, `#` comments),
//! which keeps diplomatic set phrases whole (一个中国原则, not 一个/中国/原则).
//! Text is normalised first, so that transcripts printed with ASCII commas and
//! colons segment like those printed with full-width ones. The ingest uses the
//! same segmenter to judge where a sentence cut by the page layout continues.
//!
//! Output, `tokens.csv`, one row per token of every question and answer:
//! - `id`: the record's id in answers.csv
//! - `year`
//! - `field`: `question` or `answer`
//! - `position`: 0-based index of the token within that field
//! - `token`: the token as it stands in the normalised text
//! - `word`: `true` for a word (has a Chinese character, a letter or a digit);
//!   `false` for punctuation and symbols. Per-10k-token rates count words.
//! - `content`: `true` for a content word (has a Chinese character or a letter,
//!   is not all digits, is not in `data/dict/stopwords.txt`)
//!
//! White space is not a token; every other character of the normalised text is
//! in exactly one token, in order.

use std::collections::HashSet;

use jieba_rs::Jieba;
use polars::prelude::*;
use rayon::prelude::*;

use crate::error::Result;
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

/// What the segment stage produces.
pub struct Tokens {
    pub tokens: DataFrame,
}

impl Tokens {
    pub fn write(&self, store: &Store) -> Result<()> {
        store.write_tables(&[("tokens.csv", &self.tokens, TOKENS)])
    }

    pub fn read(store: &Store) -> Result<Tokens> {
        Ok(Tokens {
            tokens: store.read_table("tokens.csv", TOKENS, "segment")?,
        })
    }
}

/// The tokens of some texts, as the columns of the tokens table. Strings go
/// straight into Polars builders: a `String` per token was the largest
/// allocation of the stage.
struct Columns {
    id: StringChunkedBuilder,
    year: Vec<i32>,
    field: StringChunkedBuilder,
    position: Vec<u32>,
    token: StringChunkedBuilder,
    word: Vec<bool>,
    content: Vec<bool>,
}

impl Columns {
    fn new(capacity: usize) -> Self {
        Columns {
            id: StringChunkedBuilder::new("id".into(), capacity),
            year: Vec::with_capacity(capacity),
            field: StringChunkedBuilder::new("field".into(), capacity),
            position: Vec::with_capacity(capacity),
            token: StringChunkedBuilder::new("token".into(), capacity),
            word: Vec::with_capacity(capacity),
            content: Vec::with_capacity(capacity),
        }
    }

    fn finish(self) -> Result<DataFrame> {
        Ok(DataFrame::new_infer_height(vec![
            self.id.finish().into_column(),
            Column::new("year".into(), self.year),
            self.field.finish().into_column(),
            Column::new("position".into(), self.position),
            self.token.finish().into_column(),
            Column::new("word".into(), self.word),
            Column::new("content".into(), self.content),
        ])?)
    }
}

/// Segments every question and answer of the answers table (see the module
/// documentation for the columns). jieba-rs is shared read-only by the threads.
pub fn run(answers: &DataFrame, jieba: &Jieba, stopwords: &HashSet<String>) -> Result<Tokens> {
    let ids = answers.column("id")?.str()?;
    let years = answers.column("year")?.i32()?;
    let questions = answers.column("question")?.str()?;
    let texts = answers.column("answer")?.str()?;
    let mut work: Vec<(&str, i32, &'static str, &str)> = Vec::new();
    for (field, column) in [("question", questions), ("answer", texts)] {
        for i in 0..answers.height() {
            if let (Some(id), Some(year), Some(text)) = (ids.get(i), years.get(i), column.get(i)) {
                work.push((id, year, field, text));
            }
        }
    }
    // One contiguous piece per thread (RAYON_NUM_THREADS or every core), stacked
    // back in input order: the table is the same whatever the thread count.
    let piece = work.len().div_ceil(rayon::current_num_threads()).max(1);
    let parts = work.par_chunks(piece).map(|part| {
        // About one token per 1.6 bytes of Chinese text.
        let bytes: usize = part.iter().map(|w| w.3.len()).sum();
        let mut c = Columns::new(bytes * 10 / 16);
        for &(id, year, field, text) in part {
            let norm = normalise(text);
            let tokens = jieba.cut(&norm, false);
            for (pos, t) in tokens
                .iter()
                .filter(|t| !t.word.trim().is_empty())
                .enumerate()
            {
                c.id.append_value(id);
                c.year.push(year);
                c.field.append_value(field);
                c.position.push(pos as u32);
                c.token.append_value(t.word);
                c.word.push(is_word(t.word));
                c.content.push(is_content(t.word, stopwords));
            }
        }
        c.finish()
    });
    let parts: Vec<DataFrame> = parts.collect::<Result<_>>()?;
    let mut out: Option<DataFrame> = None;
    for p in parts {
        match out.as_mut() {
            None => out = Some(p),
            Some(df) => {
                df.vstack_mut(&p)?;
            }
        }
    }
    let tokens = match out {
        Some(df) => df,
        None => Columns::new(0).finish()?,
    };
    Ok(Tokens { tokens })
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
