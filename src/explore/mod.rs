//! Stage 8, explore: `explorer.html`, one self-contained page for any phrase.
//!
//! The figures answer the questions the tool's author thought of; a China
//! watcher brings a new phrase. The page takes up to five phrases and draws,
//! per year, each one's rate per 10,000 characters with an answer-level
//! bootstrap interval and its number of answers; a year leads to its KWIC
//! lines and a line to the whole answer. A second view is keyness.csv per year
//! and topic, sortable. Everything (script, style, data) is inside the file:
//! it opens from disk with no server and no network, and can be mailed.
//!
//! Counting on the page is the tracked phrases' counting: a literal,
//! non-overlapping match in the normalised answer text without white space
//! (the text embedded here), over the answers the frequencies stage sized (at
//! least one word token), so a phrase's numbers equal phrase_freq.csv's for a
//! tracked phrase and `rhetoric-shift kwic`'s lines for any phrase. The page's
//! normalisation of a typed phrase is [`crate::text::normalise`] written again
//! in JavaScript (`explorer.js`), checked by the browser test.
//!
//! Above `[explorer] max_text_mb` of answer text (analysis.toml) the texts are
//! left out: the page then offers keyness only, the first 100 rows by LRC of
//! each (year, topic, reference, kind), and says so at the top. The page's fonts are the reader's: every
//! desktop and phone system has a Chinese font, and a subset covering a
//! corpus's characters would cost more than the 2 MB the seeds' page may take.

use std::collections::HashMap;

use polars::prelude::*;
use serde::Serialize;

use crate::config::topics::ALL;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::shifts::Keyness;
use crate::store::Store;
use crate::text::counted;
use crate::topics::Tagged;
use crate::vocab::{Category, PhraseKind, Reference};

const PAGE: &str = include_str!("explorer.html");
const SCRIPT: &str = include_str!("explorer.js");
const STYLE: &str = include_str!("explorer.css");

/// What the explore stage reads.
pub struct Inputs<'a> {
    pub answers: &'a DataFrame,
    pub tagged: &'a Tagged,
    /// answer_sizes.csv: which answers count (topic `all` rows) and their characters.
    pub answer_sizes: &'a DataFrame,
    pub coverage: &'a DataFrame,
    pub keyness: &'a Keyness,
    pub config: &'a Config,
}

/// What the explore stage produces.
pub struct Explorer {
    pub html: String,
}

impl Explorer {
    pub const FILE: &'static str = "explorer.html";

    pub fn write(&self, store: &Store) -> Result<()> {
        store.write_documents(&[(Explorer::FILE, &self.html)])
    }
}

/// The data the page carries, as JSON.
#[derive(Serialize)]
struct Data {
    /// Settings the page applies as the tables do.
    min_answers: usize,
    /// The significance threshold of q_perm: fainter rows above it.
    alpha: f64,
    window: usize,
    /// Whether answer texts are embedded (free search works).
    texts: bool,
    max_text_mb: f64,
    years: Vec<Year>,
    topics: Vec<Topic>,
    glossary: Vec<(String, String)>,
    tracked: Vec<(String, Vec<usize>)>,
    answers: Vec<Answer>,
    keyness: KeynessRows,
}

/// A year of coverage.csv: a gap where there is no transcript.
#[derive(Serialize)]
struct Year {
    year: i32,
    /// Empty for a year without a transcript.
    genre: String,
    questions: Option<u32>,
    asked: Option<u32>,
    share: Option<f64>,
}

#[derive(Serialize)]
struct Topic {
    id: String,
    zh: String,
    en: String,
}

/// One answer the frequencies stage sized, as an array: id, year, topic
/// indices, outlet, headline, question, text, characters, source line.
#[derive(Serialize)]
struct Answer(
    String,
    i32,
    Vec<usize>,
    String,
    String,
    String,
    String,
    u32,
    String,
);

/// keyness.csv with its phrases listed once: each row is year, topic index,
/// reference (0 rest, 1 previous), kind (index into `kinds`), phrase index,
/// a, b, G², LRC, log-odds z, q_perm.
#[derive(Serialize)]
struct KeynessRows {
    kinds: Vec<&'static str>,
    phrases: Vec<String>,
    rows: Vec<KeynessRow>,
}

/// year, topic, reference, kind, phrase, a, b, G², LRC, z, q_perm.
#[derive(Serialize)]
struct KeynessRow(i32, usize, u8, usize, usize, u64, u64, f64, f64, f64, f64);

