//! Stage 7, report: `output/report.md` and a self-contained `output/report.html`
//! (figures inlined as outlined SVG), written from the analysis tables and charts.
//! The report is built once as a [`document`] and written by two writers,
//! [`markdown`] and [`html`].
//!
//! Contents: the corpus coverage and its gaps; per headline topic its trend
//! figure, the tracked phrases rising and falling most (by slope) with one KWIC
//! line each, and the register index by year; then how every number was computed.
//! Nothing in it depends on the clock, so reruns give the same bytes.

mod document;
mod formulations;
mod html;
mod markdown;
mod speakers;

use std::collections::BTreeSet;

use polars::prelude::*;

use crate::categories::{Category, Genre};
use crate::charts::FigureId;
use crate::config::topics::ALL;
use crate::config::Config;
use crate::error::Result;
use crate::frequencies::TopicYear;
use crate::period::Period;
use crate::shifts::kwic::Kwic;
use crate::shifts::speakers::SpeakerRegister;
use crate::shifts::{Keyness, RegisterIndex, Trends, ALL_SPEAKERS};
use crate::store::Store;
use crate::table::format_float;
use document::{bold, code, data, marked, text, Block, Inline};

/// The inputs of the report: analysis tables and the outlined SVG of the charts.
pub struct Inputs<'a> {
    pub topic_year: &'a TopicYear,
    pub trends: &'a Trends,
    pub register: &'a RegisterIndex,
    pub speakers: &'a SpeakerRegister,
    pub keyness: &'a Keyness,
    pub kwic: &'a Kwic,
    /// formulations.csv, and the answers and their topics for its KWIC lines.
    pub formulations: &'a DataFrame,
    pub answers: &'a DataFrame,
    pub tagged: &'a crate::topics::Tagged,
    /// The data folder's settings: the report states the parameters it was run with.
    pub config: &'a Config,
    /// (chart name without extension, SVG text), for the HTML report.
    pub svgs: Vec<(String, String)>,
}

/// The value of column `c` at row `i` as text, empty where null or missing.
fn value(df: &DataFrame, c: &str, i: usize) -> String {
    df.column(c)
        .ok()
        .and_then(|col| col.get(i).ok())
        .map(|v| match v {
            AnyValue::Null => String::new(),
            AnyValue::String(x) => x.to_string(),
            AnyValue::StringOwned(x) => x.to_string(),
            AnyValue::Float64(f) => format_float(f),
            other => other.to_string(),
        })
        .unwrap_or_default()
}

/// The report as a document (see the module documentation for its parts).
fn document(inp: &Inputs) -> Result<Vec<Block>> {
    let period = Period::of_table(inp.topic_year.frame())?;
    let word = period.as_str();
    let mut doc = coverage(inp, period)?;
    doc.push(figure(
        FigureId::Salience,
        &format!("Topic salience by {word}"),
    ));
    doc.push(figure(FigureId::Overview, "Headline topics"));
    // The whole of each conference first (topic `all`), then the headline topics.
    let sections = std::iter::once((ALL, "All answers 全部回答".to_string(), None)).chain(
        inp.config.topics.headline().map(|t| {
            (
                t.id.as_str(),
                format!("{} {}", t.en, t.zh),
                Some(t.en.as_str()),
            )
        }),
    );
    for (t, heading, en) in sections {
        doc.push(Block::Heading(2, heading));
        if let Some(en) = en {
            doc.push(figure(FigureId::Trend(t.to_string()), en));
        }
        doc.extend(trends(inp, t)?);
        doc.extend(register(inp, t, word));
    }
    doc.push(figure(FigureId::Register, "Register index"));
    doc.extend(speakers::section(inp, figure));
    doc.extend(formulations::section(inp)?);
    doc.extend(methods(inp.config));
    Ok(doc)
}

/// A figure of the report, by its chart's key.
fn figure(id: FigureId, caption: &str) -> Block {
    Block::Figure {
        id,
        caption: caption.to_string(),
    }
}

/// A table cell: empty, or the text.
fn cell(v: String) -> Vec<Inline> {
    if v.is_empty() {
        vec![]
    } else {
        vec![text(v)]
    }
}

