//! Every finding shukei reports: its stable code, severity, Japanese message and fix
//! hint. The one source for the wording used in issues.csv, the report's 検証結果 sheet,
//! the terminal and the departments' feedback workbooks.
//!
//! Codes start with the severity (`E-`, `W-`, `I-`), except the machine-readability
//! lint's `MR-` codes ([`crate::lint`]), which are warnings or infos and name the check
//! item of 総務省「統計表における機械判読可能なデータの表記方法の統一ルール」in their title.

use crate::model::{CellRef, Finding, Severity};

/// A rule: code, severity and the fix hint shown with every finding of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub code: &'static str,
    pub severity: Severity,
    /// What the rule checks, for documentation.
    pub title: &'static str,
    pub hint: &'static str,
}

macro_rules! rules {
    ($($name:ident = $code:literal, $sev:ident, $title:literal, $hint:literal;)*) => {
        $(
            #[doc = $title]
            pub const $name: Rule = Rule { code: $code, severity: Severity::$sev, title: $title, hint: $hint };
        )*
        /// Every rule, for documentation and tests.
        pub const ALL: &[Rule] = &[$($name),*];
    };
}

rules! {
    FILE_EMPTY = "E-FILE-EMPTY", Error, "空のファイル", "内容を保存したファイルを送り直してください。";
    FILE_ENCRYPTED = "E-FILE-ENCRYPTED", Error, "パスワード付きのファイル", "パスワードを解除して保存し直したファイルを送ってください。";
    FILE_LIMIT = "E-FILE-LIMIT", Error, "上限を超えるファイル", "不要なシートや行を削除してから送り直すか、企画担当課に相談してください。";
    FILE_UNREADABLE = "E-FILE-UNREADABLE", Error, "読めないファイル", "Excel で開けるか確認し、xlsx 形式で保存し直して送ってください。";
    FILE_SKIPPED = "I-FILE-SKIPPED", Info, "読まなかったファイル", "提出は Excel（xlsx など）・ODS・CSV のファイルでお願いします。";
    FILE_ENCODING = "W-FILE-ENCODING", Warning, "文字化けのある CSV", "CSV を UTF-8 または Shift_JIS で保存し直してください。";
    SUBMISSION_EMPTY = "E-SUBMISSION-EMPTY", Error, "空の提出（指標の表や値がない）", "「指標名」の見出し行と、年度（令和6年度など）や月（令和6年4月など）の列見出しがある表で提出してください。shukei template で作った様式の利用をおすすめします。";
    SHEET_HIDDEN = "I-SHEET-HIDDEN", Info, "非表示シート", "非表示シートの内容も読み取りました。意図しない値であれば削除してください。";
    COLUMN_IGNORED = "I-COLUMN-IGNORED", Info, "読み取らなかった列", "値の列であれば、見出しを「令和6年度」「令和6年4月」のような期間にしてください。";
    CELL_EXCEL_ERROR = "E-CELL-EXCEL-ERROR", Error, "Excel のエラー値", "数式の参照先を確認し、正しい数値が表示されるようにしてください。";
    VALUE_NONNUMERIC = "E-VALUE-NONNUMERIC", Error, "数値でない値", "数値だけを入力してください（単位や注記は備考欄へ）。値がない場合は空欄にしてください。";
    VALUE_PENDING = "W-VALUE-PENDING", Warning, "未確定の値（調査中など）", "値が確定したら数値を入力して提出し直してください。";
    VALUE_DATE = "E-VALUE-DATE", Error, "日付になっている値", "セルの表示形式を「数値」にして、数値を入力し直してください。";
    VALUE_UNIT = "E-VALUE-UNIT", Error, "指標に合わない単位", "指標の単位に合わせた数値を入力してください。";
    VALUE_NOT_INTEGER = "W-VALUE-NOT-INTEGER", Warning, "件数・人数が整数でない", "件数・人数などは整数で入力してください。";
    VALUE_NEGATIVE = "E-VALUE-NEGATIVE", Error, "負になりえない値が負", "符号（△・▲・-）を確認してください。";
    VALUE_PERCENT_RANGE = "E-VALUE-PERCENT-RANGE", Error, "0〜100 の範囲外の割合", "割合は 0〜100 の % の数値で入力してください（66.8% なら 66.8）。";
    VALUE_DUPLICATE = "E-VALUE-DUPLICATE", Error, "同じファイル内で食い違う値", "同じ指標・期間の値は 1 か所だけに入力してください。";
    INDICATOR_UNKNOWN = "E-INDICATOR-UNKNOWN", Error, "指標名が不明", "指標名を様式（指標カタログ）のとおりに記入してください。";
    VALUE_UNASSIGNED = "I-VALUE-UNASSIGNED", Info, "指標が特定できず取り込まなかった値", "同じ行の指標名を正しく直すと取り込まれます。";
    ID_NAME_MISMATCH = "W-ID-NAME-MISMATCH", Warning, "指標 ID と指標名の食い違い", "ID 列と指標名の組合せを確認してください。ID を優先して読み取りました。";
    DEPARTMENT_NOT_RESPONSIBLE = "W-DEPARTMENT-NOT-RESPONSIBLE", Warning, "担当外の課からの値", "この指標の担当課に確認し、担当課から提出してもらってください。";
    DEPARTMENT_UNKNOWN = "W-DEPARTMENT-UNKNOWN", Warning, "提出課が特定できない", "ファイル名の先頭に課名を付けてください（例: 広報広聴課_令和6年11月.xlsx）。";
    PERIOD_OUTSIDE_PLAN = "E-PERIOD-OUTSIDE-PLAN", Error, "計画期間外の期間", "計画期間（令和6年度〜令和8年度）の値だけを入力してください。";
    PERIOD_FUTURE = "E-PERIOD-FUTURE", Error, "報告期間より後の期間", "まだ来ていない期間の値は入力しないでください。";
    PERIOD_MONTHLY_ANNUAL = "I-PERIOD-MONTHLY-ANNUAL", Info, "年度で評価する指標に月の値", "年度の値も報告してください（月の値から年度の値は作りません）。";
    CUMULATIVE_DECREASE = "E-CUMULATIVE-DECREASE", Error, "累計の指標が減少", "累計値は前の期間より小さくなりません。値を確認してください。";
    MONTHLY_JUMP = "W-MONTHLY-JUMP", Warning, "前月からの急な変化", "前月からの変化が大きすぎます。桁や単位を確認してください。";
    YEAR_MONTH_MISMATCH = "W-YEAR-MONTH-MISMATCH", Warning, "年度値と月の値の集計が食い違う", "年度の値と月の値のどちらが正しいか確認してください（決算値と月次の累計が異なるのは正常な場合もあります）。";
    CONFLICT = "E-CONFLICT", Error, "課によって食い違う値", "どちらの値が正しいか、関係課で確認して 1 つにしてください。";
    SUPERSEDED = "I-SUPERSEDED", Info, "新しい提出で置き換えた値", "対応は不要です。新しいファイルの値を使いました。";
    TEMPLATE_ROW_MISSING = "W-TEMPLATE-ROW-MISSING", Warning, "様式の行が削除されている", "様式の行は削除しないでください。値がない場合は空欄のままにしてください。";
    MR_MULTI_VALUE = "MR-MULTI-VALUE", Warning, "1セルに複数のデータ（統一ルール 1-2）", "1 つのセルには 1 つの値だけを入力してください。内訳や前年値などは別の列に分けてください。";
    MR_NUMBER_AS_TEXT = "MR-NUMBER-AS-TEXT", Warning, "文字列として保存された数値（統一ルール 1-3）", "セルの表示形式を「数値」（または「標準」）にして、数値として入力し直してください。";
    MR_UNIT_IN_CELL = "MR-UNIT-IN-CELL", Warning, "数値のセルに単位や記号（統一ルール 1-3）", "セルには数値だけを入力し、単位（%・件・人など）は単位列か見出しに書いてください。";
    MR_MERGED_CELLS = "MR-MERGED-CELLS", Warning, "セルの結合（統一ルール 1-4）", "セルの結合を解除し、見出しや値はそれぞれのセルに入力してください。";
    MR_LAYOUT_SPACES = "MR-LAYOUT-SPACES", Info, "スペースや改行で体裁を整えている（統一ルール 1-5）", "文字の前後や間のスペース・セル内の改行を削除し、列幅や配置の設定で見た目を整えてください。";
    MR_ITEM_OMITTED = "MR-ITEM-OMITTED", Warning, "項目名の省略（統一ルール 1-6）", "空欄の見出しには項目名を入力し、「同上」「〃」は省略せずに同じ内容を入力してください。";
    MR_FORMULA = "MR-FORMULA", Info, "数式が残っている（統一ルール 1-7）", "提出前に数式のセルをコピーし「値として貼り付け」で数値にしてください。";
    MR_PICTURE = "MR-PICTURE", Warning, "図形・画像・グラフ（統一ルール 1-8）", "図形・画像・グラフ・テキストボックスは削除し、必要な情報はセルに入力してください。";
    MR_UNIT_MISSING = "MR-UNIT-MISSING", Warning, "単位の記載がない（統一ルール 1-9）", "「単位」列を設けるか、見出しに「(%)」「(件)」のように単位を書いてください。";
    MR_MACHINE_DEPENDENT = "MR-MACHINE-DEPENDENT", Warning, "機種依存文字（統一ルール 1-10）", "機種依存文字を置き換えてください（①→(1)、㈱→(株)、㍻→平成、Ⅰ→I、㎏→kg など）。";
    MR_ERA_ONLY = "MR-ERA-ONLY", Info, "和暦だけの時点表記（統一ルール 1-11）", "年度は西暦で書くか、和暦に西暦を併記してください（例: 2024年度、令和6年度(2024年度)）。";
    MR_SPECIAL_SYMBOL = "MR-SPECIAL-SYMBOL", Warning, "数値の列に特殊記号（統一ルール 1-13）", "「***」「X」「…」などの記号は使わず、値がない場合は空欄にして、理由は備考列に書いてください。";
    MR_TABLE_SPLIT = "MR-TABLE-SPLIT", Warning, "空行・空列で分断された表（統一ルール 2-1）", "表の途中の空行・空列を削除し、1 つの表として続けて入力してください。";
    MR_MULTIPLE_TABLES = "MR-MULTIPLE-TABLES", Info, "1シートに複数の表（統一ルール 2-2）", "表ごとにシートを分けるか、1 つの表にまとめてください（展開方向などは列で区別できます）。";
}

