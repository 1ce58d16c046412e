//! `chiso plan`: the least-cost improvements reaching a target, and the table of
//! points still available (`--available`).

use crate::commands::{assessment_or_exit, index_or_exit, out_exit, report, INVALID, USAGE};
use crate::report::{align_right, new_table, num2, or_dash, rounding_note};
use crate::whatif::OutFormat;
use chiso::batch::{read_units, BatchError, InputFormat, Options};
use chiso::planner::{self, Costs, Headroom, OutsideControl, Plan, Rivals, Target};
use chiso::{Decimal, Diagnostics, Lang, View};
use clap::Args;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `chiso plan`.
#[derive(Debug, Args)]
#[command(after_help = "\
Give exactly one target (or --available for the points-still-available table):
  --target 90%        the index percent, at least
  --target-points 85  the total after bonus and penalty, at least
  --target-band A     this band or better (its lower bound)
  --target-rank 5     this rank or better within --batch (same block)
Each step of a leaf costs 1 unless --costs (chiso.costs/1) says otherwise. The plan is
exact and optimal (least total cost; among equal costs, the most points).
json: format \"chiso.plan/1\" or \"chiso.headroom/1\" (schemas: `chiso schema plan`, `chiso schema headroom`).
Exit codes: 0 ok (also when the target is out of reach: the output says by how much),
1 invalid input, 2 usage.")]
pub struct PlanArgs {
    /// Index definition.
    pub index: PathBuf,
    /// Assessment of the unit.
    pub assessment: PathBuf,
    /// Target index percent, e.g. 90% or 90.
    #[arg(long)]
    pub target: Option<String>,
    /// Target total points.
    #[arg(long)]
    pub target_points: Option<Decimal>,
    /// Target band code.
    #[arg(long)]
    pub target_band: Option<String>,
    /// Target rank within the batch.
    #[arg(long, requires = "batch")]
    pub target_rank: Option<u32>,
    /// The other units (CSV or JSON lines, as for `chiso batch`), for --target-rank.
    #[arg(long)]
    pub batch: Option<PathBuf>,
    /// Costs per step and leaf (`chiso.costs/1`).
    #[arg(long)]
    pub costs: Option<PathBuf>,
    /// Print the points still available per leaf instead of a plan.
    #[arg(long)]
    pub available: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: OutFormat,
    /// Which layers are scored: self, appraised or final.
    #[arg(long, default_value = "final")]
    pub layer: View,
}

fn usage(lang: Lang, vi: &str, en: &str) -> ExitCode {
    eprintln!("{}", lang.pick(vi, en));
    ExitCode::from(USAGE)
}

fn target(args: &PlanArgs, lang: Lang) -> Result<Target, ExitCode> {
    let mut ts = Vec::new();
    if let Some(t) = &args.target {
        let s = t.trim().trim_end_matches('%').trim();
        match s.parse::<Decimal>() {
            Ok(v) => ts.push(Target::Percent { value: v }),
            Err(_) => {
                return Err(usage(
                    lang,
                    "--target cần một tỷ lệ phần trăm, ví dụ 90%",
                    "--target needs a percent, e.g. 90%",
                ))
            }
        }
    }
    if let Some(v) = args.target_points {
        ts.push(Target::Points { value: v });
    }
    if let Some(b) = &args.target_band {
        ts.push(Target::Band { code: b.clone() });
    }
    if let Some(r) = args.target_rank {
        if r == 0 {
            return Err(usage(lang, "hạng bắt đầu từ 1", "ranks start at 1"));
        }
        ts.push(Target::Rank { rank: r });
    }
    if ts.len() != 1 {
        return Err(usage(
            lang,
            "cần đúng một mục tiêu: --target, --target-points, --target-band hoặc --target-rank (hoặc --available)",
            "give exactly one target: --target, --target-points, --target-band or --target-rank (or --available)",
        ));
    }
    Ok(ts.remove(0))
}

