#!/usr/bin/env python3
"""A minimal writer of Excel binary workbooks (.xlsb, [MS-XLSB]), Python 3 stdlib only.

Neither LibreOffice nor openpyxl (nor any other Python library at hand) writes .xlsb, so
the xlsb sample of tools/make_samples.py is written by this module. Usage (from the
repository root):

    python3 tools/make_xlsb.py      # rewrites the .xlsb sample(s) and the golden files
    python3 tools/make_samples.py   # rewrites every sample; calls write_xlsb() for .xlsb

The command line reads the sample definitions (cells and expected values) from
make_samples.py, so it needs openpyxl importable, but not LibreOffice; the writer itself,
write_xlsb(), uses only zipfile and struct.

What is written (one part per line, records in the order of the [MS-XLSB] grammar):

    [Content_Types].xml, _rels/.rels, docProps/core.xml, docProps/app.xml
    xl/workbook.bin             BrtBeginBook BrtFileVersion BrtWbProp BOOKVIEWS
                                BUNDLESHS (one BrtBundleSh per sheet) BrtCalcProp BrtEndBook
    xl/_rels/workbook.bin.rels  sheets, styles, shared strings
    xl/styles.bin               fonts (regular, bold), fills, border, cell style XF, cell XFs
                                (0 general, 1 bold, 2 wrapped + centred vertically), Normal
    xl/sharedStrings.bin        BrtBeginSst, one BrtSSTItem per distinct text, BrtEndSst
    xl/worksheets/sheetN.bin    BrtBeginSheet BrtWsProp BrtWsDim WSVIEWS2 COLINFOS
                                BrtBeginSheetData (BrtRowHdr, cells)* BrtEndSheetData
                                BrtMargins BrtEndSheet

Cells: text -> BrtCellIsst (shared string), float -> BrtCellReal (8-byte IEEE double),
int -> BrtCellRk when it fits in 30 bits (as Excel stores small integers), else
BrtCellReal; bool -> BrtCellBool. No formulas, merges or dates: the sample needs none.

A record is a type (1–2 bytes, 7 bits each, high bit = more) and a size (1–4 bytes,
7 bits each, high bit = more), then the body. Strings are XLWideString: a u32 count of
UTF-16 code units, then UTF-16LE. Rows and columns are 0-based in the records.

Checked against calamine 0.38 (src/xlsb/), which is what shukei reads .xlsb with: it needs
BrtBundleSh (state, tab id, r:id, name) in workbook.bin ending at BrtEndBundleShs and a
record it knows after it (BrtCalcProp here); BrtWsDim and BrtBeginSheetData in the sheet;
BrtRowHdr before each row's cells; BrtBeginSst's second u32 (unique count) for the
shared strings. It reads styles.bin (optional for it) by scanning for BrtBeginCellXFs.
"""

from __future__ import annotations

import struct
import sys
import zipfile
from pathlib import Path

# Record types ([MS-XLSB] 2.3.2)
BrtRowHdr, BrtCellRk, BrtCellBool, BrtCellReal, BrtCellIsst = 0x0000, 0x0002, 0x0004, 0x0005, 0x0007
BrtSSTItem = 0x0013
BrtFont, BrtFill, BrtBorder, BrtXF, BrtStyle = 0x002B, 0x002D, 0x002E, 0x002F, 0x0030
BrtColInfo = 0x003C
BrtFileVersion, BrtBeginSheet, BrtEndSheet = 0x0080, 0x0081, 0x0082
BrtBeginBook, BrtEndBook = 0x0083, 0x0084
BrtBeginWsViews, BrtEndWsViews, BrtBeginBookViews, BrtEndBookViews = 0x0085, 0x0086, 0x0087, 0x0088
BrtBeginWsView, BrtEndWsView = 0x0089, 0x008A
BrtBeginBundleShs, BrtEndBundleShs = 0x008F, 0x0090
BrtBeginSheetData, BrtEndSheetData = 0x0091, 0x0092
BrtWsProp, BrtWsDim, BrtSel = 0x0093, 0x0094, 0x0098
BrtWbProp, BrtBundleSh, BrtCalcProp, BrtBookView = 0x0099, 0x009C, 0x009D, 0x009E
BrtBeginSst, BrtEndSst = 0x009F, 0x00A0
BrtBeginStyleSheet, BrtEndStyleSheet = 0x0116, 0x0117
BrtBeginColInfos, BrtEndColInfos = 0x0186, 0x0187
BrtMargins = 0x01DC
BrtBeginDXFs, BrtEndDXFs, BrtBeginTableStyles, BrtEndTableStyles = 0x01F9, 0x01FA, 0x01FC, 0x01FD
BrtBeginFills, BrtEndFills = 0x025B, 0x025C
BrtBeginFonts, BrtEndFonts, BrtBeginBorders, BrtEndBorders = 0x0263, 0x0264, 0x0265, 0x0266
BrtBeginCellXFs, BrtEndCellXFs, BrtBeginStyles, BrtEndStyles = 0x0269, 0x026A, 0x026B, 0x026C
BrtBeginCellStyleXFs, BrtEndCellStyleXFs = 0x0272, 0x0273