/// The title, the opening sentence and the corpus coverage: every period of
/// the span with its answers, words and characters (or "no transcript"),
/// the periods missing, and the transcripts that are not complete.
fn coverage(inp: &Inputs, period: Period) -> Result<Vec<Block>> {
    let mut doc = Vec::new();
    let ty = inp.topic_year.frame();
    let all: Vec<usize> = (0..ty.height())
        .filter(|&i| value(ty, "topic", i) == ALL)
        .collect();
    // The periods with answers, by key (consecutive periods, consecutive
    // keys: see crate::period), so that a gap is a missing key.
    let keys = period.keys(ty)?;
    let years: Vec<i32> = all.iter().filter_map(|&i| keys[i]).collect();
    let have: BTreeSet<i32> = years.iter().copied().collect();
    let (first, last) = (
        years.first().copied().unwrap_or(0),
        years.last().copied().unwrap_or(0),
    );
    let (first_year, last_year) = (period.year(first), period.year(last));
    let span = if first_year == last_year {
        first_year.to_string()
    } else {
        format!("{first_year}–{last_year}")
    };
    doc.push(Block::Heading(1, "rhetoric-shift report".into()));
    let opening = crate::ingest::Summary::of(inp.answers)?.sentence(&span);
    doc.push(Block::Para(marked(&format!(
        "{opening} Generated by `rhetoric-shift all` from the tables in `tables/`; every \
         number below can be traced there."
    ))));
    doc.push(Block::Heading(2, "Corpus coverage".into()));
    let rows = (first..=last)
        .map(|k| match all.iter().find(|&&i| keys[i] == Some(k)) {
            Some(&i) => ["period", "n_answers", "n_tokens", "n_chars"]
                .iter()
                .map(|c| cell(value(ty, c, i)))
                .collect(),
            None => vec![
                cell(period.label(k)),
                cell("no transcript".into()),
                vec![],
                vec![],
            ],
        })
        .collect();
    doc.push(Block::Table {
        head: [period.as_str(), "answers", "words", "characters"]
            .map(String::from)
            .to_vec(),
        rows,
    });
    let gaps: Vec<String> = (first..=last)
        .filter(|k| !have.contains(k))
        .map(|k| period.label(k))
        .collect();
    doc.extend(gaps_note(period, &gaps));
    doc.extend(caveats(&inp.config.corpus));
    Ok(doc)
}

/// What the periods without a transcript are. Said only of a corpus with
/// gaps in its span: of one without, there is nothing to say.
fn gaps_note(period: Period, gaps: &[String]) -> Option<Block> {
    if gaps.is_empty() {
        return None;
    }
    let periods = match period {
        Period::Year => "Years",
        Period::Quarter => "Quarters",
        Period::Month => "Months",
    };
    Some(Block::Para(vec![text(format!(
        "{periods} without a transcript ({}) are missing data, not zero: they have no rows \
         in the tables and are shaded grey in the figures, and no line crosses them.",
        gaps.join(", ")
    ))]))
}

/// The transcripts that are not a complete record (their caveats in
/// `data/corpus.toml`); nothing where every one is.
fn caveats(corpus: &crate::config::corpus::Corpus) -> Vec<Block> {
    let caveats: Vec<Vec<Inline>> = corpus
        .files
        .iter()
        .filter_map(|f| {
            let caveat = corpus.manifest.entries.get(&f.file)?.caveat.as_deref()?;
            Some(vec![text(format!("{}: ", f.year)), data(caveat)])
        })
        .collect();
    if caveats.is_empty() {
        return Vec::new();
    }
    vec![
        Block::Para(marked(
            "Not every transcript is a complete record of its conference (`data/corpus.toml`):",
        )),
        Block::List(caveats),
        Block::Para(vec![text(
            "Counts are compared as rates per 10,000 words, but a partial transcript rests on \
             fewer answers, and its editors chose which ones.",
        )]),
    ]
}

/// A topic's trends: how they are tested, the phrases rising, falling and
/// significant only before correction, each with a KWIC line, and what the
/// others show.
fn trends(inp: &Inputs, t: &str) -> Result<Vec<Block>> {
    let level = format_float(inp.config.analysis.bootstrap.level * 100.0);
    let moves = movers(inp.trends.frame(), t)?;
    let mut doc = vec![Block::Para(vec![
        bold("Trends"),
        text(format!(
            " of the tracked phrases, per 10,000 words a year: a phrase is rising or falling \
             only where the bootstrap test of its slope (answers resampled in every compared \
             year) gives q < {alpha} after Benjamini–Hochberg correction over the topic's \
             phrases; the {level}% interval of the slope is given with it.",
            alpha = format_float(inp.config.analysis.comparison.alpha)
        )),
    ])];
    for (title, rows, latest) in [
        ("Rising", &moves.rising, true),
        ("Falling", &moves.falling, false),
        (
            "Interval excludes 0, but not significant after correction",
            &moves.uncorrected,
            true,
        ),
    ] {
        if rows.is_empty() {
            continue;
        }
        doc.push(Block::Para(vec![bold(title)]));
        let items = rows
            .iter()
            .map(|m| mover_item(inp, t, m, &level, latest))
            .collect();
        doc.push(Block::List(items));
    }
    doc.push(no_change(inp, &moves));
    Ok(doc)
}

