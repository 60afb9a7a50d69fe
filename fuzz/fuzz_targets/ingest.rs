//! Any bytes as a transcript file: the ingest of one file returns records or
//! an error, and never panics (see docs/ingest.md, "Fuzzing").

#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use rhetoric_shift::config::layout::{Layout, DEFAULT_LAYOUT};
use rhetoric_shift::config::words::{parse_userdict, DEFAULT_USERDICT};
use rhetoric_shift::ingest::{forms::Converter, read_bytes};

static LAYOUT: LazyLock<Layout> =
    LazyLock::new(|| Layout::parse(Path::new("layout.toml"), DEFAULT_LAYOUT).unwrap());
static JIEBA: LazyLock<jieba_rs::Jieba> =
    LazyLock::new(|| parse_userdict(Path::new("userdict.txt"), DEFAULT_USERDICT).unwrap());
static CONVERTER: LazyLock<Converter> = LazyLock::new(|| Converter::new().unwrap());

fuzz_target!(|bytes: &[u8]| {
    if let Ok((_, parsed, kept)) = read_bytes(bytes, "王毅", &LAYOUT, &CONVERTER, &JIEBA) {
        assert!((0.0..=1.0).contains(&kept));
        assert!(parsed.records.iter().all(|r| !r.answer.contains('\u{FFFD}')));
    }
});