FONT_NAME = "游ゴシック"   # Excel's default font for Japanese since 2016
FONT_TWIPS = 220           # 11 pt
ROW_TWIPS = 375            # 18.75 pt, Excel's default row height for 游ゴシック 11
ZIP_TIME = (2024, 11, 20, 9, 0, 0)
DOC_TIME = "2024-11-20T09:00:00Z"

# Cell XF indexes in styles.bin
XF_GENERAL, XF_BOLD, XF_WRAP = 0, 1, 2


# ---------------------------------------------------------------------------------------
# Record encoding
# ---------------------------------------------------------------------------------------
def record(typ: int, body: bytes = b"") -> bytes:
    """One record: type and size as 7-bit little-endian varints, then the body."""
    assert 0 <= typ < 0x4000, typ
    head = bytearray()
    if typ < 0x80:
        head.append(typ)
    else:
        head += bytes([(typ & 0x7F) | 0x80, typ >> 7])
    size = len(body)
    assert size < 1 << 28, size
    while True:
        b, size = size & 0x7F, size >> 7
        head.append(b | 0x80 if size else b)
        if not size:
            break
    return bytes(head) + body


def u8(v: int) -> bytes:
    return struct.pack("<B", v)


def u16(v: int) -> bytes:
    return struct.pack("<H", v)


def u32(v: int) -> bytes:
    return struct.pack("<I", v)


def i32(v: int) -> bytes:
    return struct.pack("<i", v)


def f64(v: float) -> bytes:
    return struct.pack("<d", v)


