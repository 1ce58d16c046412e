//! Renderings of a [`ScoreResult`]: readable table, markdown, CSV.
//!
//! Table and markdown round to 2 decimals half up for display only and say so in a
//! footer; CSV and JSON carry exact values.

use chiso::display::{fixed, Rounding};
use chiso::index::AdjustmentKind;
use chiso::result::Total;
use chiso::{Decimal, Index, Lang, ScoreResult, Status, View};

/// `--help` text of `chiso score`: the stable machine formats.
pub const FORMATS_HELP: &str = "\
Formats:
  table  readable table (default): code (indented by depth), title in --lang, max, self,
         appraised, final, %, status; then criteria points, bonus/penalty, total, percent,
         band. Numbers rounded to 2 decimals half up for display only.
  md     the same as a GitHub markdown table.
  json   stable: the full result (format \"chiso.result/1\", schema: `chiso schema result`),
         pretty-printed; every decimal is an exact string, e.g. \"66.666666666666666666666666667\".
  csv    stable: header
           code,parent,depth,title,max_points,applicable_max,self,appraised,final,achieved,percent,status,source
         one row per node in tree order, then a row with code `total` (depth 0) for the whole
         index (achieved includes bonus and penalty). Values are exact decimals with `.` and no
         trailing zeros,
         empty when absent; title in --lang; status is one of scored, missing, not_applicable,
         evidence_missing, evidence_missing_explained; source is the layer read: self,
         appraisal_1, appraisal_2, survey (empty for parents).
--layer picks the view used for achieved, % and status: self, appraised (latest appraisal
round) or final (appraisal, else self-assessment). Self, appraised and final columns are
always all shown.
Exit codes: 0 ok, 1 invalid input (messages on stderr), 2 usage.";

/// What the table and markdown say about rounding.
pub(crate) fn rounding_note(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => "Số liệu làm tròn 2 chữ số thập phân (làm tròn nửa lên); tính toán dùng giá trị chính xác.",
        Lang::En => "Figures are rounded to 2 decimal places (half up) for display; calculations use exact values.",
    }
}

/// `n` and an English noun in the right number: "1 error", "2 errors". (Vietnamese nouns
/// have no plural form: write "{n} lỗi" directly.)
pub(crate) fn count_en(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The line closing a cut list of errors: "… và 3 lỗi khác" / "… and 3 more errors".
pub(crate) fn more(n: usize, lang: Lang) -> String {
    match lang {
        Lang::Vi => format!("… và {n} lỗi khác"),
        Lang::En => format!("… and {}", count_en(n as u64, "more error", "more errors")),
    }
}

/// `—` when absent.
pub(crate) fn or_dash(s: &Option<String>) -> String {
    s.clone().unwrap_or_else(|| "—".into())
}

/// An empty table in the style of every readable output, with this header.
pub(crate) fn new_table(header: impl Into<comfy_table::Row>) -> comfy_table::Table {
    let mut t = comfy_table::Table::new();
    t.load_style(comfy_table::presets::UTF8_FULL_CONDENSED);
    t.set_header(header);
    t
}

/// Right-aligns the (number) columns `cols`.
pub(crate) fn align_right(t: &mut comfy_table::Table, cols: std::ops::RangeInclusive<usize>) {
    for i in cols {
        if let Some(c) = t.column_mut(i) {
            c.set_cell_alignment(comfy_table::CellAlignment::Right);
        }
    }
}

/// A number rounded to 2 places half up, with the decimal separator of `lang`; `—` when absent.
pub(crate) fn num2(v: Option<Decimal>, lang: Lang) -> String {
    match v {
        None => "—".into(),
        Some(d) => {
            let s = fixed(d, 2, Rounding::HalfUp);
            match lang {
                Lang::Vi => s.replace('.', ","),
                Lang::En => s,
            }
        }
    }
}

/// Stable machine key of a status.
pub(crate) fn status_key(s: &Status) -> &'static str {
    match s {
        Status::Scored => "scored",
        Status::Missing => "missing",
        Status::NotApplicable => "not_applicable",
        Status::EvidenceMissing { explained: false } => "evidence_missing",
        Status::EvidenceMissing { explained: true } => "evidence_missing_explained",
    }
}

