//! One pass over JSON text that builds nothing: it counts values, objects and arrays and
//! measures nesting against the limits, finds every duplicate key (compared after
//! unescaping, as `serde_json` would store them) and every number beyond the exact range.
//!
//! The pass is never stricter than `serde_json`: where the text is not JSON it stops and
//! says so ([`Stop::Syntax`]), and the caller lets `serde_json` word the syntax error —
//! `serde_json` then stops at or before the same byte, so it never builds more than was
//! counted here.

use std::borrow::Cow;
use std::collections::HashMap;

/// What the pass refuses.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Most values (objects, arrays and scalars).
    pub values: u64,
    /// Most objects and arrays.
    pub containers: u64,
    /// Deepest nesting.
    pub depth: usize,
    /// Most problems listed (then only counted).
    pub problems: usize,
}

/// Why the pass stopped before the end.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Stop {
    /// The text is not JSON from here on (the byte offset).
    Syntax(usize),
    /// Nesting deeper than the limit at this JSON path.
    Depth(String),
}

/// A problem found in well-formed JSON.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Found {
    /// A key written twice in one object.
    Duplicate {
        /// JSON path of the object.
        path: String,
        /// The key, unescaped.
        key: String,
        /// The `code` member of the nearest enclosing object that has one (a criterion).
        code: Option<String>,
        /// Byte offsets of the first and the second occurrence.
        offsets: (usize, usize),
    },
    /// A number no chiso document can hold (beyond the decimal range, about 7.9·10²⁸).
    TooLarge {
        /// JSON path of the number.
        path: String,
        /// The number as written.
        text: String,
        /// The `code` member of the nearest enclosing object that has one (a criterion).
        code: Option<String>,
    },
    /// A number a JSON number cannot carry exactly into a decimal: more significant
    /// digits than a binary float keeps (`0.12345678901234567890`), or digits beyond the
    /// 28th decimal place (`1e-30`, which would become 0).
    Inexact {
        /// JSON path of the number.
        path: String,
        /// The number as written.
        text: String,
        /// The `code` member of the nearest enclosing object that has one (a criterion).
        code: Option<String>,
    },
}

/// What the pass found.
#[derive(Debug, Default)]
pub(crate) struct Report {
    /// Values counted (all of them, even past a limit, unless the pass stopped).
    pub values: u64,
    /// Objects and arrays counted.
    pub containers: u64,
    /// Deepest nesting met.
    pub depth: usize,
    /// Where and why the pass stopped early, if it did.
    pub stop: Option<Stop>,
    /// Problems listed, in the order of the text, at most [`Limits::problems`].
    pub found: Vec<Found>,
    /// Problems found, listed or not.
    pub found_total: usize,
}

/// Objects with more keys than this look duplicates up in a hash map, not a list.
const LINEAR_KEYS: usize = 12;

/// A number of this many bytes or fewer, without an exponent, is inside the range.
const SHORT_NUMBER: usize = 28;

/// The largest magnitude a `rust_decimal::Decimal` holds (2⁹⁶ − 1 ≈ 7.92·10²⁸).
#[cfg(not(feature = "lean"))]
const DECIMAL_MAX: f64 = 79_228_162_514_264_337_593_543_950_335.0;

/// Significant digits a binary float (`serde_json`'s non-integer numbers) always keeps.
const FLOAT_DIGITS: usize = 15;

/// The most decimal places a `rust_decimal::Decimal` holds.
const DECIMAL_PLACES: i64 = 28;

/// Whether the number `text` (as the pass read it) reaches a decimal unchanged:
/// `serde_json` keeps integers of up to 64 bits exactly and reads other numbers as binary
/// floats, which the decimal then reads from their shortest form.
fn exact(text: &str) -> bool {
    // The common case, without allocating: no exponent, at most 15 digits in all and at
    // most 28 after the point ("0.5", "85", "12.25") — the digits written are kept.
    let b = text.as_bytes();
    let exponent = b.iter().any(|&c| c == b'e' || c == b'E');
    let point = b.iter().position(|&c| c == b'.');
    if !exponent {
        let digits = b.iter().filter(|c| c.is_ascii_digit()).count();
        let places = point.map_or(0, |p| b.len() - p - 1);
        if digits <= FLOAT_DIGITS && places as i64 <= DECIMAL_PLACES {
            return true;
        }
    }
    if !exponent && point.is_none() && (text.parse::<u64>().is_ok() || text.parse::<i64>().is_ok())
    {
        return true; // an integer serde_json keeps as u64 / i64
    }
    let Some((written, exponent)) = significant(text) else {
        return true; // not a number: the parser words it
    };
    if written.is_empty() {
        return true; // zero
    }
    if exponent < -DECIMAL_PLACES {
        return false; // digits past the 28th place: rounded away
    }
    if written.len() <= FLOAT_DIGITS {
        return true;
    }
    float_keeps(text, &written, exponent)
}

