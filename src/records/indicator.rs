//! The QĐ 766 indicators computable from dossier records, and those that are not.
//!
//! Every numerator and denominator follows a row of reference `service-index-766.md`:
//! §4 "Definitions" (the formula document), §11.5 (digitisation and payment), §5 (edge
//! cases), checked against the portal's published numerators and denominators (§8.2,
//! §8.4: for Phú Thọ and for every Gia Lai unit, 2.1, 4.1, 4.2, 4.3, 4.4, 4.5b and 5.4
//! share one denominator, the dossiers received in the period).

use crate::records::Column;
use crate::text::Lang;
use serde::{Deserialize, Serialize};

/// An indicator of the six-group portal index computable from dossier records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Indicator {
    /// 1.4 `DOSSIER_SYNC`.
    DossierSync,
    /// 2.1 `ON_TIME`.
    OnTime,
    /// 3.3 online submission.
    OnlineSubmission,
    /// 3.6 `ONLINE_PAYMENT` (A).
    OnlinePayment,
    /// 4.1 `ORIGINAL_RESULT_AVAILABLE`.
    ElectronicResult,
    /// 4.2 `SO_HOA_GIAY_TO_GIAI_QUYET`.
    Digitised,
    /// 4.3 `REUSED_DIGITIZED_DATA`.
    Reused,
    /// 4.4 `SYNCED_WITH_DVCQG_PERSONAL_STORAGE`.
    NationalStore,
    /// 4.5b `CITIZEN_DATA_CONNECTED_DOSSIER`.
    PopulationData,
    /// 5.4 `DOSSIER_RECEIVING_SATISFACTION`.
    Satisfaction,
}

/// Indicators of the six-group index that dossier records cannot give, with the data
/// they need instead (reference §6 "Fields needed per metric").
pub const NOT_FROM_DOSSIERS: &[(&str, &str, &str)] = &[
    ("1.1", "quyết định công bố TTHC và ngày hiệu lực (CSDLQG về TTHC)", "procedure announcement decisions and effective dates (national procedure database)"),
    ("1.2", "ngày QĐCB và thời điểm công khai (CSDLQG về TTHC)", "announcement and publication dates (national procedure database)"),
    ("1.3", "các bộ phận tạo thành của từng TTHC", "the constituent parts of each procedure"),
    ("3.1", "danh mục DVCTT theo mức độ (một phần, toàn trình)", "the online-service catalogue by level"),
    ("3.2", "danh mục DVCTT của đơn vị (cả DVC chưa phát sinh hồ sơ)", "the unit's online-service catalogue, including services without dossiers"),
    ("3.5b", "danh mục TTHC có phí (mẫu số tính theo TTHC, kể cả TTHC chưa có hồ sơ)", "the catalogue of procedures with fees (denominator counts procedures, including those without dossiers)"),
    ("3.5a", "TTHC có phí được tích hợp thanh toán trực tuyến", "procedures with fees integrated with online payment"),
    ("4.5a", "TTHC triển khai kết nối, chia sẻ dữ liệu dân cư", "procedures connected to the population database"),
    ("4.6", "danh mục xã cung cấp chứng thực bản sao điện tử", "the communes offering electronic certified copies"),
    ("5.2", "phản ánh, kiến nghị (ngày gửi, chuyển, xử lý)", "petitions (sent, transferred, handled dates)"),
    ("5.3", "phản ánh, kiến nghị (đánh giá hài lòng)", "petitions (satisfaction ratings)"),
];

impl Indicator {
    /// Every indicator, in the order of the index.
    pub const ALL: [Indicator; 10] = [
        Indicator::DossierSync,
        Indicator::OnTime,
        Indicator::OnlineSubmission,
        Indicator::OnlinePayment,
        Indicator::ElectronicResult,
        Indicator::Digitised,
        Indicator::Reused,
        Indicator::NationalStore,
        Indicator::PopulationData,
        Indicator::Satisfaction,
    ];

    /// Position in [`Indicator::ALL`] (a bit in failure masks).
    pub fn index(self) -> usize {
        self as usize
    }

