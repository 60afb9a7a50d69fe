//! The charts stage: valid files with Chinese glyphs drawn, English labels,
//! notes that say only what each figure shows, and figures inlined at their size.

use std::collections::BTreeMap;
use std::path::Path;

use crate::workdir::*;

fn png_of(path: &Path) -> (png::OutputInfo, Vec<u8>, Option<png::PixelDimensions>) {
    let decoder = png::Decoder::new(std::fs::File::open(path).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let dims = reader.info().pixel_dims;
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    (info, buf, dims)
}

#[test]
fn seeds_charts_are_valid_and_reports_inline_them() {
    let (w, _) = seeds();
    let charts = w.out().join("charts");
    let topics = rhetoric_shift::config::Topics::load(&w.data().join("topics.toml")).unwrap();
    let mut names: Vec<String> = topics.ids().iter().map(|t| format!("trend_{t}")).collect();
    // No formulation enters or leaves the seeds at q < 0.05 (docs/methods.md,
    // "Formulations"): no formulations figure; tests/cli/changes.rs draws one.
    names.extend(["overview", "salience", "register"].map(String::from));
    // 2026 is a summary: it enters no comparison, so it has no keyness chart.
    names.extend(["2018", "2021", "2024", "2025"].map(|y| format!("keyness_{y}")));
    let fonts = {
        let mut db = resvg::usvg::fontdb::Database::new();
        db.load_font_data(rhetoric_shift::charts::FONT.to_vec());
        std::sync::Arc::new(db)
    };
    for name in &names {
        chart_files_are_valid(&charts, name, &fonts);
    }
    assert_eq!(std::fs::read_dir(&charts).unwrap().count(), names.len() * 3);

    reports_inline_the_figures(&w, &charts);

    // Reruns give the same chart and report bytes.
    let before: Vec<(std::ffi::OsString, Vec<u8>)> = std::fs::read_dir(&charts)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (e.file_name(), std::fs::read(e.path()).unwrap())
        })
        .chain(
            ["report.md", "report.html"]
                .map(|n| (n.into(), std::fs::read(w.out().join(n)).unwrap())),
        )
        .collect();
    assert_ok(&w.all());
    for (name, bytes) in before {
        let path = if name.to_string_lossy().starts_with("report") {
            w.out().join(&name)
        } else {
            charts.join(&name)
        };
        assert!(
            std::fs::read(path).unwrap() == bytes,
            "{name:?} differs on rerun"
        );
    }
    seeds_notes_say_what_each_figure_shows(&w);
}

/// A chart's three files: a PNG of 7 inches at 300 dpi with its resolution
/// recorded, an SVG whose every glyph is a path, a PDF with its font.
fn chart_files_are_valid(
    charts: &Path,
    name: &str,
    fonts: &std::sync::Arc<resvg::usvg::fontdb::Database>,
) {
    // PNG: decodes, 7 inches at 300 dpi, resolution recorded.
    let (info, _, dims) = png_of(&charts.join(format!("{name}.png")));
    assert_eq!(info.width, 2100, "{name}");
    let dims = dims.expect("pHYs chunk");
    assert_eq!((dims.xppu, dims.unit), (11811, png::Unit::Meter), "{name}");
    // SVG: parses, and every glyph is a path: no <text> a reader's fonts could change.
    let svg = std::fs::read_to_string(charts.join(format!("{name}.svg"))).unwrap();
    assert!(!svg.contains("<text"), "{name}.svg has text elements");
    let opts = resvg::usvg::Options {
        fontdb: fonts.clone(),
        ..Default::default()
    };
    resvg::usvg::Tree::from_str(&svg, &opts).unwrap_or_else(|e| panic!("{name}.svg: {e}"));
    // PDF: a PDF, with the font embedded.
    let pdf = std::fs::read(charts.join(format!("{name}.pdf"))).unwrap();
    assert!(pdf.starts_with(b"%PDF"), "{name}.pdf");
    assert!(
        pdf.windows(9).any(|w| w == b"/FontFile"),
        "{name}.pdf embeds no font"
    );
}

