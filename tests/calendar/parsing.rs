//! Reading local times: the accepted forms, refusals and their messages.

use super::*;

#[test]
fn parse_accepted_forms() {
    let t = at(2026, 2, 16, 8, 30);
    let with_s = d(2026, 2, 16).and_hms_opt(8, 30, 15).unwrap();
    for (text, want, has_time) in [
        ("20260216083000", t, true),
        (
            "20260216",
            d(2026, 2, 16).and_hms_opt(0, 0, 0).unwrap(),
            false,
        ),
        (
            "2026-02-16",
            d(2026, 2, 16).and_hms_opt(0, 0, 0).unwrap(),
            false,
        ),
        ("2026-02-16 08:30", t, true),
        ("2026-02-16 08:30:15", with_s, true),
        ("2026-02-16T08:30", t, true),
        ("2026-02-16T08:30:15", with_s, true),
        ("2026-02-16T08:30:00+07:00", t, true),
        ("2026-02-16T01:30:00Z", t, true),
        ("2026-02-15T20:30:00-05:00", t, true), // 20:30 − (−5 h) = 01:30 UTC → 08:30
        (
            "16/02/2026",
            d(2026, 2, 16).and_hms_opt(0, 0, 0).unwrap(),
            false,
        ),
        (
            "16/2/2026",
            d(2026, 2, 16).and_hms_opt(0, 0, 0).unwrap(),
            false,
        ),
        ("16/02/2026 08:30", t, true),
        ("  16/02/2026 08:30:15\t", with_s, true),
    ] {
        let got = parse_local_time(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!((got.at, got.has_time), (want, has_time), "{text}");
    }
    let ms = parse_local_time("2026-02-16T08:30:15.250Z").unwrap().at;
    assert_eq!(
        ms,
        d(2026, 2, 16).and_hms_milli_opt(15, 30, 15, 250).unwrap()
    );
    // An offset can move the date.
    assert_eq!(
        parse_local_time("2025-12-31T20:00:00Z").unwrap().at,
        at(2026, 1, 1, 3, 0)
    );
}

#[test]
fn parse_refusals() {
    let p = |s: &str| parse_local_time(s).unwrap_err().problem();
    assert_eq!(p(""), TimeParseProblem::Empty);
    assert_eq!(p("   "), TimeParseProblem::Empty);
    for s in [
        "16-02-2026",
        "2026/02/16",
        "202602160830",
        "2026-02-16 8:30",
        "2026-02-16T08:30:00+0700",
        "2026-02-16 08:30:00Z",
        "2026-02-16T08:30:00.",
        "2026-02-16T08:30:00.1234567890",
        "16/02/26",
        "hôm nay",
        "2026-02-16T08:30:00+07:00 ",
    ] {
        if s.ends_with(' ') {
            continue; // trimmed: accepted
        }
        assert_eq!(p(s), TimeParseProblem::Format, "{s}");
    }
    assert_eq!(p("30/02/2026"), TimeParseProblem::NoSuchDate);
    assert_eq!(p("20260230"), TimeParseProblem::NoSuchDate);
    assert_eq!(p("2026-02-16 24:00"), TimeParseProblem::NoSuchTime);
    assert_eq!(p("20260216086100"), TimeParseProblem::NoSuchTime);
    assert_eq!(p("2026-02-16T08:30:60"), TimeParseProblem::NoSuchTime);
    assert_eq!(p("2026-02-16T08:30+24:00"), TimeParseProblem::BadOffset);
    // The offset may move a date past year 9999: still a date.
    assert_eq!(
        parse_local_time("9999-12-31T23:00-12:00").unwrap().at,
        d(10000, 1, 1).and_hms_opt(18, 0, 0).unwrap()
    );

    let long =
        parse_local_time("ngày \"mười sáu\"\ttháng hai năm hai nghìn không trăm hai mươi sáu")
            .unwrap_err();
    assert_eq!(long.code(), "calendar_unreadable_time");
    let text = format!(
        "{}\n{}\n{}\n{}",
        long.message(Lang::Vi),
        long.message(Lang::En),
        parse_local_time("30/02/2026")
            .unwrap_err()
            .message(Lang::Vi),
        long.to_diagnostic(chiso::diagnostics::Location::row(3).column("NgayTiepNhan"))
            .message(Lang::En),
    );
    // Snapshots live beside the other calendar snapshots (tests/snapshots/).
    insta::with_settings!({ snapshot_path => "../snapshots" }, {
        insta::assert_snapshot!("unreadable_time", text);
    });
}
