//! Stage 6, charts: figures for papers from the analysis tables, with real
//! Chinese glyphs on every machine.
//!
//! Plotting only ever takes an analysis result (shifts.csv, topic_year.csv,
//! keyness.csv, register.csv), never text. Each figure is drawn once as SVG with
//! plotters, then parsed by usvg with the embedded WenQuanYi Micro Hei font
//! (`data/fonts/`, Apache-2.0) and written three ways:
//! - `.svg` with every glyph outlined as a path, so it looks the same on a
//!   machine without the font;
//! - `.png` at 300 dpi (resvg), with its resolution recorded in the file;
//! - `.pdf` for LaTeX (svg2pdf), with the font embedded as a subset.
//!
//! Files in `output/charts/`:
//! - `trend_<topic>`: per topic, the rate per 10,000 words of its most frequent
//!   tracked phrases by year, with bootstrap intervals as whiskers;
//! - `overview`: the same for the headline topics of topics.toml as small multiples;
//! - `salience`: share of the year's answer text per topic (heatmap);
//! - `keyness_<year>`: the phrases most over- and under-used that year against
//!   the other years (log-odds z);
//! - `register`: the hard-line share of register formulas per topic over the years.
//!
//! Every calendar year of the corpus's span is on the x axis; years without a
//! transcript are shaded grey and labelled, and no line crosses them. Labels
//! are Chinese, English (glosses from `data/glossary.csv`, topic names from
//! topics.toml) or both (`--lang`). Figures are 7 inches wide (double column)
//! or 3.5 inches (`--width single`), with the Okabe–Ito colour-blind-safe palette.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use polars::prelude::*;
use rayon::prelude::*;

use crate::config::topics::{Topics, ALL};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::store::Store;

/// The chart font, embedded so that no system font is needed.
pub const FONT: &[u8] = include_bytes!("../data/fonts/wqy-microhei.ttc");
const FAMILY: &str = "WenQuanYi Micro Hei";

/// A count of headline topics in Chinese numerals (there are at most six).
fn chinese_count(n: usize) -> &'static str {
    ["", "一", "两", "三", "四", "五", "六"]
        .get(n)
        .copied()
        .unwrap_or("多")
}

/// Okabe & Ito (2008): distinguishable with every common colour-vision deficiency.
const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(230, 159, 0),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(0, 0, 0),
];
const GAP: RGBColor = RGBColor(225, 225, 225);

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

/// How labels read in the chosen language, and which phrases lacked a gloss.
struct Labels<'a> {
    lang: Lang,
    glossary: &'a BTreeMap<String, String>,
    topics: &'a Topics,
    missing: std::cell::RefCell<BTreeSet<String>>,
}

impl Labels<'_> {
    fn text(&self, zh: &str, en: &str) -> String {
        match self.lang {
            Lang::Zh => zh.to_string(),
            Lang::En => en.to_string(),
            Lang::Both => format!("{zh} {en}"),
        }
    }

    fn phrase(&self, p: &str) -> String {
        if self.lang == Lang::Zh {
            return p.to_string();
        }
        let key: String = p.chars().filter(|c| !c.is_whitespace()).collect();
        match self.glossary.get(&key).or_else(|| self.glossary.get(p)) {
            Some(en) if self.lang == Lang::En => en.clone(),
            Some(en) => format!("{p} {en}"),
            None => {
                self.missing.borrow_mut().insert(p.to_string());
                p.to_string()
            }
        }
    }

    /// The label of a year without a transcript (short: it must fit a band).
    fn no_data(&self) -> String {
        match self.lang {
            Lang::Zh => "无记录".into(),
            Lang::En | Lang::Both => "no data".into(),
        }
    }

    fn topic(&self, id: &str) -> String {
        if id == ALL {
            return self.text("全部回答", "all answers");
        }
        match self.topics.topics.iter().find(|t| t.id == id) {
            Some(t) => self.text(&t.zh, &t.en),
            None => id.to_string(),
        }
    }
}

