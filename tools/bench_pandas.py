#!/usr/bin/env python3
"""The peer for tools/bench.sh: what a municipal analyst would write with pandas.

Reads every workbook with pd.read_excel(engine='openpyxl', sheet_name=None,
header=None), finds the header row of each sheet (the first row with a cell such
as 指標名 / 項目 / 年月), takes the rows below it as the table and melts the other
columns into (file, sheet, indicator, column, value) rows, keeping the numeric ones.
It does much less than shukei (no merged headers, no era/unit parsing, no validation,
no report): a lower bound for the pandas way, not a re-implementation.

usage: bench_pandas.py [--limit N] DIR...
prints: files=N cells=M values=K seconds=S
"""

import sys
import time
from pathlib import Path

import pandas as pd

HEADER_WORDS = {"指標名", "指標", "項目", "指標名称", "KPI", "年月", "成果指標"}


def find_header(frame):
    """(row, column) of the first header word, or None."""
    for i, row in enumerate(frame.itertuples(index=False)):
        for j, v in enumerate(row):
            if isinstance(v, str) and v.strip() in HEADER_WORDS:
                return i, j
    return None


def melt_sheet(frame, file, sheet):
    found = find_header(frame)
    if found is None:
        return None
    start, key_col = found
    # Unique column names (side-by-side tables repeat 指標名).
    header = [f"{v}#{i}" if pd.notna(v) else f"col{i}" for i, v in enumerate(frame.iloc[start])]
    body = frame.iloc[start + 1 :].copy()
    body.columns = header
    key = header[key_col]
    long = body.melt(id_vars=[key], var_name="column", value_name="value")
    long["value"] = pd.to_numeric(long["value"], errors="coerce")
    long = long.dropna(subset=["value"])
    long["file"] = file
    long["sheet"] = sheet
    return long


def main(argv):
    limit = None
    if len(argv) >= 2 and argv[0] == "--limit":
        limit = int(argv[1])
        argv = argv[2:]
    files = sorted(p for d in argv for p in Path(d).rglob("*.xlsx"))
    if limit is not None:
        files = files[:limit]
    started = time.perf_counter()
    cells = 0
    parts = []
    for path in files:
        sheets = pd.read_excel(path, engine="openpyxl", sheet_name=None, header=None)
        for name, frame in sheets.items():
            cells += int(frame.notna().sum().sum())
            long = melt_sheet(frame, path.name, name)
            if long is not None:
                parts.append(long)
    values = sum(len(p) for p in parts)
    if parts:
        pd.concat(parts, ignore_index=True).to_csv("/dev/null", index=False)
    seconds = time.perf_counter() - started
    print(f"files={len(files)} cells={cells} values={values} seconds={seconds:.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
