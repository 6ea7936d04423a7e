//! The values of a run, kept file by file and packed.
//!
//! A value is made as a [`Record`] while a table is read: names shared as `Arc<str>`,
//! its cell text in a `String` of its own. Kept that way, a value cost 144 bytes and a
//! heap block, and a run keeps every value to the end (a million for 20 sheets of
//! 50,000 rows; 150,000 for 8,000 small files, then the largest part of the memory).
//! So each value is packed as it is read, into its file's list: a value is 40 bytes,
//! its indicator and place numbers into its file's short lists, its cell text a range
//! of the file's one text buffer, and the file's department is kept once.
//! [`ValueRow`] reads a packed value back.

use std::ops::Range;
use std::sync::Arc;

use crate::consolidate::Status;
use crate::model::{a1, CellRef, FiscalYear, Month, Period, Place, Record};

/// Every value read, file by file in the order of the files.
///
/// Values are also numbered across files (`get(i)`), in the same order as
/// [`Values::iter`].
///
/// ```
/// use shukei::consolidate::Values;
/// let values = Values::default();
/// assert!(values.is_empty() && values.get(0).is_none());
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Values {
    files: Vec<FileValues>,
    /// The number of the first value of each file's list.
    starts: Vec<usize>,
    len: usize,
}

/// The number of values of each [`Status`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatusCounts {
    pub used: usize,
    pub superseded: usize,
    pub conflict: usize,
    pub rejected: usize,
}

/// One file's values, packed (see the module's notes).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FileValues {
    department: Option<Arc<str>>,
    /// The distinct indicator IDs, in order of first use.
    ids: Vec<Arc<str>>,
    /// The distinct (file, sheet) places, in order of first use (one file, a sheet or
    /// a few: a list is shorter than a map).
    places: Vec<(Arc<str>, Option<Arc<str>>)>,
    /// Every value's cell text, one after the other.
    text: String,
    rows: Vec<Packed>,
    /// The numbers of the values too wide for a [`Packed`] (see [`Wide`]), in value
    /// order. Boxed: most files have none, and `None` takes 8 bytes of every file's
    /// list where a `Vec` takes 24.
    #[allow(clippy::box_collection)]
    wide: Option<Box<Vec<Wide>>>,
}

/// One value: numbers into its [`FileValues`]' lists, 24 bytes (40 until the
/// sixteenth round: the cell text's end and the status had fields of their own, and
/// the column and the numbers of the ID and place 4 bytes each).
#[derive(Debug, Clone, PartialEq)]
struct Packed {
    value: f64,
    /// Where its cell text starts in the file's text; it ends where the next value's
    /// starts (the texts are added in the values' order), or at the text's end.
    raw: u32,
    /// The period and the status in one word ([`When`]).
    when: When,
    /// The cell's 0-based row; `u32::MAX` for a value without a cell (the input limits
    /// keep real rows far below it).
    row: u32,
    /// The cell's 0-based column.
    col: u16,
    /// The number of the indicator ID in the file's list; [`Packed::WIDE`]: the
    /// value's numbers are in its file's [`Wide`] list.
    id: u8,
    /// The number of the file and sheet in the file's list.
    place: u8,
}

impl Packed {
    /// Marks a value whose column, ID number or place number does not fit.
    const WIDE: u8 = u8::MAX;
    const NO_ROW: u32 = u32::MAX;
}

/// The numbers of a value that do not fit in a [`Packed`]: a column past 65,535 (a
/// CSV file can have one), or a file with more than 254 indicators or 256 sheets.
#[derive(Debug, Clone, PartialEq)]
struct Wide {
    /// The value's position in its file.
    index: usize,
    col: u32,
    id: u32,
    place: u32,
}

/// A period and a status in 4 bytes: the year in the upper half, the month in the
/// next byte, and in the lowest byte the status (bits 0–1) and whether it is a month
/// (bit 7). Apart, the two took 5 bytes and made every [`Packed`] 40 bytes.
#[derive(Debug, Clone, Copy, PartialEq)]
struct When(u32);

impl When {
    const MONTH: u32 = 0x80;

    fn new(period: Period, status: Status) -> Self {
        let (year, month) = match period {
            Period::Year(fy) => (fy.0, None),
            Period::Month(m) => (m.year, Some(m.month)),
        };
        let flag = month.map_or(0, |_| Self::MONTH);
        let word = u32::from(year) << 16 | u32::from(month.unwrap_or(0)) << 8 | flag;
        When(word | Self::status_bits(status))
    }