fn draw_err<E: std::fmt::Debug>(e: E) -> Error {
    Error::Table(format!("drawing a chart: {e:?}"))
}

/// Points per inch of the SVG user unit, and the PNG resolution.
const PT_PER_IN: f32 = 72.0;
const DPI: f32 = 300.0;

/// Years of the corpus span and which of them have a transcript.
struct Span {
    first: i32,
    last: i32,
    with_data: BTreeSet<i32>,
}

impl Span {
    fn gaps(&self) -> Vec<i32> {
        (self.first..=self.last)
            .filter(|y| !self.with_data.contains(y))
            .collect()
    }

    fn caption(&self, labels: &Labels) -> String {
        let have: Vec<String> = self.with_data.iter().map(|y| y.to_string()).collect();
        let gaps: Vec<String> = self.gaps().iter().map(|y| y.to_string()).collect();
        let zh = format!(
            "语料：外长记者会 {}；灰色：无文字记录（{}）",
            have.join("、"),
            gaps.join("、")
        );
        let en = format!(
            "Corpus: press conferences {}; grey: no transcript ({})",
            have.join(", "),
            gaps.join(", ")
        );
        match labels.lang {
            Lang::Zh => zh,
            Lang::En | Lang::Both => en,
        }
    }

    /// Runs of consecutive calendar years with data: a line may join points
    /// within a run, never across a gap.
    fn runs(&self, years: &[i32]) -> Vec<Vec<i32>> {
        let mut runs: Vec<Vec<i32>> = Vec::new();
        for &y in years {
            match runs.last_mut() {
                Some(run) if run.last().is_some_and(|&p| p + 1 == y) => run.push(y),
                _ => runs.push(vec![y]),
            }
        }
        runs
    }
}

/// One point of a series: year, estimate, interval.
#[derive(Clone, Copy)]
struct Point {
    year: i32,
    value: f64,
    low: Option<f64>,
    high: Option<f64>,
}

struct Series {
    label: String,
    points: Vec<Point>,
}

fn font(size: f64) -> TextStyle<'static> {
    ("sans-serif", size).into_font().color(&BLACK)
}

