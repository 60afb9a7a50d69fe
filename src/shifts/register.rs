//! The rhetorical register: how much of what the minister says on a topic is
//! hard-line (坚决反对, 绝不允许, 挑衅, 红线 …) and how much conciliatory (合作共赢,
//! 相互尊重, 对话, 伙伴 …), by the editable lexicons in `data/lexicons/`.
//!
//! Output `register.csv`, one row per period with a transcript and topic with
//! answers (speaker `all`), and one per speaker of it where two speakers or
//! more answered on the topic in that period and the speaker gave at least
//! `min_speaker_answers` of the answers (analysis.toml). Its columns, in
//! order, are documented once, in docs/outputs.md ("tables/register.csv"),
//! which `tests/cli/docs.rs` holds to [`super::REGISTER`]; the method and its
//! validation in docs/methods.md ("Register").

use polars::prelude::*;

use super::{Per, Unit, Units};
use crate::categories::{Category, Stance};
use crate::config::analysis::BootstrapSettings;
use crate::error::Result;

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
pub fn run(units: &[&Unit], boot: &BootstrapSettings, min_answers: usize) -> Result<DataFrame> {
    let mut year = Vec::new();
    let mut speaker = Vec::new();
    let mut topic = Vec::new();
    let mut n_answers = Vec::new();
    let mut n_chars = Vec::new();
    let mut counts: [Vec<u64>; 2] = Default::default();
    let mut rates: [[Vec<Option<f64>>; 3]; 2] = Default::default();
    let mut share: [Vec<Option<f64>>; 3] = Default::default();
    let mut notes: Vec<String> = Vec::new();
    for &u in units {
        let note = u.too_few(min_answers);
        let chars: f64 = u.chars.iter().map(|c| c.1).sum();
        let lexicon = [Stance::Hardline, Stance::Conciliatory].map(|s| u.kind_counts(s.as_str()));
        let totals = lexicon.clone().map(|l| l.iter().map(|c| c.1).sum::<f64>());
        year.push(u.time);
        topic.push(u.topic.clone());
        speaker.push(u.speaker_label().to_string());
        n_answers.push(u.chars.len() as u32);
        n_chars.push(chars as u64);
        for k in 0..2 {
            counts[k].push(totals[k] as u64);
            let (lo, hi) = match note {
                None => u.rate_interval(&lexicon[k], Per::Chars, boot),
                Some(_) => (None, None),
            };
            rates[k][0].push(Some(totals[k] * 10_000.0 / chars));
            rates[k][1].push(lo);
            rates[k][2].push(hi);
        }
        let both: Vec<(usize, f64)> = lexicon.concat();
        let (lo, hi) = match note {
            None => u.ratio_interval(&lexicon[0], &both, boot),
            Some(_) => (None, None),
        };
        notes.push(note.unwrap_or_default());
        let sum = totals[0] + totals[1];
        share[0].push((sum > 0.0).then(|| totals[0] / sum));
        share[1].push(lo);
        share[2].push(hi);
        u.release();
    }
    let [hard, conc] = counts;
    let [[h, h_lo, h_hi], [c, c_lo, c_hi]] = rates;
    let [s, s_lo, s_hi] = share;
    Ok(df!(
        "period" => year,
        "topic" => topic,
        "speaker" => speaker,
        "n_answers" => n_answers,
        "n_chars" => n_chars,
        "hardline" => hard,
        "conciliatory" => conc,
        "hardline_per_10k" => h,
        "hardline_low" => h_lo,
        "hardline_high" => h_hi,
        "conciliatory_per_10k" => c,
        "conciliatory_low" => c_lo,
        "conciliatory_high" => c_hi,
        "hardline_share" => s,
        "share_low" => s_lo,
        "share_high" => s_hi,
        "note" => notes,
    )?
    .lazy()
    .sort(
        ["period", "topic"],
        SortMultipleOptions::default().with_maintain_order(true),
    )
    .collect()?)
}
