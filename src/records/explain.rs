//! Dossier by dossier: why a dossier is on time or late (received when, due when and
//! how the due time was found, paused for supplements, finished when, late by how many
//! working hours), which indicators it failed and what each cost its unit, exactly; and
//! the "dossiers that cost points" list per unit and period, costliest first, bounded.
//!
//! Both need the counts of the whole file (a cost depends on the unit's denominator),
//! so they come from a second read after [`analyse`](crate::records::analyse).

use crate::calendar::{LocalTime, NaiveDateTime, WorkingCalendar};
use crate::diagnostics::{Diagnostic, Diagnostics, Location, Problem};
use crate::records::analyse::{judge_problem, Report};
use crate::records::columns::Resolver;
use crate::records::cost::{formula, CostCase, CostEntry, CostModel, TopN};
use crate::records::dossier::{KenhThucHien, TrangThaiHoSo};
use crate::records::error::Problems;
use crate::records::indicator::Indicator;
use crate::records::judge::{judge, Basis, DueSource, Judgement, Outcome};
use crate::records::limits::MAX_COST_LIST;
use crate::records::parse;
use crate::records::period::BucketIndex;
use crate::records::read::{Reader, RowCells};
use crate::records::tally::{marks, Marks};
use crate::text::Lang;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::io::{self, Read};

/// What one failed indicator cost one unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorCost {
    /// The indicator.
    pub indicator: Indicator,
    /// The unit's `(numerator, denominator)`.
    pub fraction: (u64, u64),
    /// Points lost, exactly (`None` when the index has no rule for it).
    pub cost: Option<Decimal>,
    /// Which case of the formula.
    pub case: Option<CostCase>,
    /// The formula `M / (T% × d)` in words.
    pub formula: Option<String>,
    /// Its exact value as a reduced fraction (`10/3`).
    pub exact: Option<String>,
    /// Why the dossier failed it, from its own cells (vi, en).
    pub reason: (String, String),
}

/// Why a dossier does or does not count, and what it cost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// `MaHoSo`.
    pub ma_ho_so: String,
    /// Row in the file.
    pub row: u64,
    /// `MaTTHC`.
    pub ma_tthc: String,
    /// Unit code and name.
    pub unit: (String, String),
    /// Status.
    pub status: TrangThaiHoSo,
    /// Channel.
    pub channel: Option<KenhThucHien>,
    /// Receipt time and whether it came from `NgayNopHoSo`.
    pub receipt: Option<(LocalTime, bool)>,
    /// The end time used.
    pub end: Option<LocalTime>,
    /// Period bucket label, when counted.
    pub bucket: Option<String>,
    /// Why it is not counted (status 1/3, outside the period).
    pub not_counted: Option<(&'static str, &'static str)>,
    /// The judgement, when counted.
    pub judgement: Option<Judgement>,
    /// Indicators entered and passed.
    pub marks: Marks,
    /// Failed computable indicators and their cost to the dossier's own unit.
    pub costs: Vec<IndicatorCost>,
    /// Total cost to each unit of the chain (own unit first, then ancestors).
    pub chain_costs: Vec<(String, Decimal)>,
    /// Failed indicators that are not computable from the file (not costed).
    pub not_computable: Vec<Indicator>,
    /// The result is attached but `KetQuaDaKySo` = 0, and the policy does not require a
    /// signature (said, not costed).
    pub unsigned_result: bool,
}

/// The second read's results.
#[derive(Debug, Clone, Default)]
pub struct Details {
    /// "Dossiers that cost points" per (unit id, bucket), costliest first.
    pub costs: HashMap<(u32, u16), Vec<CostEntry>>,
    /// Explanations of the dossiers asked for, in file order.
    pub explanations: Vec<Explanation>,
}

