//! The page's font: face 0 of the charts' font (WenQuanYi Micro Hei,
//! [`crate::charts::FONT`]) cut to the characters the page can show, as
//! WOFF2, so that the page reads the same on a machine without a Chinese font.
//!
//! `subsetter` cuts the glyphs, but it writes fonts for PDF: it leaves out
//! the tables a PDF does not read and a browser requires (`cmap`, which
//! maps characters to glyphs, and `OS/2`), so they are added here. As WOFF2
//! (`ttf2woff2`, Brotli) the font is half its TrueType size; Chromium and
//! Firefox both load it.

use std::borrow::Cow;
use std::collections::BTreeSet;

use subsetter::GlyphRemapper;
use ttf_parser::{Face, RawFace, Tag};

use crate::error::{Error, Result};

/// The font as WOFF2, with a glyph for each of `chars` that the font has.
pub(super) fn woff2(chars: &BTreeSet<char>) -> Result<Vec<u8>> {
    let ttf = subset(crate::charts::FONT, 0, chars)?;
    // WOFF2's glyf/loca transform would save another 14 % (the seeds' page),
    // but the encoder warns that Chromium rejects some fonts it transforms.
    // Brotli at quality 9, not 11: at vocab 10 MB (a 7.4 MB page) 11 took
    // 0.9 s more of the explore stage's 2.7 s for 41 KB (0.6%) less page.
    ttf2woff2::encode(&ttf, ttf2woff2::BrotliQuality::from(9)).map_err(bad)
}

fn bad(e: impl std::fmt::Display) -> Error {
    Error::Table(format!("the explorer's font: {e}"))
}

/// Face `index` of `font` as a TrueType font with the glyphs of `chars` only.
fn subset(font: &[u8], index: u32, chars: &BTreeSet<char>) -> Result<Vec<u8>> {
    let face = Face::parse(font, index).map_err(bad)?;
    // Glyphs are numbered in the characters' order, so that runs of
    // consecutive characters are runs of consecutive glyphs: one group each
    // in the cmap.
    let mut glyphs = GlyphRemapper::new();
    let mut cmap: Vec<(u32, u16)> = Vec::new();
    for &c in chars {
        if let Some(g) = face.glyph_index(c) {
            cmap.push((u32::from(c), glyphs.remap(g.0)));
        }
    }
    let cut = subsetter::subset(font, index, &glyphs).map_err(bad)?;
    let raw = RawFace::parse(&cut, 0).map_err(bad)?;
    let post = Tag::from_bytes(b"post");
    let mut tables: Vec<(Tag, Cow<[u8]>)> = Vec::new();
    for r in raw.table_records.into_iter().filter(|r| r.tag != post) {
        let at = r.offset as usize;
        let data = cut
            .get(at..at + r.length as usize)
            .ok_or_else(|| bad("short subset"))?;
        tables.push((r.tag, Cow::Borrowed(data)));
    }
    let original = |tag: &[u8; 4]| {
        let name = String::from_utf8_lossy(tag);
        face.raw_face()
            .table(Tag::from_bytes(tag))
            .ok_or_else(|| bad(format!("no {name} table")))
    };
    // `post` version 3: the same metrics without the glyph names, which only
    // PostScript printers read.
    let mut post_v3 = original(b"post")?
        .get(..32)
        .ok_or_else(|| bad("short post table"))?
        .to_vec();
    post_v3[..4].copy_from_slice(&0x0003_0000u32.to_be_bytes());
    tables.push((post, Cow::Owned(post_v3)));
    tables.push((Tag::from_bytes(b"OS/2"), Cow::Borrowed(original(b"OS/2")?)));
    tables.push((Tag::from_bytes(b"cmap"), Cow::Owned(cmap_format_12(&cmap))));
    Ok(sfnt(tables))
}

