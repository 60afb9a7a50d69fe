//! The building blocks every figure shares: the palette, the span of years
//! with its gaps, series of yearly points drawn with their intervals, and a
//! figure's frame and note.

use std::collections::{BTreeMap, BTreeSet};

use plotters::prelude::*;

use super::labels::Labels;
use super::Lang;
use crate::error::{Error, Result};
use crate::period::Period;
use crate::vocab::Genre;

/// Labels an axis holds at most before it labels every k-th period only.
const MAX_TICKS: i32 = 12;

/// Okabe & Ito (2008): distinguishable with every common colour-vision deficiency.
pub(super) const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(230, 159, 0),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(0, 0, 0),
];
pub(super) const GAP: RGBColor = RGBColor(225, 225, 225);

pub(super) fn draw_err<E: std::fmt::Debug>(e: E) -> Error {
    Error::Table(format!("drawing a chart: {e:?}"))
}

/// Points per inch of the SVG user unit, and the PNG resolution.
pub(super) const PT_PER_IN: f32 = 72.0;
pub(super) const DPI: f32 = 300.0;

/// The periods of the corpus span (years, quarters or months, by key: see
/// [`Period`]) and which of them have a transcript.
#[derive(Clone)]
pub(super) struct Span {
    pub(super) period: Period,
    pub(super) first: i32,
    pub(super) last: i32,
    pub(super) with_data: BTreeSet<i32>,
    /// Years whose transcript holds part of the conference, with the
    /// questions in the text of those asked ("14/27"), shown under the year.
    pub(super) partial: BTreeMap<i32, String>,
    /// Fewer answers than this and a point has no interval (drawn hollow).
    pub(super) min_answers: usize,
    /// Years of a genre that enters no comparison (summaries), with their
    /// genre: their points stand alone, never joined by a line to another year's.
    pub(super) apart: BTreeMap<i32, Genre>,
}

/// What a figure draws that its note may have to explain: the note says
/// only what the figure shows, so a clause stands only where its flag is set
/// and the corpus has the thing (a gap year, a partial year …).
#[derive(Clone, Copy, Default)]
pub(super) struct Shows {
    /// Every year of the span, those without a transcript in grey.
    pub(super) gaps: bool,
    /// Yearly points ([`draw_years`]): a partial year's share of the
    /// questions under it, and no line to or from an apart year.
    pub(super) points: bool,
    /// The answers behind each year's points under it ("n=4").
    pub(super) answers: bool,
    /// Some point without an interval, drawn hollow.
    pub(super) hollow: bool,
}

/// A figure's note, clause by clause; written under the figure, wrapped at
/// clause boundaries to its width.
pub(super) struct Note {
    clauses: Vec<String>,
    sep: &'static str,
}

impl Note {
    pub(super) fn none() -> Note {
        Note {
            clauses: Vec::new(),
            sep: "",
        }
    }

    /// The note with one more clause, written last.
    pub(super) fn and(mut self, clause: String) -> Note {
        if self.sep.is_empty() {
            self.sep = "; ";
        }
        self.clauses.push(clause);
        self
    }

    /// The whole note on one line (the SVG's description).
    pub(super) fn text(&self) -> String {
        self.clauses.join(self.sep)
    }

    /// The note in lines no wider than `width` (in the note's font), breaking
    /// only between clauses; a clause wider than `width` stands on its own line.
    fn lines(&self, width: u32) -> Result<Vec<String>> {
        let style = note_font();
        let mut lines: Vec<String> = Vec::new();
        for clause in &self.clauses {
            if let Some(line) = lines.last_mut() {
                let joined = format!("{line}{}{clause}", self.sep);
                if style.font.box_size(&joined).map_err(draw_err)?.0 <= width {
                    *line = joined;
                    continue;
                }
            }
            lines.push(clause.clone());
        }
        Ok(lines)
    }
}

impl Span {
    /// More periods than labels fit (36 months, say): a label every few
    /// periods, a partial period marked `*`, no answers row.
    pub(super) fn dense(&self) -> bool {
        self.last - self.first + 1 > MAX_TICKS + 4
    }

    /// Periods between labels: the smallest step that is a whole part of
    /// the calendar (a month every 1, 2, 3, 6 or 12 …) and leaves at most
    /// [`MAX_TICKS`] labels.
    fn step(&self) -> i32 {
        let steps: &[i32] = match self.period {
            Period::Year => &[1, 2, 5, 10, 20],
            Period::Quarter => &[1, 2, 4, 8, 20, 40],
            Period::Month => &[1, 2, 3, 6, 12, 24, 60, 120],
        };
        let n = self.last - self.first + 1;
        steps
            .iter()
            .copied()
            .find(|s| (n + s - 1) / s <= MAX_TICKS)
            .unwrap_or(steps[steps.len() - 1])
    }

