//! The command line of rhetoric-shift: one subcommand per stage, and `all`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use rhetoric_shift::config::Config;
use rhetoric_shift::pipeline::{self, Stage};
use rhetoric_shift::store::Store;

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
    /// Language of chart labels: Chinese, English (glosses from data/glossary.csv) or both.
    #[arg(long, global = true, value_enum, default_value = "both")]
    lang: rhetoric_shift::charts::Lang,
    /// Chart width: single column (3.5 in) or double column (7 in).
    #[arg(long, global = true, value_enum, default_value = "double")]
    width: rhetoric_shift::charts::Width,
    /// Write tokens.csv and answer_counts.csv even above [output] tokens_max_mb (analysis.toml).
    #[arg(long, global = true)]
    tokens: bool,
    /// Write every KWIC line to kwic.csv, not [kwic] max_lines per phrase (analysis.toml).
    #[arg(long, global = true)]
    kwic_all: bool,
    /// Write every phrase to phrase_freq.csv, not [output] phrase_freq_top per year, topic and kind.
    #[arg(long, global = true)]
    freq_all: bool,
    /// Write every tested phrase to keyness.csv, not the [keyness] top of each family.
    #[arg(long, global = true)]
    keyness_all: bool,
    /// Print each stage's seconds and the peak memory so far on stderr.
    #[arg(long, global = true)]
    timings: bool,
    /// Stop on any transcript that cannot be read, naming every such file,
    /// instead of setting it aside (coverage.csv status set_aside) and going on.
    #[arg(long, global = true)]
    strict: bool,
    /// Count by year, quarter or month in every table that compares times
    /// (overrides [time] period in analysis.toml).
    #[arg(long, global = true, value_enum)]
    period: Option<rhetoric_shift::period::Period>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run every stage and regenerate every table and chart.
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
    /// tables/answers.csv -> tables/answer_topics.csv: the topics of every record.
    ///
    /// Finds the cue terms of data/topics.toml in every question, headline and
    /// answer (longest match first) and tags a topic when its score reaches
    /// min_score; answer_topics.csv records the cues found and the score.
    Topics,
    /// tables/tokens.csv + answer_topics.csv -> phrase_freq.csv, topic_year.csv, register_hits.csv …
    ///
    /// Counts content unigrams, bigrams and the tracked phrases of topics.toml in
    /// the answers of every (year, topic) and year: n, per 10k tokens and
    /// characters, answers containing it, Gries' DP; and every register term in
    /// context (data/lexicons/). Run after `segment` and `topics`.
    Frequencies,
    /// The frequencies tables -> keyness.csv, shifts.csv, register.csv, sensitivity.csv, kwic.csv.
    ///
    /// Keyness of every phrase per topic and year against the other years and the
    /// previous year (G², Log Ratio, LRC, log-odds z, token-level p and q, and the
    /// answer-level permutation p_perm and q_perm); trends of the tracked phrases
    /// with bootstrap intervals and a q per slope; the register index; every
    /// reported shift rechecked like with like; KWIC lines as evidence. Summaries
    /// enter no comparison across years. Settings in data/analysis.toml.
    Shifts,
    /// The shifts tables -> charts/*.svg, *.png (300 dpi) and *.pdf.
    ///
    /// Trend per topic, an overview of the headline topics, topic salience, keyness
    /// per year and the register index, with the embedded Chinese font.
    Charts,
    /// The analysis tables and charts -> report.md and a self-contained report.html.
    Report,
    /// The tables -> explorer.html: any phrase by year, back to its sentences.
    ///
    /// One self-contained page (no server, no network): up to five phrases
    /// with per-year rates, intervals and answers, KWIC lines and whole
    /// answers, and keyness.csv per year and topic. Run after `shifts`.
    Explore,
    /// Print a concordance of PHRASE from tables/answers.csv and answer_topics.csv (after `all`).
    Kwic {
        /// The phrase, matched as a literal string in the normalised answer text.
        phrase: String,
        /// Only answers of this year.
        #[arg(long)]
        year: Option<i32>,
        /// Only answers tagged with this topic id (see data/topics.toml).
        #[arg(long)]
        topic: Option<String>,
        /// Characters of context on each side (default: [kwic] window in data/analysis.toml).
        #[arg(long)]
        window: Option<usize>,
    },
    /// Print the formulations (提法) of tables/formulations.csv (after `all`).
    ///
    /// Without --year: one line per formulation, best C-value first, with the
    /// years it is said in and its status in each. With --year: that year's
    /// formulations and their status there.
    Formulations {
        /// Only this year's lines.
        #[arg(long)]
        year: Option<i32>,
        /// Only formulations new in the year (with --year) or new in some year.
        #[arg(long, conflicts_with = "dropped")]
        new: bool,
        /// Only formulations dropped in the year (with --year) or in some year.
        #[arg(long)]
        dropped: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let timings = cli.timings;
    match run(cli) {
        Ok(outcome) => {
            for w in outcome.warnings {
                eprintln!("warning: {w}");
            }
            if timings {
                for t in outcome.timings {
                    eprintln!("timing: {t}");
                }
            }
            if let Some(s) = outcome.summary {
                eprintln!("rhetoric-shift: {s}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// Checks the folders and parses the data before any stage runs, then
/// dispatches: each stage's logic lives in its module, the wiring in `pipeline`.
fn run(cli: Cli) -> rhetoric_shift::error::Result<pipeline::Outcome> {
    let store = Store::open(&cli.data, &cli.out)?;
    let mut config = Config::load(&cli.data)?;
    if let Some(period) = cli.period {
        config.analysis.time.period = period;
    }
    let opts = pipeline::Options {
        charts: rhetoric_shift::charts::Options {
            lang: cli.lang,
            width: cli.width,
        },
        tokens: cli.tokens,
        all_kwic: cli.kwic_all,
        all_freq: cli.freq_all,
        all_keyness: cli.keyness_all,
        strict: cli.strict,
    };
    let stages: &[Stage] = match cli.command {
        Command::All => &Stage::ALL,
        Command::Ingest => &[Stage::Ingest],
        Command::Segment => &[Stage::Segment],
        Command::Topics => &[Stage::Topics],
        Command::Frequencies => &[Stage::Frequencies],
        Command::Shifts => &[Stage::Shifts],
        Command::Charts => &[Stage::Charts],
        Command::Report => &[Stage::Report],
        Command::Explore => &[Stage::Explore],
        Command::Kwic {
            phrase,
            year,
            topic,
            window,
        } => {
            let lines = rhetoric_shift::shifts::kwic::command(
                &config,
                &store,
                &phrase,
                year,
                topic.as_deref(),
                window,
            )?;
            print_lines(lines)?;
            return Ok(pipeline::Outcome {
                warnings: Vec::new(),
                summary: None,
                timings: Vec::new(),
            });
        }
        Command::Formulations { year, new, dropped } => {
            use rhetoric_shift::categories::Status;
            let only = match (new, dropped) {
                (true, _) => Some(Status::New),
                (_, true) => Some(Status::Dropped),
                _ => None,
            };
            print_lines(rhetoric_shift::formulations::command(&store, year, only)?)?;
            return Ok(pipeline::Outcome {
                warnings: Vec::new(),
                summary: None,
                timings: Vec::new(),
            });
        }
    };
    pipeline::run(&config, &store, opts, stages)
}

/// Prints a command's lines on stdout. A reader that stops early (`| head`)
/// closes the pipe: the lines it took are all it wanted, so a broken pipe
/// ends the printing without an error, where `println!` would panic.
fn print_lines(lines: impl IntoIterator<Item = String>) -> rhetoric_shift::error::Result<()> {
    use std::io::{ErrorKind, Write};
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let written = lines
        .into_iter()
        .try_for_each(|l| writeln!(out, "{l}"))
        .and_then(|()| out.flush());
    match written {
        Err(e) if e.kind() != ErrorKind::BrokenPipe => Err(rhetoric_shift::error::Error::io(
            std::path::Path::new("<stdout>"),
            e,
        )),
        _ => Ok(()),
    }
}