/// Whether the float `text` becomes prints back as `written` · 10^`exponent`.
#[cfg(not(feature = "lean"))]
fn float_keeps(text: &str, written: &str, exponent: i64) -> bool {
    match text.parse::<f64>() {
        Ok(x) => {
            significant(&x.to_string()).is_some_and(|(kept, e)| kept == written && e == exponent)
        }
        Err(_) => true,
    }
}

/// Whether the float `text` becomes prints back as `written` · 10^`exponent`, without
/// `f64` (the browser's form module; the same answers, see `digits.rs`).
#[cfg(feature = "lean")]
fn float_keeps(_: &str, written: &str, exponent: i64) -> bool {
    super::digits::float_keeps(written, exponent)
}

/// Whether `text` reads as a binary float beyond the decimal's range.
#[cfg(not(feature = "lean"))]
fn too_large(text: &str) -> bool {
    text.parse::<f64>()
        .is_ok_and(|x| x.is_nan() || x.abs() > DECIMAL_MAX)
}

/// Whether `text` reads as a binary float beyond the decimal's range, without `f64`
/// (the browser's form module; the same answers, see `digits.rs`).
#[cfg(feature = "lean")]
fn too_large(text: &str) -> bool {
    super::digits::too_large(text)
}

/// The significant digits of a JSON number (no leading or trailing zeros) and the power
/// of ten of the last one: `0.0120` → ("12", -3); `None` when it is not a number.
pub(super) fn significant(text: &str) -> Option<(String, i64)> {
    let text = text.strip_prefix('-').unwrap_or(text);
    let (mantissa, exp) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], text[i + 1..].parse::<i64>().ok()?),
        None => (text, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if !(int.bytes().all(|c| c.is_ascii_digit()) && frac.bytes().all(|c| c.is_ascii_digit())) {
        return None;
    }
    let all = format!("{int}{frac}");
    let lead = all.bytes().take_while(|&c| c == b'0').count();
    let body = all[lead..].trim_end_matches('0');
    let trailing = all.len() - lead - body.len();
    let exponent = exp
        .checked_sub(i64::try_from(frac.len()).ok()?)?
        .checked_add(i64::try_from(trailing).ok()?)?;
    Some((body.to_owned(), exponent))
}

struct Frame<'a> {
    object: bool,
    /// Index of the current element (arrays).
    index: usize,
    /// The current member's key (objects).
    key: Cow<'a, str>,
    /// Where this object's keys start in [`Scanner::keys`].
    keys_from: usize,
    /// The keys of a large object.
    map: Option<HashMap<Cow<'a, str>, usize>>,
    /// The object's first `code` member, raw.
    code: Option<&'a str>,
    /// The object writes `code` twice: name no criterion.
    code_twice: bool,
    /// Where this object's duplicates start in the report.
    found_from: usize,
}

struct Scanner<'a> {
    text: &'a str,
    b: &'a [u8],
    i: usize,
    limits: Limits,
    stack: Vec<Frame<'a>>,
    keys: Vec<(Cow<'a, str>, usize)>,
    report: Report,
    /// A count limit was passed: stop collecting problems, keep counting.
    over: bool,
}

/// Scans `text` (without a byte order mark).
pub(crate) fn scan(text: &str, limits: Limits) -> Report {
    let mut s = Scanner {
        text,
        b: text.as_bytes(),
        i: 0,
        limits,
        stack: Vec::new(),
        keys: Vec::new(),
        report: Report::default(),
        over: false,
    };
    if let Err(stop) = s.run() {
        s.report.stop = Some(stop);
    }
    s.report
}

