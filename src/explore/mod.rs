//! Stage 8, explore: `explorer.html`, one self-contained page for any phrase.
//!
//! The figures answer the questions the tool's author thought of; a China
//! watcher brings a new phrase. The page takes up to five phrases and draws,
//! per year, quarter or month, each one's rate per 10,000 characters with an
//! answer-level bootstrap interval and its number of answers, for everyone or
//! split by speaker; a period leads to its KWIC lines and a line to the whole
//! answer. A second view is keyness.csv per year
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
//! The answers' questions and texts travel apart from the data (`Texts`):
//! one text, the questions as a line of JSON and then each answer's text on
//! a line, gzipped and in base64 in an element of its own. The page runs its
//! phrase search (`search.js`, which it carries as text) in a Web Worker
//! started from a Blob, so that the page stays one file that needs no
//! server: the worker inflates the texts with the browser's own
//! DecompressionStream, then counts a phrase in every answer, resamples its
//! intervals and finds its KWIC lines off the page's thread, and the page
//! stays responsive meanwhile. The browser test measures the page at 60 MB
//! of answer text (bench/README.md, "Explorer at 60 MB").
//!
//! Above `[explorer] max_text_mb` of answer text (analysis.toml) the texts are
//! left out: the page then offers keyness only, the first `KEYNESS_ROWS` (100)
//! rows by LRC of each (year, topic, reference, kind), and says so at the top.
//!
//! The page carries its own font (`font.rs`): the characters it can show, cut
//! from the charts' font, so that it reads the same where no Chinese font is
//! installed, as on a fresh Linux.
//!
//! The data reaches the script as JSON whose tables are column names, then
//! rows (`Table`). The script looks each column up by name and stops with a
//! message if one is missing, so that the two sides cannot drift apart
//! silently.

mod font;
mod times;

use times::{span, years, Periods, Year};

use std::collections::{BTreeSet, HashMap};
use std::io::Write;

use base64::Engine;
use flate2::write::GzEncoder;
use flate2::Compression;

use polars::prelude::*;
use serde::Serialize;

use crate::categories::{Category, PhraseKind, Reference};
use crate::config::topics::ALL;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::period::Period;
use crate::shifts::Keyness;
use crate::shifts::ALL_SPEAKERS;
use crate::store::Store;
use crate::text::counted;
use crate::topics::Tagged;

const PAGE: &str = include_str!("explorer.html");
const SCRIPT: &str = include_str!("explorer.js");
const STYLE: &str = include_str!("explorer.css");
/// The phrase search's Web Worker, which the page starts from this text.
const SEARCH: &str = include_str!("search.js");

/// What the explore stage reads.
pub struct Inputs<'a> {
    pub answers: &'a DataFrame,
    pub tagged: &'a Tagged,
    /// answer_sizes.csv: which answers count (topic `all` rows) and their characters.
    pub answer_sizes: &'a DataFrame,
    pub coverage: &'a DataFrame,
    pub keyness: &'a Keyness,
    /// formulations.csv: offered in the phrase box.
    pub formulations: &'a DataFrame,
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
    /// The page's title in each language, describing the corpus it holds
    /// ([`crate::ingest::Summary`]).
    title: Title,
    /// Settings the page applies as the tables do.
    min_answers: usize,
    /// The significance threshold of q_perm: fainter rows above it.
    alpha: f64,
    window: usize,
    /// Whether answer texts are embedded (free search works).
    texts: bool,
    max_text_mb: f64,
    /// [`KEYNESS_ROWS`].
    keyness_rows: usize,
    /// The period the page opens at: the run's (`[time] period`, `--period`).
    period: &'static str,
    /// The year view's periods: coverage.csv's years, gaps included.
    years: Vec<Year>,
    /// The quarter and month views' periods.
    periods: Periods,
    topics: Vec<Topic>,
    glossary: Vec<Gloss>,
    /// The formulations of formulations.csv, best first, offered as the
    /// phrase box's suggestions.
    formulations: Vec<Offer>,
    /// Rows of [`PageAnswer`].
    answers: Table,
    keyness: KeynessRows,
}

/// The page's title in Chinese and English.
#[derive(Serialize)]
struct Title {
    zh: String,
    en: String,
}

