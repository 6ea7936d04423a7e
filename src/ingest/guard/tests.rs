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
fn cell_scan_finds_far_cells_across_chunks() {
    let xml = br#"<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B2" s="1"/></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>"#;
    let mut reader = std::io::Cursor::new(&xml[..]);
    let bounds = scan_sheet_bounds(&mut reader, 1 << 20).unwrap();
    assert_eq!(bounds, Some((1, 1, 1_048_576, 16_384)));
    let err = check_area(bounds, "sheet1.xml", &Limits::default()).unwrap_err();
    assert_eq!(err.code(), "E-FILE-LIMIT");
}

#[test]
fn the_scan_notes_formulas_and_merges() {
    let xml = r#"<sheetData><row r="1"><c r="A1"><f>SUM(B1)</f><v>1</v></c></row></sheetData><mergeCells><x:mergeCell ref="A1:B1"/></mergeCells>"#;
    let scan = scan_sheet(&mut xml.as_bytes(), 1 << 20).unwrap();
    assert!(scan.formulas && scan.merges);
    let scan = scan_sheet(
        &mut &b"<sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c></row><fill/>"[..],
        1 << 20,
    )
    .unwrap();
    assert!(!scan.formulas && !scan.merges);
    let merged = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/samples/行政改革課_指定管理施設利用者数_月別.xlsx"
    ))
    .unwrap();
    assert!(
        inspect(&merged, "a.xlsx", &Limits::default())
            .unwrap()
            .1
            .merges
    );
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
fn cell_refs_parse() {
    assert_eq!(cell_ref(b"AB12"), Some((12, 28)));
    assert_eq!(cell_ref(b"ab12"), Some((12, 28)));
    assert_eq!(cell_ref(b"12"), None);
    assert_eq!(attr(b"c r=\"AB12\" t=\"s\"", b"r"), Some(&b"AB12"[..]));
    assert_eq!(attr(b"c t=\"s\"  r = 'B3'", b"r"), Some(&b"B3"[..]));
    assert_eq!(attr(b"c t=\"s\"", b"r"), None);
    assert_eq!(attr(b"c foo=\"r=\" r=\"C4\"", b"r"), Some(&b"C4"[..]));
}

/// Found while writing the fuzz targets (byte mutations rarely survive the zip's
/// deflate and CRC, so this came from reading calamine): cells that calamine places
/// far away but that the scan for `<c r="...">` did not see made calamine allocate
/// 512 GiB and abort the process. Each sheet is A1 plus a cell at row 1,048,576 or
/// column XFD.
#[test]
fn fuzz_far_cells_in_every_spelling_are_seen() {
    let sheets = [
        // a cell without `r`, placed by its row's `r`
        r#"<row r="1"><c r="XFD1"><v>1</v></c></row><row r="1048576"><c><v>1</v></c></row>"#,
        // a namespace prefix
        r#"<row r="1"><x:c r="A1"><x:v>1</x:v></x:c><x:c r="XFD1048576"><x:v>1</x:v></x:c></row>"#,
        // a tab before the attribute
        "<row r=\"1\"><c r=\"A1\"><v>1</v></c><c\tr=\"XFD1048576\"><v>1</v></c></row>",
        // single quotes
        r#"<row r="1"><c r="A1"><v>1</v></c><c r='XFD1048576'><v>1</v></c></row>"#,
        // lower-case letters
        r#"<row r="1"><c r="A1"><v>1</v></c><c r="xfd1048576"><v>1</v></c></row>"#,
        // a `>` inside an attribute value before `r`
        r#"<row r="1"><c r="A1"><v>1</v></c><c x=">" r="XFD1048576"><v>1</v></c></row>"#,
    ];
    for xml in sheets {
        let xml = format!("<worksheet><sheetData>{xml}</sheetData></worksheet>");
        let mut reader = std::io::Cursor::new(xml.as_bytes());
        let bounds = scan_sheet_bounds(&mut reader, 1 << 20).unwrap();
        let err = check_area(bounds, "sheet1.xml", &Limits::default());
        assert_eq!(err.err().map(|e| e.code()), Some("E-FILE-LIMIT"), "{xml}");
    }
}

/// Fuzz finding (xlsx_zip target, crash-22ec35aa): a formula cell without `r` and
/// a cell with a 10-digit row, which the old scan skipped, made calamine request
/// 0x17f7fffa020000 bytes and abort.
#[test]
fn fuzz_xlsx_zip_ten_digit_row_is_seen() {
    let xml = "<worksheet><sheetData><row><c><f>\u{1}</f><v></v></c><c r=\"BRXS4294967232\" t=\"e\" s=\"0\"><v></v></c></row></sheetData></worksheet>";
    let bounds = scan_sheet_bounds(&mut xml.as_bytes(), 1 << 20).unwrap();
    let err = check_area(bounds, "sheet1.xml", &Limits::default());
    assert_eq!(err.err().map(|e| e.code()), Some("E-FILE-LIMIT"));
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

/// Fuzz finding (xlsx_zip target, crash-665e60c4): `<row r="4294967295">`, then
/// two rows without `r`: calamine's u32 row count wraps to 0, the range spans 2^32
/// rows and the 128 GiB allocation aborts. Cells outside Excel's grid are refused.
#[test]
fn fuzz_xlsx_zip_rows_past_u32_are_refused() {
    let xml = r#"<worksheet><sheetData><row r="4294967295"><c t="d"><v></v></c></row><row></row><row><c><f>;</f><v></v></c></row><row r="4112493810"></row></sheetData></worksheet>"#;
    let bounds = scan_sheet_bounds(&mut xml.as_bytes(), 1 << 20).unwrap();
    let err = check_grid(bounds, "sheet1.xml");
    assert_eq!(err.err().map(|e| e.code()), Some("E-FILE-LIMIT"));
    assert_eq!(check_grid(Some((1, 1, 1_048_576, 16_384)), "s"), Ok(()));
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

/// Fuzz finding (the stable `replay` mutator on read_workbook, seed far_cell.xlsx):
/// one flipped bit renamed `xl/worksheets/sheet1.xml` to `sheet1.xMl`; the guard
/// skipped it by name, calamine still read it and aborted on 512 GiB.
#[test]
fn fuzz_renamed_sheet_entry_is_still_scanned() {
    let far = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/hostile/far_cell.xlsx"
    ))
    .unwrap();
    let needle = b"xl/worksheets/sheet1.xml";
    let mut renamed = far.clone();
    let mut at = 0;
    while let Some(i) = memmem::find(&renamed[at..], needle) {
        renamed[at + i + needle.len() - 2] = b'M';
        at += i + needle.len();
    }
    assert_ne!(renamed, far);
    for bytes in [far, renamed] {
        let got = check(&bytes, "far_cell.xlsx", &Limits::default());
        assert_eq!(got.err().map(|r| r.code()), Some("E-FILE-LIMIT"));
    }
    assert!(may_be_xml_part("xl/worksheets/sheet1.xMl"));
    assert!(!may_be_xml_part("xl/media/image1.png"));
}

#[test]
fn cells_without_r_follow_their_row() {
    let xml = r#"<sheetData><row r="3"><c><v>1</v></c><c/><c><v>2</v></c></row><row><c s="1"/><c><v>3</v></c></row></sheetData>"#;
    let bounds = scan_sheet_bounds(&mut xml.as_bytes(), 1 << 20).unwrap();
    // C3 is (3, 2): the self-closing <c/> is skipped by calamine and not counted
    assert_eq!(bounds, Some((3, 1, 4, 2)));
}
