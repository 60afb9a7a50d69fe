//! The figures: trends per topic, the overview of the headline topics, topic
//! salience, keyness per year and the register index.

use std::collections::{BTreeMap, BTreeSet};

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use polars::prelude::*;

use super::labels::{chinese_count, Labels};
use super::layout::{
    any_hollow, draw_err, draw_years, figure, font, grid, viridis, Figure, Note, Point, Series,
    Shows, Span, YAxis, PALETTE,
};
use super::{Inputs, Options, Width};
use crate::config::topics::ALL;
use crate::error::Result;
use crate::period::Period;
use crate::shifts::ALL_SPEAKERS;
use crate::table::format_float;
use crate::vocab::{Category, Genre, PhraseKind, Reference};

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
                year: year[i].unwrap_or_default(),
                value: rate.get(i).unwrap_or_default(),
                low: low.get(i),
                high: high.get(i),
            });
        }
    }
    Ok(out.into_iter().map(|(_, s)| s).collect())
}

/// "14/27" for every year whose transcript holds fewer questions than the
/// conference had (coverage.csv: questions, questions_asked).
fn partial_years(coverage: &DataFrame) -> Result<BTreeMap<i32, String>> {
    let year = coverage.column("year")?.i32()?;
    let held = coverage.column("questions")?.u32()?;
    let asked = coverage.column("questions_asked")?.u32()?;
    Ok((0..coverage.height())
        .filter_map(|i| {
            let (y, h, a) = (year.get(i)?, held.get(i)?, asked.get(i)?);
            (h < a).then(|| (y, format!("{h}/{a}")))
        })
        .collect())
}

/// The span of the periods of topic_year.csv, and the span of the years
/// (the formulations figure's, which stays yearly): the same where the
/// period is the year. A year's partial share and genre come from
/// coverage.csv ("14/27"), a quarter's or a month's from topic_year.csv.
fn spans(
    topic_year: &DataFrame,
    coverage: &DataFrame,
    min_answers: usize,
    exclude: &[Genre],
) -> Result<(Span, Span)> {
    let period = Period::of_table(topic_year)?;
    let keys = period.keys(topic_year)?;
    let make = |period: Period, with_data: BTreeSet<i32>| Span {
        period,
        first: with_data.first().copied().unwrap_or_default(),
        last: with_data.last().copied().unwrap_or_default(),
        with_data,
        partial: BTreeMap::new(),
        min_answers,
        apart: BTreeMap::new(),
    };
    let year_keys: BTreeSet<i32> = if period == Period::Year {
        keys.iter().flatten().copied().collect()
    } else {
        let (year, genre) = (
            coverage.column("year")?.i32()?,
            coverage.column("genre")?.str()?,
        );
        (0..coverage.height())
            .filter(|&i| genre.get(i).is_some())
            .filter_map(|i| year.get(i))
            .collect()
    };
    let mut years = make(Period::Year, year_keys);
    years.partial = partial_years(coverage)?;
    years.apart = years_of_genres(coverage, exclude)?;
    if period == Period::Year {
        return Ok((years.clone(), years));
    }
    let mut span = make(period, keys.iter().flatten().copied().collect());
    let (genre, share) = (
        topic_year.column("genre")?.str()?,
        topic_year.column("questions_share")?.f64()?,
    );
    for (i, key) in keys.iter().enumerate() {
        let Some(key) = *key else { continue };
        if let Some(s) = share.get(i).filter(|s| *s < 1.0) {
            let label = if span.dense() {
                "*".to_string()
            } else {
                format!("{:.0}%", s * 100.0)
            };
            span.partial.insert(key, label);
        }
        if let Some(g) = genre
            .get(i)
            .and_then(|g| exclude.iter().find(|e| e.as_str() == g))
        {
            span.apart.insert(key, *g);
        }
    }
    Ok((span, years))
}

/// The years whose transcript is of one of `genres` (coverage.csv `genre`),
/// with that genre.
fn years_of_genres(coverage: &DataFrame, genres: &[Genre]) -> Result<BTreeMap<i32, Genre>> {
    let (year, genre) = (
        coverage.column("year")?.i32()?,
        coverage.column("genre")?.str()?,
    );
    Ok(year
        .iter()
        .zip(genre.iter())
        .filter_map(|(y, g)| {
            let genre = genres.iter().find(|x| Some(x.as_str()) == g)?;
            Some((y?, *genre))
        })
        .collect())
}

