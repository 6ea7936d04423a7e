#!/usr/bin/env python3
"""Writes the corpus of broken and hostile input files under tests/hostile/.

Dev-only (needs openpyxl and msoffcrypto-tool); the generated files are committed, so
tests need neither Python nor LibreOffice. Each file name says what it exercises.
Run from the repository root: python3 tools/make_hostile.py
"""
import io
import os
import zipfile

import msoffcrypto
import openpyxl

OUT = "tests/hostile"
os.makedirs(OUT, exist_ok=True)


def good_xlsx():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "入力"
    ws.append(["指標名", "令和6年度"])
    ws.append(["市税収納率", 97.1])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


# 0 bytes, and plain text with a spreadsheet extension
write("empty.xlsx", b"")
write("text_renamed.xlsx", "これはテキストファイルです\n".encode("utf-8"))

# a workbook cut in half (truncated download / e-mail)
data = good_xlsx()
write("truncated.xlsx", data[: len(data) // 2])

# password-protected (encrypted OOXML inside a compound file)
enc = io.BytesIO()
office = msoffcrypto.OfficeFile(io.BytesIO(good_xlsx()))
office.encrypt("himitsu", enc)
write("password.xlsx", enc.getvalue())

# zip bomb: one 200 MB worksheet of zeros compressed ~1000:1
buf = io.BytesIO()
with zipfile.ZipFile(io.BytesIO(good_xlsx())) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
    for item in src.infolist():
        if item.filename == "xl/worksheets/sheet1.xml":
            dst.writestr(item, b"<" + b"0" * (200 * 1024 * 1024))
        else:
            dst.writestr(item, src.read(item.filename))
write("zip_bomb.xlsx", buf.getvalue())

# a cell at XFD1048576 besides A1: calamine would allocate 17 billion cells
wb = openpyxl.Workbook()
ws = wb.active
ws["A1"] = "指標名"
ws["XFD1048576"] = 1
b = io.BytesIO()
wb.save(b)
write("far_cell.xlsx", b.getvalue())

# shared strings declaring four billion entries (calamine reserves from uniqueCount)
SST = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
       b' count="4000000000" uniqueCount="4000000000"><si><t>x</t></si></sst>')
SST_REL = (b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"'
           b' Target="sharedStrings.xml" Id="rId9" /></Relationships>')
SST_TYPE = (b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
buf = io.BytesIO()
with zipfile.ZipFile(io.BytesIO(good_xlsx())) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
    for item in src.infolist():
        body = src.read(item.filename)
        if item.filename == "xl/_rels/workbook.xml.rels":
            body = body.replace(b"</Relationships>", SST_REL)
        if item.filename == "[Content_Types].xml":
            body = body.replace(b"</Types>", SST_TYPE)
        dst.writestr(item, body)
    dst.writestr("xl/sharedStrings.xml", SST)
write("huge_shared_strings.xlsx", buf.getvalue())

# a 32,767-character cell inside a real table
wb = openpyxl.Workbook()
ws = wb.active
ws.append(["指標名", "令和6年度", "備考"])
ws.append(["市税収納率", "あ" * 32767, "い" * 32767])
b = io.BytesIO()
wb.save(b)
write("long_cell.xlsx", b.getvalue())

# a web page saved with an .xls extension
write("html_saved_as.xls", "<html><body><table><tr><td>指標名</td><td>R6</td></tr></table></body></html>".encode("utf-8"))

# CSV with NUL bytes, and CSV with bytes that are neither UTF-8 nor Shift_JIS
write("nul_bytes.csv", b"\xe6\x8c\x87\xe6\xa8\x99\xe5\x90\x8d,R6\n\x00\x00\x00,1\n")
write("invalid_bytes.csv", "指標名,令和6年度\n市税収納率,".encode("utf-8") + b"\xff\xfe\xfa\x80\n")

# an .xlsb whose last cell sits at XFD1048576 (calamine would allocate the whole sheet)
import struct

with open("samples/人事課_研修実績_R6.xlsb", "rb") as f:
    xlsb = f.read()
buf = io.BytesIO()
END_SHEET_DATA = bytes([0x92, 0x01, 0x00])
with zipfile.ZipFile(io.BytesIO(xlsb)) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
    for item in src.infolist():
        body = src.read(item.filename)
        if item.filename == "xl/worksheets/sheet1.bin":
            row = bytes([0x00, 12]) + struct.pack("<I", 1048575) + bytes(8)
            cell = bytes([0x05, 16]) + struct.pack("<II", 16383, 0) + struct.pack("<d", 1.0)
            at = body.rfind(END_SHEET_DATA)
            body = body[:at] + row + cell + body[at:]
        dst.writestr(item, body)
write("far_cell.xlsb", buf.getvalue())
