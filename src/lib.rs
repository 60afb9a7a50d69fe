//! rhetoric-shift: how the language of China's foreign minister at the annual
//! NPC press conference shifts over the years, as tables and charts.
//!
//! The pipeline is a chain of stages, each reading only the previous stage's
//! output: ingest (transcripts → answers) → segment (answers → tokens) and
//! topics (answers → answer topics) → frequencies (tokens and topics → phrase
//! frequencies) → …
//! Each stage's module documents the columns of the tables it writes.

pub mod charts;
pub mod config;
pub mod error;
pub mod frequencies;
pub mod ingest;
pub mod kwic;
pub mod parallel;
pub mod report;
pub mod segment;
pub mod shifts;
pub mod table;
pub mod text;
pub mod topics;

use std::path::{Path, PathBuf};

use config::Config;
use error::{Error, Result};
use polars::prelude::{col, lit, when, DataFrame, DataType, Expr, IntoLazy, NULL};

/// Where the tables go under the output folder.
pub fn tables_dir(out: &Path) -> PathBuf {
    out.join("tables")
}

/// Refuses an output folder that is, contains or lies inside the data folder:
/// the tool must never write over its own inputs.
pub fn check_folders(data: &Path, out: &Path) -> Result<()> {
    let canon = |p: &Path| -> PathBuf {
        // The output folder may not exist yet: resolve its nearest existing ancestor.
        let mut existing = p.to_path_buf();
        let mut rest = Vec::new();
        while !existing.exists() {
            match (
                existing.file_name().map(|n| n.to_owned()),
                existing.parent(),
            ) {
                (Some(name), Some(parent)) => {
                    rest.push(name);
                    existing = parent.to_path_buf();
                }
                _ => break,
            }
        }
        let mut c = std::fs::canonicalize(&existing).unwrap_or(existing);
        for name in rest.into_iter().rev() {
            c.push(name);
        }
        c
    };
    let (d, o) = (canon(data), canon(out));
    if o.starts_with(&d) || d.starts_with(&o) {
        return Err(Error::Usage(format!(
            "--out '{}' overlaps --data '{}': choose an output folder outside the data folder",
            out.display(),
            data.display()
        )));
    }
    Ok(())
}

fn write_tables(out: &Path, tables: &[(&str, &polars::prelude::DataFrame)]) -> Result<()> {
    let dir = tables_dir(out);
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    table::remove_stale_temporaries(&dir);
    for (name, df) in tables {
        let path = dir.join(name);
        table::write_csv(df, &path)?;
        #[cfg(feature = "parquet")]
        table::write_parquet(df, &path.with_extension("parquet"))?;
    }
    Ok(())
}

fn run_ingest(config: &Config) -> Result<(ingest::Ingest, Vec<String>)> {
    let result = ingest::run(config)?;
    let warnings = warning_lines(config, &result.warnings)?;
    Ok((result, warnings))
}