/// Runs `chiso plan`.
pub fn run(args: &PlanArgs, lang: Lang) -> ExitCode {
    let t = if args.available {
        None
    } else {
        match target(args, lang) {
            Ok(t) => Some(t),
            Err(c) => return c,
        }
    };
    let index = match index_or_exit(&args.index, lang) {
        Ok(i) => i,
        Err(c) => return c,
    };
    let a = match assessment_or_exit(&args.assessment, lang) {
        Ok(a) => a,
        Err(c) => return c,
    };
    let costs = match &args.costs {
        None => Costs::default(),
        Some(p) => {
            let parsed = chiso::load::read_file(p)
                .and_then(|text| Costs::parse(&text))
                .and_then(|c| {
                    let d = c.check(&index);
                    if d.has_errors() {
                        Err(d)
                    } else {
                        Ok(c)
                    }
                });
            match parsed {
                Ok(c) => c,
                Err(d) => {
                    report(&d.in_file(&p.display().to_string()), lang);
                    return ExitCode::from(INVALID);
                }
            }
        }
    };
    let rivals = match &args.batch {
        None => None,
        Some(p) => match read_rivals(&index, &a, p, args.layer, lang) {
            Ok(r) => Some(r),
            Err(c) => return c,
        },
    };
    let a_name = args.assessment.display().to_string();
    // Problems are the assessment's, except those of the target (a flag, not a file).
    let flag = match (&args.target, &args.target_points, &args.target_band) {
        (Some(_), _, _) => "--target",
        (_, Some(_), _) => "--target-points",
        (_, _, Some(_)) => "--target-band",
        _ => "--target-rank",
    };
    let costs_name = args.costs.as_ref().map(|p| p.display().to_string());
    let fail = |d: Diagnostics| {
        let d = Diagnostics(
            d.0.into_iter()
                .map(|mut x| {
                    if x.path == planner::TARGET_PATH {
                        x.path = flag.into();
                        x
                    } else if x.file.as_deref() == Some(planner::COSTS_FILE) {
                        x.file = Some(costs_name.clone().unwrap_or_else(|| "--costs".into()));
                        x
                    } else {
                        x.in_file(&a_name)
                    }
                })
                .collect(),
        );
        report(&d, lang);
        ExitCode::from(INVALID)
    };
    let text = match t {
        None => match planner::headroom(&index, &a, args.layer, &costs) {
            Ok(h) => match args.format {
                OutFormat::Json => json(&h),
                OutFormat::Table => headroom_table(&h, lang),
            },
            Err(d) => return fail(d),
        },
        Some(t) => {
            match planner::plan_with_rivals(&index, &a, args.layer, &t, &costs, rivals.as_ref()) {
                Ok(p) => match args.format {
                    OutFormat::Json => json(&p),
                    OutFormat::Table => plan_table(&p, lang),
                },
                Err(d) => return fail(d),
            }
        }
    };
    out_exit(&text, lang)
}

/// The other units of `--batch`, as a rank target needs them: read by `chiso batch`'s
/// reader (the same limits, checks, messages and row numbers; a repeated unit is a
/// warning) and streamed — only each unit of the planned unit's block leaves its total
/// and applicable maximum behind. In the final view the batch's own scores are used;
/// another view scores each unit of the block in that view.
fn read_rivals(
    index: &chiso::Index,
    a: &chiso::Assessment,
    path: &Path,
    view: View,
    lang: Lang,
) -> Result<Rivals, ExitCode> {
    let file = match open_batch(path) {
        Ok(f) => f,
        Err(d) => {
            report(&d, lang);
            return Err(ExitCode::from(INVALID));
        }
    };
    let source = path.display().to_string();
    let opts = Options {
        lang,
        source: source.clone(),
        ..Options::default()
    };
    let mut rivals = Rivals::for_unit(a);
    let mut errors = Diagnostics::default();
    // The final view is the batch's own: its totals, no assessment. Another view scores
    // each unit of the block in that view.
    let final_view = view == View::Final;
    let read = read_units(
        index,
        std::io::BufReader::with_capacity(1 << 20, file),
        InputFormat::from_path(path),
        &opts,
        !final_view,
        |u| {
            let (total, max) = match &u.assessment {
                Some(a) if !final_view && rivals.wants(&u.name, u.block.as_deref()) => {
                    match index.score(a, view) {
                        Ok(r) => (r.total.achieved, r.total.applicable_max),
                        Err(d) => {
                            for mut x in d.0 {
                                x.path = format!("{} {}: {}", row_word(lang), u.line, x.path);
                                errors.push(x.in_file(&source));
                            }
                            (None, None)
                        }
                    }
                }
                _ => (u.scored.total, u.scored.max),
            };
            rivals.push(&u.name, u.block.as_deref(), total, max);
            std::ops::ControlFlow::Continue(())
        },
    );
    match read {
        Ok(r) => {
            if r.warning_count > 0 {
                eprintln!("{}", r.render_warnings(&source, lang));
            }
        }
        Err(e @ BatchError::Input { .. }) => {
            eprintln!("{}", e.render());
            return Err(ExitCode::from(INVALID));
        }
        Err(BatchError::Io(e)) => {
            eprintln!("{source}: {e}");
            return Err(ExitCode::from(INVALID));
        }
    }
    if errors.has_errors() {
        report(&errors, lang);
        return Err(ExitCode::from(INVALID));
    }
    Ok(rivals)
}