    /// The status in the lowest two bits.
    fn status_bits(status: Status) -> u32 {
        match status {
            Status::Used => 0,
            Status::Superseded => 1,
            Status::Conflict => 2,
            Status::Rejected => 3,
        }
    }

    fn period(self) -> Period {
        let year = (self.0 >> 16) as u16;
        if self.0 & Self::MONTH != 0 {
            Period::Month(Month {
                year,
                month: (self.0 >> 8) as u8,
            })
        } else {
            Period::Year(FiscalYear(year))
        }
    }

    fn status(self) -> Status {
        match self.0 & 0b11 {
            0 => Status::Used,
            1 => Status::Superseded,
            2 => Status::Conflict,
            _ => Status::Rejected,
        }
    }

    fn with_status(self, status: Status) -> Self {
        When(self.0 & !0b11 | Self::status_bits(status))
    }
}

impl FileValues {
    /// Sets the department of the file (known once the whole file is read: a template
    /// names it in its metadata sheet).
    pub fn set_department(&mut self, department: Option<Arc<str>>) {
        self.department = department;
    }

    /// The department of the file.
    pub(crate) fn department(&self) -> Option<&str> {
        self.department.as_deref()
    }

    /// The distinct indicator IDs, numbered as [`ValueRow::id_number`] numbers them.
    pub(crate) fn ids(&self) -> &[Arc<str>] {
        &self.ids
    }

    /// The distinct (file, sheet) places, numbered as [`ValueRow::place_number`]
    /// numbers them.
    pub(crate) fn places(&self) -> &[(Arc<str>, Option<Arc<str>>)] {
        &self.places
    }

    /// Sets the status of value `i` of this file (past the end: nothing).
    pub fn set_status(&mut self, i: usize, status: Status) {
        if let Some(row) = self.rows.get_mut(i) {
            row.when = row.when.with_status(status);
        }
    }

    /// Shares the indicator IDs and sheet names with other files' values and findings
    /// (most files of a batch name the same indicators and sheets): each file kept its
    /// own copies, 0.2 KB of a small file.
    pub fn share_names(&mut self, texts: &mut crate::model::SharedTexts) {
        for id in &mut self.ids {
            texts.share_text(id);
        }
        for sheet in self
            .places
            .iter_mut()
            .filter_map(|(_, sheet)| sheet.as_mut())
        {
            texts.share_text(sheet);
        }
    }

    /// Gives back the room the lists grew into beyond their values.
    pub fn shrink_to_fit(&mut self) {
        self.rows.shrink_to_fit();
        self.text.shrink_to_fit();
        self.ids.shrink_to_fit();
        self.places.shrink_to_fit();
    }

    /// Packs a record with its status.
    pub fn push(&mut self, record: Record, status: Status) {
        let Record {
            indicator_id,
            period,
            value,
            raw,
            at,
        } = record;
        let CellRef { file, sheet, cell } = at;
        let id = intern(&mut self.ids, indicator_id);
        let place = intern(&mut self.places, (file, sheet));
        // A file's text stays far below 4 GiB (the input limits); a text that would
        // pass it is not kept, and its value reads back an empty text rather than a
        // wrong one (it starts and ends where the next one starts).
        let raw_start = u32::try_from(self.text.len()).unwrap_or(u32::MAX);
        if u32::try_from(self.text.len() + raw.len()).is_ok() {
            self.text.push_str(&raw);
        }
        let (row, col) = match cell {
            Some((row, col)) if row != Packed::NO_ROW => (row, col),
            _ => (Packed::NO_ROW, 0),
        };
        let narrow = (
            u16::try_from(col),
            u8::try_from(id).ok().filter(|&id| id != Packed::WIDE),
            u8::try_from(place),
        );
        let (col, id, place) = match narrow {
            (Ok(col), Some(id), Ok(place)) => (col, id, place),
            _ => {
                let wide = Wide {
                    index: self.rows.len(),
                    col,
                    id,
                    place,
                };
                self.wide.get_or_insert_default().push(wide);
                (0, Packed::WIDE, 0)
            }
        };
        self.rows.push(Packed {
            value,
            raw: raw_start,
            when: When::new(period, status),
            row,
            col,
            id,
            place,
        });
    }

