#![no_main]

libfuzzer_sys::fuzz_target!(|input: shukei_fuzz::XlsxParts| {
    shukei_fuzz::xlsx_zip(&input);
});
