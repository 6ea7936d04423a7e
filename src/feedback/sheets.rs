//! The sheets of a feedback workbook: what each one says, in Japanese. Layout is in
//! [`super::table`]; the finding texts are the findings' own, verbatim.

use std::collections::HashMap;

use rust_xlsxwriter::{Format, FormatAlign, Workbook, XlsxError};

use super::table::{self, text_height, wrapped_lines, write_table, Column, Page, Row, Rows, Value};
use super::{file_name, indicator_label, owed_indicators, Kind, Scope, CONTACT};
use crate::catalogue::{Aggregation, Catalogue};
use crate::consolidate::{Consolidated, FileStatus, Status, ValueRow};
use crate::model::{Finding, Period, Place, Severity};
use crate::rules::Rule;

/// What every sheet needs to know.
pub(crate) struct Context<'a> {
    pub catalogue: &'a Catalogue,
    pub result: &'a Consolidated,
    pub department: &'a str,
    pub kind: Kind,
    /// `令和6年11月分`, or a note that the period is unknown.
    pub period: String,
    pub page: Page,
    /// Values of 提出内容 that carry a note at most ([`MAX_NOTES`]).
    pub max_notes: usize,
}

impl<'a> Context<'a> {
    pub fn new(
        catalogue: &'a Catalogue,
        result: &'a Consolidated,
        department: &'a str,
        kind: Kind,
    ) -> Context<'a> {
        let period = result.period.map_or_else(
            || "報告期間不明".to_string(),
            |p| format!("{}分", p.label_ja()),
        );
        let page = Page {
            header_left: format!("{} {}（{}）", department, period, kind.label_ja()),
            sheet_rows: table::SHEET_ROWS,
        };
        Context {
            catalogue,
            result,
            department,
            kind,
            period,
            page,
            max_notes: MAX_NOTES,
        }
    }
}

const COVER_LABEL_WIDTH: f64 = 18.0;
const COVER_TEXT_WIDTH: f64 = 96.0;

/// The first sheet: 概要 (for a 差し戻し) or 受領確認.
pub(crate) fn write_cover(
    workbook: &mut Workbook,
    ctx: &Context,
    scope: &Scope,
    owed: &[String],
) -> Result<(), XlsxError> {
    let sheet = workbook.add_worksheet();
    let name = match ctx.kind {
        Kind::Return => "概要",
        Kind::Receipt => "受領確認",
    };
    sheet.set_name(name)?;
    sheet.set_column_width(0, COVER_LABEL_WIDTH)?;
    sheet.set_column_width(1, COVER_TEXT_WIDTH)?;
    let title = format!("指標報告の{}（{}）", ctx.kind.label_ja(), ctx.period);
    sheet.write_string_with_format(0, 0, &title, &Format::new().set_bold().set_font_size(14))?;
    let label = Format::new().set_bold().set_align(FormatAlign::Top);
    let text = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    for (r, (l, t)) in (2u32..).zip(cover_lines(ctx, scope, owed)) {
        sheet.write_string_with_format(r, 0, l, &label)?;
        sheet.write_string_with_format(r, 1, &t, &text)?;
        sheet.set_row_height(r, text_height(&t, COVER_TEXT_WIDTH))?;
    }
    table::setup_page(sheet, &ctx.page)?;
    Ok(())
}

/// The cover's label/text lines.
fn cover_lines(ctx: &Context, scope: &Scope, owed: &[String]) -> Vec<(&'static str, String)> {
    let count = |s| scope.own.iter().filter(|f| f.severity == s).count();
    let mut lines = vec![
        ("宛先", format!("{} 御中", ctx.department)),
        ("報告期間", ctx.period.clone()),
        ("発信", format!("{CONTACT} — 集計プログラム shukei で作成")),
        ("", String::new()),
        ("結果", outcome_text(ctx.kind)),
    ];
    if ctx.kind == Kind::Return {
        lines.push((
            "指摘の内訳",
            format!(
                "エラー {} 件（修正が必要）、警告 {} 件（確認が必要）、参考 {} 件（お知らせ）— 「指摘事項」シート",
                count(Severity::Error),
                count(Severity::Warning),
                count(Severity::Info)
            ),
        ));
        lines.push((
            "未提出の指標",
            format!("{} 件 — 「未提出」シート", owed.len()),
        ));
    }
    lines.push(("受け付けたファイル", received_text(scope)));
    if !scope.others.is_empty() {
        lines.push((
            "他課からの提出",
            format!(
                "担当する指標の値が他の課からも届いています（指摘 {} 件）— 「他課からの提出に関する参考」シート",
                scope.others.len()
            ),
        ));
    }
    lines.push(("シートの見方", guide_text(ctx, scope)));
    lines.push((
        "問い合わせ先",
        format!("内容についての質問は、{CONTACT}までお問い合わせください。"),
    ));
    lines
}