/// Draws series of yearly points on `area`: grey bands for years without a
/// transcript, whiskers for intervals, lines only within runs of consecutive years.
fn draw_years(
    area: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    title: &str,
    y_desc: &str,
    series: &[Series],
    span: &Span,
    labels: &Labels,
    legend: bool,
) -> Result<()> {
    let data_max = series
        .iter()
        .flat_map(|s| {
            s.points
                .iter()
                .map(|p| p.high.unwrap_or(p.value).max(p.value))
        })
        .fold(0.0f64, f64::max)
        .max(1e-9);
    // Head room above the data for the legend, one line per series.
    let legend_room = if legend {
        0.13 * series.len() as f64
    } else {
        0.0
    };
    let y_max = data_max * (1.08 + legend_room);
    let x_range = (f64::from(span.first) - 0.5)..(f64::from(span.last) + 0.5);
    let mut chart = ChartBuilder::on(area)
        .caption(title, font(10.0))
        .margin(4)
        .x_label_area_size(18)
        .y_label_area_size(34)
        .build_cartesian_2d(x_range, 0.0..y_max)
        .map_err(draw_err)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels((span.last - span.first + 1) as usize)
        .x_label_formatter(&|x| format!("{:.0}", x))
        .y_labels(5)
        .y_label_formatter(&|y| {
            if data_max >= 10.0 {
                format!("{:.0}", y)
            } else {
                format!("{:.2}", y)
            }
        })
        .y_desc(y_desc)
        .label_style(font(7.5))
        .axis_desc_style(font(7.5))
        .bold_line_style(RGBColor(225, 225, 225))
        .light_line_style(TRANSPARENT)
        .draw()
        .map_err(draw_err)?;
    let gaps = span.gaps();
    for y in &gaps {
        let x = f64::from(*y);
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(x - 0.5, 0.0), (x + 0.5, y_max)],
                GAP.filled(),
            )))
            .map_err(draw_err)?;
    }
    // One label per run of missing years, low in the band, clear of the legend.
    for run in span.runs(&gaps) {
        let centre = (f64::from(run[0]) + f64::from(run[run.len() - 1])) / 2.0;
        chart
            .draw_series(std::iter::once(Text::new(
                labels.no_data(),
                (centre, data_max * 0.04),
                font(6.5)
                    .color(&RGBColor(90, 90, 90))
                    .pos(plotters::style::text_anchor::Pos::new(
                        plotters::style::text_anchor::HPos::Center,
                        plotters::style::text_anchor::VPos::Bottom,
                    )),
            )))
            .map_err(draw_err)?;
    }
    let n = series.len().max(1) as f64;
    for (k, s) in series.iter().enumerate() {
        let colour = PALETTE[k % PALETTE.len()];
        // Spread the series a little so that their whiskers do not overlap.
        let dx = if n > 1.0 {
            (k as f64 - (n - 1.0) / 2.0) * 0.5 / n
        } else {
            0.0
        };
        let at = |p: &Point| (f64::from(p.year) + dx, p.value);
        let years: Vec<i32> = s.points.iter().map(|p| p.year).collect();
        for run in span.runs(&years) {
            let pts: Vec<(f64, f64)> = s
                .points
                .iter()
                .filter(|p| run.contains(&p.year))
                .map(at)
                .collect();
            if pts.len() > 1 {
                chart
                    .draw_series(LineSeries::new(pts, colour.stroke_width(1)))
                    .map_err(draw_err)?;
            }
        }
        chart
            .draw_series(s.points.iter().filter_map(|p| {
                let (lo, hi) = (p.low?, p.high?);
                let (x, _) = at(p);
                Some(ErrorBar::new_vertical(
                    x,
                    lo,
                    p.value,
                    hi,
                    colour.stroke_width(1),
                    4,
                ))
            }))
            .map_err(draw_err)?;
        let marker = k / PALETTE.len();
        let drawn = chart
            .draw_series(s.points.iter().map(|p| {
                let c = at(p);
                match marker % 2 {
                    0 => EmptyElement::at(c) + Circle::new((0, 0), 2, colour.filled()),
                    _ => EmptyElement::at(c) + Circle::new((0, 0), 2, colour.stroke_width(1)),
                }
            }))
            .map_err(draw_err)?;
        if legend {
            drawn.label(s.label.clone()).legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 10, y)], colour.stroke_width(2))
            });
        }
    }
    if legend && !series.is_empty() {
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.85))
            .border_style(RGBColor(160, 160, 160))
            .label_font(font(7.0))
            .margin(4)
            .draw()
            .map_err(draw_err)?;
    }
    Ok(())
}

/// The rate series of a topic's tracked phrases, most frequent first.
fn phrase_series(
    shifts: &DataFrame,
    topic: &str,
    max: usize,
    labels: &Labels,
) -> Result<Vec<Series>> {
    let t = shifts
        .clone()
        .lazy()
        .filter(col("topic").eq(lit(topic)))
        .with_column(col("n").sum().over([col("phrase")])?.alias("total"))
        .filter(col("total").gt(lit(0)))
        .sort_by_exprs(
            [col("total"), col("phrase"), col("year")],
            SortMultipleOptions::default().with_order_descending_multi([true, false, false]),
        )
        .collect()?;
    let phrase = t.column("phrase")?.str()?;
    let year = t.column("year")?.i32()?;
    let rate = t.column("per_10k_tokens")?.f64()?;
    let low = t.column("ci_low")?.f64()?;
    let high = t.column("ci_high")?.f64()?;
    let mut out: Vec<(String, Series)> = Vec::new();
    for i in 0..t.height() {
        let p = phrase.get(i).unwrap_or_default();
        if out.last().is_none_or(|(q, _)| q != p) {
            if out.len() == max {
                break;
            }
            out.push((
                p.to_string(),
                Series {
                    label: labels.phrase(p),
                    points: Vec::new(),
                },
            ));
        }
        if let Some((_, s)) = out.last_mut() {
            s.points.push(Point {
                year: year.get(i).unwrap_or_default(),
                value: rate.get(i).unwrap_or_default(),
                low: low.get(i),
                high: high.get(i),
            });
        }
    }
    Ok(out.into_iter().map(|(_, s)| s).collect())
}