/// Name of a view.
pub(crate) fn view_name(v: View, lang: Lang) -> &'static str {
    match (v, lang) {
        (View::SelfAssessment, Lang::Vi) => "tự chấm",
        (View::Appraised, Lang::Vi) => "thẩm định",
        (View::Final, Lang::Vi) => "cuối cùng (thẩm định, nếu chưa có thì tự chấm)",
        (View::SelfAssessment, Lang::En) => "self-assessment",
        (View::Appraised, Lang::En) => "appraised",
        (View::Final, Lang::En) => "final (appraised, else self-assessed)",
    }
}

/// One row of the human tables: code, title, max, self, appraised, final, %, status.
type Row = [String; 8];

fn headers(lang: Lang) -> Row {
    let h: [&str; 8] = match lang {
        Lang::Vi => [
            "Mã",
            "Tiêu chí",
            "Tối đa",
            "Tự chấm",
            "Thẩm định",
            "Cuối cùng",
            "%",
            "Trạng thái",
        ],
        Lang::En => [
            "Code",
            "Criterion",
            "Max",
            "Self",
            "Appraised",
            "Final",
            "%",
            "Status",
        ],
    };
    h.map(str::to_owned)
}

/// Column of the chosen view in [`Row`].
fn view_column(v: View) -> usize {
    match v {
        View::SelfAssessment => 3,
        View::Appraised => 4,
        View::Final => 5,
    }
}

fn total_label(key: &str, lang: Lang) -> String {
    match (key, lang) {
        ("criteria", Lang::Vi) => "Điểm các tiêu chí".into(),
        ("criteria", Lang::En) => "Criteria points".into(),
        ("total", Lang::Vi) => "Tổng điểm".into(),
        ("total", Lang::En) => "Total".into(),
        ("percent", Lang::Vi) => "Tỷ lệ đạt".into(),
        ("percent", Lang::En) => "Percent achieved".into(),
        ("band", Lang::Vi) => "Xếp loại".into(),
        ("band", Lang::En) => "Band".into(),
        _ => key.into(),
    }
}

/// Node rows then total rows. `indent` is repeated once per level below the top.
fn rows(result: &ScoreResult, lang: Lang, indent: &str) -> Vec<Row> {
    let mut rows = Vec::new();
    for n in &result.nodes {
        rows.push([
            format!("{}{}", indent.repeat(n.depth.saturating_sub(1)), n.code),
            n.title.get(lang).to_owned(),
            num2(n.max_points, lang),
            num2(n.self_points, lang),
            num2(n.appraised_points, lang),
            num2(n.final_points, lang),
            num2(n.percent, lang),
            n.status.label(lang).to_owned(),
        ]);
    }
    let t: &Total = &result.total;
    let col = view_column(result.view);
    let blank = || -> Row { Default::default() };
    let mut criteria = blank();
    criteria[1] = total_label("criteria", lang);
    criteria[2] = num2(t.applicable_max, lang);
    criteria[col] = num2(t.criteria_points, lang);
    rows.push(criteria);
    for adj in &result.adjustments {
        let mut r = blank();
        r[0] = adj.code.clone();
        let sign = adj.kind.name(lang);
        let title = adj.title.get(lang);
        r[1] = if title.to_lowercase().contains(&sign.to_lowercase()) {
            title.to_owned()
        } else {
            format!("{sign}: {title}")
        };
        r[2] = num2(Some(adj.cap), lang);
        r[col] = match adj.kind {
            AdjustmentKind::Bonus => format!("+{}", num2(Some(adj.points), lang)),
            AdjustmentKind::Penalty => format!("−{}", num2(Some(adj.points), lang)),
        };
        rows.push(r);
    }
    let mut total = blank();
    total[0] = chiso::engine::ROOT_CODE.into();
    total[1] = total_label("total", lang);
    total[2] = num2(t.applicable_max, lang);
    total[3] = num2(t.self_points, lang);
    total[4] = num2(t.appraised_points, lang);
    total[5] = num2(t.final_points, lang);
    total[7] = t.status.label(lang).to_owned();
    rows.push(total);
    let mut pct = blank();
    pct[1] = total_label("percent", lang);
    pct[6] = num2(t.percent, lang);
    rows.push(pct);
    let mut band = blank();
    band[1] = total_label("band", lang);
    band[7] = match &t.band {
        Some(b) => b.label.get(lang).to_owned(),
        None => "—".into(),
    };
    rows.push(band);
    rows
}

