//! The normalizers run once per cell (five million cells on the benchmark's large
//! corpus), so the cells departments usually type must not allocate (issue 8): numbers
//! with units, separators and full-width digits, no-value marks, header words and
//! period labels. (A text that is not a number is kept as the value's text, and a
//! header that is not a period gives an error that names it: those allocate.) Counted
//! with a global allocator that tallies the allocations of the calling thread only, so
//! tests running side by side do not disturb each other.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use shukei::normalize::era::{parse_month_only, parse_period};
use shukei::normalize::header::{classify_header, may_be_name_heading};
use shukei::normalize::number::parse_value;
use shukei::normalize::text::{has_machine_dependent_chars, is_no_value, is_pending_text};

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: every call is passed on to `System` unchanged; the count is a thread-local
// `Cell` with a const initializer, which itself never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        // SAFETY: the caller's contract is `System`'s.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System.alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        // SAFETY: as for `dealloc`, and `new_size` is the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// The allocations `f` makes on this thread.
fn allocations(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

/// Asserts that `check` allocates nothing on any of `cells`.
fn assert_no_allocation(cells: &[&str], check: impl Fn(&str)) {
    for &cell in cells {
        assert_eq!(allocations(|| check(cell)), 0, "input: {cell:?}");
    }
}

#[test]
fn the_counter_sees_an_allocation() {
    // Guards the other tests: a counter that never counts would pass them all.
    assert_eq!(allocations(|| drop(std::hint::black_box(vec![1u8; 10]))), 1);
}

#[test]
fn typical_value_cells_do_not_allocate() {
    let cells = [
        "262",
        "66.8",
        "-3",
        "0.05",
        "12.5%",
        "262件",
        "262 団体",
        "740件/月",
        "1,234",
        "△1,234",
        "1.5万人",
        "49,972千円",
        "１２３",
        "６６．８％",
        "66.8％",
        "　１２３　件",
        "",
        "-",
        "—",
        "－",
    ];
    assert_no_allocation(&cells, |cell| drop(std::hint::black_box(parse_value(cell))));
}

#[test]
fn typical_texts_are_checked_without_allocating() {
    let cells = [
        "262",
        "市民協働推進課",
        "自治会加入率",
        "令和6年度",
        "R6.11",
        "備考",
        "指標名",
        "実績値",
    ];
    assert_no_allocation(&cells, |cell| {
        std::hint::black_box(is_no_value(cell));
        std::hint::black_box(is_pending_text(cell));
        std::hint::black_box(has_machine_dependent_chars(cell));
        std::hint::black_box(may_be_name_heading(cell));
    });
}

#[test]
fn header_cells_are_classified_without_allocating() {
    let cells = [
        "指標名",
        "実績値",
        "令和6年度",
        "R6",
        "4月",
        "2024-11",
        "単位",
        "備考",
        "ＫＰＩ",
        "※(実績):",
    ];
    assert_no_allocation(&cells, |cell| {
        std::hint::black_box(classify_header(cell));
    });
    let periods = ["令和6年度", "R6", "R6.11", "2024-11", "令和6年11月"];
    assert_no_allocation(&periods, |cell| {
        std::hint::black_box(parse_period(cell).ok());
        std::hint::black_box(parse_month_only(cell));
    });
}