fn ingest_tables(result: &ingest::Ingest) -> [(&'static str, &polars::prelude::DataFrame); 4] {
    [
        ("answers.csv", &result.answers),
        ("repairs.csv", &result.repairs),
        ("warnings.csv", &result.warnings),
        ("coverage.csv", &result.coverage),
    ]
}

/// Stage 1: transcripts -> answers, repairs, warnings, coverage. Returns the
/// warnings as lines to print.
pub fn ingest(data: &Path, out: &Path) -> Result<Vec<String>> {
    check_folders(data, out)?;
    let config = Config::load(data)?;
    let (result, warnings) = run_ingest(&config)?;
    write_tables(out, &ingest_tables(&result))?;
    Ok(warnings)
}

/// Reads a table an earlier stage wrote, with the given columns cast from text.
fn read_table(
    out: &Path,
    name: &str,
    stage: &str,
    casts: &[(&str, DataType)],
) -> Result<DataFrame> {
    let path = tables_dir(out).join(name);
    if !path.exists() {
        return Err(Error::Usage(format!(
            "{} does not exist: run 'rhetoric-shift {stage}' first",
            path.display()
        )));
    }
    let df = table::read_csv(&path)?;
    for (name, _) in casts {
        if df.column(name).is_err() {
            return Err(Error::input(&path, Some(1), format!("no column '{name}'")));
        }
    }
    let exprs: Vec<Expr> = casts
        .iter()
        .map(|(name, dtype)| match dtype {
            DataType::Boolean => col(*name).eq(lit("true")),
            // An empty cell is a missing value (a DP where n = 0, a year without data).
            _ => when(col(*name).eq(lit("")))
                .then(lit(NULL))
                .otherwise(col(*name))
                .strict_cast(dtype.clone())
                .alias(*name),
        })
        .collect();
    df.lazy().with_columns(exprs).collect().map_err(|e| {
        Error::input(
            &path,
            None,
            format!("a column does not hold what it should: {e}"),
        )
    })
}

fn read_answers(out: &Path) -> Result<DataFrame> {
    read_table(out, "answers.csv", "ingest", &[("year", DataType::Int32)])
}

/// Stage 2: answers.csv (from the ingest) -> tokens.csv.
pub fn segment(data: &Path, out: &Path) -> Result<Vec<String>> {
    check_folders(data, out)?;
    let config = Config::load(data)?;
    let answers = read_answers(out)?;
    let tokens = segment::run(&answers, &config.words.jieba, &config.words.stopwords)?;
    write_tables(out, &[("tokens.csv", &tokens)])?;
    Ok(Vec::new())
}

/// Stage 3: answers.csv (from the ingest) -> answer_topics.csv, and answers.csv
/// with its topics column filled.
pub fn topics(data: &Path, out: &Path) -> Result<Vec<String>> {
    check_folders(data, out)?;
    let config = Config::load(data)?;
    let tagged = topics::run(&read_answers(out)?, &config.topics)?;
    write_tables(
        out,
        &[
            ("answers.csv", &tagged.answers),
            ("answer_topics.csv", &tagged.answer_topics),
        ],
    )?;
    Ok(Vec::new())
}

/// Stage 4: tokens.csv and answer_topics.csv -> phrase_freq.csv and topic_year.csv.
pub fn frequencies(data: &Path, out: &Path) -> Result<Vec<String>> {
    check_folders(data, out)?;
    let config = Config::load(data)?;
    let tokens = read_table(
        out,
        "tokens.csv",
        "segment",
        &[
            ("year", DataType::Int32),
            ("position", DataType::UInt32),
            ("word", DataType::Boolean),
            ("content", DataType::Boolean),
        ],
    )?;
    let answer_topics = read_table(
        out,
        "answer_topics.csv",
        "topics",
        &[("year", DataType::Int32), ("tagged", DataType::Boolean)],
    )?;
    let f = frequencies::run(
        &tokens,
        &answer_topics,
        &config.topics,
        &config.words.lexicons,
    )?;
    write_tables(out, &frequency_tables(&f))?;
    Ok(Vec::new())
}

fn frequency_inputs(out: &Path) -> Result<[DataFrame; 4]> {
    let stage = "frequencies";
    let year = ("year", DataType::Int32);
    Ok([
        read_table(
            out,
            "phrase_freq.csv",
            stage,
            &[
                year.clone(),
                ("n", DataType::UInt64),
                ("n_answers", DataType::UInt32),
                ("per_10k_tokens", DataType::Float64),
                ("per_10k_chars", DataType::Float64),
                ("dp", DataType::Float64),
            ],
        )?,
        read_table(
            out,
            "topic_year.csv",
            stage,
            &[
                year.clone(),
                ("n_answers", DataType::UInt32),
                ("n_tokens", DataType::UInt64),
                ("n_chars", DataType::UInt64),
                ("share", DataType::Float64),
            ],
        )?,
        read_table(
            out,
            "answer_sizes.csv",
            stage,
            &[
                year.clone(),
                ("n_tokens", DataType::UInt32),
                ("n_chars", DataType::UInt32),
            ],
        )?,
        read_table(
            out,
            "answer_counts.csv",
            stage,
            &[year, ("n", DataType::UInt32)],
        )?,
    ])
}

/// Stage 5: the frequencies stage's tables -> keyness.csv, shifts.csv and
/// register.csv; with answers.csv, kwic.csv.
pub fn shifts(data: &Path, out: &Path) -> Result<Vec<String>> {
    check_folders(data, out)?;
    let config = Config::load(data)?;
    let [phrase_freq, topic_year, sizes, counts] = frequency_inputs(out)?;
    let s = shifts::run(&phrase_freq, &topic_year, &sizes, &counts, &config.analysis)?;
    let kwic = kwic::run(
        &read_answers(out)?,
        &s.keyness,
        &config.topics,
        &config.analysis.kwic,
    )?;
    write_tables(out, &shift_tables(&s, &kwic))?;
    Ok(Vec::new())
}

fn shift_tables<'a>(
    s: &'a shifts::Shifts,
    kwic: &'a DataFrame,
) -> [(&'static str, &'a DataFrame); 4] {
    [
        ("keyness.csv", &s.keyness),
        ("shifts.csv", &s.shifts),
        ("register.csv", &s.register),
        ("kwic.csv", kwic),
    ]
}

