//! The register figures: the index of `all` and the headline topics, and
//! each speaker's (register.csv), on the span's periods.

use std::collections::BTreeSet;

use polars::prelude::*;

use super::labels::Labels;
use super::layout::{any_hollow, draw_years, figure, Figure, Point, Series, YAxis};
use super::span::{Shows, Span};
use super::FigureId;
use crate::config::topics::ALL;
use crate::error::Result;
use crate::period::Period;
use crate::shifts::ALL_SPEAKERS;

/// The register index's points of the rows of `register` that `keep` keeps.
fn register_points(register: &DataFrame, keep: impl Fn(usize) -> bool) -> Result<Vec<Point>> {
    let reg_year = Period::of_table(register)?.keys(register)?;
    let share = register.column("hardline_share")?.f64()?;
    let lo = register.column("share_low")?.f64()?;
    let hi = register.column("share_high")?.f64()?;
    let note = register.column("note")?.str()?;
    Ok((0..register.height())
        .filter(|&i| keep(i))
        .filter_map(|i| {
            Some(Point::of(
                reg_year[i]?,
                share.get(i)?,
                lo.get(i),
                hi.get(i),
                note.get(i),
            ))
        })
        .collect())
}

/// A figure of the register index, one series a line.
fn register_lines(
    id: FigureId,
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
    figure(id, width, height, &note, |body| {
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
pub(super) fn register_figure(
    register: &DataFrame,
    headline: &[&str],
    span: &Span,
    labels: &Labels,
    width: u32,
    on_years: Shows,
) -> Result<Figure> {
    let series = std::iter::once(ALL)
        .chain(headline.iter().copied())
        .map(|t| series_of(register, labels.topic(t), t, ALL_SPEAKERS))
        .collect::<Result<Vec<Series>>>()?;
    let title = labels.text(
        "语气：强硬用语在表态用语中的占比",
        "Register: hard-line share of register formulas",
    );
    register_lines(
        FigureId::Register,
        title,
        &series,
        span,
        labels,
        width,
        on_years,
    )
}

/// The register index of each speaker with rows of their own (register.csv,
/// topic `all`): who spoke harder, year by year. None where fewer than two
/// speakers have such rows.
pub(super) fn register_by_speaker(
    register: &DataFrame,
    span: &Span,
    labels: &Labels,
    width: u32,
    on_years: Shows,
) -> Result<Option<Figure>> {
    let names = speakers_drawn(register)?;
    if names.len() < 2 {
        return Ok(None);
    }
    let series = names
        .iter()
        .map(|&n| series_of(register, n.to_string(), ALL, n))
        .collect::<Result<Vec<Series>>>()?;
    let title = labels.text(
        "语气（按发言人）：强硬用语在表态用语中的占比",
        "Register by speaker: hard-line share of register formulas",
    );
    Ok(Some(register_lines(
        FigureId::RegisterSpeakers,
        title,
        &series,
        span,
        labels,
        width,
        on_years,
    )?))
}

/// The speakers with rows of their own in register.csv (topic `all`): the
/// series of the register-by-speaker figure, which is drawn where there
/// are two or more (the report shows it on the same condition).
pub fn speakers_drawn(register: &DataFrame) -> Result<BTreeSet<&str>> {
    let topic = register.column("topic")?.str()?;
    let speaker = register.column("speaker")?.str()?;
    Ok((0..register.height())
        .filter(|&i| topic.get(i) == Some(ALL))
        .filter_map(|i| speaker.get(i))
        .filter(|s| *s != ALL_SPEAKERS)
        .collect())
}

/// The register index's series of one topic and speaker (register.csv rows).
fn series_of(register: &DataFrame, label: String, topic: &str, speaker: &str) -> Result<Series> {
    let (t, s) = (
        register.column("topic")?.str()?,
        register.column("speaker")?.str()?,
    );
    Ok(Series {
        label,
        points: register_points(register, |i| {
            t.get(i) == Some(topic) && s.get(i) == Some(speaker)
        })?,
    })
}