/// Longest message kept (characters); a cell of 32,767 characters quoted in a message
/// must not make the report unwritable (Excel's cell limit).
pub const MAX_MESSAGE_CHARS: usize = 1000;
/// Longest raw cell text kept in a finding (characters).
pub const MAX_RAW_CHARS: usize = 500;

/// Cuts text to `max` characters, saying how long it was.
///
/// ```
/// assert_eq!(shukei::rules::clip("あいうえお", 3), "あいう…（全 5 文字）");
/// assert_eq!(shukei::rules::clip("abc", 3), "abc");
/// ```
pub fn clip(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        None => s.to_string(),
        Some((cut, _)) => format!("{}…（全 {} 文字）", &s[..cut], s.chars().count()),
    }
}

impl Rule {
    /// Makes a finding of this rule at a place.
    pub fn at(&self, at: CellRef, message: String) -> Finding {
        let message = match message.char_indices().nth(MAX_MESSAGE_CHARS) {
            Some(_) => clip(&message, MAX_MESSAGE_CHARS),
            None => message,
        };
        Finding::new(self.severity, self.code, at, message, self.hint)
    }

    /// Looks a rule up by its code.
    pub fn by_code(code: &str) -> Option<&'static Rule> {
        ALL.iter().find(|r| r.code == code)
    }
}