/// Reads the file again for the cost lists (`top` entries per unit and period, at
/// most [`MAX_COST_LIST`]) and the explanations of the dossiers in `explain`.
pub fn details<R: Read>(
    open: &mut dyn FnMut() -> io::Result<R>,
    report: &Report,
    model: &CostModel,
    top: Option<usize>,
    explain: &[String],
) -> Result<Details, Diagnostics> {
    let opts = &report.options;
    let file = opts.source.as_str();
    let io_fail = |e: io::Error| {
        Diagnostics(vec![Diagnostic::error_at(
            Location::File,
            None,
            Problem::Io {
                detail: e.to_string(),
            },
        )])
        .in_file(file)
    };
    let resolver = Resolver::new(opts.mapping.as_ref()).map_err(|_| Diagnostics::default())?;
    let cal = WorkingCalendar::vietnam();
    let bucket_index = BucketIndex::new(&opts.period, opts.by);
    let top = top.map(|n| n.min(MAX_COST_LIST));
    let mut lists: HashMap<(u32, u16), TopN> = HashMap::new();
    let mut out = Details::default();
    let mut problems = Problems::default();
    let Some(mut reader) = Reader::new(
        open().map_err(io_fail)?,
        opts.format,
        &resolver,
        &mut problems,
    )
    .map_err(io_fail)?
    else {
        return Err(problems.finish(file));
    };
    let mut cells = RowCells::default();
    let mut seen = 0u64;
    while reader.next(&mut cells, &mut problems).map_err(io_fail)? {
        if cells.row != 0 {
            seen += 1;
        }
        if cells.row == 0 || !cells.ok {
            continue;
        }
        let wanted = !explain.is_empty()
            && cells
                .get(crate::records::Column::MaHoSo)
                .is_some_and(|c| explain.iter().any(|e| e == c));
        if top.is_none() && !wanted {
            continue;
        }
        let Some(d) = parse::dossier(&cells, &resolver, &opts.policies, &mut problems) else {
            continue;
        };
        let mut ex = Explanation {
            ma_ho_so: d.ma_ho_so.to_owned(),
            row: d.row,
            ma_tthc: d.ma_tthc.to_owned(),
            unit: (d.don_vi.to_owned(), d.ten_don_vi.to_owned()),
            status: d.trang_thai,
            channel: d.kenh,
            receipt: d.receipt().map(|r| (r, d.tiep_nhan.is_none())),
            end: crate::records::end_time(&d, &opts.policies),
            bucket: None,
            not_counted: None,
            judgement: None,
            marks: Marks::default(),
            costs: Vec::new(),
            chain_costs: Vec::new(),
            not_computable: Vec::new(),
            unsigned_result: d.flags.result_attached == Some(true)
                && d.flags.result_signed == Some(false)
                && opts.policies.electronic_result
                    == crate::records::ElectronicResult::FileAttached,
        };
        let bucket = d.receipt().and_then(|r| bucket_index.of(r.date()));
        let (Some(bucket), true) = (bucket, d.trang_thai.is_received()) else {
            if wanted {
                ex.not_counted = Some(if d.trang_thai.is_received() {
                    ("nhận ngoài kỳ", "received outside the period")
                } else {
                    (
                        "chưa được tiếp nhận (trạng thái 1 hoặc 3)",
                        "never received (status 1 or 3)",
                    )
                });
                out.explanations.push(ex);
            }
            continue;
        };
        let Some(unit) = report.units.id(d.don_vi) else {
            continue;
        };
        let j = match judge(&d, &opts.policies, report.evaluations[bucket], cal) {
            Ok(j) => j,
            Err(e) => {
                problems.push(judge_problem(d.row, d.ma_ho_so, &e));
                continue;
            }
        };
        let m = marks(&d, &j, &opts.policies);
        let failed = m.failed();
        let b = u16::try_from(bucket).unwrap_or(u16::MAX);
        let fraction = |u: u32, i: Indicator| report.fraction(u, bucket, i);
        let late = j.outcome.is_overdue().then_some(j.margin_minutes).flatten();
        if let Some(n) = top {
            for u in report.units.chain(unit) {
                let cost = model.cost(failed, |i| fraction(u, i));
                if cost.is_zero() {
                    continue;
                }
                lists.entry((u, b)).or_insert_with(|| TopN::new(n)).offer(
                    (cost, late, d.row),
                    || CostEntry {
                        ma_ho_so: d.ma_ho_so.to_owned(),
                        row: d.row,
                        unit: d.don_vi.to_owned(),
                        failed: crate::records::IndicatorSet(failed.0 & computable_mask(report)),
                        cost,
                        late_minutes: late,
                    },
                );
            }
        }
        if wanted {
            ex.bucket = Some(report.buckets[bucket].label.clone());
            ex.marks = m;
            for i in failed.iter() {
                match fraction(unit, i) {
                    Some((n, dd)) => {
                        let mc = model.marginal(i, n, dd);
                        ex.costs.push(IndicatorCost {
                            indicator: i,
                            fraction: (n, dd),
                            cost: mc.map(|x| x.0),
                            case: mc.map(|x| x.1),
                            formula: model.rule(i).map(|r| formula(r, dd, Lang::En)),
                            exact: model.exact_fraction(i, dd),
                            reason: reason(&d, i, &j),
                        });
                    }
                    None => ex.not_computable.push(i),
                }
            }
            for u in report.units.chain(unit) {
                let c = model.cost(failed, |i| fraction(u, i));
                ex.chain_costs.push((report.units.get(u).code.clone(), c));
            }
            ex.judgement = Some(j);
            out.explanations.push(ex);
        }
    }
    if seen != report.stats.rows {
        problems.push(crate::records::analyse::second_read_problem());
    }
    if !problems.is_empty() {
        return Err(problems.finish(file));
    }
    out.costs = lists
        .into_iter()
        .map(|(k, v)| (k, v.into_sorted()))
        .collect();
    Ok(out)
}