fn outcome_text(kind: Kind) -> String {
    match kind {
        Kind::Return => "提出いただいた指標報告を集計したところ、修正または追加の提出が必要な点がありました。\
            「指摘事項」と「未提出」のシートを確認し、修正したファイル（または不足分）を再提出してください。"
            .to_string(),
        Kind::Receipt => "提出いただいた指標報告を受け付けました。修正の必要な点はありません。\
            読み取った値は「提出内容」シートで確認できます。"
            .to_string(),
    }
}

/// The lines of the cover's list of files received, so that the cover prints on one A4
/// landscape page (a row does not break across pages: 26 lines, the most a row holds,
/// were cut at the foot of the page). A cell also holds at most 32,767 characters: a
/// department that sent 700 files in a month could not be given its workbook.
pub(crate) const RECEIVED_LINES: usize = 14;

/// One line per file received: name, values read, errors and warnings. When they do
/// not fit in [`RECEIVED_LINES`], unreadable files and files with errors are named
/// first and the files left over are counted in one last line.
fn received_text(scope: &Scope) -> String {
    if scope.files.is_empty() {
        return "なし（この期間のファイルは届いていません）".to_string();
    }
    let line = |f: &FileStatus| {
        let name = file_name(&f.file);
        if f.failed {
            format!("{name}（読み取れませんでした）")
        } else {
            format!(
                "{name}（読み取った値 {} 件、エラー {} 件、警告 {} 件）",
                f.values, f.errors, f.warnings
            )
        }
    };
    let height = |text: &str| wrapped_lines(text, COVER_TEXT_WIDTH);
    let mut lines: Vec<String> = scope.files.iter().map(|f| line(f)).collect();
    if lines.iter().map(|l| height(l)).sum::<usize>() <= RECEIVED_LINES {
        return lines.join("\n");
    }
    let mut files = scope.files.clone();
    files.sort_by_key(|f| (!f.failed, f.errors == 0));
    lines.clear();
    let mut used = 1; // the count of the files left over
    for f in &files {
        let text = line(f);
        used += height(&text);
        if used > RECEIVED_LINES {
            break;
        }
        lines.push(text);
    }
    let rest = files.get(lines.len()..).unwrap_or_default();
    if !rest.is_empty() {
        let sum = |count: fn(&FileStatus) -> usize| rest.iter().map(|f| count(f)).sum::<usize>();
        lines.push(format!(
            "ほか {} ファイル（読み取った値 {} 件、エラー {} 件、警告 {} 件）",
            rest.len(),
            sum(|f| f.values),
            sum(|f| f.errors),
            sum(|f| f.warnings)
        ));
    }
    lines.join("\n")
}

fn guide_text(ctx: &Context, scope: &Scope) -> String {
    let mut lines = Vec::new();
    if ctx.kind == Kind::Return || !scope.own.is_empty() {
        lines.push("指摘事項: 提出ファイルの問題点と直し方（エラー、警告、参考の順）");
    }
    if ctx.kind == Kind::Return {
        lines.push("未提出: まだ値が届いていない指標と、入力様式の記入先");
    }
    lines.push(
        "提出内容: shukei が読み取った値。色付きの行は指摘のある値で、値のセルのメモに内容を記載",
    );
    if !scope.others.is_empty() {
        lines.push(
            "他課からの提出に関する参考: 担当指標について他の課から届いた値への指摘（確認のみ）",
        );
    }
    lines.join("\n")
}

/// Sheet 指摘事項: the findings on the department's own files.
pub(crate) fn write_issues(
    workbook: &mut Workbook,
    ctx: &Context,
    findings: &[&Finding],
) -> Result<(), XlsxError> {
    let columns = [
        Column::short("No.", 4.0, 6.0),
        Column::short("重要度", 8.0, 8.0),
        Column::wrap("ファイル", 14.0, 22.0),
        Column::wrap("シート", 8.0, 12.0),
        Column::short("セル", 6.0, 8.0),
        Column::wrap("指標", 14.0, 24.0),
        Column::wrap("記入内容", 10.0, 12.0),
        Column::wrap("指摘内容", 30.0, 48.0),
        Column::wrap("直し方", 24.0, 32.0),
    ];
    let none = [Row::new(vec![
        Value::from(""),
        Value::from("指摘はありません。"),
    ])];
    let rows = if findings.is_empty() {
        Rows::made(&none)
    } else {
        Rows::new(findings.len(), |i| {
            let f = findings.get(i).copied();
            f.map(|f| finding_row(ctx, f, number(i + 1), None))
                .unwrap_or_default()
        })
    };
    let lead = format!(
        "{}から提出されたファイルについての指摘です（{}）。エラーは修正して再提出してください。\
         警告は内容を確認し、誤りがあれば修正してください。参考はお知らせです。",
        ctx.department, ctx.period
    );
    write_table(
        workbook,
        "指摘事項",
        &ctx.page,
        "指摘事項",
        &lead,
        &columns,
        &rows,
    )
}

