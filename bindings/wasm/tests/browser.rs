//! The binding in headless Chromium (`wasm-bindgen-test-runner` with chromedriver).
#![cfg(target_arch = "wasm32")]

mod common;
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn scores_the_example() {
    common::scores_the_example();
}

#[wasm_bindgen_test]
fn errors_are_js_errors() {
    common::errors_are_js_errors();
}

#[wasm_bindgen_test]
fn session_matches_full_scoring() {
    common::session_matches_full_scoring();
}

#[wasm_bindgen_test]
fn schemas() {
    common::schemas();
}