    /// The label of the tick at `x` on a time axis: the period's label at
    /// every [`Span::step`]-th period of the calendar, else none.
    pub(super) fn tick(&self, x: f64) -> String {
        let k = x.round();
        if (x - k).abs() > 1e-6 || k < f64::from(self.first) || k > f64::from(self.last) {
            return String::new();
        }
        let k = k as i32;
        if k.rem_euclid(self.step()) != 0 {
            return String::new();
        }
        self.period.label(k)
    }

    /// The word for one period: "year" (年份), "quarter" (季度), "month" (月份).
    pub(super) fn word(&self, zh: bool) -> &'static str {
        match (self.period, zh) {
            (Period::Year, false) => "year",
            (Period::Quarter, false) => "quarter",
            (Period::Month, false) => "month",
            (Period::Year, true) => "年份",
            (Period::Quarter, true) => "季度",
            (Period::Month, true) => "月份",
        }
    }

    pub(super) fn gaps(&self) -> Vec<i32> {
        (self.first..=self.last)
            .filter(|y| !self.with_data.contains(y))
            .collect()
    }

    /// The note of a figure showing `shows`, each clause built from this
    /// corpus: its gap years, its first partial year's share as the example,
    /// its apart years.
    pub(super) fn note(&self, labels: &Labels, shows: Shows) -> Note {
        let zh = labels.lang == Lang::Zh;
        let pick = |zh_text: String, en_text: String| if zh { zh_text } else { en_text };
        let list = |items: &[String]| items.join(if zh { "、" } else { ", " });
        let mut clauses = Vec::new();
        let mut gaps: Vec<String> = self.gaps().iter().map(|&k| self.period.label(k)).collect();
        if gaps.len() > 6 {
            let more = gaps.len() - 5;
            gaps.truncate(5);
            gaps.push(pick(format!("另 {more} 个"), format!("{more} more")));
        }
        if shows.gaps && !gaps.is_empty() {
            let gaps = list(&gaps);
            clauses.push(pick(
                format!("灰色：无文字记录（{gaps}）"),
                format!("Grey: no transcript ({gaps})"),
            ));
        }
        let mut under = Vec::new();
        if let Some(share) = self.partial.values().next().filter(|_| shows.points) {
            under.push(match (self.period, self.dense()) {
                (Period::Year, _) => pick(
                    format!("文字所含/记者会问题数（{share}）"),
                    format!("questions held/asked ({share})"),
                ),
                (_, false) => pick(
                    format!("所含问题或例行记者会的比例（{share}）"),
                    format!("share of the questions or briefings held ({share})"),
                ),
                (_, true) => pick(
                    "*：文字不全（所含比例低于常例）".into(),
                    "*: partial (fewer questions or briefings than usual)".into(),
                ),
            });
        }
        if shows.answers && !self.dense() {
            under.push(pick("回答数（n）".into(), "answers (n)".into()));
        }
        if !under.is_empty() {
            clauses.push(pick(
                format!("{}下：{}", self.word(true), under.join("，")),
                format!("under a {}: {}", self.word(false), under.join(", ")),
            ));
        }
        if shows.hollow {
            let m = self.min_answers;
            clauses.push(pick(
                format!("空心点：回答少于 {m} 个，无区间"),
                format!("hollow: fewer than {m} answers, no interval"),
            ));
        }
        // Only an apart year next to another year with data has a line it
        // could have been joined by.
        let apart: Vec<String> = self
            .apart
            .iter()
            .filter(|(y, _)| {
                self.with_data.contains(&(*y - 1)) || self.with_data.contains(&(*y + 1))
            })
            .map(|(y, g)| {
                let (genre, y) = (labels.genre(*g), self.period.label(*y));
                pick(format!("{y}（{genre}）"), format!("{y} ({genre})"))
            })
            .collect();
        if shows.points && !apart.is_empty() {
            let apart = list(&apart);
            clauses.push(pick(
                format!("不连线：{apart}"),
                format!("not joined: {apart}"),
            ));
        }
        Note {
            clauses,
            sep: if zh { "；" } else { "; " },
        }
    }

    /// Runs of consecutive calendar years with data: a line may join points
    /// within a run, never across a gap.
    pub(super) fn runs(&self, years: &[i32]) -> Vec<Vec<i32>> {
        let mut runs: Vec<Vec<i32>> = Vec::new();
        for &y in years {
            match runs.last_mut() {
                Some(run)
                    if run.last().is_some_and(|&p| {
                        p + 1 == y && !self.apart.contains_key(&p) && !self.apart.contains_key(&y)
                    }) =>
                {
                    run.push(y)
                }
                _ => runs.push(vec![y]),
            }
        }
        runs
    }
}