/// A figure: its size in points and a function drawing on its root area.
struct Figure {
    name: String,
    width: u32,
    height: u32,
    svg: String,
}

fn figure(
    name: String,
    width: u32,
    height: u32,
    draw: impl FnOnce(&DrawingArea<SVGBackend, plotters::coord::Shift>) -> Result<()>,
) -> Result<Figure> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_err)?;
        draw(&root)?;
        root.present().map_err(draw_err)?;
    }
    Ok(Figure {
        name,
        width,
        height,
        svg,
    })
}

/// Splits off a caption line at the bottom of a figure and writes it.
fn with_caption<'a>(
    root: &DrawingArea<SVGBackend<'a>, plotters::coord::Shift>,
    caption: &str,
) -> Result<DrawingArea<SVGBackend<'a>, plotters::coord::Shift>> {
    let (_, h) = root.dim_in_pixel();
    let (body, foot) = root.split_vertically(h.saturating_sub(14));
    foot.draw(&Text::new(
        caption.to_string(),
        (6, 2),
        font(6.5).color(&RGBColor(70, 70, 70)),
    ))
    .map_err(draw_err)?;
    Ok(body)
}

/// Draws every figure (see the module documentation) as SVG.
fn figures(
    shifts: &DataFrame,
    topic_year: &DataFrame,
    keyness: &DataFrame,
    register: &DataFrame,
    labels: &Labels,
    opts: Options,
) -> Result<Vec<Figure>> {
    let width: u32 = match opts.width {
        Width::Single => 252,
        Width::Double => 504,
    };
    let years = topic_year.column("year")?.i32()?;
    let with_data: BTreeSet<i32> = years.iter().flatten().collect();
    let span = Span {
        first: with_data.first().copied().unwrap_or_default(),
        last: with_data.last().copied().unwrap_or_default(),
        with_data,
    };
    let caption = span.caption(labels);
    let rate_desc = labels.text("每万词出现次数", "per 10,000 words");
    let mut out = Vec::new();

    for topic in &labels.topics.topics {
        let series = phrase_series(shifts, &topic.id, 6, labels)?;
        let title = labels.text(
            &format!("{}：追踪短语的频率", topic.zh),
            &format!("{}: tracked phrases by year", topic.en),
        );
        out.push(figure(
            format!("trend_{}", topic.id),
            width,
            width * 9 / 14,
            |root| {
                let body = with_caption(root, &caption)?;
                draw_years(&body, &title, &rate_desc, &series, &span, labels, true)
            },
        )?);
    }

    let headline: Vec<&str> = labels.topics.headline().map(|t| t.id.as_str()).collect();
    let title = labels.text(
        &format!("{}个重点议题", chinese_count(headline.len())),
        "Headline topics: tracked phrases by year",
    );
    let panels: Vec<(String, Vec<Series>)> = headline
        .iter()
        .map(|t| Ok((labels.topic(t), phrase_series(shifts, t, 4, labels)?)))
        .collect::<Result<_>>()?;
    // Two panels a row (one where there is one topic).
    let cols = panels.len().clamp(1, 2);
    let grid_shape = (panels.len().div_ceil(cols), cols);
    out.push(figure("overview".into(), width, width * 11 / 14, |root| {
        let body = with_caption(root, &caption)?;
        let (head, grid) = body.split_vertically(16);
        head.draw(&Text::new(title.clone(), (6, 2), font(10.0)))
            .map_err(draw_err)?;
        for (area, (name, series)) in grid.split_evenly(grid_shape).iter().zip(&panels) {
            draw_years(area, name, &rate_desc, series, &span, labels, true)?;
        }
        Ok(())
    })?);

    out.push(salience(topic_year, &span, labels, width, &caption)?);
    for &year in &span.with_data {
        out.push(keyness_bars(keyness, year, labels, width, &caption)?);
    }

    let reg = register.column("topic")?.str()?;
    let reg_year = register.column("year")?.i32()?;
    let share = register.column("hardline_share")?.f64()?;
    let lo = register.column("share_low")?.f64()?;
    let hi = register.column("share_high")?.f64()?;
    let series: Vec<Series> = std::iter::once(ALL)
        .chain(headline.iter().copied())
        .map(|t| Series {
            label: labels.topic(t),
            points: (0..register.height())
                .filter(|&i| reg.get(i) == Some(t))
                .filter_map(|i| {
                    Some(Point {
                        year: reg_year.get(i)?,
                        value: share.get(i)?,
                        low: lo.get(i),
                        high: hi.get(i),
                    })
                })
                .collect(),
        })
        .collect();
    let title = labels.text(
        "语气：强硬用语在表态用语中的占比",
        "Register: hard-line share of register formulas",
    );
    let desc = labels.text(
        "强硬 / (强硬 + 温和)",
        "hard-line / (hard-line + conciliatory)",
    );
    out.push(figure("register".into(), width, width * 9 / 14, |root| {
        let body = with_caption(root, &caption)?;
        draw_years(&body, &title, &desc, &series, &span, labels, true)
    })?);
    Ok(out)
}

