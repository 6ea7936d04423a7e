use super::*;
use crate::model::{FiscalYear, Unit};

/// A one-indicator catalogue; `indicator` replaces the indicator's fields.
fn small_toml(indicator: &str, extra: &str) -> String {
    format!(
        r#"
version = "t"
municipality_code = "232068"
municipality_name = "小牧市"
departments = ["行政改革課"]
action_items = [
    {{ number = 1, policy = 31, direction = 1, title = "窓口業務の改善", departments = ["行政改革課", "関係課"] }},
]

[[policies]]
number = 31
name = "行政サービス"
purpose = "目的"
directions = [{{ number = 1, name = "利便性の高い市民サービスを提供します" }}]

[[indicators]]
{indicator}
{extra}
"#
    )
}

const GOOD_INDICATOR: &str = r#"
id = "31-0-1"
name = "マイナンバーカード保有率"
unit = "%"
baseline = 66.8
trend = "up"
department = "行政改革課"
aggregation = "last"
"#;

fn messages_of_check(text: &str) -> Vec<String> {
    let catalogue = Catalogue::from_toml(text).expect("converts");
    catalogue.check().iter().map(ToString::to_string).collect()
}

#[test]
fn builtin_parses_and_passes_check() {
    let catalogue = Catalogue::from_toml(BUILTIN_TOML).expect("built-in converts");
    assert_eq!(catalogue.check(), Vec::<CatalogueProblem>::new());
    assert_eq!(catalogue.indicators.len(), 47);
    assert_eq!(catalogue.action_items.len(), 51);
    assert_eq!(catalogue.projects.len(), 3);
    assert_eq!(catalogue.policies.len(), 4);
    assert_eq!(catalogue.departments.len(), 14);
    assert_eq!(catalogue.municipality_code, "232068");
}

#[test]
fn builtin_indicators_match_the_seed() {
    // (id, baseline, unit, fiscal year, trend, reference)
    let cases = [
        ("31-0-1", Some(66.8), Unit::Percent, 2022, Trend::Up, None),
        ("32-0-1", Some(15.3), Unit::Percent, 2021, Trend::Down, None),
        (
            "32-0-2",
            Some(3.0),
            Unit::Rank,
            2022,
            Trend::Up,
            Some("3/17 団体"),
        ),
        (
            "33-0-1",
            Some(88.7),
            Unit::Percent,
            2021,
            Trend::Keep,
            Some("27/37 団体"),
        ),
        (
            "33-0-2",
            Some(1.22),
            Unit::None,
            2021,
            Trend::Keep,
            Some("4/37 団体"),
        ),
        (
            "33-3-1",
            Some(0.8),
            Unit::Percent,
            2021,
            Trend::Max(2.5),
            None,
        ),
        (
            "30-3-1",
            Some(740_454.0),
            Unit::KenPerMonth,
            2022,
            Trend::Up,
            None,
        ),
        ("30-1-1", Some(262.0), Unit::Dantai, 2022, Trend::Up, None),
        ("30-0-1", None, Unit::Percent, 2022, Trend::Up, None),
        (
            "33-1-1",
            Some(1_325_815.0),
            Unit::SenEn,
            2022,
            Trend::Up,
            None,
        ),
        ("32-4-3", Some(0.0), Unit::Kashitsu, 2022, Trend::Up, None),
    ];
    let catalogue = Catalogue::builtin();
    for (id, baseline, unit, fy, trend, reference) in cases {
        let i = catalogue.indicator(id).expect(id);
        assert_eq!(i.baseline, baseline, "baseline of {id}");
        assert_eq!(i.unit, unit, "unit of {id}");
        assert_eq!(i.baseline_fy, FiscalYear(fy), "fy of {id}");
        assert_eq!(i.trend, trend, "trend of {id}");
        assert_eq!(i.reference.as_deref(), reference, "reference of {id}");
    }
}

