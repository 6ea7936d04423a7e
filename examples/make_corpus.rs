//! Writes a benchmark corpus of realistic submission workbooks (issue 8).
//!
//! ```sh
//! cargo run --release --example make_corpus -- --small 2000 --large 20 --rows 50000 -o DIR
//! ```
//!
//! - `DIR/small/`: `--small` workbooks in the layouts of `samples/`, cycling through
//!   the seed layout (title rows, ◆ headings, several tables, ※ notes), a two-row header
//!   with 実績値 merged over the years, monthly columns, a two-row monthly header
//!   (令和6年度 merged over 4月…3月), a transposed table (months down, indicators
//!   across), two tables side by side, and an ID-keyed table. Each file is named after
//!   a department that owns indicators (`行政改革課_令和6年度実績_00042.xlsx`) and holds
//!   that department's indicators with plausible values (near the catalogue baseline),
//!   written in the ways departments write them (numbers, `1,234`, `52.3%`, `265 団体`,
//!   full-width digits, `—` for years not reported).
//! - `DIR/large/`: `--large` workbooks, each with one per-case detail sheet of `--rows`
//!   rows: 受付番号 | 指標ID | 指標名 | 単位 | 令和6年4月 … 令和7年3月. Each row is
//!   one case of one of the department's count indicators, counted (1) in the month
//!   it was handled; `--fill N` fills N consecutive months per row instead (12 = every
//!   cell). A real table shukei reads: the header is recognised and every value is used.
//!
//! Values are a function of (indicator, period), so files agree with each other and
//! the run measures reading, not thousands of conflicts. Everything is deterministic:
//! the same arguments write the same cells.

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};
use shukei::catalogue::{Catalogue, Indicator};
use shukei::model::Unit;

type Result<T> = std::result::Result<T, XlsxError>;

struct Args {
    small: usize,
    large: usize,
    rows: u32,
    fill: u32,
    out: PathBuf,
}

fn parse_args() -> Args {
    let mut args = Args {
        small: 200,
        large: 2,
        rows: 50_000,
        fill: 1,
        out: PathBuf::from("target/bench-corpus"),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_default();
        let number = || value.parse::<usize>().unwrap_or_else(|_| usage(&flag));
        match flag.as_str() {
            "--small" => args.small = number(),
            "--large" => args.large = number(),
            "--rows" => args.rows = number() as u32,
            "--fill" => args.fill = (number() as u32).clamp(1, 12),
            "-o" | "--out" => args.out = PathBuf::from(&value),
            _ => usage(&flag),
        }
    }
    args
}

fn usage(flag: &str) -> ! {
    eprintln!("make_corpus: bad argument {flag}");
    eprintln!("usage: make_corpus [--small N] [--large N] [--rows N] [--fill 1-12] -o DIR");
    std::process::exit(2)
}

fn main() {
    let args = parse_args();
    let catalogue = Catalogue::builtin();
    let depts = departments(&catalogue);
    let small_dir = args.out.join("small");
    let large_dir = args.out.join("large");
    for dir in [&small_dir, &large_dir] {
        std::fs::create_dir_all(dir).unwrap_or_else(|e| fail(dir, e));
    }
    for i in 0..args.small {
        let (dept, inds) = &depts[i % depts.len()];
        let layout = LAYOUTS[(i / depts.len()) % LAYOUTS.len()];
        let path = small_dir.join(format!("{dept}_{}_{i:05}.xlsx", layout.label()));
        write_small(&path, dept, inds, layout, i as u64)
            .unwrap_or_else(|e| fail(&path, e.to_string()));
    }
    for i in 0..args.large {
        let (dept, inds) = &depts[i % depts.len()];
        let counts: Vec<&Indicator> = inds.iter().copied().filter(|d| is_count(d)).collect();
        let inds = if counts.is_empty() { inds } else { &counts };
        let path = large_dir.join(format!("{dept}_案件別明細_{i:03}.xlsx"));
        write_large(&path, dept, inds, args.rows, args.fill, i as u64)
            .unwrap_or_else(|e| fail(&path, e.to_string()));
    }
    println!(
        "make_corpus: {} small and {} large ({} rows) workbooks in {}",
        args.small,
        args.large,
        args.rows,
        args.out.display()
    );
}

