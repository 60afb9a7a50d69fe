//! The config layer: faults in the files under `data/` name the file and line.

use std::path::Path;

use crate::workdir::*;

#[test]
fn manifest_errors_name_file_and_line() {
    let cases: [(&str, &[&str]); 4] = [
        ("[[transcript]]\nfile = \"2019-03-08_t.txt\"\ndat = \"x\"\n", &["corpus.toml:3: unknown field 'dat'"]),
        ("[[transcript]\nfile = 1\n", &["corpus.toml:1:"]),
        (
            "[[transcript]]\nfile = \"2019-03-08_t.txt\"\n\n[[transcript]]\nfile = \"2019-03-08_t.txt\"\n",
            &["corpus.toml:4: duplicate entry for '2019-03-08_t.txt'"],
        ),
        ("[[transcript]]\nfile = \"2030-01-01_gone.txt\"\n", &["corpus.toml:1: entry for '2030-01-01_gone.txt'"]),
    ];
    for (manifest, pieces) in cases {
        let w = Work::new("manifest");
        w.write("data/transcripts/2019-03-08_t.txt", QA);
        w.write("data/corpus.toml", manifest);
        assert_fails(&w.all(), pieces);
    }
}

#[test]
fn a_broken_dictionary_or_layout_line_is_named() {
    let w = Work::new("dict");
    w.write("data/transcripts/2019-03-08_t.txt", QA);
    w.write("data/dict/userdict.txt", "一带一路 3000 n\n台独 lots n\n");
    assert_fails(
        &w.all(),
        &["userdict.txt:2: frequency 'lots' is not a whole number in '台独 lots n'"],
    );

    let w = Work::new("layout");
    w.write("data/transcripts/2019-03-08_t.txt", QA);
    let layout = std::fs::read_to_string(Path::new(REPO).join("data/layout.toml")).unwrap();
    w.write(
        "data/layout.toml",
        layout.replacen("caption = [", "caption = ['(unclosed', ", 1),
    );
    assert_fails(&w.all(), &["layout.toml:", "bad pattern in 'caption'"]);

    // {speaker} stands for the speaker in five keys; elsewhere it is refused
    // with the key's line, not read as the sample name.
    let w = Work::new("layout-speaker");
    w.write("data/transcripts/2019-03-08_t.txt", QA);
    let line = layout
        .lines()
        .position(|l| l.starts_with("statement = ["))
        .unwrap()
        + 1;
    w.write(
        "data/layout.toml",
        layout.replacen("statement = ['^", "statement = ['^{speaker}", 1),
    );
    assert_fails(
        &w.all(),
        &[
            &format!("layout.toml:{line}:"),
            "'statement' holds {speaker}, which stands for the speaker only in answer, \
             question_openers, answer_openers, reported, framing",
        ],
    );
}

#[test]
fn topics_errors_name_file_and_line() {
    let w = Work::new("topics-bad");
    w.write("data/transcripts/2019-03-08_t.txt", QA);
    w.write(
        "data/topics.toml",
        format!("{TOY_TOPICS}\n[[topic]]\nid = \"us\"\nzh = \"x\"\nen = \"x\"\ncues = [[\"x\"]]\n"),
    );
    assert_fails(&w.all(), &["topics.toml:24:", "duplicate topic id 'us'"]);
    w.write(
        "data/topics.toml",
        TOY_TOPICS.replace("cues = [[\"台湾\", \"台独\"]]", "cues = []"),
    );
    assert_fails(
        &w.all(),
        &["topics.toml:16:", "topic 'taiwan' has an empty cue list"],
    );
    w.write(
        "data/topics.toml",
        TOY_TOPICS.replace("zh = \"美国\"", "zh = \"美国\"\nzhh = 1"),
    );
    assert_fails(&w.all(), &["topics.toml:", "unknown field 'zhh'"]);
}

#[test]
fn an_outlet_aliased_twice_or_a_wrong_header_is_named() {
    for (aliases, piece) in [
        (
            "printed,outlet\n日本共同社,共同社\n日本共同社,共同通信\n",
            "outlets.csv:3: '日本共同社' is aliased twice",
        ),
        (
            "alias,outlet\n日本共同社,共同社\n",
            "outlets.csv:1: expected the header 'printed,outlet'",
        ),
    ] {
        let w = Work::new("outlets");
        w.write("data/transcripts/2019-03-08_t.txt", QA);
        w.write("data/outlets.csv", aliases);
        assert_fails(&w.all(), &[piece]);
    }
}
