#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| chiso_fuzz::batch_csv(data));
