//! A **SYNTHETIC** dossier export (hồ sơ TTHC) for the records benchmarks: no row comes
//! from a real system. Seeded and deterministic: the same seed and row count give the
//! same bytes.
//!
//! Shared by `benches/records.rs` (criterion, in memory) and the generator binary
//! `benches/tools/gen_dossiers.rs` (`cargo run --release --example gen_dossiers -- ROWS`),
//! whose files `scripts/bench-records.sh` feeds to `chiso records` and to the polars peer
//! `benches/peer/records_peer.py`.
//!
//! **Columns.** The records module's national sync names ([`COLUMNS`], taken from
//! [`Column::name`], so a renamed column breaks the benchmark instead of silently
//! producing an unknown-column file).
//!
//! **Units.** 1,000 handling units (`DonViXuLy`) under the province code `H99`: 40
//! departments `H99.001`–`H99.040` with 10 desks each (`H99.001.01` …, 400 codes) and
//! 600 communes `H99.041`–`H99.640`; the tree chiso builds has 1,041 units with the root
//! and the departments. Dossier volume per unit varies 1–8× (a fixed pseudo-random
//! weight).
//!
//! **Time.** Receipts fall on the working days of 2026 from the first one (Mon 5/1) to the
//! export day, 15/10/2026, with twice the volume in the two weeks before Tết (2–13/2); the
//! working days, make-up Saturdays included (10/1, 22/8), come from the SAME table chiso
//! uses, [`WorkingCalendar::vietnam`]. The due time (`NgayHenTra`) is the receipt time of
//! day on the n-th working day after the receipt (n = the procedure's duration in working
//! days, also written in `ThoiGianGiaiQuyet` / `DonViTinh`), i.e. chiso's own
//! `WorkingCalendar::due(receipt, WorkingDays(n))` — so due dates jump Tết (16–20/2),
//! 27/4, 30/4–1/5, 31/8–2/9. The export shows what had happened by the end of 15/10: a
//! dossier whose end would come later is still open (status 2, 4 or 6), a supplement not
//! yet back leaves it in status 5.
//!
//! **Mix** (of all rows, roughly): 1.2 % never received (status 1, 3); of the received,
//! 93.5 % without supplement, 4 % one supplement received back, 1 % one still awaited,
//! 1.5 % two or three requests; 88 % finished by the due date (pauses added), 9.5 % late by
//! 1–15 working days, 2.5 % stuck open; finished ones 10 (about 77 %), 9, withdrawn 7
//! (1.5 %), stopped 8 (0.7 %). Channels 2 online 48 %, 1 desk 45 %, 3 post 4 %, empty 3 %.
//! Digitisation, reuse, national store, VNeID / population data, result file and
//! signature, sync, fees and online payment, complaints: independent draws (see
//! [`Generator::row`]).
//!
//! **Invariants the day-granularity peer relies on** (documented in
//! `benches/peer/records_peer.py`):
//! 1. every time chiso judges with (receipt, due, end, result, supplement request and
//!    return) lies strictly inside a working window (07:00–11:30, 13:30–17:00, never on
//!    a window's edge) on a working day, so chiso never rolls a time and a due time keeps
//!    its time of day (`NgayNopHoSo` of online dossiers, any hour a day or two before
//!    the receipt, is not read when `NgayTiepNhan` is given);
//! 2. a supplement comes back at the very time of day it was requested, so every pause is
//!    a whole number of working days and moves the due date by exactly that many working
//!    days;
//! 3. every received dossier has `NgayHenTra` (the peer never computes a due date);
//! 4. every time is in 2026 (the calendar's last year), pauses included.
#![allow(dead_code)]

use chiso::calendar::{NaiveDate, WorkingCalendar};
use chiso::records::{Column, Comparison, OpenAtEnd, Policies};
use chrono::Datelike;

