//! The dossier record (hồ sơ TTHC) as the national sync describes it: status codes
//! (`TrangThaiHoSo` 1–10), channels (`KenhThucHien` 1/2/3), and one parsed record.
//!
//! Codes and names: reference `service-index-766.md` §11.1 (verified in source, code:
//! TD `ApplicationDbSeeder.cs`, OpenCPS `FormatTrangThaiHoSoDVCQG.cs`).

use crate::calendar::{Duration, LocalTime};
use crate::text::Lang;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// `TrangThaiHoSo`, the national dossier status of the Cổng DVCQG sync (1–10).
///
/// ```
/// use chiso::records::TrangThaiHoSo;
/// let s = TrangThaiHoSo::from_code(9).unwrap();
/// assert_eq!(s.name(chiso::Lang::Vi), "Đã xử lý xong");
/// assert!(s.is_end());
/// assert!(TrangThaiHoSo::from_code(11).is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub enum TrangThaiHoSo {
    /// 1 Mới đăng ký (registered, not yet received; OpenCPS `receiving`).
    MoiDangKy = 1,
    /// 2 Được tiếp nhận (received; OpenCPS `new`).
    DuocTiepNhan = 2,
    /// 3 Không được tiếp nhận (refused at the desk; OpenCPS `denied`).
    KhongDuocTiepNhan = 3,
    /// 4 Đang xử lý (being processed; OpenCPS `processing`).
    DangXuLy = 4,
    /// 5 Yêu cầu bổ sung giấy tờ (waiting for the citizen's supplement; OpenCPS `waiting`).
    YeuCauBoSung = 5,
    /// 6 Yêu cầu thực hiện nghĩa vụ tài chính (waiting for payment; OpenCPS `paying`).
    YeuCauNghiaVuTaiChinh = 6,
    /// 7 Công dân yêu cầu rút hồ sơ (withdrawn by the citizen; OpenCPS `cancelled`).
    CongDanRut = 7,
    /// 8 Dừng xử lý (processing stopped; OpenCPS `unresolved`).
    DungXuLy = 8,
    /// 9 Đã xử lý xong (processed; OpenCPS `releasing`).
    DaXuLyXong = 9,
    /// 10 Đã trả kết quả (result returned; OpenCPS `done`).
    DaTraKetQua = 10,
}

impl TrangThaiHoSo {
    /// All ten, in code order.
    pub const ALL: [TrangThaiHoSo; 10] = [
        TrangThaiHoSo::MoiDangKy,
        TrangThaiHoSo::DuocTiepNhan,
        TrangThaiHoSo::KhongDuocTiepNhan,
        TrangThaiHoSo::DangXuLy,
        TrangThaiHoSo::YeuCauBoSung,
        TrangThaiHoSo::YeuCauNghiaVuTaiChinh,
        TrangThaiHoSo::CongDanRut,
        TrangThaiHoSo::DungXuLy,
        TrangThaiHoSo::DaXuLyXong,
        TrangThaiHoSo::DaTraKetQua,
    ];

    /// The status with national code `code` (1–10).
    pub fn from_code(code: u8) -> Option<TrangThaiHoSo> {
        code.checked_sub(1)
            .and_then(|i| Self::ALL.get(usize::from(i)))
            .copied()
    }

    /// The national code (1–10).
    pub fn code(self) -> u8 {
        self as u8
    }

    /// Whether the dossier was received at the one-stop desk: every status but
    /// 1 (Mới đăng ký) and 3 (Không được tiếp nhận) — the formula document and TD's
    /// statistics sets agree (reference §11.1, §11.3).
    pub fn is_received(self) -> bool {
        !matches!(
            self,
            TrangThaiHoSo::MoiDangKy | TrangThaiHoSo::KhongDuocTiepNhan
        )
    }

    /// Whether the status is an end event of the formula document: Đã xử lý xong (9),
    /// Đã trả kết quả (10), Dừng xử lý (8), Công dân rút (7) (reference §4, 2.1).
    pub fn is_end(self) -> bool {
        matches!(
            self,
            TrangThaiHoSo::CongDanRut
                | TrangThaiHoSo::DungXuLy
                | TrangThaiHoSo::DaXuLyXong
                | TrangThaiHoSo::DaTraKetQua
        )
    }