fn fail(path: &Path, e: impl std::fmt::Display) -> ! {
    eprintln!("make_corpus: {}: {e}", path.display());
    std::process::exit(1)
}

/// Departments that own indicators (32-0-3 is computed by shukei, so left out).
fn departments(catalogue: &Catalogue) -> Vec<(String, Vec<&Indicator>)> {
    let mut out: Vec<(String, Vec<&Indicator>)> = Vec::new();
    for ind in catalogue.indicators.iter().filter(|i| i.id != "32-0-3") {
        match out.iter_mut().find(|(d, _)| *d == ind.department) {
            Some((_, list)) => list.push(ind),
            None => out.push((ind.department.clone(), vec![ind])),
        }
    }
    out
}

fn is_count(ind: &Indicator) -> bool {
    matches!(ind.unit, Unit::Ken | Unit::Nin | Unit::Setai | Unit::Jigyo)
}

/// splitmix64: a small deterministic generator (no dependency, same output everywhere).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn hash(text: &str, salt: u64) -> u64 {
    text.bytes().fold(salt ^ 0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x1000_0000_01b3)
    })
}

/// A plausible value of an indicator for a period key (`FY2024`, `2024-04` …): near
/// the baseline, in range for the unit, the same in every file.
fn value_of(ind: &Indicator, period: &str) -> f64 {
    let mut rng = Rng(hash(&ind.id, hash(period, 7)));
    let jitter = (rng.below(2001) as f64 - 1000.0) / 10_000.0; // ±10 %
    match ind.unit {
        Unit::Percent => {
            let base = ind.baseline.unwrap_or(60.0).clamp(1.0, 95.0);
            ((base * (1.0 + jitter)).clamp(0.0, 100.0) * 10.0).round() / 10.0
        }
        Unit::Rank => ind.baseline.unwrap_or(10.0).max(1.0).round(),
        _ if ind.cumulative => {
            // A running total grows month by month (E-CUMULATIVE-DECREASE otherwise).
            let base = ind.baseline.unwrap_or(120.0).max(3.0);
            let step = MONTHS
                .iter()
                .position(|ym| month_key(*ym) == period)
                .map_or(12, |i| i + 1);
            (base * (1.0 + 0.01 * step as f64)).round()
        }
        _ => {
            let base = ind.baseline.unwrap_or(120.0).max(3.0);
            (base * (1.0 + jitter.abs())).round()
        }
    }
}

const MONTHS: [(u16, u8); 12] = [
    (2024, 4),
    (2024, 5),
    (2024, 6),
    (2024, 7),
    (2024, 8),
    (2024, 9),
    (2024, 10),
    (2024, 11),
    (2024, 12),
    (2025, 1),
    (2025, 2),
    (2025, 3),
];
/// Months reported so far (April … November 2024).
const MONTHS_DUE: usize = 8;

fn month_key((y, m): (u16, u8)) -> String {
    format!("{y}-{m:02}")
}

fn month_label_ja((y, m): (u16, u8)) -> String {
    format!("令和{}年{m}月", y - 2018)
}

#[derive(Clone, Copy)]
enum Layout {
    Seed,
    TwoRowHeader,
    Monthly,
    MonthlyTwoRow,
    Transposed,
    SideBySide,
    IdTable,
}

const LAYOUTS: [Layout; 7] = [
    Layout::Seed,
    Layout::TwoRowHeader,
    Layout::Monthly,
    Layout::MonthlyTwoRow,
    Layout::Transposed,
    Layout::SideBySide,
    Layout::IdTable,
];

impl Layout {
    fn label(self) -> &'static str {
        match self {
            Layout::Seed => "令和6年度実績",
            Layout::TwoRowHeader => "R6指標報告",
            Layout::Monthly => "月次報告_R6",
            Layout::MonthlyTwoRow => "月別実績",
            Layout::Transposed => "窓口統計_令和6年度",
            Layout::SideBySide => "実績一覧",
            Layout::IdTable => "報告",
        }
    }
}