impl<'a> Scanner<'a> {
    fn run(&mut self) -> Result<(), Stop> {
        self.ws();
        self.value()?;
        loop {
            self.ws();
            let Some(top) = self.stack.last() else { break };
            let object = top.object;
            match (self.b.get(self.i), object) {
                (Some(b','), _) => {
                    self.i += 1;
                    self.ws();
                    if object {
                        self.member_key()?;
                    } else if let Some(top) = self.stack.last_mut() {
                        top.index += 1;
                    }
                    self.value()?;
                }
                (Some(b'}'), true) | (Some(b']'), false) => {
                    self.i += 1;
                    self.close();
                }
                _ => return Err(Stop::Syntax(self.i)),
            }
        }
        self.ws();
        if self.i == self.b.len() {
            Ok(())
        } else {
            Err(Stop::Syntax(self.i))
        }
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.i) {
            self.i += 1;
        }
    }

    /// One value; a container is opened and the scan goes on inside it.
    fn value(&mut self) -> Result<(), Stop> {
        loop {
            self.report.values += 1;
            if self.report.values > self.limits.values {
                self.over = true;
            }
            match self.b.get(self.i) {
                Some(b'{') => {
                    self.open(true)?;
                    self.ws();
                    if self.b.get(self.i) == Some(&b'}') {
                        self.i += 1;
                        self.close();
                        return Ok(());
                    }
                    self.member_key()?;
                }
                Some(b'[') => {
                    self.open(false)?;
                    self.ws();
                    if self.b.get(self.i) == Some(&b']') {
                        self.i += 1;
                        self.close();
                        return Ok(());
                    }
                }
                Some(b'"') => {
                    let (start, end, _) = self.string()?;
                    if let Some(top) = self.stack.last_mut() {
                        if top.object && top.key == "code" && top.code.is_none() {
                            top.code = Some(&self.text[start..end]);
                        }
                    }
                    return Ok(());
                }
                Some(b't') => return self.literal(b"true"),
                Some(b'f') => return self.literal(b"false"),
                Some(b'n') => return self.literal(b"null"),
                Some(b'-' | b'0'..=b'9') => return self.number(),
                _ => return Err(Stop::Syntax(self.i)),
            }
        }
    }

    fn open(&mut self, object: bool) -> Result<(), Stop> {
        self.i += 1;
        self.report.containers += 1;
        if self.report.containers > self.limits.containers {
            self.over = true;
        }
        if self.stack.len() >= self.limits.depth {
            return Err(Stop::Depth(self.path(self.stack.len())));
        }
        self.stack.push(Frame {
            object,
            index: 0,
            key: Cow::Borrowed(""),
            keys_from: self.keys.len(),
            map: None,
            code: None,
            code_twice: false,
            found_from: self.report.found.len(),
        });
        self.report.depth = self.report.depth.max(self.stack.len());
        Ok(())
    }

    fn close(&mut self) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        if frame.object {
            self.keys.truncate(frame.keys_from);
            // Problems inside this object not yet claimed by an inner one with a code.
            if let (Some(code), false) = (frame.code, frame.code_twice) {
                for f in &mut self.report.found[frame.found_from..] {
                    let (Found::Duplicate { code: c, .. }
                    | Found::TooLarge { code: c, .. }
                    | Found::Inexact { code: c, .. }) = f;
                    if c.is_none() {
                        *c = Some(code.to_owned());
                    }
                }
            }
        }
    }

    /// A member's key and its colon; records the key, notes a duplicate.
    fn member_key(&mut self) -> Result<(), Stop> {
        if self.b.get(self.i) != Some(&b'"') {
            return Err(Stop::Syntax(self.i));
        }
        let at = self.i;
        let (start, end, escaped) = self.string()?;
        let key: Cow<'a, str> = if escaped {
            // Read as a JSON value (the same string reader) rather than as a `String`,
            // whose typed request links `serde_json`'s refusal of other kinds.
            match serde_json::from_str::<serde_json::Value>(&self.text[start - 1..end + 1]) {
                Ok(serde_json::Value::String(k)) => Cow::Owned(k),
                _ => return Err(Stop::Syntax(at)),
            }
        } else {
            Cow::Borrowed(&self.text[start..end])
        };
        self.ws();
        if self.b.get(self.i) != Some(&b':') {
            return Err(Stop::Syntax(self.i));
        }
        self.i += 1;
        self.ws();
        let first = if self.over {
            None
        } else {
            self.remember(key.clone(), at)
        };
        if let Some(first) = first {
            if key == "code" {
                if let Some(top) = self.stack.last_mut() {
                    top.code_twice = true;
                }
            }
            let depth = self.stack.len() - 1;
            self.problem(|s| Found::Duplicate {
                path: s.path(depth),
                key: key.to_string(),
                code: None,
                offsets: (first, at),
            });
        }
        if let Some(top) = self.stack.last_mut() {
            top.key = key;
        }
        Ok(())
    }

    /// Adds `key` to the current object; the offset of an earlier equal key, if any.
    fn remember(&mut self, key: Cow<'a, str>, at: usize) -> Option<usize> {
        let top = self.stack.last_mut()?;
        if let Some(map) = &mut top.map {
            return match map.get(key.as_ref()) {
                Some(&first) => Some(first),
                None => {
                    map.insert(key, at);
                    None
                }
            };
        }
        let own = &self.keys[top.keys_from..];
        if let Some((_, first)) = own.iter().find(|(k, _)| *k == key) {
            return Some(*first);
        }
        if own.len() < LINEAR_KEYS {
            self.keys.push((key, at));
        } else {
            // Inserted one by one (not collected): the same `HashMap` code as the index's
            // positions by code (`index::positions`).
            let mut map = HashMap::with_capacity(2 * LINEAR_KEYS);
            for (k, first) in self.keys.drain(top.keys_from..) {
                map.insert(k, first);
            }
            map.insert(key, at);
            top.map = Some(map);
        }
        None
    }

    fn problem(&mut self, make: impl FnOnce(&Self) -> Found) {
        self.report.found_total += 1;
        if self.report.found.len() < self.limits.problems {
            let f = make(self);
            self.report.found.push(f);
        }
    }

    /// A string from its opening quote: (first byte inside, closing quote, has escapes).
    /// Lenient: escapes and control characters are left to `serde_json`.
    fn string(&mut self) -> Result<(usize, usize, bool), Stop> {
        let start = self.i + 1;
        let mut j = start;
        let mut escaped = false;
        loop {
            match self.b.get(j) {
                Some(b'"') => break,
                Some(b'\\') => {
                    escaped = true;
                    j += 2;
                }
                Some(_) => j += 1,
                None => return Err(Stop::Syntax(self.b.len())),
            }
        }
        self.i = j + 1;
        Ok((start, j, escaped))
    }

    fn literal(&mut self, word: &[u8]) -> Result<(), Stop> {
        if self.b[self.i..].starts_with(word) {
            self.i += word.len();
            Ok(())
        } else {
            Err(Stop::Syntax(self.i))
        }
    }

    /// A number, leniently (`serde_json` words a malformed one); notes one beyond range.
    fn number(&mut self) -> Result<(), Stop> {
        let start = self.i;
        while let Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') = self.b.get(self.i) {
            self.i += 1;
        }
        let text = &self.text[start..self.i];
        let long = text.len() > SHORT_NUMBER || text.bytes().any(|c| c == b'e' || c == b'E');
        if long && !self.over && too_large(text) {
            let depth = self.stack.len();
            self.problem(|s| Found::TooLarge {
                path: s.path(depth),
                text: text.to_owned(),
                code: None,
            });
            return Ok(());
        }
        if !self.over && !exact(text) {
            let depth = self.stack.len();
            self.problem(|s| Found::Inexact {
                path: s.path(depth),
                text: text.to_owned(),
                code: None,
            });
        }
        Ok(())
    }

    /// The JSON path of the container at `depth` (0 = the document); with
    /// `depth` = the stack's height, the path of the value being read.
    fn path(&self, depth: usize) -> String {
        let mut p = String::from("$");
        for f in &self.stack[..depth.min(self.stack.len())] {
            push_segment(&mut p, f);
        }
        p
    }
}

fn push_segment(p: &mut String, f: &Frame<'_>) {
    if f.object {
        super::path::push_member(p, &f.key);
    } else {
        super::path::push_index(p, f.index);
    }
}
