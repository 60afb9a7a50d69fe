//! The benchmark's reference: bare jieba-rs segmentation of the same questions
//! and answers that `rhetoric-shift all` segments, on all cores, with the same
//! user dictionary and nothing else (no normalisation, no tables).
//!
//!     cargo run --release --example segment_only -- OUT/tables/answers.csv data/dict/userdict.txt

use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (answers, userdict) = match args.as_slice() {
        [_, a, u] => (a, u),
        _ => {
            eprintln!("usage: segment_only ANSWERS.csv USERDICT");
            std::process::exit(2);
        }
    };
    let mut reader = csv::Reader::from_path(answers).unwrap_or_else(|e| {
        eprintln!("{answers}: {e}");
        std::process::exit(2)
    });
    let headers = reader.headers().expect("header").clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}') == name)
    };
    let (q, a) = (
        col("question").expect("question"),
        col("answer").expect("answer"),
    );
    let texts: Vec<String> = reader
        .records()
        .flatten()
        .flat_map(|r| [r[q].to_string(), r[a].to_string()])
        .collect();
    let dict = std::fs::read_to_string(userdict).unwrap_or_else(|e| {
        eprintln!("{userdict}: {e}");
        std::process::exit(2)
    });
    let jieba =
        rhetoric_shift::config::words::parse_userdict(std::path::Path::new(userdict), &dict)
            .expect("dictionary");
    let bytes: usize = texts.iter().map(String::len).sum();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let start = Instant::now();
    let chunk = texts.len().div_ceil(threads).max(1);
    let tokens: usize = std::thread::scope(|s| {
        texts
            .chunks(chunk)
            .map(|part| {
                s.spawn(|| {
                    part.iter()
                        .map(|t| jieba.cut(t, false).len())
                        .sum::<usize>()
                })
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .sum()
    });
    let secs = start.elapsed().as_secs_f64();
    println!(
        "segment_only: {:.1} MB, {tokens} tokens, {threads} threads, {secs:.2} s, {:.1} MB/s",
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / secs
    );
}