    /// The national name (vi, verbatim) or an English rendering.
    pub fn name(self, lang: Lang) -> &'static str {
        use TrangThaiHoSo::*;
        match (self, lang) {
            (MoiDangKy, Lang::Vi) => "Mới đăng ký",
            (DuocTiepNhan, Lang::Vi) => "Được tiếp nhận",
            (KhongDuocTiepNhan, Lang::Vi) => "Không được tiếp nhận",
            (DangXuLy, Lang::Vi) => "Đang xử lý",
            (YeuCauBoSung, Lang::Vi) => "Yêu cầu bổ sung giấy tờ",
            (YeuCauNghiaVuTaiChinh, Lang::Vi) => "Yêu cầu thực hiện nghĩa vụ tài chính",
            (CongDanRut, Lang::Vi) => "Công dân yêu cầu rút hồ sơ",
            (DungXuLy, Lang::Vi) => "Dừng xử lý",
            (DaXuLyXong, Lang::Vi) => "Đã xử lý xong",
            (DaTraKetQua, Lang::Vi) => "Đã trả kết quả",
            (MoiDangKy, Lang::En) => "registered, not yet received",
            (DuocTiepNhan, Lang::En) => "received",
            (KhongDuocTiepNhan, Lang::En) => "not received (refused at the desk)",
            (DangXuLy, Lang::En) => "being processed",
            (YeuCauBoSung, Lang::En) => "supplement requested",
            (YeuCauNghiaVuTaiChinh, Lang::En) => "waiting for fees to be paid",
            (CongDanRut, Lang::En) => "withdrawn by the applicant",
            (DungXuLy, Lang::En) => "processing stopped",
            (DaXuLyXong, Lang::En) => "processed",
            (DaTraKetQua, Lang::En) => "result returned",
        }
    }
}

impl TryFrom<u8> for TrangThaiHoSo {
    type Error = String;
    fn try_from(code: u8) -> Result<Self, String> {
        TrangThaiHoSo::from_code(code).ok_or_else(|| format!("unknown TrangThaiHoSo {code}"))
    }
}

impl From<TrangThaiHoSo> for u8 {
    fn from(s: TrangThaiHoSo) -> u8 {
        s.code()
    }
}

/// `KenhThucHien`, the channel a dossier was submitted through (reference §11.1; an
/// empty cell counts as trực tiếp, formula document 3.3).
///
/// ```
/// use chiso::records::KenhThucHien;
/// assert_eq!(KenhThucHien::from_code(2), Some(KenhThucHien::TrucTuyen));
/// assert_eq!(KenhThucHien::TrucTuyen.name(chiso::Lang::Vi), "trực tuyến");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KenhThucHien {
    /// 1 trực tiếp (at the desk); also an empty cell.
    TrucTiep = 1,
    /// 2 trực tuyến (online).
    TrucTuyen = 2,
    /// 3 bưu chính công ích (public postal service).
    BuuChinhCongIch = 3,
}

impl KenhThucHien {
    /// The channel with code `code` (1–3).
    pub fn from_code(code: u8) -> Option<KenhThucHien> {
        match code {
            1 => Some(KenhThucHien::TrucTiep),
            2 => Some(KenhThucHien::TrucTuyen),
            3 => Some(KenhThucHien::BuuChinhCongIch),
            _ => None,
        }
    }

    /// The code (1–3).
    pub fn code(self) -> u8 {
        self as u8
    }

    /// Name in `lang`.
    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (KenhThucHien::TrucTiep, Lang::Vi) => "trực tiếp",
            (KenhThucHien::TrucTuyen, Lang::Vi) => "trực tuyến",
            (KenhThucHien::BuuChinhCongIch, Lang::Vi) => "bưu chính công ích",
            (KenhThucHien::TrucTiep, Lang::En) => "at the desk",
            (KenhThucHien::TrucTuyen, Lang::En) => "online",
            (KenhThucHien::BuuChinhCongIch, Lang::En) => "by public post",
        }
    }
}

/// `DuocThanhToanTrucTuyen`: how fees were paid online (reference §4, 3.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThanhToan {
    /// 0 (or empty): not paid online.
    KhongTrucTuyen = 0,
    /// 1: paid online through the Cổng DVCQG.
    CongDvcqg = 1,
    /// 2: paid online through the ministry's or province's payment gateway.
    CongBoTinh = 2,
}

