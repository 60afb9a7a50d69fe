//! Rendering: each figure, drawn once as SVG by plotters, is parsed by usvg
//! with the embedded font and written as outlined SVG, 300 dpi PNG and PDF.

use std::sync::Arc;

use plotters::prelude::*;
use resvg::usvg;

use super::layout::{Figure, DPI, PT_PER_IN};
use crate::error::{Error, Result};

/// The chart font, embedded so that no system font is needed.
pub const FONT: &[u8] = include_bytes!("../../data/fonts/wqy-microhei.ttc");
const FAMILY: &str = "WenQuanYi Micro Hei";

/// Fonts for usvg: the embedded font, standing in for every generic family.
pub(super) fn font_database() -> Arc<usvg::fontdb::Database> {
    let mut db = usvg::fontdb::Database::new();
    db.load_font_data(FONT.to_vec());
    db.set_sans_serif_family(FAMILY);
    db.set_serif_family(FAMILY);
    db.set_monospace_family(FAMILY);
    Arc::new(db)
}

/// The three files of one figure: outlined SVG, 300 dpi PNG, PDF.
pub(super) fn render(
    fig: &Figure,
    fonts: &Arc<usvg::fontdb::Database>,
) -> Result<[(String, Vec<u8>); 3]> {
    let options = usvg::Options {
        font_family: FAMILY.to_string(),
        fontdb: fonts.clone(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(&fig.svg, &options)
        .map_err(|e| Error::Table(format!("chart {}: {e}", fig.name)))?;
    let svg = with_view_box_and_note(&tree.to_string(&usvg::WriteOptions::default()), fig)?;

    let scale = DPI / PT_PER_IN;
    // In f64: 300/72 in f32 is a hair under 25/6, and a height of 219 pt
    // (912.5 px) would round down where every reader of the size rounds up.
    let px = |pt: u32| (f64::from(pt) * f64::from(DPI) / f64::from(PT_PER_IN)).round() as u32;
    let (w, h) = (px(fig.width), px(fig.height));
    let mut pixmap = resvg::tiny_skia::Pixmap::new(w, h)
        .ok_or_else(|| Error::Table(format!("chart {}: empty size", fig.name)))?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    let mut png = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut png, w, h);
        // The canvas was filled with opaque white, so every pixel is opaque and
        // tiny-skia's premultiplied RGBA is plain RGBA.
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        let per_metre = (DPI / 0.0254).round() as u32;
        enc.set_pixel_dims(Some(png::PixelDimensions {
            xppu: per_metre,
            yppu: per_metre,
            unit: png::Unit::Meter,
        }));
        let mut writer = enc
            .write_header()
            .map_err(|e| Error::Table(format!("chart {}: {e}", fig.name)))?;
        writer
            .write_image_data(pixmap.data())
            .map_err(|e| Error::Table(format!("chart {}: {e}", fig.name)))?;
    }
    let pdf = svg2pdf::to_pdf(
        &tree,
        svg2pdf::ConversionOptions::default(),
        svg2pdf::PageOptions::default(),
    )
    .map_err(|e| Error::Table(format!("chart {}: {e}", fig.name)))?;
    Ok([
        (format!("{}.svg", fig.name), svg.into_bytes()),
        (format!("{}.png", fig.name), png),
        (format!("{}.pdf", fig.name), canonical_pdf(&pdf)),
    ])
}

/// usvg writes the root `<svg>` with a width and height but no viewBox, so a
/// page that scales the figure (`width: 100%`) would scale its box and not
/// its drawing, leaving a blank band. The viewBox makes the drawing scale with
/// the box; the `<desc>` holds the note, as the outlined glyphs hold no text.
fn with_view_box_and_note(svg: &str, fig: &Figure) -> Result<String> {
    let malformed = || Error::Table(format!("chart {}: usvg wrote no <svg> root", fig.name));
    let rest = svg.strip_prefix("<svg ").ok_or_else(malformed)?;
    let end = rest.find('>').ok_or_else(malformed)?;
    let (attributes, content) = rest.split_at(end + 1);
    let desc = if fig.note.is_empty() {
        String::new()
    } else {
        let note = fig
            .note
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        format!("\n    <desc>{note}</desc>")
    };
    Ok(format!(
        "<svg viewBox=\"0 0 {} {}\" {attributes}{desc}{content}",
        fig.width, fig.height
    ))
}

/// svg2pdf writes the entries of a resource dictionary (`/xo0 8 0 R` …) in
/// hash-map order, which changes from run to run. Sorting each run of such
/// lines outside streams gives the same bytes on every run; the lines only
/// change places, so every object keeps its length and the cross-reference
/// offsets stay right.
fn canonical_pdf(pdf: &[u8]) -> Vec<u8> {
    let is_entry = |line: &[u8]| {
        let t = line.trim_ascii();
        t.starts_with(b"/") && t.ends_with(b" 0 R") && !t.contains(&b'<')
    };
    let mut out = Vec::with_capacity(pdf.len());
    let mut lines = pdf.split_inclusive(|&b| b == b'\n').peekable();
    let mut in_stream = false;
    while let Some(line) = lines.next() {
        if in_stream {
            in_stream = !line.starts_with(b"endstream");
            out.extend_from_slice(line);
            continue;
        }
        if line.trim_ascii_end() == b"stream" {
            in_stream = true;
            out.extend_from_slice(line);
            continue;
        }
        if is_entry(line) && line.ends_with(b"\n") {
            let mut group = vec![line];
            while let Some(next) = lines.peek() {
                if is_entry(next) && next.ends_with(b"\n") {
                    group.push(next);
                    lines.next();
                } else {
                    break;
                }
            }
            group.sort();
            for l in group {
                out.extend_from_slice(l);
            }
        } else {
            out.extend_from_slice(line);
        }
    }
    out
}

/// Registers the embedded font with plotters, which measures text with it.
pub(super) fn register_font() -> Result<()> {
    plotters::style::register_font("sans-serif", FontStyle::Normal, FONT)
        .map_err(|_| Error::Table("the embedded chart font does not load".into()))
}