#[test]
fn builtin_rules_and_names() {
    let catalogue = Catalogue::builtin();
    let get = |id: &str| catalogue.indicator(id).expect("indicator exists");
    assert_eq!(get("30-3-1").aggregation, Aggregation::Mean);
    assert_eq!(get("30-3-2").aggregation, Aggregation::Last);
    assert!(get("30-3-2").cumulative);
    assert_eq!(get("33-0-1").tolerance, Some(2.0));
    assert_eq!(
        get("30-1-1").name,
        "こまき市民交流テラス「ワクティブこまき」利用登録団体数"
    );
    assert!(get("30-1-1")
        .aliases
        .iter()
        .any(|a| a.contains("ワークタイプこまき")));
    assert!(get("30-3-4")
        .aliases
        .iter()
        .any(|a| a.contains("デジタルデバйд")));
    assert_eq!(get("30-3-3").name, "市SNSのフォロワー数");
    assert_eq!(
        catalogue
            .indicator_by_name("市 SNS のフォロワー数")
            .map(|i| i.id.as_str()),
        Some("30-3-3")
    );
    assert_eq!(catalogue.indicators_of("財政課").count(), 5);
    let item = catalogue
        .action_items
        .iter()
        .find(|a| a.number == 13)
        .expect("No.13");
    assert_eq!(item.departments, ["行政改革課", "市民窓口課", "関係課"]);
    let last = catalogue.action_items.last().expect("No.51");
    assert_eq!((last.number, last.policy, last.direction), (51, 33, 4));
    let project = &catalogue.projects[2];
    assert_eq!(
        (project.budget, project.debt_burden),
        (115_580.0, Some(107_910.0))
    );
}

#[test]
fn builtin_departments_follow_the_agreed_mapping() {
    let cases = [
        ("30-0-1", "支え合い協働推進課"),
        ("30-0-2", "自治会支援室"),
        ("30-3-5", "行政改革課"),
        ("31-0-3", "市民窓口課"),
        ("31-0-4", "行政改革課"),
        ("31-1-2", "広報広聴課"),
        ("31-2-1", "秘書政策課"),
        ("32-0-2", "人事課"),
        ("32-1-5", "行政改革課"),
        ("33-0-3", "資産管理課"),
        ("33-1-2", "収税課"),
        ("33-4-1", "資産管理課"),
    ];
    let catalogue = Catalogue::builtin();
    for (id, department) in cases {
        let got = catalogue.indicator(id).map(|i| i.department.as_str());
        assert_eq!(got, Some(department), "department of {id}");
    }
}

#[test]
fn conversion_errors_name_the_entry() {
    // (field replaced in the good indicator, expected message fragment)
    let cases = [
        (
            "trend = \"up\"",
            "trend = \"sideways\"",
            "目指す方向 \"sideways\"",
        ),
        ("baseline = 66.8", "baseline = \"abc\"", "基準値 \"abc\""),
        ("unit = \"%\"", "unit = \"ドル\"", "単位 \"ドル\""),
        (
            "aggregation = \"last\"",
            "aggregation = \"median\"",
            "集計方法 \"median\"",
        ),
        ("trend = \"up\"", "trend = \"max\"", "上限 (bound)"),
        (
            "baseline = 66.8",
            "baseline = 66.8\nbaseline_fy = \"令和X年度\"",
            "基準年度",
        ),
    ];
    for (from, to, fragment) in cases {
        let text = small_toml(&GOOD_INDICATOR.replace(from, to), "");
        let message = match Catalogue::from_toml(&text) {
            Err(e) => e.to_string(),
            Ok(_) => panic!("{to:?} should not convert"),
        };
        assert!(
            message.starts_with("指標 31-0-1 (マイナンバーカード保有率): "),
            "{to:?}: {message}"
        );
        assert!(message.contains(fragment), "{to:?}: {message}");
    }
}

#[test]
fn conversion_reports_every_bad_entry() {
    let bad = GOOD_INDICATOR
        .replace("\"up\"", "\"sideways\"")
        .replace("\"%\"", "\"ドル\"");
    match Catalogue::from_toml(&small_toml(&bad, "")) {
        Err(CatalogueError::Entries(entries)) => assert_eq!(entries.len(), 2, "{entries:?}"),
        other => panic!("expected entry errors, got {other:?}"),
    }
}

#[test]
fn syntax_errors_are_reported_in_japanese() {
    let message = Catalogue::from_toml("version = ")
        .map(|_| ())
        .unwrap_err()
        .to_string();
    assert!(
        message.starts_with("TOML の形式が正しくありません"),
        "{message}"
    );
}