/// Writes a value the way departments write them: mostly numbers, sometimes text.
fn write_value(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    ind: &Indicator,
    value: f64,
    rng: &mut Rng,
) -> Result<()> {
    let unit = ind.unit.symbol();
    let text = match rng.below(10) {
        0 if value.fract() == 0.0 && value >= 1000.0 => group_thousands(value as u64),
        1 if !unit.is_empty() && ind.unit != Unit::Rank => format!("{value} {unit}"),
        2 => full_width(&value.to_string()),
        _ => {
            ws.write_number(row, col, value)?;
            return Ok(());
        }
    };
    ws.write_string(row, col, text)?;
    Ok(())
}

fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap_or(c),
            '.' => '．',
            _ => c,
        })
        .collect()
}

fn write_small(
    path: &Path,
    dept: &str,
    inds: &[&Indicator],
    layout: Layout,
    seed: u64,
) -> Result<()> {
    let mut wb = Workbook::new();
    let mut rng = Rng(seed.wrapping_mul(31).wrapping_add(17));
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet().set_name("指標")?;
    match layout {
        Layout::Seed => seed_layout(ws, inds, &bold, &mut rng)?,
        Layout::TwoRowHeader => two_row_header(ws, dept, inds, &bold, &mut rng)?,
        Layout::Monthly => monthly(ws, inds, &bold, &mut rng)?,
        Layout::MonthlyTwoRow => monthly_two_row(ws, inds, &bold, &mut rng)?,
        Layout::Transposed if inds.len() >= 2 => transposed(ws, inds, &bold, &mut rng)?,
        Layout::Transposed => monthly(ws, inds, &bold, &mut rng)?,
        Layout::SideBySide => side_by_side(ws, inds, &bold, &mut rng)?,
        Layout::IdTable => id_table(ws, inds, &bold, &mut rng)?,
    }
    wb.save(path)
}

/// The seed's own layout: title rows, ◆ headings, one table per heading, ※ notes.
fn seed_layout(
    ws: &mut Worksheet,
    inds: &[&Indicator],
    bold: &Format,
    rng: &mut Rng,
) -> Result<()> {
    let policy = inds.first().map_or(31, |i| i.policy);
    ws.write_string_with_format(0, 0, format!("基本施策 {policy}"), bold)?;
    ws.write_string(1, 0, "◆基本施策の目的")?;
    ws.write_string(
        2,
        0,
        "市民にとって分かりやすく、効率的な行政運営を進めます。",
    )?;
    let half = inds.len().div_ceil(2);
    let mut row = 4;
    for (k, part) in [&inds[..half], &inds[half..]].into_iter().enumerate() {
        if part.is_empty() {
            continue;
        }
        let title = if k == 0 {
            "【まちの状態を表す指標】".to_string()
        } else {
            "◆展開方向1: 取組の推進".to_string()
        };
        ws.write_string(row, 0, title)?;
        row += 1;
        for (c, h) in ["指標名", "基準値", "R6", "R7", "R8", "目指す方向"]
            .iter()
            .enumerate()
        {
            ws.write_string_with_format(row, c as u16, *h, bold)?;
        }
        row += 1;
        for ind in part {
            ws.write_string(row, 0, &ind.name)?;
            ws.write_number(row, 1, ind.baseline.unwrap_or(0.0))?;
            write_value(ws, row, 2, ind, value_of(ind, "FY2024"), rng)?;
            ws.write_string(row, 3, "—")?;
            ws.write_string(row, 4, "—")?;
            ws.write_string(row, 5, "↗")?;
            row += 1;
        }
        row += 1;
    }
    ws.write_string(row, 0, "※ 数値は速報値です。")?;
    ws.set_column_width(0, 48)?;
    Ok(())
}