/// A moving phrase: its slope, interval and test, the years it was said,
/// and a KWIC line (from the latest year, or the earliest).
fn mover_item(inp: &Inputs, t: &str, m: &Mover, level: &str, latest: bool) -> Vec<Inline> {
    let said = if m.first_year.is_empty() {
        "never".to_string()
    } else {
        format!("{}–{}", m.first_year, m.last_year)
    };
    let mut item = vec![
        bold(&m.phrase),
        text(format!(
            ": slope {} ({level}% interval {} to {}; bootstrap p {}, q {}), \
             said {said}",
            sig(m.slope),
            sig(m.low),
            sig(m.high),
            sig(m.p),
            sig(m.q)
        )),
    ];
    if let Some(line) = kwic_line(inp.kwic.frame(), t, &m.phrase, latest) {
        item.push(text(". "));
        item.extend(line);
    }
    item
}

/// What the phrases that do not move show: none testable, none moving, or
/// the rest without a detectable change.
fn no_change(inp: &Inputs, moves: &Moves) -> Block {
    let min_answers = inp.config.analysis.comparison.min_answers;
    let tested = moves.rising.len() + moves.falling.len() + moves.flat;
    if tested == 0 {
        Block::Para(vec![text(format!(
            "No trend can be tested: for each of the {} tracked phrase(s) a compared year \
             has fewer than {min_answers} answers on the topic, too few to tell.",
            moves.too_few
        ))])
    } else if moves.rising.is_empty() && moves.falling.is_empty() {
        Block::Para(vec![text(format!(
            "No detectable change: none of the {tested} tracked phrase(s) tested has q < \
             {}, and for {} more a compared year has fewer than {min_answers} answers on \
             the topic, too few to tell.",
            format_float(inp.config.analysis.comparison.alpha),
            moves.too_few
        ))])
    } else {
        Block::Para(vec![text(format!(
            "No detectable change for the other {} tracked phrase(s); {} more have a \
             compared year with fewer than {min_answers} answers, too few to tell.",
            moves.flat, moves.too_few
        ))])
    }
}

/// A topic's register index by period, with its interval (everyone's
/// answers).
fn register(inp: &Inputs, t: &str, word: &str) -> [Block; 2] {
    let level = format_float(inp.config.analysis.bootstrap.level * 100.0);
    let min_answers = inp.config.analysis.comparison.min_answers;
    let reg = inp.register.frame();
    let rows = (0..reg.height())
        .filter(|&i| value(reg, "topic", i) == t && value(reg, "speaker", i) == ALL_SPEAKERS)
        .map(|i| {
            let share = |c: &str| value(reg, c, i).parse::<f64>().ok();
            let note = value(reg, "note", i);
            let interval = match (share("share_low"), share("share_high")) {
                (Some(lo), Some(hi)) => format!("{}–{}", sig(lo), sig(hi)),
                _ if note == crate::shifts::SAME_EVERY_RESAMPLE => {
                    "none (every replicate alike)".to_string()
                }
                _ if !note.is_empty() => {
                    format!("none ({} answers)", value(reg, "n_answers", i))
                }
                _ => String::new(),
            };
            vec![
                cell(value(reg, "period", i)),
                cell(value(reg, "genre", i)),
                cell(value(reg, "hardline", i)),
                cell(value(reg, "conciliatory", i)),
                cell(share("hardline_share").map(sig).unwrap_or_default()),
                cell(interval),
            ]
        })
        .collect();
    [
        Block::Para(vec![
            bold("Register"),
            text(format!(
                " (hard-line share of register formulas, {level}% bootstrap interval; no \
                 interval with fewer than {min_answers} answers):"
            )),
        ]),
        Block::Table {
            head: [
                word,
                "genre",
                "hard-line",
                "conciliatory",
                "share",
                "interval",
            ]
            .map(String::from)
            .to_vec(),
            rows,
        },
    ]
}