#[test]
fn check_problems_name_the_entry() {
    let second = GOOD_INDICATOR.replace("マイナンバーカード保有率", "別の指標");
    let no_department = GOOD_INDICATOR.replace("department = \"行政改革課\"", "");
    let other_department = GOOD_INDICATOR.replace("\"行政改革課\"", "\"総務課\"");
    let wrong_place = format!("{GOOD_INDICATOR}policy = 30\n");
    let bad_item = r#"{ number = 1, policy = 31, direction = 1,"#;
    let unknown_direction = small_toml(GOOD_INDICATOR, "")
        .replace(bad_item, r#"{ number = 1, policy = 31, direction = 7,"#);
    let cases = [
        (
            small_toml(GOOD_INDICATOR, &format!("[[indicators]]\n{second}")),
            "指標 31-0-1 (別の指標): ID が重複しています",
        ),
        (
            small_toml(&no_department, ""),
            "指標 31-0-1 (マイナンバーカード保有率): 担当課がありません",
        ),
        (
            small_toml(&other_department, ""),
            "指標 31-0-1 (マイナンバーカード保有率): 担当課 総務課 が担当課一覧にありません",
        ),
        (
            small_toml(&wrong_place, ""),
            "指標 31-0-1 (マイナンバーカード保有率): ID が基本施策 30・展開方向 0 と一致しません",
        ),
        (
            unknown_direction,
            "取組項目 No.1 (窓口業務の改善): 基本施策 31 に展開方向 7 がありません",
        ),
    ];
    for (text, want) in cases {
        let messages = messages_of_check(&text);
        assert!(
            messages.iter().any(|m| m == want),
            "want {want:?}, got {messages:?}"
        );
    }
}

#[test]
fn related_departments_are_accepted_in_action_items_only() {
    assert!(messages_of_check(&small_toml(GOOD_INDICATOR, "")).is_empty());
    let indicator = GOOD_INDICATOR.replace("\"行政改革課\"", "\"関係課\"");
    let messages = messages_of_check(&small_toml(&indicator, ""));
    assert_eq!(messages.len(), 1, "{messages:?}");
}

#[test]
fn csv_has_the_spec_columns() {
    let csv = Catalogue::builtin().to_csv();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 48);
    assert_eq!(
        lines[0],
        "id,policy,direction,name,baseline,unit,baseline_fy,trend,target,reference,department,aggregation"
    );
    let cases = [
        "31-0-1,31,0,マイナンバーカード保有率,66.8,%,FY2022,up,,,市民窓口課,last",
        "32-0-1,32,0,人件費比率(普通会計ベース),15.3,%,FY2021,down,,,人事課,annual",
        "33-3-1,33,3,実質公債費比率,0.8,%,FY2021,max,2.5,,財政課,annual",
        "30-3-1,30,3,市ホームページへのアクセス件数,740454,件/月,FY2022,up,,,広報広聴課,mean",
    ];
    for want in cases {
        assert!(lines.contains(&want), "missing line {want:?}");
    }
    assert!(!csv.contains('\r'));
}

#[test]
fn toml_round_trips() {
    let catalogue = Catalogue::builtin();
    let text = catalogue.to_toml();
    assert_eq!(Catalogue::from_toml(&text), Ok(catalogue));
}

#[test]
fn xlsx_round_trips_through_a_buffer() {
    let catalogue = Catalogue::builtin();
    let bytes = catalogue.build_xlsx().save_to_buffer().expect("saves");
    let back = Catalogue::from_xlsx_reader(std::io::Cursor::new(bytes)).expect("reads back");
    assert_eq!(back, catalogue);
}

#[test]
fn xlsx_and_toml_files_load_by_extension() {
    let dir = tempfile::tempdir().expect("temp dir");
    let catalogue = Catalogue::builtin();
    let xlsx = dir.path().join("catalogue.xlsx");
    catalogue.build_xlsx().save(&xlsx).expect("saves");
    assert_eq!(Catalogue::load(&xlsx).expect("loads xlsx"), catalogue);
    let toml = dir.path().join("catalogue.toml");
    std::fs::write(&toml, catalogue.to_toml()).expect("writes");
    assert_eq!(Catalogue::load(&toml).expect("loads toml"), catalogue);
    let other = dir.path().join("catalogue.json");
    std::fs::write(&other, "{}").expect("writes");
    assert!(Catalogue::load(&other).is_err());
}

#[test]
fn xlsx_is_deterministic() {
    let catalogue = Catalogue::builtin();
    let first = catalogue.build_xlsx().save_to_buffer().expect("saves");
    let second = catalogue.build_xlsx().save_to_buffer().expect("saves");
    assert_eq!(first, second);
}

