#!/usr/bin/env python3
"""Generate shukei's sample department submissions and their expected results.

Dev-only. The Rust build and tests never run this; they read what it wrote:

    samples/*                          the department files (committed)
    samples/README.md                  what each file exercises
    tests/golden/samples/values.tsv    every value cell that must be extracted
    tests/golden/samples/issues.tsv    every problem cell planted on purpose
    tests/golden/samples/files.tsv     every sample file: department, format, sheets

Usage (from the repository root):

    pip install openpyxl            # 3.1
    python3 tools/make_samples.py   # needs `soffice` (LibreOffice) on PATH
    python3 tools/make_xlsb.py      # only the .xlsb sample and the golden files (no soffice)

Everything the files contain is embedded below (no reading of ../shared at run time).
The expected results are recorded while each cell is written, and the cross-file
findings (department not responsible, conflicts, superseded versions) are derived from
the same recorded data, so the golden files cannot drift from the samples.

Scenario: 令和6年度 (FY2024) annual figures for most indicators, plus monthly figures
令和6年4月 … 令和6年11月 for some (reporting month 2024-11). Values are made up but
plausible against the plan's 基準値. No personal data.

Which file covers what (see also samples/README.md, generated from FILES below):

  支え合い協働推進課_令和6年度実績.xlsx          clean file, no problem at all; 指標名/単位/令和6年度
  支え合い協働推進課_ワクティブ登録団体数_2024年11月.csv
                                                  CSV UTF-8 with BOM; monthly 令和6年4月 labels;
                                                  title line; OCR name ワークタイプこまき; `265 団体`
  自治会支援室_R6実績報告.xlsx                   指標名称 / 令和６年度 header; `252 人`, `1,830 世帯`;
                                                  name with a line break; 別紙のとおり (NONNUMERIC)
  広報広聴課_令和6年度実績.xlsx                  two tables side by side; Ｒ６ and R6年度実績 headers;
                                                  `768,120 件/月`, `7.6万`, `52.3%`; 市 SNS のフォロワー数,
                                                  デジタルデバйд; conflict on 30-3-4 with 行政改革課
  広報広聴課_動画投稿数_月次.xlsx                monthly header of real date cells formatted
                                                  [$-ja-JP-x-gannen]ggge"年"m"月" and ggge"年"m"月"
  行政改革課_令和6年度実績.xlsx                  the seed's layout: 基本施策 titles, ◆展開方向, ※ notes,
                                                  spacer rows, several tables per sheet, two sheets;
                                                  0.874 formatted 0.0%; `62,317千円`; `3課室`; 調査中
  行政改革課_スマホ教室等実績_R6.xlsm            .xlsm; KPI / R06 header; 担当課 column; 30-3-4 sent
                                                  by a department not responsible (and in conflict)
  行政改革課_オンライン申請数_月次.tsv           TSV (UTF-8, no BOM); 2024-04 labels; △1,234 on a count
  行政改革課_指定管理施設利用者数_月別.xlsx      two-row header, 令和6年度 merged over 4月…3月
  市民窓口課_月次報告_R6.csv                     CSV in CP932 with ① ㈱ in 備考; 2024/4 labels; name
                                                  with a leading full-width space; 集計中; unknown
                                                  indicator マイナンバーカード普及率
  市民窓口課_窓口統計_令和6年度.xlsx             transposed table (months down, indicators across);
                                                  2024年4月 labels; `74.5%` text; full-width space in a
                                                  name; 124.6% (PERCENT-RANGE)
  秘書政策課_包括連携_令和6年度.xlsx             項目 / ㋿6 header; full-width digits `６２`
  人事課_R6指標報告.xls                          .xls; title row; two-row header 実績値 merged over
                                                  令6/令7/令8; `2/17 団体` rank; #DIV/0! formula;
                                                  `62.4人` on a % indicator (UNIT); name with line break
  人事課_コンプライアンス指標_R6.xlsx            FY2024 header; hidden sheet with a real table
  人事課_研修実績_R6.xlsb                        .xlsb written by tools/make_xlsb.py (shared strings,
                                                  BrtCellReal and BrtCellRk numbers); `158 人` as
                                                  text; values equal to 人事課's other files
  財政課_報告_20241105.xlsx / _20241120.xlsx     older/newer version, one value changed; ID, 単位
                                                  columns; 2024年度 header; formula =138693+21530 with
                                                  cached value; `1,412,508,000円` for a 千円 indicator;
                                                  `▲0.2%` (a legitimately negative ratio); 33-0-3 of
                                                  資産管理課 repeated (not responsible, same value)
  資産管理課_令和6年度指標.ods                   .ods; 令和6年度実績 header
  収税課_市税収納率_R6月次.csv                   CSV UTF-8 without BOM; R6.4 labels; monthly cumulative
                                                  収納率; `－` and `-` for months not yet reported
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

try:
    import openpyxl
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
except ImportError:  # pragma: no cover
    sys.exit("openpyxl is required: pip install openpyxl")

import make_xlsb  # noqa: E402  (tools/make_xlsb.py: the stdlib-only .xlsb writer)

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GOLDEN = ROOT / "tests" / "golden" / "samples"

# ---------------------------------------------------------------------------------------
# Catalogue excerpt (from the plan, 基本施策 30–33). id -> (correct name, unit, 担当課, 基準値)
# Names are the correct spellings; the seed's OCR slips are used on purpose in some files.
# ---------------------------------------------------------------------------------------
CATALOGUE: dict[str, tuple[str, str, str, str]] = {
    "30-0-1": ("市内の公益的活動(ボランティア活動、市民活動、NPO活動、事業所などの地域貢献活動など)に過去1年間で1回以上参加したことがある市民の割合", "%", "支え合い協働推進課", "—"),
    "30-0-2": ("区や、区を単位とした地域活動(地域3あい事業、子ども会、老人クラブなど)に過去1年間で1回以上参加したことがある市民の割合", "%", "自治会支援室", "—"),
    "30-0-3": ("市からの情報発信が充実していると感じる市民の割合", "%", "広報広聴課", "—"),
    "30-1-1": ("こまき市民交流テラス「ワクティブこまき」利用登録団体数", "団体", "支え合い協働推進課", "262 団体"),
    "30-1-2": ("協働による事業実施数", "事業", "支え合い協働推進課", "73 事業"),
    "30-2-1": ("区長を対象とした研修会などの参加者数", "人", "自治会支援室", "238 人"),
    "30-2-2": ("自治会連絡網アプリケーションを活用する世帯数", "世帯", "自治会支援室", "495 世帯"),
    "30-3-1": ("市ホームページへのアクセス件数", "件/月", "広報広聴課", "740,454 件/月"),
    "30-3-2": ("市政情報に関する動画の投稿数(累計)", "件", "広報広聴課", "759 件"),
    "30-3-3": ("市SNSのフォロワー数", "人", "広報広聴課", "73,390 人"),
    "30-3-4": ("デジタルデバイド対策(スマホ講座、スマホ相談会等)の参加者数", "人", "広報広聴課", "189 人"),
    "30-3-5": ("オープンデータとして公開したデータ数", "件", "行政改革課", "—"),
    "31-0-1": ("マイナンバーカード保有率", "%", "市民窓口課", "66.8%"),
    "31-0-2": ("来庁件数(呼び出しシステムによる発券数)", "件", "市民窓口課", "183,554 件"),
    "31-0-3": ("各種証明書の交付におけるコンビニ交付の割合(公用による交付は含まない)", "%", "市民窓口課", "20.0%"),
    "31-0-4": ("指定管理者制度導入施設の利用者数", "人", "行政改革課", "1,873,483 人"),
    "31-0-5": ("行政サービスに満足している市民の割合", "%", "行政改革課", "—"),
    "31-1-1": ("転入予約型ワンストップ窓口の利用者数", "件", "市民窓口課", "65 件"),
    "31-1-2": ("こまき山コンシェルジュの回答について、市民に「役に立った」と評価された割合", "%", "広報広聴課", "—"),
    "31-1-3": ("オンライン申請が可能な行政手続数", "件", "行政改革課", "122 件"),
    "31-1-4": ("オンライン申請数", "件", "行政改革課", "257,971 件"),
    "31-2-1": ("協定等を締結した事業者等と連携して実施した事業数", "件", "秘書政策課", "56件"),
    "31-2-2": ("指定管理者制度導入・民間移管を新たに実施した施設数(累計)", "件", "行政改革課", "0件"),
    "31-2-3": ("「課題提案型実証事業」に基づいて実証した事業数(累計)", "件", "行政改革課", "2件"),
    "32-0-1": ("人件費比率(普通会計ベース)", "%", "人事課", "15.3% (令和3年度)"),
    "32-0-2": ("類似団体における職員数の順位", "位", "人事課", "3/17 団体"),
    "32-0-3": ("自治体経営に係る展開方向の進捗状況を測定するための指標の改善数", "件", "行政改革課", "—"),
    "32-1-1": ("新規採用職員の充足率", "%", "人事課", "91.9%"),
    "32-1-2": ("行動指針に基づいた行動ができていない職員の割合", "%", "人事課", "—"),
    "32-1-3": ("自己啓発に取り組んだ職員数", "人", "人事課", "146 人"),
    "32-1-4": ("年次有給休暇の取得率(行政職)", "%", "人事課", "58.5%"),
    "32-1-5": ("組織横断的なプロジェクトチームの設置数", "件", "行政改革課", "6件"),
    "32-2-1": ("内部統制制度において識別した不備の件数", "件", "人事課", "15 件"),
    "32-2-2": ("ハラスメントを受けたと感じた時にどこにも相談しなかった職員の数", "件", "人事課", "30 件"),
    "32-3-1": ("行政評価による削減額(累計)", "千円", "行政改革課", "49,972千円"),
    "32-3-2": ("デジタルの活用に関する研修受講者数", "人", "行政改革課", "190人"),
    "32-4-1": ("業務プロセスの見直しや業務改善を実施した事業数", "件", "行政改革課", "260件"),
    "32-4-2": ("文書電子処理率(電子による起案・供覧の処理率)", "%", "行政改革課", "71.3%"),
    "32-4-3": ("フリーアドレスの導入部署数(累計)", "課室", "行政改革課", "0課室"),
    "33-0-1": ("経常収支比率(参考:類似団体順位)", "%", "財政課", "88.7% (27/37 団体) (令和3年度)"),
    "33-0-2": ("財政力指数(参考:類似団体順位)", "", "財政課", "1.22 (4/37 団体) (令和3年度)"),
    "33-0-3": ("有形固定資産減価償却率(資産老朽化比率)", "%", "資産管理課", "52.8% (令和3年度)"),
    "33-1-1": ("こまき応援寄附金の寄附額", "千円", "財政課", "1,325,815 千円"),
    "33-1-2": ("市税収納率", "%", "収税課", "96.7% (令和3年度)"),
    "33-2-1": ("前年度当初予算と比べた経常事業経費の削減額(累計)", "千円", "財政課", "138,693 千円"),
    "33-3-1": ("実質公債費比率", "%", "財政課", "0.8% (令和3年度)"),
    "33-4-1": ("保全計画に基づいて実施した施設の修繕・改修件数(累計)", "件", "資産管理課", "8件"),
}
assert len(CATALOGUE) == 47

TREND = {"30-0-1": "↗", "31-0-2": "↘", "32-0-1": "↘", "32-2-1": "↘", "32-2-2": "↘",
         "33-0-1": "→(↗)", "33-0-2": "→(↗)", "33-0-3": "↘", "33-3-1": "2.5%以内"}


def trend(i: str) -> str:
    return TREND.get(i, "↗")


def name(i: str) -> str:
    return CATALOGUE[i][0]


def base(i: str) -> str:
    return CATALOGUE[i][3]


# Units that are counts: a negative value is an error there.
COUNT_UNITS = {"件", "人", "団体", "世帯", "事業", "課室", "件/月", "位"}

# Seed wording of the notes row and the titles
NOTE = "※基準値は原則として令和4年度実績値、それ以外の場合は()書きで基準年度等を示しています。"
FY = "FY2024"
MONTHS = [f"2024-{m:02d}" for m in range(4, 13)] + [f"2025-{m:02d}" for m in range(1, 4)]
REPORTED = MONTHS[:8]  # 2024-04 … 2024-11


# ---------------------------------------------------------------------------------------
# A tiny in-memory sheet model that records the expectations as cells are written.
# ---------------------------------------------------------------------------------------
@dataclass
class Formula:
    text: str          # "=138693+21530"
    cached: object     # what LibreOffice will cache (for the golden data only)


@dataclass
class Expect:
    ind: str
    period: str
    value: str         # plain decimal in the catalogue's unit


@dataclass
class Sheet:
    name: str
    hidden: bool = False
    cells: dict = field(default_factory=dict)       # (row, col) -> value
    fmts: dict = field(default_factory=dict)        # (row, col) -> number format
    merges: list = field(default_factory=list)      # "A1:C1"
    widths: dict = field(default_factory=dict)      # col -> width
    values: list = field(default_factory=list)      # (row, col, Expect)
    issues: list = field(default_factory=list)      # (row, col, code)
    names: list = field(default_factory=list)       # (row, col, indicator id) name cells

    def put(self, r: int, c: int, v, fmt: str | None = None):
        assert (r, c) not in self.cells, (self.name, r, c)
        if v is None or v == "":
            return
        self.cells[(r, c)] = v
        if fmt:
            self.fmts[(r, c)] = fmt

    def val(self, r, c, raw, ind, period, value, fmt=None, issue=None):
        """A cell whose value must be extracted (possibly with a non-blocking issue)."""
        assert ind in CATALOGUE, ind
        self.put(r, c, raw, fmt)
        self.values.append((r, c, Expect(ind, period, plain(value))))
        if issue:
            self.issues.append((r, c, issue))

    def bad(self, r, c, raw, code, fmt=None):
        """A planted problem cell that yields no value."""
        self.put(r, c, raw, fmt)
        self.issues.append((r, c, code))

    def iname(self, r, c, ind, text=None):
        """A name cell of a known indicator."""
        self.put(r, c, text if text is not None else name(ind))
        self.names.append((r, c, ind))

    def merge(self, r1, c1, r2, c2):
        self.merges.append(f"{a1(r1, c1)}:{a1(r2, c2)}")


def plain(value) -> str:
    """A plain decimal without exponent or trailing zeros: 45.0 -> 45, 1.190 -> 1.19."""
    d = Decimal(str(value))
    t = format(d, "f")
    if "." in t:
        t = t.rstrip("0").rstrip(".")
    return "0" if t in ("-0", "") else t


def a1(r: int, c: int) -> str:
    return f"{get_column_letter(c)}{r}"


@dataclass
class SampleFile:
    name: str          # file name in samples/
    fmt: str           # xlsx | xlsm | xlsb | xls | ods | csv-bom | csv | csv-cp932 | tsv
    sheets: list
    covers: str        # for the README
    roundtrip: bool = False   # xlsx through LibreOffice to cache formula values

    @property
    def department(self) -> str:
        return self.name.split("_", 1)[0]

    @property
    def is_text(self) -> bool:
        return self.fmt in ("csv", "csv-bom", "csv-cp932", "tsv")


FILES: list[SampleFile] = []


def sample(name, fmt, covers, roundtrip=False):
    def deco(fn):
        sheets = fn()
        FILES.append(SampleFile(name, fmt, sheets if isinstance(sheets, list) else [sheets],
                                covers, roundtrip))
        return fn
    return deco


MONTH_JA = [f"{m}月" for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)]


def month_labels(style: str) -> list:
    out = []
    for p in MONTHS:
        y, m = int(p[:4]), int(p[5:])
        r = y - 2018
        out.append({
            "reiwa": f"令和{r}年{m}月",
            "r.m": f"R{r}.{m}",
            "slash": f"{y}/{m}",
            "nen": f"{y}年{m}月",
            "iso": p,
        }[style])
    return out


# ---------------------------------------------------------------------------------------
# The samples
# ---------------------------------------------------------------------------------------
@sample("支え合い協働推進課_令和6年度実績.xlsx", "xlsx",
        "A clean, simple file with no problem at all: one table, header 指標名 | 単位 | 基準値 | "
        "令和6年度 | 目指す方向, plain numbers, canonical names.")
def _():
    s = Sheet("令和6年度")
    for c, h in enumerate(["指標名", "単位", "基準値", "令和6年度", "目指す方向"], 1):
        s.put(1, c, h)
    rows = [("30-0-1", 38.2), ("30-1-2", 78)]
    for r, (i, v) in enumerate(rows, 2):
        s.iname(r, 1, i)
        s.put(r, 2, CATALOGUE[i][1])
        s.put(r, 3, base(i))
        s.val(r, 4, v, i, FY, v)
        s.put(r, 5, trend(i))
    s.widths = {1: 60, 2: 8, 3: 12, 4: 12, 5: 10}
    return s


@sample("支え合い協働推進課_ワクティブ登録団体数_2024年11月.csv", "csv-bom",
        "CSV UTF-8 with BOM (CRLF); a title line and a blank line above the header; monthly "
        "columns 令和6年4月 … 令和7年3月 (indicator rows × month columns); OCR name "
        "ワークタイプこまき; values with a unit suffix `265 団体`; future months empty.")
def _():
    s = Sheet("")
    s.put(1, 1, "ワクティブこまき 利用登録団体数（各月末時点）")
    hdr = ["指標名"] + month_labels("reiwa") + ["備考"]
    for c, h in enumerate(hdr, 1):
        s.put(3, c, h)
    s.iname(4, 1, "30-1-1", "こまき市民交流テラス「ワークタイプこまき」利用登録団体数")
    vals = [265, 266, 268, 268, 270, 271, 273, 274]
    for k, v in enumerate(vals):
        raw = f"{v} 団体" if k == 0 else v
        s.val(4, 2 + k, raw, "30-1-1", REPORTED[k], v)
    s.put(4, 14, "月末時点の登録団体数")
    return s


@sample("自治会支援室_R6実績報告.xlsx", "xlsx",
        "Header variants 指標名称 and 令和６年度 (full-width digit); values with unit suffix "
        "`252 人`, `1,830 世帯`; a name broken over two lines (Alt+Enter); 備考 column; "
        "`別紙のとおり` in a value cell (E-VALUE-NONNUMERIC); R7/R8 shown as —.")
def _():
    s = Sheet("Sheet1")
    s.put(1, 1, "自治会支援室　令和6年度 指標実績")
    for c, h in enumerate(["指標名称", "基準値", "令和６年度", "R7", "R8", "目指す方向", "備考"], 1):
        s.put(3, c, h)
    s.iname(4, 1, "30-0-2")
    s.put(4, 2, base("30-0-2"))
    s.bad(4, 3, "別紙のとおり", "E-VALUE-NONNUMERIC")
    s.put(4, 7, "市民意識調査結果（別紙）参照")
    s.iname(5, 1, "30-2-1")
    s.put(5, 2, base("30-2-1"))
    s.val(5, 3, "252 人", "30-2-1", FY, 252)
    s.iname(6, 1, "30-2-2", "自治会連絡網アプリケーションを\n活用する世帯数")
    s.put(6, 2, base("30-2-2"))
    s.val(6, 3, "1,830 世帯", "30-2-2", FY, 1830)
    s.put(6, 7, "結ネット登録世帯数（11月末）")
    for r in (4, 5, 6):
        s.put(r, 4, "—")
        s.put(r, 5, "—")
        s.put(r, 6, trend("30-2-1"))
    s.widths = {1: 50, 7: 30}
    return s


@sample("広報広聴課_令和6年度実績.xlsx", "xlsx",
        "Two tables side by side on one sheet (A:D and F:I) with headers Ｒ６ and R6年度実績; "
        "`52.3%` text; `768,120 件/月`; `7.6万` (=76000); names 市 SNS のフォロワー数 and "
        "デジタルデバйд…; 30-3-4 = 412 conflicts with 行政改革課's 398 (E-CONFLICT).")
def _():
    s = Sheet("R6実績")
    s.put(1, 1, "広報広聴課 指標実績（令和6年度）")
    s.put(3, 1, "■まちの状態を表す指標・展開方向3")
    s.put(3, 6, "■その他")
    for c, h in enumerate(["指標名", "基準値", "Ｒ６", "目指す方向"], 1):
        s.put(4, c, h)
    for c, h in enumerate(["指標名", "基準値", "R6年度実績", "目指す方向"], 6):
        s.put(4, c, h)
    left = [("30-0-3", None, "52.3%", 52.3),
            ("30-3-1", None, "768,120 件/月", 768120),
            ("30-3-4", "デジタルデバйд対策(スマホ講座、スマホ相談会等)の参加者数", 412, 412)]
    for r, (i, nm, raw, v) in enumerate(left, 5):
        s.iname(r, 1, i, nm)
        s.put(r, 2, base(i))
        s.val(r, 3, raw, i, FY, v)
        s.put(r, 4, trend(i))
    right = [("30-3-3", "市 SNS のフォロワー数", "7.6万", 76000),
             ("31-1-2", None, "83.4%", 83.4)]
    for r, (i, nm, raw, v) in enumerate(right, 5):
        s.iname(r, 6, i, nm)
        s.put(r, 7, base(i))
        s.val(r, 8, raw, i, FY, v)
        s.put(r, 9, trend(i))
    s.put(9, 1, "※フォロワー数はLINE・X・Instagram・Facebookの合計")
    s.widths = {1: 44, 6: 44}
    return s


@sample("広報広聴課_動画投稿数_月次.xlsx", "xlsx",
        "Monthly header made of real Excel date cells (2024-04-01 …) formatted "
        "[$-ja-JP-x-gannen]ggge\"年\"m\"月\" (April–September) and ggge\"年\"m\"月\" "
        "(October–March); cumulative counts; future months empty.")
def _():
    s = Sheet("月次")
    s.put(1, 1, "市政情報動画 投稿数（累計）")
    s.put(3, 1, "指標名")
    for k, p in enumerate(MONTHS):
        d = dt.datetime(int(p[:4]), int(p[5:]), 1)
        f = '[$-ja-JP-x-gannen]ggge"年"m"月"' if k < 6 else 'ggge"年"m"月"'
        s.put(3, 2 + k, d, f)
    s.iname(4, 1, "30-3-2")
    for k, v in enumerate([771, 775, 779, 782, 786, 790, 795, 799]):
        s.val(4, 2 + k, v, "30-3-2", REPORTED[k], v)
    s.widths = {1: 40, **{c: 12 for c in range(2, 14)}}
    return s


@sample("行政改革課_令和6年度実績.xlsx", "xlsx",
        "The seed's own layout: 基本施策 31 / 行政サービス title rows, ◆基本施策の目的, "
        "【まちの状態を表す指標】, ◆展開方向n: titles, ※ notes, blank spacer rows, several "
        "tables on each of two sheets; columns 指標名 | 基準値 | R6 | R7 | R8 | 目指す方向; other "
        "departments' rows left as —; 0.874 formatted 0.0% (=87.4); `62,317千円`; `3課室`; "
        "`調査中` (W-VALUE-PENDING).")
def _():
    hdr = ["指標名", "基準値", "R6", "R7", "R8", "目指す方向"]

    def block(s, r, title, rows):
        if title:
            s.put(r, 1, title)
            r += 1
        for c, h in enumerate(hdr, 1):
            s.put(r, c, h)
        r += 1
        for i, raw, v, fmt in rows:
            s.iname(r, 1, i)
            s.put(r, 2, base(i))
            if raw == "—":
                s.put(r, 3, "—")
            elif raw == "調査中":
                s.bad(r, 3, raw, "W-VALUE-PENDING")
            else:
                s.val(r, 3, raw, i, FY, v, fmt)
            s.put(r, 4, "—")
            s.put(r, 5, "—")
            s.put(r, 6, trend(i))
            r += 1
        return r

    dash = lambda i: (i, "—", None, None)  # noqa: E731
    s = Sheet("基本施策31")
    s.put(1, 1, "基本施策 31")
    s.put(2, 1, "行政サービス")
    s.put(4, 1, "◆基本施策の目的")
    s.put(5, 1, "サービスの受益者であり負担者でもある市民に対し、利便性・質の高い行政サービスを提供します。")
    r = 7
    r = block(s, r, "【まちの状態を表す指標】",
              [dash("31-0-1"), dash("31-0-2"), dash("31-0-3"), dash("31-0-4"),
               ("31-0-5", "調査中", None, None)])
    r = block(s, r + 1, "◆展開方向1:利便性の高い市民サービスを提供します",
              [dash("31-1-1"), dash("31-1-2"), ("31-1-3", 131, 131, None), dash("31-1-4")])
    s.put(r + 1, 1, NOTE)
    r = block(s, r + 3, "◆展開方向2:民間活力の活用や連携を推進します",
              [dash("31-2-1"), ("31-2-2", 1, 1, None), ("31-2-3", 4, 4, None)])
    s.put(r + 1, 1, NOTE)
    s.widths = {1: 70, 2: 16}

    t = Sheet("基本施策32")
    t.put(1, 1, "基本施策 32")
    t.put(1, 2, "行政運営")
    t.put(3, 1, "◆基本施策の目的")
    t.put(4, 1, "これからの時代に必要とされる人材の育成やコンプライアンスの推進、課題解決につながる組織体制の構築、経営資源の適正配分などを通じて効果的・効率的な行政運営を推進します。")
    r = 6
    r = block(t, r, "【まちの状態を表す指標】",
              [dash("32-0-1"), dash("32-0-2"), ("32-0-3", 5, 5, None)])
    r = block(t, r + 1, "◆展開方向1:行政を取り巻く環境に即した人材マネジメントと組織体制の整備を行います",
              [dash("32-1-1"), dash("32-1-2"), dash("32-1-3"), dash("32-1-4"),
               ("32-1-5", 8, 8, None)])
    r = block(t, r + 1, "◆展開方向3:事業効果の高い施策形成に取り組みます",
              [("32-3-1", "62,317千円", 62317, None), ("32-3-2", 236, 236, None)])
    r = block(t, r + 1, "◆展開方向4:業務の改善・効率化を推進します",
              [("32-4-1", 281, 281, None), ("32-4-2", 0.874, 87.4, "0.0%"),
               ("32-4-3", "3課室", 3, None)])
    t.put(r + 1, 1, NOTE)
    t.widths = {1: 70, 2: 16}
    return [s, t]


@sample("行政改革課_スマホ教室等実績_R6.xlsm", "xlsm",
        ".xlsm (macro-enabled container, written by LibreOffice); header KPI | R06 | 担当課 | 備考; "
        "30-3-4 reported by 行政改革課 which is not responsible (W-DEPARTMENT-NOT-RESPONSIBLE) "
        "and with a value (398) different from 広報広聴課's 412 (E-CONFLICT).")
def _():
    s = Sheet("スマホ教室等")
    for c, h in enumerate(["KPI", "R06", "担当課", "備考"], 1):
        s.put(1, c, h)
    s.iname(2, 1, "30-3-4")
    s.val(2, 2, 398, "30-3-4", FY, 398)
    s.put(2, 3, "行政改革課")
    s.put(2, 4, "出張スマホ教室を含む（広報広聴課分と重複あり）")
    s.iname(3, 1, "30-3-5")
    s.val(3, 2, 64, "30-3-5", FY, 64)
    s.put(3, 3, "行政改革課")
    s.put(3, 4, "オープンデータカタログサイト掲載数")
    s.widths = {1: 56, 4: 40}
    return s


@sample("行政改革課_オンライン申請数_月次.tsv", "tsv",
        "TSV, UTF-8 without BOM; monthly columns 2024-04 … 2025-03; 単位 column; `△1,234` on a "
        "count indicator (E-VALUE-NEGATIVE); thousands separators; future months `-`.")
def _():
    s = Sheet("")
    hdr = ["指標名", "単位"] + month_labels("iso")
    for c, h in enumerate(hdr, 1):
        s.put(1, c, h)
    s.iname(2, 1, "31-1-4")
    s.put(2, 2, "件")
    vals = [22841, 21967, 23512, 24105, None, 22730, 25318, 24986]
    for k, v in enumerate(vals):
        if v is None:
            s.bad(2, 3 + k, "△1,234", "E-VALUE-NEGATIVE")
        else:
            s.val(2, 3 + k, f"{v:,}", "31-1-4", REPORTED[k], v)
    for k in range(8, 12):
        s.put(2, 3 + k, "-")
    return s


@sample("行政改革課_指定管理施設利用者数_月別.xlsx", "xlsx",
        "Multi-row header: 令和6年度 merged over the month columns 4月 … 3月 (second row), "
        "指標名 and 単位 merged vertically; monthly counts; future months empty.")
def _():
    s = Sheet("利用者数")
    s.put(1, 1, "指定管理者制度導入施設 利用者数（月別）")
    s.put(3, 1, "指標名")
    s.put(3, 2, "単位")
    s.put(3, 3, "令和6年度")
    s.merge(3, 1, 4, 1)
    s.merge(3, 2, 4, 2)
    s.merge(3, 3, 3, 14)
    for k, m in enumerate(MONTH_JA):
        s.put(4, 3 + k, m)
    s.iname(5, 1, "31-0-4")
    s.put(5, 2, "人")
    vals = [158204, 163877, 149512, 171036, 182455, 155930, 166218, 160742]
    for k, v in enumerate(vals):
        s.val(5, 3 + k, v, "31-0-4", REPORTED[k], v, "#,##0")
    s.widths = {1: 36}
    return s


@sample("市民窓口課_月次報告_R6.csv", "csv-cp932",
        "CSV in Shift_JIS/CP932 (CRLF) with CP932-only characters ① ② ㈱ in the 備考 column; "
        "title line; monthly columns 2024/4 … 2025/3; a name with a leading full-width space; "
        "`集計中` (W-VALUE-PENDING); an unknown indicator マイナンバーカード普及率 "
        "(E-INDICATOR-UNKNOWN on its name cell); `－` for months not yet reported.")
def _():
    s = Sheet("")
    s.put(1, 1, "市民窓口課 月次報告（令和6年度）")
    hdr = ["指標名", "単位"] + month_labels("slash") + ["備考"]
    for c, h in enumerate(hdr, 1):
        s.put(3, c, h)
    s.iname(4, 1, "31-0-2", "　来庁件数(呼び出しシステムによる発券数)")
    s.put(4, 2, "件")
    for k, v in enumerate([16412, 15108, 14233, 15876, 14950, 13702, 14511, 13984]):
        s.val(4, 3 + k, f"{v:,}", "31-0-2", REPORTED[k], v)
    s.put(4, 15, "①本庁・②支所の合計")
    s.iname(5, 1, "31-1-1")
    s.put(5, 2, "件")
    for k, v in enumerate([9, 7, 5, 6, 4, 8, 6]):
        s.val(5, 3 + k, v, "31-1-1", REPORTED[k], v)
    s.bad(5, 10, "集計中", "W-VALUE-PENDING")
    s.put(5, 15, "㈱コールセンター受付分を含む")
    s.bad(6, 1, "マイナンバーカード普及率", "E-INDICATOR-UNKNOWN")
    s.put(6, 2, "%")
    for k, v in enumerate(["73.9%", "74.1%", "74.3%", "74.4%", "74.6%", "74.8%", "75.0%", "75.1%"]):
        s.put(6, 3 + k, v)
    s.put(6, 15, "国公表値（人口比）")
    for r in (4, 5, 6):
        for k in range(8, 12):
            s.put(r, 3 + k, "－")
    return s


@sample("市民窓口課_窓口統計_令和6年度.xlsx", "xlsx",
        "Transposed table: months down the rows (2024年4月 … 2025年3月 as text), indicators "
        "across the columns; `74.5%` as text; a name with a full-width space and one with a "
        "line break; `124.6%` (E-VALUE-PERCENT-RANGE).")
def _():
    s = Sheet("窓口統計")
    s.put(1, 1, "窓口統計（令和6年度）")
    s.put(3, 1, "年月")
    s.iname(3, 2, "31-0-1", "マイナンバーカード　保有率")
    s.iname(3, 3, "31-0-3", "各種証明書の交付におけるコンビニ交付の割合\n(公用による交付は含まない)")
    labels = month_labels("nen")
    mynum = ["72.1%", "72.4%", "72.8%", "73.1%", "73.5%", "73.8%", "74.2%", "74.5%"]
    konbini = ["22.4%", "23.0%", "22.7%", "23.5%", "24.1%", None, "24.8%", "25.3%"]
    for k, lab in enumerate(labels):
        r = 4 + k
        s.put(r, 1, lab)
        if k < 8:
            s.val(r, 2, mynum[k], "31-0-1", REPORTED[k], mynum[k].rstrip("%"))
            if konbini[k] is None:
                s.bad(r, 3, "124.6%", "E-VALUE-PERCENT-RANGE")
            else:
                s.val(r, 3, konbini[k], "31-0-3", REPORTED[k], konbini[k].rstrip("%"))
    s.put(17, 1, "※保有率は月末時点、コンビニ交付の割合は当月分")
    s.widths = {1: 14, 2: 24, 3: 40}
    return s


@sample("秘書政策課_包括連携_令和6年度.xlsx", "xlsx",
        "Header variants 項目 and ㋿6 (the single-character 令和 sign); full-width digits `６２`; "
        "備考 column.")
def _():
    s = Sheet("連携事業")
    for c, h in enumerate(["項目", "㋿6", "備考"], 1):
        s.put(1, c, h)
    s.iname(2, 1, "31-2-1")
    s.val(2, 2, "６２", "31-2-1", FY, 62)
    s.put(2, 3, "包括連携協定締結事業者との連携事業（11月末現在）")
    s.widths = {1: 50, 3: 44}
    return s


@sample("人事課_R6指標報告.xls", "xls",
        "Legacy .xls (BIFF8, written by LibreOffice); a title row; two-row header with 実績値 "
        "merged over 令6/令7/令8 and 指標名/基準値/目指す方向 merged vertically; `14.9%`; rank "
        "`2/17 団体` (=2); a formula =38/0 cached as #DIV/0! (E-CELL-EXCEL-ERROR); `62.4人` on a "
        "% indicator (E-VALUE-UNIT); a name broken over two lines; — for no value.")
def _():
    s = Sheet("指標")
    s.put(1, 1, "人事課　指標実績報告（令和6年度）")
    s.put(3, 1, "指標名")
    s.put(3, 2, "基準値")
    s.put(3, 3, "実績値")
    s.put(3, 6, "目指す方向")
    for c, h in enumerate(["令6", "令7", "令8"], 3):
        s.put(4, c, h)
    s.merge(3, 1, 4, 1)
    s.merge(3, 2, 4, 2)
    s.merge(3, 3, 3, 5)
    s.merge(3, 6, 4, 6)
    rows = [
        ("32-0-1", None, ("val", "14.9%", 14.9)),
        ("32-0-2", None, ("val", "2/17 団体", 2)),
        ("32-1-1", None, ("bad", Formula("=38/0", "#DIV/0!"), "E-CELL-EXCEL-ERROR")),
        ("32-1-2", None, ("dash", "—", None)),
        ("32-1-4", "年次有給休暇の\n取得率(行政職)", ("bad", "62.4人", "E-VALUE-UNIT")),
    ]
    for r, (i, nm, (kind, raw, x)) in enumerate(rows, 5):
        s.iname(r, 1, i, nm)
        s.put(r, 2, base(i))
        if kind == "val":
            s.val(r, 3, raw, i, FY, x)
        elif kind == "bad":
            s.bad(r, 3, raw, x)
        else:
            s.put(r, 3, raw)
        s.put(r, 4, "—")
        s.put(r, 5, "—")
        s.put(r, 6, trend(i))
    s.put(11, 1, "※人件費比率は令和5年度決算値")
    s.widths = {1: 44, 2: 18}
    return s


@sample("人事課_コンプライアンス指標_R6.xlsx", "xlsx",
        "Header FY2024; a second, hidden sheet 内部統制 holding a real table with header "
        "令和6年度 (I-SHEET-HIDDEN; its values are still read).")
def _():
    s = Sheet("報告")
    for c, h in enumerate(["指標名", "FY2024", "備考"], 1):
        s.put(1, c, h)
    s.iname(2, 1, "32-1-3")
    s.val(2, 2, 158, "32-1-3", FY, 158)
    s.put(2, 3, "通信教育・資格取得助成の利用者")
    s.widths = {1: 40, 3: 36}
    h = Sheet("内部統制", hidden=True)
    h.issues.append((0, 0, "I-SHEET-HIDDEN"))
    for c, t in enumerate(["指標名", "令和6年度"], 1):
        h.put(1, c, t)
    h.iname(2, 1, "32-2-1")
    h.val(2, 2, 12, "32-2-1", FY, 12)
    h.iname(3, 1, "32-2-2")
    h.val(3, 2, 24, "32-2-2", FY, 24)
    h.widths = {1: 60}
    return [s, h]


@sample("人事課_研修実績_R6.xlsb", "xlsb",
        "Excel binary workbook (.xlsb, written by tools/make_xlsb.py, since neither LibreOffice "
        "nor openpyxl writes xlsb): shared strings (BrtCellIsst), a decimal as an 8-byte float "
        "(BrtCellReal), whole numbers as RK numbers (BrtCellRk) as Excel stores them; title "
        "row; header 指標名 | 単位 | 令和6年度 | 備考; `158 人` as text; every figure repeats "
        "the value 人事課 sent in its other files (no conflict), so 32-1-1, 32-1-2 and 32-1-4 "
        "stay owed.")
def _():
    s = Sheet("研修")
    s.put(1, 1, "人事課　研修・服務関係指標 実績報告（令和6年度）")
    for c, h in enumerate(["指標名", "単位", "令和6年度", "備考"], 1):
        s.put(3, c, h)
    rows = [
        ("32-0-1", 14.9, 14.9, "令和5年度決算値"),
        ("32-1-3", "158 人", 158, "通信教育・資格取得助成の利用者"),
        ("32-2-1", 12, 12, "令和6年度内部統制評価による"),
        ("32-2-2", 24, 24, "職員アンケート（令和6年10月実施）"),
    ]
    for r, (i, raw, v, note) in enumerate(rows, 4):
        s.iname(r, 1, i)
        s.put(r, 2, CATALOGUE[i][1])
        s.val(r, 3, raw, i, FY, v)
        s.put(r, 4, note)
    s.widths = {1: 60, 2: 6, 3: 12, 4: 36}
    return s


def zaisei(keijo: str):
    s = Sheet("財政指標")
    for c, h in enumerate(["ID", "指標名", "単位", "2024年度", "備考"], 1):
        s.put(1, c, h)
    rows = [
        ("33-0-1", "%", keijo, keijo.rstrip("%"), None, "決算見込"),
        ("33-0-2", "—", 1.19, 1.19, "0.00", "3か年平均"),
        ("33-0-3", "%", "53.6%", 53.6, None, "資産管理課算出値"),
        ("33-1-1", "円", "1,412,508,000円", 1412508, None, "11月末現在"),
        ("33-2-1", "千円", Formula("=138693+21530", 160223), 160223, "#,##0", "前年度累計＋今年度削減額"),
        ("33-3-1", "%", "▲0.2%", -0.2, None, "3か年平均"),
    ]
    for r, (i, unit, raw, v, fmt, note) in enumerate(rows, 2):
        s.put(r, 1, i)
        s.iname(r, 2, i)
        s.put(r, 3, unit)
        s.val(r, 4, raw, i, FY, v, fmt)
        s.put(r, 5, note)
    s.widths = {2: 50, 5: 28}
    return s


@sample("財政課_報告_20241105.xlsx", "xlsx",
        "Older version (5 Nov) of 財政課's report; 経常収支比率 88.9% is replaced by 89.1% in the "
        "20241120 version (I-SUPERSEDED on that cell); otherwise identical.", roundtrip=True)
def _():
    return zaisei("88.9%")


@sample("財政課_報告_20241120.xlsx", "xlsx",
        "Newer version (20 Nov): ID and 単位 columns, header 2024年度; a formula =138693+21530 "
        "with its cached value (LibreOffice round trip); `1,412,508,000円` for a 千円 indicator "
        "(=1412508); `▲0.2%` (negative 実質公債費比率, legitimate); 33-0-3 belongs to 資産管理課 "
        "(W-DEPARTMENT-NOT-RESPONSIBLE, same value, no conflict).", roundtrip=True)
def _():
    return zaisei("89.1%")


@sample("資産管理課_令和6年度指標.ods", "ods",
        "OpenDocument spreadsheet (written by LibreOffice); header 令和6年度実績; 基準値 with a "
        "year in parentheses.")
def _():
    s = Sheet("資産管理課")
    for c, h in enumerate(["指標名", "基準値", "令和6年度実績", "目指す方向"], 1):
        s.put(1, c, h)
    s.iname(2, 1, "33-0-3")
    s.put(2, 2, base("33-0-3"))
    s.val(2, 3, "53.6%", "33-0-3", FY, 53.6)
    s.put(2, 4, trend("33-0-3"))
    s.iname(3, 1, "33-4-1")
    s.put(3, 2, base("33-4-1"))
    s.val(3, 3, 12, "33-4-1", FY, 12)
    s.put(3, 4, trend("33-4-1"))
    s.widths = {1: 50}
    return s


@sample("収税課_市税収納率_R6月次.csv", "csv",
        "CSV UTF-8 without BOM (CRLF); header 項目 with monthly labels R6.4 … R7.3; monthly "
        "cumulative 収納率 as `%` text; `－` and `-` for months not yet reported; 備考 column.")
def _():
    s = Sheet("")
    hdr = ["項目"] + month_labels("r.m") + ["備考"]
    for c, h in enumerate(hdr, 1):
        s.put(1, c, h)
    s.iname(2, 1, "33-1-2")
    for k, v in enumerate(["6.2", "20.8", "31.5", "45.0", "52.3", "60.1", "67.4", "72.8"]):
        s.val(2, 2 + k, f"{v}%", "33-1-2", REPORTED[k], v)
    for k, d in zip(range(8, 12), ["－", "－", "-", "-"]):
        s.put(2, 2 + k, d)
    s.put(2, 14, "現年課税分、各月末累計")
    return s


# ---------------------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------------------
FIXED_TIME = dt.datetime(2024, 11, 20, 9, 0, 0)


def build_workbook(sheets: list[Sheet]) -> "openpyxl.Workbook":
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "小牧市"
    wb.properties.lastModifiedBy = "小牧市"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    for sh in sheets:
        ws = wb.create_sheet(sh.name)
        if sh.hidden:
            ws.sheet_state = "hidden"
        for (r, c), v in sh.cells.items():
            cell = ws.cell(row=r, column=c)
            cell.value = v.text if isinstance(v, Formula) else v
            if (r, c) in sh.fmts:
                cell.number_format = sh.fmts[(r, c)]
            if isinstance(v, str) and "\n" in v:
                cell.alignment = Alignment(wrap_text=True, vertical="center")
            if isinstance(v, str) and (v.startswith("基本施策") or v.startswith("◆")
                                       or v.startswith("【")):
                cell.font = Font(bold=True)
        for m in sh.merges:
            ws.merge_cells(m)
            ws[m.split(":")[0]].alignment = Alignment(horizontal="center", vertical="center")
        for c, w in sh.widths.items():
            ws.column_dimensions[get_column_letter(c)].width = w
    return wb


def soffice(src: Path, target: str, outdir: Path) -> Path:
    """Convert with LibreOffice headless in a private profile (parallel-safe)."""
    profile = Path(tempfile.gettempdir()) / "shukei_samples_lo_profile"
    cmd = ["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
           "--convert-to", target, "--outdir", str(outdir), str(src)]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   timeout=180)
    ext = target.split(":", 1)[0]
    out = outdir / (src.stem + "." + ext)
    if not out.exists():
        raise SystemExit(f"LibreOffice did not write {out}")
    return out


def text_grid(sh: Sheet) -> list[list[str]]:
    nrows = max(r for r, _ in sh.cells)
    ncols = max(c for _, c in sh.cells)
    grid = [["" for _ in range(ncols)] for _ in range(nrows)]
    for (r, c), v in sh.cells.items():
        assert not isinstance(v, (Formula, dt.datetime)), "text files hold text"
        grid[r - 1][c - 1] = str(v)
    return grid


def write_text(f: SampleFile, path: Path):
    (sh,) = f.sheets
    buf = io.StringIO(newline="")
    delim = "\t" if f.fmt == "tsv" else ","
    w = csv.writer(buf, delimiter=delim, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    for row in text_grid(sh):
        w.writerow(row)
    text = buf.getvalue()
    if f.fmt == "csv-bom":
        data = b"\xef\xbb\xbf" + text.encode("utf-8")
    elif f.fmt == "csv-cp932":
        data = text.encode("cp932")   # raises if a character is not in CP932
    else:
        data = text.encode("utf-8")
    path.write_bytes(data)


ISO_TS = re.compile(rb"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z?")


def normalize_zip(path: Path):
    """Make a zip-based workbook byte-reproducible: fixed entry times, fixed document
    timestamps in docProps/core.xml or meta.xml. Entry order and compression kept (the
    ODF `mimetype` entry stays first and stored)."""
    import zipfile
    with zipfile.ZipFile(path) as z:
        entries = [(i, z.read(i.filename)) for i in z.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for info, data in entries:
            if info.filename in ("docProps/core.xml", "meta.xml"):
                data = ISO_TS.sub(b"2024-11-20T09:00:00Z", data)
            zi = zipfile.ZipInfo(info.filename, date_time=(2024, 11, 20, 9, 0, 0))
            zi.compress_type = info.compress_type
            zi.external_attr = info.external_attr
            out.writestr(zi, data)
    path.write_bytes(buf.getvalue())


def write_file(f: SampleFile, tmp: Path):
    dest = SAMPLES / f.name
    if f.is_text:
        write_text(f, dest)
        return
    if f.fmt == "xlsb":
        make_xlsb.write_xlsb(dest, f.sheets)
        return
    wb = build_workbook(f.sheets)
    stem = Path(f.name).stem
    src = tmp / "in" / (stem + ".xlsx")
    src.parent.mkdir(parents=True, exist_ok=True)
    wb.save(src)
    if f.fmt == "xlsx" and not f.roundtrip:
        shutil.copyfile(src, dest)
        normalize_zip(dest)
        return
    target = {
        "xlsx": "xlsx:Calc MS Excel 2007 XML",
        "xlsm": "xlsm:Calc MS Excel 2007 VBA XML",
        "xls": "xls:MS Excel 97",
        "ods": "ods",
    }[f.fmt]
    outdir = tmp / ("out_" + f.fmt)
    outdir.mkdir(exist_ok=True)
    out = soffice(src, target, outdir)
    shutil.copyfile(out, dest)
    if f.fmt != "xls":
        normalize_zip(dest)


# ---------------------------------------------------------------------------------------
# Expected results
# ---------------------------------------------------------------------------------------
DATE_SUFFIX = re.compile(r"^(.*)_(\d{8})$")


def derive_cross_file(files: list[SampleFile]):
    """Add the findings that depend on several cells: not responsible, superseded, conflict."""
    rows = []   # (file, sheet, r, c, Expect, SampleFile, Sheet)
    for f in files:
        for sh in f.sheets:
            for r, c, e in sh.values:
                rows.append((f, sh, r, c, e))

    # department not responsible: the file-name department vs the catalogue's 担当課
    for f, sh, r, c, e in rows:
        if CATALOGUE[e.ind][2] != f.department:
            sh.issues.append((r, c, "W-DEPARTMENT-NOT-RESPONSIBLE"))

    # versions: same department and stem apart from a trailing _YYYYMMDD
    versions: dict[str, list[tuple[str, SampleFile]]] = {}
    for f in files:
        m = DATE_SUFFIX.match(Path(f.name).stem)
        if m:
            versions.setdefault(m.group(1), []).append((m.group(2), f))
    superseded_files = set()
    for key, vs in versions.items():
        vs.sort(key=lambda x: x[0])
        newest = vs[-1][1]
        newest_vals = {(e.ind, e.period): e.value for sh in newest.sheets for _, _, e in sh.values}
        for _, old in vs[:-1]:
            superseded_files.add(old.name)
            for sh in old.sheets:
                for r, c, e in sh.values:
                    if newest_vals.get((e.ind, e.period)) != e.value:
                        sh.issues.append((r, c, "I-SUPERSEDED"))

    # conflicts among the current files
    groups: dict[tuple[str, str], list] = {}
    for f, sh, r, c, e in rows:
        if f.name not in superseded_files:
            groups.setdefault((e.ind, e.period), []).append((f, sh, r, c, e))
    for key, g in groups.items():
        if len({Decimal(x[4].value) for x in g}) > 1:
            for f, sh, r, c, e in g:
                sh.issues.append((r, c, "E-CONFLICT"))

    # sanity: no indicator reported both for the year and for months (that is a separate,
    # unplanted warning on the Rust side), values in range for their unit
    periods: dict[str, set] = {}
    for key in groups:
        periods.setdefault(key[0], set()).add("Y" if key[1].startswith("FY") else "M")
    both = [i for i, p in periods.items() if len(p) > 1]
    assert not both, f"indicator reported for year and months: {both}"
    for f, sh, r, c, e in rows:
        unit = CATALOGUE[e.ind][1]
        v = Decimal(e.value)
        if unit in COUNT_UNITS:
            assert v >= 0 and v == v.to_integral_value(), (f.name, e)
        if unit == "%" and e.ind != "33-3-1":
            assert 0 <= v <= 100, (f.name, e)
    return superseded_files


def cell_name(r, c):
    return "" if r == 0 else a1(r, c)


def write_golden(files: list[SampleFile]):
    GOLDEN.mkdir(parents=True, exist_ok=True)
    vals, iss = [], []
    for f in files:
        for sh in f.sheets:
            sheet = "" if f.is_text else sh.name
            for r, c, e in sh.values:
                vals.append((f.name, sheet, r, c, e.ind, e.period, e.value))
            for r, c, code in sh.issues:
                iss.append((f.name, sheet, r, c, code))
    vals.sort(key=lambda x: (x[0], x[1], x[2], x[3]))
    iss.sort(key=lambda x: (x[0], x[1], x[2], x[3], x[4]))
    with open(GOLDEN / "values.tsv", "w", encoding="utf-8", newline="\n") as fh:
        fh.write("file\tsheet\tcell\tindicator_id\tperiod\tvalue\n")
        for fn, sheet, r, c, i, p, v in vals:
            fh.write(f"{fn}\t{sheet}\t{cell_name(r, c)}\t{i}\t{p}\t{v}\n")
    with open(GOLDEN / "issues.tsv", "w", encoding="utf-8", newline="\n") as fh:
        fh.write("file\tsheet\tcell\tcode\n")
        for fn, sheet, r, c, code in iss:
            fh.write(f"{fn}\t{sheet}\t{cell_name(r, c)}\t{code}\n")
    with open(GOLDEN / "files.tsv", "w", encoding="utf-8", newline="\n") as fh:
        fh.write("file\tdepartment\tformat\tsheets\thidden_sheets\tvalues\tissues\n")
        for f in sorted(files, key=lambda f: f.name):
            sheets = "" if f.is_text else "|".join(s.name for s in f.sheets)
            hidden = "" if f.is_text else "|".join(s.name for s in f.sheets if s.hidden)
            nv = sum(1 for v in vals if v[0] == f.name)
            ni = sum(1 for i in iss if i[0] == f.name)
            fh.write(f"{f.name}\t{f.department}\t{f.fmt}\t{sheets}\t{hidden}\t{nv}\t{ni}\n")
    return vals, iss


FORMAT_LABEL = {
    "xlsx": "xlsx", "xlsm": "xlsm", "xls": "xls (BIFF8)", "ods": "ods",
    "csv-bom": "CSV UTF-8 + BOM", "csv": "CSV UTF-8 (no BOM)", "csv-cp932": "CSV CP932",
    "tsv": "TSV UTF-8", "xlsb": "xlsb",
}


def write_readme(files, vals, iss):
    count_v = {f.name: 0 for f in files}
    for v in vals:
        count_v[v[0]] += 1
    codes: dict[str, list[str]] = {f.name: [] for f in files}
    for fn, _, _, _, code in iss:
        if code not in codes[fn]:
            codes[fn].append(code)
    alias = {}
    for f in files:
        for sh in f.sheets:
            for r, c, i in sh.names:
                text = sh.cells[(r, c)]
                if text != name(i):
                    alias.setdefault(i, []).append((text, f.name))
    L = []
    L.append("# samples/ — department submissions for shukei")
    L.append("")
    L.append("Generated by `tools/make_samples.py` (dev-only: Python 3 + openpyxl + LibreOffice).")
    L.append("Do not edit by hand: change the script and run it again. The expected results")
    L.append("are in `tests/golden/samples/values.tsv` and `issues.tsv`, written from the same")
    L.append("data in the same run. Regenerating is byte-reproducible except for the .xls")
    L.append("(LibreOffice stamps the save time into its summary stream).")
    L.append("")
    L.append("LibreOffice and openpyxl cannot write .xlsb, so the .xlsb sample is written by")
    L.append("`tools/make_xlsb.py`, a small stdlib-only [MS-XLSB] writer that make_samples.py")
    L.append("calls; `python3 tools/make_xlsb.py` rewrites just the .xlsb and the golden files")
    L.append("(no LibreOffice needed).")
    L.append("")
    L.append("Scenario: 令和6年度 (FY2024) annual figures, plus monthly figures 令和6年4月 … 11月")
    L.append("(reporting month 2024-11). The department is the file name's prefix before `_`.")
    L.append("All figures are invented (plausible against the plan's 基準値); no personal data.")
    L.append("")
    L.append("| file | department | format | values | planted issues | what it exercises |")
    L.append("|---|---|---|---:|---|---|")
    for f in sorted(files, key=lambda f: f.name):
        cov = f.covers.replace("|", "\\|")
        L.append(f"| `{f.name}` | {f.department} | {FORMAT_LABEL[f.fmt]} | {count_v[f.name]} | "
                 f"{', '.join(codes[f.name]) or '—'} | {cov} |")
    L.append("")
    L.append("## Conventions of the golden files")
    L.append("")
    L.append("- `values.tsv`: `file sheet cell indicator_id period value`, one row per cell whose")
    L.append("  value must be extracted, value in the catalogue's unit as a plain decimal (`66.8`")
    L.append("  for 66.8 %, `1412508` for `1,412,508,000円` of a 千円 indicator, `76000` for")
    L.append("  `7.6万`, `-0.2` for `▲0.2%`, `87.4` for 0.874 formatted as percent, `2` for the")
    L.append("  rank `2/17 団体`). Cells with a warning or info finding (department not")
    L.append("  responsible, conflict, superseded, hidden sheet) are values too. Cells rejected")
    L.append("  with an `E-VALUE-*` / `E-CELL-*` error are only in `issues.tsv`. The 基準値 column")
    L.append("  is context, not a reported value, and is not listed.")
    L.append("- `issues.tsv`: `file sheet cell code`, one row per planted problem. Only planted")
    L.append("  problems are listed; shukei may report more (e.g. FY figures derived from months")
    L.append("  being partial).")
    L.append("- `sheet` is empty for CSV/TSV; `cell` for CSV/TSV is the column letter and the")
    L.append("  1-based line number, as if the file were a sheet. `cell` is empty for")
    L.append("  `I-SHEET-HIDDEN`.")
    L.append("- `files.tsv`: `file department format sheets hidden_sheets values issues`, one")
    L.append("  row per sample file (sheets joined with `|`; format one of xlsx xlsm xlsb xls ods")
    L.append("  csv csv-bom csv-cp932 tsv).")
    L.append("- Periods: `FY2024` for a fiscal year, `2024-04` … for months.")
    L.append("- Sorted by file, sheet (code-point order), then row, then column.")
    L.append("- Counts (件 人 団体 世帯 事業 課室 件/月 位) may not be negative; a % of citizens or")
    L.append("  staff must lie in 0–100. 実質公債費比率 (a ratio) may legitimately be negative.")
    L.append("")
    L.append("## Indicator names written differently from the catalogue")
    L.append("")
    L.append("The catalogue should accept these (after whitespace/width normalization or as")
    L.append("aliases). `マイナンバーカード普及率` is deliberately *not* an alias.")
    L.append("")
    L.append("| id | written as | file |")
    L.append("|---|---|---|")
    for i in sorted(alias):
        for text, fn in alias[i]:
            shown = text.replace("\n", "⏎").replace("　", "␣(全角)")
            L.append(f"| {i} | {shown} | `{fn}` |")
    L.append("")
    (SAMPLES / "README.md").write_text("\n".join(L), encoding="utf-8")


def main():
    if shutil.which("soffice") is None:
        sys.exit("LibreOffice (soffice) is required")
    derive_cross_file(FILES)
    if SAMPLES.exists():
        for p in SAMPLES.iterdir():
            if p.is_file():
                p.unlink()
    SAMPLES.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="shukei_samples_") as t:
        for f in FILES:
            write_file(f, Path(t))
            print(f"wrote samples/{f.name}")
    vals, iss = write_golden(FILES)
    write_readme(FILES, vals, iss)
    print(f"{len(FILES)} files, {len(vals)} values, {len(iss)} issues")


if __name__ == "__main__":
    main()