/// The `kwic` command: a concordance of `phrase` from answers.csv.
pub fn concordance(
    data: &Path,
    out: &Path,
    phrase: &str,
    year: Option<i32>,
    topic: Option<&str>,
    window: Option<usize>,
) -> Result<Vec<String>> {
    let config = Config::load(data)?;
    let window = window.unwrap_or(config.analysis.kwic.window);
    let lines = kwic::concordance(&read_answers(out)?, phrase, year, topic, window)?;
    Ok(lines.iter().map(|l| kwic::format_line(l, window)).collect())
}

fn shift_inputs(out: &Path) -> Result<[DataFrame; 4]> {
    let stage = "shifts";
    let year = ("year", DataType::Int32);
    let f = |c: &'static str| (c, DataType::Float64);
    Ok([
        read_table(
            out,
            "shifts.csv",
            stage,
            &[
                year.clone(),
                ("n", DataType::UInt64),
                f("per_10k_tokens"),
                f("ci_low"),
                f("ci_high"),
            ],
        )?,
        read_table(
            out,
            "topic_year.csv",
            "frequencies",
            &[year.clone(), f("share")],
        )?,
        read_table(out, "keyness.csv", stage, &[year.clone(), f("logodds_z")])?,
        read_table(
            out,
            "register.csv",
            stage,
            &[year, f("hardline_share"), f("share_low"), f("share_high")],
        )?,
    ])
}

/// Writes chart files under `out/charts`, each through a temporary file.
fn write_charts(out: &Path, files: &[(String, Vec<u8>)]) -> Result<()> {
    let dir = out.join("charts");
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    table::remove_stale_temporaries(&dir);
    for (name, bytes) in files {
        table::write_regenerable(&dir.join(name), bytes)?;
    }
    Ok(())
}

fn gloss_warnings(missing: &std::collections::BTreeSet<String>, config: &Config) -> Vec<String> {
    if missing.is_empty() {
        return Vec::new();
    }
    let list: Vec<&str> = missing.iter().map(String::as_str).collect();
    vec![format!(
        "{}: no English gloss for {} phrase(s) on the charts, shown in Chinese: {}",
        config.words.glossary_path.display(),
        list.len(),
        list.join(", ")
    )]
}

/// Stage 6: shifts, topic_year, keyness and register tables -> output/charts/.
pub fn charts(data: &Path, out: &Path, opts: charts::Options) -> Result<Vec<String>> {
    check_folders(data, out)?;
    let config = Config::load(data)?;
    let [shifts, topic_year, keyness, register] = shift_inputs(out)?;
    let (files, missing) = charts::run(
        &shifts,
        &topic_year,
        &keyness,
        &register,
        &config.topics,
        &config.words.glossary,
        opts,
    )?;
    write_charts(out, &files)?;
    Ok(gloss_warnings(&missing, &config))
}

fn svgs_of(files: &[(String, Vec<u8>)]) -> Vec<(String, String)> {
    files
        .iter()
        .filter_map(|(name, bytes)| {
            let stem = name.strip_suffix(".svg")?;
            Some((
                stem.to_string(),
                String::from_utf8_lossy(bytes).into_owned(),
            ))
        })
        .collect()
}

fn write_report(out: &Path, report: &(String, String)) -> Result<()> {
    table::remove_stale_temporaries(out);
    table::write_atomic(&out.join("report.md"), |w| w.write_all(report.0.as_bytes()))?;
    table::write_atomic(&out.join("report.html"), |w| {
        w.write_all(report.1.as_bytes())
    })
}

