use super::*;

#[test]
fn rejects_by_content_not_extension() {
    let limits = Limits::default();
    let cases: [(&[u8], &str, &str); 5] = [
        (b"", "a.xlsx", "E-FILE-EMPTY"),
        (b"hello world", "a.xlsx", "E-FILE-UNREADABLE"),
        (b"<html><body><table></table>", "a.xls", "E-FILE-UNREADABLE"),
        (b"PK\x03\x04garbage", "a.xlsx", "E-FILE-UNREADABLE"),
        (&CFB_MAGIC, "a.xls", "E-FILE-UNREADABLE"),
    ];
    for (bytes, name, code) in cases {
        let got = check(bytes, name, &limits);
        assert_eq!(
            got.err().map(|r| r.code()),
            Some(code),
            "input: {name} {bytes:?}"
        );
    }
    assert_eq!(check("a,b\n".as_bytes(), "x.csv", &limits), Ok(Format::Csv));
}

#[test]
fn oversized_files_are_refused() {
    let limits = Limits {
        max_file_bytes: 3,
        ..Limits::default()
    };
    assert_eq!(
        check(b"a,b,c", "x.csv", &limits).err().map(|r| r.code()),
        Some("E-FILE-LIMIT")
    );
}

#[test]
fn the_search_finds_merged_cells() {
    let search = |xml: &str| search_merges(&mut xml.as_bytes(), &mut [0u8; 4096], 0).unwrap();
    assert!(search(
        r#"<sheetData/><mergeCells><x:mergeCell ref="A1:B1"/></mergeCells>"#
    ));
    assert!(!search(
        r#"<sheetData><row r="1"><c r="A1"><f>1</f></c></row></sheetData>"#
    ));
    // a needle cut by the 4 KiB read boundary is still found
    for pad in [4096 - 5, 4096 - 2, 4096 + 3, 3 * 4096 - 7] {
        let xml = format!("{}<mergeCell ref=\"A1:B1\"/>", " ".repeat(pad));
        assert!(search(&xml), "pad {pad}");
    }
    let merged = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/samples/行政改革課_指定管理施設利用者数_月別.xlsx"
    ))
    .unwrap();
    let (_, markup) = inspect(&merged, "a.xlsx", &Limits::default()).unwrap();
    assert!(markup.merges);
    // what the head read already holds is searched too
    let mut buf = [0u8; 64];
    buf[..9].copy_from_slice(b"mergeCell");
    assert!(search_merges(&mut &b""[..], &mut buf, 9).unwrap());
    let plain = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/samples/財政課_報告_20241120.xlsx"
    ))
    .unwrap();
    let (_, markup) = inspect(&plain, "a.xlsx", &Limits::default()).unwrap();
    assert!(!markup.merges);
}

#[test]
fn xlsb_cells_far_out_are_refused() {
    let record = |typ: u8, body: &[u8]| {
        let mut r = vec![typ, body.len() as u8];
        r.extend_from_slice(body);
        r
    };
    let mut row_hdr = 1_048_575u32.to_le_bytes().to_vec();
    row_hdr.extend_from_slice(&[0; 8]);
    let mut cell = 16_383u32.to_le_bytes().to_vec();
    cell.extend_from_slice(&[0; 12]);
    let mut first = 0u32.to_le_bytes().to_vec();
    first.extend_from_slice(&[0; 12]);
    let mut data = record(0x00, &0u32.to_le_bytes());
    data.extend(record(0x05, &first));
    data.extend(record(0x00, &row_hdr));
    data.extend(record(0x05, &cell));
    let bounds = xlsb_bounds(&data);
    assert_eq!(bounds, Some((1, 1, 1_048_576, 16_384)));
    assert_eq!(
        check_area(bounds, "sheet1.bin", &Limits::default())
            .unwrap_err()
            .code(),
        "E-FILE-LIMIT"
    );
    let mut beyond = data.clone();
    let mut far = 70_000u32.to_le_bytes().to_vec();
    far.extend_from_slice(&[0; 12]);
    beyond.extend(record(0x05, &far));
    assert_eq!(
        check_grid(xlsb_bounds(&beyond), "sheet1.bin")
            .unwrap_err()
            .code(),
        "E-FILE-LIMIT"
    );
}

