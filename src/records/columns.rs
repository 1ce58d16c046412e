//! Column names of a dossier export: the national sync field names (reference
//! `service-index-766.md` §11.2), recognised with or without diacritics, in any case and
//! order, with aliases (`HinhThuc` for `KenhThucHien`); and the mapping file
//! (`chiso.records-mapping/1`) for exports that name their columns otherwise.
//!
//! Every column is documented in [`Column::ALL`] (name, meaning, accepted values, the
//! indicators that read it and the source of the name); [`column_table_markdown`]
//! renders that table for the README.

use crate::authoring::fold;
use crate::records::Indicator;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A column chiso reads from a dossier export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Column {
    /// `MaHoSo`.
    MaHoSo,
    /// `MaTTHC`.
    MaTTHC,
    /// `DonViXuLy`.
    DonViXuLy,
    /// `TenDonViXuLy`.
    TenDonViXuLy,
    /// `TrangThaiHoSo`.
    TrangThaiHoSo,
    /// `KenhThucHien` (alias `HinhThuc`).
    KenhThucHien,
    /// `NgayNopHoSo`.
    NgayNopHoSo,
    /// `NgayTiepNhan`.
    NgayTiepNhan,
    /// `NgayHenTra`.
    NgayHenTra,
    /// `NgayKetThucXuLy`.
    NgayKetThucXuLy,
    /// `NgayTra`.
    NgayTra,
    /// `ThoiGianGiaiQuyet`.
    ThoiGianGiaiQuyet,
    /// `DonViTinh`.
    DonViTinh,
    /// `NgayYeuCauBoSung` (`;`-separated list).
    NgayYeuCauBoSung,
    /// `NgayTiepNhanBoSung` (`;`-separated list).
    NgayTiepNhanBoSung,
    /// `DongBoDVCQG`.
    DongBoDVCQG,
    /// `HoSoCoThanhPhanSoHoa`.
    HoSoCoThanhPhanSoHoa,
    /// `TaiSuDungDuLieuSoHoa`.
    TaiSuDungDuLieuSoHoa,
    /// `DuocLayTuKhoDMQG`.
    DuocLayTuKhoDMQG,
    /// `TaiKhoanDuocXacThucVoiVNeID`.
    TaiKhoanDuocXacThucVoiVNeID,
    /// `SuDungDuLieuDanCu`.
    SuDungDuLieuDanCu,
    /// `DuongDanTepTinKetQua`.
    DuongDanTepTinKetQua,
    /// `KetQuaDaKySo`.
    KetQuaDaKySo,
    /// `DuocThanhToanTrucTuyen`.
    DuocThanhToanTrucTuyen,
    /// `TongPhiLePhi`.
    TongPhiLePhi,
    /// `PhanAnhKhongHaiLong`.
    PhanAnhKhongHaiLong,
}

/// Number of [`Column`]s.
pub const COLUMN_COUNT: usize = 26;

/// What a column holds, for people and for the README table.
#[derive(Debug, Clone, Copy)]
pub struct ColumnInfo {
    /// Canonical name (the national sync field name where there is one).
    pub name: &'static str,
    /// Other accepted names (compared after folding diacritics, case and punctuation).
    pub aliases: &'static [&'static str],
    /// Whether every file must have it.
    pub required: bool,
    /// Meaning, Vietnamese.
    pub meaning_vi: &'static str,
    /// Meaning, English.
    pub meaning_en: &'static str,
    /// Accepted values, English.
    pub values: &'static str,
    /// Indicators that read it (empty: identity, display or a fallback only).
    pub indicators: &'static [Indicator],
    /// Where the name comes from.
    pub source: &'static str,
}

const TIME: &str = "a local time: yyyyMMddHHmmss, yyyyMMdd, ISO 8601 (an offset is converted to +07:00), dd/MM/yyyy optionally with HH:mm or HH:mm:ss";
const FLAG: &str = "1 = yes; 0 or empty = no (also true/false, có/không, x)";
const SYNC: &str = "national sync field (reference §11.2; OpenCPS DVCQGIntegrationActionImpl)";
const NEEDED: &str = "needed by 766, stored by TD (reference §11.2)";
const CHISO: &str = "chiso name (no national field; reference §6 / §11.5 name the data)";

