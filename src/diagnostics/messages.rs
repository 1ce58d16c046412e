//! The messages of [`Problem`], in Vietnamese and English.

use super::words;
use super::Problem;
use crate::text::Lang;
use rust_decimal::Decimal;

fn n(d: &Decimal, lang: Lang) -> String {
    crate::display::plain(*d, lang)
}

/// A limit written as `10¹⁵` when it is a power of ten (as the README states the
/// limits), otherwise as a plain number.
fn power_of_ten(d: &Decimal, lang: Lang) -> String {
    const SUPERSCRIPT: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let text = d.normalize().to_string();
    match text.strip_prefix('1') {
        Some(zeros) if zeros.len() >= 3 && zeros.bytes().all(|b| b == b'0') => {
            let exp = zeros.len().to_string();
            let sup: String = exp
                .bytes()
                .map(|b| SUPERSCRIPT[usize::from(b - b'0')])
                .collect();
            format!("10{sup}")
        }
        _ => n(d, lang),
    }
}

fn list(items: &[String]) -> String {
    items.join(", ")
}

impl Problem {
    /// Human message in `lang`, in the words of the criterion.
    pub fn message(&self, lang: Lang) -> String {
        use Lang::*;
        use Problem::*;
        match (self, lang) {
            (MissingColumns { missing }, Vi) => format!("không tìm thấy dòng tiêu đề có các cột bắt buộc; thiếu cột: {}", list(missing)),
            (MissingColumns { missing }, En) => format!("no header row names the required columns; missing: {}", list(missing)),
            (UnreadableCode { text }, Vi) if text.is_empty() => "dòng có tên tiêu chí hoặc điểm nhưng không có số thứ tự (STT)".into(),
            (UnreadableCode { text }, En) if text.is_empty() => "the row has a criterion name or points but no STT (code)".into(),
            (UnreadableCode { text }, Vi) => format!("\"{text}\" không phải là số thứ tự tiêu chí (ví dụ: 1, 1.1, 1.1.4, I, a)"),
            (UnreadableCode { text }, En) => format!("\"{text}\" is not a criterion code (e.g. 1, 1.1, 1.1.4, I, a)"),
            (UnreadableNumber { text }, Vi) => format!("\"{text}\" không phải là số (viết ví dụ 1 hoặc 0,5)"),
            (UnreadableNumber { text }, En) => format!("\"{text}\" is not a number (write e.g. 1 or 0,5)"),
            (RuleSyntax { text, detail }, Vi) => format!("không đọc được quy tắc chấm \"{text}\": {}", words::what(detail, Vi)),
            (RuleSyntax { text, detail }, En) => format!("cannot read the rule \"{text}\": {}", words::what(detail, En)),
            (AmbiguousBound { value, reading }, Vi) => format!("mốc {} có thể hiểu theo hai cách; chiso đọc là: {reading}. Đề nghị người soạn xác định rõ (ví dụ ghi \"từ … đến dưới …\" hoặc điền cột quy tắc chấm)", n(value, Vi)),
            (AmbiguousBound { value, reading }, En) => format!("the bound {} can be read two ways; chiso read it as: {}. Please settle it (e.g. write \"từ … đến dưới …\" or fill the rule column)", n(value, En), words::range_en(reading)),
            (WordingNotRecognised { text }, Vi) => format!("không nhận ra cách chấm điểm \"{text}\"; tạm để Hội đồng chấm trực tiếp (discretionary). Hãy ghi quy tắc ở cột quy tắc chấm"),
            (UnreadableValue { text, detail }, Vi) => format!("không đọc được giá trị \"{text}\": {}", words::what(detail, Vi)),
            (UnreadableValue { text, detail }, En) => format!("cannot read the value \"{text}\": {}", words::what(detail, En)),
            (WordingNotRecognised { text }, En) => format!("the scoring wording \"{text}\" was not recognised; the appraiser scores it directly (discretionary) until a rule is written in the rule column"),
            (Io { detail }, Vi) => format!("không đọc được tệp ({})", words::io(detail, Vi)),
            (Io { detail }, En) => format!("cannot read the file ({})", words::io(detail, En)),
            (Syntax { line, column, detail }, Vi) => format!("tệp không đúng cú pháp JSON ở dòng {line}, cột {column} ({})", words::syntax(detail, Vi)),
            (Syntax { line, column, detail }, En) => format!("the file is not valid JSON at line {line}, column {column} ({})", words::syntax(detail, En)),
            (Structure { detail }, Vi) => format!("nội dung không đúng cấu trúc: {}", words::structure(detail, Vi)),
            (Structure { detail }, En) => format!("the content does not have the expected shape: {}", words::structure(detail, En)),
            (WrongFormat { expected, found }, Vi) => format!("trường \"format\" phải là \"{expected}\", nhưng là \"{found}\""),
            (WrongFormat { expected, found }, En) => format!("field \"format\" must be \"{expected}\", found \"{found}\""),
            (EmptyCode, Vi) => "mã tiêu chí bị bỏ trống".into(),
            (EmptyCode, En) => "the criterion code is empty".into(),
            (DuplicateCode { first_path }, Vi) => format!("mã tiêu chí bị trùng (đã dùng tại {first_path})"),
            (DuplicateCode { first_path }, En) => format!("the code is used twice (first at {first_path})"),
            (NoRuleNoChildren, Vi) => "tiêu chí không có tiêu chí thành phần cũng không có cách chấm điểm".into(),
            (NoRuleNoChildren, En) => "the criterion has neither sub-criteria nor a scoring rule".into(),
            (RuleAndChildren, Vi) => "tiêu chí có cả tiêu chí thành phần và cách chấm điểm riêng; chỉ được có một".into(),
            (RuleAndChildren, En) => "the criterion has both sub-criteria and its own scoring rule; only one is allowed".into(),
            (AggregationOnLeaf, Vi) => "tiêu chí không có tiêu chí thành phần nên không được khai báo cách tổng hợp".into(),
            (AggregationOnLeaf, En) => "the criterion has no sub-criteria, so it cannot declare an aggregation".into(),
            (MaxMismatch { declared, computed }, Vi) => format!("điểm tối đa là {} nhưng tổng điểm tối đa của các tiêu chí thành phần là {}", n(declared, Vi), n(computed, Vi)),
            (MaxMismatch { declared, computed }, En) => format!("the maximum is {} but the sub-criteria maxima add up to {}", n(declared, En), n(computed, En)),
            (MaxRequired, Vi) => "cách chấm điểm này cần điểm tối đa (max_points) của tiêu chí".into(),
            (MaxRequired, En) => "this scoring rule needs the criterion's maximum points (max_points)".into(),
            (WeightMissing { child }, Vi) => format!("chưa khai báo trọng số cho tiêu chí thành phần {child}"),
            (WeightMissing { child }, En) => format!("no weight is declared for sub-criterion {child}"),
            (WeightUnknownChild { child }, Vi) => format!("trọng số khai báo cho mã {child}, nhưng đó không phải tiêu chí thành phần"),
            (WeightUnknownChild { child }, En) => format!("a weight is declared for {child}, which is not a sub-criterion"),
            (WeightNotPositive { child, weight }, Vi) => format!("trọng số của {child} phải lớn hơn 0 (đang là {})", n(weight, Vi)),
            (WeightNotPositive { child, weight }, En) => format!("the weight of {child} must be greater than 0 (it is {})", n(weight, En)),
            (PointsAboveMax { what, points, max }, Vi) => format!("{}: {} điểm vượt điểm tối đa {}", words::what(what, Vi), n(points, Vi), n(max, Vi)),
            (PointsAboveMax { what, points, max }, En) => format!("{}: {} points exceed the maximum of {}", words::what(what, En), n(points, En), n(max, En)),
            (Negative { what, value }, Vi) => format!("{} không được âm (đang là {})", words::what(what, Vi), n(value, Vi)),
            (Negative { what, value }, En) => format!("{} must not be negative (it is {})", words::what(what, En), n(value, En)),
            (AwardSpec { what }, Vi) => format!("{}: phải ghi đúng một trong hai: số điểm (points) hoặc tỷ lệ % của điểm tối đa (percent_of_max), không ghi cả hai hoặc bỏ trống cả hai", words::what(what, Vi)),
            (AwardSpec { what }, En) => format!("{}: give exactly one of points or percent_of_max, not both and not neither", words::what(what, En)),
            (PercentOutOfRange { what, value }, Vi) => format!("{}: tỷ lệ {}% phải nằm trong khoảng 0–100%", words::what(what, Vi), n(value, Vi)),
            (PercentOutOfRange { what, value }, En) => format!("{}: {}% must lie between 0 and 100%", words::what(what, En), n(value, En)),
            (DuplicateKey { key }, Vi) => format!("khóa \"{key}\" bị trùng"),
            (DuplicateKey { key }, En) => format!("key \"{key}\" is used twice"),
            (Empty { what }, Vi) => format!("{} không được để trống", words::what(what, Vi)),
            (Empty { what }, En) => format!("{} must not be empty", words::what(what, En)),
            (EmptyInterval { what }, Vi) => format!("{} không chứa giá trị nào (cận dưới lớn hơn cận trên)", words::what(what, Vi)),
            (EmptyInterval { what }, En) => format!("{} holds no value (its lower bound is above its upper bound)", words::what(what, En)),
            (Overlap { first, second, both }, Vi) => format!("{} và {} chồng lấn nhau: giá trị {both} thuộc cả hai", words::what(first, Vi), words::what(second, Vi)),
            (Overlap { first, second, both }, En) => format!("{} and {} overlap: {} belongs to both", words::what(first, En), words::what(second, En), words::range_en(both)),
            (Uncovered { gap }, Vi) => format!("thang điểm bỏ sót giá trị {gap}: giá trị này không thuộc mức nào nên không chấm được điểm"),
            (Uncovered { gap }, En) => format!("the scale leaves out {}: such a value falls in no tier and cannot be scored", words::range_en(gap)),
            (StepNotPositive, Vi) => "bước điểm phải lớn hơn 0".into(),
            (StepNotPositive, En) => "the step must be greater than 0".into(),
            (TooDeep { limit }, Vi) => format!("cây tiêu chí sâu quá {limit} cấp"),
            (TooDeep { limit }, En) => format!("the criteria tree is deeper than {limit} levels"),
            (TooManyNodes { limit }, Vi) => format!("bộ tiêu chí có quá {limit} tiêu chí"),
            (TooManyNodes { limit }, En) => format!("the index has more than {limit} criteria"),
            (IndexMismatch { expected, found }, Vi) => format!("bản chấm điểm dành cho bộ chỉ số \"{found}\", không phải \"{expected}\""),
            (IndexMismatch { expected, found }, En) => format!("the assessment is for index \"{found}\", not \"{expected}\""),
            (UnknownCode, Vi) => "không có tiêu chí nào mang mã này trong bộ chỉ số".into(),
            (UnknownCode, En) => "the index has no criterion with this code".into(),
            (UnknownAdjustment, Vi) => "bộ chỉ số không có mục điểm thưởng/điểm trừ mang mã này".into(),
            (UnknownAdjustment, En) => "the index has no bonus/penalty block with this code".into(),
            (ValueOnParent, Vi) => "tiêu chí này được tính từ các tiêu chí thành phần; hãy chấm điểm các tiêu chí thành phần".into(),
            (ValueOnParent, En) => "this criterion is computed from its sub-criteria; score the sub-criteria instead".into(),
            (WrongValueKind { expected, found }, Vi) => format!("giá trị loại \"{found}\" không dùng được cho cách chấm điểm này; cần giá trị loại: {}", list(&expected.iter().map(|k| k.to_string()).collect::<Vec<_>>())),
            (WrongValueKind { expected, found }, En) => format!("a \"{found}\" value does not fit this scoring rule; expected: {}", list(&expected.iter().map(|k| k.to_string()).collect::<Vec<_>>())),
            (UnknownOption { option, allowed }, Vi) => format!("\"{option}\" không phải là mức chấm điểm của tiêu chí; các mức hợp lệ: {}", list(allowed)),
            (UnknownOption { option, allowed }, En) => format!("\"{option}\" is not an option of this criterion; valid options: {}", list(allowed)),
            (MissingCondition { key }, Vi) => format!("chưa trả lời điều kiện \"{key}\""),
            (MissingCondition { key }, En) => format!("condition \"{key}\" has no answer"),
            (UnknownCondition { key }, Vi) => format!("tiêu chí không có điều kiện \"{key}\""),
            (UnknownCondition { key }, En) => format!("the criterion has no condition \"{key}\""),
            (OutOfRange { value, range }, Vi) => format!("giá trị {} nằm ngoài khoảng cho phép ({range})", n(value, Vi)),
            (OutOfRange { value, range }, En) => format!("value {} is outside the allowed range ({})", n(value, En), words::range_en(range)),
            (NotWhole { value }, Vi) => format!("số lượng phải là số nguyên (đang là {})", n(value, Vi)),
            (NotWhole { value }, En) => format!("a count must be a whole number (it is {})", n(value, En)),
            (NotOnStep { value, step }, Vi) => format!("điểm {} không phải là bội số của bước {}", n(value, Vi), n(step, Vi)),
            (NotOnStep { value, step }, En) => format!("{} points is not a multiple of the step {}", n(value, En), n(step, En)),
            (NumeratorAboveDenominator { numerator, denominator }, Vi) => format!("tử số {} lớn hơn mẫu số {}", n(numerator, Vi), n(denominator, Vi)),
            (NumeratorAboveDenominator { numerator, denominator }, En) => format!("numerator {} is greater than denominator {}", n(numerator, En), n(denominator, En)),
            (ZeroDenominator, Vi) => "mẫu số bằng 0 và tiêu chí không cho phép trường hợp này".into(),
            (ZeroDenominator, En) => "the denominator is 0, which this criterion does not allow".into(),
            (NoTier { value }, Vi) => format!("giá trị {} không thuộc mức nào của thang điểm", n(value, Vi)),
            (NoTier { value }, En) => format!("value {} falls in no tier of the scale", n(value, En)),
            (NoAnswers, Vi) => "phiếu khảo sát không có câu trả lời nào".into(),
            (NoAnswers, En) => "the survey has no answers".into(),
            (OutsideNominalRange { value, range }, Vi) => format!("giá trị {} nằm ngoài khoảng danh nghĩa {range}; vẫn được giữ nguyên, đề nghị kiểm tra", n(value, Vi)),
            (OutsideNominalRange { value, range }, En) => format!("value {} lies outside the nominal range {}; it is kept as is, please check it", n(value, En), words::range_en(range)),
            (LayerIgnored { layer }, Vi) => format!("lớp điểm \"{layer}\" không được dùng cho tiêu chí này và bị bỏ qua"),
            (LayerIgnored { layer }, En) => format!("layer \"{layer}\" is not used by this criterion and is ignored"),
            (ValuesIgnoredNotApplicable, Vi) => "tiêu chí được đánh dấu không áp dụng nên các điểm đã nhập bị bỏ qua".into(),
            (ValuesIgnoredNotApplicable, En) => "the criterion is marked not applicable, so the values entered are ignored".into(),
            (TooLarge { value, limit }, Vi) => format!("số {} quá lớn (giới hạn ±{})", n(value, Vi), power_of_ten(limit, Vi)),
            (TooLarge { value, limit }, En) => format!("the number {} is too large (limit ±{})", n(value, En), power_of_ten(limit, En)),
            (NotAnIndexForYear { year }, Vi) => format!("bộ chỉ số không áp dụng cho năm {year}"),
            (NotAnIndexForYear { year }, En) => format!("the index does not apply to year {year}"),
            (IndexVersionMismatch { expected, found }, Vi) => format!("bản chấm điểm được lập cho phiên bản \"{found}\" của bộ chỉ số, không phải phiên bản \"{expected}\" đang dùng"),
            (IndexVersionMismatch { expected, found }, En) => format!("the assessment was made for version \"{found}\" of the index, not the version \"{expected}\" in use"),
            (InputsMismatch { expected, found }, Vi) => format!("dữ liệu chấm điểm được chuẩn bị cho một bộ chỉ số khác ({found} ô, bộ chỉ số có {expected} tiêu chí)"),
            (InputsMismatch { expected, found }, En) => format!("the scoring inputs were prepared for another index ({found} cells, the index has {expected} criteria)"),
            (OverrideSameAsBase, Vi) => "thay đổi này đặt đúng giá trị/thiết lập đã có, nên không thay đổi gì".into(),
            (OverrideSameAsBase, En) => "this override sets what is already there, so it changes nothing".into(),
            (OverrideNoEffect, Vi) => "thay đổi này không làm thay đổi điểm, điểm tối đa, tỷ lệ hay xếp loại của đơn vị nào (ví dụ: giá trị vẫn cùng mức, hoặc lớp điểm được sửa không phải lớp được dùng để tính điểm)".into(),
            (OverrideNoEffect, En) => "this override changes no points, maximum, percent or band of any unit (e.g. the value stays in the same tier, or the layer changed is not the one scored)".into(),
            (NotWeighted { parent }, Vi) => format!("tiêu chí cha {parent} cộng điểm trực tiếp, không có trọng số để thay đổi"),
            (NotWeighted { parent }, En) => format!("the parent {parent} is a plain sum; it has no weights to change"),
            (ParameterNotInRule { parameter, rule }, Vi) => format!("cách chấm điểm loại \"{rule}\" không có tham số \"{parameter}\""),
            (ParameterNotInRule { parameter, rule }, En) => format!("a \"{rule}\" rule has no parameter \"{parameter}\""),
            (NoSuchTier { tier, count }, Vi) => format!("không có mức số {tier} (các mức được đánh số từ 0 đến {})", count.saturating_sub(1)),
            (NoSuchTier { tier, count }, En) => format!("there is no tier {tier} (tiers are numbered 0 to {})", count.saturating_sub(1)),
            (UnknownUnit { unit }, Vi) => format!("không có đơn vị \"{unit}\" trong danh sách đơn vị"),
            (UnknownUnit { unit }, En) => format!("there is no unit \"{unit}\" in the batch"),
            (UnknownBand { band, allowed }, Vi) => format!("bộ chỉ số không có xếp loại \"{band}\"; các xếp loại: {}", list(allowed)),
            (UnknownBand { band, allowed }, En) => format!("the index has no band \"{band}\"; bands: {}", list(allowed)),
            (TotalMissing, Vi) => "không tính được tổng điểm: còn thiếu số liệu mà bộ chỉ số không ước tính".into(),
            (TotalMissing, En) => "the total cannot be computed: values are missing and the index does not impute them".into(),
            (UnknownUnitType { unit_type, allowed }, Vi) if allowed.is_empty() => format!("bộ chỉ số không khai báo loại đơn vị nào, nên không có loại đơn vị \"{unit_type}\""),
            (UnknownUnitType { unit_type, allowed }, En) if allowed.is_empty() => format!("the index declares no unit types, so there is no unit type \"{unit_type}\""),
            (UnknownUnitType { unit_type, allowed }, Vi) => format!("bộ chỉ số không khai báo loại đơn vị \"{unit_type}\"; các loại đơn vị: {}", list(allowed)),
            (UnknownUnitType { unit_type, allowed }, En) => format!("the index declares no unit type \"{unit_type}\"; unit types: {}", list(allowed)),
            (UnitTypeExcludesAll { unit_type }, Vi) => format!("loại đơn vị \"{unit_type}\" loại bỏ mọi tiêu chí: không còn tiêu chí nào để chấm điểm"),
            (UnitTypeExcludesAll { unit_type }, En) => format!("unit type \"{unit_type}\" excludes every criterion: nothing is left to score"),
            (UnitTypeMaxMismatch { unit_type, declared, computed }, Vi) => format!("điểm tối đa khai báo cho loại đơn vị \"{unit_type}\" là {} nhưng các tiêu chí áp dụng cho loại này cộng lại {}", n(declared, Vi), n(computed, Vi)),
            (UnitTypeMaxMismatch { unit_type, declared, computed }, En) => format!("the maximum declared for unit type \"{unit_type}\" is {} but the criteria that apply to it add up to {}", n(declared, En), n(computed, En)),
            (ExcludedWithAncestor { ancestor }, Vi) => format!("tiêu chí cha {ancestor} đã được khai báo không áp dụng; chỉ khai báo một lần"),
            (ExcludedWithAncestor { ancestor }, En) => format!("its parent {ancestor} is already listed as not applicable; list it once"),
            (ValuesIgnoredUnitType { unit_type }, Vi) => format!("tiêu chí không áp dụng cho loại đơn vị \"{unit_type}\" nên các điểm đã nhập bị bỏ qua"),
            (ValuesIgnoredUnitType { unit_type }, En) => format!("the criterion does not apply to unit type \"{unit_type}\", so the values entered are ignored"),
            (LimitExceeded { what, limit, found, unit }, Vi) => {
                let (what, unit) = (words::both(what, Vi), words::unit(unit, Vi));
                match found {
                    Some(f) => format!("vượt giới hạn {what}: {f}{unit}, tối đa {limit}{unit} (xem phần \"Giới hạn\" trong README)"),
                    None => format!("vượt giới hạn {what}: tối đa {limit}{unit} (xem phần \"Giới hạn\" trong README)"),
                }
            }
            (LimitExceeded { what, limit, found, unit }, En) => {
                let (what, unit) = (words::both(what, En), words::unit(unit, En));
                match found {
                    Some(f) => format!("{what} exceeds the limit: {f}{unit}, at most {limit}{unit} (see \"Limits and guarantees\" in the README)"),
                    None => format!("{what} exceeds the limit of {limit}{unit} (see \"Limits and guarantees\" in the README)"),
                }
            }
            (Overflow { what }, Vi) => format!("số quá lớn: không tính chính xác được {} (giới hạn khoảng 7,9·10²⁸); hãy kiểm tra lại điểm tối đa, trọng số và giá trị đã nhập", words::both(what, Vi)),
            (Overflow { what }, En) => format!("numbers too large: the {} cannot be computed exactly (limit about 7.9·10²⁸); check the maxima, weights and values", words::both(what, En)),
            (NotUtf8 { found }, Vi) => format!("tệp không phải văn bản UTF-8 (có vẻ là {}); hãy lưu lại tệp dưới dạng UTF-8", words::both(found, Vi)),
            (NotUtf8 { found }, En) => format!("the file is not UTF-8 text (it looks like {}); save it again as UTF-8", words::both(found, En)),
            (CannotWrite { detail }, Vi) => format!("không ghi được kết quả ({}); tệp cũ (nếu có) được giữ nguyên", words::io_write(detail, Vi)),
            (CannotWrite { detail }, En) => format!("cannot write the output ({}); the previous file, if any, is left untouched", words::io_write(detail, En)),
            (HiddenSheetSkipped { sheet, very_hidden }, Vi) => format!("trang tính \"{sheet}\" đang bị ẩn{}, nên không được đọc; nếu các dòng trên trang này cần nhập, hãy bỏ ẩn trang rồi chạy lại", if *very_hidden { " (ẩn sâu, chỉ bỏ ẩn được trong trình soạn VBA)" } else { "" }),
            (HiddenSheetSkipped { sheet, very_hidden }, En) => format!("the sheet \"{sheet}\" is {}hidden, so it was not read; if its rows belong in the import, unhide the sheet and run again", if *very_hidden { "very " } else { "" }),
            (DuplicateColumn { header, first }, Vi) => format!("cột \"{header}\" xuất hiện hai lần trong dòng tiêu đề (lần đầu tại {first}); chỉ giữ một cột"),
            (DuplicateColumn { header, first }, En) => format!("the column \"{header}\" appears twice in the header row (first at {first}); keep one"),
            (FormulaWithoutValue { formula }, Vi) => format!("ô chứa công thức{} nhưng tệp không lưu kết quả tính; hãy mở tệp bằng Excel hoặc LibreOffice, lưu lại rồi chạy lại", if formula.is_empty() { String::new() } else { format!(" \"{formula}\"") }),
            (FormulaWithoutValue { formula }, En) => format!("the cell holds a formula{} whose result is not saved in the file; open the file in Excel or LibreOffice, save it and run again", if formula.is_empty() { String::new() } else { format!(" \"{formula}\"") }),
            (UnreadableWorkbook { format, detail }, Vi) => format!("không đọc được tệp như một bảng tính .{format} ({}); hãy mở tệp bằng Excel hoặc LibreOffice và lưu lại dưới dạng .xlsx", words::both(detail, Vi)),
            (UnreadableWorkbook { format, detail }, En) => format!("the file cannot be read as a .{format} workbook ({}); open it in Excel or LibreOffice and save it as .xlsx", words::both(detail, En)),
            (Coded { code, text, vi, .. }, Vi) if text.is_empty() || text == "…" => format!("{vi} [{code}]"),
            (Coded { code, text, en, .. }, En) if text.is_empty() || text == "…" => format!("{en} [{code}]"),
            (Coded { code, text, vi, .. }, Vi) => format!("giá trị \"{text}\": {vi} [{code}]"),
            (Coded { code, text, en, .. }, En) => format!("the value \"{text}\": {en} [{code}]"),
            (MaxUnreachable { max, best }, Vi) => format!("điểm tối đa là {} nhưng mức cao nhất của cách chấm điểm chỉ cho {} điểm, nên không bao giờ đạt điểm tối đa; sửa điểm tối đa hoặc các mức điểm cho khớp với văn bản", n(max, Vi), n(best, Vi)),
            (MaxUnreachable { max, best }, En) => format!("the maximum is {} but the best outcome of the scoring rule gives only {} points, so full marks can never be reached; correct the maximum or the awards to match the source", n(max, En), n(best, En)),
            (RescaleNeedsMax { parent: None }, Vi) => "quy đổi về thang điểm tối đa (rescale_to_max) cần điểm tối đa (max_points) của chính tiêu chí này".into(),
            (RescaleNeedsMax { parent: None }, En) => "rescaling to the maximum (rescale_to_max) needs this criterion's own maximum points (max_points)".into(),
            (RescaleNeedsMax { parent: Some(p) }, Vi) => format!("tiêu chí {p} quy đổi điểm các tiêu chí thành phần về thang điểm tối đa (rescale_to_max), nên tiêu chí này cần điểm tối đa (max_points)"),
            (RescaleNeedsMax { parent: Some(p) }, En) => format!("{p} rescales its sub-criteria's points to its maximum (rescale_to_max), so this criterion needs its maximum points (max_points)"),
        }
    }
}