def wide(s: str) -> bytes:
    """XLWideString: u32 count of UTF-16 code units, then UTF-16LE."""
    data = s.encode("utf-16-le")
    return u32(len(data) // 2) + data


def nullable_wide(s: str | None) -> bytes:
    """XLNullableWideString: 0xFFFFFFFF for null."""
    return u32(0xFFFFFFFF) if s is None else wide(s)


def color_rgb(r: int, g: int, b: int) -> bytes:
    """BrtColor: fValidRGB=1, xColorType=2 (RGB), index 0, no tint, RGBA."""
    return u8(0x01 | (2 << 1)) + u8(0) + struct.pack("<h", 0) + bytes([r, g, b, 0xFF])


def color_auto() -> bytes:
    """BrtColor: xColorType=0 (automatic)."""
    return u8(0) + u8(0) + struct.pack("<h", 0) + bytes([0, 0, 0, 0xFF])


def cell(col: int, xf: int) -> bytes:
    """Cell structure: column, then iStyleRef (24 bits) with fPhShow and reserved bits 0."""
    return u32(col) + struct.pack("<I", xf & 0xFFFFFF)


# ---------------------------------------------------------------------------------------
# Parts
# ---------------------------------------------------------------------------------------
def workbook_bin(sheets) -> bytes:
    out = [record(BrtBeginBook)]
    # guidCodeName, stAppName, stLastEdited, stLowestEdited, stRupBuild
    out.append(record(BrtFileVersion, bytes(16) + wide("xl") + wide("7") + wide("7")
                      + wide("27328")))
    # flags (1900 date system, no options), dwThemeVersion (no theme part), strName
    out.append(record(BrtWbProp, u32(0) + u32(0) + wide("")))
    out.append(record(BrtBeginBookViews))
    # xWn yWn dxWn dyWn iTabRatio itabFirst itabCur, flags: scroll bars and tabs shown
    out.append(record(BrtBookView, i32(0) + i32(0) + u32(28800) + u32(12300) + u32(600)
                      + u32(0) + u32(0) + u8(0x38)))
    out.append(record(BrtEndBookViews))
    out.append(record(BrtBeginBundleShs))
    for k, sh in enumerate(sheets, 1):
        state = 1 if getattr(sh, "hidden", False) else 0
        out.append(record(BrtBundleSh, u32(state) + u32(k) + nullable_wide(f"rId{k}")
                          + wide(sh.name)))
    out.append(record(BrtEndBundleShs))
    # recalcID, fAutoRecalc, cCalcCount, xnumDelta, cUserProcessor,
    # flags: fRefA1 | fFullPrec | fSaveRecalc | fMTREnabled
    out.append(record(BrtCalcProp, u32(191029) + u32(1) + u32(100) + f64(0.001) + i32(1)
                      + u16(0x02 | 0x08 | 0x20 | 0x40)))
    out.append(record(BrtEndBook))
    return b"".join(out)


def font(bold: bool) -> bytes:
    # dyHeight, grbit, bls, sss, uls, bFamily (3 = modern), bCharSet (128 = SHIFTJIS),
    # unused, brtColor, bFontScheme (0 = none), name
    return (u16(FONT_TWIPS) + u16(0) + u16(700 if bold else 400) + u16(0) + u8(0) + u8(3)
            + u8(128) + u8(0) + color_rgb(0, 0, 0) + u8(0) + wide(FONT_NAME))


def fill(pattern: int) -> bytes:
    # fls, fore/back colors, iGradientType, xnumDegree, four fill-to positions, cNumStop
    return (u32(pattern) + color_auto() + color_auto() + u32(0) + f64(0) * 5 + u32(0))


def xf(parent: int, font_id: int, alc_v: int = 2, wrap: bool = False) -> bytes:
    # ixfeParent, iFmt (0 = General), iFont, iFill, ixBorder, trot, cIndent,
    # flags (alc 0-2, alcv 3-5, fWrap 6, fLocked 12), xfGrbitAtr, unused
    flags = (alc_v << 3) | (0x40 if wrap else 0) | 0x1000
    return (u16(parent) + u16(0) + u16(font_id) + u16(0) + u16(0) + u8(0) + u8(0)
            + u16(flags) + u8(0) + u8(0))


def styles_bin() -> bytes:
    blxf = u8(0) + u8(0) + color_auto()          # no line
    out = [record(BrtBeginStyleSheet)]
    out.append(record(BrtBeginFonts, u32(2)))
    out.append(record(BrtFont, font(False)))
    out.append(record(BrtFont, font(True)))
    out.append(record(BrtEndFonts))
    out.append(record(BrtBeginFills, u32(2)))
    out.append(record(BrtFill, fill(0x00)))       # none
    out.append(record(BrtFill, fill(0x11)))       # gray125 (required second fill)
    out.append(record(BrtEndFills))
    out.append(record(BrtBeginBorders, u32(1)))
    out.append(record(BrtBorder, u8(0) + blxf * 5))
    out.append(record(BrtEndBorders))
    out.append(record(BrtBeginCellStyleXFs, u32(1)))
    out.append(record(BrtXF, xf(0xFFFF, 0)))
    out.append(record(BrtEndCellStyleXFs))
    out.append(record(BrtBeginCellXFs, u32(3)))
    out.append(record(BrtXF, xf(0, 0)))                       # XF_GENERAL
    out.append(record(BrtXF, xf(0, 1)))                       # XF_BOLD
    out.append(record(BrtXF, xf(0, 0, alc_v=1, wrap=True)))   # XF_WRAP
    out.append(record(BrtEndCellXFs))
    out.append(record(BrtBeginStyles, u32(1)))
    # ixf, grbitObj1 (fBuiltIn), iStyBuiltIn (0 = Normal), iLevel, stName
    out.append(record(BrtStyle, u32(0) + u16(1) + u8(0) + u8(0xFF) + nullable_wide("標準")))
    out.append(record(BrtEndStyles))
    out.append(record(BrtBeginDXFs, u32(0)))
    out.append(record(BrtEndDXFs))
    out.append(record(BrtBeginTableStyles, u32(0) + nullable_wide("TableStyleMedium2")
                      + nullable_wide("PivotStyleLight16")))
    out.append(record(BrtEndTableStyles))
    out.append(record(BrtEndStyleSheet))
    return b"".join(out)


def shared_strings_bin(strings: list[str], total: int) -> bytes:
    out = [record(BrtBeginSst, u32(total) + u32(len(strings)))]
    for s in strings:
        out.append(record(BrtSSTItem, u8(0) + wide(s)))   # RichStr without runs
    out.append(record(BrtEndSst))
    return b"".join(out)


def rk_int(v: int) -> bytes | None:
    """RkNumber for an integer that fits in 30 signed bits (fInt=1, fX100=0)."""
    if -(1 << 29) <= v < (1 << 29):
        return struct.pack("<i", (v << 2) | 0x02)
    return None


def style_of(v) -> int:
    """The same emphasis as make_samples.build_workbook gives in xlsx."""
    if isinstance(v, str) and "\n" in v:
        return XF_WRAP
    if isinstance(v, str) and v.startswith(("基本施策", "◆", "【")):
        return XF_BOLD
    return XF_GENERAL


def sheet_bin(sh, sst: dict[str, int], counter: list[int]) -> bytes:
    cells = sh.cells                       # (row, col) 1-based -> value
    rows = sorted({r for r, _ in cells})
    cols = sorted({c for _, c in cells})
    out = [record(BrtBeginSheet)]
    # flags (fShowAutoBreaks, fRowSumsBelow, fColSumsRight, fShowOutlineSymbols),
    # brtcolorTab, rwSync, colSync, strName (code name)
    out.append(record(BrtWsProp, bytes([0xC1, 0x04, 0x00]) + color_auto() + u32(0xFFFFFFFF)
                      + u32(0xFFFFFFFF) + wide("")))
    # rwFirst rwLast colFirst colLast (0-based)
    out.append(record(BrtWsDim, u32(rows[0] - 1) + u32(rows[-1] - 1) + u32(cols[0] - 1)
                      + u32(cols[-1] - 1)))
    out.append(record(BrtBeginWsViews))
    # flags (fDspGrid fDspRwCol fDspZeros fSelected fDspGuts fDefaultHdr), xlView,
    # rwTop, colLeft, icvHdr, reserved, wScale, wScaleNormal/SLV/PLV, iWbkView
    out.append(record(BrtBeginWsView, u16(0x035C) + u32(0) + u32(0) + u32(0) + u8(0x40)
                      + u8(0) + u16(0) + u16(100) + u16(0) + u16(0) + u16(0) + u32(0)))
    # pnn (top-left pane), active cell A1, irefAct, one selected range A1:A1
    out.append(record(BrtSel, u32(3) + u32(0) + u32(0) + u32(0) + u32(1)
                      + u32(0) + u32(0) + u32(0) + u32(0)))
    out.append(record(BrtEndWsView))
    out.append(record(BrtEndWsViews))
    widths = getattr(sh, "widths", {}) or {}
    if widths:
        out.append(record(BrtBeginColInfos))
        for c in sorted(widths):
            # colFirst, colLast, coldx (1/256 character), ixfe, flags (fUserSet)
            out.append(record(BrtColInfo, i32(c - 1) + i32(c - 1) + u32(int(widths[c] * 256))
                              + u32(0) + u16(0x0002)))
        out.append(record(BrtEndColInfos))
    out.append(record(BrtBeginSheetData))
    for r in rows:
        in_row = sorted(c for rr, c in cells if rr == r)
        # rw, ixfe, miyRw, flags ×3, ccolspan, one BrtColSpan (colMic, colLast)
        out.append(record(BrtRowHdr, u32(r - 1) + u32(0) + u16(ROW_TWIPS) + u8(0) + u8(0)
                          + u8(0) + u32(1) + u32(in_row[0] - 1) + u32(in_row[-1] - 1)))
        for c in in_row:
            v = cells[(r, c)]
            head = cell(c - 1, style_of(v))
            if isinstance(v, bool):
                out.append(record(BrtCellBool, head + u8(int(v))))
            elif isinstance(v, int) and rk_int(v) is not None:
                out.append(record(BrtCellRk, head + rk_int(v)))
            elif isinstance(v, (int, float)):
                out.append(record(BrtCellReal, head + f64(float(v))))
            elif isinstance(v, str):
                counter[0] += 1
                idx = sst.setdefault(v, len(sst))
                out.append(record(BrtCellIsst, head + u32(idx)))
            else:
                raise TypeError(f"{sh.name}: cell ({r}, {c}) holds {type(v).__name__}")
    out.append(record(BrtEndSheetData))
    # left, right, top, bottom, header, footer (inches; Excel's "standard" margins)
    out.append(record(BrtMargins, f64(0.7) + f64(0.7) + f64(0.75) + f64(0.75) + f64(0.3)
                      + f64(0.3)))
    out.append(record(BrtEndSheet))
    return b"".join(out)


# ---------------------------------------------------------------------------------------
# Package (OPC) parts
# ---------------------------------------------------------------------------------------
XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006"


def content_types(n_sheets: int) -> str:
    parts = "".join(
        f'<Override PartName="/xl/worksheets/sheet{k}.bin" '
        'ContentType="application/vnd.ms-excel.worksheet"/>' for k in range(1, n_sheets + 1))
    return (XML + f'<Types xmlns="{PKG}/content-types">'
            '<Default Extension="bin" '
            'ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/>'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            + parts +
            '<Override PartName="/xl/styles.bin" ContentType="application/vnd.ms-excel.styles"/>'
            '<Override PartName="/xl/sharedStrings.bin" '
            'ContentType="application/vnd.ms-excel.sharedStrings"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
            '</Types>')


def root_rels() -> str:
    return (XML + f'<Relationships xmlns="{PKG}/relationships">'
            f'<Relationship Id="rId3" Type="{REL}/extended-properties" Target="docProps/app.xml"/>'
            f'<Relationship Id="rId2" Type="{PKG}/relationships/metadata/core-properties" '
            'Target="docProps/core.xml"/>'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.bin"/>'
            '</Relationships>')


def workbook_rels(n_sheets: int) -> str:
    sheets = "".join(
        f'<Relationship Id="rId{k}" Type="{REL}/worksheet" Target="worksheets/sheet{k}.bin"/>'
        for k in range(1, n_sheets + 1))
    return (XML + f'<Relationships xmlns="{PKG}/relationships">' + sheets
            + f'<Relationship Id="rId{n_sheets + 1}" Type="{REL}/styles" Target="styles.bin"/>'
            f'<Relationship Id="rId{n_sheets + 2}" Type="{REL}/sharedStrings" '
            'Target="sharedStrings.bin"/>'
            '</Relationships>')


def esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def core_xml(creator: str) -> str:
    return (XML + '<cp:coreProperties '
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f'<dc:creator>{esc(creator)}</dc:creator>'
            f'<cp:lastModifiedBy>{esc(creator)}</cp:lastModifiedBy>'
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{DOC_TIME}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{DOC_TIME}</dcterms:modified>'
            '</cp:coreProperties>')


def app_xml(sheet_names: list[str]) -> str:
    titles = "".join(f"<vt:lpstr>{esc(n)}</vt:lpstr>" for n in sheet_names)
    return (XML + '<Properties '
            'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            '<Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity>'
            '<ScaleCrop>false</ScaleCrop><HeadingPairs><vt:vector size="2" baseType="variant">'
            '<vt:variant><vt:lpstr>ワークシート</vt:lpstr></vt:variant>'
            f'<vt:variant><vt:i4>{len(sheet_names)}</vt:i4></vt:variant></vt:vector>'
            f'</HeadingPairs><TitlesOfParts><vt:vector size="{len(sheet_names)}" '
            f'baseType="lpstr">{titles}</vt:vector></TitlesOfParts>'
            '<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>'
            '<HyperlinksChanged>false</HyperlinksChanged><AppVersion>16.0300</AppVersion>'
            '</Properties>')


def write_xlsb(path: Path, sheets, creator: str = "小牧市") -> None:
    """Write `sheets` (objects with .name, .cells {(row, col) 1-based: value}, and
    optionally .hidden and .widths {col: width in characters}) as an .xlsb workbook.
    The output is byte-reproducible: fixed zip entry times and document timestamps."""
    sst: dict[str, int] = {}
    counter = [0]
    sheet_parts = [sheet_bin(sh, sst, counter) for sh in sheets]
    strings = sorted(sst, key=sst.get)
    parts = [
        ("[Content_Types].xml", content_types(len(sheets)).encode("utf-8")),
        ("_rels/.rels", root_rels().encode("utf-8")),
        ("docProps/app.xml", app_xml([sh.name for sh in sheets]).encode("utf-8")),
        ("docProps/core.xml", core_xml(creator).encode("utf-8")),
        ("xl/workbook.bin", workbook_bin(sheets)),
        ("xl/_rels/workbook.bin.rels", workbook_rels(len(sheets)).encode("utf-8")),
        *((f"xl/worksheets/sheet{k}.bin", b) for k, b in enumerate(sheet_parts, 1)),
        ("xl/styles.bin", styles_bin()),
        ("xl/sharedStrings.bin", shared_strings_bin(strings, counter[0])),
    ]
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts:
            zi = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            z.writestr(zi, data)


def main() -> None:
    """Rewrite the .xlsb samples of make_samples.py and the golden files, without
    LibreOffice (the other samples are left as they are)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import make_samples as ms
    ms.derive_cross_file(ms.FILES)
    for f in ms.FILES:
        if f.fmt == "xlsb":
            write_xlsb(ms.SAMPLES / f.name, f.sheets)
            print(f"wrote samples/{f.name}")
    vals, iss = ms.write_golden(ms.FILES)
    ms.write_readme(ms.FILES, vals, iss)
    print(f"{len(ms.FILES)} files, {len(vals)} values, {len(iss)} issues")


if __name__ == "__main__":
    main()
