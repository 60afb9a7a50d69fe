//! The report's section "Who said it" (speakers.csv): the pairs of speakers
//! whose register differs in the years both answered, after correction.

use std::collections::{BTreeMap, BTreeSet};

use super::document::{bold, text, Block, Inline};
use super::{sig, value, Inputs};
use crate::categories::{Category, Shown};
use crate::config::topics::ALL;
use crate::table::format_float;

/// "Who said it": the method in one paragraph, the differences with q below
/// the threshold (each with its interval and test), and the figure. Empty
/// for a corpus of one speaker.
pub(super) fn section(
    inp: &Inputs,
    figure: impl Fn(crate::charts::FigureId, &str) -> Block,
) -> Vec<Block> {
    let df = inp.speakers.frame();
    let speakers: BTreeSet<String> = (0..inp.answers.height())
        .map(|i| value(inp.answers, "speaker", i))
        .filter(|x| !x.is_empty())
        .collect();
    if speakers.len() < 2 {
        return Vec::new();
    }
    let analysis = &inp.config.analysis;
    let alpha = analysis.comparison.alpha;
    let level = format_float(analysis.bootstrap.level * 100.0);
    let mut doc = vec![
        Block::Heading(2, "Who said it".into()),
        Block::Para(vec![text(format!(
            "The register index (hard-line share of register formulas) of each pair of the \
             corpus's {} speakers, over their answers in the periods both answered on a topic \
             (`tables/speakers.csv`; each speaker's own rows by period are in register.csv). \
             The test permutes the two speakers' labels within strata: the period, and for \
             `all` also the answer's first topic, so that neither the periods nor the topics a \
             speaker took pass for style; p from seeded relabellings, q by Benjamini–Hochberg \
             over the {} comparisons made; the interval is a bootstrap of the answers, each \
             speaker's resampled on their own ({level}%). Pairs with fewer than {} answers each are not compared.",
            speakers.len(),
            df.height(),
            analysis.comparison.min_speaker_answers,
        ))]),
    ];
    let shown: Vec<usize> = (0..df.height())
        .filter(|&i| {
            value(df, "q_perm", i)
                .parse::<f64>()
                .is_ok_and(|q| q < alpha)
        })
        .collect();
    if shown.is_empty() {
        doc.push(Block::Para(vec![text(format!(
            "No difference between two speakers has q < {}.",
            format_float(alpha)
        ))]));
    } else {
        let items = shown.iter().map(|&i| difference(df, i, &level)).collect();
        doc.push(Block::List(items));
    }
    doc.extend(words(inp));
    if crate::charts::speakers_drawn(inp.register.frame()).is_ok_and(|drawn| drawn.len() >= 2) {
        doc.push(figure(
            crate::charts::FigureId::RegisterSpeakers,
            "Register index by speaker",
        ));
    }
    doc
}

/// One difference of the list: the pair, the topic, the two indices, the
/// difference with its interval (or why it has none) and test, the periods.
fn difference(df: &polars::prelude::DataFrame, i: usize, level: &str) -> Vec<Inline> {
    let num = |c: &str| sig(value(df, c, i).parse::<f64>().unwrap_or(f64::NAN));
    vec![
        bold(format!(
            "{} vs {}",
            value(df, "speaker_a", i),
            value(df, "speaker_b", i)
        )),
        text(format!(
            " on {}: hard-line share {} vs {}, difference {} ({}; p {}, q {}); \
             periods {}, {} and {} answers",
            value(df, "topic", i),
            num("share_a"),
            num("share_b"),
            num("difference"),
            match value(df, "diff_low", i).as_str() {
                "" => "no interval: every resample gives the same difference".into(),
                _ => format!(
                    "{level}% interval {} to {}",
                    num("diff_low"),
                    num("diff_high")
                ),
            },
            num("p_perm"),
            num("q_perm"),
            value(df, "periods", i).replace(';', ", "),
            value(df, "answers_a", i),
            value(df, "answers_b", i),
        )),
    ]
}

/// At most this many phrases are named per speaker.
const WORDS: usize = 8;

/// Each speaker's words: the phrases keyness.csv finds over-used in the
/// speaker's answers against the other speakers' of the same year (reference
/// `other_speakers`, topic `all`, q_perm below the threshold), with the
/// years, those of the most years first.
fn words(inp: &Inputs) -> Vec<Block> {
    let k = inp.keyness.frame();
    let reference = crate::categories::Reference::OtherSpeakers.as_str();
    let mut by_speaker: BTreeMap<String, Vec<(String, Vec<String>)>> = BTreeMap::new();
    for i in 0..k.height() {
        let over = value(k, "log_ratio", i)
            .parse::<f64>()
            .is_ok_and(|x| x > 0.0);
        if value(k, "reference", i) != reference
            || value(k, "topic", i) != ALL
            || value(k, "shown", i) != Shown::Significant.as_str()
            || !over
        {
            continue;
        }
        let phrases = by_speaker.entry(value(k, "speaker", i)).or_default();
        let (phrase, year) = (value(k, "phrase", i), value(k, "year", i));
        match phrases.iter_mut().find(|(p, _)| *p == phrase) {
            Some((_, years)) => years.push(year),
            None => phrases.push((phrase, vec![year])),
        }
    }
    if by_speaker.is_empty() {
        return Vec::new();
    }
    let items = by_speaker
        .into_iter()
        .map(|(speaker, mut phrases)| {
            phrases.sort_by_key(|(_, years)| std::cmp::Reverse(years.len()));
            let listed: Vec<String> = phrases
                .iter()
                .take(WORDS)
                .map(|(p, years)| format!("{p} ({})", years.join(", ")))
                .collect();
            vec![bold(speaker), text(format!(": {}", listed.join("; ")))]
        })
        .collect();
    vec![
        Block::Para(vec![text(
            "Said more than the other speakers in the same years (keyness.csv, reference \
             `other_speakers`, topic `all`, q_perm below the threshold; the years in brackets):",
        )]),
        Block::List(items),
    ]
}