/// Viridis at a few stops, interpolated: a sequential scale that stays
/// readable in greyscale and for colour-blind readers.
fn viridis(t: f64) -> RGBColor {
    const STOPS: [(u8, u8, u8); 5] = [
        (68, 1, 84),
        (59, 82, 139),
        (33, 145, 140),
        (94, 201, 98),
        (253, 231, 37),
    ];
    let t = t.clamp(0.0, 1.0) * (STOPS.len() - 1) as f64;
    let i = (t.floor() as usize).min(STOPS.len() - 2);
    let f = t - i as f64;
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * f).round() as u8;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

fn salience(
    topic_year: &DataFrame,
    span: &Span,
    labels: &Labels,
    width: u32,
    caption: &str,
) -> Result<Figure> {
    let ids: Vec<&str> = labels.topics.ids();
    let topic = topic_year.column("topic")?.str()?;
    let year = topic_year.column("year")?.i32()?;
    let share = topic_year.column("share")?.f64()?;
    let mut cells: BTreeMap<(i32, &str), f64> = BTreeMap::new();
    for i in 0..topic_year.height() {
        if let (Some(y), Some(t), Some(s)) = (year.get(i), topic.get(i), share.get(i)) {
            cells.insert((y, t), s);
        }
    }
    let max = cells
        .iter()
        .filter(|((_, t), _)| *t != ALL)
        .map(|(_, &s)| s)
        .fold(0.0f64, f64::max)
        .max(1e-9);
    let names: Vec<String> = ids.iter().map(|t| labels.topic(t)).collect();
    let title = labels.text(
        "议题显著度：各议题回答占当年回答文字的比例",
        "Topic salience: share of the year's answer text",
    );
    let no_data = labels.no_data();
    let height = 40 + 13 * ids.len() as u32;
    figure("salience".into(), width, height, |root| {
        let body = with_caption(root, caption)?;
        let label_width = names.iter().map(|n| n.chars().count()).max().unwrap_or(4) as u32 * 5 + 8;
        let mut chart = ChartBuilder::on(&body)
            .caption(&title, font(10.0))
            .margin(4)
            .x_label_area_size(16)
            .y_label_area_size(label_width.min(width / 2))
            .build_cartesian_2d(
                (span.first..span.last + 1).into_segmented(),
                (0..ids.len() as i32).into_segmented(),
            )
            .map_err(draw_err)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels((span.last - span.first + 1) as usize)
            .y_labels(ids.len())
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(y) if *y <= span.last => y.to_string(),
                _ => String::new(),
            })
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => names
                    .get((ids.len() as i32 - 1 - i) as usize)
                    .cloned()
                    .unwrap_or_default(),
                SegmentValue::Last => String::new(),
            })
            .label_style(font(7.0))
            .draw()
            .map_err(draw_err)?;
        for y in span.first..=span.last {
            for (k, t) in ids.iter().enumerate() {
                let row = ids.len() as i32 - 1 - k as i32;
                // A topic not discussed in a year with a transcript is a real zero: white.
                let colour = match cells.get(&(y, *t)) {
                    _ if !span.with_data.contains(&y) => GAP,
                    Some(s) if *s > 0.0 => viridis(s / max),
                    _ => WHITE,
                };
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [
                            (SegmentValue::Exact(y), SegmentValue::Exact(row)),
                            (SegmentValue::Exact(y + 1), SegmentValue::Exact(row + 1)),
                        ],
                        colour.filled(),
                    )))
                    .map_err(draw_err)?;
                if let Some(s) = cells.get(&(y, *t)).filter(|s| **s > 0.0) {
                    let ink = if s / max > 0.6 { BLACK } else { WHITE };
                    chart
                        .draw_series(std::iter::once(Text::new(
                            format!("{:.0}%", s * 100.0),
                            (SegmentValue::CenterOf(y), SegmentValue::CenterOf(row)),
                            font(6.0)
                                .color(&ink)
                                .pos(plotters::style::text_anchor::Pos::new(
                                    plotters::style::text_anchor::HPos::Center,
                                    plotters::style::text_anchor::VPos::Center,
                                )),
                        )))
                        .map_err(draw_err)?;
                }
            }
            if !span.with_data.contains(&y) {
                chart
                    .draw_series(std::iter::once(Text::new(
                        no_data.clone(),
                        (
                            SegmentValue::CenterOf(y),
                            SegmentValue::CenterOf(ids.len() as i32 / 2),
                        ),
                        font(6.5).color(&RGBColor(90, 90, 90)).pos(
                            plotters::style::text_anchor::Pos::new(
                                plotters::style::text_anchor::HPos::Center,
                                plotters::style::text_anchor::VPos::Center,
                            ),
                        ),
                    )))
                    .map_err(draw_err)?;
            }
        }
        Ok(())
    })
}