use Indicator as I;

impl Column {
    /// Every column, in the order of the documentation table.
    pub const ALL: [Column; COLUMN_COUNT] = [
        Column::MaHoSo,
        Column::MaTTHC,
        Column::DonViXuLy,
        Column::TenDonViXuLy,
        Column::TrangThaiHoSo,
        Column::KenhThucHien,
        Column::NgayNopHoSo,
        Column::NgayTiepNhan,
        Column::NgayHenTra,
        Column::NgayKetThucXuLy,
        Column::NgayTra,
        Column::ThoiGianGiaiQuyet,
        Column::DonViTinh,
        Column::NgayYeuCauBoSung,
        Column::NgayTiepNhanBoSung,
        Column::DongBoDVCQG,
        Column::HoSoCoThanhPhanSoHoa,
        Column::TaiSuDungDuLieuSoHoa,
        Column::DuocLayTuKhoDMQG,
        Column::TaiKhoanDuocXacThucVoiVNeID,
        Column::SuDungDuLieuDanCu,
        Column::DuongDanTepTinKetQua,
        Column::KetQuaDaKySo,
        Column::DuocThanhToanTrucTuyen,
        Column::TongPhiLePhi,
        Column::PhanAnhKhongHaiLong,
    ];

    /// Position in [`Column::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Canonical name.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// Documentation of the column.
    pub fn info(self) -> ColumnInfo {
        let c = |name, aliases, required, vi, en, values, indicators, source| ColumnInfo {
            name,
            aliases,
            required,
            meaning_vi: vi,
            meaning_en: en,
            values,
            indicators,
            source,
        };
        match self {
            Column::MaHoSo => c("MaHoSo", &[], true, "Mã hồ sơ", "dossier code, unique in the file", "text, not empty; a duplicate is an error naming both rows", &[], SYNC),
            Column::MaTTHC => c("MaTTHC", &[], false, "Mã thủ tục hành chính", "procedure code (shown in explanations)", "text", &[], SYNC),
            Column::DonViXuLy => c("DonViXuLy", &["MaDonViXuLy", "MaDonVi"], true, "Mã đơn vị xử lý", "handling unit's code; codes nest by prefix at '.' (H21 → H21.17)", "text, not empty, no spaces", &[I::DossierSync, I::OnTime, I::OnlineSubmission, I::OnlinePayment, I::ElectronicResult, I::Digitised, I::Reused, I::NationalStore, I::PopulationData, I::Satisfaction], "national sync field; unit tree: reference §11.1 (TD Catalog.Groups.MaDinhDanh)"),
            Column::TenDonViXuLy => c("TenDonViXuLy", &["TenDonVi"], false, "Tên đơn vị xử lý", "handling unit's name (display)", "text; the first name seen for a code is used", &[], CHISO),
            Column::TrangThaiHoSo => c("TrangThaiHoSo", &[], true, "Trạng thái hồ sơ", "national dossier status", "1–10 (1 Mới đăng ký … 10 Đã trả kết quả); 1 and 3 are never received", &[I::OnTime, I::Satisfaction], "national sync field; codes reference §11.1"),
            Column::KenhThucHien => c("KenhThucHien", &["HinhThuc", "KenhNop"], false, "Kênh thực hiện", "channel of submission", "1 trực tiếp, 2 trực tuyến, 3 bưu chính công ích; empty = 1", &[I::OnlineSubmission], "formula document 3.3; TD (reference §11.1); HinhThuc in the OpenCPS body"),
            Column::NgayNopHoSo => c("NgayNopHoSo", &[], false, "Ngày nộp hồ sơ", "submission time; the receipt time when NgayTiepNhan is empty", TIME, &[], NEEDED),
            Column::NgayTiepNhan => c("NgayTiepNhan", &[], true, "Ngày tiếp nhận", "receipt time: places the dossier in a period; starts the clock", TIME, &[I::DossierSync, I::OnTime, I::OnlineSubmission, I::OnlinePayment, I::ElectronicResult, I::Digitised, I::Reused, I::NationalStore, I::PopulationData, I::Satisfaction], SYNC),
            Column::NgayHenTra => c("NgayHenTra", &[], false, "Ngày hẹn trả", "due time (appointment to return the result)", TIME, &[I::OnTime, I::Satisfaction], SYNC),
            Column::NgayKetThucXuLy => c("NgayKetThucXuLy", &[], false, "Ngày kết thúc xử lý", "end of processing (the end event of the formula document)", TIME, &[I::OnTime, I::Satisfaction], SYNC),
            Column::NgayTra => c("NgayTra", &[], false, "Ngày trả kết quả", "time the result was returned (end event under the OpenCPS policy; fallback end time)", TIME, &[I::OnTime, I::Satisfaction], SYNC),
            Column::ThoiGianGiaiQuyet => c("ThoiGianGiaiQuyet", &["ThoiHanGiaiQuyet"], false, "Thời gian giải quyết", "the procedure's maximum time, for a dossier without NgayHenTra", "a number ≥ 0 (a fraction of a working day must be whole working hours)", &[I::OnTime, I::Satisfaction], "reference §6 (ThoiGianGiaiQuyet + DonViTinh)"),
            Column::DonViTinh => c("DonViTinh", &[], false, "Đơn vị tính", "unit of ThoiGianGiaiQuyet", "ngày làm việc | ngày (calendar days) | giờ làm việc (also: giờ, ngay lam viec, working_days, days, hours)", &[I::OnTime, I::Satisfaction], "reference §6"),
            Column::NgayYeuCauBoSung => c("NgayYeuCauBoSung", &["NgayBoSung"], false, "Ngày yêu cầu bổ sung", "times supplements were requested (CSV: ';'-separated; JSON: DanhSachHoSoBoSung[].NgayBoSung)", "';'-separated local times, same count as NgayTiepNhanBoSung", &[I::OnTime, I::Satisfaction], "reference §11.2 (NgayYeuCauBoSung, TD; DanhSachHoSoBoSung, OpenCPS)"),
            Column::NgayTiepNhanBoSung => c("NgayTiepNhanBoSung", &[], false, "Ngày tiếp nhận bổ sung", "times the supplements were received (empty item: still waiting)", "';'-separated local times or empty items, same count as NgayYeuCauBoSung", &[I::OnTime, I::Satisfaction], "reference §11.2 (DanhSachHoSoBoSung[].NgayTiepNhanBoSung)"),
            Column::DongBoDVCQG => c("DongBoDVCQG", &["DaDongBo"], false, "Đã đồng bộ trạng thái lên Cổng DVCQG theo thời gian thực", "status synced to the national portal in real time", FLAG, &[I::DossierSync], CHISO),
            Column::HoSoCoThanhPhanSoHoa => c("HoSoCoThanhPhanSoHoa", &[], false, "Hồ sơ có thành phần số hóa", "at least one component is digitised", FLAG, &[I::Digitised], NEEDED),
            Column::TaiSuDungDuLieuSoHoa => c("TaiSuDungDuLieuSoHoa", &[], false, "Khai thác, sử dụng lại thông tin, dữ liệu số hóa", "at least one component reuses digitised data", FLAG, &[I::Reused], "chiso name for TaiLieuNop[].DuocSoHoa at dossier level (reference §11.5)"),
            Column::DuocLayTuKhoDMQG => c("DuocLayTuKhoDMQG", &[], false, "Thành phần được lấy từ kho dữ liệu quốc gia", "at least one component taken from the national store", FLAG, &[I::NationalStore], "TaiLieuNop[].DuocLayTuKhoDMQG at dossier level (reference §11.5)"),
            Column::TaiKhoanDuocXacThucVoiVNeID => c("TaiKhoanDuocXacThucVoiVNeID", &[], false, "Tài khoản được xác thực với VNeID", "applicant's account authenticated with VNeID", FLAG, &[I::PopulationData], NEEDED),
            Column::SuDungDuLieuDanCu => c("SuDungDuLieuDanCu", &[], false, "Sử dụng dữ liệu từ CSDL quốc gia về dân cư", "components taken from the population database", FLAG, &[I::PopulationData], CHISO),
            Column::DuongDanTepTinKetQua => c("DuongDanTepTinKetQua", &[], false, "Đường dẫn tệp tin kết quả", "link to the electronic result; not empty = result attached", "text (any non-empty text counts as attached)", &[I::ElectronicResult, I::Digitised], "DanhSachGiayToKetQua[].DuongDanTepTinKetQua (reference §11.2)"),
            Column::KetQuaDaKySo => c("KetQuaDaKySo", &[], false, "Kết quả đã ký số", "the electronic result carries a digital signature", FLAG, &[I::ElectronicResult], CHISO),
            Column::DuocThanhToanTrucTuyen => c("DuocThanhToanTrucTuyen", &[], false, "Được thanh toán trực tuyến", "how fees were paid", "0 or empty: not online; 1 Cổng DVCQG; 2 ministry/province gateway", &[I::OnlinePayment], NEEDED),
            Column::TongPhiLePhi => c("TongPhiLePhi", &["PhiLePhi"], false, "Tổng phí, lệ phí", "total fees, Σ DanhSachLePhi[].Gia; 0 = every Gia is 0 (the dossier leaves 3.6)", "a decimal ≥ 0 ('.' separator); empty = 0", &[I::OnlinePayment], "chiso name for Σ DanhSachLePhi[].Gia (reference §4 3.6)"),
            Column::PhanAnhKhongHaiLong => c("PhanAnhKhongHaiLong", &[], false, "Có phản ánh, kiến nghị hoặc đánh giá không hài lòng", "the citizen disliked the handling or filed a PAKN about it", FLAG, &[I::Satisfaction], CHISO),
        }
    }