#[test]
fn the_xlsb_sample_passes_the_guard() {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/samples/人事課_研修実績_R6.xlsb"
    ))
    .unwrap();
    assert_eq!(
        check(&bytes, "a.xlsb", &Limits::default()),
        Ok(Format::Xlsb)
    );
}

#[test]
fn attributes_parse() {
    assert_eq!(attr(b"c r=\"AB12\" t=\"s\"", b"r"), Some(&b"AB12"[..]));
    assert_eq!(attr(b"c t=\"s\"  r = 'B3'", b"r"), Some(&b"B3"[..]));
    assert_eq!(attr(b"c t=\"s\"", b"r"), None);
    assert_eq!(attr(b"c foo=\"r=\" r=\"C4\"", b"r"), Some(&b"C4"[..]));
}

/// Found while writing the fuzz targets (calamine's ODS reader expands repeats up
/// to 100 million cells, and the guard did not look inside .ods files): a 783-byte
/// .ods with one value cell repeated 16,384 × 6,000 times took 9 GB and 26 s.
#[test]
fn fuzz_ods_repeated_cells_are_counted() {
    let content = |rows: u32, cols: u32| {
        format!(
            r#"<office:document-content><office:body><office:spreadsheet><table:table table:name="S"><table:table-row table:number-rows-repeated="{rows}"><table:table-cell table:number-columns-repeated="{cols}" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#
        )
    };
    let scan = |xml: &str| {
        let mut scan = OdsScan::default();
        let mut tables = Vec::new();
        scan_tags(&mut xml.as_bytes(), 1 << 20, |t| tables.extend(scan.tag(t))).unwrap();
        tables
    };
    assert_eq!(scan(&content(6000, 16384)), vec![Some((1, 1, 6000, 16384))]);
    let err = check_area(Some((1, 1, 6000, 16384)), "content.xml", &Limits::default());
    assert_eq!(err.err().map(|e| e.code()), Some("E-FILE-LIMIT"));
    // trailing empty rows, as LibreOffice writes them, do not count
    assert_eq!(scan(&content(3, 4)), vec![Some((1, 1, 3, 4))]);
    // rows before the value shift it down
    let shifted = r#"<table:table><table:table-row table:number-rows-repeated="10"><table:table-cell/></table:table-row><table:table-row><table:table-cell table:number-columns-repeated="2"/><table:table-cell office:value-type="string"/></table:table-row></table:table>"#;
    assert_eq!(scan(shifted), vec![Some((11, 3, 11, 3))]);
}

/// Found while fixing the xlsx cases: an .xls whose DIMENSIONS is small but whose
/// cell records sit near A1 and at row 65,536 / column 65,536 (checked on a copy of
/// the sample .xls with one LABELSST moved) made calamine request 137 GB and abort.
/// The guard now bounds the cell records of each sheet.
#[test]
fn xls_cell_records_are_bounded() {
    let record = |typ: u16, body: &[u8]| {
        let mut r = typ.to_le_bytes().to_vec();
        r.extend_from_slice(&(body.len() as u16).to_le_bytes());
        r.extend_from_slice(body);
        r
    };
    let number = |row: u16, col: u16| {
        let mut b = row.to_le_bytes().to_vec();
        b.extend_from_slice(&col.to_le_bytes());
        b.extend_from_slice(&[0; 10]);
        record(0x0203, &b)
    };
    let mut stream = record(0x0809, &[0; 16]);
    stream.extend(record(0x0200, &[0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0]));
    stream.extend(number(0, 0));
    let small = [stream.clone(), number(9, 9), record(0x000A, &[])].concat();
    assert_eq!(check_biff_records(&small, &Limits::default()), Ok(()));
    let far = [stream, number(65_535, 65_535), record(0x000A, &[])].concat();
    let err = check_biff_records(&far, &Limits::default());
    assert_eq!(err.err().map(|e| e.code()), Some("E-FILE-LIMIT"));
}

