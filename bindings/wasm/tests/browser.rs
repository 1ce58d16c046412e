//! The binding in headless Chromium (`wasm-bindgen-test-runner` with chromedriver).
#![cfg(target_arch = "wasm32")]

mod common;
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

suite!(
    scores_the_example,
    errors_are_js_errors,
    session_matches_full_scoring,
    schemas
);