    /// The column a header name denotes: the canonical name or an alias, compared after
    /// folding diacritics, case and every character that is not a letter or a digit.
    ///
    /// ```
    /// use chiso::records::Column;
    /// assert_eq!(Column::from_header("Ngày tiếp nhận"), Some(Column::NgayTiepNhan));
    /// assert_eq!(Column::from_header("ngay_hen_tra"), Some(Column::NgayHenTra));
    /// assert_eq!(Column::from_header("HinhThuc"), Some(Column::KenhThucHien));
    /// assert_eq!(Column::from_header("Email"), None);
    /// ```
    pub fn from_header(name: &str) -> Option<Column> {
        let key = header_key(name);
        Column::ALL.into_iter().find(|c| {
            let i = c.info();
            header_key(i.name) == key || i.aliases.iter().any(|a| header_key(a) == key)
        })
    }
}

/// A header name folded for comparison: no diacritics, lower case, letters and digits only.
pub fn header_key(name: &str) -> String {
    fold(name).chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Fields of the national sync body that chiso does not read; a column with one of these
/// names is accepted and ignored (any other unknown column is an error, usually a typo).
pub const IGNORED_SYNC_FIELDS: &[&str] = &[
    "TenTTHC",
    "MaLinhVuc",
    "TenLinhVuc",
    "ChuHoSo",
    "LoaiDoiTuong",
    "MaDoiTuong",
    "Email",
    "SoDienThoai",
    "Fax",
    "DiaChi",
    "TrichYeuHoSo",
    "TaiLieuNop",
    "DanhSachLePhi",
    "DanhSachPhiLePhi",
    "DanhSachTepDinhKemKhac",
    "DanhSachGiayToKetQua",
    "MaKetQua",
    "NguoiXuLy",
    "ChucDanh",
    "PhongBanXuLy",
    "NoiDungXuLy",
    "NgayTuChoi",
    "MaCSDL",
    "STT",
    "GhiChu",
];

/// The format tag of a mapping file.
pub const MAPPING_FORMAT: &str = "chiso.records-mapping/1";

/// A mapping file (`chiso.records-mapping/1`) for an export whose columns have other
/// names or whose cells use other codes.
///
/// ```
/// let m: chiso::records::Mapping = serde_json::from_str(r#"{
///   "format": "chiso.records-mapping/1",
///   "columns": { "Số hồ sơ": "MaHoSo", "Cơ quan": "DonViXuLy" },
///   "ignore": ["Người nộp"],
///   "values": { "TrangThaiHoSo": { "Đã trả kết quả": "10" } }
/// }"#).unwrap();
/// assert_eq!(m.columns["Số hồ sơ"], "MaHoSo");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// Always `chiso.records-mapping/1`.
    pub format: String,
    /// Export column name → chiso column name (canonical or alias). Names are compared
    /// after folding, like headers.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    /// Export columns to ignore.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Per chiso column, export cell text → the value chiso reads (compared after
    /// trimming and folding), e.g. `"KenhThucHien": {"Trực tuyến": "2"}`.
    #[serde(default)]
    pub values: BTreeMap<String, BTreeMap<String, String>>,
}

