//! xls (BIFF in a compound file): FILEPASS, DIMENSIONS and cell records.

use super::*;

/// .xls (BIFF) and encrypted OOXML live in a compound file. Reads the Workbook stream's
/// records: FILEPASS means a password; DIMENSIONS must stay within the cell limit.
pub(super) fn check_cfb(bytes: &[u8], limits: &Limits) -> Result<Format, Rejection> {
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|e| Rejection::Unreadable(format!("複合ファイルとして壊れています（{e}）")))?;
    if file.exists("/EncryptionInfo") || file.exists("/EncryptedPackage") {
        return Err(Rejection::Encrypted);
    }
    let stream = ["/Workbook", "/Book", "/WORKBOOK", "/BOOK"]
        .into_iter()
        .find(|p| file.exists(p));
    let Some(stream) = stream else {
        return Err(Rejection::Unreadable(
            "Excel 97-2003 ブックではない複合ファイルです（Word などの可能性）".to_string(),
        ));
    };
    let mut data = Vec::new();
    file.open_stream(stream)
        .and_then(|s| s.take(limits.max_decompressed_bytes).read_to_end(&mut data))
        .map_err(|e| Rejection::Unreadable(format!("ブックのストリームを読めません（{e}）")))?;
    check_biff_records(&data, limits)?;
    Ok(Format::Xls)
}

pub(super) fn check_biff_records(data: &[u8], limits: &Limits) -> Result<(), Rejection> {
    let name = "シート";
    let mut pos = 0usize;
    // The cells of the current sheet (BOF starts one): calamine places them by their
    // records' positions, whatever DIMENSIONS declares.
    let mut bounds: Bounds = None;
    let include = |bounds: &mut Bounds, row: u64, col: u64| {
        let (row, col) = (row + 1, col + 1);
        *bounds = Some(match *bounds {
            None => (row, col, row, col),
            Some((r0, c0, r1, c1)) => (r0.min(row), c0.min(col), r1.max(row), c1.max(col)),
        });
    };
    while let Some(header) = data.get(pos..pos + 4) {
        let typ = u16::from_le_bytes([header[0], header[1]]);
        let len = usize::from(u16::from_le_bytes([header[2], header[3]]));
        let body = data.get(pos + 4..pos + 4 + len).unwrap_or(&[]);
        let u16_at = |i: usize| {
            body.get(i..i + 2)
                .map_or(0, |b| u64::from(u16::from_le_bytes([b[0], b[1]])))
        };
        match typ {
            0x0809 => {
                check_area(std::mem::take(&mut bounds), name, limits)?;
            }
            // Number, Label, RString, BoolErr, Rk, LabelSst, Formula
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 if body.len() >= 4 => {
                include(&mut bounds, u16_at(0), u16_at(2));
            }
            // MulRk: row, first column, …, last column
            0x00BD if body.len() >= 6 => {
                include(&mut bounds, u16_at(0), u16_at(2));
                include(&mut bounds, u16_at(0), u16_at(body.len() - 2));
            }
            0x002F => return Err(Rejection::Encrypted),
            0x0200 if body.len() >= 12 => {
                let u32_at = |i: usize| {
                    u64::from(u32::from_le_bytes([
                        body[i],
                        body[i + 1],
                        body[i + 2],
                        body[i + 3],
                    ]))
                };
                let (rows, cols) = (
                    u32_at(4).saturating_sub(u32_at(0)),
                    u64::from(u16::from_le_bytes([body[10], body[11]]))
                        .saturating_sub(u64::from(u16::from_le_bytes([body[8], body[9]]))),
                );
                let area = rows.saturating_mul(cols);
                if area > limits.max_cells {
                    return Err(Rejection::Limit(format!(
                        "シートの宣言範囲が {area} セル（上限 {}）",
                        limits.max_cells
                    )));
                }
            }
            _ => {}
        }
        pos += 4 + len;
    }
    check_area(bounds, name, limits)
}