/// One point of a series: year, estimate, interval.
#[derive(Clone, Copy)]
pub(super) struct Point {
    pub(super) year: i32,
    pub(super) value: f64,
    pub(super) low: Option<f64>,
    pub(super) high: Option<f64>,
}

impl Point {
    /// Drawn hollow: the point has no interval (too few answers to resample).
    fn hollow(&self) -> bool {
        self.low.is_none() || self.high.is_none()
    }
}

pub(super) struct Series {
    pub(super) label: String,
    pub(super) points: Vec<Point>,
}

/// Whether any point of `series` is drawn hollow (the note then says why).
pub(super) fn any_hollow<'a>(series: impl IntoIterator<Item = &'a Series>) -> bool {
    series
        .into_iter()
        .any(|s| s.points.iter().any(Point::hollow))
}

pub(super) fn font(size: f64) -> TextStyle<'static> {
    ("sans-serif", size).into_font().color(&BLACK)
}

/// The y axis of a yearly chart: its description, whether a legend needs room
/// above the data, and where it stops for a quantity bounded above (a share).
#[derive(Clone, Copy)]
pub(super) struct YAxis<'a> {
    pub(super) desc: &'a str,
    pub(super) legend: bool,
    pub(super) cap: Option<f64>,
    /// Answers behind each year's points, shown under the year ("n=4").
    pub(super) answers: Option<&'a BTreeMap<i32, u32>>,
}

