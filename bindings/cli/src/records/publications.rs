//! The "Công bố TTHC / Publications" section of the readable output: one row per
//! decision (kind, ministry decision, provincial decision, due date, on time / late by N
//! working days, the period it counts in), the explanations, the counts per period, and
//! what 1.1 and 1.2 were fed to the units with.

use crate::report::{new_table, num2};
use chiso::calendar::NaiveDate;
use chiso::records::publications::{Decision, Feed, Timeliness, FED_INDICATORS};
use chiso::records::{self, Report, Values};
use chiso::{Diagnostics, Index, Lang};

fn date(d: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Vi => d.format("%d/%m/%Y").to_string(),
        Lang::En => d.format("%Y-%m-%d").to_string(),
    }
}

fn decision(d: &Decision, lang: Lang) -> String {
    format!("{} {}", d.number, date(d.date, lang))
}

fn days(n: i64, lang: Lang) -> String {
    match (lang, n) {
        (Lang::Vi, _) => format!("{n} ngày làm việc"),
        (Lang::En, 1) => "1 working day".to_owned(),
        (Lang::En, _) => format!("{n} working days"),
    }
}

fn verdict(t: Timeliness, lang: Lang) -> String {
    let vi = lang == Lang::Vi;
    match t {
        Timeliness::OnTime => lang.pick("đúng hạn", "on time").to_owned(),
        Timeliness::Late { working_days } => {
            let n = days(working_days, lang);
            if vi {
                format!("trễ {n}")
            } else {
                format!("late by {n}")
            }
        }
        Timeliness::NotIssued {
            overdue_working_days: Some(k),
        } if k > 0 => {
            let n = days(k, lang);
            if vi {
                format!("chưa ban hành, quá hạn {n}")
            } else {
                format!("not issued, overdue by {n}")
            }
        }
        Timeliness::NotIssued { .. } => lang.pick("chưa ban hành", "not issued").to_owned(),
    }
}

/// The section; `values` carries `feed` (for the points of 1.1 and 1.2).
pub fn section(
    feed: &Feed,
    report: &Report,
    index: &Index,
    values: Option<&Values>,
    lang: Lang,
) -> Result<String, Diagnostics> {
    let vi = lang == Lang::Vi;
    let t = |v: &str, e: &str| lang.pick(v, e).to_owned();
    let mut out = format!("{} — {}\n", t("Công bố TTHC", "Publications"), feed.source);
    let mut tb = new_table(vec![
        t("Dòng", "Row"),
        t("Loại", "Kind"),
        t("QĐ của Bộ", "Ministry decision"),
        t("QĐ của tỉnh", "Provincial decision"),
        t("Hạn", "Due"),
        t("Kết quả", "Result"),
        t("Kỳ", "Period"),
    ]);
    for j in &feed.judged {
        let p = &j.publication;
        let kind = p.kind.label();
        let period = match (&p.provincial, feed.bucket_of(j)) {
            (None, _) => "—".to_owned(),
            (Some(_), Some(b)) => b.to_owned(),
            (Some(_), None) => t("ngoài kỳ", "outside the period"),
        };
        tb.add_row(vec![
            p.row.to_string(),
            lang.pick(kind.vi, kind.en),
            decision(&p.ministry, lang),
            p.provincial
                .as_ref()
                .map_or_else(|| "—".to_owned(), |d| decision(d, lang)),
            j.due.map_or_else(|| "—".to_owned(), |d| date(d, lang)),
            verdict(j.timeliness, lang),
            period,
        ]);
    }
    crate::report::align_right(&mut tb, 0..=0);
    out.push_str(&tb.to_string());
    out.push('\n');
    for j in &feed.judged {
        let pick = |x: &chiso::Text| lang.pick(x.vi.clone(), x.en.clone());
        out.push_str(&format!(
            "{} {}: {}\n",
            t("Dòng", "Row"),
            j.publication.row,
            pick(&j.explanation)
        ));
        for c in [&j.portal_1_1, &j.portal_1_2].into_iter().flatten() {
            out.push_str(&format!("  {}\n", pick(&c.explanation)));
        }
    }
    for p in &feed.summary.periods {
        let e = p.explanation();
        out.push_str(&format!("{}.\n", lang.pick(e.vi, e.en)));
    }
    let root = feed.province.as_deref().and_then(|p| report.units.id(p));
    for (b, _) in feed.summary.periods.iter().enumerate() {
        for code in FED_INDICATORS {
            let line = match (root, feed.count(b, code)) {
                (Some(u), Some(_)) => {
                    let s = records::score(report, u, b, index, values)?;
                    let pts = s.result.node(code).and_then(|n| n.achieved);
                    let e = feed
                        .explanation(&report.units.get(u).code, b, code)
                        .unwrap_or_default();
                    format!(
                        "{} {}: {} → {} {}",
                        t("Kỳ", "Period"),
                        feed.summary.periods[b].label,
                        lang.pick(e.vi, e.en),
                        num2(pts, lang),
                        t("điểm", "points")
                    )
                }
                _ => {
                    let e = feed.not_fed_explanation(b, code).unwrap_or_default();
                    if vi {
                        e.vi
                    } else {
                        e.en
                    }
                }
            };
            out.push_str(&line);
            out.push('\n');
        }
    }
    if let Some(p) = &feed.province {
        out.push_str(&t(
            &format!("Chỉ số 1.1 và 1.2 của tỉnh {p} được dùng cho mọi đơn vị trực thuộc (\"kế thừa từ tỉnh\"): Cổng DVCQG hiển thị giá trị 1.1–1.3 của tỉnh cho các sở, xã (tài liệu tham chiếu service-index-766.md §8.4). Tệp --values không được ghi các chỉ số này cho các đơn vị đó. \"Điểm từ hồ sơ\" gồm cả điểm 1.1 và 1.2 ở các kỳ có giá trị."),
            &format!("Indicators 1.1 and 1.2 of the province {p} are given to every unit below it (\"inherited from the province\"): the portal shows the province's 1.1–1.3 for its departments and communes (reference service-index-766.md §8.4). A --values file may not give these indicators for those units. \"Points from records\" include the points of 1.1 and 1.2 in the periods where they have a value."),
        ));
        out.push('\n');
    }
    out.push('\n');
    Ok(out)
}
