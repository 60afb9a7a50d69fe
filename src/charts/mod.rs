//! Stage 6, charts: figures for papers from the analysis tables, with real
//! Chinese glyphs on every machine.
//!
//! Plotting only ever takes an analysis result (shifts.csv, topic_year.csv,
//! keyness.csv, register.csv), never text. Each figure is drawn once as SVG with
//! plotters, then parsed by usvg with the embedded WenQuanYi Micro Hei font
//! (`data/fonts/`, Apache-2.0) and written three ways:
//! - `.svg` with every glyph outlined as a path, so it looks the same on a
//!   machine without the font, a viewBox so that it scales as a whole, and
//!   the figure's note as its `<desc>`;
//! - `.png` at 300 dpi (resvg), with its resolution recorded in the file;
//! - `.pdf` for LaTeX (svg2pdf), with the font embedded as a subset.
//!
//! Files in `output/charts/`:
//! - `trend_<topic>`: per topic, the rate per 10,000 words of its most frequent
//!   tracked phrases by year, with bootstrap intervals as whiskers;
//! - `overview`: the same for the headline topics of topics.toml as small multiples;
//! - `salience`: share of the year's answer text per topic (heatmap);
//! - `formulations`: the formulations that entered or left in each year
//!   (formulations.csv), with the dates of their first and last use, as
//!   marks on the years (see `formulations`);
//! - `keyness_<year>`: the phrases most over- and under-used that year against
//!   the other years (log-odds z), full colour where the answer-level test gives
//!   q_perm < alpha ([comparison] in analysis.toml), faded otherwise; only for
//!   years that enter comparisons;
//! - `register`: the hard-line share of register formulas per topic over the
//!   years, on an axis that stops at 1.
//!
//! Points without an interval (fewer than `min_answers` answers) are hollow, and
//! under every partial year the axis gives the questions its transcript holds
//! of those asked ("14/27").
//!
//! The note under a figure explains only what that figure shows, in this
//! corpus's terms: its gap years, its first partial year's share as the
//! example, hollow points where there are some, the years of excluded genres
//! left unjoined; a figure with nothing to explain (keyness) has no note.
//!
//! Every calendar year of the corpus's span is on the x axis; years without a
//! transcript are shaded grey and labelled, and no line crosses them. Labels
//! are Chinese, English (glosses from `data/glossary.csv`, topic names from
//! topics.toml) or both (`--lang`). Figures are 7 inches wide (double column)
//! or 3.5 inches (`--width single`), with the Okabe–Ito colour-blind-safe palette.

mod figures;
mod formulations;
mod labels;
mod layout;
mod register;
pub use register::speakers_drawn;
mod render;
mod span;

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use crate::config::topics::Topics;
use crate::config::Config;
use crate::error::{Error, Result};
use polars::prelude::DataFrame;

use crate::categories::Genre;
use crate::frequencies::TopicYear;
use crate::shifts::{Keyness, RegisterIndex, Trends};
use crate::store::Store;
use labels::Labels;
pub use render::FONT;

/// Language of the labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    Zh,
    En,
    Both,
}

/// Figure width: one column (3.5 in) or the full page (7 in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Width {
    Single,
    Double,
}

/// Chart options from the command line.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub lang: Lang,
    pub width: Width,
}

/// One chart file: its name and bytes.
pub type ChartFile = (String, Vec<u8>);

/// What the charts stage produces: every chart file, and the phrases that
/// lacked an English gloss.
pub struct Charts {
    pub files: Vec<ChartFile>,
    pub missing_glosses: BTreeSet<String>,
}

/// A figure this tool draws, by what it shows. Its file name is made here
/// only: the charts draw a figure under its key and the report asks for it
/// by the same key, so a figure the report wants and the charts did not
/// draw is an error, not a missing picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FigureId {
    /// A topic's tracked phrases, by its id.
    Trend(String),
    Overview,
    Salience,
    Formulations,
    /// A year's keyness bars.
    Keyness(i32),
    Register,
    RegisterSpeakers,
}

impl FigureId {
    /// The file name without its extension (`trend_us`, `keyness_2024`).
    pub fn name(&self) -> String {
        match self {
            FigureId::Trend(topic) => format!("trend_{topic}"),
            FigureId::Keyness(year) => format!("keyness_{year}"),
            FigureId::Overview => "overview".into(),
            FigureId::Salience => "salience".into(),
            FigureId::Formulations => "formulations".into(),
            FigureId::Register => "register".into(),
            FigureId::RegisterSpeakers => "register_speakers".into(),
        }
    }

