//! Test helpers that read a written xlsx's parts back: the cell formats, the styles
//! and the worksheets' XML (calamine reads values, not formats).

use std::io::Cursor;

use calamine::{open_workbook_from_rs, Reader, Xlsx};

/// The cell format (`cellXfs` entry, as XML) of cell `a1` of sheet `name`.
pub fn cell_xf(bytes: &[u8], name: &str, a1: &str) -> String {
    let sheet = sheet_xml(bytes, name);
    // A cell without `s` has the workbook's default format, entry 0.
    let cell = regex::Regex::new(&format!(r#"<c r="{a1}"(?: s="(\d+)")?"#)).unwrap();
    let found = cell.captures(&sheet).unwrap();
    let xf: usize = found.get(1).map_or(0, |s| s.as_str().parse().unwrap());
    xf_entry(&styles_xml(bytes), xf)
}

/// The XML of the worksheet named `name`.
pub fn sheet_xml(bytes: &[u8], name: &str) -> String {
    let book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
    let index = book.sheet_names().iter().position(|n| n == name).unwrap();
    part(bytes, &format!("xl/worksheets/sheet{}.xml", index + 1))
}

/// Entry `xf` of the styles' `cellXfs`, as XML.
pub fn xf_entry(styles: &str, xf: usize) -> String {
    let xfs = styles.split("<cellXfs").nth(1).unwrap();
    let xfs = xfs.split("</cellXfs>").next().unwrap();
    xfs.split("<xf ").nth(xf + 1).unwrap().to_string()
}

/// The styles part.
pub fn styles_xml(bytes: &[u8]) -> String {
    part(bytes, "xl/styles.xml")
}

/// The part named `name`, as text.
pub fn part(bytes: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// Every worksheet part as (name, XML).
pub fn sheet_parts(bytes: &[u8]) -> Vec<(String, String)> {
    parts(bytes, "xl/worksheets/sheet")
}

/// Every part whose name starts with `prefix`, as (name, text).
pub fn parts(bytes: &[u8], prefix: &str) -> Vec<(String, String)> {
    let zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let names: Vec<String> = zip
        .file_names()
        .map(|n| n.unwrap().to_string())
        .filter(|n| n.starts_with(prefix))
        .collect();
    names
        .into_iter()
        .map(|name| {
            let text = part(bytes, &name);
            (name, text)
        })
        .collect()
}
