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

/// Runs the ingest and writes its tables; returns the warnings as printed lines.
pub fn ingest(data: &Path, out: &Path) -> Result<Vec<String>> {
    check_folders(data, out)?;
    let data = DataDir::new(data);
    let jieba = segment::load_jieba(&data.userdict())?;
    let result = ingest::run(&data, &jieba)?;
    let tables = tables_dir(out);
    std::fs::create_dir_all(&tables).map_err(|e| Error::io(&tables, e))?;
    table::write_csv(&result.answers, &tables.join("answers.csv"))?;
    table::write_csv(&result.repairs, &tables.join("repairs.csv"))?;
    table::write_csv(&result.warnings, &tables.join("warnings.csv"))?;
    table::write_csv(&result.coverage, &tables.join("coverage.csv"))?;
    warning_lines(&data, &result.warnings)
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

/// Runs every stage that exists.
pub fn all(data: &Path, out: &Path) -> Result<Vec<String>> {
    ingest(data, out)
}