/// calamine reserves room for the shared strings' `uniqueCount` (a `Vec<String>` of
/// 4 billion entries aborts the process): the count is checked in the `<sst>` tag
/// however it is spelt, and a tag too long to check is refused.
#[test]
fn shared_string_counts_are_checked_in_the_sst_tag() {
    let limits = Limits::default();
    let check = |xml: &str| {
        check_shared_strings(xml.as_bytes(), false, "xl/sharedStrings.xml", &limits)
            .err()
            .map(|r| r.code())
    };
    assert_eq!(
        check(r#"<?xml version="1.0"?><sst count="3" uniqueCount="2"><si/></sst>"#),
        None
    );
    for bad in [
        r#"<sst uniqueCount="4000000000">"#,
        r#"<x:sst xmlns:x="a" count="1" uniqueCount='4000000000'>"#,
        r#"<sst title="a>b" uniqueCount="4000000000">"#,
        r#"<sst uniqueCount="99999999999999999999999">"#,
        r#"<sst count="4000000000">"#,
    ] {
        assert_eq!(check(bad), Some("E-FILE-LIMIT"), "{bad}");
    }
    // uniqueCount pushed past what is read by padding the tag
    let padded = format!(
        r#"<sst pad="{}" uniqueCount="4000000000">"#,
        "x".repeat(70_000)
    );
    let head = &padded.as_bytes()[..64 * 1024];
    let got = check_shared_strings(head, true, "xl/sharedStrings.xml", &limits);
    assert_eq!(got.err().map(|r| r.code()), Some("E-FILE-LIMIT"));
}

/// The part is found as calamine finds it: by name, in any case and with `\`.
#[test]
fn the_shared_strings_part_is_found_in_any_spelling() {
    let hostile = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/hostile/huge_shared_strings.xlsx"
    ))
    .unwrap();
    let got = check(&hostile, "a.xlsx", &Limits::default());
    assert_eq!(got.err().map(|r| r.code()), Some("E-FILE-LIMIT"));
    let needle = b"xl/sharedStrings.xml";
    for (from, to) in [
        (&b"sharedStrings"[..], &b"SHAREDstrings"[..]),
        (b"xl/", b"xl\\"),
    ] {
        let mut renamed = hostile.clone();
        let mut at = 0;
        while let Some(i) = memmem::find(&renamed[at..], needle) {
            let base = at + i;
            let off = memmem::find(needle, from).unwrap();
            renamed[base + off..base + off + to.len()].copy_from_slice(to);
            at = base + needle.len();
        }
        assert_ne!(renamed, hostile);
        let got = check(&renamed, "a.xlsx", &Limits::default());
        assert_eq!(got.err().map(|r| r.code()), Some("E-FILE-LIMIT"));
    }
}

/// One entry of a zip, inflated (the zip crate checks its CRC at the end).
fn entry_text(bytes: &[u8], name: &str) -> String {
    let mut text = String::new();
    zip::ZipArchive::new(Cursor::new(bytes))
        .unwrap()
        .by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// The entries of a zip: (name, method, size).
fn entries(bytes: &[u8]) -> Vec<(String, zip::CompressionMethod, u64)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let e = zip.by_index_raw(i).unwrap();
            (e.name().unwrap().into_owned(), e.compression(), e.size())
        })
        .collect()
}