    /// The number of values.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether the file has no values.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The value at `i` of this file (`None` past the end).
    pub fn get(&self, i: usize) -> Option<ValueRow<'_>> {
        let row = self.rows.get(i)?;
        let end = match self.rows.get(i + 1) {
            Some(next) => next.raw,
            None => u32::try_from(self.text.len()).unwrap_or(u32::MAX),
        };
        Some(ValueRow {
            file: self,
            row,
            index: i,
            raw_end: end,
        })
    }

    /// The values in `range` (positions of this file, cut to its length).
    pub fn range(&self, range: Range<usize>) -> impl Iterator<Item = ValueRow<'_>> + '_ {
        let end = range.end.min(self.rows.len());
        (range.start.min(end)..end).filter_map(move |i| self.get(i))
    }

    /// Every value of the file.
    pub fn iter(&self) -> impl Iterator<Item = ValueRow<'_>> + '_ {
        self.range(0..self.rows.len())
    }
}

/// The position of `item` in `list`, added at the end when it is new. Names come
/// shared, so the last one is checked first by pointer: a file's values mostly repeat
/// the previous value's indicator and place.
fn intern<T: SharedKey + PartialEq>(list: &mut Vec<T>, item: T) -> u32 {
    let found = match list.last() {
        Some(last) if last.same_pointer(&item) => Some(list.len() - 1),
        _ => list.iter().position(|x| *x == item),
    };
    let i = found.unwrap_or_else(|| {
        list.push(item);
        list.len() - 1
    });
    // More than 4 billion distinct names in one file cannot be read within the limits.
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// Names compared by pointer first.
trait SharedKey {
    fn same_pointer(&self, other: &Self) -> bool;
}

impl SharedKey for Arc<str> {
    fn same_pointer(&self, other: &Self) -> bool {
        Arc::ptr_eq(self, other)
    }
}

impl SharedKey for (Arc<str>, Option<Arc<str>>) {
    fn same_pointer(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
            && match (&self.1, &other.1) {
                (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                (None, None) => true,
                _ => false,
            }
    }
}

/// A value as it appears in values.csv: read from its file's packed list.
#[derive(Debug, Clone, Copy)]
pub struct ValueRow<'a> {
    file: &'a FileValues,
    row: &'a Packed,
    /// Its position in its file.
    index: usize,
    /// Where its cell text ends in the file's text.
    raw_end: u32,
}

impl<'a> ValueRow<'a> {
    /// The indicator ID.
    pub fn indicator_id(&self) -> &'a str {
        self.file.ids.get(self.id_number()).map_or("", |s| s)
    }

    /// The value's [`Wide`] numbers, when it has them.
    fn wide(&self) -> Option<&'a Wide> {
        if self.row.id != Packed::WIDE {
            return None;
        }
        let wide = self.file.wide.as_deref()?;
        let at = wide.binary_search_by_key(&self.index, |w| w.index).ok()?;
        wide.get(at)
    }

    /// The number of the indicator ID in its file's [`FileValues::ids`].
    pub(crate) fn id_number(&self) -> usize {
        match self.wide() {
            Some(wide) => wide.id as usize,
            None => usize::from(self.row.id),
        }
    }

    /// The number of the file and sheet in its file's [`FileValues::places`].
    pub(crate) fn place_number(&self) -> usize {
        match self.wide() {
            Some(wide) => wide.place as usize,
            None => usize::from(self.row.place),
        }
    }

    pub fn period(&self) -> Period {
        self.row.when.period()
    }

    /// In the catalogue's unit.
    pub fn value(&self) -> f64 {
        self.row.value
    }

    /// The cell's text as the department wrote it.
    pub fn raw(&self) -> &'a str {
        self.file
            .text
            .get(self.row.raw as usize..self.raw_end as usize)
            .unwrap_or_default()
    }

    fn place(&self) -> Option<&'a (Arc<str>, Option<Arc<str>>)> {
        self.file.places.get(self.place_number())
    }

    /// The file the value was read from.
    pub fn file(&self) -> &'a str {
        self.place().map_or("", |(file, _)| file)
    }

    pub fn sheet(&self) -> Option<&'a str> {
        self.place().and_then(|(_, sheet)| sheet.as_deref())
    }

    /// 0-based absolute row and column.
    pub fn cell(&self) -> Option<(u32, u32)> {
        if self.row.row == Packed::NO_ROW {
            return None;
        }
        let col = match self.wide() {
            Some(wide) => wide.col,
            None => u32::from(self.row.col),
        };
        Some((self.row.row, col))
    }

    /// The cell in A1 form (`D12`), or `""` when the value has no cell.
    pub fn a1(&self) -> String {
        self.cell().map_or_else(String::new, |(r, c)| a1(r, c))
    }

    /// Where the value was read (names shared with the file's other values).
    pub fn at(&self) -> CellRef {
        let (file, sheet) = self.place().cloned().unwrap_or_default();
        CellRef {
            file,
            sheet,
            cell: self.cell(),
        }
    }

    /// File, sheet and cell, as [`CellRef::place`] gives them for a finding.
    pub fn place_key(&self) -> Place<'a> {
        (self.file(), self.sheet(), self.cell())
    }

    /// The department of the file.
    pub fn department(&self) -> Option<&'a str> {
        self.file.department.as_deref()
    }

    pub fn status(&self) -> Status {
        self.row.when.status()
    }
}