/// A row number as a cell (the No. column).
fn number(n: usize) -> Value<'static> {
    Value::Number(n as f64)
}

/// A finding as a row: first cell (number or department), severity, place, texts.
fn finding_row<'a>(
    ctx: &Context,
    f: &'a Finding,
    first: Value<'a>,
    sender: Option<String>,
) -> Row<'a> {
    let mut cells = vec![first, Value::from(f.severity.label_ja())];
    if let Some(sender) = sender {
        cells.push(Value::from(sender));
    }
    cells.extend([
        Value::from(file_name(&f.at.file)),
        Value::from(f.at.sheet.as_deref().unwrap_or_default()),
        Value::from(f.at.a1()),
        Value::from(indicator_label(ctx.catalogue, f.indicator_id.as_deref())),
        Value::from(f.raw.as_str()),
        Value::from(f.text()),
        Value::from(f.hint),
    ]);
    Row {
        cells,
        fill: severity_fill(f.severity),
    }
}

fn severity_fill(s: Severity) -> Option<u32> {
    match s {
        Severity::Error => Some(table::FILL_ERROR),
        Severity::Warning => Some(table::FILL_WARNING),
        Severity::Info => None,
    }
}

/// Sheet 未提出: the indicators still owed, with the template row to fill.
pub(crate) fn write_owed(
    workbook: &mut Workbook,
    ctx: &Context,
    owed: &[String],
    own: &[&Finding],
) -> Result<(), XlsxError> {
    let columns = [
        Column::short("指標ID", 8.0, 10.0),
        Column::wrap("指標名", 20.0, 50.0),
        Column::short("単位", 6.0, 10.0),
        Column::wrap("報告する期間", 14.0, 24.0),
        Column::wrap("記入先", 30.0, 50.0),
        Column::wrap("備考", 20.0, 40.0),
    ];
    let mut made: Vec<Row> = owed_indicators(ctx.catalogue, owed)
        .into_iter()
        .map(|ind| {
            Row::new(vec![
                Value::from(ind.id.as_str()),
                Value::from(ind.name.as_str()),
                Value::from(unit_label(ind.unit.symbol())),
                Value::from(due_label(ctx.result.period, ind.aggregation)),
                Value::from(format!("shukei template の入力様式の ID {} の行", ind.id)),
                Value::from(owed_remark(&ind.id, own)),
            ])
        })
        .collect();
    if made.is_empty() {
        made.push(Row::new(vec![
            Value::from(""),
            Value::from("未提出の指標はありません。"),
        ]));
    }
    let rows = Rows::made(&made);
    let lead = format!(
        "{}として、次の指標の値がまだ届いていません。入力様式の該当する行に記入して提出してください。",
        ctx.period
    );
    write_table(
        workbook,
        "未提出",
        &ctx.page,
        "未提出の指標",
        &lead,
        &columns,
        &rows,
    )
}

/// Why an indicator the department did send still counts as owed.
fn owed_remark(id: &str, own: &[&Finding]) -> &'static str {
    let rejected = own
        .iter()
        .any(|f| f.severity == Severity::Error && f.indicator_id.as_deref() == Some(id));
    if rejected {
        "提出されましたが、エラーのため採用していません（「指摘事項」シート参照）"
    } else {
        ""
    }
}

fn unit_label(symbol: &str) -> &str {
    if symbol.is_empty() {
        "（単位なし）"
    } else {
        symbol
    }
}

/// The period a value is due for: the month (or its fiscal year's value), or the
/// fiscal year for indicators reported once a year.
fn due_label(period: Option<Period>, aggregation: Aggregation) -> String {
    match period {
        None => String::new(),
        Some(Period::Month(m)) if aggregation == Aggregation::Annual => {
            format!("{}（年1回報告）", m.fiscal_year().label_ja())
        }
        Some(p) => p.label_ja(),
    }
}