#[test]
fn an_unpacked_xlsx_stores_the_inflated_parts_and_reads_the_same() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !(name.ends_with(".xlsx") || name.ends_with(".xlsm")) {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let limits = Limits::default();
        let mut unpacked = Vec::new();
        let inspected = inspect_for_reading(&bytes, &name, &limits, &mut unpacked).unwrap();
        assert!(inspected.unpacked, "{name}");
        seen += 1;
        // the same entries in the same order, less the theme and the package's
        // metadata; the parts calamine reads stored (sheets, shared strings, the
        // workbook, styles, relationships), the rest as they were
        let before = entries(&bytes);
        let after = entries(&unpacked);
        let kept: Vec<_> = before
            .iter()
            .filter(|(n, ..)| {
                let lower = n.to_ascii_lowercase();
                !is_theme_part(&lower)
                    && lower != "[content_types].xml"
                    && !lower.starts_with("docprops/")
            })
            .collect();
        assert!(kept.len() < before.len() - 1, "{name}: metadata left out");
        assert_eq!(kept.len(), after.len(), "{name}");
        for ((n, method, size), (n2, method2, size2)) in kept.into_iter().zip(&after) {
            let lower = n.to_ascii_lowercase();
            if lower == "xl/styles.xml" {
                // cut down to the number formats, byte for byte
                let whole = entry_text(&bytes, n);
                let kept = styles::kept_ranges(whole.as_bytes()).unwrap();
                let slim: String = kept.into_iter().map(|r| &whole[r]).collect();
                assert!(slim.len() < whole.len() / 2, "{name}: {slim}");
                assert!(slim.contains("<cellXfs"), "{name}: {slim}");
                assert_eq!(entry_text(&unpacked, n), slim, "{name}");
            } else {
                assert_eq!((n, size), (n2, size2), "{name}");
            }
            let inflated = lower.ends_with("sharedstrings.xml")
                || lower.contains("sheet")
                || lower == "_rels/.rels"
                || (lower.starts_with("xl/") && lower.ends_with(".xml"))
                || (lower.starts_with("xl/") && lower.ends_with(".rels"));
            let want = if inflated {
                zip::CompressionMethod::Stored
            } else {
                *method
            };
            assert_eq!(*method2, want, "{name}: {n}");
        }
        // every sheet reads the same, number formats and merged cells included
        let read = |b: &[u8]| {
            crate::ingest::excel::read_workbook(b, inspected.format, inspected.markup, &limits)
        };
        assert_eq!(read(&bytes).unwrap(), read(&unpacked).unwrap(), "{name}");
        // calamine gives every cell format the same number format
        assert_eq!(number_formats(&bytes), number_formats(&unpacked), "{name}");
        // the markup is what the checks on the file as it is find
        let mut archive = zip::ZipArchive::new(Cursor::new(&bytes[..])).unwrap();
        let checked = check_xlsx_parts(&mut archive, &limits).unwrap();
        assert_eq!(checked.merges, inspected.markup.merges, "{name}");
        // a buffer that held another copy is overwritten
        let mut reused = b"PK\x03\x04 an earlier copy".to_vec();
        assert!(
            inspect_for_reading(&bytes, &name, &limits, &mut reused)
                .unwrap()
                .unpacked
        );
        assert_eq!(reused, unpacked, "{name}");
    }
    assert!(seen >= 10, "{seen} samples");
    let percent = std::fs::read(format!("{dir}行政改革課_令和6年度実績.xlsx")).unwrap();
    let mut copy = Vec::new();
    let inspected = inspect_for_reading(&percent, "a.xlsx", &Limits::default(), &mut copy).unwrap();
    assert!(inspected.unpacked);
    let wb = crate::ingest::excel::read_workbook(
        &copy,
        Format::Xlsx,
        inspected.markup,
        &Limits::default(),
    );
    assert!(wb
        .unwrap()
        .sheets
        .iter()
        .any(|s| !s.percent_cells.is_empty()));
}

/// A number format's code and id.
type NumberFormat = Option<(String, Option<u32>)>;

