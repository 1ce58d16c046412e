#!/usr/bin/env python3
"""The records benchmark's peer: QĐ 766 indicators per unit from a dossier export, with
polars, the way an analyst would write it at day granularity.

Usage:
  records_peer.py run DOSSIERS.csv CALENDAR.csv PERIOD OUT.csv
  records_peer.py compare CHISO.csv PEER.csv

`run` reads a dossier export with the national sync column names (as written by
`cargo run --release --example gen_dossiers`) and the holiday table chiso ships
(`data/calendar/vn_civil_service_calendar_2018_2026.csv`), and writes per unit (every
`DonViXuLy` and every ancestor code, rolled up like chiso) the received dossiers, the
five on-time outcomes, and numerator/denominator of 1.4, 2.1, 3.3, 3.6, 4.1, 4.2, 4.3,
4.4, 4.5b and 5.4 — the columns of `chiso records --format csv` — plus three columns
chiso does not have (`late_working_days`, `makeup_dossiers`, `makeup_changed`).

`compare` checks the shared columns of both files unit by unit and exits 1 on any
difference.

Written from chiso's documented rules (src/records/judge.rs, policy.rs, tally.rs
documentation; reference service-index-766.md §4, §11.3), not from its code, under the
policies the benchmark passes to chiso:
  {"comparison": "calendar_date", "open_at_end": "due_date_on_or_after_last_day"}
and the formula document's defaults otherwise:
- received in the period: status not 1/3, receipt (NgayTiepNhan, else NgayNopHoSo) date in
  the period; evaluation at 00:00 after the period's last day;
- finished: status 7, 8, 9, 10 with its end (NgayKetThucXuLy, else NgayTra) on or
  before the last day; one finished later is open at the period's end;
- supplement requests made by the last day: more than one → overdue (late if finished,
  open overdue if not); one not back by the last day → judged at the request date; one
  back → the due date moves later by the working days of the pause;
- finished: early / on time / late = end date <, =, > due date; open: overdue when the
  due date is before the period's last day; withdrawn dossiers are judged like others;
- 2.1 numerator: early + on time + open not overdue; 5.4: those without
  PhanAnhKhongHaiLong = 1; 3.6 counts dossiers with TongPhiLePhi > 0 and passes
  DuocThanhToanTrucTuyen 1 or 2; 4.3 and 4.4 count dossiers with NgayTiepNhan.

Working days. Every date gets a working-day ordinal (working days from the 1st of January
of the calendar table's first year up to that date), computed once per calendar date with
`pl.business_day_count` (Monday–Friday, the table's weekday days off as `holidays`) and
gathered into the rows. A pause of k working days moves the due date k working days
later, so a date X is on or before the paused due date ⟺ ordinal(X) ≤ ordinal(due) + k,
with k = ordinal(resumed) − ordinal(requested) (every date involved is a working day).
The week mask of `business_day_count` cannot say that a Saturday is sometimes a working
day (làm bù: 10/1/2026, 22/8/2026): its count misses them. The peer adds the make-up
Saturdays back into the ordinals and reports, per unit, how many dossiers had one inside
an interval their judgement counted (`makeup_dossiers`) and how many would change outcome
without the correction (`makeup_changed`). So the shared subset is every dossier, and the
make-up-Saturday dossiers are counted separately.

What the peer assumes of the file (the generator guarantees it, chiso does not need it):
every time lies strictly inside working hours on a working day, a supplement comes back
at the time of day it was requested (whole working days of pause), every received
dossier has NgayHenTra. Under those, day arithmetic gives chiso's working-time results.

`late_working_days`: for each late dossier not overdue by repeated supplements, the
working days from its (paused) due date to its end (or to its supplement request), summed
per unit; chiso reports lateness per dossier in working minutes, so this column is the
peer's alone.
"""
import csv
import datetime as dt
import sys

import polars as pl