/// A table for the page: its column names once, then each row's values in
/// that order. Named fields on every row would more than double the keyness
/// table, which has thousands of rows; bare arrays would leave the script to
/// count positions. The names are the fields of the Rust row type, so they
/// are written in one place only.
#[derive(Serialize)]
struct Table {
    columns: Vec<String>,
    rows: Vec<Vec<serde_json::Value>>,
}

impl Table {
    fn of<T: Serialize + Default>(rows: &[T]) -> Result<Table> {
        let fields = |row: &T| match serde_json::to_value(row) {
            Ok(serde_json::Value::Object(fields)) => Ok(fields),
            _ => Err(Error::Table("explorer data: a row is not a struct".into())),
        };
        // A default row names the columns even when there are no rows.
        let columns: Vec<String> = fields(&T::default())?.keys().cloned().collect();
        let rows = rows
            .iter()
            .map(|row| {
                let mut fields = fields(row)?;
                Ok(columns
                    .iter()
                    .map(|c| fields.remove(c).unwrap_or_default())
                    .collect())
            })
            .collect::<Result<_>>()?;
        Ok(Table { columns, rows })
    }
}

#[derive(Serialize)]
struct Topic {
    id: String,
    zh: String,
    en: String,
}

/// A formulation the phrase box offers, with the years it is new or
/// dropped in.
#[derive(Serialize)]
struct Offer {
    phrase: String,
    /// e.g. "said 2018–2026; new 2024".
    label: String,
}

/// The formulations of formulations.csv in rank order, each with the dates
/// of its first and last use and whether it entered or left.
fn offers(df: &DataFrame) -> Result<Vec<Offer>> {
    use crate::categories::Change;
    let (text, first, last, change) = (
        df.column("formulation")?.str()?,
        df.column("first_date")?.str()?,
        df.column("last_date")?.str()?,
        df.column("change")?.str()?,
    );
    let (q_entry, q_exit) = (df.column("q_entry")?.f64()?, df.column("q_exit")?.f64()?);
    let mut out: Vec<Offer> = Vec::new();
    for i in 0..df.height() {
        let Some(t) = text.get(i) else { continue };
        if out.last().is_some_and(|o| o.phrase == t) {
            continue;
        }
        let (a, b) = (
            first.get(i).unwrap_or_default(),
            last.get(i).unwrap_or_default(),
        );
        let mut label = vec![if a == b {
            format!("said {a}")
        } else {
            format!("said {a} – {b}")
        }];
        let ch = change.get(i).unwrap_or_default();
        if ch == Change::Entered.as_str() || ch == Change::EnteredLeft.as_str() {
            label.push(format!(
                "entered (q = {:.2e})",
                q_entry.get(i).unwrap_or(1.0)
            ));
        }
        if ch == Change::Left.as_str() || ch == Change::EnteredLeft.as_str() {
            label.push(format!("left (q = {:.2e})", q_exit.get(i).unwrap_or(1.0)));
        }
        out.push(Offer {
            phrase: t.to_string(),
            label: label.join("; "),
        });
    }
    Ok(out)
}

/// A phrase of glossary.csv and its English.
#[derive(Serialize)]
struct Gloss {
    zh: String,
    en: String,
}

/// One answer the frequencies stage sized.
#[derive(Serialize, Default)]
struct PageAnswer {
    id: String,
    year: i32,
    /// The month of its date (1–12), 0 where the date gives none in its
    /// year: such an answer counts at year only.
    month: i32,
    /// Indices into `topics`: 0 (all answers), then the answer's tags.
    topics: Vec<usize>,
    outlet: String,
    /// Whose words the answer is (answers.csv `speaker`).
    speaker: String,
    headline: String,
    /// answer_sizes.csv's n_chars.
    chars: u32,
    /// The transcript file and line.
    source: String,
}

/// keyness.csv with its kinds and phrases listed once and rows of
/// [`KeynessRow`].
#[derive(Serialize)]
struct KeynessRows {
    kinds: Vec<&'static str>,
    phrases: Vec<String>,
    #[serde(flatten)]
    table: Table,
}