/// Draws series of yearly points on `area`: grey bands for years without a
/// transcript, whiskers for intervals, lines only within runs of consecutive years.
pub(super) fn draw_years(
    area: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    title: &str,
    axis: &YAxis,
    series: &[Series],
    span: &Span,
    labels: &Labels,
) -> Result<()> {
    let YAxis {
        desc: y_desc,
        legend,
        cap: y_cap,
        answers,
    } = *axis;
    // Under each year: the share of questions a partial year's transcript
    // holds ("14/27") and the answers behind the points ("n=4").
    // One row each, so that neighbouring years' labels never run together;
    // the answers move up where no year is partial, leaving no empty row.
    let mut under: Vec<(i32, u8, String)> = span
        .partial
        .iter()
        .map(|(y, share)| (*y, 0, share.clone()))
        .collect();
    let answers_row = u8::from(!span.partial.is_empty());
    if let Some(a) = answers.filter(|_| !span.dense()) {
        under.extend(a.iter().map(|(y, n)| (*y, answers_row, format!("n={n}"))));
    }
    let rows = under.iter().map(|u| u.1 + 1).max().unwrap_or(0);
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
    // A share's axis stops at 1 whatever the legend needs.
    let y_max = match y_cap {
        Some(cap) => cap,
        None => data_max * (1.08 + legend_room),
    };
    let x_range = (f64::from(span.first) - 0.5)..(f64::from(span.last) + 0.5);
    let mut chart = ChartBuilder::on(area)
        .caption(title, font(10.0))
        .margin(4)
        .x_label_area_size(18 + 9 * u32::from(rows))
        .y_label_area_size(34)
        .build_cartesian_2d(x_range, 0.0..y_max)
        .map_err(draw_err)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels((span.last - span.first + 1) as usize)
        .x_label_formatter(&|x| span.tick(*x))
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
    let base = area.get_base_pixel();
    for (year, row, text) in &under {
        let (px, py) = chart.backend_coord(&(f64::from(*year), 0.0));
        area.draw(&Text::new(
            text.clone(),
            (px - base.0, py - base.1 + 19 + 9 * i32::from(*row)),
            font(6.5)
                .color(&RGBColor(90, 90, 90))
                .pos(plotters::style::text_anchor::Pos::new(
                    plotters::style::text_anchor::HPos::Center,
                    plotters::style::text_anchor::VPos::Top,
                )),
        ))
        .map_err(draw_err)?;
    }
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
        let drawn = chart
            .draw_series(s.points.iter().map(|p| {
                let c = at(p);
                if p.hollow() {
                    EmptyElement::at(c)
                        + Circle::new((0, 0), 2, WHITE.filled())
                        + Circle::new((0, 0), 2, colour.stroke_width(1))
                } else {
                    EmptyElement::at(c)
                        + Circle::new((0, 0), 2, colour.filled())
                        + Circle::new((0, 0), 2, colour.stroke_width(1))
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

/// The chart of a grid of periods (columns, cell `k` centred on x = `k`)
/// by rows (the first at the top, cell `i` centred on y = rows − 1 − i):
/// the salience heatmap's and the formulations figure's. The axes end at
/// the last period and the top row, with nothing beyond; periods without a
/// transcript are grey columns labelled as such.
pub(super) type Grid<'a, 'b> = ChartContext<
    'a,
    SVGBackend<'b>,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

pub(super) fn grid<'a, 'b>(
    area: &'a DrawingArea<SVGBackend<'b>, plotters::coord::Shift>,
    title: &str,
    span: &Span,
    rows: &[String],
    label_width: u32,
    labels: &Labels,
) -> Result<Grid<'a, 'b>> {
    let n = rows.len() as f64;
    let mut chart = ChartBuilder::on(area)
        .caption(title, font(10.0))
        .margin(4)
        .x_label_area_size(16)
        .y_label_area_size(label_width)
        .build_cartesian_2d(
            f64::from(span.first) - 0.5..f64::from(span.last) + 0.5,
            -0.5..n - 0.5,
        )
        .map_err(draw_err)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels((span.last - span.first + 1) as usize)
        .y_labels(rows.len())
        .x_label_formatter(&|x| span.tick(*x))
        .y_label_formatter(&|y| {
            let i = n - 1.0 - y.round();
            match (y - y.round()).abs() < 1e-6 && i >= 0.0 {
                true => rows.get(i as usize).cloned().unwrap_or_default(),
                false => String::new(),
            }
        })
        .label_style(font(7.0))
        .draw()
        .map_err(draw_err)?;
    for k in span.gaps() {
        let x = f64::from(k);
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(x - 0.5, -0.5), (x + 0.5, n - 0.5)],
                GAP.filled(),
            )))
            .map_err(draw_err)?;
        chart
            .draw_series(std::iter::once(Text::new(
                labels.no_data(),
                (x, ((n - 1.0) / 2.0).round()),
                font(6.5)
                    .color(&RGBColor(90, 90, 90))
                    .pos(plotters::style::text_anchor::Pos::new(
                        plotters::style::text_anchor::HPos::Center,
                        plotters::style::text_anchor::VPos::Center,
                    )),
            )))
            .map_err(draw_err)?;
    }
    Ok(chart)
}

/// A figure: its size in points, its SVG, and its note in one line (which
/// the SVG also carries as its description, for readers and search: the
/// drawn text is outlined).
pub(super) struct Figure {
    pub(super) name: String,
    pub(super) width: u32,
    pub(super) height: u32,
    pub(super) svg: String,
    pub(super) note: String,
}

/// Line height and left margin of a note, and its font.
const NOTE_LINE: u32 = 9;
const NOTE_X: i32 = 6;

fn note_font() -> TextStyle<'static> {
    font(6.5).color(&RGBColor(70, 70, 70))
}

/// Draws a figure: `draw` gets an area `body_height` tall, and the note's
/// lines, wrapped to the width, are written below it; the figure grows by
/// as many lines as the note needs, so a long note never crowds the drawing.
pub(super) fn figure(
    name: String,
    width: u32,
    body_height: u32,
    note: &Note,
    draw: impl FnOnce(&DrawingArea<SVGBackend, plotters::coord::Shift>) -> Result<()>,
) -> Result<Figure> {
    let lines = note.lines(width.saturating_sub(2 * NOTE_X as u32))?;
    let foot = if lines.is_empty() {
        0
    } else {
        NOTE_LINE * lines.len() as u32 + 5
    };
    let height = body_height + foot;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_err)?;
        let (body, foot) = root.split_vertically(body_height);
        for (k, line) in lines.iter().enumerate() {
            foot.draw(&Text::new(
                line.as_str(),
                (NOTE_X, 2 + NOTE_LINE as i32 * k as i32),
                note_font(),
            ))
            .map_err(draw_err)?;
        }
        draw(&body)?;
        root.present().map_err(draw_err)?;
    }
    Ok(Figure {
        name,
        width,
        height,
        svg,
        note: note.text(),
    })
}

/// Viridis at a few stops, interpolated: a sequential scale that stays
/// readable in greyscale and for colour-blind readers.
pub(super) fn viridis(t: f64) -> RGBColor {
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
