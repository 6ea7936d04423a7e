//! Reads CSV and TSV submissions: detects the encoding, decodes strictly, then splits
//! records with the csv crate.
//!
//! Encoding order: a BOM (UTF-8, UTF-16LE/BE), then strict UTF-8, then strict
//! Shift_JIS (CP932, as Windows Excel writes it), then chardetng's guess. A decode that
//! would need U+FFFD replacement characters is reported, never passed on silently.

use encoding_rs::{Encoding, SHIFT_JIS, UTF_16BE, UTF_16LE, UTF_8};

use super::grid::{Format, Sheet, Value, Workbook};

/// Decoded text, the encoding's name, and whether replacement characters were needed.
pub struct Decoded {
    pub text: String,
    pub encoding: &'static Encoding,
    pub lossy: bool,
}

/// Decodes bytes of a text file.
///
/// ```
/// let d = shukei::ingest::csv::decode(&[0x82, 0xa0]); // "あ" in Shift_JIS
/// assert_eq!(d.text, "あ");
/// assert_eq!(d.encoding.name(), "Shift_JIS");
/// ```
pub fn decode(bytes: &[u8]) -> Decoded {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, lossy) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return Decoded {
            text: text.into_owned(),
            encoding,
            lossy,
        };
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Decoded {
            text: text.to_string(),
            encoding: UTF_8,
            lossy: false,
        };
    }
    if let Some(text) = SHIFT_JIS.decode_without_bom_handling_and_without_replacement(bytes) {
        return Decoded {
            text: text.into_owned(),
            encoding: SHIFT_JIS,
            lossy: false,
        };
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let guess = detector.guess(Some(b"jp"), true);
    let encoding = if guess == UTF_16LE || guess == UTF_16BE {
        UTF_8
    } else {
        guess
    };
    let (text, _, lossy) = encoding.decode(bytes);
    Decoded {
        text: text.into_owned(),
        encoding,
        lossy,
    }
}

/// Reads a CSV/TSV file into a one-sheet workbook (the sheet's name is empty).
///
/// # Errors
/// A Japanese reason when the bytes are not text or the records cannot be split.
pub fn read_csv(bytes: &[u8], file_name: &str, max_cells: u64) -> Result<(Workbook, bool), String> {
    let decoded = decode(bytes);
    if decoded.text.contains('\0') {
        return Err("NUL 文字を含むため、テキストの CSV として読めません".to_string());
    }
    let delimiter = pick_delimiter(&decoded.text, file_name);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(decoded.text.as_bytes());
    let mut rows = Vec::new();
    let mut cells: u64 = 0;
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| format!("{} 行目を区切れません（{e}）", i + 1))?;
        cells += record.len() as u64;
        if cells > max_cells {
            return Err(format!("セル数が上限 {max_cells} を超えています"));
        }
        rows.push(
            record
                .iter()
                .map(|f| {
                    if f.is_empty() {
                        Value::Empty
                    } else {
                        Value::Text(f.to_string())
                    }
                })
                .collect(),
        );
    }
    let workbook = Workbook {
        format: Format::Csv,
        sheets: vec![Sheet::from_rows("", rows)],
        defined_names: Vec::new(),
        encoding: Some(decoded.encoding.name()),
        has_drawings: false,
    };
    Ok((workbook, decoded.lossy))
}

/// Tab for `.tsv` or when the first line has more tabs than commas; comma otherwise.
fn pick_delimiter(text: &str, file_name: &str) -> u8 {
    if super::guard::extension(file_name) == "tsv" {
        return b'\t';
    }
    let first = text.lines().next().unwrap_or("");
    if first.matches('\t').count() > first.matches(',').count() {
        b'\t'
    } else {
        b','
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_are_detected() {
        let (sjis, _, _) = SHIFT_JIS.encode("指標名,令和6年度\n市税収納率,97.1%\n");
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in "指標名,R6\n".encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        let cases: [(&[u8], &str, &str); 4] = [
            ("指標名,R6".as_bytes(), "UTF-8", "指標名,R6"),
            (b"\xEF\xBB\xBF\xE6\x8C\x87", "UTF-8", "指"),
            (&sjis, "Shift_JIS", "指標名,令和6年度\n市税収納率,97.1%\n"),
            (&utf16, "UTF-16LE", "指標名,R6\n"),
        ];
        for (bytes, encoding, text) in cases {
            let d = decode(bytes);
            assert_eq!(
                (d.encoding.name(), d.text.as_str(), d.lossy),
                (encoding, text, false),
                "input: {bytes:?}"
            );
        }
    }

    #[test]
    fn tsv_and_csv_split_into_cells() {
        let (wb, _) = read_csv("指標名\tR6\nA\t1\n".as_bytes(), "x.tsv", 100).unwrap();
        assert_eq!(wb.sheets[0].get(1, 1), &Value::Text("1".into()));
        let (wb, _) = read_csv("\"a,b\",2\n".as_bytes(), "x.csv", 100).unwrap();
        assert_eq!(wb.sheets[0].get(0, 0), &Value::Text("a,b".into()));
    }

    #[test]
    fn nul_bytes_and_cell_limits_are_refused() {
        assert!(read_csv(b"a,\0b\n", "x.csv", 100).is_err());
        assert!(read_csv(b"a,b,c\n", "x.csv", 2).is_err());
    }
}
