//! The readable rendering of `chiso records`: per period, one row per unit with the five
//! OpenCPS counts, every computable indicator as `n/d → points`, and the points
//! assessable from records; then the dossiers that cost points; then the notes (policies,
//! roll-up, indicators not computable, rounding).

use crate::report::{align_right, new_table, num2, rounding_note};
use chiso::records::{self, Details, Indicator, Report, Values};
use chiso::{Diagnostics, Index, Lang};

fn pad(depth: u8) -> String {
    "  ".repeat(usize::from(depth.saturating_sub(1)))
}

fn minutes(m: Option<i64>, lang: Lang) -> String {
    m.filter(|m| *m > 0)
        .map_or_else(|| "—".into(), |m| records::working_time(m, lang))
}

/// The tables and notes.
pub fn table(
    report: &Report,
    index: &Index,
    values: Option<&Values>,
    units: &[u32],
    det: &Details,
    lang: Lang,
) -> Result<String, Diagnostics> {
    let t = |v: &str, e: &str| lang.pick(v, e).to_owned();
    let computable: Vec<Indicator> = Indicator::ALL
        .into_iter()
        .filter(|i| report.computable(*i))
        .collect();
    let feed = values.and_then(Values::publications);
    // 1.1 and 1.2 when publication decisions feed them in some period.
    let fed: Vec<&str> = feed
        .filter(|f| f.province.is_some())
        .map(|f| f.fed_codes())
        .unwrap_or_default();
    // The total column only with a values file (without one the total stays missing).
    let with_total = values.is_some_and(|v| v.file().is_some());
    let mut out = String::new();
    for (b, bucket) in report.buckets.iter().enumerate() {
        out.push_str(&format!(
            "{} {} — {}\n",
            t("Kỳ", "Period"),
            bucket.label,
            report.options.source
        ));
        let mut header: Vec<String> = vec![
            t("Đơn vị", "Unit"),
            t("Tiếp nhận", "Received"),
            t("Trước hạn", "Early"),
            t("Đúng hạn", "On time"),
            t("Quá hạn", "Late"),
            t("Chưa đến hạn", "Open, not due"),
            t("Đang quá hạn", "Open, overdue"),
        ];
        header.extend(fed.iter().map(|c| (*c).to_owned()));
        header.extend(computable.iter().map(|i| i.code().to_owned()));
        header.push(t("Điểm từ hồ sơ", "Points from records"));
        if with_total {
            header.push(t("Tổng điểm (với --values)", "Total (with --values)"));
        }
        let mut tb = new_table(header);
        for &u in units {
            let n = report.units.get(u);
            let c = report.counts(u, b);
            let s = records::score(report, u, b, index, values)?;
            let mut row = vec![
                format!("{}{}", pad(n.depth), records::unit_label(report, u)),
                c.received.to_string(),
                c.early.to_string(),
                c.on_time.to_string(),
                c.late.to_string(),
                c.open_not_due.to_string(),
                c.open_overdue.to_string(),
            ];
            for code in &fed {
                let cell = match values.and_then(|v| v.fed(&n.code, b, code)) {
                    Some((num, den)) => {
                        let pts = s.result.node(code).and_then(|x| x.achieved);
                        format!("{num}/{den} → {}", num2(pts, lang))
                    }
                    None => "—".to_owned(),
                };
                row.push(cell);
            }
            for i in &computable {
                let (num, den) = report.fraction(u, b, *i).unwrap_or((0, 0));
                let pts = s.result.node(i.code()).and_then(|x| x.achieved);
                row.push(format!("{num}/{den} → {}", num2(pts, lang)));
            }
            row.push(format!(
                "{} / {}",
                num2(Some(s.records_points), lang),
                num2(Some(s.records_max), lang)
            ));
            if with_total {
                row.push(num2(s.result.total.achieved, lang));
            }
            tb.add_row(row);
        }
        align_right(
            &mut tb,
            1..=8 + fed.len() + computable.len() + usize::from(with_total),
        );
        out.push_str(&tb.to_string());
        out.push('\n');
        if !det.costs.is_empty() {
            for &u in units {
                let b16 = u16::try_from(b).unwrap_or(u16::MAX);
                let Some(list) = det.costs.get(&(u, b16)) else {
                    continue;
                };
                out.push_str(&format!(
                    "{} — {}\n",
                    t("Hồ sơ làm mất điểm", "Dossiers that cost points"),
                    records::unit_label(report, u)
                ));
                let mut ct = new_table(vec![
                    "MaHoSo".to_owned(),
                    t("Dòng", "Row"),
                    t("Đơn vị xử lý", "Handling unit"),
                    t("Chỉ số không đạt", "Indicators failed"),
                    t("Trễ hạn", "Late by"),
                    t("Điểm bị mất", "Points lost"),
                ]);
                for e in list {
                    ct.add_row(vec![
                        e.ma_ho_so.clone(),
                        e.row.to_string(),
                        e.unit.clone(),
                        e.failed
                            .iter()
                            .map(|i| i.code())
                            .collect::<Vec<_>>()
                            .join(", "),
                        minutes(e.late_minutes, lang),
                        num2(Some(e.cost), lang),
                    ]);
                }
                align_right(&mut ct, 5..=5);
                out.push_str(&ct.to_string());
                out.push('\n');
            }
        }
    }
    if let Some(f) = feed {
        out.push_str(&super::publications::section(
            f, report, index, values, lang,
        )?);
    }
    let st = report.stats;
    out.push_str(&match lang {
        Lang::Vi => format!(
            "{} dòng hồ sơ: {} được tính, {} chưa được tiếp nhận (trạng thái 1, 3), {} tiếp nhận ngoài kỳ.\n",
            st.rows, st.counted, st.not_received, st.outside_period
        ),
        Lang::En => format!(
            "{}: {} counted, {} never received (status 1, 3), {} received outside the period.\n",
            crate::report::count_en(st.rows, "dossier row", "dossier rows"),
            st.counted,
            st.not_received,
            st.outside_period
        ),
    });
    out.push_str(&format!("{}.\n", report.options.policies.summary(lang)));
    let missing: Vec<String> = Indicator::ALL
        .iter()
        .filter(|i| !report.computable(**i))
        .map(|i| {
            let cols: Vec<String> = report
                .missing_for(*i)
                .iter()
                .map(|g| {
                    g.iter()
                        .map(|c| c.name())
                        .collect::<Vec<_>>()
                        .join(t(" hoặc ", " or ").as_str())
                })
                .collect();
            format!("{} ({})", i.code(), cols.join(", "))
        })
        .collect();
    if !missing.is_empty() {
        out.push_str(&format!(
            "{} {}\n",
            t(
                "Không tính được từ tệp này (thiếu cột):",
                "Not computable from this file (columns missing):"
            ),
            missing.join("; ")
        ));
    }
    out.push_str(&format!(
        "{} {}\n",
        t(
            "Không tính được từ hồ sơ (cần dữ liệu khác; dùng --values):",
            "Not computable from dossiers (other data needed; see --values):"
        ),
        records::NOT_FROM_DOSSIERS
            .iter()
            .map(|(c, _, _)| *c)
            .collect::<Vec<_>>()
            .join(", ")
    ));
    if !report.has_supplement_columns() {
        out.push_str(&format!("{}\n", t(
            "Tệp không có cột bổ sung hồ sơ (NgayYeuCauBoSung): coi như không hồ sơ nào có yêu cầu bổ sung.",
            "The file has no supplement columns (NgayYeuCauBoSung): no dossier is taken to have had a supplement request.",
        )));
    }
    out.push_str(&format!("{}\n", t(
        "Số liệu của một đơn vị gồm cả các đơn vị có mã bắt đầu bằng mã của nó và dấu chấm (H21 gồm H21.17). \"Điểm từ hồ sơ\" = điểm các chỉ số tính được từ hồ sơ / điểm tối đa của chúng.",
        "A unit's figures include every unit whose code starts with its code and a dot (H21 includes H21.17). \"Points from records\" = points of the indicators computable from records / their maxima.",
    )));
    out.push_str(rounding_note(lang));
    out.push('\n');
    Ok(out)
}