fn computable_mask(report: &Report) -> u16 {
    Indicator::ALL
        .into_iter()
        .filter(|i| report.computable(*i))
        .fold(0, |m, i| m | (1 << i.index()))
}

/// Why `d` failed `i`, in the words of its own cells (vi, en).
fn reason(d: &crate::records::Dossier<'_>, i: Indicator, j: &Judgement) -> (String, String) {
    use Indicator as I;
    let f = &d.flags;
    let yes = |x: Option<bool>| x == Some(true);
    let both = |v: Vec<(&str, &str)>| -> (String, String) {
        (
            v.iter().map(|x| x.0).collect::<Vec<_>>().join("; "),
            v.iter().map(|x| x.1).collect::<Vec<_>>().join("; "),
        )
    };
    match i {
        I::DossierSync => both(vec![(
            "chưa đồng bộ lên Cổng DVCQG (DongBoDVCQG = 0)",
            "not synced to the national portal (DongBoDVCQG = 0)",
        )]),
        I::OnTime | I::Satisfaction => {
            let mut v = Vec::new();
            match j.outcome {
                Outcome::Late => v.push(("kết thúc quá hạn", "finished late")),
                Outcome::OpenOverdue => {
                    v.push(("chưa kết thúc, đã quá hạn", "still open and overdue"))
                }
                _ => {}
            }
            if i == I::Satisfaction && yes(f.dissatisfied) {
                v.push((
                    "có phản ánh, kiến nghị hoặc không hài lòng (PhanAnhKhongHaiLong = 1)",
                    "a petition or a dislike (PhanAnhKhongHaiLong = 1)",
                ));
            }
            both(v)
        }
        I::OnlineSubmission => {
            let k = d.kenh.unwrap_or(KenhThucHien::TrucTiep);
            (
                format!("nộp {}", k.name(Lang::Vi)),
                format!("submitted {}", k.name(Lang::En)),
            )
        }
        I::OnlinePayment => {
            let fee = d
                .phi
                .map(|x| crate::display::plain(x, Lang::En))
                .unwrap_or_default();
            (
                format!(
                    "có phí ({fee}) nhưng không thanh toán trực tuyến (DuocThanhToanTrucTuyen = 0)"
                ),
                format!("fees of {fee} not paid online (DuocThanhToanTrucTuyen = 0)"),
            )
        }
        I::ElectronicResult if !yes(f.result_attached) => both(vec![(
            "chưa đính kèm tệp kết quả (DuongDanTepTinKetQua trống)",
            "result file not attached (DuongDanTepTinKetQua empty)",
        )]),
        I::ElectronicResult => both(vec![(
            "kết quả chưa ký số (KetQuaDaKySo = 0)",
            "result not signed (KetQuaDaKySo = 0)",
        )]),
        I::Digitised => {
            let mut v = Vec::new();
            if !yes(f.components_digitised) {
                v.push((
                    "thành phần hồ sơ chưa số hóa (HoSoCoThanhPhanSoHoa = 0)",
                    "components not digitised (HoSoCoThanhPhanSoHoa = 0)",
                ));
            }
            if !yes(f.result_attached) {
                v.push(("chưa có tệp kết quả", "no result file"));
            }
            both(v)
        }
        I::Reused => both(vec![(
            "không tái sử dụng dữ liệu số hóa (TaiSuDungDuLieuSoHoa = 0)",
            "no digitised data reused (TaiSuDungDuLieuSoHoa = 0)",
        )]),
        I::NationalStore => both(vec![(
            "không lấy thành phần từ kho dữ liệu quốc gia (DuocLayTuKhoDMQG = 0)",
            "no component from the national store (DuocLayTuKhoDMQG = 0)",
        )]),
        I::PopulationData => both(vec![(
            "không xác thực VNeID, không dùng dữ liệu dân cư",
            "no VNeID authentication, no population data",
        )]),
    }
}

