#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| chiso_fuzz::survey_answers(data));
