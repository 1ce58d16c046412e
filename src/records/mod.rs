//! Dossier records (hồ sơ TTHC) → QĐ 766 indicators: reading DVC exports with the national
//! sync field names, judging each dossier under named policies, counting numerators and
//! denominators per unit and period, scoring them with the six-group index, and explaining
//! which dossier cost which point. Domain facts: reference `service-index-766.md` §4, §5
//! and §11; working time: [`crate::calendar`].
//!
//! ```
//! use chiso::records::{analyse, Indicator, Options, RecordFormat};
//! // Received Fri 13/02/2026 16:30, the eve of Tết (16–20/02 off), 3 working days:
//! // due Wed 25/02 16:30; finished Thu 26/02 09:00 → late by 2 h 30 of working time.
//! let csv = "MaHoSo,DonViXuLy,TrangThaiHoSo,NgayTiepNhan,ThoiGianGiaiQuyet,DonViTinh,NgayKetThucXuLy\n\
//!            A1,H21.17,10,20260213163000,3,ngày làm việc,20260226090000\n";
//! let opts = Options::new(RecordFormat::Csv, "dossiers.csv", "2026-02".parse().unwrap());
//! let report = analyse(&mut || Ok(csv.as_bytes()), &opts).unwrap();
//! let unit = report.units.id("H21.17").unwrap();
//! assert_eq!(report.fraction(unit, 0, Indicator::OnTime), Some((0, 1)));
//! // H21 is the parent of H21.17 and sums its subtree.
//! assert_eq!(report.fraction(report.units.id("H21").unwrap(), 0, Indicator::OnTime), Some((0, 1)));
//! ```
//!
//! # Data flow
//!
//! file → [`Reader`] (CSV with one reused `ByteRecord`, or JSON lines; header mapped to
//! column positions once) → [`RowCells`] → `parse` ([`Dossier`], every bad cell
//! reported) → [`judge`] ([`Judgement`]: early / on time / late / open not due / open
//! overdue, with the working-time arithmetic) → [`marks`] (which indicators the dossier
//! enters and passes) → [`Counts`] per (unit, period) → [`roll_up`] to every ancestor unit
//! → [`Report`]. No row is kept; duplicate `MaHoSo` are found from 64-bit hashes (a second
//! read names both rows). [`details`] reads the file again for the "dossiers that cost
//! points" lists ([`CostEntry`], a bounded heap per unit and period) and the explanations
//! ([`Explanation`]); [`score`], [`assessment`] and [`batch_csv`] hand the counts to the
//! engine ([`crate::Index::score`], [`crate::batch`]); [`document()`] gathers everything in
//! the `chiso.records/1` [`Document`] (what `chiso records --format json` writes).
//!
//! # Columns
//!
//! Names are compared without diacritics, case, spaces or punctuation (`Ngày tiếp nhận`
//! = `NgayTiepNhan`), in any order; aliases as listed; a [`Mapping`] file
//! (`chiso.records-mapping/1`) renames other exports' columns and rewrites their codes.
//! National sync fields chiso does not read ([`IGNORED_SYNC_FIELDS`]) are ignored; any other
//! column is an error. JSON lines use the same names as keys; supplements may also come as
//! `DanhSachHoSoBoSung: [{"NgayBoSung": …, "NgayTiepNhanBoSung": …}]`. An optional column
//! that is absent makes the indicators that need it **not computable** (listed, never zero);
//! a file without the supplement columns is taken to have no supplement request (said in the
//! output).
//!
//! | Column | Required | Meaning (vi / en) | Accepted values | Indicators | Source |
//! |---|---|---|---|---|---|
//! | `MaHoSo` | yes | Mã hồ sơ / dossier code, unique in the file | text, not empty; a duplicate is an error naming both rows | — | national sync field (reference §11.2; OpenCPS DVCQGIntegrationActionImpl) |
//! | `MaTTHC` | no | Mã thủ tục hành chính / procedure code (shown in explanations) | text | — | national sync field (reference §11.2; OpenCPS DVCQGIntegrationActionImpl) |
//! | `DonViXuLy` (also `MaDonViXuLy`, `MaDonVi`) | yes | Mã đơn vị xử lý / handling unit's code; codes nest by prefix at '.' (H21 → H21.17) | text, not empty, no spaces | 1.4, 2.1, 3.3, 3.6, 4.1, 4.2, 4.3, 4.4, 4.5b, 5.4 | national sync field; unit tree: reference §11.1 (TD Catalog.Groups.MaDinhDanh) |
//! | `TenDonViXuLy` (also `TenDonVi`) | no | Tên đơn vị xử lý / handling unit's name (display) | text; the first name seen for a code is used | — | chiso name (no national field; reference §6 / §11.5 name the data) |
//! | `TrangThaiHoSo` | yes | Trạng thái hồ sơ / national dossier status | 1–10 (1 Mới đăng ký … 10 Đã trả kết quả); 1 and 3 are never received | 2.1, 5.4 | national sync field; codes reference §11.1 |
//! | `KenhThucHien` (also `HinhThuc`, `KenhNop`) | no | Kênh thực hiện / channel of submission | 1 trực tiếp, 2 trực tuyến, 3 bưu chính công ích; empty = 1 | 3.3 | formula document 3.3; TD (reference §11.1); HinhThuc in the OpenCPS body |
//! | `NgayNopHoSo` | no | Ngày nộp hồ sơ / submission time; the receipt time when NgayTiepNhan is empty | a local time: yyyyMMddHHmmss, yyyyMMdd, ISO 8601 (an offset is converted to +07:00), dd/MM/yyyy optionally with HH:mm or HH:mm:ss | — | needed by 766, stored by TD (reference §11.2) |
//! | `NgayTiepNhan` | yes | Ngày tiếp nhận / receipt time: places the dossier in a period; starts the clock | a local time: yyyyMMddHHmmss, yyyyMMdd, ISO 8601 (an offset is converted to +07:00), dd/MM/yyyy optionally with HH:mm or HH:mm:ss | 1.4, 2.1, 3.3, 3.6, 4.1, 4.2, 4.3, 4.4, 4.5b, 5.4 | national sync field (reference §11.2; OpenCPS DVCQGIntegrationActionImpl) |
//! | `NgayHenTra` | no | Ngày hẹn trả / due time (appointment to return the result) | a local time: yyyyMMddHHmmss, yyyyMMdd, ISO 8601 (an offset is converted to +07:00), dd/MM/yyyy optionally with HH:mm or HH:mm:ss | 2.1, 5.4 | national sync field (reference §11.2; OpenCPS DVCQGIntegrationActionImpl) |
//! | `NgayKetThucXuLy` | no | Ngày kết thúc xử lý / end of processing (the end event of the formula document) | a local time: yyyyMMddHHmmss, yyyyMMdd, ISO 8601 (an offset is converted to +07:00), dd/MM/yyyy optionally with HH:mm or HH:mm:ss | 2.1, 5.4 | national sync field (reference §11.2; OpenCPS DVCQGIntegrationActionImpl) |
//! | `NgayTra` | no | Ngày trả kết quả / time the result was returned (end event under the OpenCPS policy; fallback end time) | a local time: yyyyMMddHHmmss, yyyyMMdd, ISO 8601 (an offset is converted to +07:00), dd/MM/yyyy optionally with HH:mm or HH:mm:ss | 2.1, 5.4 | national sync field (reference §11.2; OpenCPS DVCQGIntegrationActionImpl) |
//! | `ThoiGianGiaiQuyet` (also `ThoiHanGiaiQuyet`) | no | Thời gian giải quyết / the procedure's maximum time, for a dossier without NgayHenTra | a number ≥ 0 (a fraction of a working day must be whole working hours) | 2.1, 5.4 | reference §6 (ThoiGianGiaiQuyet + DonViTinh) |
//! | `DonViTinh` | no | Đơn vị tính / unit of ThoiGianGiaiQuyet | ngày làm việc \| ngày (calendar days) \| giờ làm việc (also: giờ, ngay lam viec, working_days, days, hours) | 2.1, 5.4 | reference §6 |
//! | `NgayYeuCauBoSung` (also `NgayBoSung`) | no | Ngày yêu cầu bổ sung / times supplements were requested (CSV: ';'-separated; JSON: DanhSachHoSoBoSung[].NgayBoSung) | ';'-separated local times, same count as NgayTiepNhanBoSung | 2.1, 5.4 | reference §11.2 (NgayYeuCauBoSung, TD; DanhSachHoSoBoSung, OpenCPS) |
//! | `NgayTiepNhanBoSung` | no | Ngày tiếp nhận bổ sung / times the supplements were received (empty item: still waiting) | ';'-separated local times or empty items, same count as NgayYeuCauBoSung | 2.1, 5.4 | reference §11.2 (DanhSachHoSoBoSung[].NgayTiepNhanBoSung) |
//! | `DongBoDVCQG` (also `DaDongBo`) | no | Đã đồng bộ trạng thái lên Cổng DVCQG theo thời gian thực / status synced to the national portal in real time | 1 = yes; 0 or empty = no (also true/false, có/không, x) | 1.4 | chiso name (no national field; reference §6 / §11.5 name the data) |
//! | `HoSoCoThanhPhanSoHoa` | no | Hồ sơ có thành phần số hóa / at least one component is digitised | 1 = yes; 0 or empty = no (also true/false, có/không, x) | 4.2 | needed by 766, stored by TD (reference §11.2) |
//! | `TaiSuDungDuLieuSoHoa` | no | Khai thác, sử dụng lại thông tin, dữ liệu số hóa / at least one component reuses digitised data | 1 = yes; 0 or empty = no (also true/false, có/không, x) | 4.3 | chiso name for TaiLieuNop[].DuocSoHoa at dossier level (reference §11.5) |
//! | `DuocLayTuKhoDMQG` | no | Thành phần được lấy từ kho dữ liệu quốc gia / at least one component taken from the national store | 1 = yes; 0 or empty = no (also true/false, có/không, x) | 4.4 | TaiLieuNop[].DuocLayTuKhoDMQG at dossier level (reference §11.5) |
//! | `TaiKhoanDuocXacThucVoiVNeID` | no | Tài khoản được xác thực với VNeID / applicant's account authenticated with VNeID | 1 = yes; 0 or empty = no (also true/false, có/không, x) | 4.5b | needed by 766, stored by TD (reference §11.2) |
//! | `SuDungDuLieuDanCu` | no | Sử dụng dữ liệu từ CSDL quốc gia về dân cư / components taken from the population database | 1 = yes; 0 or empty = no (also true/false, có/không, x) | 4.5b | chiso name (no national field; reference §6 / §11.5 name the data) |
//! | `DuongDanTepTinKetQua` | no | Đường dẫn tệp tin kết quả / link to the electronic result; not empty = result attached | text (any non-empty text counts as attached) | 4.1, 4.2 | DanhSachGiayToKetQua[].DuongDanTepTinKetQua (reference §11.2) |
//! | `KetQuaDaKySo` | no | Kết quả đã ký số / the electronic result carries a digital signature | 1 = yes; 0 or empty = no (also true/false, có/không, x) | 4.1 | chiso name (no national field; reference §6 / §11.5 name the data) |
//! | `DuocThanhToanTrucTuyen` | no | Được thanh toán trực tuyến / how fees were paid | 0 or empty: not online; 1 Cổng DVCQG; 2 ministry/province gateway | 3.6 | needed by 766, stored by TD (reference §11.2) |
//! | `TongPhiLePhi` (also `PhiLePhi`) | no | Tổng phí, lệ phí / total fees, Σ DanhSachLePhi[].Gia; 0 = every Gia is 0 (the dossier leaves 3.6) | a decimal ≥ 0 ('.' separator); empty = 0 | 3.6 | chiso name for Σ DanhSachLePhi[].Gia (reference §4 3.6) |
//! | `PhanAnhKhongHaiLong` | no | Có phản ánh, kiến nghị hoặc đánh giá không hài lòng / the citizen disliked the handling or filed a PAKN about it | 1 = yes; 0 or empty = no (also true/false, có/không, x) | 5.4 | chiso name (no national field; reference §6 / §11.5 name the data) |
//!
//! # Indicators (numerator / denominator; the reference row followed)
//!
//! Every denominator's population is the dossiers **received in the period** (`NgayTiepNhan`,
//! else `NgayNopHoSo`, in the period; status not 1 or 3): the portal's published
//! denominators of 2.1, 4.1, 4.2, 4.3, 4.4, 4.5b and 5.4 are equal for every unit (reference
//! §8.2, §8.4). See [`Indicator::definition`].
//!
//! | Code | Numerator | Denominator | Reference |
//! |---|---|---|---|
//! | 1.4 | received with `DongBoDVCQG` = 1 | received | §4 Definitions 1.4 (the portal's denominator, max(national reporting count, portal count), is not in the records; the records stand for both) |
//! | 2.1 | early + on time + open and not overdue at the evaluation time | received (withdrawn ones leave it under the OpenCPS policy) | §4 Definitions 2.1, §11.3 |
//! | 3.3 | received with `KenhThucHien` = 2 | received (empty channel = 1) | §4 Definitions 3.3 |
//! | 3.6 | with a fee and `DuocThanhToanTrucTuyen` ∈ {1, 2} | received with `TongPhiLePhi` > 0 | §4 Definitions 3.6, §11.5 (A) |
//! | 4.1 | with `DuongDanTepTinKetQua` (and `KetQuaDaKySo` = 1 under the signed policy) | received | §11.5 4.1 |
//! | 4.2 | with `HoSoCoThanhPhanSoHoa` = 1 and a result file | received | §11.5 4.2 |
//! | 4.3 | with `TaiSuDungDuLieuSoHoa` = 1 | received with `NgayTiepNhan` | §11.5 4.3, §5 |
//! | 4.4 | with `DuocLayTuKhoDMQG` = 1 | received with `NgayTiepNhan` | §11.5 4.4, §5 |
//! | 4.5b | with `TaiKhoanDuocXacThucVoiVNeID` = 1 or `SuDungDuLieuDanCu` = 1 | received | §11.5 4.5b |
//! | 5.4 | neither overdue (late or open overdue, as 2.1) nor `PhanAnhKhongHaiLong` = 1 | received | §4 Definitions 5.4 |
//!
//! Not computable from dossiers ([`NOT_FROM_DOSSIERS`]): 1.1, 1.2, 1.3 (publication
//! decisions), 3.1, 3.2, 3.5a, 3.5b (catalogues), 4.5a, 4.6, 5.2, 5.3 (petitions). They stay
//! missing — the output says "x of M points assessable from records" — unless a values file
//! ([`Values`]) gives them; publication decisions ([`publications::feed`],
//! [`Values::with_publications`]) give 1.1 and 1.2 to the province and the units below it. Alongside: the five OpenCPS counts per unit and period (early,
//! on time, late, open not due, open overdue; reference §11.3).
//!
//! **Units.** `DonViXuLy` codes nest by prefix at `.`: `H21` ⊃ `H21.17` ⊃ `H21.17.1`
//! ([`UnitTree`]); every ancestor is a unit whose counts are the sums over its subtree, its
//! own dossiers included. **Periods.** [`Period`] (`2026`, `2026-Q3`, `2026-05`,
//! `2026-01..2026-09`) cut [`By`] month, quarter, year or whole; a dossier belongs to the
//! bucket of its receipt date; open dossiers are judged at the bucket's end (00:00 of the
//! next day) or at an earlier "as of" time.
//!
//! # Policies (reference §11.3; default = the formula document, recorded in every output)
//!
//! [`Policies`]: [`EndEvent`] (NgayKetThucXuLy, else NgayTra | OpenCPS NgayTra),
//! [`Comparison`] (timestamps | TD calendar dates), [`Withdrawn`] (judged by its end | TD on
//! time | OpenCPS counted apart), [`Supplements`] (the citizen's time excluded, judged at the
//! request while waiting | TD status 5 on time), [`RepeatedSupplements`] (overdue | each
//! pause excluded), [`MissingDue`] (receipt + `ThoiGianGiaiQuyet` in `DonViTinh` | TD on
//! time), [`OpenAtEnd`] (not overdue at the end instant | TD due date ≥ last day),
//! [`Finished`] (end status 7–10 | TD end time given), [`FinishedAfterPeriod`] (open at the
//! period's end | actual end), `calendar_days_skip_holidays`, [`ElectronicResult`] (file
//! attached | attached and signed).
//!
//! # Cost of a failing dossier
//!
//! For an indicator `M × min(1, r / T)` with denominator `d`, one failing dossier costs
//! `M / (T·d)` points below the cap, exactly (shown as a reduced fraction, e.g. `10/3`),
//! the rest up to `M` across it, and 0 once the ratio reaches the threshold — read from the
//! index file's own rules ([`CostModel`]). A dossier's cost to its unit is the sum over the
//! indicators it failed; its cost to an ancestor uses the ancestor's denominators.
//!
//! # Errors and limits
//!
//! Every problem at once ([`error`]): row (header = 1), column and `MaHoSo`; stable codes;
//! vi/en messages; nothing is produced on error. Rows outside the period are parsed and
//! checked but not judged (a dossier of a year outside the calendar only fails when it is
//! in the period). Limits, checked before allocating, are in [`limits`].

