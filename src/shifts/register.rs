//! The rhetorical register: how much of what the minister says on a topic is
//! hard-line (坚决反对, 绝不允许, 挑衅, 红线 …) and how much conciliatory (合作共赢,
//! 相互尊重, 对话, 伙伴 …), by the editable lexicons in `data/lexicons/`.
//!
//! Output `register.csv`, one row per period with a transcript and topic with
//! answers (speaker `all`), and one per speaker of it where two speakers or
//! more answered on the topic in that period and the speaker gave at least
//! `min_speaker_answers` of the answers (analysis.toml). Its columns, in
//! order, are documented once, in docs/outputs.md ("tables/register.csv"),
//! which `tests/cli/docs.rs` holds to [`REGISTER`]; the method and its
//! validation in docs/methods.md ("Register").

use polars::prelude::*;
use rayon::prelude::*;

use super::{Per, Unit, Units};
use crate::categories::{Category, Stance};
use crate::config::analysis::BootstrapSettings;
use crate::error::Result;
use crate::frequencies::PeriodFacts;

/// The units register.csv has a row for: every unit of `all` (speaker
/// `all`), and each speaker's unit of a (year, topic) that two speakers or
/// more answered, where the speaker gave `min_speaker_answers` answers or more.
pub fn rows<'a>(
    all: &'a Units,
    speakers: &'a [Units],
    min_speaker_answers: usize,
) -> Vec<&'a Unit> {
    let mut out = Vec::new();
    for u in all.sorted() {
        out.push(u);
        let of: Vec<&Unit> = speakers
            .iter()
            .filter_map(|s| s.get(u.time, &u.topic))
            .collect();
        if of.len() >= 2 {
            out.extend(
                of.into_iter()
                    .filter(|s| s.n_answers() >= min_speaker_answers),
            );
        }
    }
    out
}

/// Builds register.csv from the per-answer lexicon counts of `units` (see
/// [`rows`]).
///
/// The units' intervals are drawn in parallel (each unit has its own seed)
/// and written in the units' order.
pub fn run(units: &[&Unit], boot: &BootstrapSettings, min_answers: usize) -> Result<DataFrame> {
    let measured: Vec<_> = units
        .par_iter()
        .map(|&u| {
            let note = u.too_few(min_answers);
            let lexicon =
                [Stance::Hardline, Stance::Conciliatory].map(|s| u.kind_counts(s.as_str()));
            let [hard, conc] = [0, 1].map(|k| match note {
                None => u.rate_interval(&lexicon[k], Per::Chars, boot),
                Some(_) => (None, None),
            });
            let both: Vec<(usize, f64)> = lexicon.concat();
            let share = match note {
                None => u.ratio_interval(&lexicon[0], &both, boot),
                Some(_) => (None, None),
            };
            let totals = lexicon.map(|l| l.iter().map(|c| c.1).sum::<f64>());
            u.release();
            (note, totals, [hard, conc, share])
        })
        .collect();
    let mut out = Columns::default();
    for (&u, (note, totals, [hard, conc, share])) in units.iter().zip(measured) {
        let chars: f64 = u.chars.iter().map(|c| c.1).sum();
        let sum = totals[0] + totals[1];
        out.period.push(u.time);
        out.topic.push(u.topic.clone());
        out.speaker.push(u.speaker_label().to_string());
        out.n_answers.push(u.chars.len() as u32);
        out.n_chars.push(chars as u64);
        out.hardline.push(totals[0] as u64);
        out.conciliatory.push(totals[1] as u64);
        out.hardline_per_10k
            .push(Some(totals[0] * 10_000.0 / chars));
        out.hardline_low.push(hard.0);
        out.hardline_high.push(hard.1);
        out.conciliatory_per_10k
            .push(Some(totals[1] * 10_000.0 / chars));
        out.conciliatory_low.push(conc.0);
        out.conciliatory_high.push(conc.1);
        out.hardline_share
            .push((sum > 0.0).then(|| totals[0] / sum));
        out.share_low.push(share.0);
        out.share_high.push(share.1);
        let same = [hard.0, conc.0, share.0].contains(&None);
        out.note.push(match note {
            Some(few) => few,
            None if same => super::SAME_EVERY_RESAMPLE.to_string(),
            None => String::new(),
        });
    }
    Ok(out
        .frame()?
        .lazy()
        .sort(
            ["period", "topic"],
            SortMultipleOptions::default().with_maintain_order(true),
        )
        .collect()?)
}

crate::columns! {
    /// The columns of `register.csv`.
    pub const REGISTER: &Schema;
    /// register.csv's columns as each unit fills them.
    struct Columns {
        /// The period's key, until the period's facts take its place.
        period: i32 => PeriodFacts::OF_PERIOD,
        topic: String,
        speaker: String,
        n_answers: u32,
        n_chars: u64,
        hardline: u64,
        conciliatory: u64,
        hardline_per_10k: Option<f64>,
        hardline_low: Option<f64>,
        hardline_high: Option<f64>,
        conciliatory_per_10k: Option<f64>,
        conciliatory_low: Option<f64>,
        conciliatory_high: Option<f64>,
        hardline_share: Option<f64>,
        share_low: Option<f64>,
        share_high: Option<f64>,
        note: String,
    }
}
