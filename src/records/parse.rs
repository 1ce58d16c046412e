//! One row's cells → a [`Dossier`], every problem of the row reported (not only the
//! first): unknown status or channel codes, unreadable times, flags and numbers,
//! supplement lists of unequal length or out of order, a due or end time before the
//! receipt.

use crate::batch::parse_decimal;
use crate::calendar::{parse_local_time, Duration, LocalTime};
use crate::records::columns::{Column, Resolver};
use crate::records::dossier::{Dossier, Flags, KenhThucHien, Supplement, ThanhToan, TrangThaiHoSo};
use crate::records::error::{cell, location, Code, Problems};
use crate::records::limits::MAX_SUPPLEMENTS;
use crate::records::policy::{MissingDue, Policies};
use crate::records::read::RowCells;
use rust_decimal::Decimal;

/// Reads cells of one row, collecting problems.
struct Ctx<'a, 'p> {
    cells: &'a RowCells,
    resolver: &'a Resolver,
    problems: &'p mut Problems,
    ma_ho_so: &'a str,
    bad: bool,
}

impl<'a> Ctx<'a, '_> {
    /// The cell of `c` (mapped values applied), `None` when the column is absent.
    fn get(&self, c: Column) -> Option<&'a str> {
        let resolver = self.resolver;
        if !resolver.has_values(c) {
            return self.cells.get(c); // no mapping: the cell is already trimmed
        }
        self.cells.get(c).map(|t| resolver.value(c, t).trim())
    }

    fn report(&mut self, c: Column, text: &str, code: Code, en: &str, vi: &str) {
        self.bad = true;
        self.problems.push(cell(
            location(self.cells.row, Some(c.name()), Some(self.ma_ho_so)),
            text,
            code,
            en,
            vi,
        ));
    }

    fn required(&mut self, c: Column) -> &'a str {
        let v = self.get(c).unwrap_or("");
        if v.is_empty() {
            self.report(
                c,
                "",
                Code::Empty,
                &format!("{} must not be empty", c.name()),
                &format!("{} không được để trống", c.name()),
            );
        }
        v
    }

    fn time(&mut self, c: Column) -> Option<LocalTime> {
        let t = self.get(c).filter(|t| !t.is_empty())?;
        match parse_local_time(t) {
            Ok(x) => Some(x),
            Err(e) => {
                self.bad = true;
                self.problems.push(e.to_diagnostic(location(
                    self.cells.row,
                    Some(c.name()),
                    Some(self.ma_ho_so),
                )));
                None
            }
        }
    }

    fn flag(&mut self, c: Column) -> Option<bool> {
        let t = self.get(c)?;
        // Fast path: the usual cells need no folding.
        match t {
            "" | "0" => return Some(false),
            "1" => return Some(true),
            _ => {}
        }
        match crate::authoring::fold(t).as_str() {
            "" | "0" | "false" | "khong" | "no" | "n" => Some(false),
            "1" | "true" | "co" | "yes" | "y" | "x" => Some(true),
            _ => {
                self.report(
                    c,
                    t,
                    Code::NotAFlag,
                    "expected 1 (yes) or 0 / empty (no)",
                    "cần 1 (có) hoặc 0 / để trống (không)",
                );
                Some(false)
            }
        }
    }

    fn code(&mut self, c: Column) -> Option<Option<u8>> {
        let t = self.get(c)?;
        if t.is_empty() {
            return Some(None);
        }
        Some(t.parse::<u8>().ok().or(Some(u8::MAX)))
    }
}

/// Whether `a` is before `b`, comparing dates when either has no time of day.
pub(crate) fn before(a: LocalTime, b: LocalTime) -> bool {
    if a.has_time && b.has_time {
        a.at < b.at
    } else {
        a.date() < b.date()
    }
}

fn show(t: LocalTime) -> String {
    if t.has_time {
        t.at.format("%d/%m/%Y %H:%M:%S").to_string()
    } else {
        t.at.format("%d/%m/%Y").to_string()
    }
}

