//! The one error type of the crate.
//!
//! Every message names the thing at fault, and the line where there is one, in the
//! form `data/corpus.toml:12: unknown field 'dat'`, so a researcher can open the
//! file at that line. Messages are short and lowercase, as in ripgrep.

use std::fmt;
use std::path::{Path, PathBuf};

/// Everything that stops a run. Warnings that let the run go on are not errors:
/// they are printed and counted in `coverage.csv`.
#[derive(Debug)]
pub enum Error {
    /// A file could not be read or written.
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A file's content is wrong; `line` is 1-based where the fault has a line.
    Input {
        path: PathBuf,
        line: Option<usize>,
        message: String,
    },
    /// The command line asks for something impossible.
    Usage(String),
    /// A table operation failed; this is a bug in rhetoric-shift, not in the input.
    Table(String),
    /// Several files cannot be read, each with its own reason (every problem
    /// file of a corpus is reported in one run).
    Files(Vec<Error>),
}

impl Error {
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    pub fn input(path: &Path, line: Option<usize>, message: impl Into<String>) -> Self {
        Error::Input {
            path: path.to_path_buf(),
            line,
            message: message.into(),
        }
    }

    /// Turns a TOML error into one that names the file and the line of the fault.
    pub fn toml(path: &Path, text: &str, err: &toml::de::Error) -> Self {
        let line = err.span().map(|span| line_of(text, span.start));
        // toml's own message repeats the position and quotes the source; keep the gist.
        let message = err.message().trim().replace('`', "'");
        Error::input(path, line, message)
    }
}

/// 1-based line number of a byte offset.
pub fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { path, source } => write!(f, "{}: {}", path.display(), source),
            Error::Input {
                path,
                line: Some(line),
                message,
            } => {
                write!(f, "{}:{}: {}", path.display(), line, message)
            }
            Error::Input {
                path,
                line: None,
                message,
            } => write!(f, "{}: {}", path.display(), message),
            Error::Usage(message) => write!(f, "{message}"),
            Error::Table(message) => write!(f, "table error (a bug, please report): {message}"),
            Error::Files(errors) => {
                let lines: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
                write!(f, "{}", lines.join("\n"))
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl From<polars::error::PolarsError> for Error {
    fn from(err: polars::error::PolarsError) -> Self {
        // Polars appends the whole query plan; the first lines say what went wrong.
        let text = err.to_string();
        Error::Table(text.lines().take(3).collect::<Vec<_>>().join("\n"))
    }
}

pub type Result<T> = std::result::Result<T, Error>;
