//! Bytes to text: the encodings a transcript may come in.

/// Decodes a transcript's bytes. UTF-8 (with or without BOM) and UTF-16 with a
/// BOM are taken as they are; GB18030 (a superset of GBK) is accepted with a
/// warning where it decodes without error; anything else is an error.
pub fn decode(bytes: &[u8]) -> std::result::Result<(String, Option<String>), String> {
    let (text, note) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        match std::str::from_utf8(rest) {
            Ok(s) => (s.to_string(), None),
            Err(e) => {
                return Err(format!(
                    "invalid UTF-8 after the byte-order mark at byte {}",
                    e.valid_up_to() + 3
                ))
            }
        }
    } else if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let enc = if bytes[0] == 0xFF {
            encoding_rs::UTF_16LE
        } else {
            encoding_rs::UTF_16BE
        };
        match enc.decode_without_bom_handling_and_without_replacement(&bytes[2..]) {
            Some(s) => (s.into_owned(), Some(format!("decoded as {}", enc.name()))),
            None => return Err(format!("malformed {} text", enc.name())),
        }
    } else if bytes.contains(&0) {
        return Err("binary data (NUL bytes), not a text transcript".into());
    } else {
        match std::str::from_utf8(bytes) {
            Ok(s) => (s.to_string(), None),
            // Valid UTF-8 that stops inside a character: a truncated download.
            // Decoding it as GB18030 would turn the whole file into mojibake.
            Err(e) if e.error_len().is_none() && e.valid_up_to() > 0 => {
                let text = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
                (
                    text.to_string(),
                    Some(format!(
                        "ends inside a UTF-8 character (a truncated download?); the last {} byte(s) are dropped",
                        bytes.len() - e.valid_up_to()
                    )),
                )
            }
            Err(utf8_err) => {
                match encoding_rs::GB18030
                    .decode_without_bom_handling_and_without_replacement(bytes)
                {
                    Some(s) => (
                        s.into_owned(),
                        Some("not UTF-8; decoded as GB18030".to_string()),
                    ),
                    None => {
                        return Err(format!(
                            "not UTF-8 (invalid byte at offset {}) and not GB18030/GBK either",
                            utf8_err.valid_up_to()
                        ))
                    }
                }
            }
        }
    };
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    if text.trim().is_empty() {
        return Err("empty file".into());
    }
    Ok((text, note))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::cases(200)))]

        #[test]
        fn decode_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
            if let Ok((text, _)) = decode(&bytes) {
                prop_assert!(!text.trim().is_empty());
                prop_assert!(!text.contains('\r'));
            }
        }
    }
}
