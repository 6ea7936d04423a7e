#!/usr/bin/env python3
"""Fills a generated input template with openpyxl, a writer other than shukei's, and
writes the test fixtures of the template round trip (tests/fixtures/template/).

    pip install openpyxl
    python3 tools/fill_template.py   # from the repository root

Reads templates/入力様式/入力様式_広報広聴課_令和7年度.xlsx (regenerate it first with
`shukei template --all -o templates/入力様式` if the catalogue changed) and writes:

- 入力様式_広報広聴課_令和7年度_記入済.xlsx: filled as intended.
- 指標報告_記入済_並べ替え.xlsx: the same values, but rows sorted by ID descending, a
  blank row and a note row inserted, the input sheet renamed to R7実績, and no
  department in the file name (it must come from the hidden metadata).
- 入力様式_広報広聴課_令和7年度_不備.xlsx: filled badly: text in number cells, a value
  with a wrong unit, a deleted row, a changed ID, a renamed sheet.

The expected results are in tests/integration/template.rs; keep both in step. The
fixtures are committed: tests never run Python.
"""

from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "templates" / "入力様式" / "入力様式_広報広聴課_令和7年度.xlsx"
OUT = ROOT / "tests" / "fixtures" / "template"

HEADER_ROW = 4  # 1-based, as openpyxl counts
YEAR_COL = 6  # F: 令和7年度; G..R: 令和7年4月..令和8年3月; S: 備考
NOTE_COL = 19

# indicator ID -> (fiscal-year value, monthly values from April, note)
VALUES = {
    "30-0-3": (45.2, [], "市民意識調査（令和7年度）"),
    "30-3-1": (None, [712345, 698001, 730512, 745000, 701234, 688888], None),
    "30-3-2": (None, [812, 815, 819, 824, 828, 833], None),
    "30-3-3": (None, [80123, 80456, 80790, 81002, 81350, 81777], None),
    "30-3-4": (None, [15, 22, 18, 0, 25, 30], "8月は講座なし"),
    "31-1-2": (None, [], "年度末に確定"),
}


def data_rows(ws):
    """Row numbers of the template's indicator rows, by ID."""
    rows = {}
    for row in range(HEADER_ROW + 1, ws.max_row + 1):
        value = ws.cell(row=row, column=1).value
        if value:
            rows[str(value)] = row
    return rows


def fill(ws):
    for ind, row in data_rows(ws).items():
        year, months, note = VALUES[ind]
        if year is not None:
            ws.cell(row=row, column=YEAR_COL, value=year)
        for i, v in enumerate(months):
            ws.cell(row=row, column=YEAR_COL + 1 + i, value=v)
        if note:
            ws.cell(row=row, column=NOTE_COL, value=note)


def filled():
    wb = openpyxl.load_workbook(TEMPLATE)
    fill(wb["入力"])
    wb.save(OUT / "入力様式_広報広聴課_令和7年度_記入済.xlsx")


def rearranged():
    wb = openpyxl.load_workbook(TEMPLATE)
    ws = wb["入力"]
    fill(ws)
    rows = sorted(data_rows(ws).values())
    contents = [[ws.cell(row=r, column=c).value for c in range(1, NOTE_COL + 1)] for r in rows]
    contents.sort(key=lambda r: r[0], reverse=True)
    for r, values in zip(rows, contents):
        for c, v in enumerate(values, start=1):
            ws.cell(row=r, column=c).value = v  # cell(value=None) would keep the old value
    ws.insert_rows(rows[2])  # a blank row in the middle
    ws.insert_rows(rows[4])  # a note row without ID or values
    ws.cell(row=rows[4], column=2, value="（参考）閲覧数の内訳は別紙のとおり")
    ws.title = "R7実績"
    wb.save(OUT / "指標報告_記入済_並べ替え.xlsx")


def bad():
    wb = openpyxl.load_workbook(TEMPLATE)
    ws = wb["入力"]
    fill(ws)
    rows = data_rows(ws)
    month = lambda i: YEAR_COL + 1 + i  # noqa: E731  (0 = April)
    ws.cell(row=rows["30-3-2"], column=month(1), value="約815")  # text: E-VALUE-NONNUMERIC
    ws.cell(row=rows["30-3-2"], column=month(2), value="調査中")  # W-VALUE-PENDING
    ws.cell(row=rows["30-3-3"], column=month(0), value="80,123人")  # right unit: read as 80123
    ws.cell(row=rows["30-3-3"], column=month(1), value="80,456件")  # wrong unit: E-VALUE-UNIT
    ws.cell(row=rows["30-3-4"], column=1, value="30-3-9")  # changed ID: E-INDICATOR-UNKNOWN
    ws.delete_rows(rows["31-1-2"])  # deleted row: W-TEMPLATE-ROW-MISSING
    ws.title = "入力（広報）"
    wb.save(OUT / "入力様式_広報広聴課_令和7年度_不備.xlsx")


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    filled()
    rearranged()
    bad()


if __name__ == "__main__":
    main()
