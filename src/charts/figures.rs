//! The figures: trends per topic, the overview of the headline topics, topic
//! salience, keyness per year and the register index.

use std::collections::{BTreeMap, BTreeSet};

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use polars::prelude::*;

use super::labels::{chinese_count, Labels};
use super::layout::{
    any_hollow, draw_err, draw_years, figure, font, grid, label_width, viridis, Figure, Point,
    Series, YAxis, GRID_LINE, PALETTE,
};
use super::register::{register_by_speaker, register_figure};
use super::span::{spans, Note, Shows, Span};
use super::{FigureId, Inputs, Options, Width};
use crate::categories::{Category, PhraseKind, Reference};
use crate::config::topics::{Topic, ALL};
use crate::error::Result;
use crate::period::Period;
use crate::shifts::ALL_SPEAKERS;
use crate::table::format_float;

/// The rate series of a topic's tracked phrases, most frequent first.
pub(super) fn phrase_series(
    shifts: &DataFrame,
    topic: &str,
    max: usize,
    labels: &Labels,
) -> Result<Vec<Series>> {
    let t = shifts
        .clone()
        .lazy()
        .filter(
            col("topic")
                .eq(lit(topic))
                .and(col("speaker").eq(lit(ALL_SPEAKERS))),
        )
        .with_column(col("n").sum().over([col("phrase")])?.alias("total"))
        .filter(col("total").gt(lit(0)))
        .sort_by_exprs(
            [col("total"), col("phrase"), col("period")],
            SortMultipleOptions::default().with_order_descending_multi([true, false, false]),
        )
        .collect()?;
    let phrase = t.column("phrase")?.str()?;
    let year = Period::of_table(shifts)?.keys(&t)?;
    let rate = t.column("per_10k_tokens")?.f64()?;
    let low = t.column("ci_low")?.f64()?;
    let high = t.column("ci_high")?.f64()?;
    let note = t.column("note")?.str()?;
    let mut out: Vec<(String, Series)> = Vec::new();
    for (i, key) in year.iter().enumerate().take(t.height()) {
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
            s.points.push(Point::of(
                key.unwrap_or_default(),
                rate.get(i).unwrap_or_default(),
                low.get(i),
                high.get(i),
                note.get(i),
            ));
        }
    }
    Ok(out.into_iter().map(|(_, s)| s).collect())
}

/// Draws every figure (see the module documentation) as SVG.
pub(super) fn figures(inp: &Inputs, labels: &Labels, opts: Options) -> Result<Vec<Figure>> {
    let (topic_year, keyness, register) = (
        inp.topic_year.frame(),
        inp.keyness.frame(),
        inp.register.frame(),
    );
    let width: u32 = match opts.width {
        Width::Single => 252,
        Width::Double => 504,
    };
    let (span, year_span) = spans(
        topic_year,
        inp.coverage,
        inp.min_answers,
        inp.exclude_genres,
    )?;
    let rates = Rates {
        shifts: inp.trends.frame(),
        topic_year,
        period_keys: span.period.keys(topic_year)?,
        span: &span,
        labels,
        width,
        rate_desc: labels.text("每万词出现次数", "per 10,000 words"),
    };
    let mut out = Vec::new();
    for topic in &labels.topics.topics {
        out.push(rates.trend(topic)?);
    }
    let headline: Vec<&str> = labels.topics.headline().map(|t| t.id.as_str()).collect();
    out.push(rates.overview(&headline)?);
    out.push(salience(topic_year, &span, labels, width)?);
    out.extend(super::formulations::figure_of(
        inp.formulations,
        &year_span,
        labels,
        width,
    )?);
    // Years of a genre left out of comparisons have no keyness, and no chart.
    let compared: BTreeSet<i32> = keyness.column("year")?.i32()?.iter().flatten().collect();
    for &year in &compared {
        out.push(keyness_bars(keyness, inp.alpha, year, labels, width)?);
    }

    out.push(register_figure(
        register, &headline, &span, labels, width, ON_YEARS,
    )?);
    out.extend(register_by_speaker(
        register, &span, labels, width, ON_YEARS,
    )?);
    Ok(out)
}

/// What every chart with points on the years shows; each adds its answers
/// and hollow points.
const ON_YEARS: Shows = Shows {
    gaps: true,
    points: true,
    answers: false,
    hollow: false,
};

/// The charts of tracked phrases' rates over the years: one per topic, and
/// the overview of the headline topics.
struct Rates<'a> {
    shifts: &'a DataFrame,
    topic_year: &'a DataFrame,
    /// The period of each row of topic_year.
    period_keys: Vec<Option<i32>>,
    span: &'a Span,
    labels: &'a Labels<'a>,
    width: u32,
    rate_desc: String,
}

