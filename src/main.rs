//! The command line of rhetoric-shift: one subcommand per stage, and `all`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Tables and charts of how the Chinese foreign minister's language shifts,
/// from the transcripts of the annual NPC press conference.
#[derive(Parser)]
#[command(name = "rhetoric-shift", version, about, long_about = None)]
struct Cli {
    /// Folder with transcripts/, corpus.toml, layout.toml, dict/ and the other inputs.
    #[arg(long, global = true, default_value = "data", value_name = "DIR")]
    data: PathBuf,
    /// Folder for the outputs (tables/, charts/, report); must lie outside --data.
    #[arg(long, global = true, default_value = "output", value_name = "DIR")]
    out: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run every stage that exists and regenerate all its outputs.
    All,
    /// Transcripts -> tables/answers.csv, repairs.csv, warnings.csv and coverage.csv.
    ///
    /// Reads data/transcripts/YYYY-MM-DD_slug.txt with data/corpus.toml, parses
    /// each layout (live text, newspaper Q/A, newspaper summary with sidebar),
    /// repairs layout damage and logs every repair in repairs.csv.
    Ingest,
    /// tables/answers.csv -> tables/tokens.csv: every question and answer segmented.
    ///
    /// Normalises punctuation, digits and letters, segments with jieba-rs and
    /// data/dict/userdict.txt (set phrases stay whole), and marks content words
    /// (not in data/dict/stopwords.txt). Run after `ingest`.
    Segment,
    /// tables/answers.csv -> tables/answer_topics.csv, and the topics column of answers.csv.
    ///
    /// Finds the cue terms of data/topics.toml in every question, headline and
    /// answer (longest match first) and tags a topic when its score reaches
    /// min_score; answer_topics.csv records the cues found and the score.
    Topics,
    /// tables/tokens.csv + answer_topics.csv -> tables/phrase_freq.csv and topic_year.csv.
    ///
    /// Counts content unigrams, bigrams and the tracked phrases of topics.toml in
    /// the answers of every (year, topic) and year: n, per 10k tokens and
    /// characters, answers containing it, Gries' DP. Run after `segment` and `topics`.
    Frequencies,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::All => rhetoric_shift::all(&cli.data, &cli.out),
        Command::Ingest => rhetoric_shift::ingest(&cli.data, &cli.out),
        Command::Segment => rhetoric_shift::segment(&cli.data, &cli.out),
        Command::Topics => rhetoric_shift::topics(&cli.data, &cli.out),
        Command::Frequencies => rhetoric_shift::frequencies(&cli.data, &cli.out),
    };
    match result {
        Ok(warnings) => {
            for w in warnings {
                eprintln!("warning: {w}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
