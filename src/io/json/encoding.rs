//! Bytes to text: UTF-8 with or without a byte order mark; anything else is named
//! (UTF-16, UTF-32, a spreadsheet, a PDF, binary data, an 8-bit Vietnamese encoding and
//! where its first non-UTF-8 byte is) instead of surfacing later as a JSON syntax error.

/// The UTF-8 byte order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// How many leading bytes the UTF-16 and binary guesses look at.
const SNIFF: usize = 4096;

/// `bytes` as text without its byte order mark, or what they look like instead
/// (written "english / tiếng Việt", for [`crate::Problem::NotUtf8`]).
pub(crate) fn decode(bytes: &[u8]) -> Result<&str, String> {
    let body = bytes.strip_prefix(BOM).unwrap_or(bytes);
    if let Some(found) = not_text(bytes) {
        return Err(found);
    }
    std::str::from_utf8(body).map_err(|e| eight_bit(body, e.valid_up_to()))
}

/// [`decode`] of an owned buffer, without copying it.
pub(crate) fn decode_vec(mut bytes: Vec<u8>) -> Result<String, String> {
    decode(&bytes)?;
    if bytes.starts_with(BOM) {
        bytes.drain(..BOM.len());
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        eight_bit(e.as_bytes(), at)
    })
}

/// What the start of `bytes` shows it is, when it is not UTF-8 text.
fn not_text(bytes: &[u8]) -> Option<String> {
    let starts = |m: &[u8]| bytes.starts_with(m);
    let named = if starts(b"\xFF\xFE\x00\x00") {
        "UTF-32 LE text / văn bản UTF-32 LE"
    } else if starts(b"\x00\x00\xFE\xFF") {
        "UTF-32 BE text / văn bản UTF-32 BE"
    } else if starts(b"\xFF\xFE") {
        UTF16_LE
    } else if starts(b"\xFE\xFF") {
        UTF16_BE
    } else if starts(b"PK\x03\x04") {
        "a ZIP archive, such as an .xlsx workbook / tệp nén ZIP, ví dụ một bảng tính .xlsx"
    } else if starts(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        "an old Office file, such as an .xls workbook or a .doc document / tệp Office cũ, ví dụ bảng tính .xls hoặc văn bản .doc"
    } else if starts(b"%PDF-") {
        "a PDF document / tài liệu PDF"
    } else if starts(b"\x1F\x8B") {
        "a gzip-compressed file / tệp nén gzip"
    } else {
        return sniff_nul(&bytes[..bytes.len().min(SNIFF)]).map(str::to_owned);
    };
    Some(named.to_owned())
}

const UTF16_LE: &str =
    "UTF-16 LE text, Notepad's \"Unicode\" / văn bản UTF-16 LE, kiểu \"Unicode\" của Notepad";
const UTF16_BE: &str = "UTF-16 BE text / văn bản UTF-16 BE";

/// UTF-16 without a byte order mark (JSON is mostly ASCII, so every other byte is 0) or
/// binary data (NUL bytes elsewhere).
fn sniff_nul(head: &[u8]) -> Option<&'static str> {
    let zeros = head.iter().filter(|&&b| b == 0).count();
    if zeros == 0 {
        return None;
    }
    let pairs = head.len() / 2;
    let even = head.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    // Mostly-ASCII UTF-16: at least 3/4 of one side zero and almost none of the other.
    if pairs > 0 && odd * 4 >= pairs * 3 && even * 16 <= pairs {
        Some(UTF16_LE)
    } else if pairs > 0 && even * 4 >= pairs * 3 && odd * 16 <= pairs {
        Some(UTF16_BE)
    } else {
        Some("binary data, not text / dữ liệu nhị phân, không phải văn bản")
    }
}

/// The first byte that is not UTF-8: its value, line and column (1-based, in characters).
fn eight_bit(bytes: &[u8], at: usize) -> String {
    let before = &bytes[..at];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    // `before` is valid UTF-8 up to `at`, so its characters can be counted.
    let column = std::str::from_utf8(&before[line_start..])
        .map_or(at - line_start, |s| s.chars().count())
        + 1;
    let byte = bytes.get(at).copied().unwrap_or(0);
    format!(
        "Windows-1258, TCVN3 or another 8-bit encoding: byte 0x{byte:02X} at line {line}, \
         column {column}, byte offset {at}, is not UTF-8 / Windows-1258, TCVN3 hoặc một bảng mã \
         8 bit khác: byte 0x{byte:02X} ở dòng {line}, cột {column}, vị trí byte {at}, không phải UTF-8"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode(b"{}").unwrap(), "{}");
        assert_eq!(decode(b"\xEF\xBB\xBF{\"a\":1}").unwrap(), "{\"a\":1}");
        assert_eq!(decode_vec(b"\xEF\xBB\xBF[]".to_vec()).unwrap(), "[]");
        assert_eq!(decode("Sở Tư pháp".as_bytes()).unwrap(), "Sở Tư pháp");
    }

    #[test]
    fn utf16_with_and_without_bom() {
        let le: Vec<u8> = "{\"format\": 1}"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let be: Vec<u8> = "{\"format\": 1}"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert!(decode(&le).unwrap_err().starts_with("UTF-16 LE"));
        assert!(decode(&be).unwrap_err().starts_with("UTF-16 BE"));
        let mut le_bom = vec![0xFF, 0xFE];
        le_bom.extend(&le);
        assert!(decode(&le_bom).unwrap_err().starts_with("UTF-16 LE"));
        let mut be_bom = vec![0xFE, 0xFF];
        be_bom.extend(&be);
        assert!(decode(&be_bom).unwrap_err().starts_with("UTF-16 BE"));
    }

    #[test]
    fn binary_and_known_formats() {
        assert!(decode(&[0u8; 100]).unwrap_err().starts_with("binary"));
        assert!(decode(b"\x7FELF\x02\x01\x01\x00\x00\x00")
            .unwrap_err()
            .starts_with("binary"));
        assert!(decode(b"PK\x03\x04rest").unwrap_err().contains(".xlsx"));
        assert!(decode(b"%PDF-1.7\n").unwrap_err().contains("PDF"));
    }

    #[test]
    fn eight_bit_text_is_located() {
        // "Sở" in Windows-1258 is 0x53 0xD5 (Ơ is 0xD5 there; the hook tone is combining).
        let e = decode(b"{\n  \"a\": \"S\xD5\"\n}").unwrap_err();
        assert!(
            e.contains("byte 0xD5 at line 2, column 10, byte offset 11,"),
            "{e}"
        );
        // The column counts characters, not bytes: "Tư" before the bad byte is 2 columns.
        let e = decode("Tư\u{0}".as_bytes()).unwrap_err();
        assert!(e.starts_with("binary"), "{e}");
        let mut b = "Tư".as_bytes().to_vec();
        b.push(0xE0);
        assert!(decode(&b).unwrap_err().contains("line 1, column 3"));
    }
}