fn keyness_bars(
    keyness: &DataFrame,
    year: i32,
    labels: &Labels,
    width: u32,
    caption: &str,
) -> Result<Figure> {
    let k = keyness
        .clone()
        .lazy()
        .filter(
            col("year")
                .eq(lit(year))
                .and(col("topic").eq(lit(ALL)))
                .and(col("reference").eq(lit("rest")))
                .and(col("kind").eq(lit("unigram"))),
        )
        .sort_by_exprs(
            [col("logodds_z"), col("phrase")],
            SortMultipleOptions::default().with_order_descending_multi([true, false]),
        )
        .collect()?;
    let phrase = k.column("phrase")?.str()?;
    let z = k.column("logodds_z")?.f64()?;
    let rows: Vec<(String, f64)> = (0..k.height())
        .filter_map(|i| Some((phrase.get(i)?.to_string(), z.get(i)?)))
        .collect();
    let per_side = 10;
    let mut bars: Vec<(String, f64)> = rows
        .iter()
        .filter(|r| r.1 > 0.0)
        .take(per_side)
        .cloned()
        .collect();
    let under: Vec<(String, f64)> = rows
        .iter()
        .rev()
        .filter(|r| r.1 < 0.0)
        .take(per_side)
        .cloned()
        .collect();
    bars.extend(under.into_iter().rev());
    let bar_labels: Vec<String> = bars.iter().map(|(p, _)| labels.phrase(p)).collect();
    let z_max = bars.iter().map(|b| b.1.abs()).fold(1.0f64, f64::max) * 1.1;
    let title = labels.text(
        &format!("{year} 年：相对其他年份的特色词（log-odds z）"),
        &format!("{year}: words over- and under-used against the other years (log-odds z)"),
    );
    let n = bars.len().max(1) as i32;
    let height = 50 + 12 * n as u32;
    figure(format!("keyness_{year}"), width, height, |root| {
        let body = with_caption(root, caption)?;
        let label_width = bar_labels
            .iter()
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(4) as u32
            * 6
            + 8;
        let mut chart = ChartBuilder::on(&body)
            .caption(&title, font(9.0))
            .margin(4)
            .x_label_area_size(30)
            .y_label_area_size(label_width.min(width / 2))
            .build_cartesian_2d(-z_max..z_max, (0..n).into_segmented())
            .map_err(draw_err)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n as usize)
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => bar_labels
                    .get((n - 1 - i) as usize)
                    .cloned()
                    .unwrap_or_default(),
                SegmentValue::Last => String::new(),
            })
            .x_desc(labels.text(
                "log-odds z（>0 更常用）",
                "log-odds z (> 0: used more that year)",
            ))
            .label_style(font(7.0))
            .axis_desc_style(font(7.5))
            .bold_line_style(RGBColor(225, 225, 225))
            .light_line_style(TRANSPARENT)
            .draw()
            .map_err(draw_err)?;
        for (k, (_, z)) in bars.iter().enumerate() {
            let row = n - 1 - k as i32;
            let colour = if *z > 0.0 { PALETTE[1] } else { PALETTE[0] };
            let corners = [
                (0.0, SegmentValue::Exact(row)),
                (*z, SegmentValue::Exact(row + 1)),
            ];
            // A white outline keeps neighbouring bars apart.
            chart
                .draw_series([
                    Rectangle::new(corners.clone(), colour.filled()),
                    Rectangle::new(corners, WHITE.stroke_width(2)),
                ])
                .map_err(draw_err)?;
        }
        Ok(())
    })
}