/// How every number was computed, with the parameters of this run.
fn methods(config: &Config) -> [Block; 2] {
    let s = &config.topics.scoring;
    let b = &config.analysis.bootstrap;
    let tail = format_float((1.0 - b.level) / 2.0 * 100.0);
    let head = format_float((1.0 + b.level) / 2.0 * 100.0);
    let filled = METHODS
        .replace("{question_weight}", &format_float(s.question_weight))
        .replace("{answer_weight}", &format_float(s.answer_weight))
        .replace("{min_score}", &format_float(s.min_score))
        .replace("{level}", &format_float(b.level * 100.0))
        .replace("{replicates}", &b.replicates.to_string())
        .replace("{low_quantile}", &tail)
        .replace("{high_quantile}", &head)
        .replace(
            "{excluded}",
            &excluded(&config.analysis.comparison.exclude_genres),
        )
        .replace(
            "{min_answers}",
            &config.analysis.comparison.min_answers.to_string(),
        )
        .replace(
            "{permutations}",
            &config.analysis.keyness.permutations.to_string(),
        )
        .replace("{alpha}", &format_float(config.analysis.comparison.alpha))
        .replace(
            "{min_p}",
            &format_float(1.0 / (f64::from(config.analysis.keyness.permutations) + 1.0)),
        );
    [
        Block::Heading(2, "How every number was computed".into()),
        Block::List(filled.lines().map(marked).collect()),
    ]
}

/// Which genres the comparisons across years leave out (`[comparison] exclude_genres`).
fn excluded(genres: &[Genre]) -> String {
    if genres.is_empty() {
        return "Every genre enters the comparisons across years (keyness, slopes).".into();
    }
    let names: Vec<&str> = genres.iter().map(|g| g.as_str()).collect();
    format!(
        "Years of genre {} never enter a comparison across years (keyness, slopes); they keep \
         their own rows.",
        names.join(", ")
    )
}