/// The number format calamine gives each cell format of each sheet.
fn number_formats(bytes: &[u8]) -> Vec<Vec<NumberFormat>> {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let names = book.sheet_names();
    let formats: Vec<_> = names
        .iter()
        .map(|n| {
            let reader = book.worksheet_cells_reader(n).unwrap();
            reader
                .styles()
                .iter()
                .map(|s| {
                    s.number_format
                        .as_ref()
                        .map(|f| (f.format_code.clone(), f.format_id))
                })
                .collect()
        })
        .collect();
    assert!(formats.iter().any(|f: &Vec<_>| !f.is_empty()));
    formats
}

/// A zip written by the zip crate: (name, data, method).
fn zip_of(parts: &[(&str, &[u8], zip::CompressionMethod)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data, method) in parts {
        let options = zip::write::SimpleFileOptions::default().compression_method(*method);
        w.start_file(*name, options).unwrap();
        std::io::Write::write_all(&mut w, data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn unusual_xlsx_files_are_read_as_they_are() {
    use zip::CompressionMethod::{Deflated, Stored};
    let workbook: &[u8] =
        br#"<workbook><sheets><sheet name="a" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    let sheet: &[u8] =
        br#"<worksheet><sheetData/><mergeCells><mergeCell ref="A1:B1"/></mergeCells></worksheet>"#;
    let unpack = |bytes: &[u8], max: u64| {
        let (got, copy) = unpack_copy(bytes, max);
        got.unwrap().map(|markup| (markup, copy))
    };
    let plain = zip_of(&[
        ("[Content_Types].xml", b"<Types/>", Deflated),
        ("xl/workbook.xml", workbook, Deflated),
        ("xl/worksheets/sheet1.xml", sheet, Deflated),
        ("docProps/app.xml", b"<Properties/>", Deflated),
        (
            "xl/printerSettings/printerSettings1.bin",
            b"\0\0\0",
            Deflated,
        ),
    ]);
    let (markup, copy) = unpack(&plain, UNPACKED_MAX).unwrap();
    assert!(markup.merges);
    assert_eq!(
        entries(&copy),
        vec![
            ("xl/workbook.xml".to_string(), Stored, workbook.len() as u64),
            (
                "xl/worksheets/sheet1.xml".to_string(),
                Stored,
                sheet.len() as u64
            ),
            // not a part calamine is known to read nor known to leave: copied as
            // it was (the content types and the properties are left out)
            (
                "xl/printerSettings/printerSettings1.bin".to_string(),
                Deflated,
                3
            ),
        ]
    );
    assert_eq!(entry_text(&copy, "xl/workbook.xml").as_bytes(), workbook);
    // stored with its merged cells first, under a CRC of its own
    assert_eq!(
        entry_text(&copy, "xl/worksheets/sheet1.xml"),
        r#"<worksheet><mergeCells><mergeCell ref="A1:B1"/></mergeCells><sheetData/></worksheet>"#
    );
    // more to inflate than the cap (the workbook and the sheet)
    let both = (workbook.len() + sheet.len()) as u64;
    assert!(unpack(&plain, both - 1).is_none());
    assert!(unpack(&plain, both).is_some());
    // a name that is not ASCII
    let named = zip_of(&[
        ("xl/workbook.xml", workbook, Deflated),
        ("xl/worksheets/シート.xml", sheet, Deflated),
    ]);
    assert!(unpack(&named, UNPACKED_MAX).is_none());
    // a method other than stored and deflate
    let bzip = zip_of(&[("xl/workbook.xml", workbook, Stored)]);
    let odd = with_field(&bzip, METHOD.0, METHOD.1, &12u16.to_le_bytes());
    assert!(zip::ZipArchive::new(Cursor::new(&odd[..])).is_ok());
    assert!(unpack(&odd, UNPACKED_MAX).is_none());
    // the shared strings' declared count is still checked
    let hostile = zip_of(&[
        ("xl/workbook.xml", workbook, Deflated),
        (
            "xl/sharedStrings.xml",
            br#"<sst count="1" uniqueCount="999999999999"><si><t>a</t></si></sst>"#,
            Deflated,
        ),
    ]);
    let (got, _) = unpack_copy(&hostile, UNPACKED_MAX);
    assert_eq!(got.err().map(|r| r.code()), Some("E-FILE-LIMIT"));
}

/// `bytes` with the field at `local` bytes into each local header and `central` bytes
/// into each central one set to `value` (little-endian; a zip of one entry).
fn with_field(bytes: &[u8], local: usize, central: usize, value: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for at in memchr::memmem::find_iter(bytes, b"PK").collect::<Vec<_>>() {
        let field = match bytes.get(at + 2..at + 4) {
            Some([3, 4]) => at + local,
            Some([1, 2]) => at + central,
            _ => continue,
        };
        out[field..field + value.len()].copy_from_slice(value);
    }
    out
}

/// The method, crc, compressed size and size fields: offsets in a local and a central
/// header.
const METHOD: (usize, usize) = (8, 10);
const CRC: (usize, usize) = (14, 16);
const COMPRESSED: (usize, usize) = (18, 20);
const SIZE: (usize, usize) = (22, 24);

/// Unpacks `bytes` with at most `max` inflated bytes: the result and the copy.
fn unpack_copy(bytes: &[u8], max: u64) -> (Result<Option<Markup>, Rejection>, Vec<u8>) {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut copy = Vec::new();
    let got = unpack_with(&mut archive, bytes, &Limits::default(), &mut copy, max);
    (got, copy)
}

/// `data` as a raw deflate stream.
fn deflated(data: &[u8]) -> Vec<u8> {
    let mut compressor = libdeflater::Compressor::new(libdeflater::CompressionLvl::default());
    let mut out = vec![0; compressor.deflate_compress_bound(data.len())];
    let len = compressor.deflate_compress(data, &mut out).unwrap();
    out.truncate(len);
    out
}

#[test]
fn a_stream_is_inflated_whole_and_stepwise_only_when_it_must() {
    let sheet = "<row><c><v>1</v></c></row>".repeat(4_000);
    let data = deflated(sheet.as_bytes());
    let size = sheet.len() as u64;
    let inflate_after = |head: &[u8], declared: u64, room: u64, data: &[u8]| {
        let mut inflaters = Inflaters::new();
        let mut out = head.to_vec();
        let got = inflate(&mut inflaters, data, &mut out, declared, room);
        assert_eq!(
            out.get(..head.len()),
            Some(head),
            "what came before is kept"
        );
        out.drain(..head.len());
        (got, out, inflaters.stepped())
    };
    let whole =
        |got: (Result<bool, String>, Vec<u8>, bool)| (got.0, got.1 == sheet.as_bytes(), got.2);
    // as declared: whole, after what `out` held
    let got = inflate_after(b"PK", size, u64::MAX, &data);
    assert_eq!(whole(got), (Ok(true), true, false));
    // declared larger than it is, or larger than the stream could make, or one byte
    // short (the room has one more): whole
    for declared in [size + 1, u64::MAX, size - 1] {
        let got = inflate_after(b"", declared, u64::MAX, &data);
        assert_eq!(whole(got), (Ok(true), true, false), "{declared}");
    }
    // declared smaller than it is: the step-by-step inflater finishes it
    for declared in [size - 2, 1, 0] {
        let got = inflate_after(b"x", declared, u64::MAX, &data);
        assert_eq!(whole(got), (Ok(true), true, true), "{declared}");
    }
    // exactly the room, or more than the room (then at most one byte more is held)
    let (got, out, _) = inflate_after(b"", size, size, &data);
    assert_eq!((got, out.len()), (Ok(true), sheet.len()));
    for (declared, room) in [(size, size - 1), (size - 1, size - 1), (u64::MAX, size / 2)] {
        let (got, out, stepped) = inflate_after(b"", declared, room, &data);
        assert_eq!((got, stepped), (Ok(false), false), "{declared} {room}");
        assert!(out.len() as u64 <= room + 1, "{}", out.len());
    }
    // declared far below it, with room for it: stepwise, and past a room it
    // then reaches
    let (got, out, stepped) = inflate_after(b"", 1, size - 1, &data);
    assert_eq!((got, stepped), (Ok(false), true));
    assert!(out.len() <= sheet.len(), "{}", out.len());
    // an empty stream
    let (got, out, stepped) = inflate_after(b"", 0, u64::MAX, &deflated(b""));
    assert_eq!((got, out.len(), stepped), (Ok(true), 0, false));
    // a stream cut short, or not deflate at all: flate2 names what is wrong
    for broken in [&data[..data.len() / 2], b"\xff\xff\xff\xff".as_slice()] {
        let (got, _, stepped) = inflate_after(b"", size, u64::MAX, broken);
        assert!(got.is_err() && stepped, "{got:?}");
    }
}

#[test]
fn a_part_whose_header_understates_its_size_is_inflated_whole_up_to_the_cap() {
    use zip::CompressionMethod::Deflated;
    // 2 MB of rows that deflate to a few KB, declared as 1 byte
    let rows = "<row><c><v>1</v></c></row>".repeat(80_000);
    let sheet = format!("<worksheet><sheetData>{rows}</sheetData></worksheet>");
    let name = "xl/worksheets/sheet1.xml";
    let zipped = zip_of(&[(name, sheet.as_bytes(), Deflated)]);
    let lying = with_field(&zipped, SIZE.0, SIZE.1, &1u32.to_le_bytes());
    let (got, copy) = unpack_copy(&lying, UNPACKED_MAX);
    assert!(got.unwrap().is_some());
    assert_eq!(entry_text(&copy, name), sheet);
    assert_eq!(entries(&copy)[0].2, sheet.len() as u64);
    // past the cap it is read as it is, and the copy never held more than the cap
    // and a byte of it
    let cap = 100_000;
    let (got, copy) = unpack_copy(&lying, cap);
    assert!(got.unwrap().is_none());
    assert!(
        copy.len() <= 30 + name.len() + cap as usize + 1,
        "{}",
        copy.len()
    );
}

#[test]
fn a_broken_part_is_refused_by_name() {
    use zip::CompressionMethod::{Deflated, Stored};
    let sheet =
        "<worksheet><sheetData><row><c><v>1</v></c></row></sheetData></worksheet>".repeat(20);
    let name = "xl/worksheets/sheet1.xml";
    let deflated = zip_of(&[(name, sheet.as_bytes(), Deflated)]);
    let stored = zip_of(&[(name, sheet.as_bytes(), Stored)]);
    let refused = |bytes: &[u8], why: &str| {
        let (got, _) = unpack_copy(bytes, UNPACKED_MAX);
        let rejection = got.err().unwrap_or_else(|| panic!("{why}: not refused"));
        assert_eq!(rejection.code(), "E-FILE-UNREADABLE", "{why}");
        let message = rejection.reason();
        assert!(
            message.contains(name) && message.contains("展開できません"),
            "{why}: {message}"
        );
        message
    };
    // a CRC that does not match, deflated or stored
    for bytes in [&deflated, &stored] {
        let message = refused(
            &with_field(bytes, CRC.0, CRC.1, &0x1234_5678u32.to_le_bytes()),
            "crc",
        );
        assert!(message.contains("CRC"), "{message}");
    }
    // a stream cut short: its compressed size is a few bytes short
    let mut archive = zip::ZipArchive::new(Cursor::new(&deflated[..])).unwrap();
    let packed = archive.by_index_raw(0).unwrap().compressed_size() as u32;
    let message = refused(
        &with_field(
            &deflated,
            COMPRESSED.0,
            COMPRESSED.1,
            &(packed - 4).to_le_bytes(),
        ),
        "short",
    );
    assert!(message.contains("途中で終わっています"), "{message}");
    // a stream with garbage in it
    let start = archive.by_index_raw(0).unwrap().data_start().unwrap() as usize;
    let mut garbled = deflated.clone();
    for b in &mut garbled[start..start + 8] {
        *b = 0xff;
    }
    refused(&garbled, "garbled");
}

#[test]
fn the_theme_part_is_named_as_calamine_names_it() {
    assert!(is_theme_part("xl/theme/theme1.xml"));
    assert!(is_theme_part("XL\\Theme\\THEME1.XML"));
    assert!(!is_theme_part("xl/theme/theme2.xml"));
    assert!(!is_theme_part("xl/styles.xml"));
}

#[test]
fn merged_cells_come_first_in_the_copy_and_read_the_same() {
    use rust_xlsxwriter::{Format, Workbook};
    let mut workbook = Workbook::new();
    let merged = workbook.add_worksheet().set_name("指標").unwrap();
    merged.write(0, 0, "見出し").unwrap();
    merged
        .merge_range(1, 0, 2, 0, "基本施策30", &Format::new())
        .unwrap();
    merged
        .merge_range(1, 1, 1, 3, "令和6年度", &Format::new())
        .unwrap();
    merged.write(3, 1, 262).unwrap();
    let plain = workbook.add_worksheet().set_name("備考").unwrap();
    plain.write(0, 0, "mergeCells と書いた文字").unwrap();
    let bytes = workbook.save_to_buffer().unwrap();

    let limits = Limits::default();
    let mut copy = Vec::new();
    let inspected = inspect_for_reading(&bytes, "merged.xlsx", &limits, &mut copy).unwrap();
    assert!(inspected.unpacked && inspected.markup.merges);
    let sheet = entry_text(&copy, "xl/worksheets/sheet1.xml");
    let after_root = |sheet: &str| {
        let root = sheet.find("<worksheet").unwrap();
        root + sheet[root..].find('>').unwrap() + 1
    };
    assert!(
        sheet[after_root(&sheet)..].starts_with(r#"<mergeCells count="2">"#),
        "{sheet}"
    );
    assert!(sheet.ends_with("</worksheet>") && sheet.matches("mergeCells").count() == 2);
    // the other sheet, without merged cells, says so at its start
    let other = entry_text(&copy, "xl/worksheets/sheet2.xml");
    assert!(
        other[after_root(&other)..].starts_with("<mergeCells/><"),
        "{other}"
    );
    assert_eq!(other.matches("mergeCells").count(), 1);
    // a workbook without merged cells keeps its sheets as they are
    let mut plain = Workbook::new();
    plain.add_worksheet().write(0, 0, "見出し").unwrap();
    plain.add_worksheet().write(0, 0, 1).unwrap();
    let plain = plain.save_to_buffer().unwrap();
    let mut plain_copy = Vec::new();
    let inspected_plain =
        inspect_for_reading(&plain, "plain.xlsx", &limits, &mut plain_copy).unwrap();
    assert!(inspected_plain.unpacked && !inspected_plain.markup.merges);
    for name in ["xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"] {
        assert_eq!(entry_text(&plain, name), entry_text(&plain_copy, name));
    }

    let read = |b: &[u8]| {
        crate::ingest::excel::read_workbook(b, inspected.format, inspected.markup, &limits).unwrap()
    };
    let (as_sent, from_copy) = (read(&bytes), read(&copy));
    assert_eq!(as_sent, from_copy);
    let regions: Vec<_> = from_copy.sheets[0]
        .merges
        .iter()
        .map(|m| (m.first_row, m.first_col, m.last_row, m.last_col))
        .collect();
    assert_eq!(regions, [(1, 0, 2, 0), (1, 1, 1, 3)]);
    assert!(from_copy.sheets[1].merges.is_empty());
}