/// Four significant digits: what the page shows, at a third of the bytes.
/// The value is first rounded as the CSV tables write it, so that the page
/// is the same whether a number comes from memory (`all`) or from a table
/// read back (`explore` on its own).
fn short(x: f64) -> f64 {
    let x: f64 = crate::table::format_float(x).parse().unwrap_or(x);
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let scale = 10f64.powi(3 - x.abs().log10().floor() as i32);
    (x * scale).round() / scale
}

fn strings<'a>(df: &'a DataFrame, name: &str) -> Result<&'a StringChunked> {
    Ok(df.column(name)?.str()?)
}

/// Builds the page (see the module documentation).
pub fn run(inp: &Inputs) -> Result<Explorer> {
    let config = inp.config;
    let topic_ids: Vec<&str> = std::iter::once(ALL).chain(config.topics.ids()).collect();
    let mut topics = vec![Topic {
        id: ALL.to_string(),
        zh: "全部".to_string(),
        en: "All answers".to_string(),
    }];
    topics.extend(config.topics.topics.iter().map(|t| Topic {
        id: t.id.clone(),
        zh: t.zh.clone(),
        en: t.en.clone(),
    }));
    let topic_index = |t: &str| topic_ids.iter().position(|x| *x == t);

    let years = years(inp.coverage)?;
    let sizes = inp.answer_sizes;
    let (sid, stopic, schars) = (
        strings(sizes, "id")?,
        strings(sizes, "topic")?,
        sizes.column("n_chars")?.u32()?,
    );
    let mut chars: HashMap<&str, u32> = HashMap::new();
    for i in 0..sizes.height() {
        if let (Some(id), Some(ALL), Some(c)) = (sid.get(i), stopic.get(i), schars.get(i)) {
            chars.insert(id, c);
        }
    }
    let tags = inp.tagged.by_answer()?;
    let a = inp.answers;
    let (id, year) = (strings(a, "id")?, a.column("year")?.i32()?);
    let (outlet, headline, question, answer) = (
        strings(a, "outlet")?,
        strings(a, "headline")?,
        strings(a, "question")?,
        strings(a, "answer")?,
    );
    let (source, line) = (
        strings(a, "source")?,
        a.column("line")?.cast(&DataType::String)?,
    );
    let line = line.str()?;
    let text_bytes: usize = answer.iter().flatten().map(str::len).sum();
    let max_text_mb = config.analysis.explorer.max_text_mb;
    let texts = text_bytes as f64 <= max_text_mb * 1e6;
    let mut answers = Vec::new();
    for i in 0..a.height() {
        let (Some(rid), Some(y)) = (id.get(i), year.get(i)) else {
            continue;
        };
        let Some(&n_chars) = chars.get(rid) else {
            continue;
        };
        let mut of: Vec<usize> = vec![0];
        for t in tags.get(rid).into_iter().flatten() {
            of.extend(topic_index(t));
        }
        let text = |c: &StringChunked| c.get(i).unwrap_or_default().to_string();
        answers.push(Answer(
            rid.to_string(),
            y,
            of,
            text(outlet),
            text(headline),
            if texts { text(question) } else { String::new() },
            if texts {
                counted(answer.get(i).unwrap_or_default())
            } else {
                String::new()
            },
            n_chars,
            format!(
                "{}:{}",
                source.get(i).unwrap_or_default(),
                line.get(i).unwrap_or_default()
            ),
        ));
    }
    let tracked = config
        .topics
        .topics
        .iter()
        .flat_map(|t| t.phrases.iter().map(move |p| (p, t.id.as_str())))
        .fold(Vec::<(String, Vec<usize>)>::new(), |mut acc, (p, t)| {
            let at = topic_index(t).unwrap_or(0);
            match acc.iter_mut().find(|x| &x.0 == p) {
                Some(x) => x.1.push(at),
                None => acc.push((p.clone(), vec![at])),
            }
            acc
        });
    let data = Data {
        min_answers: config.analysis.comparison.min_answers,
        alpha: config.analysis.comparison.alpha,
        window: config.analysis.kwic.window,
        texts,
        max_text_mb,
        years,
        topics,
        glossary: config
            .words
            .glossary
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        tracked,
        answers,
        // Without the texts (a large corpus) the keyness table is cut to the
        // rows the page shows first, so that the page stays openable.
        keyness: keyness_rows(
            inp.keyness.frame(),
            &topic_index,
            (!texts).then_some(KEYNESS_ROWS),
        )?,
    };
    let json = serde_json::to_string(&data)
        .map_err(|e| Error::Table(format!("explorer data: {e}")))?
        // Inside <script>, "</" would end the element early.
        .replace("</", "<\\/");
    let html = PAGE
        .replace("/*STYLE*/", STYLE)
        .replace("/*SCRIPT*/", SCRIPT)
        .replace("\"/*DATA*/\"", &json);
    Ok(Explorer { html })
}