/// The columns written, in order.
pub const COLUMNS: [Column; 26] = [
    Column::MaHoSo,
    Column::MaTTHC,
    Column::DonViXuLy,
    Column::TenDonViXuLy,
    Column::KenhThucHien,
    Column::NgayNopHoSo,
    Column::NgayTiepNhan,
    Column::NgayHenTra,
    Column::NgayKetThucXuLy,
    Column::NgayTra,
    Column::TrangThaiHoSo,
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
    Column::TongPhiLePhi,
    Column::DuocThanhToanTrucTuyen,
    Column::PhanAnhKhongHaiLong,
];

/// The reporting period the benchmark evaluates (`chiso records --period`).
pub const PERIOD: &str = "2026-01..2026-09";

/// The last day the export covers (the end of this day).
pub const EXPORT_DAY: (i32, u32, u32) = (2026, 10, 15);

/// Number of handling units (`DonViXuLy` codes).
pub const UNITS: usize = 1000;

/// The day-granularity policies of the benchmark (`--policies`), as JSON: calendar
/// dates compared (TD), open dossiers on time while the due date is on or after the
/// period's last day (TD); every other policy is the formula document's default.
pub const POLICIES_JSON: &str =
    r#"{"comparison": "calendar_date", "open_at_end": "due_date_on_or_after_last_day"}"#;

/// [`POLICIES_JSON`] as a value.
pub fn policies() -> Policies {
    Policies {
        comparison: Comparison::CalendarDate,
        open_at_end: OpenAtEnd::DueDateOnOrAfterLastDay,
        ..Policies::default()
    }
}

/// The header line (with its newline).
pub fn header() -> String {
    let names: Vec<&str> = COLUMNS.iter().map(|c| c.name()).collect();
    format!("{}\n", names.join(","))
}

/// `rows` dossier rows after the header, in memory.
pub fn csv(rows: usize, seed: u64) -> Vec<u8> {
    let mut g = Generator::new(seed);
    let mut out = header().into_bytes();
    out.reserve(rows * 260);
    for _ in 0..rows {
        g.row(&mut out);
    }
    out
}

/// SplitMix64: small, fast, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (`n > 0`; the modulo bias is irrelevant here).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    /// True with probability `per_mille / 1000`.
    fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }
}

/// Working minutes of a day (07:00–11:30 = 0..270, 13:30–17:00 = 270..480) that are
/// strictly inside a window and at least 5 minutes from its edges.
fn inside_minutes() -> Vec<u32> {
    (5..=265).chain(275..=475).collect()
}

/// Clock time (hours, minutes) of working minute `m`.
fn clock(m: u32) -> (u32, u32) {
    let t = if m < 270 {
        7 * 60 + m
    } else {
        13 * 60 + 30 + m - 270
    };
    (t / 60, t % 60)
}

/// An instant on a working day: the day's index among the working days of 2026, the
/// working minute of the day and the second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct At {
    day: usize,
    minute: u32,
    second: u32,
}

/// A procedure (TTHC) of the synthetic catalogue.
struct Procedure {
    code: String,
    days: usize,
    fee: u32,
}

/// Writes dossier rows.
pub struct Generator {
    rng: Rng,
    /// Working days of 2026 as `yyyyMMdd`.
    ymd: Vec<[u8; 8]>,
    /// Working days of 2026 as dates.
    dates: Vec<NaiveDate>,
    /// Index of the export day.
    export: usize,
    /// Receipt days, repeated by weight.
    receipt_days: Vec<u16>,
    /// `(code, name)` of each unit.
    units: Vec<(String, String)>,
    /// Unit indices, repeated by weight.
    unit_pick: Vec<u16>,
    procedures: Vec<Procedure>,
    minutes: Vec<u32>,
    seq: u64,
}

