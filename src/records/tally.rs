//! Integer counters per unit and period: for every indicator its numerator and
//! denominator, the five OpenCPS counts and the channels. A dossier adds to its own
//! unit; [`roll_up`] adds every unit's counts to all its ancestors, so a parent's
//! figures are the sums over its subtree (declared in every output).

use crate::records::dossier::{Dossier, KenhThucHien};
use crate::records::indicator::{Indicator, IndicatorSet};
use crate::records::judge::{Judgement, Outcome};
use crate::records::policy::{ElectronicResult, Policies};
use crate::records::units::UnitTree;
use serde::Serialize;
use std::collections::HashMap;

/// Which indicators a dossier enters (denominator) and passes (numerator).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Marks {
    /// Indicators whose denominator counts the dossier.
    pub counted: IndicatorSet,
    /// Indicators whose numerator counts it.
    pub passed: IndicatorSet,
}

impl Marks {
    /// Indicators counted but not passed: the dossier costs points there.
    pub fn failed(self) -> IndicatorSet {
        IndicatorSet(self.counted.0 & !self.passed.0)
    }
}

/// The marks of a received dossier in the period, judged `j` (reference rows: see
/// [`Indicator::definition`]). Flags of absent columns read as "no"; the indicators
/// that need those columns are reported as not computable, never as zero.
pub fn marks(d: &Dossier<'_>, j: &Judgement, p: &Policies) -> Marks {
    use Indicator as I;
    let mut m = Marks::default();
    let mut put = |i: Indicator, counted: bool, passed: bool| {
        if counted {
            m.counted.insert(i);
            if passed {
                m.passed.insert(i);
            }
        }
    };
    let f = &d.flags;
    let yes = |x: Option<bool>| x == Some(true);
    put(I::DossierSync, true, yes(f.synced));
    put(
        I::OnTime,
        j.outcome != Outcome::Excluded,
        j.outcome.is_on_time(),
    );
    put(
        I::OnlineSubmission,
        true,
        d.kenh == Some(KenhThucHien::TrucTuyen),
    );
    put(
        I::OnlinePayment,
        d.phi.is_some_and(|x| !x.is_zero()),
        d.thanh_toan.is_some_and(|t| t.is_online()),
    );
    let electronic = yes(f.result_attached)
        && (p.electronic_result == ElectronicResult::FileAttached || yes(f.result_signed));
    put(I::ElectronicResult, true, electronic);
    put(
        I::Digitised,
        true,
        yes(f.components_digitised) && yes(f.result_attached),
    );
    put(I::Reused, d.tiep_nhan.is_some(), yes(f.reused));
    put(
        I::NationalStore,
        d.tiep_nhan.is_some(),
        yes(f.national_store),
    );
    put(
        I::PopulationData,
        true,
        yes(f.vneid) || yes(f.population_data),
    );
    put(
        I::Satisfaction,
        true,
        !j.outcome.is_overdue() && !yes(f.dissatisfied),
    );
    m
}

/// Counters of one unit in one period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Counts {
    /// Dossiers received in the period (every denominator's population).
    pub received: u64,
    /// Finished before the due date.
    pub early: u64,
    /// Finished on the due date, in time.
    pub on_time: u64,
    /// Finished late.
    pub late: u64,
    /// Open, not yet due.
    pub open_not_due: u64,
    /// Open, overdue.
    pub open_overdue: u64,
    /// Withdrawn, counted apart (OpenCPS policy).
    pub withdrawn_apart: u64,
    /// Submitted online (kênh 2).
    pub online: u64,
    /// Submitted by public post (kênh 3).
    pub postal: u64,
    /// With at least one supplement request.
    pub with_supplements: u64,
    /// Received per `NgayNopHoSo` because `NgayTiepNhan` is empty.
    pub receipt_from_submission: u64,
    /// Numerators by [`Indicator::index`].
    pub numerators: [u64; 10],
    /// Denominators by [`Indicator::index`].
    pub denominators: [u64; 10],
}

impl Counts {
    /// Adds one dossier.
    pub fn add(&mut self, d: &Dossier<'_>, j: &Judgement, m: Marks) {
        self.received += 1;
        match j.outcome {
            Outcome::Early => self.early += 1,
            Outcome::OnTime => self.on_time += 1,
            Outcome::Late => self.late += 1,
            Outcome::OpenNotDue => self.open_not_due += 1,
            Outcome::OpenOverdue => self.open_overdue += 1,
            Outcome::Excluded => self.withdrawn_apart += 1,
        }
        match d.kenh {
            Some(KenhThucHien::TrucTuyen) => self.online += 1,
            Some(KenhThucHien::BuuChinhCongIch) => self.postal += 1,
            _ => {}
        }
        if !d.bo_sung.is_empty() {
            self.with_supplements += 1;
        }
        if d.tiep_nhan.is_none() {
            self.receipt_from_submission += 1;
        }
        for i in m.counted.iter() {
            self.denominators[i.index()] += 1;
        }
        for i in m.passed.iter() {
            self.numerators[i.index()] += 1;
        }
    }

    /// Adds another unit's or period's counts.
    pub fn merge(&mut self, o: &Counts) {
        self.received += o.received;
        self.early += o.early;
        self.on_time += o.on_time;
        self.late += o.late;
        self.open_not_due += o.open_not_due;
        self.open_overdue += o.open_overdue;
        self.withdrawn_apart += o.withdrawn_apart;
        self.online += o.online;
        self.postal += o.postal;
        self.with_supplements += o.with_supplements;
        self.receipt_from_submission += o.receipt_from_submission;
        for k in 0..10 {
            self.numerators[k] += o.numerators[k];
            self.denominators[k] += o.denominators[k];
        }
    }

    /// `(numerator, denominator)` of `i`.
    pub fn fraction(&self, i: Indicator) -> (u64, u64) {
        (self.numerators[i.index()], self.denominators[i.index()])
    }
}

/// Counts keyed by (unit id, bucket).
pub type Tally = HashMap<(u32, u16), Counts>;

/// Adds each unit's counts to all its ancestors: afterwards every unit of the tree
/// holds the sums over its subtree (its own dossiers included).
pub fn roll_up(own: &Tally, units: &UnitTree) -> Tally {
    let mut all: Tally = HashMap::with_capacity(own.len() * 2);
    for (&(u, b), c) in own {
        for a in units.chain(u) {
            all.entry((a, b)).or_default().merge(c);
        }
    }
    all
}