/// The procedure's maximum time from `ThoiGianGiaiQuyet` and `DonViTinh`: `Ok(None)`
/// when both are empty; an error message pair otherwise.
pub(crate) fn duration(
    amount: &str,
    unit: &str,
    skip_holidays: bool,
) -> Result<Option<Duration>, (String, String)> {
    if amount.is_empty() && unit.is_empty() {
        return Ok(None);
    }
    let bad_unit = || {
        (
            format!("DonViTinh \"{unit}\" is not a unit of time; use ngày làm việc, ngày or giờ làm việc"),
            format!("DonViTinh \"{unit}\" không phải đơn vị thời gian; dùng ngày làm việc, ngày hoặc giờ làm việc"),
        )
    };
    let v: Decimal = parse_decimal(amount.as_bytes())
        .filter(|d| !d.is_sign_negative())
        .ok_or_else(|| {
            (
                format!("ThoiGianGiaiQuyet \"{amount}\" is not a number ≥ 0"),
                format!("ThoiGianGiaiQuyet \"{amount}\" không phải số ≥ 0"),
            )
        })?;
    let whole = |d: Decimal| -> Option<u32> {
        use rust_decimal::prelude::ToPrimitive;
        d.fract().is_zero().then(|| d.to_u32()).flatten()
    };
    let key: String = crate::records::header_key(unit);
    let not_whole = |what: &str, vi: &str| {
        (
            format!("ThoiGianGiaiQuyet {v} {unit} is not a whole number of {what}"),
            format!("ThoiGianGiaiQuyet {v} {unit} không phải số {vi} nguyên"),
        )
    };
    match key.as_str() {
        "ngaylamviec" | "workingdays" | "workingday" => match whole(v) {
            Some(n) => Ok(Some(Duration::WorkingDays(n))),
            None => whole(v * Decimal::from(8))
                .map(|h| Some(Duration::WorkingHours(h)))
                .ok_or_else(|| not_whole("working hours", "giờ làm việc")),
        },
        "giolamviec" | "gio" | "workinghours" | "hours" => whole(v)
            .map(|h| Some(Duration::WorkingHours(h)))
            .ok_or_else(|| not_whole("working hours", "giờ làm việc")),
        "ngay" | "days" | "calendardays" => whole(v)
            .map(|days| {
                Some(Duration::CalendarDays {
                    days,
                    skip_holidays,
                })
            })
            .ok_or_else(|| not_whole("days", "ngày")),
        _ => Err(bad_unit()),
    }
}