/// The years of coverage.csv, gaps included.
fn years(coverage: &DataFrame) -> Result<Vec<Year>> {
    let year = coverage.column("year")?.i32()?;
    let genre = strings(coverage, "genre")?;
    let questions = coverage.column("questions")?.u32()?;
    let asked = coverage.column("questions_asked")?.u32()?;
    let share = coverage.column("questions_share")?.f64()?;
    let mut out: Vec<Year> = Vec::new();
    for i in 0..coverage.height() {
        let Some(y) = year.get(i) else { continue };
        let g = genre.get(i).unwrap_or_default().to_string();
        // A year with several transcripts has a row each; the page marks the
        // year by its first and leaves the share out.
        if let Some(prev) = out.iter_mut().find(|x| x.year == y) {
            prev.share = None;
            prev.asked = None;
            prev.questions = None;
            if !prev.genre.split('+').any(|x| x == g) && !g.is_empty() {
                prev.genre = format!("{}+{g}", prev.genre);
            }
            continue;
        }
        out.push(Year {
            year: y,
            genre: g,
            questions: questions.get(i),
            asked: asked.get(i),
            share: share.get(i).map(short),
        });
    }
    Ok(out)
}

/// The keyness rows the page shows before "show all" (explorer.js's
/// KEYNESS_ROWS), and all that a page without texts carries per family.
const KEYNESS_ROWS: usize = 100;

/// keyness.csv for the page; with `per_family`, only the first rows of each
/// (year, topic, reference, kind), which keyness.csv sorts by LRC.
fn keyness_rows(
    k: &DataFrame,
    topic_index: &dyn Fn(&str) -> Option<usize>,
    per_family: Option<usize>,
) -> Result<KeynessRows> {
    let kinds: Vec<&'static str> = PhraseKind::ALL.iter().map(|k| k.as_str()).collect();
    let (year, topic, reference, kind, phrase) = (
        k.column("year")?.i32()?,
        strings(k, "topic")?,
        strings(k, "reference")?,
        strings(k, "kind")?,
        strings(k, "phrase")?,
    );
    let (a, b) = (k.column("a")?.u64()?, k.column("b")?.u64()?);
    let [g2, lrc, z, q] =
        ["g2", "lrc", "logodds_z", "q_perm"].map(|c| k.column(c).and_then(|c| c.f64()));
    let (g2, lrc, z, q) = (g2?, lrc?, z?, q?);
    let mut phrases: Vec<String> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut rows = Vec::with_capacity(k.height());
    let (mut last_family, mut in_family) = (None, 0usize);
    for i in 0..k.height() {
        let (Some(y), Some(t), Some(r), Some(kd), Some(p)) = (
            year.get(i),
            topic.get(i).and_then(topic_index),
            reference.get(i),
            kind.get(i).and_then(|x| kinds.iter().position(|k| *k == x)),
            phrase.get(i),
        ) else {
            continue;
        };
        let family = (y, t, r, kd);
        if last_family != Some(family) {
            last_family = Some(family);
            in_family = 0;
        }
        in_family += 1;
        if per_family.is_some_and(|n| in_family > n) {
            continue;
        }
        let at = *index.entry(p).or_insert_with(|| {
            phrases.push(p.to_string());
            phrases.len() - 1
        });
        let f = |c: &Float64Chunked| short(c.get(i).unwrap_or(f64::NAN));
        rows.push(KeynessRow(
            y,
            t,
            u8::from(r != Reference::Rest.as_str()),
            kd,
            at,
            a.get(i).unwrap_or_default(),
            b.get(i).unwrap_or_default(),
            f(g2),
            f(lrc),
            f(z),
            f(q),
        ));
    }
    Ok(KeynessRows {
        kinds,
        phrases,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_significant_digits() {
        assert_eq!(short(123456.0), 123500.0);
        // Rounded as the CSV writes it first (six decimals, or six
        // significant digits below 1e-4), then to four significant digits.
        assert_eq!(short(0.000123456), 0.000123);
        assert_eq!(short(-0.0000123456), -0.00001235);
        assert_eq!(short(0.0), 0.0);
        assert!(short(f64::NAN).is_nan());
    }
}