fn heading(index: &Index, result: &ScoreResult, lang: Lang) -> String {
    let def = index.definition();
    let year = result
        .year
        .map(|y| y.to_string())
        .unwrap_or_else(|| "—".into());
    let (version, unit, year_word, layer) = match lang {
        Lang::Vi => ("phiên bản", "Đơn vị", "năm", "lớp điểm dùng cho cột %"),
        Lang::En => ("version", "Unit", "year", "layer used for the % column"),
    };
    format!(
        "{} (\"{}\", {version} {})\n{unit}: {}; {year_word}: {year}; {layer}: {}",
        def.title.get(lang),
        def.id,
        def.version,
        result.unit.name,
        view_name(result.view, lang)
    )
}

/// The readable table.
pub fn table(index: &Index, result: &ScoreResult, lang: Lang) -> String {
    let mut t = new_table(headers(lang).to_vec());
    for r in rows(result, lang, "  ") {
        t.add_row(r.to_vec());
    }
    align_right(&mut t, 2..=6);
    format!(
        "{}\n{t}\n{}\n",
        heading(index, result, lang),
        rounding_note(lang)
    )
}

fn md_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}

/// A GitHub-flavoured markdown table.
pub fn markdown(index: &Index, result: &ScoreResult, lang: Lang) -> String {
    let mut s = String::new();
    for line in heading(index, result, lang).lines() {
        s.push_str(&md_escape(line));
        s.push_str("  \n");
    }
    s.push('\n');
    let line = |cells: &[String]| {
        format!(
            "| {} |\n",
            cells
                .iter()
                .map(|c| md_escape(c))
                .collect::<Vec<_>>()
                .join(" | ")
        )
    };
    s.push_str(&line(&headers(lang)));
    s.push_str("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |\n");
    // Non-breaking spaces keep the indentation visible once rendered.
    for r in rows(result, lang, "\u{a0}\u{a0}") {
        s.push_str(&line(&r));
    }
    s.push('\n');
    s.push_str(rounding_note(lang));
    s.push('\n');
    s
}

fn exact(v: Option<Decimal>) -> String {
    v.map(|d| d.normalize().to_string()).unwrap_or_default()
}

/// CSV header, stable.
pub const CSV_HEADER: [&str; 13] = [
    "code",
    "parent",
    "depth",
    "title",
    "max_points",
    "applicable_max",
    "self",
    "appraised",
    "final",
    "achieved",
    "percent",
    "status",
    "source",
];

/// One row per node with exact values, then a `total` row.
pub fn csv(index: &Index, result: &ScoreResult, lang: Lang) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_HEADER)?;
    for n in &result.nodes {
        w.write_record([
            n.code.clone(),
            n.parent.clone().unwrap_or_default(),
            n.depth.to_string(),
            n.title.get(lang).to_owned(),
            exact(n.max_points),
            exact(n.applicable_max),
            exact(n.self_points),
            exact(n.appraised_points),
            exact(n.final_points),
            exact(n.achieved),
            exact(n.percent),
            status_key(&n.status).to_owned(),
            n.source.map(|l| l.key().to_owned()).unwrap_or_default(),
        ])?;
    }
    let t = &result.total;
    w.write_record([
        chiso::engine::ROOT_CODE.to_owned(),
        String::new(),
        "0".into(),
        index.definition().title.get(lang).to_owned(),
        exact(t.max_points),
        exact(t.applicable_max),
        exact(t.self_points),
        exact(t.appraised_points),
        exact(t.final_points),
        exact(t.achieved),
        exact(t.percent),
        status_key(&t.status).to_owned(),
        String::new(),
    ])?;
    let bytes = w
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
