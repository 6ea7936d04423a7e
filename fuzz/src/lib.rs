//! The fuzz targets' bodies, shared by the libFuzzer binaries in `fuzz_targets/` and the
//! stable-toolchain runner `src/bin/replay.rs`.
//!
//! Each function takes the fuzzer's input and panics when an invariant breaks. Panics
//! that `shukei::ingest::read_bytes` catches itself (a parser panic becomes an
//! E-FILE-UNREADABLE finding) are not failures: [`quiet_panics`] keeps them from
//! aborting the process, and only a panic that escapes the library is reported.

use std::cell::RefCell;
use std::io::Write;
use std::sync::OnceLock;

use libfuzzer_sys::arbitrary::{self, Arbitrary};
use shukei::catalogue::Catalogue;
use shukei::ingest::{read_submission, Limits, Matcher};
use shukei::model::{Period, Unit};
use shukei::normalize::{self, HeaderKind, ParsedValue};

struct Context {
    catalogue: Catalogue,
    matcher: Matcher,
    /// `(match_key(name), id)` for every indicator, as the matcher builds them.
    candidates: Vec<(String, String)>,
}

fn context() -> &'static Context {
    static CONTEXT: OnceLock<Context> = OnceLock::new();
    CONTEXT.get_or_init(|| {
        let catalogue = Catalogue::builtin();
        let matcher = Matcher::new(&catalogue);
        let candidates = catalogue
            .indicators
            .iter()
            .map(|i| (normalize::match_key(&i.name), i.id.clone()))
            .collect();
        Context {
            catalogue,
            matcher,
            candidates,
        }
    })
}

/// Small limits, so that one input stays fast and small in memory.
pub const LIMITS: Limits = Limits {
    max_file_bytes: 4 * 1024 * 1024,
    max_decompressed_bytes: 16 * 1024 * 1024,
    max_ratio: 250,
    max_cells: 200_000,
    max_seconds: 10,
};

thread_local! {
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Replaces the panic hook (libfuzzer-sys's aborts) with one that only remembers the
/// message, so that panics caught inside the library are not reported as crashes. A
/// panic that escapes is printed by [`run_guarded`] and then aborts as before.
pub fn quiet_panics() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        if std::env::var_os("SHUKEI_FUZZ_STRICT").is_some() {
            return; // report every panic, caught or not
        }
        std::panic::set_hook(Box::new(|info| {
            let location = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()))
                .unwrap_or_default();
            let payload = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_default();
            LAST_PANIC.with(|p| *p.borrow_mut() = Some(format!("{payload} at {location}")));
        }));
    });
}

/// Runs `f`; a panic that escapes it is printed with its message and re-raised.
pub fn run_guarded(f: impl FnOnce()) {
    quiet_panics();
    if let Err(e) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        let message = LAST_PANIC
            .with(|p| p.borrow_mut().take())
            .unwrap_or_default();
        let _ = writeln!(std::io::stderr(), "panic escaped the library: {message}");
        std::panic::resume_unwind(e);
    }
}

/// The text of an input: UTF-8 as is, anything else lossily.
fn text(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}

fn check_period(p: Period, what: &str, s: &str) {
    assert_eq!(
        Period::from_code(&p.code()),
        Some(p),
        "{what}({s:?}) = {p:?} does not round-trip through its code"
    );
    if let Period::Month(m) = p {
        assert!((1..=12).contains(&m.month), "{what}({s:?}) = {p:?}");
    }
    let year = u32::from(p.fiscal_year().0);
    assert!(
        (1988..=2100).contains(&year),
        "{what}({s:?}) = {p:?}: fiscal year out of range"
    );
}

/// Every normalizer on one string, with cheap invariants.
pub fn normalize(data: &[u8]) {
    run_guarded(|| normalize_text(&text(data), data));
}