/// report.md's sections and report.html's inlined figures, each at its own
/// size, with every table row as wide as its header.
fn reports_inline_the_figures(w: &Work, charts: &Path) {
    let md = std::fs::read_to_string(w.out().join("report.md")).unwrap();
    for piece in [
        "## Corpus coverage",
        "| 2019 | no transcript | | |",
        "## United States 美国",
        "## South China Sea 南海",
        "![United States](charts/trend_us.png)",
        "## How every number was computed",
    ] {
        assert!(md.contains(piece), "report.md lacks {piece}");
    }
    let html = std::fs::read_to_string(w.out().join("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    // Each figure is inlined at its own size: the root's width and height are
    // the PNG's size in points (300 dpi), and its viewBox spans the same box,
    // so the page scales the drawing with the box and the height follows the
    // figure's own aspect ratio (without a viewBox the box scaled and the
    // drawing did not, leaving a blank band under it).
    assert!(html.contains("figure svg { display: block; width: 100%; height: auto; }"));
    let figures: Vec<&str> = html.split("<figure id=\"").skip(1).collect();
    // Seven: no formulation enters or leaves the seeds, so no formulations figure.
    assert_eq!(figures.len(), 7, "figures inlined");
    for fig in figures {
        let (name, rest) = fig.split_once('"').unwrap();
        let svg = rest.strip_prefix('>').expect("the figure's SVG inlined");
        let (w, h) = root_size(svg);
        let (info, _, _) = png_of(&charts.join(format!("{name}.png")));
        assert_eq!((info.width, info.height), at_300_dpi(w, h), "{name}");
    }
    assert!(
        !html.contains("<img") && !html.contains("charts/"),
        "self-contained"
    );
    // Every row of every table has as many cells as its header (the gap years'
    // empty cells once collapsed and those rows lost their columns).
    for table in html.split("<table>").skip(1) {
        let table = &table[..table.find("</table>").unwrap()];
        let mut rows = table.split("<tr>").skip(1);
        let head = rows.next().unwrap().matches("<th>").count();
        assert!(head > 0);
        for r in rows {
            assert_eq!(r.matches("<td>").count(), head, "{r}");
        }
    }
    assert!(html.contains("<tr><td>2019</td><td>no transcript</td><td></td><td></td></tr>"));
}

/// A figure's size in pixels at 300 dpi, from its size in points, rounded
/// as the renderer rounds.
fn at_300_dpi(width: u32, height: u32) -> (u32, u32) {
    let px = |pt: u32| (f64::from(pt) * 300.0 / 72.0).round() as u32;
    (px(width), px(height))
}

/// The width and height of an SVG's root, checking that its viewBox is the same box.
fn root_size(svg: &str) -> (u32, u32) {
    assert!(svg.starts_with("<svg "), "{}", &svg[..40]);
    let root = &svg[..svg.find('>').unwrap()];
    let attr = |name: &str| {
        let start = root.find(&format!(" {name}=\"")).unwrap_or_else(|| {
            panic!("no {name} in {root}");
        }) + name.len()
            + 3;
        root[start..start + root[start..].find('"').unwrap()].to_string()
    };
    let (w, h) = (attr("width"), attr("height"));
    assert_eq!(attr("viewBox"), format!("0 0 {w} {h}"), "{root}");
    (w.parse().unwrap(), h.parse().unwrap())
}

/// Every chart's note, by chart name: the SVG's description (the note drawn
/// under the figure is outlined, so this is where its words can be read).
fn chart_notes(w: &Work) -> BTreeMap<String, Option<String>> {
    std::fs::read_dir(w.out().join("charts"))
        .unwrap()
        .filter_map(|e| {
            let path = e.unwrap().path();
            let name = path
                .file_name()?
                .to_str()?
                .strip_suffix(".svg")?
                .to_string();
            let svg = std::fs::read_to_string(&path).unwrap();
            let note = svg
                .split_once("<desc>")
                .map(|(_, rest)| rest[..rest.find("</desc>").unwrap()].to_string());
            Some((name, note))
        })
        .collect()
}

/// The seeds' notes, each with the seeds' own numbers (a part of
/// `seeds_charts_are_valid_and_reports_inline_them`, sharing its run; it
/// redraws the charts in Chinese).
fn seeds_notes_say_what_each_figure_shows(w: &Work) {
    let notes = chart_notes(w);
    let grey = "Grey: no transcript (2019, 2020, 2022, 2023)";
    // 2021 is the first partial year (14 of 27 questions), 2026 a summary next
    // to 2025, and every topic has some year with fewer than 3 answers.
    assert_eq!(
        notes["trend_us"].as_deref(),
        Some(
            "Grey: no transcript (2019, 2020, 2022, 2023); under a year: questions held/asked \
             (14/27), answers (n); hollow: fewer than 3 answers, no interval; not joined: 2026 \
             (summary)"
        )
    );
    assert_eq!(notes["overview"], notes["trend_us"]);
    // The register chart gives no answers under the years.
    assert_eq!(
        notes["register"].as_deref(),
        Some(
            "Grey: no transcript (2019, 2020, 2022, 2023); under a year: questions held/asked \
             (14/27); hollow: fewer than 3 answers, no interval; not joined: 2026 (summary)"
        )
    );
    // A heatmap: only the grey years; a year's keyness bars: nothing on the span.
    assert_eq!(notes["salience"].as_deref(), Some(grey));
    assert_eq!(notes["keyness_2021"], None);
    for (name, note) in &notes {
        if name.starts_with("trend_") {
            assert!(
                note.as_deref().unwrap().starts_with(grey),
                "{name}: {note:?}"
            );
        }
    }

    // The same clauses in Chinese.
    assert_ok(&w.run(&["charts", "--lang", "zh"]));
    assert_eq!(
        chart_notes(w)["trend_us"].as_deref(),
        Some(
            "灰色：无文字记录（2019、2020、2022、2023）；年份下：文字所含/记者会问题数（14/27），\
             回答数（n）；空心点：回答少于 3 个，无区间；不连线：2026（摘要）"
        )
    );
}

/// Three consecutive years of small complete transcripts, three answers on
/// each of two topics a year: no gap, no partial year, no summary, and
/// enough answers for every point to have its interval.
pub fn complete_years() -> Work {
    let w = Work::new("complete");
    w.write("data/topics.toml", TOY_TOPICS);
    let mut manifest = String::new();
    for year in 2019..=2021 {
        let file = format!("{year}-03-08_complete.txt");
        let qa = "路透社记者：中美关系如何？\n\n王毅：中美应当相互尊重，美国不要打压。\n\n\
                  彭博社记者：台湾问题呢？\n\n王毅：反对台独，台湾是中国的一部分。\n\n";
        w.write(&format!("data/transcripts/{file}"), qa.repeat(3));
        manifest.push_str(&format!(
            "[[transcript]]\nfile = \"{file}\"\ngenre = \"verbatim\"\nquestions_asked = 6\n\n"
        ));
    }
    w.write("data/corpus.toml", manifest);
    assert_ok(&w.all());
    w
}

#[test]
fn a_corpus_without_gaps_or_partial_years_gets_notes_without_those_clauses() {
    let w = complete_years();
    let notes = chart_notes(&w);
    for (name, note) in &notes {
        let note = note.as_deref().unwrap_or_default();
        for clause in [
            "Grey",
            "no transcript",
            "held/asked",
            "hollow",
            "not joined",
            "()",
        ] {
            assert!(!note.contains(clause), "{name}: {note}");
        }
    }
    // What is left: the answers under each year, on the charts that show them.
    assert_eq!(
        notes["trend_us"].as_deref(),
        Some("under a year: answers (n)")
    );
    assert_eq!(notes["overview"], notes["trend_us"]);
    for name in ["register", "salience", "keyness_2020"] {
        assert_eq!(notes[name], None, "{name}");
    }
    // Every figure is the size its SVG says, note or none.
    for name in notes.keys() {
        let svg = std::fs::read_to_string(w.out().join(format!("charts/{name}.svg"))).unwrap();
        let (width, height) = root_size(&svg);
        let (info, _, _) = png_of(&w.out().join(format!("charts/{name}.png")));
        assert_eq!((info.width, info.height), at_300_dpi(width, height));
    }

    // A partial year (6 of 9 questions) brings its own share as the example,
    // a summary year next to another its clause; still no gap to shade.
    w.write(
        "data/corpus.toml",
        std::fs::read_to_string(w.data().join("corpus.toml"))
            .unwrap()
            .replacen("questions_asked = 6", "questions_asked = 9", 1)
            .replace(
                "2021-03-08_complete.txt\"\ngenre = \"verbatim\"",
                "2021-03-08_complete.txt\"\ngenre = \"summary\"",
            ),
    );
    assert_ok(&w.all());
    let notes = chart_notes(&w);
    assert_eq!(
        notes["register"].as_deref(),
        Some("under a year: questions held/asked (6/9); not joined: 2021 (summary)")
    );
    assert_eq!(notes["salience"], None);
}

/// Dark pixels in the top `rows` of a PNG: the title's glyphs.
fn ink_in_title(path: &Path, rows: usize) -> usize {
    let (info, buf, _) = png_of(path);
    let stride = info.line_size;
    buf[..stride * rows]
        .chunks(3)
        .filter(|px| px.iter().map(|&c| u32::from(c)).sum::<u32>() < 300)
        .count()
}

#[test]
fn chinese_labels_are_drawn_and_english_labels_replace_them() {
    let w = toy();
    assert_ok(&w.run(&["charts", "--lang", "zh"]));
    let zh = w.out().join("charts/trend_us.png");
    // The title 美国：追踪短语的频率 is drawn: thousands of dark pixels in its band
    // (an empty box per missing glyph would give a few hundred, nothing at all none).
    let ink = ink_in_title(&zh, 100);
    assert!(ink > 3000, "title band holds {ink} dark pixels");
    let zh_bytes = std::fs::read(&zh).unwrap();
    let o = w.run(&["charts", "--lang", "en", "--width", "single"]);
    assert_ok(&o);
    let (info, _, _) = png_of(&zh);
    assert_eq!(info.width, 1050, "single column: 3.5 in at 300 dpi");
    assert_ne!(std::fs::read(&zh).unwrap(), zh_bytes);
    // Phrases without a gloss are named in a warning, not left blank.
    w.write("data/glossary.csv", "phrase,en\n相互尊重,mutual respect\n");
    let o = w.run(&["charts", "--lang", "en"]);
    assert_ok(&o);
    let err = stderr(&o);
    assert!(err.contains("glossary.csv: no English gloss for"), "{err}");
    assert!(err.contains("打压"), "{err}");
    assert!(!err.contains("相互尊重,"), "{err}");
    w.write("data/glossary.csv", "phrase,english\n");
    assert_fails(
        &w.run(&["charts"]),
        &["glossary.csv:1:", "expected the header 'phrase,en'"],
    );
}

// ------------------------------------------------------- hostile input and faults

/// A figure an earlier run drew and this one does not is removed; a file of
/// the user's in charts/ stays.
#[test]
fn figures_a_rerun_no_longer_draws_are_removed_and_nothing_else() {
    let w = toy();
    assert_ok(&w.all());
    let charts = w.out().join("charts");
    for stale in ["keyness_1999.png", "keyness_1999.svg", "trend_gone.pdf"] {
        std::fs::write(charts.join(stale), b"old").unwrap();
    }
    for mine in ["notes.txt", "my_figure.png", "register.png.bak"] {
        std::fs::write(charts.join(mine), b"mine").unwrap();
    }
    assert_ok(&w.run(&["charts"]));
    for stale in ["keyness_1999.png", "keyness_1999.svg", "trend_gone.pdf"] {
        assert!(!charts.join(stale).exists(), "{stale} left");
    }
    for mine in ["notes.txt", "my_figure.png", "register.png.bak"] {
        assert!(charts.join(mine).exists(), "{mine} removed");
    }
    assert!(charts.join("register.png").exists());
}