#[test]
fn load_lists_check_problems() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bad.toml");
    let text = small_toml(
        &GOOD_INDICATOR.replace("department = \"行政改革課\"", ""),
        "",
    );
    std::fs::write(&path, text).expect("writes");
    let message = Catalogue::load(&path).map(|_| ()).unwrap_err().to_string();
    assert!(message.contains("指標 31-0-1 (マイナンバーカード保有率): 担当課がありません"));
}

#[test]
fn xlsx_cell_errors_name_sheet_and_row() {
    use rust_xlsxwriter::Workbook;
    let catalogue = Catalogue::builtin();
    let mut workbook: Workbook = catalogue.build_xlsx();
    let sheet = workbook.worksheet_from_name("指標").expect("sheet");
    sheet.write_string(3, 1, "三十").expect("writes");
    sheet.write_string(4, 8, "sideways").expect("writes");
    let bytes = workbook.save_to_buffer().expect("saves");
    let message = Catalogue::from_xlsx_reader(std::io::Cursor::new(bytes))
        .map(|_| ())
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("シート 指標 4 行目: 基本施策 \"三十\""),
        "{message}"
    );
}

#[test]
fn show_table_groups_by_policy() {
    let table = Catalogue::builtin().show_table();
    for want in [
        "基本施策 30 協働・情報共有",
        "[3] 情報共有を推進します",
        "740,454 (R4)",
        "2.5%以内",
    ] {
        assert!(table.contains(want), "missing {want:?}");
    }
    let row = table.lines().find(|l| l.contains("32-0-1")).expect("row");
    assert!(
        row.contains("15.3 (R3)") && row.contains("↘") && row.ends_with("人事課"),
        "{row}"
    );
}

#[test]
fn trend_and_aggregation_codes() {
    let cases = [
        (Trend::Up, "↗", "up"),
        (Trend::Down, "↘", "down"),
        (Trend::Keep, "→", "keep"),
        (Trend::Max(2.5), "2.5以内", "max"),
    ];
    for (trend, arrow, code) in cases {
        assert_eq!(
            (trend.arrow().as_str(), trend.code()),
            (arrow, code),
            "{trend:?}"
        );
    }
    for aggregation in Aggregation::ALL {
        assert_eq!(
            Aggregation::from_code(aggregation.code()),
            Some(aggregation)
        );
    }
}

#[test]
fn fiscal_years_in_the_catalogue() {
    let cases = [
        ("R4", Some(2022)),
        ("R04", Some(2022)),
        ("令和3年度", Some(2021)),
        ("令和元年度", Some(2019)),
        ("令和４年度", Some(2022)),
        ("平成30年度", Some(2018)),
        ("FY2021", Some(2021)),
        ("2022", Some(2022)),
        ("令和X年度", None),
        ("", None),
        ("R", None),
    ];
    for (input, want) in cases {
        assert_eq!(
            raw::parse_fiscal_year(input),
            want.map(FiscalYear),
            "input: {input:?}"
        );
    }
}

#[test]
fn widths_and_digits() {
    let cases = [("abc", 3), ("指標", 4), ("件/月", 5), ("ｱｲ", 2)];
    for (input, want) in cases {
        assert_eq!(export::display_width(input), want, "input: {input:?}");
    }
    let cases = [
        (740_454.0, "740,454"),
        (1.22, "1.22"),
        (-1234.5, "-1,234.5"),
        (0.0, "0"),
    ];
    for (input, want) in cases {
        assert_eq!(export::group_digits(input), want, "input: {input}");
    }
}

/// The ID lookup is built once, but `indicators` is public: a catalogue changed after
/// a lookup still answers from its current list, and equality ignores the lookup.
#[test]
fn indicator_lookup_follows_changes_to_the_list() {
    let mut catalogue = Catalogue::builtin();
    assert_eq!(
        catalogue.indicator("32-2-1").map(|i| i.id.as_str()),
        Some("32-2-1")
    );
    assert!(catalogue.indicator("99-9-9").is_none());
    assert_eq!(catalogue, Catalogue::builtin());
    catalogue.indicators.reverse();
    assert_eq!(
        catalogue.indicator("32-2-1").map(|i| i.id.as_str()),
        Some("32-2-1")
    );
    let mut extra = catalogue.indicators[0].clone();
    extra.id = "99-9-9".to_string();
    catalogue.indicators.push(extra);
    assert_eq!(
        catalogue.indicator("99-9-9").map(|i| i.id.as_str()),
        Some("99-9-9")
    );
    catalogue.indicators.retain(|i| i.id != "32-2-1");
    assert!(catalogue.indicator("32-2-1").is_none());
}
