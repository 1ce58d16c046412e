//! How chiso writes a JSON path (`$.nodes[3].rule`, `$.entries["1.1.4"]`): the one
//! writer behind the deserializer's locations ([`crate::load`]), the pre-parse scan's
//! and every check that names an entry, a bonus/penalty block or a leaf by code.

/// Appends the member `key` of an object: `.key` for a plain name (ASCII letter or `_`,
/// then letters, digits, `_`), otherwise `["key"]` with the key as an excerpt (quotes,
/// backslashes and control characters escaped, at most
/// [`crate::text::MAX_EXCERPT_CHARS`] characters), so a code with dots is not read as
/// nested keys.
pub(crate) fn push_member(path: &mut String, key: &str) {
    let plain = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        path.push('.');
        path.push_str(key);
    } else {
        push_code(path, key);
    }
}

/// Appends `["code"]`: a criterion or block code as a key of `entries`, `adjustments`,
/// `leaves`, always in brackets (codes are data, not field names), escaped as
/// [`push_member`] escapes.
pub(crate) fn push_code(path: &mut String, code: &str) {
    path.push_str("[\"");
    path.push_str(&crate::text::excerpt(code));
    path.push_str("\"]");
}

/// Appends the element `index` of an array: `[index]`.
pub(crate) fn push_index(path: &mut String, index: usize) {
    use std::fmt::Write;
    let _ = write!(path, "[{index}]");
}

/// `$.section["code"]`: where an assessment (or plan target) keeps the value of `code`.
///
/// The path is the same whether the check or the deserializer finds the problem.
pub(crate) fn keyed(section: &str, code: &str) -> String {
    let mut p = String::from("$.");
    p.push_str(section);
    push_code(&mut p, code);
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_names_are_dotted_and_codes_bracketed() {
        let mut p = String::from("$");
        push_member(&mut p, "nodes");
        push_index(&mut p, 3);
        push_member(&mut p, "1.1.4");
        push_member(&mut p, "_x9");
        push_member(&mut p, "9x");
        assert_eq!(p, r#"$.nodes[3]["1.1.4"]._x9["9x"]"#);
        assert_eq!(keyed("entries", "D1"), r#"$.entries["D1"]"#);
    }

    #[test]
    fn quotes_and_long_keys_cannot_break_the_path() {
        assert_eq!(keyed("entries", r#"a"b\c"#), r#"$.entries["a\"b\\c"]"#);
        let long = keyed("entries", &"x".repeat(500));
        assert!(long.chars().count() < 60, "{long}");
    }
}