    /// The figure a file name (without extension) is, if any.
    pub fn parse(stem: &str) -> Option<FigureId> {
        let single = [
            FigureId::Overview,
            FigureId::Salience,
            FigureId::Formulations,
            FigureId::Register,
            FigureId::RegisterSpeakers,
        ];
        if let Some(f) = single.into_iter().find(|f| f.name() == stem) {
            return Some(f);
        }
        match (stem.strip_prefix("trend_"), stem.strip_prefix("keyness_")) {
            (Some(t), _) if !t.is_empty() => Some(FigureId::Trend(t.to_string())),
            (_, Some(y)) => y.parse().ok().map(FigureId::Keyness),
            _ => None,
        }
    }
}

/// Whether a file of `charts/` is a figure this tool draws (by its name and
/// format): one a rerun no longer draws (`keyness_2026` once 2026 is a
/// summary, a topic removed from topics.toml) is removed; any other file
/// there is the user's and stays.
fn is_figure_file(name: &str) -> bool {
    name.rsplit_once('.').is_some_and(|(stem, ext)| {
        ["svg", "png", "pdf"].contains(&ext) && FigureId::parse(stem).is_some()
    })
}

impl Charts {
    pub fn write(&self, store: &Store) -> Result<()> {
        store.write_charts(&self.files, is_figure_file)
    }

    /// The outlined SVG figures in `charts/` (all the report inlines).
    pub fn read(store: &Store) -> Result<Charts> {
        let files = store.read_charts(".svg")?;
        if files.is_empty() {
            return Err(Error::Usage(format!(
                "{} holds no charts: run 'rhetoric-shift charts' first",
                store.charts().display()
            )));
        }
        Ok(Charts {
            files,
            missing_glosses: BTreeSet::new(),
        })
    }

    /// The SVG figures as (name without extension, text).
    pub fn svgs(&self) -> Vec<(String, String)> {
        self.files
            .iter()
            .filter_map(|(name, bytes)| {
                let stem = name.strip_suffix(".svg")?;
                Some((
                    stem.to_string(),
                    String::from_utf8_lossy(bytes).into_owned(),
                ))
            })
            .collect()
    }

    /// A warning naming the phrases drawn in Chinese for want of a gloss.
    pub fn warnings(&self, config: &Config) -> Vec<String> {
        if self.missing_glosses.is_empty() {
            return Vec::new();
        }
        let list: Vec<&str> = self.missing_glosses.iter().map(String::as_str).collect();
        vec![format!(
            "{}: no English gloss for {} phrase(s) on the charts, shown in Chinese: {}",
            config.words.glossary_path.display(),
            list.len(),
            list.join(", ")
        )]
    }
}

/// The analysis tables the charts draw.
pub struct Inputs<'a> {
    pub trends: &'a Trends,
    pub topic_year: &'a TopicYear,
    pub keyness: &'a Keyness,
    pub register: &'a RegisterIndex,
    /// formulations.csv.
    pub formulations: &'a DataFrame,
    /// coverage.csv, for the questions each partial year holds.
    pub coverage: &'a DataFrame,
    /// Points with fewer answers have no interval and are drawn hollow.
    pub min_answers: usize,
    /// The significance threshold of q_perm (`[comparison] alpha`).
    pub alpha: f64,
    /// Genres that enter no comparison: their years' points are not joined.
    pub exclude_genres: &'a [Genre],
}

/// Draws and renders every chart (see the module documentation).
pub fn run(
    inputs: &Inputs,
    topics: &Topics,
    glossary: &BTreeMap<String, String>,
    opts: Options,
) -> Result<Charts> {
    render::register_font()?;
    let labels = Labels {
        lang: opts.lang,
        glossary,
        topics,
        missing: Default::default(),
    };
    let figs = figures::figures(inputs, &labels, opts)?;
    let fonts = render::font_database();
    // Rasterising and compressing are the costly part and each figure is
    // independent: render on every core, keep the figures' order.
    let rendered: Vec<[ChartFile; 3]> = figs
        .par_iter()
        .map(|fig| render::render(fig, &fonts))
        .collect::<Result<_>>()?;
    Ok(Charts {
        files: rendered.into_iter().flatten().collect(),
        missing_glosses: labels.missing.into_inner(),
    })
}