    /// The criterion code in `criteria/service-766/qd766-portal-six-groups.json`.
    pub fn code(self) -> &'static str {
        match self {
            Indicator::DossierSync => "1.4",
            Indicator::OnTime => "2.1",
            Indicator::OnlineSubmission => "3.3",
            Indicator::OnlinePayment => "3.6",
            Indicator::ElectronicResult => "4.1",
            Indicator::Digitised => "4.2",
            Indicator::Reused => "4.3",
            Indicator::NationalStore => "4.4",
            Indicator::PopulationData => "4.5b",
            Indicator::Satisfaction => "5.4",
        }
    }

    /// The indicator with criterion code `code`.
    pub fn from_code(code: &str) -> Option<Indicator> {
        Indicator::ALL.into_iter().find(|i| i.code() == code)
    }

    /// Title, in the words of the criteria file.
    pub fn title(self, lang: Lang) -> &'static str {
        use Indicator::*;
        match (self, lang) {
            (DossierSync, Lang::Vi) => {
                "Tỷ lệ hồ sơ đồng bộ trạng thái theo thời gian thực lên Cổng DVCQG"
            }
            (OnTime, Lang::Vi) => "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn (gồm đã và đang xử lý)",
            (OnlineSubmission, Lang::Vi) => "Tỷ lệ hồ sơ TTHC nộp trực tuyến",
            (OnlinePayment, Lang::Vi) => "Tỷ lệ hồ sơ thanh toán trực tuyến",
            (ElectronicResult, Lang::Vi) => "Tỷ lệ hồ sơ có cấp kết quả giải quyết TTHC điện tử",
            (Digitised, Lang::Vi) => "Tỷ lệ hồ sơ TTHC thực hiện số hóa hồ sơ",
            (Reused, Lang::Vi) => "Tỷ lệ hồ sơ khai thác, sử dụng lại thông tin, dữ liệu số hóa",
            (NationalStore, Lang::Vi) => {
                "Tỷ lệ hồ sơ TTHC được số hóa có kết nối, chia sẻ dữ liệu phục vụ tái sử dụng"
            }
            (PopulationData, Lang::Vi) => "Tỷ lệ hồ sơ TTHC có sử dụng thông tin, dữ liệu dân cư",
            (Satisfaction, Lang::Vi) => "Tỷ lệ hài lòng trong tiếp nhận, giải quyết TTHC",
            (DossierSync, Lang::En) => "dossiers synced to the national portal in real time",
            (OnTime, Lang::En) => "dossiers handled early or on time (finished and in progress)",
            (OnlineSubmission, Lang::En) => "dossiers submitted online",
            (OnlinePayment, Lang::En) => "dossiers paid online",
            (ElectronicResult, Lang::En) => "dossiers with an electronic result",
            (Digitised, Lang::En) => "dossiers digitised",
            (Reused, Lang::En) => "dossiers reusing digitised data",
            (NationalStore, Lang::En) => "digitised dossiers sharing data for reuse",
            (PopulationData, Lang::En) => "dossiers using population data",
            (Satisfaction, Lang::En) => "satisfaction with receipt and handling",
        }
    }

    /// What a dossier that fails the indicator lacks, in words for an explanation.
    pub fn failure(self, lang: Lang) -> &'static str {
        use Indicator::*;
        match (self, lang) {
            (DossierSync, Lang::Vi) => "chưa đồng bộ trạng thái lên Cổng DVCQG",
            (OnTime, Lang::Vi) => "quá hạn",
            (OnlineSubmission, Lang::Vi) => "không nộp trực tuyến",
            (OnlinePayment, Lang::Vi) => "có phí nhưng không thanh toán trực tuyến",
            (ElectronicResult, Lang::Vi) => {
                "chưa có kết quả điện tử (chưa đính kèm tệp kết quả hoặc chưa ký số)"
            }
            (Digitised, Lang::Vi) => "chưa số hóa (thành phần hồ sơ hoặc kết quả)",
            (Reused, Lang::Vi) => "không tái sử dụng dữ liệu số hóa",
            (NationalStore, Lang::Vi) => "không lấy thành phần từ kho dữ liệu quốc gia",
            (PopulationData, Lang::Vi) => "không sử dụng dữ liệu dân cư (VNeID, CSDL dân cư)",
            (Satisfaction, Lang::Vi) => "quá hạn hoặc có phản ánh, kiến nghị / không hài lòng",
            (DossierSync, Lang::En) => "status not synced to the national portal",
            (OnTime, Lang::En) => "overdue",
            (OnlineSubmission, Lang::En) => "not submitted online",
            (OnlinePayment, Lang::En) => "fees not paid online",
            (ElectronicResult, Lang::En) => {
                "no electronic result (result file not attached or not signed)"
            }
            (Digitised, Lang::En) => "not digitised (components or result)",
            (Reused, Lang::En) => "no digitised data reused",
            (NationalStore, Lang::En) => "no component from the national store",
            (PopulationData, Lang::En) => "no population data used (VNeID, population database)",
            (Satisfaction, Lang::En) => "overdue, or a petition / dislike",
        }
    }

    /// Numerator and denominator in words (English), with the reference row followed.
    pub fn definition(self) -> (&'static str, &'static str, &'static str) {
        use Indicator::*;
        match self {
            DossierSync => ("received dossiers with DongBoDVCQG = 1", "dossiers received in the period", "§4 Definitions 1.4; the portal's denominator is max(national reporting count, portal count), which records cannot give: the records stand for both"),
            OnTime => ("finished early or on time + open and not overdue at the period's end", "dossiers received in the period (withdrawn ones leave it under the OpenCPS policy)", "§4 Definitions 2.1, §11.3 policies"),
            OnlineSubmission => ("received dossiers with KenhThucHien = 2", "dossiers received in the period (empty channel = 1)", "§4 Definitions 3.3"),
            OnlinePayment => ("dossiers with a fee and DuocThanhToanTrucTuyen ∈ {1, 2}", "dossiers received in the period with TongPhiLePhi > 0", "§4 Definitions 3.6, §11.5 (A); processing start ≈ receipt"),
            ElectronicResult => ("dossiers with DuongDanTepTinKetQua (and, under the signed policy, KetQuaDaKySo = 1)", "dossiers received in the period", "§11.5 4.1; the portal's denominators equal 2.1's (§8.2, §8.4)"),
            Digitised => ("dossiers with HoSoCoThanhPhanSoHoa = 1 and DuongDanTepTinKetQua", "dossiers received in the period", "§11.5 4.2"),
            Reused => ("dossiers with TaiSuDungDuLieuSoHoa = 1", "dossiers received in the period with NgayTiepNhan", "§11.5 4.3, §5 (no NgayTiepNhan: dropped)"),
            NationalStore => ("dossiers with DuocLayTuKhoDMQG = 1", "dossiers received in the period with NgayTiepNhan", "§11.5 4.4, §5 (no NgayTiepNhan: dropped)"),
            PopulationData => ("dossiers with TaiKhoanDuocXacThucVoiVNeID = 1 or SuDungDuLieuDanCu = 1", "dossiers received in the period", "§11.5 4.5b"),
            Satisfaction => ("dossiers neither overdue (as 2.1) nor with PhanAnhKhongHaiLong = 1", "dossiers received in the period", "§4 Definitions 5.4"),
        }
    }

    /// Columns the indicator needs beyond the required ones: every group must have at
    /// least one of its columns in the file.
    pub fn needs(self) -> &'static [&'static [Column]] {
        use Column as C;
        use Indicator::*;
        const DUE: &[Column] = &[C::NgayHenTra, C::ThoiGianGiaiQuyet];
        const END: &[Column] = &[C::NgayKetThucXuLy, C::NgayTra];
        match self {
            DossierSync => &[&[C::DongBoDVCQG]],
            OnTime => &[DUE, END],
            OnlineSubmission => &[&[C::KenhThucHien]],
            OnlinePayment => &[&[C::DuocThanhToanTrucTuyen], &[C::TongPhiLePhi]],
            ElectronicResult => &[&[C::DuongDanTepTinKetQua]],
            Digitised => &[&[C::HoSoCoThanhPhanSoHoa], &[C::DuongDanTepTinKetQua]],
            Reused => &[&[C::TaiSuDungDuLieuSoHoa]],
            NationalStore => &[&[C::DuocLayTuKhoDMQG]],
            PopulationData => &[&[C::TaiKhoanDuocXacThucVoiVNeID, C::SuDungDuLieuDanCu]],
            Satisfaction => &[DUE, END, &[C::PhanAnhKhongHaiLong]],
        }
    }
}

/// A set of indicators as bits of [`Indicator::index`] (e.g. those a dossier failed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct IndicatorSet(pub u16);

impl IndicatorSet {
    /// Adds `i`.
    pub fn insert(&mut self, i: Indicator) {
        self.0 |= 1 << i.index();
    }
    /// Whether `i` is in the set.
    pub fn contains(self, i: Indicator) -> bool {
        self.0 & (1 << i.index()) != 0
    }
    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    /// The members, in index order.
    pub fn iter(self) -> impl Iterator<Item = Indicator> {
        Indicator::ALL
            .into_iter()
            .filter(move |i| self.contains(*i))
    }
}