/// The methods, one item a line; the placeholders are filled from the loaded config.
const METHODS: &str =
    "**Answers.** The ingest repairs layout damage (captions, page furniture, sentences cut by \
column breaks, duplicated passages) and logs every repair in `tables/repairs.csv`. Only the \
minister's words are counted: answers, opening and closing statements, sidebar excerpts; never \
the questions.
**Topics.** Cue terms from `data/topics.toml`, matched longest first; a cue in the question or \
headline weighs {question_weight}, in the answer {answer_weight}; a topic is tagged from a score \
of {min_score} (`tables/answer_topics.csv`).
**Rates.** Text is normalised (ASCII and full-width punctuation, digits, letters) and segmented \
with jieba-rs and the project dictionary. Tracked phrases are literal string counts in the \
normalised text, so segmentation cannot change them. A rate is occurrences per 10,000 word tokens \
of the (year, topic)'s answers (`tables/phrase_freq.csv`).
**Intervals.** {level}% bootstrap intervals: the answers of a (year, topic) resampled with \
replacement, {replicates} replicates, fixed seed (`data/analysis.toml`); the {low_quantile}% and \
{high_quantile}% quantiles.
**Like with like.** {excluded} A (year, topic) with fewer than {min_answers} answers gets no \
interval: resampling so few answers would give one of (nearly) zero width.
**Trends.** Slope: least squares of the rate on the calendar year over the compared years in \
which the topic has answers; its {level}% interval and two-sided p from the same bootstrap \
(every year's answers resampled, the slope refitted, {replicates} replicates), and q by \
Benjamini–Hochberg over the topic's phrases. A phrase is called rising or falling only where \
q < {alpha} (`tables/shifts.csv`).
**Keyness.** Signed G², Log Ratio, LRC (Evert's conservative log ratio, the effect size rows are \
ranked by) and the log-odds z with informative Dirichlet prior (Monroe, Colaresi & Quinn 2008); \
token-level p from χ²(1) and its Benjamini–Hochberg q; and the answer-level test the report \
relies on: whole answers split again between the year and its reference, p from every split \
where there are at most {permutations}, from {permutations} random splits where a side is small \
(smallest p {min_p}), and from the exact permutation variance (normal) or the phrase's own \
answers enumerated (conditional) where both sides are large; never below the token-level p; \
Benjamini–Hochberg q_perm over every tested phrase of a year, topic, reference and kind; a \
shift where q_perm < {alpha} (`tables/keyness.csv`).
**Register.** Hard-line and conciliatory formulas from `data/lexicons/`; the index is \
hard-line / (hard-line + conciliatory) (`tables/register.csv`).
**Evidence.** Every occurrence of a tracked phrase is in `tables/kwic.csv`; \
`rhetoric-shift kwic PHRASE` prints a concordance.
";

/// A tracked phrase whose slope interval excludes 0.
struct Mover {
    phrase: String,
    slope: f64,
    low: f64,
    high: f64,
    p: f64,
    q: f64,
    first_year: String,
    last_year: String,
}

/// A topic's tracked phrases by trend: those rising and falling (largest
/// slopes first) and how many show no detectable change or have too few answers.
struct Moves {
    rising: Vec<Mover>,
    falling: Vec<Mover>,
    /// No detectable change, but the interval excludes 0 (before correction).
    uncorrected: Vec<Mover>,
    /// No detectable change (the uncorrected ones included).
    flat: usize,
    too_few: usize,
}

/// The trends of a topic's tracked phrases (shifts.csv, one row per phrase).
fn movers(trends: &DataFrame, topic: &str) -> Result<Moves> {
    let per_phrase = trends
        .clone()
        .lazy()
        .filter(
            col("topic")
                .eq(lit(topic))
                .and(col("speaker").eq(lit(ALL_SPEAKERS))),
        )
        .group_by([col("phrase")])
        .agg([
            col("trend").first(),
            col("slope").first(),
            col("slope_low").first(),
            col("slope_high").first(),
            col("p_slope").first(),
            col("q_slope").first(),
            col("first_year").first(),
            col("last_year").first(),
        ])
        .sort_by_exprs(
            [col("slope"), col("phrase")],
            SortMultipleOptions::default().with_order_descending_multi([true, false]),
        )
        .collect()?;
    let mut moves = Moves {
        rising: Vec::new(),
        falling: Vec::new(),
        uncorrected: Vec::new(),
        flat: 0,
        too_few: 0,
    };
    let num = |c: &str, i: usize| value(&per_phrase, c, i).parse::<f64>().unwrap_or(f64::NAN);
    for i in 0..per_phrase.height() {
        let mover = || Mover {
            phrase: value(&per_phrase, "phrase", i),
            slope: num("slope", i),
            low: num("slope_low", i),
            high: num("slope_high", i),
            p: num("p_slope", i),
            q: num("q_slope", i),
            first_year: value(&per_phrase, "first_year", i),
            last_year: value(&per_phrase, "last_year", i),
        };
        match value(&per_phrase, "trend", i).as_str() {
            "rising" => moves.rising.push(mover()),
            "falling" => moves.falling.push(mover()),
            "no detectable change" => {
                moves.flat += 1;
                let m = mover();
                if m.low > 0.0 || m.high < 0.0 {
                    moves.uncorrected.push(m);
                }
            }
            _ => moves.too_few += 1,
        }
    }
    moves.falling.reverse();
    Ok(moves)
}

/// A number with three significant digits, as the report states numbers.
fn sig(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format_float(x);
    }
    let decimals = (2 - x.abs().log10().floor() as i32).max(0);
    format!("{x:.*}", decimals as usize)
}

/// One KWIC line of a phrase in a topic: the latest occurrence, or the earliest.
fn kwic_line(kwic: &DataFrame, topic: &str, phrase: &str, latest: bool) -> Option<Vec<Inline>> {
    let rows = kwic
        .clone()
        .lazy()
        .filter(
            col("topic")
                .eq(lit(topic))
                .and(col("phrase").eq(lit(phrase))),
        )
        .collect()
        .ok()?;
    if rows.height() == 0 {
        return None;
    }
    let i = if latest { rows.height() - 1 } else { 0 };
    Some(vec![
        text(format!("{} ", value(&rows, "year", i))),
        code(value(&rows, "id", i)),
        text(": …"),
        data(value(&rows, "left", i)),
        bold(value(&rows, "phrase", i)),
        data(value(&rows, "right", i)),
        text("…"),
    ])
}

/// What the report stage produces.
pub struct Report {
    pub md: String,
    pub html: String,
}

impl Report {
    pub fn write(&self, store: &Store) -> Result<()> {
        store.write_documents(&[("report.md", &self.md), ("report.html", &self.html)])
    }
}

/// Both reports, from one document.
pub fn run(inp: &Inputs) -> Result<Report> {
    let doc = document(inp)?;
    Ok(Report {
        md: markdown::write(&doc),
        html: html::write(&doc, &inp.svgs)?,
    })
}