/// A row of keyness.csv, its statistics to four significant digits.
#[derive(Serialize, Default)]
struct KeynessRow {
    year: i32,
    /// Index into `topics`.
    topic: usize,
    /// 0: the other years, 1: the previous year.
    reference: u8,
    /// Index into `kinds`.
    kind: usize,
    /// Index into `phrases`.
    phrase: usize,
    a: u64,
    b: u64,
    g2: f64,
    lrc: f64,
    logodds_z: f64,
    q_perm: f64,
}

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
    let topic_index = |t: &str| topic_ids.iter().position(|x| *x == t);
    let years = years(inp.coverage)?;
    let text_bytes: usize = strings(inp.answers, "answer")?
        .iter()
        .flatten()
        .map(str::len)
        .sum();
    let max_text_mb = config.analysis.explorer.max_text_mb;
    let texts = text_bytes as f64 <= max_text_mb * 1e6;
    let (answers, words) = answers(inp, &topic_index, texts)?;
    let summary = crate::ingest::Summary::of(inp.answers)?;
    let partial_below = config.layout.partial_year_below;
    let data = Data {
        title: Title {
            zh: summary.chinese_title(),
            en: summary.english_title(),
        },
        min_answers: config.analysis.comparison.min_answers,
        alpha: config.analysis.comparison.alpha,
        window: config.analysis.kwic.window,
        texts,
        max_text_mb,
        keyness_rows: KEYNESS_ROWS,
        period: config.analysis.time.period.as_str(),
        years,
        periods: Periods {
            quarter: span(inp.answers, inp.coverage, Period::Quarter, partial_below)?,
            month: span(inp.answers, inp.coverage, Period::Month, partial_below)?,
        },
        topics: topics(config),
        glossary: config
            .words
            .glossary
            .iter()
            .map(|(zh, en)| Gloss {
                zh: zh.clone(),
                en: en.clone(),
            })
            .collect(),
        formulations: offers(inp.formulations)?,
        answers: Table::of(&answers)?,
        // Without the texts (a large corpus) the keyness table is cut to the
        // rows the page shows first, so that the page stays openable.
        keyness: keyness_rows(
            inp.keyness.frame(),
            &topic_index,
            (!texts).then_some(KEYNESS_ROWS),
        )?,
    };
    page(&data, words.map(|w| w.packed()).transpose()?.as_deref())
}

/// The page's topics: `all`, then those of topics.toml.
fn topics(config: &Config) -> Vec<Topic> {
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
    topics
}

/// The characters of each answer the frequencies stage sized
/// (answer_sizes.csv, topic `all`).
fn sized(sizes: &DataFrame) -> Result<HashMap<&str, u32>> {
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
    Ok(chars)
}

/// The answers the frequencies stage sized, in answers.csv's order, with
/// their topics' indices; their questions and texts only with `texts`.
fn answers(
    inp: &Inputs,
    topic_index: &dyn Fn(&str) -> Option<usize>,
    texts: bool,
) -> Result<(Vec<PageAnswer>, Option<Texts>)> {
    let chars = sized(inp.answer_sizes)?;
    let tags = inp.tagged.by_answer()?;
    let a = inp.answers;
    let (id, year, date) = (
        strings(a, "id")?,
        a.column("year")?.i32()?,
        strings(a, "date")?,
    );
    let speaker = strings(a, "speaker")?;
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
    let mut answers = Vec::new();
    let mut words = texts.then(Texts::default);
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
        if let Some(w) = words.as_mut() {
            w.questions.push(text(question));
            w.texts.push(counted(answer.get(i).unwrap_or_default()));
        }
        answers.push(PageAnswer {
            id: rid.to_string(),
            year: y,
            month: Period::Month
                .key(y, date.get(i))
                .map_or(0, |k| k - y * 12 + 1),
            topics: of,
            outlet: text(outlet),
            speaker: text(speaker),
            headline: text(headline),
            chars: n_chars,
            source: format!(
                "{}:{}",
                source.get(i).unwrap_or_default(),
                line.get(i).unwrap_or_default()
            ),
        });
    }
    Ok((answers, words))
}

/// The page's answers' questions and texts, in their order, which the page
/// carries apart from its data (see the module documentation).
#[derive(Default)]
struct Texts {
    questions: Vec<String>,
    /// The normalised text without white space, where phrases are counted.
    texts: Vec<String>,
}