/// `2 h 30 min` / `2 giờ 30 phút` of working time.
pub fn working_time(minutes: i64, lang: Lang) -> String {
    let m = minutes.unsigned_abs();
    let (h, mi) = (m / 60, m % 60);
    match (lang, h, mi) {
        (Lang::Vi, 0, mi) => format!("{mi} phút làm việc"),
        (Lang::Vi, h, 0) => format!("{h} giờ làm việc"),
        (Lang::Vi, h, mi) => format!("{h} giờ {mi} phút làm việc"),
        (Lang::En, 0, mi) => format!("{mi} working minute{}", if mi == 1 { "" } else { "s" }),
        (Lang::En, h, 0) => format!("{h} working hour{}", if h == 1 { "" } else { "s" }),
        (Lang::En, h, mi) => format!("{h} working hour{} {mi} min", if h == 1 { "" } else { "s" }),
    }
}

fn points_word(x: Decimal, lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => "điểm",
        Lang::En if x == Decimal::ONE => "point",
        Lang::En => "points",
    }
}

fn when(t: LocalTime) -> String {
    if t.has_time {
        t.at.format("%d/%m/%Y %H:%M").to_string()
    } else {
        t.at.format("%d/%m/%Y").to_string()
    }
}

fn at(t: NaiveDateTime) -> String {
    t.format("%d/%m/%Y %H:%M").to_string()
}

fn duration_words(d: crate::calendar::Duration, lang: Lang) -> String {
    use crate::calendar::Duration::*;
    match (d, lang) {
        (WorkingDays(n), Lang::Vi) => format!("{n} ngày làm việc"),
        (WorkingDays(n), Lang::En) => format!("{n} working days"),
        (WorkingHours(n), Lang::Vi) => format!("{n} giờ làm việc"),
        (WorkingHours(n), Lang::En) => format!("{n} working hours"),
        (CalendarDays { days, .. }, Lang::Vi) => format!("{days} ngày"),
        (CalendarDays { days, .. }, Lang::En) => format!("{days} calendar days"),
    }
}