fn push_num(out: &mut Vec<u8>, mut n: u64, width: usize) {
    let mut buf = [b'0'; 20];
    let mut i = buf.len();
    while n > 0 || buf.len() - i < width.max(1) {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    out.extend_from_slice(&buf[i..]);
}

impl Generator {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Generator {
        let cal = WorkingCalendar::vietnam();
        let mut dates = Vec::new();
        let mut d = NaiveDate::from_ymd_opt(2026, 1, 1).expect("a date");
        while d.year() == 2026 {
            if cal.is_working_day(d).expect("2026 is in the calendar") {
                dates.push(d);
            }
            d = d.succ_opt().expect("a date");
        }
        let ymd = dates
            .iter()
            .map(|d| {
                let s = d.format("%Y%m%d").to_string();
                s.as_bytes().try_into().expect("8 digits")
            })
            .collect();
        let (y, m, day) = EXPORT_DAY;
        let export_date = NaiveDate::from_ymd_opt(y, m, day).expect("a date");
        let export = dates
            .iter()
            .position(|d| *d == export_date)
            .expect("the export day is a working day");
        let rush = (
            NaiveDate::from_ymd_opt(2026, 2, 2).expect("a date"),
            NaiveDate::from_ymd_opt(2026, 2, 13).expect("a date"),
        );
        let mut receipt_days = Vec::new();
        for (i, d) in dates.iter().enumerate().take(export + 1) {
            let weight = if (rush.0..=rush.1).contains(d) { 2 } else { 1 };
            for _ in 0..weight {
                receipt_days.push(i as u16);
            }
        }
        let mut units = Vec::with_capacity(UNITS);
        for dept in 1..=40 {
            for desk in 1..=10 {
                units.push((
                    format!("H99.{dept:03}.{desk:02}"),
                    format!("Phòng {desk:02} Sở {dept:03}"),
                ));
            }
        }
        for commune in 41..=640 {
            units.push((format!("H99.{commune:03}"), format!("UBND xã {commune:03}")));
        }
        let mut weights = Rng(0x5EED_0001);
        let mut unit_pick = Vec::new();
        for u in 0..units.len() {
            for _ in 0..=weights.below(8) {
                unit_pick.push(u as u16);
            }
        }
        const DAYS: [usize; 12] = [1, 2, 3, 3, 5, 5, 5, 7, 10, 10, 15, 20];
        let procedures = (0..240)
            .map(|i| Procedure {
                code: format!("1.{:06}", 1000 + i * 7),
                days: DAYS[i % DAYS.len()],
                fee: match i % 10 {
                    0 | 3 => 50_000,
                    6 => 100_000,
                    8 => 20_000,
                    _ => 0,
                },
            })
            .collect();
        Generator {
            rng: Rng(seed ^ 0xC415_0766),
            ymd,
            dates,
            export,
            receipt_days,
            units,
            unit_pick,
            procedures,
            minutes: inside_minutes(),
            seq: 0,
        }
    }

    /// Working days of 2026 (make-up Saturdays included), from the calendar chiso uses.
    pub fn working_days(&self) -> &[NaiveDate] {
        &self.dates
    }

    fn any_minute(&mut self) -> u32 {
        self.minutes[self.rng.below(self.minutes.len() as u64) as usize]
    }

    /// A working minute strictly after `lo`, if the day has one.
    fn minute_after(&mut self, lo: u32) -> Option<u32> {
        let i = self.minutes.partition_point(|&m| m <= lo);
        let n = self.minutes.len() - i;
        (n > 0).then(|| self.minutes[i + self.rng.below(n as u64) as usize])
    }

    /// An instant on `day` strictly after `lo` (on the next day when `lo`'s day has no
    /// later minute), or at any minute when `day` is after `lo`'s day.
    fn after(&mut self, day: usize, lo: At) -> At {
        let second = self.rng.below(60) as u32;
        if day > lo.day {
            let minute = self.any_minute();
            return At {
                day,
                minute,
                second,
            };
        }
        match self.minute_after(lo.minute) {
            Some(minute) => At {
                day: lo.day,
                minute,
                second,
            },
            None => At {
                day: lo.day + 1,
                minute: self.any_minute(),
                second,
            },
        }
    }

    fn push_at(&self, out: &mut Vec<u8>, t: At) {
        out.extend_from_slice(&self.ymd[t.day]);
        let (h, m) = clock(t.minute);
        push_num(out, u64::from(h), 2);
        push_num(out, u64::from(m), 2);
        push_num(out, u64::from(t.second), 2);
    }

    /// Appends one dossier row (with its newline).
    pub fn row(&mut self, out: &mut Vec<u8>) {
        self.seq += 1;
        let unit = self.unit_pick[self.rng.below(self.unit_pick.len() as u64) as usize] as usize;
        let p = self.rng.below(self.procedures.len() as u64) as usize;
        let rd =
            self.receipt_days[self.rng.below(self.receipt_days.len() as u64) as usize] as usize;
        let receipt = At {
            day: rd,
            minute: self.any_minute(),
            second: self.rng.below(60) as u32,
        };
        let ma_ho_so_start = out.len();
        out.extend_from_slice(b"H99-");
        out.extend_from_slice(&self.ymd[rd][2..]);
        out.push(b'-');
        push_num(out, self.seq, 8);
        let ma_ho_so = out[ma_ho_so_start..].to_vec();
        out.push(b',');
        let proc_days = self.procedures[p].days;
        let fee = self.procedures[p].fee;
        out.extend_from_slice(self.procedures[p].code.as_bytes());
        out.push(b',');
        let (code, name) = &self.units[unit];
        out.extend_from_slice(code.as_bytes());
        out.push(b',');
        out.extend_from_slice(name.as_bytes());
        out.push(b',');
        let channel: &[u8] = match self.rng.below(100) {
            0..=47 => b"2",
            48..=92 => b"1",
            93..=96 => b"3",
            _ => b"",
        };
        out.extend_from_slice(channel);
        out.push(b',');
        // NgayNopHoSo: online dossiers were submitted one or two calendar days before
        // the receipt, at any hour; the others at the receipt.
        let online = channel == b"2";
        let mut submission = Vec::with_capacity(14);
        if online {
            let back = 1 + self.rng.below(2);
            let d = self.dates[rd] - chrono::Days::new(back);
            submission.extend_from_slice(d.format("%Y%m%d").to_string().as_bytes());
            push_num(&mut submission, self.rng.below(24), 2);
            push_num(&mut submission, self.rng.below(60), 2);
            push_num(&mut submission, self.rng.below(60), 2);
        } else {
            self.push_at(&mut submission, receipt);
        }
        out.extend_from_slice(&submission);
        out.push(b',');

        let never_received = self.rng.below(1000);
        if never_received < 12 {
            // 1 Mới đăng ký (registered online, not yet received) or 3 Không được tiếp
            // nhận (refused at the desk): no receipt, nothing else happened.
            let status: &[u8] = if never_received < 8 { b"1" } else { b"3" };
            out.extend_from_slice(b",,,,");
            out.extend_from_slice(status);
            out.push(b',');
            push_num(out, proc_days as u64, 1);
            out.extend_from_slice(",ngày làm việc,,,0,0,0,0,0,0,,,".as_bytes());
            push_num(out, u64::from(fee), 1);
            out.extend_from_slice(b",,0\n");
            return;
        }

        // Supplements: requests during processing; each comes back (if it does) at the
        // time of day it was requested, 1–10 working days later.
        let plan = self.rng.below(1000);
        let (requests, last_waits) = match plan {
            0..=934 => (0, false),
            935..=974 => (1, false),
            975..=984 => (1, true),
            985..=996 => (2, self.rng.chance(300)),
            _ => (3, self.rng.chance(300)),
        };
        let mut supplements: Vec<(At, Option<At>)> = Vec::new();
        let mut lower = receipt;
        for k in 0..requests {
            let span = if k == 0 { proc_days.max(1) } else { 3 };
            let day = lower.day + self.rng.below(span as u64) as usize;
            let asked = self.after(day, lower);
            if asked.day > self.export {
                break; // not yet asked when the export was taken
            }
            let back_day = asked.day + 1 + self.rng.below(10) as usize;
            let waits = (k + 1 == requests && last_waits) || back_day > self.export;
            if waits {
                supplements.push((asked, None));
                break;
            }
            let back = At {
                day: back_day,
                ..asked
            };
            supplements.push((asked, Some(back)));
            lower = back;
        }
        let waiting = supplements.last().is_some_and(|s| s.1.is_none());
        let paused: usize = supplements
            .iter()
            .filter_map(|(a, b)| b.map(|b| b.day - a.day))
            .sum();
        let due = At {
            day: rd + proc_days,
            ..receipt
        };
        let due_after_pauses = due.day + paused;
        let outcome = self.rng.below(1000);
        // The end of processing, if it came by the export.
        let mut late = false;
        let end = if waiting || outcome >= 975 {
            None // waiting for the citizen, or stuck
        } else {
            let day = if outcome < 880 {
                let last = due_after_pauses.max(lower.day);
                lower.day + self.rng.below((last - lower.day + 1) as u64) as usize
            } else {
                late = true;
                due_after_pauses.max(lower.day) + 1 + self.rng.below(15) as usize
            };
            Some(self.after(day, lower)).filter(|e| e.day <= self.export)
        };
        let status_draw = self.rng.below(1000);
        let (status, returned): (&[u8], Option<At>) = match end {
            None if waiting => (b"5", None),
            None => {
                if rd + 1 >= self.export {
                    (b"2", None)
                } else if fee > 0 && self.rng.chance(100) {
                    (b"6", None)
                } else {
                    (b"4", None)
                }
            }
            Some(_) if status_draw < 15 => (b"7", None),
            Some(_) if status_draw < 22 => (b"8", None),
            Some(_) if status_draw < 250 => (b"9", None),
            Some(e) => {
                let day = e.day + self.rng.below(3) as usize;
                let r = self.after(day, e);
                if r.day <= self.export {
                    (b"10", Some(r))
                } else {
                    (b"9", None)
                }
            }
        };
        let finished_with_result = matches!(status, b"9" | b"10");
        self.push_at(out, receipt);
        out.push(b',');
        self.push_at(out, due);
        out.push(b',');
        if let Some(e) = end {
            self.push_at(out, e);
        }
        out.push(b',');
        if let Some(r) = returned {
            self.push_at(out, r);
        }
        out.push(b',');
        out.extend_from_slice(status);
        out.push(b',');
        push_num(out, proc_days as u64, 1);
        out.extend_from_slice(",ngày làm việc,".as_bytes());
        for (i, (asked, _)) in supplements.iter().enumerate() {
            if i > 0 {
                out.push(b';');
            }
            self.push_at(out, *asked);
        }
        out.push(b',');
        for (i, (_, back)) in supplements.iter().enumerate() {
            if i > 0 {
                out.push(b';');
            }
            if let Some(b) = back {
                self.push_at(out, *b);
            }
        }
        out.push(b',');
        let flag = |rng: &mut Rng, per_mille: u64| -> &'static [u8] {
            if rng.chance(per_mille) {
                b"1"
            } else {
                b"0"
            }
        };
        let synced = flag(&mut self.rng, 920);
        let digitised = flag(&mut self.rng, 750);
        let reused = flag(&mut self.rng, 350);
        let national = flag(&mut self.rng, 120);
        let vneid = flag(&mut self.rng, if online { 800 } else { 150 });
        let population = flag(&mut self.rng, 300);
        for f in [synced, digitised, reused, national, vneid, population] {
            out.extend_from_slice(f);
            out.push(b',');
        }
        let attached = finished_with_result && self.rng.chance(820);
        if attached {
            out.extend_from_slice(b"https://dvc.h99.example/kq/");
            out.extend_from_slice(&ma_ho_so);
            out.extend_from_slice(b".pdf,");
            out.extend_from_slice(flag(&mut self.rng, 880));
        } else {
            out.push(b',');
        }
        out.push(b',');
        push_num(out, u64::from(fee), 1);
        out.push(b',');
        if fee > 0 {
            let paid: &[u8] = match self.rng.below(100) {
                0..=34 if online => b"1",
                35..=69 if online => b"2",
                0..=9 => b"2",
                _ => b"0",
            };
            out.extend_from_slice(paid);
        }
        out.push(b',');
        out.extend_from_slice(flag(&mut self.rng, if late { 80 } else { 10 }));
        out.push(b'\n');
    }
}