mod analyse;
mod assess;
mod columns;
mod cost;
pub mod document;
mod dossier;
pub mod error;
mod explain;
mod indicator;
mod judge;
mod parse;
mod period;
mod policy;
pub mod publications;
mod read;
mod tally;
mod units;

pub use analyse::{analyse, Options, Report, RowStats};
pub use assess::{assessment, batch_csv, score, unit_label, UnitScore, Values};
pub use columns::{
    column_table_markdown, header_key, Column, ColumnInfo, HeaderTarget, Mapping, Resolver,
    COLUMN_COUNT, IGNORED_SYNC_FIELDS, MAPPING_FORMAT,
};
pub use cost::{formula, CostCase, CostEntry, CostModel, IndicatorRule, TopN};
pub use document::{document, Document, DOCUMENT_FORMAT};
pub use dossier::{Dossier, Flags, KenhThucHien, Supplement, ThanhToan, TrangThaiHoSo};
pub use explain::{details, working_time, Details, Explanation, IndicatorCost};
pub use indicator::{Indicator, IndicatorSet, NOT_FROM_DOSSIERS};
pub use judge::{end_time, judge, Basis, DueSource, Evaluation, JudgeError, Judgement, Outcome};
pub use period::{Bucket, BucketIndex, By, Month, Period, PeriodError};
pub use policy::{
    Comparison, ElectronicResult, EndEvent, Finished, FinishedAfterPeriod, MissingDue, OpenAtEnd,
    Policies, RepeatedSupplements, Supplements, Withdrawn,
};
pub use read::{Reader, RecordFormat, RowCells};
pub use tally::{marks, roll_up, Counts, Marks, Tally};
pub use units::{code_order, UnitCodeProblem, UnitNode, UnitTree};

/// Limits on input, checked before allocating (one place for all of them).
pub mod limits {
    /// Most columns in a header (or keys in a JSON line).
    pub const MAX_COLUMNS: usize = 512;
    /// Longest cell, in bytes (a supplement list holds up to [`MAX_SUPPLEMENTS`] times).
    pub const MAX_CELL_BYTES: usize = 16 * 1024;
    /// Longest line (CSV record or JSON line), in bytes.
    pub const MAX_LINE_BYTES: usize = 1024 * 1024;
    /// Most units in the tree (ancestors included).
    pub const MAX_UNITS: usize = 100_000;
    /// Deepest unit code (segments separated by `.`).
    pub const MAX_UNIT_DEPTH: usize = 8;
    /// Most supplement requests of one dossier.
    pub const MAX_SUPPLEMENTS: usize = 64;
    /// Most problems listed (all are counted).
    pub const MAX_ERRORS: usize = 1000;
    /// Longest period, in months.
    pub const MAX_PERIOD_MONTHS: usize = 1200;
    /// Longest "dossiers that cost points" list per unit and period.
    pub const MAX_COST_LIST: usize = 10_000;
    /// Most dossier rows in one file.
    pub const MAX_ROWS: u64 = 1_000_000_000;
}