impl Rates<'_> {
    /// The y axis of rates, with the answers of a topic under its years.
    fn axis<'b>(&'b self, answers: &'b BTreeMap<i32, u32>) -> YAxis<'b> {
        YAxis {
            desc: &self.rate_desc,
            legend: true,
            cap: None,
            answers: Some(answers),
        }
    }

    /// Answers per (topic, year), shown under the years of a topic's chart.
    fn answers_of(&self, topic: &str) -> Result<BTreeMap<i32, u32>> {
        let topic_year = self.topic_year;
        let (t, n) = (
            topic_year.column("topic")?.str()?,
            topic_year.column("n_answers")?.u32()?,
        );
        Ok((0..topic_year.height())
            .filter(|&i| t.get(i) == Some(topic))
            .filter_map(|i| Some((self.period_keys[i]?, n.get(i)?)))
            .filter(|&(_, n)| n > 0)
            .collect())
    }

    /// A topic's tracked phrases over the years.
    fn trend(&self, topic: &Topic) -> Result<Figure> {
        let (labels, span, width) = (self.labels, self.span, self.width);
        let series = phrase_series(self.shifts, &topic.id, 6, labels)?;
        let answers = self.answers_of(&topic.id)?;
        let title = labels.text(
            &format!("{}：追踪短语的频率", topic.zh),
            &format!("{}: tracked phrases by {}", topic.en, span.word(false)),
        );
        let note = span.note(
            labels,
            Shows {
                answers: !answers.is_empty(),
                hollow: any_hollow(&series),
                ..ON_YEARS
            },
        );
        figure(
            FigureId::Trend(topic.id.clone()),
            width,
            width * 9 / 14,
            &note,
            |body| draw_years(body, &title, &self.axis(&answers), &series, span, labels),
        )
    }

    /// The headline topics' tracked phrases, a panel each.
    fn overview(&self, headline: &[&str]) -> Result<Figure> {
        let (labels, span, width) = (self.labels, self.span, self.width);
        let title = labels.text(
            &format!("{}个重点议题", chinese_count(headline.len())),
            &format!("Headline topics: tracked phrases by {}", span.word(false)),
        );
        let panels: Vec<(String, Vec<Series>, BTreeMap<i32, u32>)> = headline
            .iter()
            .map(|t| {
                Ok((
                    labels.topic(t),
                    phrase_series(self.shifts, t, 4, labels)?,
                    self.answers_of(t)?,
                ))
            })
            .collect::<Result<_>>()?;
        // Two panels a row (one where there is one topic).
        let cols = panels.len().clamp(1, 2);
        let grid_shape = (panels.len().div_ceil(cols), cols);
        let note = span.note(
            labels,
            Shows {
                answers: panels.iter().any(|(_, _, a)| !a.is_empty()),
                hollow: any_hollow(panels.iter().flat_map(|(_, s, _)| s)),
                ..ON_YEARS
            },
        );
        let height = width * 11 / 14;
        figure(FigureId::Overview, width, height, &note, |body| {
            let (head, grid) = body.split_vertically(16);
            head.draw(&Text::new(title.clone(), (6, 2), font(10.0)))
                .map_err(draw_err)?;
            for (area, (name, series, answers)) in grid.split_evenly(grid_shape).iter().zip(&panels)
            {
                draw_years(area, name, &self.axis(answers), series, span, labels)?;
            }
            Ok(())
        })
    }
}