/// Fonts for usvg: the embedded font, standing in for every generic family.
fn font_database() -> Arc<usvg::fontdb::Database> {
    let mut db = usvg::fontdb::Database::new();
    db.load_font_data(FONT.to_vec());
    db.set_sans_serif_family(FAMILY);
    db.set_serif_family(FAMILY);
    db.set_monospace_family(FAMILY);
    Arc::new(db)
}

use resvg::usvg;

/// The three files of one figure: outlined SVG, 300 dpi PNG, PDF.
fn render(fig: &Figure, fonts: &Arc<usvg::fontdb::Database>) -> Result<[(String, Vec<u8>); 3]> {
    let options = usvg::Options {
        font_family: FAMILY.to_string(),
        fontdb: fonts.clone(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(&fig.svg, &options)
        .map_err(|e| Error::Table(format!("chart {}: {e}", fig.name)))?;
    let svg = tree.to_string(&usvg::WriteOptions::default());

    let scale = DPI / PT_PER_IN;
    let (w, h) = (
        (fig.width as f32 * scale).round() as u32,
        (fig.height as f32 * scale).round() as u32,
    );
    let mut pixmap = resvg::tiny_skia::Pixmap::new(w, h)
        .ok_or_else(|| Error::Table(format!("chart {}: empty size", fig.name)))?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    let mut png = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut png, w, h);
        // The canvas was filled with opaque white, so every pixel is opaque and
        // tiny-skia's premultiplied RGBA is plain RGBA.
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        let per_metre = (DPI / 0.0254).round() as u32;
        enc.set_pixel_dims(Some(png::PixelDimensions {
            xppu: per_metre,
            yppu: per_metre,
            unit: png::Unit::Meter,
        }));
        let mut writer = enc
            .write_header()
            .map_err(|e| Error::Table(format!("chart {}: {e}", fig.name)))?;
        writer
            .write_image_data(pixmap.data())
            .map_err(|e| Error::Table(format!("chart {}: {e}", fig.name)))?;
    }
    let pdf = svg2pdf::to_pdf(
        &tree,
        svg2pdf::ConversionOptions::default(),
        svg2pdf::PageOptions::default(),
    )
    .map_err(|e| Error::Table(format!("chart {}: {e}", fig.name)))?;
    Ok([
        (format!("{}.svg", fig.name), svg.into_bytes()),
        (format!("{}.png", fig.name), png),
        (format!("{}.pdf", fig.name), canonical_pdf(&pdf)),
    ])
}

