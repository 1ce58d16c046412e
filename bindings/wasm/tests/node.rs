//! The binding in Node.js (`wasm-bindgen-test-runner`, no browser).
#![cfg(target_arch = "wasm32")]

mod common;

suite!(
    scores_the_example,
    errors_are_js_errors,
    session_matches_full_scoring,
    schemas
);