/// Opens a batch file for streaming: a folder or a missing file is a located error.
pub(crate) fn open_batch(path: &Path) -> Result<std::fs::File, Diagnostics> {
    let fail = |detail: String| {
        Diagnostics(vec![chiso::Diagnostic::error(
            "$",
            None,
            chiso::Problem::Io { detail },
        )
        .in_file(path.display().to_string())])
    };
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => Err(fail("Is a directory".into())),
        Ok(_) => std::fs::File::open(path).map_err(|e| fail(e.to_string())),
        Err(e) => Err(fail(e.to_string())),
    }
}

fn row_word(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => "dòng",
        Lang::En => "row",
    }
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string_pretty(v)
        .map(|s| s + "\n")
        .unwrap_or_default()
}

fn target_words(t: &Target, lang: Lang) -> String {
    match (t, lang) {
        (Target::Percent { value }, Lang::Vi) => {
            format!("đạt từ {}% trở lên", chiso::display::plain(*value, lang))
        }
        (Target::Percent { value }, Lang::En) => {
            format!("reach {}% or more", chiso::display::plain(*value, lang))
        }
        (Target::Points { value }, Lang::Vi) => {
            format!(
                "đạt từ {} điểm trở lên",
                chiso::display::plain(*value, lang)
            )
        }
        (Target::Points { value }, Lang::En) => {
            format!(
                "reach {} points or more",
                chiso::display::plain(*value, lang)
            )
        }
        (Target::Band { code }, Lang::Vi) => format!("đạt xếp loại {code} trở lên"),
        (Target::Band { code }, Lang::En) => format!("reach band {code} or better"),
        (Target::Rank { rank }, Lang::Vi) => format!("đạt hạng {rank} trở lên"),
        (Target::Rank { rank }, Lang::En) => format!("reach rank {rank} or better"),
    }
}

/// The readable plan.
pub fn plan_table(p: &Plan, lang: Lang) -> String {
    let mut s = String::new();
    let cmp = if p.strict { ">" } else { "≥" };
    s.push_str(&match lang {
        Lang::Vi => format!(
            "Đơn vị: {}; mục tiêu: {} (tổng điểm {cmp} {})\nHiện tại: {} điểm, {}%, xếp loại {}\n",
            p.unit,
            target_words(&p.target, lang),
            num2(Some(p.required_total), lang),
            num2(p.baseline.total, lang),
            num2(p.baseline.percent, lang),
            or_dash(&p.baseline.band)
        ),
        Lang::En => format!(
            "Unit: {}; target: {} (total {cmp} {})\nNow: {} points, {}%, band {}\n",
            p.unit,
            target_words(&p.target, lang),
            num2(Some(p.required_total), lang),
            num2(p.baseline.total, lang),
            num2(p.baseline.percent, lang),
            or_dash(&p.baseline.band)
        ),
    });
    if p.already_met {
        s.push_str(match lang {
            Lang::Vi => "Mục tiêu đã đạt; không cần cải thiện.\n",
            Lang::En => "The target is met already; nothing to improve.\n",
        });
        s.push_str(&outside_table(&p.outside_control, lang));
        return s;
    }
    if !p.reached {
        s.push_str(&match lang {
            Lang::Vi => format!(
                "KHÔNG THỂ ĐẠT mục tiêu: kể cả khi thực hiện mọi cải thiện có thể, tổng điểm chỉ đạt {} ({}%), còn thiếu {} điểm.\n",
                num2(p.result.total, lang),
                num2(p.result.percent, lang),
                num2(p.shortfall, lang)
            ),
            Lang::En => format!(
                "OUT OF REACH: even with every possible improvement the total is {} ({}%), {} points short.\n",
                num2(p.result.total, lang),
                num2(p.result.percent, lang),
                num2(p.shortfall, lang)
            ),
        });
    }
    let mut t = new_table(match lang {
        Lang::Vi => vec!["Mã", "Cải thiện", "Bước", "Chi phí", "Điểm", "Tổng +"],
        Lang::En => vec!["Code", "Improvement", "Steps", "Cost", "Points", "Total +"],
    });
    for st in &p.steps {
        t.add_row(vec![
            st.code.clone(),
            format!("{}: {}", st.title.get(lang), st.action.get(lang)),
            st.steps.to_string(),
            chiso::display::plain(st.cost, lang),
            format!(
                "{} → {}",
                num2(Some(st.from_points), lang),
                num2(Some(st.to_points), lang)
            ),
            num2(Some(st.total_gain), lang),
        ]);
    }
    align_right(&mut t, 2..=5);
    s.push_str(&format!("{t}\n"));
    s.push_str(&match lang {
        Lang::Vi => format!(
            "Tổng chi phí: {}; sau cải thiện: {} điểm, {}%, xếp loại {}\n",
            chiso::display::plain(p.cost, lang),
            num2(p.result.total, lang),
            num2(p.result.percent, lang),
            or_dash(&p.result.band)
        ),
        Lang::En => format!(
            "Total cost: {}; after: {} points, {}%, band {}\n",
            chiso::display::plain(p.cost, lang),
            num2(p.result.total, lang),
            num2(p.result.percent, lang),
            or_dash(&p.result.band)
        ),
    });
    if p.method == planner::Method::BranchAndBoundStopped {
        s.push_str(match lang {
            Lang::Vi => "Lưu ý: bài toán quá lớn để chứng minh kế hoạch là rẻ nhất (dừng tìm sau 50.000.000 bước); đây là kế hoạch rẻ nhất đã tìm được.\n",
            Lang::En => "Note: the problem is too large to prove this plan the cheapest (the search stopped after 50,000,000 nodes); it is the cheapest plan found.\n",
        });
    }
    s.push_str(&outside_table(&p.outside_control, lang));
    s.push_str(rounding_note(lang));
    s.push('\n');
    s
}