/// Builder helpers used by every stage.
pub trait FindingExt {
    /// Sets the indicator ID.
    fn indicator(self, id: &str) -> Self;
    /// Sets the raw text.
    fn raw(self, raw: impl Into<String>) -> Self;
}

impl FindingExt for Finding {
    fn indicator(mut self, id: &str) -> Self {
        self.indicator_id = Some(std::sync::Arc::from(id));
        self
    }

    fn raw(mut self, raw: impl Into<String>) -> Self {
        self.raw = clip(&raw.into(), MAX_RAW_CHARS);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_prefixed_by_severity() {
        let mut codes: Vec<&str> = ALL.iter().map(|r| r.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), ALL.len());
        for rule in ALL {
            let prefix = match rule.severity {
                Severity::Error => "E-",
                Severity::Warning => "W-",
                Severity::Info => "I-",
            };
            if rule.code.starts_with("MR-") {
                // The machine-readability lint: its own prefix, never an error.
                assert_ne!(rule.severity, Severity::Error, "{}", rule.code);
                assert!(rule.title.contains("統一ルール"), "{}", rule.code);
            } else {
                assert!(rule.code.starts_with(prefix), "{}", rule.code);
            }
            assert!(!rule.hint.is_empty());
        }
    }

    #[test]
    fn findings_carry_the_rule_hint() {
        let f = VALUE_NONNUMERIC
            .at(CellRef::cell("a.xlsx", "入力", 1, 2), "x".into())
            .indicator("31-0-1");
        assert_eq!(f.code, "E-VALUE-NONNUMERIC");
        assert_eq!(f.indicator_id.as_deref(), Some("31-0-1"));
        assert!(f.hint.contains("数値"));
    }
}