/// Parses the row; `None` (with problems reported) when any cell is bad.
pub fn dossier<'a>(
    cells: &'a RowCells,
    resolver: &'a Resolver,
    policies: &Policies,
    problems: &mut Problems,
) -> Option<Dossier<'a>> {
    let mut cx = Ctx {
        cells,
        resolver,
        problems,
        ma_ho_so: "",
        bad: false,
    };
    let ma_ho_so = cx.required(Column::MaHoSo);
    cx.ma_ho_so = ma_ho_so;
    let don_vi = cx.required(Column::DonViXuLy);
    let status_text = cx.required(Column::TrangThaiHoSo);
    let trang_thai = if status_text.is_empty() {
        None
    } else {
        let s = status_text
            .parse::<u8>()
            .ok()
            .and_then(TrangThaiHoSo::from_code);
        if s.is_none() {
            cx.report(
                Column::TrangThaiHoSo,
                status_text,
                Code::UnknownStatus,
                "TrangThaiHoSo must be a national status code 1–10 (1 Mới đăng ký, 2 Được tiếp nhận, 3 Không được tiếp nhận, 4 Đang xử lý, 5 Yêu cầu bổ sung giấy tờ, 6 Yêu cầu thực hiện nghĩa vụ tài chính, 7 Công dân yêu cầu rút hồ sơ, 8 Dừng xử lý, 9 Đã xử lý xong, 10 Đã trả kết quả)",
                "TrangThaiHoSo phải là mã trạng thái quốc gia 1–10 (1 Mới đăng ký, 2 Được tiếp nhận, 3 Không được tiếp nhận, 4 Đang xử lý, 5 Yêu cầu bổ sung giấy tờ, 6 Yêu cầu thực hiện nghĩa vụ tài chính, 7 Công dân yêu cầu rút hồ sơ, 8 Dừng xử lý, 9 Đã xử lý xong, 10 Đã trả kết quả)",
            );
        }
        s
    };
    let kenh = match cx.code(Column::KenhThucHien) {
        None => None,
        Some(None) => Some(KenhThucHien::TrucTiep),
        Some(Some(c)) => match KenhThucHien::from_code(c) {
            Some(k) => Some(k),
            None => {
                let t = cx.get(Column::KenhThucHien).unwrap_or("");
                cx.report(
                    Column::KenhThucHien,
                    t,
                    Code::UnknownChannel,
                    "KenhThucHien must be 1 (trực tiếp), 2 (trực tuyến), 3 (bưu chính công ích) or empty (trực tiếp)",
                    "KenhThucHien phải là 1 (trực tiếp), 2 (trực tuyến), 3 (bưu chính công ích) hoặc để trống (trực tiếp)",
                );
                None
            }
        },
    };
    let thanh_toan = match cx.code(Column::DuocThanhToanTrucTuyen) {
        None => None,
        Some(None) => Some(ThanhToan::KhongTrucTuyen),
        Some(Some(c)) => match ThanhToan::from_code(c) {
            Some(k) => Some(k),
            None => {
                let t = cx.get(Column::DuocThanhToanTrucTuyen).unwrap_or("");
                cx.report(
                    Column::DuocThanhToanTrucTuyen,
                    t,
                    Code::UnknownPayment,
                    "DuocThanhToanTrucTuyen must be 0 or empty (not online), 1 (Cổng DVCQG) or 2 (ministry/province gateway)",
                    "DuocThanhToanTrucTuyen phải là 0 hoặc để trống (không trực tuyến), 1 (Cổng DVCQG) hoặc 2 (cổng thanh toán của bộ, tỉnh)",
                );
                None
            }
        },
    };
    let phi = match cx.get(Column::TongPhiLePhi) {
        None => None,
        Some("") => Some(Decimal::ZERO),
        Some(t) => match parse_decimal(t.as_bytes()).filter(|d| !d.is_sign_negative()) {
            Some(d) => Some(d),
            None => {
                cx.report(
                    Column::TongPhiLePhi,
                    t,
                    Code::NotANumber,
                    "TongPhiLePhi must be a number ≥ 0 with '.' as the decimal point",
                    "TongPhiLePhi phải là số ≥ 0, dấu thập phân là '.'",
                );
                None
            }
        },
    };
    let nop = cx.time(Column::NgayNopHoSo);
    let tiep_nhan = cx.time(Column::NgayTiepNhan);
    let hen_tra = cx.time(Column::NgayHenTra);
    let ket_thuc = cx.time(Column::NgayKetThucXuLy);
    let tra = cx.time(Column::NgayTra);
    let flags = Flags {
        synced: cx.flag(Column::DongBoDVCQG),
        components_digitised: cx.flag(Column::HoSoCoThanhPhanSoHoa),
        reused: cx.flag(Column::TaiSuDungDuLieuSoHoa),
        national_store: cx.flag(Column::DuocLayTuKhoDMQG),
        vneid: cx.flag(Column::TaiKhoanDuocXacThucVoiVNeID),
        population_data: cx.flag(Column::SuDungDuLieuDanCu),
        result_attached: cx.get(Column::DuongDanTepTinKetQua).map(|t| !t.is_empty()),
        result_signed: cx.flag(Column::KetQuaDaKySo),
        dissatisfied: cx.flag(Column::PhanAnhKhongHaiLong),
    };
    let bo_sung = supplements(&mut cx);
    let receipt = tiep_nhan.or(nop);
    let blank = |c: Column| cx.get(c).is_none_or(str::is_empty);
    let no_receipt_text = blank(Column::NgayTiepNhan) && blank(Column::NgayNopHoSo);
    if let (Some(s), None, true) = (trang_thai, receipt, no_receipt_text) {
        if s.is_received() {
            cx.report(
                Column::NgayTiepNhan,
                "",
                Code::NoReceipt,
                &format!(
                    "a received dossier (status {}) needs NgayTiepNhan (or NgayNopHoSo)",
                    s.code()
                ),
                &format!(
                    "hồ sơ đã tiếp nhận (trạng thái {}) phải có NgayTiepNhan (hoặc NgayNopHoSo)",
                    s.code()
                ),
            );
        }
    }
    if let Some(r) = receipt {
        if let Some(h) = hen_tra.filter(|h| before(*h, r)) {
            cx.report(
                Column::NgayHenTra,
                &show(h),
                Code::DueBeforeReceipt,
                &format!("the due time {} is before the receipt {}", show(h), show(r)),
                &format!("ngày hẹn trả {} trước ngày tiếp nhận {}", show(h), show(r)),
            );
        }
        for (c, t) in [(Column::NgayKetThucXuLy, ket_thuc), (Column::NgayTra, tra)] {
            if let Some(e) = t.filter(|e| before(*e, r)) {
                cx.report(
                    c,
                    &show(e),
                    Code::EndBeforeReceipt,
                    &format!("{} {} is before the receipt {}", c.name(), show(e), show(r)),
                    &format!("{} {} trước ngày tiếp nhận {}", c.name(), show(e), show(r)),
                );
            }
        }
        if let Some(s) = bo_sung.iter().find(|s| before(s.requested, r)) {
            cx.report(
                Column::NgayYeuCauBoSung,
                &show(s.requested),
                Code::SupplementOutOfOrder,
                &format!(
                    "a supplement requested at {} before the receipt {}",
                    show(s.requested),
                    show(r)
                ),
                &format!(
                    "yêu cầu bổ sung lúc {} trước ngày tiếp nhận {}",
                    show(s.requested),
                    show(r)
                ),
            );
        }
    }
    // The maximum time is read only when it is used: no NgayHenTra, default policy.
    let thoi_han = if hen_tra.is_none() && policies.missing_due == MissingDue::MaximumTime {
        let amount = cx.get(Column::ThoiGianGiaiQuyet).unwrap_or("");
        let unit = cx.get(Column::DonViTinh).unwrap_or("");
        match duration(amount, unit, policies.calendar_days_skip_holidays) {
            Ok(d) => d,
            Err((en, vi)) => {
                let c = if parse_decimal(amount.as_bytes()).is_none() {
                    Column::ThoiGianGiaiQuyet
                } else {
                    Column::DonViTinh
                };
                let t = if c == Column::DonViTinh { unit } else { amount };
                cx.report(c, t, Code::UnknownDurationUnit, &en, &vi);
                None
            }
        }
    } else {
        None
    };
    let ma_tthc = cx.get(Column::MaTTHC).unwrap_or("");
    let ten_don_vi = cx.get(Column::TenDonViXuLy).unwrap_or("");
    let trang_thai = trang_thai?;
    if cx.bad {
        return None;
    }
    Some(Dossier {
        row: cells.row,
        ma_ho_so,
        ma_tthc,
        don_vi,
        ten_don_vi,
        kenh,
        nop,
        tiep_nhan,
        hen_tra,
        ket_thuc,
        tra,
        trang_thai,
        thoi_han,
        bo_sung,
        flags,
        thanh_toan,
        phi,
    })
}

