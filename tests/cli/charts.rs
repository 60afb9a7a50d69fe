//! The charts stage: valid files with Chinese glyphs drawn, and English labels.

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
    names.extend(["overview", "salience", "register"].map(String::from));
    // 2026 is a summary: it enters no comparison, so it has no keyness chart.
    names.extend(["2018", "2021", "2024", "2025"].map(|y| format!("keyness_{y}")));
    let fonts = {
        let mut db = resvg::usvg::fontdb::Database::new();
        db.load_font_data(rhetoric_shift::charts::FONT.to_vec());
        std::sync::Arc::new(db)
    };
    for name in &names {
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
    assert_eq!(std::fs::read_dir(&charts).unwrap().count(), names.len() * 3);

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
    assert_eq!(html.matches("<figure><svg").count(), 7, "figures inlined");
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
