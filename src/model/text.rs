//! Bilingual text: Vietnamese wording kept verbatim beside an English rendering.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A label in Vietnamese (verbatim from the source, with diacritics) and English.
///
/// ```
/// let t = chiso::Text::new("Cải cách thể chế", "Institutional reform");
/// assert_eq!(t.get(chiso::Lang::Vi), "Cải cách thể chế");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// Vietnamese text, verbatim from the source.
    pub vi: String,
    /// English rendering (may be empty when no translation exists yet).
    #[serde(default)]
    pub en: String,
}

impl Text {
    /// Builds a bilingual text.
    pub fn new(vi: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            vi: vi.into(),
            en: en.into(),
        }
    }

    /// The text in `lang`, falling back to Vietnamese when no English text exists.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.vi,
            Lang::En if self.en.is_empty() => &self.vi,
            Lang::En => &self.en,
        }
    }

    /// The text written by `f` in each language.
    ///
    /// ```
    /// let t = chiso::Text::from_fn(|l| l.pick("hai", "two").to_owned());
    /// assert_eq!((t.vi.as_str(), t.en.as_str()), ("hai", "two"));
    /// ```
    pub fn from_fn(f: impl Fn(Lang) -> String) -> Self {
        Self::new(f(Lang::Vi), f(Lang::En))
    }

    /// A phrase written "english / tiếng Việt" (split at the first ` / `), as library
    /// details carry both languages in one string; text without ` / ` is the same in both.
    ///
    /// ```
    /// let t = chiso::Text::from_en_vi("file size / kích thước tệp");
    /// assert_eq!(t.get(chiso::Lang::Vi), "kích thước tệp");
    /// assert_eq!(chiso::Text::from_en_vi("UTF-16 LE").get(chiso::Lang::En), "UTF-16 LE");
    /// ```
    pub fn from_en_vi(joined: &str) -> Self {
        match joined.split_once(" / ") {
            Some((en, vi)) => Self::new(vi, en),
            None => Self::new(joined, joined),
        }
    }
}

/// Output language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// Tiếng Việt.
    #[default]
    Vi,
    /// English.
    En,
}

impl Lang {
    /// The one of `vi` and `en` written in this language: the one helper for choosing
    /// between two renderings (strings, closures, anything).
    ///
    /// ```
    /// use chiso::Lang;
    /// assert_eq!(Lang::Vi.pick("dòng", "row"), "dòng");
    /// assert_eq!(Lang::En.pick("dòng", "row"), "row");
    /// ```
    pub fn pick<T>(self, vi: T, en: T) -> T {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "vi" => Ok(Lang::Vi),
            "en" => Ok(Lang::En),
            other => Err(format!("unknown language '{other}' (use vi or en)")),
        }
    }
}

/// Longest excerpt of a user's file quoted in a message, in characters.
pub const MAX_EXCERPT_CHARS: usize = 40;

/// Format characters that change how a line reads without being seen (zero-width,
/// bidirectional overrides, byte order mark).
fn invisible(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

/// A short, escaped excerpt of text taken from a user's file, for messages: control
/// characters, quotes and backslashes escaped (`\n`, `\u{1b}`, `\"`), at most
/// [`MAX_EXCERPT_CHARS`] characters of the original, then `…`.
///
/// ```
/// assert_eq!(chiso::text::excerpt("Sở\tTư pháp"), "Sở\\tTư pháp");
/// assert_eq!(chiso::text::excerpt(&"x".repeat(100)).chars().count(), 41);
/// ```
pub fn excerpt(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i == MAX_EXCERPT_CHARS {
            out.push('…');
            break;
        }
        if c.is_control() || c == '"' || c == '\\' || invisible(c) {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}