impl ThanhToan {
    /// The value with code `code` (0–2).
    pub fn from_code(code: u8) -> Option<ThanhToan> {
        match code {
            0 => Some(ThanhToan::KhongTrucTuyen),
            1 => Some(ThanhToan::CongDvcqg),
            2 => Some(ThanhToan::CongBoTinh),
            _ => None,
        }
    }

    /// Whether the fees were paid online (1 or 2).
    pub fn is_online(self) -> bool {
        self != ThanhToan::KhongTrucTuyen
    }
}

/// One supplement request (yêu cầu bổ sung) and, once the citizen supplied, the time
/// the supplement was received.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Supplement {
    /// When the supplement was requested (`NgayYeuCauBoSung`; JSON `NgayBoSung`).
    pub requested: LocalTime,
    /// When the citizen's supplement was received (`NgayTiepNhanBoSung`); `None` while
    /// the unit still waits.
    pub resumed: Option<LocalTime>,
}

/// Yes/no flags of one dossier; `None` when the file has no such column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Flags {
    /// `DongBoDVCQG`: status synced to the Cổng DVCQG in real time (1.4).
    pub synced: Option<bool>,
    /// `HoSoCoThanhPhanSoHoa`: at least one component digitised (4.2).
    pub components_digitised: Option<bool>,
    /// `TaiSuDungDuLieuSoHoa`: digitised data reused (4.3).
    pub reused: Option<bool>,
    /// `DuocLayTuKhoDMQG`: a component taken from the national store (4.4).
    pub national_store: Option<bool>,
    /// `TaiKhoanDuocXacThucVoiVNeID`: applicant authenticated with VNeID (4.5b).
    pub vneid: Option<bool>,
    /// `SuDungDuLieuDanCu`: components taken from the population database (4.5b).
    pub population_data: Option<bool>,
    /// `DuongDanTepTinKetQua` not empty: an electronic result is attached (4.1, 4.2).
    pub result_attached: Option<bool>,
    /// `KetQuaDaKySo`: the electronic result is digitally signed (4.1 under a policy).
    pub result_signed: Option<bool>,
    /// `PhanAnhKhongHaiLong`: the citizen rated the handling "không hài lòng" or filed a
    /// phản ánh, kiến nghị about this dossier (5.4).
    pub dissatisfied: Option<bool>,
}

/// One parsed dossier record. Text fields borrow from the row being read.
#[derive(Debug, Clone, PartialEq)]
pub struct Dossier<'a> {
    /// Row number in the file (header = row 1; JSON lines: the line number).
    pub row: u64,
    /// `MaHoSo`.
    pub ma_ho_so: &'a str,
    /// `MaTTHC` (empty when absent).
    pub ma_tthc: &'a str,
    /// `DonViXuLy`, the handling unit's code.
    pub don_vi: &'a str,
    /// `TenDonViXuLy` (empty when absent).
    pub ten_don_vi: &'a str,
    /// `KenhThucHien`; `None` when the file has no channel column.
    pub kenh: Option<KenhThucHien>,
    /// `NgayNopHoSo`.
    pub nop: Option<LocalTime>,
    /// `NgayTiepNhan`.
    pub tiep_nhan: Option<LocalTime>,
    /// `NgayHenTra`.
    pub hen_tra: Option<LocalTime>,
    /// `NgayKetThucXuLy`.
    pub ket_thuc: Option<LocalTime>,
    /// `NgayTra`.
    pub tra: Option<LocalTime>,
    /// `TrangThaiHoSo`.
    pub trang_thai: TrangThaiHoSo,
    /// The procedure's maximum time (`ThoiGianGiaiQuyet` in `DonViTinh`), when given.
    pub thoi_han: Option<Duration>,
    /// Supplement requests, in time order as given.
    pub bo_sung: Vec<Supplement>,
    /// Yes/no flags.
    pub flags: Flags,
    /// `DuocThanhToanTrucTuyen`; `None` when the file has no such column.
    pub thanh_toan: Option<ThanhToan>,
    /// `TongPhiLePhi`: total fees (Σ `DanhSachLePhi[].Gia`); `None` when absent.
    pub phi: Option<Decimal>,
}

impl Dossier<'_> {
    /// The receipt time: `NgayTiepNhan`, else `NgayNopHoSo` (reference §5: a missing
    /// `NgayTiepNhan` falls back to `NgayNopHoSo`; 4.3 and 4.4 then drop the dossier).
    pub fn receipt(&self) -> Option<LocalTime> {
        self.tiep_nhan.or(self.nop)
    }
}
