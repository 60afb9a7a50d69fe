//! rhetoric-shift: how the language of China's foreign minister at the annual
//! NPC press conference shifts over the years, as tables and charts.
//!
//! The pipeline is a chain of stages, each reading only the previous stage's
//! output: ingest (transcripts → answers) → segment (answers → tokens) → …
//! Each stage's module documents the columns of the tables it writes.

pub mod config;
pub mod error;
pub mod ingest;
pub mod segment;
pub mod table;

use std::path::{Path, PathBuf};

use config::DataDir;
use error::{Error, Result};
use polars::prelude::IntoLazy;

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
    for (name, df) in tables {
        table::write_csv(df, &dir.join(name))?;
    }
    Ok(())
}

fn run_ingest(data: &DataDir, jieba: &jieba_rs::Jieba) -> Result<(ingest::Ingest, Vec<String>)> {
    let result = ingest::run(data, jieba)?;
    let warnings = warning_lines(data, &result.warnings)?;
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
    let data = DataDir::new(data);
    let jieba = segment::load_jieba(&data.userdict())?;
    let (result, warnings) = run_ingest(&data, &jieba)?;
    write_tables(out, &ingest_tables(&result))?;
    Ok(warnings)
}

/// Stage 2: answers.csv (from the ingest) -> tokens.csv.
pub fn segment(data: &Path, out: &Path) -> Result<Vec<String>> {
    check_folders(data, out)?;
    let data = DataDir::new(data);
    let jieba = segment::load_jieba(&data.userdict())?;
    let stopwords = segment::load_stopwords(&data.stopwords())?;
    let path = tables_dir(out).join("answers.csv");
    if !path.exists() {
        return Err(Error::Usage(format!(
            "{} does not exist: run 'rhetoric-shift ingest' first",
            path.display()
        )));
    }
    let answers = table::read_csv(&path)?
        .lazy()
        .with_column(polars::prelude::col("year").strict_cast(polars::prelude::DataType::Int32))
        .collect()
        .map_err(|e| Error::input(&path, None, format!("column 'year' is not a year: {e}")))?;
    let tokens = segment::run(&answers, &jieba, &stopwords)?;
    write_tables(out, &[("tokens.csv", &tokens)])?;
    Ok(Vec::new())
}

fn warning_lines(data: &DataDir, warnings: &polars::prelude::DataFrame) -> Result<Vec<String>> {
    let source = warnings.column("source")?.str()?;
    let line = warnings.column("line")?.u32()?;
    let message = warnings.column("message")?.str()?;
    let dir = data.transcripts();
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
/// writes the tables only once every stage has succeeded.
pub fn all(data: &Path, out: &Path) -> Result<Vec<String>> {
    check_folders(data, out)?;
    let data = DataDir::new(data);
    let jieba = segment::load_jieba(&data.userdict())?;
    let stopwords = segment::load_stopwords(&data.stopwords())?;
    let (result, warnings) = run_ingest(&data, &jieba)?;
    let tokens = segment::run(&result.answers, &jieba, &stopwords)?;
    let [a, b, c, d] = ingest_tables(&result);
    write_tables(out, &[a, b, c, d, ("tokens.csv", &tokens)])?;
    Ok(warnings)
}
