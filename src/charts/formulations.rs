//! The formulations figure: the formulations each year brings in or lets go
//! (formulations.csv), as marks on the years.

use std::collections::{BTreeMap, BTreeSet};

use plotters::prelude::*;
use polars::prelude::*;

use super::labels::Labels;
use super::layout::{draw_err, figure, font, grid, Figure, PALETTE};
use super::span::{Note, Shows, Span};
use crate::error::Result;
use crate::vocab::{Category, Genre, Status};

/// What the formulations figure marks, read from formulations.csv.
struct Marks<'a> {
    /// (rank, year) → (rate, status).
    cells: BTreeMap<(u32, i32), (f64, &'a str)>,
    /// A formulation's text by its rank.
    names: BTreeMap<u32, &'a str>,
    /// Years whose text is partial or a summary.
    incomplete: BTreeSet<i32>,
    /// The ranks shown, a row each, in order.
    rows: Vec<u32>,
    /// The largest rate of a row shown (the full-size mark).
    max: f64,
}

impl<'a> Marks<'a> {
    /// The marks of formulations.csv; None where no year has a new or
    /// dropped formulation.
    fn of(df: &'a DataFrame) -> Result<Option<Self>> {
        let (rank, text, year, rate, status, genre, share) = (
            df.column("rank")?.u32()?,
            df.column("formulation")?.str()?,
            df.column("year")?.i32()?,
            df.column("per_10k_tokens")?.f64()?,
            df.column("status")?.str()?,
            df.column("genre")?.str()?,
            df.column("questions_share")?.f64()?,
        );
        let mut cells: BTreeMap<(u32, i32), (f64, &str)> = BTreeMap::new();
        let mut names: BTreeMap<u32, &str> = BTreeMap::new();
        let mut incomplete: BTreeSet<i32> = BTreeSet::new();
        for i in 0..df.height() {
            let (Some(r), Some(t), Some(y), Some(st)) =
                (rank.get(i), text.get(i), year.get(i), status.get(i))
            else {
                continue;
            };
            names.insert(r, t);
            cells.insert((r, y), (rate.get(i).unwrap_or(0.0), st));
            if genre
                .get(i)
                .is_some_and(|g| g.split('+').any(|g| g == Genre::Summary.as_str()))
                || share.get(i).is_some_and(|s| s < 1.0)
            {
                incomplete.insert(y);
            }
        }
        let mut rows: Vec<u32> = Vec::new();
        for (_, _, i) in crate::formulations::shown(df)? {
            if let Some(r) = rank.get(i).filter(|r| !rows.contains(r)) {
                rows.push(r);
            }
        }
        if rows.is_empty() {
            return Ok(None);
        }
        let max = cells
            .iter()
            .filter(|((r, _), _)| rows.contains(r))
            .map(|(_, c)| c.0)
            .fold(0.0f64, f64::max)
            .max(1e-9);
        Ok(Some(Marks {
            cells,
            names,
            incomplete,
            rows,
            max,
        }))
    }
}

/// Rows: per year with a transcript, its first [`crate::formulations::SHOWN_PER_YEAR`] new and
/// [`crate::formulations::SHOWN_PER_YEAR`] dropped formulations (in rank order, each once); columns:
/// years. A mark's area is the year's rate; hollow where the year's text is
/// partial or a summary; × where it is dropped; grey columns for years
/// without a transcript. None where no year has a new or dropped one.
pub(super) fn figure_of(
    df: &DataFrame,
    span: &Span,
    labels: &Labels,
    width: u32,
) -> Result<Option<Figure>> {
    let Some(Marks {
        cells,
        names,
        incomplete,
        rows,
        max,
    }) = Marks::of(df)?
    else {
        return Ok(None);
    };
    let title = labels.text(
        "新出现与消失的提法（每年按 C 值取前几位）",
        "New and dropped formulations (the first of each year by C-value)",
    );
    let note = note(span, labels);
    let n = rows.len() as i32;
    let height = 40 + 13 * rows.len() as u32;
    let fig = figure(
        super::FigureId::Formulations,
        width,
        height,
        &note,
        |body| {
            let label_width = rows
                .iter()
                .map(|r| names[r].chars().count())
                .max()
                .unwrap_or(4) as u32
                * 7
                + 8;
            let row_names: Vec<String> = rows.iter().map(|r| names[r].to_string()).collect();
            let mut chart = grid(
                body,
                &title,
                span,
                &row_names,
                label_width.min(width / 2),
                labels,
            )?;
            let centre = |y: i32, row: i32| (f64::from(y), f64::from(row));
            for y in span.with_data.iter().copied() {
                for (k, r) in rows.iter().enumerate() {
                    let row = n - 1 - k as i32;
                    let Some(&(rate, st)) = cells.get(&(*r, y)) else {
                        continue;
                    };
                    if rate > 0.0 {
                        let radius = (1.5 + 4.5 * (rate / max).sqrt()).round() as i32;
                        let style = if incomplete.contains(&y) {
                            PALETTE[0].stroke_width(1)
                        } else {
                            PALETTE[0].filled()
                        };
                        chart
                            .draw_series(std::iter::once(Circle::new(
                                centre(y, row),
                                radius,
                                style,
                            )))
                            .map_err(draw_err)?;
                    }
                    let Some(sign) = sign_of(st) else { continue };
                    chart
                        .draw_series(std::iter::once(Text::new(
                            sign,
                            centre(y, row),
                            font(8.0).color(&PALETTE[1]).pos(
                                plotters::style::text_anchor::Pos::new(
                                    plotters::style::text_anchor::HPos::Left,
                                    plotters::style::text_anchor::VPos::Center,
                                ),
                            ),
                        )))
                        .map_err(draw_err)?;
                }
            }
            Ok(())
        },
    )?;
    Ok(Some(fig))
}

/// The sign beside a year's mark: + where the formulation is new, × where
/// it is dropped, none otherwise.
fn sign_of(status: &str) -> Option<&'static str> {
    match status {
        s if s == Status::New.as_str() => Some("+"),
        s if s == Status::Dropped.as_str() => Some("×"),
        _ => None,
    }
}

/// The figure's note: the grey years, and what a mark's size, fill and sign
/// say.
fn note(span: &Span, labels: &Labels) -> Note {
    span.note(
        labels,
        Shows {
            gaps: true,
            ..Shows::default()
        },
    )
    .and(labels.text(
        "圆面积：每万词出现次数；空心：该年文字不全或为摘要；×：消失；+：新出现",
        "area: uses per 10,000 words; hollow: partial text or summary; ×: dropped; +: new",
    ))
}