OUTCOMES = ["early", "on_time", "late", "open_not_due", "open_overdue"]
INDICATORS = ["1.4", "2.1", "3.3", "3.6", "4.1", "4.2", "4.3", "4.4", "4.5b", "5.4"]
SHARED = ["received"] + OUTCOMES + ["withdrawn_apart"] + INDICATORS
EXTRA = ["late_working_days", "makeup_dossiers", "makeup_changed"]
DAYS_OFF = {"holiday", "compensatory_day_off", "swapped_day_off"}


def period_days(text):
    """'2026', '2026-05' or '2026-01..2026-09' → (first day, last day)."""
    a, _, b = text.partition("..")
    b = b or a

    def month(s, last):
        if len(s) == 4:
            return (int(s), 12 if last else 1)
        y, m = s.split("-")
        return (int(y), int(m))

    y0, m0 = month(a, False)
    y1, m1 = month(b, True)
    first = dt.date(y0, m0, 1)
    nxt = dt.date(y1 + (m1 == 12), m1 % 12 + 1, 1)
    return first, nxt - dt.timedelta(days=1)


def calendar(path):
    holidays, makeups = [], []
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            d = dt.date.fromisoformat(row["date"])
            if row["kind"] in DAYS_OFF:
                holidays.append(d)
            elif row["kind"] == "makeup_working_day":
                makeups.append(d)
    return holidays, makeups