/// What the header of a file maps to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderTarget {
    /// A column chiso reads.
    Column(Column),
    /// A column to ignore (a national sync field chiso does not read, or named in the
    /// mapping's `ignore`).
    Ignored,
    /// Not recognised.
    Unknown,
}

/// A [`Mapping`] checked and folded for lookups.
#[derive(Debug, Clone, Default)]
pub struct Resolver {
    renames: BTreeMap<String, Column>,
    ignore: Vec<String>,
    values: Vec<Vec<(String, String)>>,
}

impl Resolver {
    /// The resolver of a mapping; errors name every entry that names no chiso column.
    pub fn new(mapping: Option<&Mapping>) -> Result<Resolver, Vec<String>> {
        let mut r = Resolver {
            values: vec![Vec::new(); COLUMN_COUNT],
            ..Default::default()
        };
        let Some(m) = mapping else {
            return Ok(r);
        };
        let mut bad = Vec::new();
        if m.format != MAPPING_FORMAT {
            bad.push(format!(
                "format \"{}\" (expected \"{MAPPING_FORMAT}\")",
                m.format
            ));
        }
        for (from, to) in &m.columns {
            match Column::from_header(to) {
                Some(c) => {
                    r.renames.insert(header_key(from), c);
                }
                None => bad.push(format!("columns.\"{from}\": \"{to}\"")),
            }
        }
        r.ignore = m.ignore.iter().map(|s| header_key(s)).collect();
        for (col, map) in &m.values {
            match Column::from_header(col) {
                Some(c) => {
                    r.values[c.index()] = map
                        .iter()
                        .map(|(k, v)| (fold(k.trim()), v.clone()))
                        .collect();
                }
                None => bad.push(format!("values.\"{col}\"")),
            }
        }
        if bad.is_empty() {
            Ok(r)
        } else {
            Err(bad)
        }
    }