impl Values {
    /// The values of each file, in file order.
    pub fn from_files(files: Vec<FileValues>) -> Self {
        let mut starts = Vec::with_capacity(files.len());
        let mut len = 0;
        for list in &files {
            starts.push(len);
            len += list.len();
        }
        Values { files, starts, len }
    }

    /// The number of values.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no values.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Every value, file by file.
    pub fn iter(&self) -> impl Iterator<Item = ValueRow<'_>> + '_ {
        self.files.iter().flat_map(FileValues::iter)
    }

    /// The number of values of each status, in one pass over the packed lists
    /// (summary.json's counts; with a pass per status, the summary of a million values
    /// took 4.4–5.2 ms at the end of a large run).
    pub fn status_counts(&self) -> StatusCounts {
        let mut counts = StatusCounts::default();
        for row in self.files.iter().flat_map(|list| &list.rows) {
            let slot = match row.when.status() {
                Status::Used => &mut counts.used,
                Status::Superseded => &mut counts.superseded,
                Status::Conflict => &mut counts.conflict,
                Status::Rejected => &mut counts.rejected,
            };
            *slot += 1;
        }
        counts
    }

    /// Each file's values (a file without values gives an empty list).
    pub fn per_file(&self) -> impl Iterator<Item = &FileValues> + '_ {
        self.files.iter()
    }

    /// The value numbered `i`.
    pub fn get(&self, i: usize) -> Option<ValueRow<'_>> {
        let (file, at) = self.locate(i)?;
        self.files.get(file)?.get(at)
    }

    /// The values numbered in `idx`, in its order (`None` past the end), as
    /// [`Values::get`] gives them one by one; faster when the numbers ascend, as a
    /// group's members do: the next value's file is found by moving forward.
    pub fn get_each<'a>(
        &'a self,
        idx: &'a [usize],
    ) -> impl Iterator<Item = Option<ValueRow<'a>>> + 'a {
        let mut file = 0;
        idx.iter().map(move |&i| {
            if i >= self.len {
                return None;
            }
            if self.starts.get(file).is_none_or(|&start| start > i) {
                file = self.locate(i)?.0;
            }
            while self.starts.get(file + 1).is_some_and(|&next| next <= i) {
                file += 1;
            }
            self.files.get(file)?.get(i - self.starts.get(file)?)
        })
    }

    /// Sets the status of value `i` (a number past the end changes nothing).
    pub fn set_status(&mut self, i: usize, status: Status) {
        if let Some((file, at)) = self.locate(i) {
            if let Some(list) = self.files.get_mut(file) {
                list.set_status(at, status);
            }
        }
    }

    /// The list and position of value `i`: the last list starting at or before it
    /// (lists of files without values start where the next one does).
    fn locate(&self, i: usize) -> Option<(usize, usize)> {
        if i >= self.len {
            return None;
        }
        let file = self.starts.partition_point(|&s| s <= i).checked_sub(1)?;
        Some((file, i - self.starts.get(file)?))
    }
}

/// One file's list of used values `n` of 30-0-1 for FY2024, at row `n` of sheet `s`
/// (for tests).
#[cfg(test)]
pub(crate) fn test_file(file: &str, rows: impl IntoIterator<Item = u32>) -> FileValues {
    let file: Arc<str> = Arc::from(file);
    let mut list = FileValues::default();
    for n in rows {
        list.push(test_record(&file, n), Status::Used);
    }
    list
}