/// Sheet 提出内容: the values as read, problem cells filled and noted.
pub(crate) fn write_values(
    workbook: &mut Workbook,
    ctx: &Context,
    scope: &Scope,
) -> Result<(), XlsxError> {
    let columns = [
        Column::short("指標ID", 8.0, 10.0),
        Column::wrap("指標名", 20.0, 32.0),
        Column::short("期間", 10.0, 14.0),
        Column::short("値", 8.0, 14.0),
        Column::short("単位", 6.0, 8.0),
        Column::wrap("元の記入", 10.0, 12.0),
        Column::wrap("ファイル", 14.0, 22.0),
        Column::wrap("シート", 8.0, 12.0),
        Column::short("セル", 6.0, 8.0),
        Column::wrap("扱い", 8.0, 16.0),
        Column::wrap("指摘", 10.0, 30.0),
    ];
    let by_place = findings_by_place(&scope.own);
    // Notes go on the first values with findings, up to the cap: the values before
    // `noted_until` (made one by one, rows must not count as they go).
    let mut noted = 0;
    let noted_until = scope
        .values
        .iter()
        .position(|v| {
            noted += usize::from(!findings_at(&by_place, v).is_empty());
            noted > ctx.max_notes
        })
        .unwrap_or(scope.values.len());
    // Each period's label, made once (a label per value, two `format!`s each, was 5 %
    // of a department's workbook).
    let mut labels: foldhash::HashMap<Period, String> = foldhash::HashMap::default();
    for v in &scope.values {
        labels
            .entry(v.period())
            .or_insert_with(|| v.period().label_ja());
    }
    let none = [Row::new(vec![
        Value::from(""),
        Value::from("読み取った値はありません。"),
    ])];
    let rows = if scope.values.is_empty() {
        Rows::made(&none)
    } else {
        Rows::new(scope.values.len(), |i| match scope.values.get(i) {
            Some(v) => value_row(ctx, *v, findings_at(&by_place, v), &labels),
            None => Row::default(),
        })
        .with_notes(|i| {
            let v = scope.values.get(i).filter(|_| i < noted_until)?;
            value_note(findings_at(&by_place, v))
        })
    };
    let noted_all = noted_until == scope.values.len();
    let notes_lead = if noted_all {
        "色の付いた行は指摘のある値で、「値」のセルのメモ（コメント）に内容と直し方を書いています。"
            .to_string()
    } else {
        format!(
            "色の付いた行は指摘のある値で、先頭から {} 件の「値」のセルのメモ（コメント）に内容と直し方を書いています（すべての指摘の内容と直し方は「指摘事項」シートにあります）。",
            crate::report::thousands(ctx.max_notes as f64)
        )
    };
    let lead = format!(
        "shukei がファイルから読み取った値です。「値」は指標の単位に換算した数値、「元の記入」はセルの内容です。{notes_lead}"
    );
    write_table(
        workbook,
        "提出内容",
        &ctx.page,
        "提出内容（読み取った値）",
        &lead,
        &columns,
        &rows,
    )
}

/// The findings of each place, in their order: looked up per value (a scan of every
/// finding for each value was quadratic, 36,000 values × 7,000 findings for a
/// department that sent 2,000 files).
fn findings_by_place<'a>(findings: &[&'a Finding]) -> ByPlace<'a> {
    let mut out = ByPlace::default();
    for f in findings {
        out.entry(f.at.place()).or_default().push(f);
    }
    out
}

/// The most cells of 提出内容 that carry a note: rust_xlsxwriter keeps each note in
/// memory until the workbook is saved and then writes its text twice (comment and
/// drawing), about 2.5 KB each; 900,000 notes (a department that sent 18 files of
/// 50,000 values, each of them a finding) took gigabytes and made a workbook that
/// Excel opens only slowly. Every finding is in 指摘事項 in full anyway.
pub(crate) const MAX_NOTES: usize = 10_000;

/// The findings of each place. The places hold their file's path: hashed with
/// foldhash, not SipHash, which took 4 % of a department's workbook (three lookups
/// per value).
type ByPlace<'a> = foldhash::HashMap<Place<'a>, Vec<&'a Finding>>;

/// The findings on a value's cell.
fn findings_at<'m>(by_place: &'m ByPlace<'m>, v: &ValueRow<'m>) -> &'m [&'m Finding] {
    by_place.get(&v.place_key()).map_or(&[][..], Vec::as_slice)
}