/// A title, then 指標名 | 単位 | 基準値 merged down two rows and 実績値 merged over years.
fn two_row_header(
    ws: &mut Worksheet,
    dept: &str,
    inds: &[&Indicator],
    bold: &Format,
    rng: &mut Rng,
) -> Result<()> {
    let center = bold.clone().set_align(FormatAlign::Center);
    ws.write_string_with_format(0, 0, format!("令和6年度 指標実績報告（{dept}）"), bold)?;
    ws.merge_range(2, 0, 3, 0, "指標名", &center)?;
    ws.merge_range(2, 1, 3, 1, "単位", &center)?;
    ws.merge_range(2, 2, 3, 2, "基準値", &center)?;
    ws.merge_range(2, 3, 2, 5, "実績値", &center)?;
    for (c, h) in ["令和6年度", "令和7年度", "令和8年度"].iter().enumerate() {
        ws.write_string_with_format(3, 3 + c as u16, *h, &center)?;
    }
    for (k, ind) in inds.iter().enumerate() {
        let row = 4 + k as u32;
        ws.write_string(row, 0, &ind.name)?;
        ws.write_string(row, 1, ind.unit.symbol())?;
        ws.write_number(row, 2, ind.baseline.unwrap_or(0.0))?;
        write_value(ws, row, 3, ind, value_of(ind, "FY2024"), rng)?;
        ws.write_string(row, 4, "—")?;
        ws.write_string(row, 5, "—")?;
    }
    Ok(())
}

/// 指標名 | 単位 | 令和6年4月 … 令和7年3月 | 備考, months after November left empty.
fn monthly(ws: &mut Worksheet, inds: &[&Indicator], bold: &Format, rng: &mut Rng) -> Result<()> {
    ws.write_string_with_format(0, 0, "月次実績報告（令和6年度）", bold)?;
    ws.write_string_with_format(2, 0, "指標名", bold)?;
    ws.write_string_with_format(2, 1, "単位", bold)?;
    for (k, ym) in MONTHS.iter().enumerate() {
        ws.write_string_with_format(2, 2 + k as u16, month_label_ja(*ym), bold)?;
    }
    ws.write_string_with_format(2, 14, "備考", bold)?;
    for (k, ind) in inds.iter().enumerate() {
        let row = 3 + k as u32;
        ws.write_string(row, 0, &ind.name)?;
        ws.write_string(row, 1, ind.unit.symbol())?;
        for (m, ym) in MONTHS.iter().take(MONTHS_DUE).enumerate() {
            write_value(
                ws,
                row,
                2 + m as u16,
                ind,
                value_of(ind, &month_key(*ym)),
                rng,
            )?;
        }
        if rng.below(4) == 0 {
            ws.write_string(row, 14, "速報値")?;
        }
    }
    Ok(())
}

/// 指標名 and 単位 merged down; 令和6年度 merged over the months 4月 … 3月 below it.
fn monthly_two_row(
    ws: &mut Worksheet,
    inds: &[&Indicator],
    bold: &Format,
    rng: &mut Rng,
) -> Result<()> {
    let center = bold.clone().set_align(FormatAlign::Center);
    ws.merge_range(0, 0, 1, 0, "指標名", &center)?;
    ws.merge_range(0, 1, 1, 1, "単位", &center)?;
    ws.merge_range(0, 2, 0, 13, "令和6年度", &center)?;
    for (k, (_, m)) in MONTHS.iter().enumerate() {
        ws.write_string_with_format(1, 2 + k as u16, format!("{m}月"), &center)?;
    }
    for (k, ind) in inds.iter().enumerate() {
        let row = 2 + k as u32;
        ws.write_string(row, 0, &ind.name)?;
        ws.write_string(row, 1, ind.unit.symbol())?;
        for (m, ym) in MONTHS.iter().take(MONTHS_DUE).enumerate() {
            write_value(
                ws,
                row,
                2 + m as u16,
                ind,
                value_of(ind, &month_key(*ym)),
                rng,
            )?;
        }
    }
    Ok(())
}