fn normalize_text(s: &str, data: &[u8]) {
    match normalize::parse_value(s) {
        ParsedValue::Number(q) => {
            assert!(q.value.is_finite(), "parse_value({s:?}) = {q:?}");
            assert!(
                !(q.value == 0.0 && q.value.is_sign_negative()),
                "parse_value({s:?}) gave -0"
            );
            assert_eq!(q.percent, q.unit == Some(Unit::Percent), "{s:?}: {q:?}");
            assert!(
                q.unit.is_none() || q.unit_text.is_none(),
                "{s:?}: both a unit and a unit text: {q:?}"
            );
            for unit in Unit::ALL {
                if let Ok(v) = normalize::convert(&q, unit) {
                    assert!(v.is_finite(), "convert({q:?}, {unit:?}) = {v}");
                }
                let pct = normalize::percent_from_cell(q.value, true, unit);
                assert!(pct.is_finite(), "percent_from_cell({}) = {pct}", q.value);
            }
        }
        ParsedValue::Text(t) => {
            assert_eq!(
                normalize::display_text(&t),
                t,
                "parse_value text is display text"
            );
        }
        ParsedValue::Empty => {}
    }
    if let Ok(p) = normalize::parse_period(s) {
        check_period(p, "parse_period", s);
    }
    if let Ok(p) = normalize::parse_period_arg(s) {
        check_period(p, "parse_period_arg", s);
    }
    if let Ok(fy) = normalize::parse_fiscal_year(s) {
        check_period(Period::Year(fy), "parse_fiscal_year", s);
    }
    if let Ok(m) = normalize::parse_month(s) {
        check_period(Period::Month(m), "parse_month", s);
    }
    if let Some(m) = normalize::parse_month_only(s) {
        assert!((1..=12).contains(&m), "parse_month_only({s:?}) = {m}");
    }
    match normalize::classify_header(s) {
        HeaderKind::Period(p) | HeaderKind::Target(Some(p)) => check_period(p, "header", s),
        HeaderKind::MonthOnly(m) => assert!((1..=12).contains(&m), "header({s:?}) = {m}"),
        _ => {}
    }
    let n = normalize::nfkc(s);
    assert_eq!(normalize::nfkc(&n), n, "nfkc is not idempotent on {s:?}");
    let d = normalize::display_text(s);
    assert_eq!(
        normalize::display_text(&d),
        d,
        "display_text not idempotent on {s:?}"
    );
    let _ = normalize::match_key(s);
    let ctx = context();
    let suggestions = normalize::suggest(s, &ctx.candidates, 3);
    assert!(suggestions.len() <= 3);
    for id in &suggestions {
        assert!(ctx.catalogue.indicator(id).is_some(), "suggested {id}");
    }
    let _ = ctx.matcher.match_name(s);
    let _ = ctx.matcher.match_id(s);
    let found = normalize::has_machine_dependent_chars(s);
    for (i, c) in found.iter().enumerate() {
        assert!(
            s.contains(*c) && !found[..i].contains(c),
            "{s:?}: {found:?}"
        );
    }
    let _ = normalize::is_no_value(s);
    let _ = normalize::is_pending_text(s);
    if let Some(bytes) = data.get(..8) {
        let serial = f64::from_le_bytes(bytes.try_into().unwrap_or_default());
        if let Some(m) = normalize::month_from_excel_serial(serial) {
            assert!((1..=12).contains(&m.month) && (1900..=9999).contains(&m.year));
        }
        let _ = normalize::percent_from_cell(serial, true, Unit::Percent);
    }
}

/// The file name for an input: the guard sniffs workbooks by content, so the extension
/// only matters for text files (CSV or TSV) and for files that are neither.
pub fn file_name(data: &[u8]) -> &'static str {
    match data.first() {
        Some(b'P') => "財政課_報告_20241105.xlsx",
        Some(0xD0) => "人事課_R6指標報告.xls",
        Some(b) if b % 8 == 7 => "資産管理課_令和6年度指標.ods",
        Some(b) if b % 2 == 1 => "行政改革課_オンライン申請数_月次.tsv",
        _ => "市民窓口課_月次報告_R6.csv",
    }
}

/// The whole per-file pipeline on the bytes of one file.
pub fn read_workbook(data: &[u8]) {
    run_guarded(|| read_file(file_name(data), data));
}

fn read_file(name: &str, data: &[u8]) {
    let ctx = context();
    let sub = read_submission(name, data, &ctx.catalogue, &ctx.matcher, &LIMITS);
    for v in sub.values.iter() {
        assert!(v.value().is_finite(), "{name}: value: {v:?}");
        // the packed value reads back whole
        assert!(!v.indicator_id().is_empty() && v.file() == name, "{name}: {v:?}");
    }
    if sub.failed {
        assert_eq!(sub.findings.len(), 1, "a failed file has one finding");
    }
}