/// The separate list of survey-fed leaves outside the unit's control (empty when
/// there are none): never part of the plan's cost or total.
pub fn outside_table(rows: &[OutsideControl], lang: Lang) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let mut t = new_table(match lang {
        Lang::Vi => vec![
            "Mã",
            "Tiêu chí",
            "Điểm",
            "Tối đa",
            "Còn lại",
            "Tổng +",
            "Bước tiếp theo",
        ],
        Lang::En => vec![
            "Code",
            "Criterion",
            "Points",
            "Max",
            "Available",
            "Total +",
            "Next step",
        ],
    });
    for r in rows {
        t.add_row(vec![
            r.code.clone(),
            r.title.get(lang).to_owned(),
            num2(Some(r.points), lang),
            num2(Some(r.max), lang),
            num2(Some(r.available), lang),
            num2(Some(r.total_available), lang),
            r.next
                .as_ref()
                .map(|n| n.action.get(lang).to_owned())
                .unwrap_or_else(|| "—".into()),
        ]);
    }
    align_right(&mut t, 2..=5);
    let head = match lang {
        Lang::Vi => "Ngoài tầm kiểm soát của đơn vị (kết quả điều tra; không tính vào chi phí và tổng điểm của kế hoạch):\n",
        Lang::En => "Outside the unit's control (survey results; not counted in the plan's cost or total):\n",
    };
    format!("{head}{t}\n")
}

/// The readable points-still-available table.
pub fn headroom_table(h: &Headroom, lang: Lang) -> String {
    let mut t = new_table(match lang {
        Lang::Vi => vec![
            "Mã",
            "Tiêu chí",
            "Điểm",
            "Tối đa",
            "Còn lại",
            "Tổng +",
            "Bước tiếp theo",
            "Khoảng cách",
        ],
        Lang::En => vec![
            "Code",
            "Criterion",
            "Points",
            "Max",
            "Available",
            "Total +",
            "Next step",
            "Distance",
        ],
    });
    for r in &h.rows {
        let next = match &r.next {
            Some(n) => n.action.get(lang).to_owned(),
            None => match lang {
                Lang::Vi => "— (ngoài tầm đơn vị: điều tra/điểm cung cấp, hoặc cố định)".into(),
                Lang::En => "— (not in the unit's hands: survey/supplied score, or fixed)".into(),
            },
        };
        t.add_row(vec![
            r.code.clone(),
            r.title.get(lang).to_owned(),
            num2(Some(r.points), lang),
            num2(Some(r.max), lang),
            num2(Some(r.available), lang),
            num2(Some(r.total_available), lang),
            next,
            r.next
                .as_ref()
                .and_then(|n| n.distance.as_ref())
                .map(|d| d.get(lang).to_owned())
                .unwrap_or_default(),
        ]);
    }
    align_right(&mut t, 2..=5);
    let head = match lang {
        Lang::Vi => format!(
            "Đơn vị: {}; hiện tại {} điểm, {}%, xếp loại {}. Điểm còn có thể đạt, theo tiêu chí:\n",
            h.unit,
            num2(h.baseline.total, lang),
            num2(h.baseline.percent, lang),
            or_dash(&h.baseline.band)
        ),
        Lang::En => format!(
            "Unit: {}; now {} points, {}%, band {}. Points still available, per criterion:\n",
            h.unit,
            num2(h.baseline.total, lang),
            num2(h.baseline.percent, lang),
            or_dash(&h.baseline.band)
        ),
    };
    format!(
        "{head}{t}\n{}{}\n",
        outside_table(&h.outside_control, lang),
        rounding_note(lang)
    )
}
