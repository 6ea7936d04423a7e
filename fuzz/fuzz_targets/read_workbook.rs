#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    shukei_fuzz::read_workbook(data);
});
