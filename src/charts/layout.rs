//! The building blocks every figure shares: the palette, series of points
//! on the span's periods drawn with their intervals, the grid of periods by
//! rows, and a figure's frame with its note (the span itself: span.rs).

use std::collections::BTreeMap;

use plotters::prelude::*;

use super::labels::Labels;
use super::span::{Note, Span};
use crate::error::{Error, Result};

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
/// Columns of periods without a transcript.
pub(super) const GAP: RGBColor = RGBColor(225, 225, 225);
/// The grid's major lines.
pub(super) const GRID_LINE: RGBColor = RGBColor(225, 225, 225);
/// A legend's border.
pub(super) const BORDER: RGBColor = RGBColor(160, 160, 160);
/// Secondary text on the plot: tick rows, counts.
pub(super) const MUTED: RGBColor = RGBColor(90, 90, 90);
/// The notes under a figure.
pub(super) const NOTE: RGBColor = RGBColor(70, 70, 70);

/// Points a row label takes at the labels' size (7 pt): a Chinese character
/// about the size, any other character about half of it; 8 points of margin.
/// One measure for every figure with row labels.
pub(super) fn label_width<'a>(labels: impl IntoIterator<Item = &'a str>) -> u32 {
    labels
        .into_iter()
        .map(|l| {
            l.chars()
                .map(|c| if crate::text::is_cjk(c) { 7 } else { 4 })
                .sum::<u32>()
        })
        .max()
        .unwrap_or(28)
        + 8
}

pub(super) fn draw_err<E: std::fmt::Debug>(e: E) -> Error {
    Error::Table(format!("drawing a chart: {e:?}"))
}

/// Points per inch of the SVG user unit, and the PNG resolution.
pub(super) const PT_PER_IN: f32 = 72.0;
pub(super) const DPI: f32 = 300.0;

/// One point of a series: year, estimate, interval.
#[derive(Clone, Copy)]
pub(super) struct Point {
    pub(super) year: i32,
    pub(super) value: f64,
    pub(super) low: Option<f64>,
    pub(super) high: Option<f64>,
    /// Resampled, where it has no interval: every resample gave the same
    /// value (see [`Point::of`]).
    pub(super) resampled: bool,
}

impl Point {
    /// A point with its interval's bounds; the row's `note` says whether it
    /// was resampled (every resample the same) where it has none.
    pub(super) fn of(
        year: i32,
        value: f64,
        low: Option<f64>,
        high: Option<f64>,
        note: Option<&str>,
    ) -> Point {
        Point {
            year,
            value,
            low,
            high,
            resampled: note == Some(crate::shifts::SAME_EVERY_RESAMPLE),
        }
    }

    /// Drawn hollow: the point has no interval (too few answers to
    /// resample); one whose resamples were all the same is drawn filled.
    fn hollow(&self) -> bool {
        (self.low.is_none() || self.high.is_none()) && !self.resampled
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
    let under = under_years(span, axis.answers);
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
    let legend_room = if axis.legend {
        0.13 * series.len() as f64
    } else {
        0.0
    };
    // A share's axis stops at 1 whatever the legend needs.
    let y_max = match axis.cap {
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
        .y_desc(axis.desc)
        .label_style(font(7.5))
        .axis_desc_style(font(7.5))
        .bold_line_style(GRID_LINE)
        .light_line_style(TRANSPARENT)
        .draw()
        .map_err(draw_err)?;
    draw_under(area, &chart, &under)?;
    draw_gaps(&mut chart, span, (data_max, y_max), labels)?;
    let n = series.len().max(1) as f64;
    for (k, s) in series.iter().enumerate() {
        draw_series(&mut chart, s, k, n, span, axis.legend)?;
    }
    if axis.legend && !series.is_empty() {
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.85))
            .border_style(BORDER)
            .label_font(font(7.0))
            .margin(4)
            .draw()
            .map_err(draw_err)?;
    }
    Ok(())
}

/// What goes under each year: the share of questions a partial year's
/// transcript holds ("14/27") and the answers behind the points ("n=4"),
/// as (year, row, text). One row each, so that neighbouring years' labels
/// never run together; the answers move up where no year is partial,
/// leaving no empty row.
fn under_years(span: &Span, answers: Option<&BTreeMap<i32, u32>>) -> Vec<(i32, u8, String)> {
    let mut under: Vec<(i32, u8, String)> = span
        .partial
        .iter()
        .map(|(y, share)| (*y, 0, share.clone()))
        .collect();
    let answers_row = u8::from(!span.partial.is_empty());
    if let Some(a) = answers.filter(|_| !span.dense()) {
        under.extend(a.iter().map(|(y, n)| (*y, answers_row, format!("n={n}"))));
    }
    under
}

/// Writes the labels under the years ([`under_years`]) below the x axis.
fn draw_under(
    area: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    chart: &Grid,
    under: &[(i32, u8, String)],
) -> Result<()> {
    let base = area.get_base_pixel();
    for (year, row, text) in under {
        let (px, py) = chart.backend_coord(&(f64::from(*year), 0.0));
        area.draw(&Text::new(
            text.clone(),
            (px - base.0, py - base.1 + 19 + 9 * i32::from(*row)),
            font(6.5)
                .color(&MUTED)
                .pos(plotters::style::text_anchor::Pos::new(
                    plotters::style::text_anchor::HPos::Center,
                    plotters::style::text_anchor::VPos::Top,
                )),
        ))
        .map_err(draw_err)?;
    }
    Ok(())
}

/// Grey bands over the years without a transcript, up to `y_max`, and one
/// label per run of them, low in the band, clear of the legend.
fn draw_gaps(
    chart: &mut Grid,
    span: &Span,
    (data_max, y_max): (f64, f64),
    labels: &Labels,
) -> Result<()> {
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
    for run in span.runs(&gaps) {
        let centre = (f64::from(run[0]) + f64::from(run[run.len() - 1])) / 2.0;
        chart
            .draw_series(std::iter::once(Text::new(
                labels.no_data(),
                (centre, data_max * 0.04),
                font(6.5)
                    .color(&MUTED)
                    .pos(plotters::style::text_anchor::Pos::new(
                        plotters::style::text_anchor::HPos::Center,
                        plotters::style::text_anchor::VPos::Bottom,
                    )),
            )))
            .map_err(draw_err)?;
    }
    Ok(())
}

/// Series `k` of `n`: lines within runs of consecutive years, whiskers for
/// its intervals, its points (hollow without an interval) and, with a
/// legend, its label.
fn draw_series(
    chart: &mut Grid,
    s: &Series,
    k: usize,
    n: f64,
    span: &Span,
    legend: bool,
) -> Result<()> {
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
                    .color(&MUTED)
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

pub(super) fn note_font() -> TextStyle<'static> {
    font(6.5).color(&NOTE)
}

/// Draws a figure: `draw` gets an area `body_height` tall, and the note's
/// lines, wrapped to the width, are written below it; the figure grows by
/// as many lines as the note needs, so a long note never crowds the drawing.
pub(super) fn figure(
    id: super::FigureId,
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
        name: id.name(),
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