/// A cmap with one subtable, Windows Unicode full repertoire (3, 10) in
/// format 12: it has no 64 KB limit, unlike format 4, and covers characters
/// beyond the Basic Multilingual Plane. `map` is sorted by character.
fn cmap_format_12(map: &[(u32, u16)]) -> Vec<u8> {
    // (first character, last character, first glyph)
    let mut groups: Vec<(u32, u32, u32)> = Vec::new();
    for &(c, g) in map {
        match groups.last_mut() {
            Some(last) if last.1 + 1 == c && last.2 + (c - last.0) == u32::from(g) => last.1 = c,
            _ => groups.push((c, c, u32::from(g))),
        }
    }
    let mut out = Vec::with_capacity(28 + 12 * groups.len());
    // Header: version 0, one subtable, (3, 10) at offset 12.
    for x in [0u16, 1, 3, 10] {
        out.extend(x.to_be_bytes());
    }
    out.extend(12u32.to_be_bytes());
    // Format 12, reserved, length, language, number of groups.
    out.extend(12u16.to_be_bytes());
    out.extend(0u16.to_be_bytes());
    let groups_len = groups.len() as u32;
    for x in [16 + 12 * groups_len, 0, groups_len] {
        out.extend(x.to_be_bytes());
    }
    for (first, last, glyph) in groups {
        for x in [first, last, glyph] {
            out.extend(x.to_be_bytes());
        }
    }
    out
}

/// The OpenType checksum: the sum of the big-endian words, zero-padded.
fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, c| {
        let mut word = [0u8; 4];
        word[..c.len()].copy_from_slice(c);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

/// A TrueType font of `tables`, in tag order with checksums, as the OpenType
/// specification lays it out.
fn sfnt(mut tables: Vec<(Tag, Cow<[u8]>)>) -> Vec<u8> {
    tables.sort_by_key(|t| t.0);
    let n = tables.len() as u16;
    let selector = n.ilog2() as u16;
    let range = 16 << selector;
    let mut out = 0x0001_0000u32.to_be_bytes().to_vec();
    for x in [n, range, selector, n * 16 - range] {
        out.extend(x.to_be_bytes());
    }
    let head = Tag::from_bytes(b"head");
    let mut offset = 12 + 16 * tables.len();
    let mut adjustment_at = None;
    for (tag, data) in &mut tables {
        if *tag == head {
            // checkSumAdjustment is left out of the sums and set last.
            data.to_mut()[8..12].fill(0);
            adjustment_at = Some(offset + 8);
        }
        out.extend(tag.to_bytes());
        out.extend(checksum(data).to_be_bytes());
        out.extend((offset as u32).to_be_bytes());
        out.extend((data.len() as u32).to_be_bytes());
        offset += data.len().next_multiple_of(4);
    }
    for (_, data) in &tables {
        out.extend_from_slice(data);
        out.resize(out.len().next_multiple_of(4), 0);
    }
    if let Some(at) = adjustment_at {
        let adjustment = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[at..at + 4].copy_from_slice(&adjustment.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character asked for that the font has draws as in the font, and
    /// no other.
    #[test]
    fn the_subset_draws_the_characters_asked_for() {
        let font = crate::charts::FONT;
        let chars: BTreeSet<char> = "中美关系，台独 abc 123 𠀀".chars().collect();
        let ttf = subset(font, 0, &chars).unwrap();
        let (full, cut) = (Face::parse(font, 0).unwrap(), Face::parse(&ttf, 0).unwrap());
        for &c in &chars {
            let Some(g) = full.glyph_index(c) else {
                assert!(cut.glyph_index(c).is_none(), "{c}");
                continue;
            };
            let h = cut
                .glyph_index(c)
                .unwrap_or_else(|| panic!("{c} is not in the subset"));
            assert_eq!(full.glyph_bounding_box(g), cut.glyph_bounding_box(h), "{c}");
            assert_eq!(full.glyph_hor_advance(g), cut.glyph_hor_advance(h), "{c}");
        }
        assert!(cut.glyph_index('国').is_none());
        assert_eq!(checksum(&ttf), 0xB1B0_AFBA, "the font's checksum");
    }
}
