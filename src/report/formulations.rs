//! The report's section on formulations (formulations.csv).

use std::collections::BTreeMap;

use super::document::{bold, code, data, text, Block, Inline};
use super::{s, sig, Inputs};
use crate::error::Result;
use crate::vocab::{Category, Status};
use polars::prelude::DataFrame;

/// "New and dropped formulations": per year, the first
/// [`crate::formulations::SHOWN_PER_YEAR`] new and dropped ones by rank (as
/// the figure draws them), each with its numbers and one KWIC line: from
/// the year for a new one, from the last year it was said for a dropped one.
pub(super) fn section(inp: &Inputs) -> Result<Vec<Block>> {
    let f = inp.formulations;
    let mut doc = vec![Block::Heading(2, "New and dropped formulations".into())];
    doc.push(Block::Para(vec![text(
        "Formulations (提法) are found without a list: word runs said in two answers or more, \
         folded into the longer runs they belong to and ranked by C-value \
         (`tables/formulations.csv`, `rhetoric-shift formulations`). New: said, and not in the \
         last earlier year that can tell; dropped: not said in a complete text after a year that \
         said it. A partial print or a summary without a formulation says nothing, so no \
         formulation is dropped in such a year.",
    )]));
    let items = shown(f)?;
    if items.is_empty() {
        doc.push(Block::Para(vec![text(
            "No year has a new or dropped formulation.",
        )]));
        return Ok(doc);
    }
    let wanted: Vec<(String, i32)> = items
        .iter()
        .map(|(_, _, i, from)| (s(f, "formulation", *i), *from))
        .collect();
    let lines = crate::shifts::kwic::first_lines(
        inp.answers,
        inp.tagged,
        &wanted,
        inp.config.analysis.kwic.window,
    )?;
    let mut by_year: BTreeMap<i32, Vec<Vec<Inline>>> = BTreeMap::new();
    for ((year, status, i, from), line) in items.iter().zip(lines) {
        by_year
            .entry(*year)
            .or_default()
            .push(item(f, status, *i, *from, line));
    }
    for (year, list) in by_year {
        doc.push(Block::Para(vec![bold(year.to_string())]));
        doc.push(Block::List(list));
    }
    doc.push(Block::Figure {
        id: crate::charts::FigureId::Formulations,
        caption: "New and dropped formulations".into(),
    });
    Ok(doc)
}

/// The formulations shown, in year and status order, each as (year, status,
/// row of formulations.csv, year its KWIC line comes from).
fn shown(f: &DataFrame) -> Result<Vec<(i32, String, usize, i32)>> {
    let mut said_in: BTreeMap<String, Vec<i32>> = BTreeMap::new();
    for i in 0..f.height() {
        if let Ok(year) = s(f, "year", i).parse::<i32>() {
            if s(f, "n", i) != "0" {
                said_in
                    .entry(s(f, "formulation", i))
                    .or_default()
                    .push(year);
            }
        }
    }
    let mut items: Vec<(i32, String, usize, i32)> = Vec::new();
    for (year, status, i) in crate::formulations::shown(f)? {
        let phrase = s(f, "formulation", i);
        // A dropped one's line comes from the last year before that said it.
        let from = if status == Status::Dropped {
            said_in
                .get(&phrase)
                .and_then(|ys| ys.iter().copied().filter(|&y| y < year).max())
                .unwrap_or(year)
        } else {
            year
        };
        items.push((year, status.as_str().to_string(), i, from));
    }
    Ok(items)
}

/// A formulation's item: its numbers, and its KWIC line (id, left, right)
/// from year `from` where there is one.
fn item(
    f: &DataFrame,
    status: &str,
    i: usize,
    from: i32,
    line: Option<(String, String, String)>,
) -> Vec<Inline> {
    let phrase = s(f, "formulation", i);
    let mut item = vec![
        bold(&phrase),
        text(format!(
            " ({status}; {} use(s) in {} answer(s), {} per 10,000 words; said {}–{}; C-value {})",
            s(f, "n", i),
            s(f, "answers", i),
            sig(s(f, "per_10k_tokens", i).parse().unwrap_or(0.0)),
            s(f, "first_year", i),
            s(f, "last_year", i),
            sig(s(f, "c_value", i).parse().unwrap_or(0.0)),
        )),
    ];
    if let Some((id, left, right)) = line {
        item.extend([
            text(format!(". {from} ")),
            code(id),
            text(": …"),
            data(left),
            bold(&phrase),
            data(right),
            text("…"),
        ]);
    }
    item
}
