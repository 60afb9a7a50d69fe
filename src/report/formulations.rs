//! The report's section on formulations (formulations.csv).

use std::collections::BTreeMap;

use super::document::{bold, code, data, text, Block, Inline};
use super::{sig, value, Inputs};
use crate::categories::Change;
use crate::error::Result;
use polars::prelude::DataFrame;

/// "Formulations that entered or left": per year, the strongest
/// [`crate::formulations::SHOWN_PER_YEAR`] entries and exits (as the figure
/// draws them), each with its evidence and one KWIC line from the year of
/// its first use (an entry) or its last (an exit).
pub(super) fn section(inp: &Inputs) -> Result<Vec<Block>> {
    let f = inp.formulations;
    let mut doc = vec![Block::Heading(
        2,
        "Formulations that entered or left".into(),
    )];
    doc.push(Block::Para(vec![text(format!(
        "Formulations (提法) are found without a list: word runs said in two answers or more, \
         folded into the longer runs they belong to (`tables/formulations.csv`, \
         `rhetoric-shift formulations`). One entered where its first use comes later than \
         chance would put it among the corpus's answers in date order, and left where its last \
         use comes earlier (an exact permutation test over answers; Benjamini–Hochberg q over \
         every formulation's two tests, q < {}). Answers dated the day of a first or last use \
         count for neither side. A partial print or summary holds fewer answers, and so weighs \
         less in the test, but every answer counts alike: read an exit into a summary year with \
         its genre in mind.",
        inp.config.analysis.formulations.change_alpha
    ))]));
    let items = crate::formulations::shown(f)?;
    if items.is_empty() {
        doc.push(Block::Para(vec![text(closest(f)?)]));
        return Ok(doc);
    }
    let wanted: Vec<(String, i32)> = items
        .iter()
        .map(|(year, _, i)| (value(f, "formulation", *i), *year))
        .collect();
    let lines = crate::shifts::kwic::first_lines(
        inp.answers,
        inp.tagged,
        &wanted,
        inp.config.analysis.kwic.window,
    )?;
    let mut by_year: BTreeMap<i32, Vec<Vec<Inline>>> = BTreeMap::new();
    for ((year, turn, i), line) in items.iter().zip(lines) {
        by_year
            .entry(*year)
            .or_default()
            .push(item(f, *turn, *i, *year, line));
    }
    for (year, list) in by_year {
        doc.push(Block::Para(vec![bold(year.to_string())]));
        doc.push(Block::List(list));
    }
    doc.push(Block::Figure {
        id: crate::charts::FigureId::Formulations,
        caption: "Formulations that entered or left".into(),
    });
    Ok(doc)
}

/// Where none entered or left: the closest call, so that a reader sees how
/// far the evidence is from the level (on five dates, far).
fn closest(f: &DataFrame) -> Result<String> {
    let (text, q_entry, q_exit, p_entry, p_exit) = (
        f.column("formulation")?.str()?,
        f.column("q_entry")?.f64()?,
        f.column("q_exit")?.f64()?,
        f.column("p_entry")?.f64()?,
        f.column("p_exit")?.f64()?,
    );
    let best = (0..f.height())
        .filter_map(|i| {
            let entry = (q_entry.get(i)?, p_entry.get(i)?, "entry");
            let exit = (q_exit.get(i)?, p_exit.get(i)?, "exit");
            let (q, p, which) = if (entry.0, entry.1) <= (exit.0, exit.1) {
                entry
            } else {
                exit
            };
            Some((q, p, which, text.get(i)?))
        })
        .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    Ok(match best {
        Some((q, p, which, t)) => format!(
            "No formulation entered or left at that level. The closest is the {which} of {t} \
             (p = {}, q = {}): with few dates, a first or last use cannot fall late or early \
             enough among the answers to stand out of {} tests.",
            sig(p),
            sig(q),
            2 * f.column("formulation")?.n_unique()?
        ),
        None => "No formulation was found.".to_string(),
    })
}

/// A formulation's item: its turn, dates and evidence, its numbers in the
/// year, and its KWIC line (id, left, right) from year `from` where there
/// is one.
fn item(
    f: &DataFrame,
    turn: Change,
    i: usize,
    from: i32,
    line: Option<(String, String, String)>,
) -> Vec<Inline> {
    let phrase = value(f, "formulation", i);
    let num = |c: &str| sig(value(f, c, i).parse().unwrap_or(0.0));
    let evidence = match turn {
        Change::Left => format!(
            "left: last said {} ({}), then not in {} answers; p = {}, q = {}",
            value(f, "last_date", i),
            value(f, "last_period", i),
            value(f, "after_last", i),
            num("p_exit"),
            num("q_exit"),
        ),
        _ => format!(
            "entered: first said {} ({}), after {} answers without it; p = {}, q = {}",
            value(f, "first_date", i),
            value(f, "first_period", i),
            value(f, "before_first", i),
            num("p_entry"),
            num("q_entry"),
        ),
    };
    let mut item = vec![
        bold(&phrase),
        text(format!(
            " ({evidence}; in {} answers of the corpus, {}–{}; this year {} use(s) in {} answer(s), \
             {} per 10,000 words)",
            value(f, "holding", i),
            value(f, "first_date", i),
            value(f, "last_date", i),
            value(f, "n", i),
            value(f, "answers", i),
            num("per_10k_tokens"),
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
