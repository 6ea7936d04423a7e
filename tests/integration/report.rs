use calamine::{open_workbook_auto, Data, Range, Reader};

use crate::util::Workdir;

/// Runs consolidate on the samples (exit 1: planted errors) and opens the report.
fn report() -> (Workdir, calamine::Sheets<std::io::BufReader<std::fs::File>>) {
    let wd = Workdir::new("report").with_samples();
    let args = [
        "consolidate",
        "samples",
        "-o",
        "report.xlsx",
        "--export-dir",
        "out",
        "--quiet",
    ];
    wd.run_ok(&args, 1);
    let book = open_workbook_auto(wd.path("report.xlsx")).unwrap();
    (wd, book)
}

fn text(range: &Range<Data>) -> Vec<String> {
    range.rows().flatten().map(ToString::to_string).collect()
}

fn find_row<'a>(range: &'a Range<Data>, first: &str) -> &'a [Data] {
    range
        .rows()
        .find(|r| r.first().is_some_and(|c| *c == first))
        .unwrap_or_else(|| panic!("no row starting with {first}"))
}

#[test]
fn report_has_every_sheet_in_order() {
    let (_wd, book) = report();
    let names = book.sheet_names();
    assert_eq!(
        names,
        [
            "概要",
            "指標一覧",
            "30 協働・情報共有",
            "31 行政サービス",
            "32 行政運営",
            "33 財政運営",
            "月次推移",
            "提出状況",
            "読込ファイル",
            "検証結果",
            "機械判読性",
            "取組項目"
        ]
    );
}

#[test]
fn summary_shows_period_completeness_and_policy_counts() {
    let (_wd, mut book) = report();
    let sheet = book.worksheet_range("概要").unwrap();
    let cells = text(&sheet);
    assert!(
        cells.iter().any(|c| c.starts_with("令和6年11月")),
        "{cells:?}"
    );
    assert!(cells.iter().any(|c| c == "2024.1"), "catalogue version");
    let reported = find_row(&sheet, "報告された指標");
    assert!(reported[1].to_string().ends_with("/ 47"), "{reported:?}");
    let header = find_row(&sheet, "基本施策");
    let titles: Vec<String> = header.iter().map(ToString::to_string).collect();
    for t in ["指標数", "年度値あり", "改善", "横ばい", "悪化", "未報告"] {
        assert!(titles.iter().any(|x| x == t), "{t} missing: {titles:?}");
    }
    let total = find_row(&sheet, "合計");
    assert_eq!(total[1], Data::Float(47.0));
    assert!(matches!(
        find_row(&sheet, "改善した指標の数（32-0-3、自動計算）")[1],
        Data::Float(_)
    ));
}

#[test]
fn indicator_list_has_47_rows_of_numbers() {
    let (_wd, mut book) = report();
    let sheet = book.worksheet_range("指標一覧").unwrap();
    assert_eq!(sheet.height(), 48);
    assert_eq!(sheet.get((0, 7)), Some(&Data::String("R6".into())));
    let row = find_row(&sheet, "31-0-1");
    assert_eq!(row[3].to_string(), "マイナンバーカード保有率");
    assert_eq!(row[5], Data::Float(66.8), "baseline is a number");
    assert!(
        matches!(row[7], Data::Float(v) if v > 60.0),
        "R6: {:?}",
        row[7]
    );
    assert!(matches!(row[11], Data::Float(_)), "latest: {:?}", row[11]);
    assert_eq!(row[13].to_string(), "↗");
    assert_eq!(row[15].to_string(), "市民窓口課");
}

#[test]
fn policy_sheets_follow_the_plan_layout() {
    let (_wd, mut book) = report();
    let sheet = book.worksheet_range("30 協働・情報共有").unwrap();
    let cells = text(&sheet);
    assert_eq!(cells[0], "基本施策 30　協働・情報共有");
    for expected in [
        "◆基本施策の目的",
        "【まちの状態を表す指標】",
        "◆展開方向1:協働によるまちづくりの環境を充実します",
        "◆取組項目（自治体経営改革推進計画）",
        "市民活動団体の活動支援",
    ] {
        assert!(cells.iter().any(|c| c == expected), "{expected} missing");
    }
    let row = find_row(&sheet, "30-1-1");
    assert_eq!(row[2], Data::Float(262.0), "baseline 262 団体 as a number");
}

#[test]
fn monthly_sheet_has_the_fiscal_year_months() {
    let (_wd, mut book) = report();
    let sheet = book.worksheet_range("月次推移").unwrap();
    let header = find_row(&sheet, "ID");
    assert_eq!(header[4].to_string(), "令和6年4月");
    assert_eq!(header[15].to_string(), "令和7年3月");
    assert!(sheet.rows().skip(3).any(|r| matches!(r[4], Data::Float(_))));
}

#[test]
fn status_sheet_lists_departments_and_every_file() {
    let (wd, mut book) = report();
    let sheet = book.worksheet_range("提出状況").unwrap();
    let row = find_row(&sheet, "広報広聴課");
    assert!(["提出済", "一部未提出", "未提出", "エラーあり"].contains(&row[1].to_string().as_str()));
    let sheet = book.worksheet_range("読込ファイル").unwrap();
    let cells = text(&sheet);
    let files = std::fs::read_dir(wd.path("samples")).unwrap().count();
    let listed = cells.iter().filter(|c| c.starts_with("samples/")).count();
    assert_eq!(listed, files, "every input file is listed");
}

#[test]
fn issues_sheet_has_one_row_per_issue() {
    let (wd, mut book) = report();
    let sheet = book.worksheet_range("検証結果").unwrap();
    let issues = wd.read_csv_maps("out/issues.csv");
    assert_eq!(sheet.height(), issues.len() + 1);
    assert_eq!(sheet.get((0, 6)), Some(&Data::String("内容".into())));
    assert_eq!(sheet.get((1, 0)), Some(&Data::String("エラー".into())));
    for (i, issue) in issues.iter().enumerate() {
        let code = sheet.get((i + 1, 1)).map(ToString::to_string);
        assert_eq!(
            code.as_deref(),
            Some(issue["code"].as_str()),
            "row {}",
            i + 2
        );
    }
}

#[test]
fn actions_sheet_has_51_items_and_3_projects() {
    let (_wd, mut book) = report();
    let sheet = book.worksheet_range("取組項目").unwrap();
    let items = sheet
        .rows()
        .filter(|r| matches!(r[0], Data::Float(_)) && !r[3].to_string().is_empty())
        .count();
    assert_eq!(items, 51 + 3);
    let project = find_row(&sheet, "重点事業");
    assert_eq!(project[0].to_string(), "重点事業");
    assert!(text(&sheet)
        .iter()
        .any(|c| c == "区長事務デジタル化推進事業"));
    assert!(
        sheet.rows().any(|r| r[5] == Data::Float(5454.0)),
        "budget in 千円"
    );
}

#[test]
fn machine_readability_sheet_scores_each_department() {
    let (_wd, mut book) = report();
    let sheet = book.worksheet_range("機械判読性").unwrap();
    let text = text(&sheet);
    for dept in ["広報広聴課", "行政改革課", "財政課"] {
        assert!(text.iter().any(|t| t == dept), "{dept} missing: {text:?}");
    }
}