pub(super) fn salience(
    topic_year: &DataFrame,
    span: &Span,
    labels: &Labels,
    width: u32,
) -> Result<Figure> {
    let ids: Vec<&str> = labels.topics.ids();
    let topic = topic_year.column("topic")?.str()?;
    let year = span.period.keys(topic_year)?;
    let share = topic_year.column("share")?.f64()?;
    let mut cells: BTreeMap<(i32, &str), f64> = BTreeMap::new();
    for (i, &key) in year.iter().enumerate().take(topic_year.height()) {
        if let (Some(y), Some(t), Some(s)) = (key, topic.get(i), share.get(i)) {
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
        &format!(
            "议题显著度：各议题回答占该{}回答文字的比例",
            span.word(true)
        ),
        &format!(
            "Topic salience: share of the {}'s answer text",
            span.word(false)
        ),
    );
    // A heatmap of shares: of the note's clauses only the grey years apply.
    let note = span.note(
        labels,
        Shows {
            gaps: true,
            ..Shows::default()
        },
    );
    // The title, the year labels and the margins take about 40 points, and
    // each topic a 13-point row, however few the topics.
    let height = 40 + 13 * ids.len() as u32;
    figure(FigureId::Salience, width, height, &note, |body| {
        let label_width = label_width(names.iter().map(String::as_str));
        let mut chart = grid(
            body,
            &title,
            span,
            &names,
            label_width.min(width / 2),
            labels,
        )?;
        for y in span.with_data.iter().copied() {
            for (k, t) in ids.iter().enumerate() {
                let row = f64::from(ids.len() as i32 - 1 - k as i32);
                let x = f64::from(y);
                // A topic not discussed in a period with a transcript is a real zero: white.
                let colour = match cells.get(&(y, *t)) {
                    Some(s) if *s > 0.0 => viridis(s / max),
                    _ => WHITE,
                };
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(x - 0.5, row - 0.5), (x + 0.5, row + 0.5)],
                        colour.filled(),
                    )))
                    .map_err(draw_err)?;
                if let Some(s) = cells.get(&(y, *t)).filter(|s| **s > 0.0) {
                    let ink = if s / max > 0.6 { BLACK } else { WHITE };
                    chart
                        .draw_series(std::iter::once(Text::new(
                            format!("{:.0}%", s * 100.0),
                            (x, row),
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
        }
        Ok(())
    })
}

/// The bars of a year's keyness chart, top to bottom: (phrase, z, passes
/// the answer-level test at q < alpha) of the ten most over-used words
/// against the other years, then of the ten most under-used.
fn bars_of(keyness: &DataFrame, alpha: f64, year: i32) -> Result<Vec<(String, f64, bool)>> {
    let k = keyness
        .clone()
        .lazy()
        .filter(
            col("year")
                .eq(lit(year))
                .and(col("topic").eq(lit(ALL)))
                .and(col("reference").eq(Reference::Rest.lit()))
                .and(col("kind").eq(PhraseKind::Unigram.lit())),
        )
        .sort_by_exprs(
            [col("logodds_z"), col("phrase")],
            SortMultipleOptions::default().with_order_descending_multi([true, false]),
        )
        .collect()?;
    let phrase = k.column("phrase")?.str()?;
    let z = k.column("logodds_z")?.f64()?;
    let q_perm = k.column("q_perm")?.f64()?;
    let rows: Vec<(String, f64, bool)> = (0..k.height())
        .filter_map(|i| {
            Some((
                phrase.get(i)?.to_string(),
                z.get(i)?,
                q_perm.get(i).is_some_and(|q| q < alpha),
            ))
        })
        .collect();
    let per_side = 10;
    let mut bars: Vec<(String, f64, bool)> = rows
        .iter()
        .filter(|r| r.1 > 0.0)
        .take(per_side)
        .cloned()
        .collect();
    let under: Vec<(String, f64, bool)> = rows
        .iter()
        .rev()
        .filter(|r| r.1 < 0.0)
        .take(per_side)
        .cloned()
        .collect();
    bars.extend(under.into_iter().rev());
    Ok(bars)
}

/// A bar's colour: by its side, faded where it does not pass the test (the
/// same hue mixed three parts in four with white).
fn bar_colour(z: f64, significant: bool) -> RGBColor {
    let base = if z > 0.0 { PALETTE[1] } else { PALETTE[0] };
    let fade = |c: u8| c + (255 - c) / 4 * 3;
    if significant {
        base
    } else {
        RGBColor(fade(base.0), fade(base.1), fade(base.2))
    }
}

/// A year's words over- and under-used against the other years, as bars of
/// their log-odds z.
pub(super) fn keyness_bars(
    keyness: &DataFrame,
    alpha: f64,
    year: i32,
    labels: &Labels,
    width: u32,
) -> Result<Figure> {
    let bars = bars_of(keyness, alpha, year)?;
    let bar_labels: Vec<String> = bars.iter().map(|(p, _, _)| labels.phrase(p)).collect();
    let z_max = bars.iter().map(|b| b.1.abs()).fold(1.0f64, f64::max) * 1.1;
    let title = labels.text(
        &format!("{year} 年：相对其他年份的特色词（log-odds z）"),
        &format!("{year}: words over- and under-used against the other years (log-odds z)"),
    );
    let n = bars.len().max(1) as i32;
    let height = 36 + 12 * n as u32;
    // One year's bars, explained on their axis: nothing on the span to note.
    figure(
        FigureId::Keyness(year),
        width,
        height,
        &Note::none(),
        |body| {
            let label_width = label_width(bar_labels.iter().map(String::as_str));
            let mut chart = ChartBuilder::on(body)
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
                    &format!(
                        "log-odds z（>0 更常用；实色：按回答检验 q < {}）",
                        format_float(alpha)
                    ),
                    &format!(
                        "log-odds z (> 0: used more; full colour: answer-level q < {})",
                        format_float(alpha)
                    ),
                ))
                .label_style(font(7.0))
                .axis_desc_style(font(7.5))
                .bold_line_style(GRID_LINE)
                .light_line_style(TRANSPARENT)
                .draw()
                .map_err(draw_err)?;
            for (k, (_, z, significant)) in bars.iter().enumerate() {
                let row = n - 1 - k as i32;
                let corners = [
                    (0.0, SegmentValue::Exact(row)),
                    (*z, SegmentValue::Exact(row + 1)),
                ];
                // A white outline keeps neighbouring bars apart.
                chart
                    .draw_series([
                        Rectangle::new(corners.clone(), bar_colour(*z, *significant).filled()),
                        Rectangle::new(corners, WHITE.stroke_width(2)),
                    ])
                    .map_err(draw_err)?;
            }
            Ok(())
        },
    )
}