/// A value's row; `here` are the findings on its cell, `labels` the periods' labels.
fn value_row<'a>(
    ctx: &Context<'a>,
    v: ValueRow<'a>,
    here: &[&Finding],
    labels: &'a foldhash::HashMap<Period, String>,
) -> Row<'a> {
    let ind = ctx.catalogue.indicator(v.indicator_id());
    let period = match labels.get(&v.period()) {
        Some(label) => Value::from(label.as_str()),
        None => Value::from(v.period().label_ja()),
    };
    let cells = vec![
        Value::from(v.indicator_id()),
        Value::from(ind.map_or("", |i| i.name.as_str())),
        period,
        Value::Number(v.value()),
        Value::from(ind.map_or("", |i| unit_label(i.unit.symbol()))),
        Value::from(v.raw()),
        Value::from(file_name(v.file())),
        Value::from(v.sheet().unwrap_or_default()),
        Value::from(v.a1()),
        Value::from(status_label(v.status())),
        Value::from(finding_titles(here)),
    ];
    let worst = here.iter().map(|f| f.severity).min();
    let fill = match worst {
        Some(s) => severity_fill(s).or(Some(table::FILL_INFO)),
        None => status_fill(v.status()),
    };
    Row { cells, fill }
}

/// The note on a value with findings (`here`): on its 値 cell, their messages and fixes.
fn value_note(here: &[&Finding]) -> Option<(u16, String)> {
    (!here.is_empty()).then(|| (3, note_text(here)))
}

/// How a value was used, in Japanese.
fn status_label(status: Status) -> &'static str {
    match status {
        Status::Used => "採用",
        Status::Superseded => "置換え（新しい提出を採用）",
        Status::Conflict => "不採用（他課と食い違い）",
        Status::Rejected => "不採用（エラー）",
    }
}

fn status_fill(status: Status) -> Option<u32> {
    match status {
        Status::Used => None,
        Status::Superseded => Some(table::FILL_INFO),
        Status::Conflict | Status::Rejected => Some(table::FILL_ERROR),
    }
}

/// `エラー: 課によって食い違う値` per finding, one a line (titles from the rules).
fn finding_titles(findings: &[&Finding]) -> String {
    findings
        .iter()
        .map(|f| {
            let title = Rule::by_code(f.code).map_or(f.code, |r| r.title);
            format!("{}: {title}", f.severity.label_ja())
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The note on a value cell: each finding's message (without the place, which is the
/// cell itself) and hint.
fn note_text(findings: &[&Finding]) -> String {
    findings
        .iter()
        .map(|f| {
            format!(
                "【{}】{}\n直し方: {}",
                f.severity.label_ja(),
                f.text(),
                f.hint
            )
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Sheet 他課からの提出に関する参考: other departments' values of its indicators.
pub(crate) fn write_others(
    workbook: &mut Workbook,
    ctx: &Context,
    findings: &[&Finding],
) -> Result<(), XlsxError> {
    let columns = [
        Column::short("No.", 4.0, 6.0),
        Column::short("重要度", 8.0, 8.0),
        Column::wrap("提出した課", 10.0, 20.0),
        Column::wrap("ファイル", 14.0, 22.0),
        Column::wrap("シート", 8.0, 12.0),
        Column::short("セル", 6.0, 8.0),
        Column::wrap("指標", 14.0, 24.0),
        Column::wrap("記入内容", 10.0, 12.0),
        Column::wrap("指摘内容", 30.0, 48.0),
        Column::wrap("提出した課への直し方", 24.0, 32.0),
    ];
    // Each file's department, once (not a scan of every file per finding).
    let senders: HashMap<&str, Option<&str>> = ctx
        .result
        .files
        .iter()
        .map(|f| (&*f.file, f.department.as_deref()))
        .collect();
    let rows = Rows::new(findings.len(), |i| {
        let Some(f) = findings.get(i).copied() else {
            return Row::default();
        };
        let sender = senders.get(&*f.at.file).copied().flatten();
        let sender = sender.unwrap_or("担当課不明").to_string();
        finding_row(ctx, f, number(i + 1), Some(sender))
    });
    let lead = format!(
        "{}が担当する指標について、他の課から届いた値への指摘です（{}）。\
         同じ指摘は提出した課にも送っています。担当課として内容を確認し、必要なら提出した課と調整してください。",
        ctx.department, ctx.period
    );
    write_table(
        workbook,
        "他課からの提出に関する参考",
        &ctx.page,
        "他課からの提出に関する参考",
        &lead,
        &columns,
        &rows,
    )
}

/// The note a value row gets, for tests (calamine does not read notes).
#[cfg(test)]
pub(crate) fn test_value_note(v: ValueRow, own: &[&Finding]) -> Option<String> {
    let by_place = findings_by_place(own);
    value_note(findings_at(&by_place, &v)).map(|(_, text)| text)
}