/// One cell of a worksheet, as the fuzzer chooses it.
#[derive(Arbitrary, Debug, Clone)]
pub struct Cell {
    /// Column and row (0-based); `None` leaves the `r` attribute out.
    pub at: Option<(u16, u32)>,
    pub kind: u8,
    pub style: Option<u8>,
    pub value: String,
    pub formula: Option<String>,
}

/// One `<row>`.
#[derive(Arbitrary, Debug, Clone)]
pub struct Row {
    pub r: Option<u32>,
    pub cells: Vec<Cell>,
}

/// One worksheet.
#[derive(Arbitrary, Debug, Clone)]
pub struct SheetPart {
    pub name: String,
    pub state: u8,
    pub dimension: Option<String>,
    pub rows: Vec<Row>,
    pub merges: Vec<String>,
    /// Raw XML appended after `</sheetData>` (or replacing the sheet when `raw`).
    pub tail: String,
    pub raw: bool,
}

/// An xlsx built from fragments, so that mutations reach calamine's XML parsing instead
/// of breaking the zip.
#[derive(Arbitrary, Debug, Clone)]
pub struct XlsxParts {
    pub shared_strings: Option<(Option<u64>, Vec<String>)>,
    pub sheets: Vec<SheetPart>,
    pub styles: Option<String>,
    pub defined_names: Vec<(String, String)>,
    pub extra: Vec<(String, Vec<u8>)>,
    pub escape: bool,
    /// A theme part, which the guard leaves out of the copy it hands to calamine
    /// (`shukei::ingest::guard::inspect_for_reading`).
    pub theme: Option<Vec<u8>>,
}