    /// What a header name maps to.
    pub fn target(&self, name: &str) -> HeaderTarget {
        let key = header_key(name);
        if let Some(c) = self.renames.get(&key) {
            return HeaderTarget::Column(*c);
        }
        if self.ignore.contains(&key) {
            return HeaderTarget::Ignored;
        }
        if let Some(c) = Column::from_header(name) {
            return HeaderTarget::Column(c);
        }
        if IGNORED_SYNC_FIELDS.iter().any(|f| header_key(f) == key) {
            return HeaderTarget::Ignored;
        }
        HeaderTarget::Unknown
    }

    /// Whether the mapping rewrites values of `column`.
    pub fn has_values(&self, column: Column) -> bool {
        !self.values[column.index()].is_empty()
    }

    /// The value chiso reads for the cell text `text` of `column`.
    pub fn value<'a>(&'a self, column: Column, text: &'a str) -> &'a str {
        let map = &self.values[column.index()];
        if map.is_empty() {
            return text;
        }
        let key = fold(text.trim());
        map.iter()
            .find(|(k, _)| *k == key)
            .map_or(text, |(_, v)| v.as_str())
    }
}

/// The column table in Markdown (for the README): name, meaning, accepted values,
/// indicators, source.
pub fn column_table_markdown() -> String {
    let mut s = String::from(
        "| Column | Required | Meaning (vi / en) | Accepted values | Indicators | Source |\n|---|---|---|---|---|---|\n",
    );
    for c in Column::ALL {
        let i = c.info();
        let name = if i.aliases.is_empty() {
            format!("`{}`", i.name)
        } else {
            format!(
                "`{}` (also {})",
                i.name,
                i.aliases
                    .iter()
                    .map(|a| format!("`{a}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let inds = if i.indicators.is_empty() {
            "—".to_owned()
        } else {
            i.indicators
                .iter()
                .map(|x| x.code())
                .collect::<Vec<_>>()
                .join(", ")
        };
        s.push_str(&format!(
            "| {name} | {} | {} / {} | {} | {inds} | {} |\n",
            if i.required { "yes" } else { "no" },
            i.meaning_vi,
            i.meaning_en,
            i.values.replace('|', "\\|"),
            i.source
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn every_column_is_in_all_at_its_index() {
        for (i, c) in Column::ALL.iter().enumerate() {
            assert_eq!(Column::ALL[c.index()], *c, "{i}");
        }
    }

    #[test]
    fn names_and_aliases_are_unambiguous() {
        let mut keys = std::collections::BTreeSet::new();
        for c in Column::ALL {
            let i = c.info();
            for n in std::iter::once(i.name).chain(i.aliases.iter().copied()) {
                assert!(keys.insert(header_key(n)), "{n} is ambiguous");
                assert_eq!(Column::from_header(n), Some(c));
            }
        }
        for f in IGNORED_SYNC_FIELDS {
            assert!(Column::from_header(f).is_none(), "{f}");
        }
    }

    #[test]
    fn the_module_documentation_carries_the_column_table() {
        let doc = include_str!("mod.rs");
        for line in column_table_markdown().lines() {
            assert!(
                doc.contains(&format!("//! {line}")),
                "stale column table in records/mod.rs: {line}"
            );
        }
    }

    #[test]
    fn headers_with_diacritics_and_case() {
        assert_eq!(Column::from_header("MÃ HỒ SƠ"), Some(Column::MaHoSo));
        assert_eq!(
            Column::from_header(" Trạng thái hồ sơ "),
            Some(Column::TrangThaiHoSo)
        );
        assert_eq!(Column::from_header("Đơn vị xử lý"), Some(Column::DonViXuLy));
        assert_eq!(Column::from_header("Mã TTHC"), Some(Column::MaTTHC));
    }

    #[test]
    fn mapping_renames_ignores_and_rewrites_values() {
        let m = Mapping {
            format: MAPPING_FORMAT.into(),
            columns: [("Số hồ sơ".to_owned(), "MaHoSo".to_owned())].into(),
            ignore: vec!["Người nộp".into()],
            values: [(
                "KenhThucHien".to_owned(),
                [("Trực tuyến".to_owned(), "2".to_owned())].into(),
            )]
            .into(),
        };
        let r = Resolver::new(Some(&m)).unwrap();
        assert_eq!(r.target("SỐ HỒ SƠ"), HeaderTarget::Column(Column::MaHoSo));
        assert_eq!(r.target("nguoi nop"), HeaderTarget::Ignored);
        assert_eq!(r.target("Email"), HeaderTarget::Ignored);
        assert_eq!(r.target("Emial"), HeaderTarget::Unknown);
        assert_eq!(r.value(Column::KenhThucHien, " trực tuyến "), "2");
        assert_eq!(r.value(Column::KenhThucHien, "1"), "1");
        let bad = Mapping {
            format: "x".into(),
            columns: [("a".to_owned(), "Nope".to_owned())].into(),
            ..Default::default()
        };
        assert_eq!(Resolver::new(Some(&bad)).unwrap_err().len(), 2);
    }
}