/// svg2pdf writes the entries of a resource dictionary (`/xo0 8 0 R` …) in
/// hash-map order, which changes from run to run. Sorting each run of such
/// lines outside streams gives the same bytes on every run; the lines only
/// change places, so every object keeps its length and the cross-reference
/// offsets stay right.
fn canonical_pdf(pdf: &[u8]) -> Vec<u8> {
    let is_entry = |line: &[u8]| {
        let t = line.trim_ascii();
        t.starts_with(b"/") && t.ends_with(b" 0 R") && !t.contains(&b'<')
    };
    let mut out = Vec::with_capacity(pdf.len());
    let mut lines = pdf.split_inclusive(|&b| b == b'\n').peekable();
    let mut in_stream = false;
    while let Some(line) = lines.next() {
        if in_stream {
            in_stream = !line.starts_with(b"endstream");
            out.extend_from_slice(line);
            continue;
        }
        if line.trim_ascii_end() == b"stream" {
            in_stream = true;
            out.extend_from_slice(line);
            continue;
        }
        if is_entry(line) && line.ends_with(b"\n") {
            let mut group = vec![line];
            while let Some(next) = lines.peek() {
                if is_entry(next) && next.ends_with(b"\n") {
                    group.push(next);
                    lines.next();
                } else {
                    break;
                }
            }
            group.sort();
            for l in group {
                out.extend_from_slice(l);
            }
        } else {
            out.extend_from_slice(line);
        }
    }
    out
}

/// Registers the embedded font with plotters, which measures text with it.
fn register_font() -> Result<()> {
    plotters::style::register_font("sans-serif", FontStyle::Normal, FONT)
        .map_err(|_| Error::Table("the embedded chart font does not load".into()))
}

/// One chart file: its name and bytes.
pub type ChartFile = (String, Vec<u8>);

/// What the charts stage produces: every chart file, and the phrases that
/// lacked an English gloss.
pub struct Charts {
    pub files: Vec<ChartFile>,
    pub missing_glosses: BTreeSet<String>,
}

impl Charts {
    pub fn write(&self, store: &Store) -> Result<()> {
        store.write_charts(&self.files)
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

/// Draws and renders every chart (see the module documentation).
pub fn run(
    shifts: &DataFrame,
    topic_year: &DataFrame,
    keyness: &DataFrame,
    register: &DataFrame,
    topics: &Topics,
    glossary: &BTreeMap<String, String>,
    opts: Options,
) -> Result<Charts> {
    register_font()?;
    let labels = Labels {
        lang: opts.lang,
        glossary,
        topics,
        missing: Default::default(),
    };
    let figs = figures(shifts, topic_year, keyness, register, &labels, opts)?;
    let fonts = font_database();
    // Rasterising and compressing are the costly part and each figure is
    // independent: render on every core, keep the figures' order.
    let rendered: Vec<[ChartFile; 3]> = figs
        .par_iter()
        .map(|fig| render(fig, &fonts))
        .collect::<Result<_>>()?;
    Ok(Charts {
        files: rendered.into_iter().flatten().collect(),
        missing_glosses: labels.missing.into_inner(),
    })
}