impl Texts {
    /// The one text the page inflates: the questions as a line of JSON (which
    /// writes a line break inside a string as `\n`), then each answer's text
    /// on a line of its own, which needs no escape because
    /// [`counted`] leaves no white space in it.
    fn packed(&self) -> Result<String> {
        let questions = serde_json::to_string(&self.questions)
            .map_err(|e| Error::Table(format!("explorer questions: {e}")))?;
        let size = self.texts.iter().map(|t| t.len() + 1).sum::<usize>();
        let mut out = String::with_capacity(questions.len() + size);
        out.push_str(&questions);
        for text in &self.texts {
            out.push('\n');
            out.push_str(text);
        }
        Ok(out)
    }
}

/// `text` gzipped, then in base64, as the page embeds it: the browser's
/// DecompressionStream reads gzip, and base64 is safe inside a `<script>`
/// element (it holds no `<`) at a third more than the bytes.
fn gzip_base64(text: &str) -> Result<String> {
    let bad = |e: std::io::Error| Error::Table(format!("explorer texts: gzip: {e}"));
    let mut gz = GzEncoder::new(Vec::new(), Compression::default());
    gz.write_all(text.as_bytes()).map_err(bad)?;
    let gzipped = gz.finish().map_err(bad)?;
    Ok(base64::engine::general_purpose::STANDARD.encode(gzipped))
}

/// The page: its data as JSON in the script, the answers' questions and
/// texts (`packed`, [`Texts::packed`]) gzipped beside it, the search worker's
/// script, and the font of the characters it can show.
fn page(data: &Data, packed: Option<&str>) -> Result<Explorer> {
    let json = serde_json::to_string(data)
        .map_err(|e| Error::Table(format!("explorer data: {e}")))?
        // Inside <script>, "</" would end the element early.
        .replace("</", "<\\/");
    // What the page can show: its data and texts, its own strings (the
    // script's two languages, the page's markup).
    let chars = shown(&[&json, packed.unwrap_or_default(), SCRIPT, SEARCH, PAGE]);
    let font = base64::engine::general_purpose::STANDARD.encode(font::woff2(&chars)?);
    let texts = packed.map(gzip_base64).transpose()?.unwrap_or_default();
    // The data goes in last: what it holds is never taken for a marker.
    let html = PAGE
        .replace("/*STYLE*/", &STYLE.replace("/*FONT*/", &font))
        .replace("/*SCRIPT*/", SCRIPT)
        .replace("/*SEARCH*/", SEARCH)
        .replace("/*TEXTS*/", &texts)
        .replace("\"/*DATA*/\"", &json);
    Ok(Explorer { html })
}

/// The characters of `texts` and the printable ASCII a reader types, less
/// control characters. Marked in a table of every code point, then
/// collected: inserting each character into the set cost 0.8 s more at 60 MB
/// of answers.
fn shown(texts: &[&str]) -> BTreeSet<char> {
    let mut seen = vec![false; char::MAX as usize + 1];
    for c in texts.iter().flat_map(|t| t.chars()).chain(' '..='~') {
        seen[c as usize] = true;
    }
    (0..=char::MAX as u32)
        .filter(|&c| seen[c as usize])
        .filter_map(char::from_u32)
        .filter(|c| !c.is_control())
        .collect()
}

/// The keyness rows the page shows before "show all", and all that a page
/// without texts carries per family. The page reads it from the data.
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
    // The page compares years (rest, previous): everyone's families only.
    let speaker = strings(k, "speaker")?;
    let (a, b) = (k.column("a")?.u64()?, k.column("b")?.u64()?);
    let [g2, lrc, z, q] =
        ["g2", "lrc", "logodds_z", "q_perm"].map(|c| k.column(c).and_then(|c| c.f64()));
    let (g2, lrc, z, q) = (g2?, lrc?, z?, q?);
    let mut phrases: Vec<String> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut rows = Vec::with_capacity(k.height());
    let (mut last_family, mut in_family) = (None, 0usize);
    for i in (0..k.height()).filter(|&i| speaker.get(i) == Some(ALL_SPEAKERS)) {
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
        rows.push(KeynessRow {
            year: y,
            topic: t,
            reference: u8::from(r != Reference::Rest.as_str()),
            kind: kd,
            phrase: at,
            a: a.get(i).unwrap_or_default(),
            b: b.get(i).unwrap_or_default(),
            g2: f(g2),
            lrc: f(lrc),
            logodds_z: f(z),
            q_perm: f(q),
        });
    }
    Ok(KeynessRows {
        kinds,
        phrases,
        table: Table::of(&rows)?,
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