impl Explanation {
    /// The explanation in `lang`, one statement per line.
    pub fn text(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        let t = |v: &str, e: &str| lang.pick(v, e).to_owned();
        let p = |d: Decimal| {
            crate::display::plain(
                crate::display::round(d, 4, crate::display::Rounding::HalfUp),
                lang,
            )
        };
        let mut lines = Vec::new();
        let unit = if self.unit.1.is_empty() {
            self.unit.0.clone()
        } else {
            format!("{} {}", self.unit.0, self.unit.1)
        };
        lines.push(format!(
            "{} {} ({} {}{}, {} {}): {} {} {}",
            t("Hồ sơ", "Dossier"),
            self.ma_ho_so,
            t("dòng", "row"),
            self.row,
            if self.ma_tthc.is_empty() {
                String::new()
            } else {
                format!(", TTHC {}", self.ma_tthc)
            },
            t("đơn vị", "unit"),
            unit,
            t("trạng thái", "status"),
            self.status.code(),
            self.status.name(lang)
        ));
        if let Some((r, from_submission)) = self.receipt {
            let channel = self
                .channel
                .map(|k| format!(", {}", k.name(lang)))
                .unwrap_or_default();
            lines.push(format!(
                "- {} {}{}{}",
                t("Tiếp nhận:", "Received:"),
                when(r),
                if from_submission {
                    t(" (theo NgayNopHoSo)", " (from NgayNopHoSo)")
                } else {
                    String::new()
                },
                channel
            ));
        }
        if let Some((vi_, en_)) = self.not_counted {
            lines.push(format!(
                "- {}: {}",
                t("Không tính vào chỉ số", "Not counted"),
                lang.pick(vi_, en_)
            ));
            return lines.join("\n");
        }
        let Some(j) = &self.judgement else {
            return lines.join("\n");
        };
        if let Some(b) = &self.bucket {
            lines.push(format!("- {} {b}", t("Kỳ:", "Period:")));
        }
        match (j.due_source, j.due_initial) {
            (DueSource::Given, Some(d)) => lines.push(format!("- {} {} (NgayHenTra)", t("Hạn trả:", "Due:"), when(d))),
            (DueSource::Computed(dur), Some(d)) => lines.push(format!(
                "- {} {} ({})",
                t("Hạn trả:", "Due:"),
                when(d),
                if vi {
                    format!("không có NgayHenTra: tính từ thời điểm tiếp nhận + {} theo ThoiGianGiaiQuyet/DonViTinh, lịch làm việc 07:00–11:30, 13:30–17:00", duration_words(dur, lang))
                } else {
                    format!("no NgayHenTra: receipt + {} from ThoiGianGiaiQuyet/DonViTinh, working hours 07:00–11:30, 13:30–17:00", duration_words(dur, lang))
                }
            )),
            _ => lines.push(format!("- {}", t("Không có hạn trả: tính là đúng hạn theo chính sách missing_due = on_time", "No due time: on time under policy missing_due = on_time"))),
        }
        if j.paused_minutes > 0 {
            if let Some(d) = j.due {
                lines.push(format!(
                    "- {} {} → {} {}",
                    t(
                        "Tạm dừng chờ công dân bổ sung:",
                        "Paused for the citizen's supplement:"
                    ),
                    working_time(j.paused_minutes, lang),
                    t("hạn mới", "new due time"),
                    when(d)
                ));
            }
        }
        let margin = j.margin_minutes.unwrap_or(0);
        let by = |late: bool| -> String {
            match (margin, late, vi) {
                (0, _, _) => String::new(),
                (_, true, true) => format!(" (trễ {})", working_time(margin, lang)),
                (_, true, false) => format!(" (by {})", working_time(margin, lang)),
                (_, false, true) => format!(" ({} trước hạn)", working_time(margin, lang)),
                (_, false, false) => {
                    format!(" ({} before the due time)", working_time(margin, lang))
                }
            }
        };
        match j.basis {
            Basis::Finished(e) => lines.push(format!(
                "- {} {} → {}{}",
                t("Kết thúc:", "Finished:"),
                self.end.map_or_else(|| at(e), when),
                j.outcome.name(lang),
                by(j.outcome == Outcome::Late)
            )),
            Basis::Open(e) => lines.push(format!(
                "- {} {} → {}{}",
                t("Chưa kết thúc tại thời điểm đánh giá", "Still open at the evaluation time"),
                at(e),
                j.outcome.name(lang),
                by(j.outcome == Outcome::OpenOverdue)
            )),
            Basis::WaitingSupplement(r) => lines.push(format!(
                "- {} {} → {}{}",
                t("Đang chờ công dân bổ sung; xét tại thời điểm yêu cầu bổ sung", "Waiting for the citizen's supplement; judged at the request time"),
                at(r),
                j.outcome.name(lang),
                by(j.outcome == Outcome::Late)
            )),
            Basis::RepeatedSupplements(n) => lines.push(format!(
                "- {}{} → {}",
                self.end.map(|e| format!("{} {}; ", t("Kết thúc:", "Finished:"), when(e))).unwrap_or_default(),
                if vi { format!("{n} lần yêu cầu bổ sung: tính là quá hạn (chính sách repeated_supplements = overdue, tài liệu mô tả công thức)") } else { format!("{n} supplement requests: overdue (policy repeated_supplements = overdue, formula document)") },
                j.outcome.name(lang)
            )),
            Basis::WaitingOnTimeByPolicy => lines.push(format!("- {}", t("Trạng thái 5 tính là đúng hạn (chính sách supplements = waiting_on_time)", "Status 5 counts as on time (policy supplements = waiting_on_time)"))),
            Basis::WithdrawnOnTime => lines.push(format!("- {}", t("Hồ sơ rút tính là đúng hạn (chính sách withdrawn = on_time)", "Withdrawn: on time (policy withdrawn = on_time)"))),
            Basis::WithdrawnExcluded => lines.push(format!("- {}", t("Hồ sơ rút tính riêng, ngoài chỉ số 2.1 (chính sách withdrawn = excluded)", "Withdrawn: counted apart, outside 2.1 (policy withdrawn = excluded)"))),
            Basis::NoDueOnTime => {}
        }
        if self.costs.is_empty() && self.not_computable.is_empty() {
            lines.push(format!(
                "- {}",
                t(
                    "Không làm mất điểm ở chỉ số nào tính được từ hồ sơ.",
                    "Costs no point in any indicator computable from the records."
                )
            ));
        }
        for c in &self.costs {
            let (n, d) = c.fraction;
            let what = match (c.cost, c.case) {
                (Some(x), Some(CostCase::BelowCap)) => {
                    let exact = c.exact.clone().unwrap_or_default();
                    let value = if exact.contains('/') {
                        format!("{exact} ≈ {}", p(x))
                    } else {
                        p(x)
                    };
                    format!(
                        "{} {} = {value} {}",
                        t("mất", "costs"),
                        c.formula.clone().unwrap_or_default(),
                        points_word(x, lang)
                    )
                }
                (Some(x), Some(CostCase::AcrossCap)) => format!(
                    "{} {} {} ({})",
                    t("mất", "costs"),
                    p(x),
                    points_word(x, lang),
                    t("phần còn lại đến ngưỡng", "the rest up to the threshold")
                ),
                (Some(_), Some(CostCase::AboveCap)) => t(
                    "không mất điểm: tỷ lệ đã đạt ngưỡng điểm tối đa",
                    "costs 0 points: the ratio is already at the threshold for full marks",
                ),
                _ => t(
                    "bộ chỉ số không có chỉ số này",
                    "the index has no such indicator",
                ),
            };
            lines.push(format!(
                "- {} {} ({}) [{n}/{d}]: {what}",
                c.indicator.code(),
                lang.pick(&c.reason.0, &c.reason.1),
                c.indicator.title(lang),
            ));
        }
        for i in &self.not_computable {
            lines.push(format!(
                "- {} {}: {}",
                i.code(),
                i.failure(lang),
                t(
                    "không tính được từ tệp này (thiếu cột)",
                    "not computable from this file (columns missing)"
                )
            ));
        }
        if self.unsigned_result {
            lines.push(format!("- {}", t(
                "Tệp kết quả đã đính kèm nhưng chưa ký số (KetQuaDaKySo = 0): 4.1 vẫn tính là đạt theo chính sách electronic_result = file_attached (chính sách file_attached_and_signed thì không)",
                "The result file is attached but not signed (KetQuaDaKySo = 0): 4.1 still counts it under policy electronic_result = file_attached (file_attached_and_signed would not)",
            )));
        }
        if !self.chain_costs.is_empty() {
            let s: Vec<String> = self
                .chain_costs
                .iter()
                .map(|(u, c)| format!("{u}: {}", p(*c)))
                .collect();
            lines.push(format!(
                "- {} {} ({})",
                t("Tổng điểm bị mất:", "Total points lost:"),
                s.join("; "),
                t(
                    "làm tròn 4 chữ số để hiển thị; JSON ghi giá trị chính xác",
                    "rounded to 4 places for display; JSON carries exact values"
                )
            ));
        }
        lines.join("\n")
    }
}