/// Stage 7: the analysis tables and charts -> output/report.md and report.html.
pub fn report(data: &Path, out: &Path) -> Result<Vec<String>> {
    check_folders(data, out)?;
    let config = Config::load(data)?;
    let [shifts, topic_year, _, register] = shift_inputs(out)?;
    let kwic = read_table(out, "kwic.csv", "shifts", &[("year", DataType::Int32)])?;
    let dir = out.join("charts");
    let mut svgs = Vec::new();
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if let Some(stem) = name.strip_suffix(".svg") {
                let text =
                    std::fs::read_to_string(e.path()).map_err(|err| Error::io(&e.path(), err))?;
                svgs.push((stem.to_string(), text));
            }
        }
    }
    if svgs.is_empty() {
        return Err(Error::Usage(format!(
            "{} holds no charts: run 'rhetoric-shift charts' first",
            dir.display()
        )));
    }
    svgs.sort();
    let r = report::run(&report::Inputs {
        topic_year: &topic_year,
        shifts: &shifts,
        register: &register,
        kwic: &kwic,
        topics: &config.topics,
        svgs,
    })?;
    write_report(out, &r)?;
    Ok(Vec::new())
}

fn frequency_tables(f: &frequencies::Frequencies) -> [(&'static str, &DataFrame); 4] {
    [
        ("phrase_freq.csv", &f.phrase_freq),
        ("topic_year.csv", &f.topic_year),
        ("answer_sizes.csv", &f.answer_sizes),
        ("answer_counts.csv", &f.answer_counts),
    ]
}

fn warning_lines(config: &Config, warnings: &polars::prelude::DataFrame) -> Result<Vec<String>> {
    let source = warnings.column("source")?.str()?;
    let line = warnings.column("line")?.u32()?;
    let message = warnings.column("message")?.str()?;
    let dir = config.root.join("transcripts");
    Ok((0..warnings.height())
        .map(|i| {
            let path = dir.join(source.get(i).unwrap_or_default());
            match line.get(i) {
                Some(l) if l > 0 => format!(
                    "{}:{}: {}",
                    path.display(),
                    l,
                    message.get(i).unwrap_or_default()
                ),
                _ => format!("{}: {}", path.display(), message.get(i).unwrap_or_default()),
            }
        })
        .collect())
}

/// Runs every stage, passing each stage's tables to the next in memory, and
/// writes the outputs only once every stage has succeeded.
pub fn all(data: &Path, out: &Path, opts: charts::Options) -> Result<Vec<String>> {
    check_folders(data, out)?;
    let config = Config::load(data)?;
    let (topics, analysis) = (&config.topics, &config.analysis);
    let (result, mut warnings) = run_ingest(&config)?;
    let tokens = segment::run(
        &result.answers,
        &config.words.jieba,
        &config.words.stopwords,
    )?;
    let tagged = topics::run(&result.answers, topics)?;
    let f = frequencies::run(
        &tokens,
        &tagged.answer_topics,
        topics,
        &config.words.lexicons,
    )?;
    let [f1, f2, f3, f4] = frequency_tables(&f);
    let s = shifts::run(
        &f.phrase_freq,
        &f.topic_year,
        &f.answer_sizes,
        &f.answer_counts,
        analysis,
    )?;
    let kwic = kwic::run(&tagged.answers, &s.keyness, topics, &analysis.kwic)?;
    let [s1, s2, s3, s4] = shift_tables(&s, &kwic);
    let (chart_files, missing) = charts::run(
        &s.shifts,
        &f.topic_year,
        &s.keyness,
        &s.register,
        topics,
        &config.words.glossary,
        opts,
    )?;
    warnings.extend(gloss_warnings(&missing, &config));
    let r = report::run(&report::Inputs {
        topic_year: &f.topic_year,
        shifts: &s.shifts,
        register: &s.register,
        kwic: &kwic,
        topics,
        svgs: svgs_of(&chart_files),
    })?;
    write_tables(
        out,
        &[
            ("answers.csv", &tagged.answers),
            ("repairs.csv", &result.repairs),
            ("warnings.csv", &result.warnings),
            ("coverage.csv", &result.coverage),
            ("tokens.csv", &tokens),
            ("answer_topics.csv", &tagged.answer_topics),
            f1,
            f2,
            f3,
            f4,
            s1,
            s2,
            s3,
            s4,
        ],
    )?;
    write_charts(out, &chart_files)?;
    write_report(out, &r)?;
    Ok(warnings)
}
