//! The formulations figure: the formulations that entered or left
//! (formulations.csv `change`), each with the dates of its first and last
//! use, as marks on the years.

use std::collections::{BTreeMap, BTreeSet};

use plotters::prelude::*;
use polars::prelude::*;

use super::labels::Labels;
use super::layout::{draw_err, figure, font, grid, label_width, Figure, PALETTE};
use super::span::{Note, Shows, Span};
use crate::categories::{Category, Change, Genre};
use crate::error::Result;

/// What the formulations figure marks, read from formulations.csv.
struct Marks {
    /// (rank, year) → rate.
    cells: BTreeMap<(u32, i32), f64>,
    /// (rank, year) → the turn shown there.
    turns: BTreeMap<(u32, i32), Change>,
    /// A formulation's row label by its rank: its text and dates.
    names: BTreeMap<u32, String>,
    /// Years whose text is partial or a summary.
    incomplete: BTreeSet<i32>,
    /// The ranks shown, a row each, in order.
    rows: Vec<u32>,
    /// The largest rate of a row shown (the full-size mark).
    max: f64,
}

impl Marks {
    /// The marks of formulations.csv; None where no formulation entered or
    /// left.
    fn of(df: &DataFrame) -> Result<Option<Self>> {
        let (rank, text, year, rate, genre, share) = (
            df.column("rank")?.u32()?,
            df.column("formulation")?.str()?,
            df.column("year")?.i32()?,
            df.column("per_10k_tokens")?.f64()?,
            df.column("genre")?.str()?,
            df.column("questions_share")?.f64()?,
        );
        let (first, last) = (
            df.column("first_date")?.str()?,
            df.column("last_date")?.str()?,
        );
        let mut cells: BTreeMap<(u32, i32), f64> = BTreeMap::new();
        let mut names: BTreeMap<u32, String> = BTreeMap::new();
        let mut incomplete: BTreeSet<i32> = BTreeSet::new();
        for i in 0..df.height() {
            let (Some(r), Some(t), Some(y)) = (rank.get(i), text.get(i), year.get(i)) else {
                continue;
            };
            names.entry(r).or_insert_with(|| {
                format!(
                    "{t} {}–{}",
                    first.get(i).unwrap_or_default(),
                    last.get(i).unwrap_or_default()
                )
            });
            cells.insert((r, y), rate.get(i).unwrap_or(0.0));
            if genre
                .get(i)
                .is_some_and(|g| g.split('+').any(|g| g == Genre::Summary.as_str()))
                || share.get(i).is_some_and(|s| s < 1.0)
            {
                incomplete.insert(y);
            }
        }
        let mut rows: Vec<u32> = Vec::new();
        let mut turns: BTreeMap<(u32, i32), Change> = BTreeMap::new();
        for (y, turn, i) in crate::formulations::shown(df)? {
            let Some(r) = rank.get(i) else { continue };
            turns.insert((r, y), turn);
            if !rows.contains(&r) {
                rows.push(r);
            }
        }
        if rows.is_empty() {
            return Ok(None);
        }
        let max = cells
            .iter()
            .filter(|((r, _), _)| rows.contains(r))
            .map(|(_, c)| *c)
            .fold(0.0f64, f64::max)
            .max(1e-9);
        Ok(Some(Marks {
            cells,
            turns,
            names,
            incomplete,
            rows,
            max,
        }))
    }
}

/// Rows: the formulations of [`crate::formulations::shown`] (per year, the
/// strongest entries and exits, each once), labelled with the dates of
/// their first and last use; columns: years. A mark's area is the year's
/// rate; hollow where the year's text is partial or a summary; + in the
/// year of an entry's first use, × in the year of an exit's last; grey
/// columns for years without a transcript. None where none entered or left.
pub(super) fn figure_of(
    df: &DataFrame,
    span: &Span,
    labels: &Labels,
    width: u32,
) -> Result<Option<Figure>> {
    let Some(Marks {
        cells,
        turns,
        names,
        incomplete,
        rows,
        max,
    }) = Marks::of(df)?
    else {
        return Ok(None);
    };
    let title = labels.text(
        "进入与退出的提法（每年证据最强者；首次与末次使用日期）",
        "Formulations that entered or left (the strongest of each year; first and last use)",
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
            let row_names: Vec<String> = rows.iter().map(|r| names[r].clone()).collect();
            let label_width = label_width(row_names.iter().map(String::as_str));
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
                    let Some(&rate) = cells.get(&(*r, y)) else {
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
                    if let Some(sign) = turns.get(&(*r, y)).and_then(|t| sign_of(*t)) {
                        chart
                            .draw_series(std::iter::once(sign_at(sign, centre(y, row))))
                            .map_err(draw_err)?;
                    }
                }
            }
            Ok(())
        },
    )?;
    Ok(Some(fig))
}

/// The sign drawn at a mark's centre, left-aligned.
fn sign_at(sign: &'static str, at: (f64, f64)) -> Text<'static, (f64, f64), &'static str> {
    Text::new(
        sign,
        at,
        font(8.0)
            .color(&PALETTE[1])
            .pos(plotters::style::text_anchor::Pos::new(
                plotters::style::text_anchor::HPos::Left,
                plotters::style::text_anchor::VPos::Center,
            )),
    )
}

/// The sign beside a year's mark: + in the year an entry is first said, ×
/// in the year an exit is last said.
fn sign_of(turn: Change) -> Option<&'static str> {
    match turn {
        Change::Entered => Some("+"),
        Change::Left => Some("×"),
        Change::EnteredLeft | Change::Stable => None,
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
        "圆面积：每万词出现次数；空心：该年文字不全或为摘要；+：首次使用（进入）；×：末次使用（退出）",
        "area: uses per 10,000 words; hollow: partial text or summary; +: first use (entered); ×: last use (left)",
    ))
}