/// A record: value `n` of 30-0-1 for FY2024 at row `n` of sheet `s` (for tests).
#[cfg(test)]
fn test_record(file: &Arc<str>, n: u32) -> Record {
    use crate::model::FiscalYear;
    Record {
        indicator_id: "30-0-1".into(),
        period: Period::Year(FiscalYear(2024)),
        value: f64::from(n),
        raw: n.to_string(),
        at: CellRef::cell(file.clone(), "s", n, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_packed_period_and_status_come_back_as_they_went_in() {
        let periods = [
            Period::Year(FiscalYear(2024)),
            Period::Year(FiscalYear(0)),
            Period::Year(FiscalYear(u16::MAX)),
            Period::Month(Month {
                year: 2025,
                month: 3,
            }),
            Period::Month(Month {
                year: u16::MAX,
                month: 12,
            }),
            // Not a month, but a value keeps what it was given.
            Period::Month(Month { year: 0, month: 0 }),
            Period::Month(Month {
                year: 1,
                month: u8::MAX,
            }),
        ];
        let statuses = [
            Status::Used,
            Status::Superseded,
            Status::Conflict,
            Status::Rejected,
        ];
        for period in periods {
            for status in statuses {
                let when = When::new(period, status);
                assert_eq!((when.period(), when.status()), (period, status));
                for other in statuses {
                    let changed = when.with_status(other);
                    assert_eq!((changed.period(), changed.status()), (period, other));
                }
            }
        }
    }

    #[test]
    fn a_packed_value_keeps_its_cell_indicator_and_sheet_however_wide() {
        // Excel's and LibreOffice's last cells, the first, columns around the packed
        // limit (a CSV file can be wider), a row past any sheet, and none.
        let cells = [
            Some((1_048_575, 16_383)),
            Some((1_048_575, 1_023)),
            Some((0, 0)),
            Some((7, 65_534)),
            Some((7, 65_535)),
            Some((7, 65_536)),
            Some((u32::MAX - 1, u32::MAX)),
            None,
        ];
        let file: Arc<str> = Arc::from("a.csv");
        let mut list = FileValues::default();
        let mut expected = Vec::new();
        // 300 indicators on 300 sheets: the numbers pass what a byte holds, and the
        // cells repeat with each.
        for n in 0..300u32 {
            let cell = cells[n as usize % cells.len()];
            let id: Arc<str> = Arc::from(format!("30-0-{n}"));
            let sheet: Arc<str> = Arc::from(format!("表{n}"));
            let at = CellRef {
                file: file.clone(),
                sheet: Some(sheet.clone()),
                cell,
            };
            let status = if n % 7 == 0 {
                Status::Rejected
            } else {
                Status::Used
            };
            let record = Record {
                indicator_id: id.clone(),
                period: Period::Year(FiscalYear(2024)),
                value: f64::from(n),
                raw: "x".repeat(n as usize % 3),
                at,
            };
            list.push(record, status);
            expected.push((id, sheet, cell, n, status));
        }
        // Past the end a cell without a row stays without one.
        list.push(test_record(&file, 1), Status::Used);
        assert_eq!(list.len(), 301);
        for (i, (id, sheet, cell, n, status)) in expected.iter().enumerate() {
            let v = list.get(i).unwrap();
            assert_eq!(v.indicator_id(), &**id, "value {i}");
            assert_eq!(v.sheet(), Some(&**sheet), "value {i}");
            assert_eq!(v.file(), "a.csv");
            assert_eq!(v.cell(), *cell, "value {i}");
            assert_eq!(v.value(), f64::from(*n));
            assert_eq!(v.raw(), "x".repeat(*n as usize % 3), "value {i}");
            assert_eq!(v.status(), *status);
            assert_eq!(list.ids()[v.id_number()], *id);
            assert_eq!(list.places()[v.place_number()].1.as_deref(), Some(&**sheet));
        }
        let last = list.get(300).unwrap();
        assert_eq!((last.indicator_id(), last.cell()), ("30-0-1", Some((1, 0))));
        assert_eq!(std::mem::size_of::<Packed>(), 24);
    }

    #[test]
    fn values_are_numbered_across_files_including_empty_ones() {
        let lists = vec![
            test_file("a", []),
            test_file("b", [0, 1]),
            test_file("c", []),
            test_file("d", []),
            test_file("e", [2]),
            test_file("f", [3, 4, 5]),
            test_file("g", []),
        ];
        let mut values = Values::from_files(lists);
        assert_eq!(values.len(), 6);
        let numbered: Vec<f64> = (0..6)
            .filter_map(|i| values.get(i))
            .map(|v| v.value())
            .collect();
        assert_eq!(numbered, [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]);
        let iterated: Vec<f64> = values.iter().map(|v| v.value()).collect();
        assert_eq!(iterated, numbered);
        // Ascending, descending, repeated and past the end, across empty files.
        let idx = [0, 1, 2, 2, 5, 3, 0, 6, 4, usize::MAX, 1];
        let each: Vec<Option<f64>> = values
            .get_each(&idx)
            .map(|v| v.map(|v| v.value()))
            .collect();
        let one_by_one: Vec<Option<f64>> = idx
            .iter()
            .map(|&i| values.get(i).map(|v| v.value()))
            .collect();
        assert_eq!(each, one_by_one);
        let files: Vec<&str> = values.iter().map(|v| v.file()).collect();
        assert_eq!(files, ["b", "b", "e", "f", "f", "f"]);
        assert!(values.get(6).is_none() && values.get(usize::MAX).is_none());
        assert_eq!(values.per_file().map(FileValues::len).sum::<usize>(), 6);
        values.set_status(4, Status::Conflict);
        values.set_status(6, Status::Conflict); // past the end: nothing
        let statuses: Vec<Status> = values.iter().map(|v| v.status()).collect();
        assert_eq!(statuses[4], Status::Conflict);
        assert_eq!(statuses.iter().filter(|s| **s == Status::Used).count(), 5);
        values.set_status(0, Status::Rejected);
        let counts = values.status_counts();
        assert_eq!(
            counts,
            StatusCounts {
                used: 4,
                superseded: 0,
                conflict: 1,
                rejected: 1
            }
        );
    }

    #[test]
    fn a_packed_value_reads_back_as_its_record() {
        let a: Arc<str> = Arc::from("課/a.xlsx");
        let other_file: Arc<str> = Arc::from("課/b.xlsx");
        let record = |id: &str, sheet: Option<&str>, cell, raw: &str, file: &Arc<str>| Record {
            indicator_id: id.into(),
            period: Period::Year(FiscalYear(2025)),
            value: 1.5,
            raw: raw.to_string(),
            at: CellRef {
                file: file.clone(),
                sheet: sheet.map(Arc::from),
                cell,
            },
        };
        // Names equal but not shared, no sheet, no cell, empty and non-ASCII texts,
        // and a record of another file (kept with its own place).
        let records = [
            record("30-0-1", Some("指標"), Some((4, 3)), "１.５万人", &a),
            record("30-0-1", Some("指標"), Some((5, 3)), "", &a),
            record("31-2-1", None, None, "△1", &a),
            record("30-0-1", Some("月次"), Some((1_048_575, 16_383)), "x", &a),
            record("31-2-1", Some("指標"), Some((7, 2)), "7", &other_file),
        ];
        let mut list = FileValues::default();
        list.set_department(Some(Arc::from("財政課")));
        for (i, r) in records.iter().enumerate() {
            let status = if i == 2 {
                Status::Rejected
            } else {
                Status::Used
            };
            list.push(r.clone(), status);
        }
        assert_eq!(list.ids.len(), 2);
        assert_eq!(list.places.len(), 4);
        for (i, r) in records.iter().enumerate() {
            let Some(v) = list.get(i) else {
                panic!("value {i} missing");
            };
            assert_eq!(v.indicator_id(), &*r.indicator_id);
            assert_eq!(v.period(), r.period);
            assert_eq!(v.value(), r.value);
            assert_eq!(v.raw(), r.raw);
            assert_eq!(v.at(), r.at);
            assert_eq!(v.place_key(), r.at.place());
            assert_eq!(v.a1(), r.at.a1());
            assert_eq!(v.department(), Some("財政課"));
            assert_eq!(
                v.status(),
                if i == 2 {
                    Status::Rejected
                } else {
                    Status::Used
                }
            );
        }
        assert_ne!(
            list.get(0).map(|v| v.place_key()),
            Some(records[1].at.place())
        );
        assert_eq!(list.range(3..99).count(), 2);
        assert_eq!(list.range(9..99).count(), 0);
        assert_eq!(
            list.range(1..3).map(|v| v.raw()).collect::<Vec<_>>(),
            ["", "△1"]
        );
    }
}
