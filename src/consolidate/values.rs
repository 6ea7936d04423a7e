//! The values of a run, kept file by file.

use super::ValueRow;

/// Every value read, file by file in the order of the files: each file's list as it
/// was built from that file's records, so a large batch's values (a million rows of
/// 128 bytes) are never moved into one list — which cost a single-threaded copy into
/// freshly zeroed pages, and held the records and their copy at once.
///
/// Values are also numbered across files (`get(i)`, `values[i]`), in the same order
/// as [`Values::iter`].
///
/// ```
/// use shukei::consolidate::Values;
/// let values = Values::default();
/// assert!(values.is_empty() && values.get(0).is_none());
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Values {
    files: Vec<Vec<ValueRow>>,
    /// The number of the first value of each file's list.
    starts: Vec<usize>,
    len: usize,
}

impl Values {
    /// The values of each file, in file order.
    pub fn from_files(files: Vec<Vec<ValueRow>>) -> Self {
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
    pub fn iter(&self) -> impl Iterator<Item = &ValueRow> + '_ {
        self.into_iter()
    }

    /// Each file's values (a file without values gives an empty list).
    pub fn per_file(&self) -> impl Iterator<Item = &[ValueRow]> + '_ {
        self.files.iter().map(Vec::as_slice)
    }

    /// The value numbered `i`.
    pub fn get(&self, i: usize) -> Option<&ValueRow> {
        let (file, at) = self.locate(i)?;
        self.files.get(file)?.get(at)
    }

    /// The value numbered `i`, to change its status.
    pub fn get_mut(&mut self, i: usize) -> Option<&mut ValueRow> {
        let (file, at) = self.locate(i)?;
        self.files.get_mut(file)?.get_mut(at)
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

impl std::ops::Index<usize> for Values {
    type Output = ValueRow;

    /// # Panics
    /// When `i` is not below [`Values::len`] (as a slice would).
    fn index(&self, i: usize) -> &ValueRow {
        match self.get(i) {
            Some(v) => v,
            None => panic!("value {i} of {}", self.len),
        }
    }
}

impl std::ops::IndexMut<usize> for Values {
    fn index_mut(&mut self, i: usize) -> &mut ValueRow {
        let len = self.len;
        match self.get_mut(i) {
            Some(v) => v,
            None => panic!("value {i} of {len}"),
        }
    }
}

impl FromIterator<ValueRow> for Values {
    /// One list holding every value.
    fn from_iter<I: IntoIterator<Item = ValueRow>>(iter: I) -> Self {
        Values::from_files(vec![iter.into_iter().collect()])
    }
}

impl<'a> IntoIterator for &'a Values {
    type Item = &'a ValueRow;
    type IntoIter = std::iter::Flatten<std::slice::Iter<'a, Vec<ValueRow>>>;

    fn into_iter(self) -> Self::IntoIter {
        self.files.iter().flatten()
    }
}

/// A used value `n` of 30-0-1 for FY2024 at row `n` of a file (for tests).
#[cfg(test)]
pub(crate) fn test_row(file: &str, n: u32) -> ValueRow {
    use crate::model::{CellRef, FiscalYear, Period, Record};
    ValueRow {
        record: Record {
            indicator_id: "30-0-1".into(),
            period: Period::Year(FiscalYear(2024)),
            value: f64::from(n),
            raw: n.to_string(),
            at: CellRef::cell(file, "s", n, 0),
        },
        department: None,
        status: super::Status::Used,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consolidate::Status;

    fn row(n: u32) -> ValueRow {
        test_row("a.xlsx", n)
    }

    #[test]
    fn values_are_numbered_across_files_including_empty_ones() {
        let lists = vec![
            vec![],
            vec![row(0), row(1)],
            vec![],
            vec![],
            vec![row(2)],
            vec![row(3), row(4), row(5)],
            vec![],
        ];
        let mut values = Values::from_files(lists);
        assert_eq!(values.len(), 6);
        let numbered: Vec<f64> = (0..6).map(|i| values[i].record.value).collect();
        assert_eq!(numbered, [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]);
        let iterated: Vec<f64> = values.iter().map(|v| v.record.value).collect();
        assert_eq!(iterated, numbered);
        assert!(values.get(6).is_none() && values.get(usize::MAX).is_none());
        assert_eq!(values.per_file().map(<[ValueRow]>::len).sum::<usize>(), 6);
        values[4].status = Status::Conflict;
        assert_eq!(
            values.iter().nth(4).map(|v| v.status),
            Some(Status::Conflict)
        );
        let collected: Values = values.iter().cloned().collect();
        assert_eq!(collected.iter().count(), 6);
        assert_eq!(collected.len(), 6);
    }
}