fn supplements(cx: &mut Ctx<'_, '_>) -> Vec<Supplement> {
    let Some(req) = cx.get(Column::NgayYeuCauBoSung).filter(|t| !t.is_empty()) else {
        if let Some(res) = cx.get(Column::NgayTiepNhanBoSung).filter(|t| !t.is_empty()) {
            cx.report(
                Column::NgayTiepNhanBoSung,
                res,
                Code::SupplementListsUnequal,
                "NgayTiepNhanBoSung has times but NgayYeuCauBoSung has none",
                "NgayTiepNhanBoSung có thời điểm nhưng NgayYeuCauBoSung để trống",
            );
        }
        return Vec::new();
    };
    let res = cx.get(Column::NgayTiepNhanBoSung).unwrap_or("");
    let n_req = req.split(';').count();
    let n_res = if res.is_empty() {
        0
    } else {
        res.split(';').count()
    };
    if n_req > MAX_SUPPLEMENTS {
        cx.report(
            Column::NgayYeuCauBoSung,
            "",
            Code::TooLarge,
            &format!("{n_req} supplement requests, more than the {MAX_SUPPLEMENTS} allowed"),
            &format!("{n_req} lần yêu cầu bổ sung, vượt giới hạn {MAX_SUPPLEMENTS}"),
        );
        return Vec::new();
    }
    if n_res != 0 && n_res != n_req {
        cx.report(
            Column::NgayTiepNhanBoSung,
            res,
            Code::SupplementListsUnequal,
            &format!("NgayYeuCauBoSung lists {n_req} times but NgayTiepNhanBoSung {n_res} (leave an item empty for a supplement not yet received)"),
            &format!("NgayYeuCauBoSung có {n_req} thời điểm nhưng NgayTiepNhanBoSung có {n_res} (để trống mục của lần bổ sung chưa nhận)"),
        );
        return Vec::new();
    }
    let mut res_items = res.split(';');
    let mut out = Vec::with_capacity(n_req);
    for r in req.split(';') {
        let back = if n_res == 0 {
            ""
        } else {
            res_items.next().unwrap_or("").trim()
        };
        let path = || {
            location(
                cx.cells.row,
                Some(Column::NgayYeuCauBoSung.name()),
                Some(cx.ma_ho_so),
            )
        };
        let requested = match parse_local_time(r.trim()) {
            Ok(t) => t,
            Err(e) => {
                let d = e.to_diagnostic(path());
                cx.bad = true;
                cx.problems.push(d);
                continue;
            }
        };
        let resumed = if back.is_empty() {
            None
        } else {
            match parse_local_time(back) {
                Ok(t) => Some(t),
                Err(e) => {
                    let d = e.to_diagnostic(location(
                        cx.cells.row,
                        Some(Column::NgayTiepNhanBoSung.name()),
                        Some(cx.ma_ho_so),
                    ));
                    cx.bad = true;
                    cx.problems.push(d);
                    continue;
                }
            }
        };
        if let Some(b) = resumed.filter(|b| before(*b, requested)) {
            cx.report(
                Column::NgayTiepNhanBoSung,
                &show(b),
                Code::SupplementOutOfOrder,
                &format!(
                    "the supplement was received at {} before it was requested at {}",
                    show(b),
                    show(requested)
                ),
                &format!(
                    "bổ sung được tiếp nhận lúc {} trước khi được yêu cầu lúc {}",
                    show(b),
                    show(requested)
                ),
            );
        }
        if let Some(prev) = out
            .last()
            .and_then(|p: &Supplement| p.resumed.or(Some(p.requested)))
        {
            if before(requested, prev) {
                cx.report(
                    Column::NgayYeuCauBoSung,
                    &show(requested),
                    Code::SupplementOutOfOrder,
                    &format!("supplement requests must be in time order: {} comes before the previous one", show(requested)),
                    &format!("các lần yêu cầu bổ sung phải theo thứ tự thời gian: {} trước lần trước đó", show(requested)),
                );
            }
        }
        out.push(Supplement { requested, resumed });
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn durations() {
        let d = |a, u| duration(a, u, false);
        assert_eq!(
            d("3", "Ngày làm việc").unwrap(),
            Some(Duration::WorkingDays(3))
        );
        assert_eq!(
            d("0.5", "ngay lam viec").unwrap(),
            Some(Duration::WorkingHours(4))
        );
        assert_eq!(d("4", "giờ").unwrap(), Some(Duration::WorkingHours(4)));
        assert_eq!(
            d("15", "Ngày").unwrap(),
            Some(Duration::CalendarDays {
                days: 15,
                skip_holidays: false
            })
        );
        assert_eq!(d("", "").unwrap(), None);
        assert!(d("0.3", "ngày làm việc").is_err());
        assert!(d("3", "tháng").is_err());
        assert!(d("-1", "ngày").is_err());
        assert!(d("x", "ngày").is_err());
    }
}