/// Draws every figure (see the module documentation) as SVG.
pub(super) fn figures(inp: &Inputs, labels: &Labels, opts: Options) -> Result<Vec<Figure>> {
    let (shifts, topic_year, keyness, register) = (
        inp.trends.frame(),
        inp.topic_year.frame(),
        inp.keyness.frame(),
        inp.register.frame(),
    );
    let (coverage, min_answers) = (inp.coverage, inp.min_answers);
    let width: u32 = match opts.width {
        Width::Single => 252,
        Width::Double => 504,
    };
    let (span, year_span) = spans(topic_year, coverage, min_answers, inp.exclude_genres)?;
    let period_keys = span.period.keys(topic_year)?;
    // What every chart with points on the years shows; each adds its answers
    // and hollow points.
    let on_years = Shows {
        gaps: true,
        points: true,
        ..Shows::default()
    };
    let rate_desc = labels.text("每万词出现次数", "per 10,000 words");
    let rate_axis = YAxis {
        desc: &rate_desc,
        legend: true,
        cap: None,
        answers: None,
    };
    // Answers per (topic, year), shown under the years of a topic's chart.
    let answers_of = |topic: &str| -> Result<BTreeMap<i32, u32>> {
        let (t, n) = (
            topic_year.column("topic")?.str()?,
            topic_year.column("n_answers")?.u32()?,
        );
        Ok((0..topic_year.height())
            .filter(|&i| t.get(i) == Some(topic))
            .filter_map(|i| Some((period_keys[i]?, n.get(i)?)))
            .filter(|&(_, n)| n > 0)
            .collect())
    };
    let mut out = Vec::new();

    for topic in &labels.topics.topics {
        let series = phrase_series(shifts, &topic.id, 6, labels)?;
        let answers = answers_of(&topic.id)?;
        let title = labels.text(
            &format!("{}：追踪短语的频率", topic.zh),
            &format!("{}: tracked phrases by {}", topic.en, span.word(false)),
        );
        let note = span.note(
            labels,
            Shows {
                answers: !answers.is_empty(),
                hollow: any_hollow(&series),
                ..on_years
            },
        );
        out.push(figure(
            format!("trend_{}", topic.id),
            width,
            width * 9 / 14,
            &note,
            |body| {
                let axis = YAxis {
                    answers: Some(&answers),
                    ..rate_axis
                };
                draw_years(body, &title, &axis, &series, &span, labels)
            },
        )?);
    }

    let headline: Vec<&str> = labels.topics.headline().map(|t| t.id.as_str()).collect();
    let title = labels.text(
        &format!("{}个重点议题", chinese_count(headline.len())),
        &format!("Headline topics: tracked phrases by {}", span.word(false)),
    );
    let panels: Vec<(String, Vec<Series>, BTreeMap<i32, u32>)> = headline
        .iter()
        .map(|t| {
            Ok((
                labels.topic(t),
                phrase_series(shifts, t, 4, labels)?,
                answers_of(t)?,
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
            ..on_years
        },
    );
    let height = width * 11 / 14;
    out.push(figure("overview".into(), width, height, &note, |body| {
        let (head, grid) = body.split_vertically(16);
        head.draw(&Text::new(title.clone(), (6, 2), font(10.0)))
            .map_err(draw_err)?;
        for (area, (name, series, answers)) in grid.split_evenly(grid_shape).iter().zip(&panels) {
            let axis = YAxis {
                answers: Some(answers),
                ..rate_axis
            };
            draw_years(area, name, &axis, series, &span, labels)?;
        }
        Ok(())
    })?);

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
        register, &headline, &span, labels, width, on_years,
    )?);
    out.extend(register_by_speaker(
        register, &span, labels, width, on_years,
    )?);
    Ok(out)
}

/// The register index's points of the rows of `register` that `keep` keeps.
fn register_points(register: &DataFrame, keep: impl Fn(usize) -> bool) -> Result<Vec<Point>> {
    let reg_year = Period::of_table(register)?.keys(register)?;
    let share = register.column("hardline_share")?.f64()?;
    let lo = register.column("share_low")?.f64()?;
    let hi = register.column("share_high")?.f64()?;
    Ok((0..register.height())
        .filter(|&i| keep(i))
        .filter_map(|i| {
            Some(Point {
                year: reg_year[i]?,
                value: share.get(i)?,
                low: lo.get(i),
                high: hi.get(i),
            })
        })
        .collect())
}

/// A figure of the register index, one series a line.
fn register_lines(
    name: &str,
    title: String,
    series: &[Series],
    span: &Span,
    labels: &Labels,
    width: u32,
    on_years: Shows,
) -> Result<Figure> {
    let desc = labels.text(
        "强硬 / (强硬 + 温和)",
        "hard-line / (hard-line + conciliatory)",
    );
    let note = span.note(
        labels,
        Shows {
            hollow: any_hollow(series),
            ..on_years
        },
    );
    let height = width * 9 / 14;
    figure(name.into(), width, height, &note, |body| {
        let axis = YAxis {
            desc: &desc,
            legend: true,
            cap: Some(1.0),
            answers: None,
        };
        draw_years(body, &title, &axis, series, span, labels)
    })
}