fn esc(s: &str, on: bool) -> String {
    if !on {
        return s.to_string();
    }
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn a1(col: u16, row: u32) -> String {
    shukei::model::a1(row, u32::from(col))
}

const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG_REL_NS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";

fn sheet_xml(sheet: &SheetPart, escape: bool) -> String {
    if sheet.raw {
        return sheet.tail.clone();
    }
    let mut x = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">"#
    );
    if let Some(d) = &sheet.dimension {
        x += &format!(r#"<dimension ref="{}"/>"#, esc(d, escape));
    }
    x += "<sheetData>";
    for row in sheet.rows.iter().take(64) {
        match row.r {
            Some(r) => x += &format!(r#"<row r="{r}">"#),
            None => x += "<row>",
        }
        for c in row.cells.iter().take(64) {
            x += "<c";
            if let Some((col, r)) = c.at {
                x += &format!(r#" r="{}""#, a1(col, r));
            }
            let t = ["", "s", "str", "inlineStr", "b", "e", "n", "d"][usize::from(c.kind % 8)];
            if !t.is_empty() {
                x += &format!(r#" t="{t}""#);
            }
            if let Some(s) = c.style {
                x += &format!(r#" s="{s}""#);
            }
            x += ">";
            if let Some(f) = &c.formula {
                x += &format!("<f>{}</f>", esc(f, escape));
            }
            if t == "inlineStr" {
                x += &format!("<is><t>{}</t></is>", esc(&c.value, escape));
            } else {
                x += &format!("<v>{}</v>", esc(&c.value, escape));
            }
            x += "</c>";
        }
        x += "</row>";
    }
    x += "</sheetData>";
    if !sheet.merges.is_empty() {
        x += &format!(r#"<mergeCells count="{}">"#, sheet.merges.len());
        for m in sheet.merges.iter().take(16) {
            x += &format!(r#"<mergeCell ref="{}"/>"#, esc(m, escape));
        }
        x += "</mergeCells>";
    }
    x += &sheet.tail;
    x += "</worksheet>";
    x
}

/// The xlsx bytes for a set of parts.
pub fn build_xlsx(p: &XlsxParts) -> Vec<u8> {
    use zip::write::SimpleFileOptions;
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let put = |w: &mut zip::ZipWriter<_>, name: &str, body: &[u8]| {
        if w.start_file(name, opts).is_ok() {
            let _ = w.write_all(body);
        }
    };
    let sheets: Vec<&SheetPart> = p.sheets.iter().take(4).collect();
    let e = p.escape;
    let mut ct = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#
    );
    for i in 1..=sheets.len() {
        ct += &format!(
            r#"<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
        );
    }
    ct += "</Types>";
    put(&mut w, "[Content_Types].xml", ct.as_bytes());
    let root_rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL_NS}"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
    );
    put(&mut w, "_rels/.rels", root_rels.as_bytes());
    let mut wb = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets>"#
    );
    let mut rels =
        format!(r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL_NS}">"#);
    for (i, s) in sheets.iter().enumerate() {
        let n = i + 1;
        let state = ["", "hidden", "veryHidden", "bogus"][usize::from(s.state % 4)];
        let state = if state.is_empty() {
            String::new()
        } else {
            format!(r#" state="{state}""#)
        };
        wb += &format!(
            r#"<sheet name="{}" sheetId="{n}"{state} r:id="rId{n}"/>"#,
            esc(&s.name, e)
        );
        rels += &format!(
            r#"<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>"#
        );
    }
    wb += "</sheets>";
    if !p.defined_names.is_empty() {
        wb += "<definedNames>";
        for (name, value) in p.defined_names.iter().take(8) {
            wb += &format!(
                r#"<definedName name="{}">{}</definedName>"#,
                esc(name, e),
                esc(value, e)
            );
        }
        wb += "</definedNames>";
    }
    wb += "</workbook>";
    let k = sheets.len();
    if p.shared_strings.is_some() {
        rels += &format!(
            r#"<Relationship Id="rId{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#,
            k + 1
        );
    }
    if p.styles.is_some() {
        rels += &format!(
            r#"<Relationship Id="rId{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#,
            k + 2
        );
    }
    rels += "</Relationships>";
    put(&mut w, "xl/workbook.xml", wb.as_bytes());
    put(&mut w, "xl/_rels/workbook.xml.rels", rels.as_bytes());
    for (i, s) in sheets.iter().enumerate() {
        let name = format!("xl/worksheets/sheet{}.xml", i + 1);
        put(&mut w, &name, sheet_xml(s, e).as_bytes());
    }
    if let Some((count, strings)) = &p.shared_strings {
        let mut x = format!(r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN_NS}""#);
        if let Some(c) = count {
            x += &format!(r#" count="{c}" uniqueCount="{c}""#);
        }
        x += ">";
        for s in strings.iter().take(64) {
            x += &format!("<si><t>{}</t></si>", esc(s, e));
        }
        x += "</sst>";
        put(&mut w, "xl/sharedStrings.xml", x.as_bytes());
    }
    if let Some(styles) = &p.styles {
        put(&mut w, "xl/styles.xml", styles.as_bytes());
    }
    if let Some(theme) = &p.theme {
        put(&mut w, "xl/theme/theme1.xml", theme);
    }
    for (name, body) in p.extra.iter().take(4) {
        put(&mut w, name, body);
    }
    w.finish().map(|c| c.into_inner()).unwrap_or_default()
}

/// A workbook built from fragments, through the whole per-file pipeline.
pub fn xlsx_zip(p: &XlsxParts) {
    let bytes = build_xlsx(p);
    run_guarded(|| {
        read_file("財政課_報告_20241105.xlsx", &bytes);
        unpacked_reads_the_same(&bytes);
    });
}

/// The copy the guard hands to calamine (parts stored, theme left out) reads as the
/// file itself does, whenever the file reads at all.
fn unpacked_reads_the_same(bytes: &[u8]) {
    use shukei::ingest::{excel, guard};
    let mut copy = Vec::new();
    let Ok(inspected) = guard::inspect_for_reading(bytes, "a.xlsx", &LIMITS, &mut copy) else {
        return;
    };
    if !inspected.unpacked {
        return;
    }
    let read = |b: &[u8]| excel::read_workbook(b, inspected.format, inspected.markup, &LIMITS);
    if let Ok(original) = read(bytes) {
        assert_eq!(read(&copy), Ok(original), "the unpacked copy reads differently");
    }
}

/// The names of the targets, for the stable runner.
pub const TARGETS: [&str; 3] = ["normalize", "read_workbook", "xlsx_zip"];

/// Runs the target `name` on raw bytes (for `xlsx_zip`, the bytes are decoded with
/// `arbitrary` as libFuzzer does).
pub fn run_target(name: &str, data: &[u8]) {
    match name {
        "normalize" => normalize(data),
        "read_workbook" => read_workbook(data),
        "xlsx_zip" => {
            let u = arbitrary::Unstructured::new(data);
            if let Ok(parts) = XlsxParts::arbitrary_take_rest(u) {
                xlsx_zip(&parts);
            }
        }
        other => panic!("unknown target {other}"),
    }
}