/// Months down the rows (2024年4月 … as text), indicators across.
fn transposed(ws: &mut Worksheet, inds: &[&Indicator], bold: &Format, rng: &mut Rng) -> Result<()> {
    ws.write_string_with_format(0, 0, "窓口統計（月別）", bold)?;
    ws.write_string_with_format(2, 0, "年月", bold)?;
    for (k, ind) in inds.iter().enumerate() {
        ws.write_string_with_format(2, 1 + k as u16, &ind.name, bold)?;
    }
    for (m, ym) in MONTHS.iter().enumerate() {
        let row = 3 + m as u32;
        ws.write_string(row, 0, format!("{}年{}月", ym.0, ym.1))?;
        if m >= MONTHS_DUE {
            continue;
        }
        for (k, ind) in inds.iter().enumerate() {
            write_value(
                ws,
                row,
                1 + k as u16,
                ind,
                value_of(ind, &month_key(*ym)),
                rng,
            )?;
        }
    }
    Ok(())
}

/// Two tables side by side (A:D and F:I), headers Ｒ６ and R6年度実績.
fn side_by_side(
    ws: &mut Worksheet,
    inds: &[&Indicator],
    bold: &Format,
    rng: &mut Rng,
) -> Result<()> {
    let half = inds.len().div_ceil(2);
    for (k, (part, year)) in [(&inds[..half], "Ｒ６"), (&inds[half..], "R6年度実績")]
        .into_iter()
        .enumerate()
    {
        let c0 = 5 * k as u16;
        for (c, h) in ["指標名", "単位", year, "備考"].iter().enumerate() {
            ws.write_string_with_format(1, c0 + c as u16, *h, bold)?;
        }
        for (r, ind) in part.iter().enumerate() {
            let row = 2 + r as u32;
            ws.write_string(row, c0, &ind.name)?;
            ws.write_string(row, c0 + 1, ind.unit.symbol())?;
            write_value(ws, row, c0 + 2, ind, value_of(ind, "FY2024"), rng)?;
        }
    }
    Ok(())
}

/// ID | 指標名 | 単位 | 2024年度 (the 財政課 style).
fn id_table(ws: &mut Worksheet, inds: &[&Indicator], bold: &Format, rng: &mut Rng) -> Result<()> {
    for (c, h) in ["ID", "指標名", "単位", "2024年度"].iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, bold)?;
    }
    for (k, ind) in inds.iter().enumerate() {
        let row = 1 + k as u32;
        ws.write_string(row, 0, &ind.id)?;
        ws.write_string(row, 1, &ind.name)?;
        ws.write_string(row, 2, ind.unit.symbol())?;
        write_value(ws, row, 3, ind, value_of(ind, "FY2024"), rng)?;
    }
    Ok(())
}

/// One per-case detail sheet: a title, then 受付番号 | 指標ID | 指標名 | 単位 | 12 months.
fn write_large(
    path: &Path,
    dept: &str,
    inds: &[&Indicator],
    rows: u32,
    fill: u32,
    seed: u64,
) -> Result<()> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let ws = wb
        .add_worksheet_with_constant_memory()?
        .set_name("案件別明細")?;
    ws.write_string_with_format(0, 0, format!("令和6年度 {dept} 案件別明細"), &bold)?;
    let header = ["受付番号", "指標ID", "指標名", "単位"];
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, *h, &bold)?;
    }
    for (k, ym) in MONTHS.iter().enumerate() {
        ws.write_string_with_format(2, 4 + k as u16, month_label_ja(*ym), &bold)?;
    }
    let mut rng = Rng(seed ^ 0x5eed);
    for r in 0..rows {
        let row = 3 + r;
        let ind = inds[rng.below(inds.len() as u64) as usize];
        ws.write_string(row, 0, format!("R6-{seed:02}-{r:06}"))?;
        ws.write_string(row, 1, &ind.id)?;
        ws.write_string(row, 2, &ind.name)?;
        ws.write_string(row, 3, ind.unit.symbol())?;
        let first = rng.below(12) as u32;
        for k in 0..fill {
            let m = ((first + k) % 12) as u16;
            ws.write_number(row, 4 + m, 1.0)?;
        }
    }
    wb.save(path)
}