/// The register index of `all` and the headline topics, everyone's answers.
fn register_figure(
    register: &DataFrame,
    headline: &[&str],
    span: &Span,
    labels: &Labels,
    width: u32,
    on_years: Shows,
) -> Result<Figure> {
    let topic = register.column("topic")?.str()?;
    let speaker = register.column("speaker")?.str()?;
    let series = std::iter::once(ALL)
        .chain(headline.iter().copied())
        .map(|t| {
            Ok(Series {
                label: labels.topic(t),
                points: register_points(register, |i| {
                    topic.get(i) == Some(t) && speaker.get(i) == Some(ALL_SPEAKERS)
                })?,
            })
        })
        .collect::<Result<Vec<Series>>>()?;
    let title = labels.text(
        "语气：强硬用语在表态用语中的占比",
        "Register: hard-line share of register formulas",
    );
    register_lines("register", title, &series, span, labels, width, on_years)
}

/// The register index of each speaker with rows of their own (register.csv,
/// topic `all`): who spoke harder, year by year. None where fewer than two
/// speakers have such rows.
fn register_by_speaker(
    register: &DataFrame,
    span: &Span,
    labels: &Labels,
    width: u32,
    on_years: Shows,
) -> Result<Option<Figure>> {
    let topic = register.column("topic")?.str()?;
    let speaker = register.column("speaker")?.str()?;
    let names: BTreeSet<&str> = (0..register.height())
        .filter(|&i| topic.get(i) == Some(ALL))
        .filter_map(|i| speaker.get(i))
        .filter(|s| *s != ALL_SPEAKERS)
        .collect();
    if names.len() < 2 {
        return Ok(None);
    }
    let series = names
        .iter()
        .map(|&n| {
            Ok(Series {
                label: n.to_string(),
                points: register_points(register, |i| {
                    topic.get(i) == Some(ALL) && speaker.get(i) == Some(n)
                })?,
            })
        })
        .collect::<Result<Vec<Series>>>()?;
    let title = labels.text(
        "语气（按发言人）：强硬用语在表态用语中的占比",
        "Register by speaker: hard-line share of register formulas",
    );
    Ok(Some(register_lines(
        "register_speakers",
        title,
        &series,
        span,
        labels,
        width,
        on_years,
    )?))
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
    for i in 0..topic_year.height() {
        if let (Some(y), Some(t), Some(s)) = (year[i], topic.get(i), share.get(i)) {
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
    figure("salience".into(), width, height, &note, |body| {
        let label_width = names.iter().map(|n| n.chars().count()).max().unwrap_or(4) as u32 * 5 + 8;
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

pub(super) fn keyness_bars(
    keyness: &DataFrame,
    alpha: f64,
    year: i32,
    labels: &Labels,
    width: u32,
) -> Result<Figure> {
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
    // (phrase, z, passes the answer-level test at q < alpha).
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
    let bar_labels: Vec<String> = bars.iter().map(|(p, _, _)| labels.phrase(p)).collect();
    let z_max = bars.iter().map(|b| b.1.abs()).fold(1.0f64, f64::max) * 1.1;
    let title = labels.text(
        &format!("{year} 年：相对其他年份的特色词（log-odds z）"),
        &format!("{year}: words over- and under-used against the other years (log-odds z)"),
    );
    let n = bars.len().max(1) as i32;
    let height = 36 + 12 * n as u32;
    // One year's bars, explained on their axis: nothing on the span to note.
    let name = format!("keyness_{year}");
    figure(name, width, height, &Note::none(), |body| {
        let label_width = bar_labels
            .iter()
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(4) as u32
            * 6
            + 8;
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
            .bold_line_style(RGBColor(225, 225, 225))
            .light_line_style(TRANSPARENT)
            .draw()
            .map_err(draw_err)?;
        for (k, (_, z, significant)) in bars.iter().enumerate() {
            let row = n - 1 - k as i32;
            let base = if *z > 0.0 { PALETTE[1] } else { PALETTE[0] };
            // Faded: the same hue mixed three parts in four with white.
            let fade = |c: u8| c + (255 - c) / 4 * 3;
            let colour = if *significant {
                base
            } else {
                RGBColor(fade(base.0), fade(base.1), fade(base.2))
            };
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