def run(dossiers, calendar_path, period, out):
    first, last = period_days(period)
    last_s = last.strftime("%Y%m%d")
    holidays, makeups = calendar(calendar_path)

    def day(c):
        return pl.col(c).str.slice(0, 8).str.to_date("%Y%m%d")

    # Working-day ordinals: for every date the table covers, the working days from its
    # first 1st of January up to (not including) that date, by `business_day_count` from
    # that origin (always forwards), computed once per date; `plain` as polars counts
    # them, `fixed` with the make-up Saturdays it cannot see added back.
    origin = dt.date(min(d.year for d in holidays + makeups), 1, 1)
    dates = pl.date_range(origin, dt.date(max(d.year for d in holidays + makeups), 12, 31), eager=True)
    plain = pl.select(pl.business_day_count(pl.lit(origin), pl.lit(dates), holidays=holidays)).to_series()
    added = pl.Series([sum(1 for m in makeups if m < d) for d in dates], dtype=pl.Int32)
    ordinals = {False: plain, True: plain + added}

    def ordinal(c, fixed):
        return pl.lit(ordinals[fixed]).gather((c - pl.lit(origin)).dt.total_days())

    def flag(c):
        return pl.col(c) == "1"

    df = (
        pl.scan_csv(dossiers, infer_schema=False)
        .select(
            "DonViXuLy", "TrangThaiHoSo", "KenhThucHien", "NgayNopHoSo", "NgayTiepNhan",
            "NgayHenTra", "NgayKetThucXuLy", "NgayTra", "NgayYeuCauBoSung",
            "NgayTiepNhanBoSung", "DongBoDVCQG", "HoSoCoThanhPhanSoHoa",
            "TaiSuDungDuLieuSoHoa", "DuocLayTuKhoDMQG", "TaiKhoanDuocXacThucVoiVNeID",
            "SuDungDuLieuDanCu", "DuongDanTepTinKetQua", "TongPhiLePhi",
            "DuocThanhToanTrucTuyen", "PhanAnhKhongHaiLong",
        )
        .with_columns(
            status=pl.col("TrangThaiHoSo").cast(pl.Int8),
            receipt=pl.coalesce(day("NgayTiepNhan"), day("NgayNopHoSo")),
        )
        .filter(~pl.col("status").is_in([1, 3]) & pl.col("receipt").is_between(first, last))
        .with_columns(
            due=day("NgayHenTra"),
            end=pl.coalesce(day("NgayKetThucXuLy"), day("NgayTra")),
            # Supplement requests made by the last day, and the first one.
            n_req=pl.col("NgayYeuCauBoSung").str.split(";")
            .list.eval(pl.element().str.slice(0, 8) <= last_s).list.sum().fill_null(0),
            req1=pl.col("NgayYeuCauBoSung").str.slice(0, 8).str.to_date("%Y%m%d"),
            res1=pl.col("NgayTiepNhanBoSung").str.split(";").list.first()
            .str.slice(0, 8).str.to_date("%Y%m%d", strict=False),
        )
        .with_columns(
            done=pl.col("status").is_in([7, 8, 9, 10]) & (pl.col("end") <= last),
            back=(pl.col("n_req") == 1) & (pl.col("res1") <= last).fill_null(False),
        )
        .with_columns(
            [ordinal(pl.col(c), True).alias(f"w_{c}") for c in ["due", "end", "req1", "res1"]]
            + [ordinal(pl.col(c), False).alias(f"p_{c}") for c in ["due", "end", "req1", "res1"]]
        )
    )
    last_ordinal = {f: ordinals[f][(last - origin).days] for f in (False, True)}

    def working(c, fixed):
        """Working-day ordinal of column c (make-up Saturdays counted when `fixed`)."""
        return pl.col(f"w_{c}" if fixed else f"p_{c}")

    def outcome(fixed):
        """Index in OUTCOMES (early, on time, late, open not due, open overdue)."""
        # Pause in working days; the due date moves later by as many.
        k = pl.when("back").then(working("res1", fixed) - working("req1", fixed)).otherwise(0)
        x_end = working("end", fixed) - working("due", fixed) - k
        x_last = last_ordinal[fixed] - working("due", fixed) - k
        return (
            pl.when(pl.col("n_req") > 1)
            .then(pl.when("done").then(pl.lit(2)).otherwise(pl.lit(4)))
            .when((pl.col("n_req") == 1) & ~pl.col("back"))
            .then(
                pl.when(pl.col("req1") < pl.col("due")).then(pl.lit(0))
                .when(pl.col("req1") == pl.col("due")).then(pl.lit(1))
                .otherwise(pl.lit(2))
            )
            .when("done")
            .then(
                pl.when(x_end < 0).then(pl.lit(0))
                .when(x_end == 0).then(pl.lit(1))
                .otherwise(pl.lit(2))
            )
            .when(x_last > 0).then(pl.lit(4))
            .otherwise(pl.lit(3))
        ), k, x_end

    fixed, k, x_end = outcome(True)
    df = df.with_columns(outcome=fixed, outcome_plain=outcome(False)[0])
    on_time = pl.col("outcome").is_in([0, 1, 3])
    waiting = (pl.col("n_req") == 1) & ~pl.col("back")
    late_days = (
        pl.when(pl.col("n_req") > 1).then(0)
        .when(waiting & (pl.col("outcome") == 2))
        .then(working("req1", True) - working("due", True))
        .when(pl.col("done") & (pl.col("outcome") == 2))
        .then(x_end)
        .otherwise(0)
    )
    # Dossiers with a make-up Saturday inside an interval the judgement counted.
    def crosses(a, b):
        return (working(a, True) - working(b, True)) != (working(a, False) - working(b, False))

    last_crossed = (last_ordinal[True] - working("due", True)) != (last_ordinal[False] - working("due", False))
    crossed = (
        pl.when(pl.col("n_req") > 1).then(False)
        .when(waiting).then(crosses("req1", "due") & (pl.col("outcome") == 2))
        .otherwise(
            (pl.col("back") & crosses("res1", "req1"))
            | (pl.col("done") & crosses("end", "due"))
            | (~pl.col("done") & last_crossed)
        )
    )
    fee = pl.col("TongPhiLePhi").cast(pl.Decimal(38, 4)).fill_null(0) > 0
    has_receipt = pl.col("NgayTiepNhan").is_not_null()
    attached = pl.col("DuongDanTepTinKetQua").is_not_null()
    num_den = {
        "1.4": (flag("DongBoDVCQG"), True),
        "2.1": (on_time, True),
        "3.3": (pl.col("KenhThucHien") == "2", True),
        "3.6": (fee & pl.col("DuocThanhToanTrucTuyen").is_in(["1", "2"]), fee),
        "4.1": (attached, True),
        "4.2": (flag("HoSoCoThanhPhanSoHoa") & attached, True),
        "4.3": (has_receipt & flag("TaiSuDungDuLieuSoHoa"), has_receipt),
        "4.4": (has_receipt & flag("DuocLayTuKhoDMQG"), has_receipt),
        "4.5b": (flag("TaiKhoanDuocXacThucVoiVNeID") | flag("SuDungDuLieuDanCu"), True),
        "5.4": (on_time & ~flag("PhanAnhKhongHaiLong"), True),
    }

    def count(e):
        return e.fill_null(False).cast(pl.Int64).sum() if not isinstance(e, bool) else pl.len()

    aggs = [pl.len().alias("received")]
    aggs += [(pl.col("outcome") == i).sum().alias(o) for i, o in enumerate(OUTCOMES)]
    aggs += [pl.lit(0).alias("withdrawn_apart")]
    for code, (num, den) in num_den.items():
        aggs += [count(num).alias(f"n{code}"), count(den).alias(f"d{code}")]
    aggs += [
        late_days.sum().alias("late_working_days"),
        crossed.fill_null(False).sum().alias("makeup_dossiers"),
        (pl.col("outcome") != pl.col("outcome_plain")).sum().alias("makeup_changed"),
    ]
    leaves = df.group_by(pl.col("DonViXuLy").str.strip_chars().alias("unit")).agg(aggs).collect()

    # Roll-up: every code and each of its ancestors (prefixes at '.').
    parts = pl.col("unit").str.split(".")
    depth = leaves.select(parts.list.len().max()).item()
    levels = [
        leaves.filter(parts.list.len() >= d).with_columns(unit=parts.list.head(d).list.join("."))
        for d in range(1, depth + 1)
    ]
    numeric = [c for c in leaves.columns if c != "unit"]
    table = (
        pl.concat(levels).group_by("unit").agg(pl.col(numeric).sum()).sort("unit")
    )
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["unit"] + SHARED + EXTRA)
        for r in table.iter_rows(named=True):
            w.writerow(
                [r["unit"]]
                + [r[c] for c in ["received"] + OUTCOMES + ["withdrawn_apart"]]
                + [f"{r['n' + c]}/{r['d' + c]}" for c in INDICATORS]
                + [r[c] for c in EXTRA]
            )
    totals = table.filter(pl.col("unit").str.contains(r"\.").not_())
    s = totals.select(pl.col("received", "makeup_dossiers", "makeup_changed").sum()).row(0)
    print(
        f"peer: {len(table)} units, {s[0]} dossiers received in {period}; "
        f"{s[1]} with a make-up Saturday in a counted interval, "
        f"{s[2]} of them judged differently without the correction",
        file=sys.stderr,
    )


def compare(chiso_path, peer_path):
    def load(path):
        with open(path, encoding="utf-8") as f:
            return {r["unit"]: r for r in csv.DictReader(f)}

    a, b = load(chiso_path), load(peer_path)
    problems = []
    for u in sorted(set(a) | set(b)):
        if u not in a or u not in b:
            problems.append(f"unit {u}: only in {'chiso' if u in a else 'peer'}")
            continue
        for c in SHARED:
            if a[u][c] != b[u][c]:
                problems.append(f"unit {u}, {c}: chiso {a[u][c]}, peer {b[u][c]}")
    for p in problems[:20]:
        print(p, file=sys.stderr)
    if problems:
        print(f"MISMATCH: {len(problems)} differences over {len(a)} units", file=sys.stderr)
        return 1
    print(f"equal: {len(a)} units × {len(SHARED)} columns", file=sys.stderr)
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "run":
        run(*sys.argv[2:])
    elif len(sys.argv) == 4 and sys.argv[1] == "compare":
        sys.exit(compare(*sys.argv[2:]))
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
