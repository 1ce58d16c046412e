//! `chiso whatif`: apply scenario files to a base and compare with the baseline.

use crate::commands::{index_or_exit, load_assessment, out_exit, report, INVALID, USAGE};
use crate::report::{align_right, new_table, num2, or_dash, rounding_note};
use chiso::batch::{read_units, BatchError, InputFormat, Options};
use chiso::scenario::{self, Base, BaseRef, Scenario, WhatIf};
use chiso::{Decimal, Diagnostics, Lang};
use clap::{Args, ValueEnum};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Output formats of `whatif` and `plan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutFormat {
    /// Readable table.
    Table,
    /// JSON (exact decimals as strings).
    Json,
}

/// Arguments of `chiso whatif`.
#[derive(Debug, Args)]
#[command(after_help = "\
The base (an assessment, a batch of units, or an inline assessment) is named by the first
scenario that has one. A file named inside a scenario (\"base\": {\"assessment\": …} or
{\"units\": …}) is found relative to the folder of that scenario file, wherever chiso is
run from (an absolute path is used as given), so a scenario and its files move together
and never need `..`. A batch of units is read as `chiso batch` reads it (same checks and
messages), at most 250,000 units × criteria. Scenarios are applied in the order given. Every override is checked: unknown codes, values the rule cannot take and
overrides that change nothing are errors (exit code 1).
json: format \"chiso.whatif/1\" (schema: `chiso schema whatif`).
Exit codes: 0 ok, 1 invalid input (messages on stderr), 2 usage.")]
pub struct WhatIfArgs {
    /// Index definition.
    pub index: PathBuf,
    /// Scenario files (`chiso.scenario/1`), applied in order.
    #[arg(required = true)]
    pub scenarios: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: OutFormat,
    /// Table: list every node, not only the changed ones.
    #[arg(long)]
    pub all: bool,
}

fn name(p: &Path) -> String {
    p.display().to_string()
}

fn load_scenario(p: &Path) -> Result<Scenario, Diagnostics> {
    let text = chiso::load::read_file(p)?;
    scenario::parse(&text).map_err(|d| d.in_file(&name(p)))
}

/// Resolves a base reference relative to the folder of the scenario file `from` that
/// names it (an absolute path is used as given); problems are reported on stderr. A
/// batch of units is read by `chiso batch`'s reader (same limits, checks, messages and
/// row numbers; a repeated unit is a warning) and held up to
/// [`chiso::limits::MAX_WHATIF_CELLS`] units × criteria.
pub(crate) fn resolve_base(
    index: &chiso::Index,
    base: &BaseRef,
    from: &Path,
    lang: Lang,
) -> Result<Base, ExitCode> {
    let dir = from.parent().unwrap_or_else(|| Path::new("."));
    let fail = |d: Diagnostics| {
        report(&d, lang);
        ExitCode::from(INVALID)
    };
    match base {
        BaseRef::Inline(a) => Ok(Base::Assessment(a.clone())),
        BaseRef::Assessment(p) => {
            let path = dir.join(p);
            load_assessment(&path)
                .map(|a| Base::Assessment(Box::new(a)))
                .map_err(fail)
        }
        BaseRef::Units(p) => {
            let path = dir.join(p);
            let file = crate::plan::open_batch(&path).map_err(fail)?;
            let source = name(&path);
            let opts = Options {
                lang,
                source: source.clone(),
                ..Options::default()
            };
            let nodes = index.nodes().len() as u64;
            let most = (chiso::limits::MAX_WHATIF_CELLS / nodes.max(1)) as usize;
            let mut units = Vec::new();
            let mut too_many = false;
            let read = read_units(
                index,
                std::io::BufReader::with_capacity(1 << 20, file),
                InputFormat::from_path(&path),
                &opts,
                true,
                |u| {
                    if units.len() == most {
                        too_many = true;
                        return ControlFlow::Break(());
                    }
                    units.extend(u.assessment);
                    ControlFlow::Continue(())
                },
            );
            match read {
                // Past the limit nothing is compared: the limit alone is reported.
                Ok(r) if r.warning_count > 0 && !too_many => {
                    eprintln!("{}", r.render_warnings(&source, lang))
                }
                Ok(_) => {}
                Err(e @ BatchError::Input { .. }) => {
                    eprintln!("{}", e.render());
                    return Err(ExitCode::from(INVALID));
                }
                Err(BatchError::Io(e)) => {
                    eprintln!("{source}: {e}");
                    return Err(ExitCode::from(INVALID));
                }
            }
            if too_many {
                return Err(fail(Diagnostics(vec![chiso::Diagnostic::error(
                    "$",
                    None,
                    chiso::Problem::LimitExceeded {
                        what: scenario::WHATIF_CELLS_WHAT.into(),
                        limit: chiso::limits::MAX_WHATIF_CELLS,
                        found: None,
                        unit: String::new(),
                    },
                )
                .in_file(&source)])));
            }
            Ok(Base::Units(units))
        }
    }
}

/// Runs `chiso whatif`.
pub fn run(args: &WhatIfArgs, lang: Lang) -> ExitCode {
    let index = match index_or_exit(&args.index, lang) {
        Ok(i) => i,
        Err(c) => return c,
    };
    let mut list = Vec::new();
    let mut errors = Diagnostics::default();
    for p in &args.scenarios {
        match load_scenario(p) {
            Ok(s) => list.push((p.clone(), s)),
            Err(d) => errors.0.extend(d.0),
        }
    }
    if !errors.is_empty() {
        report(&errors, lang);
        return ExitCode::from(INVALID);
    }
    let Some((from, base_ref)) = list
        .iter()
        .find_map(|(p, s)| s.base.as_ref().map(|b| (p.clone(), b.clone())))
    else {
        eprintln!(
            "{}",
            match lang {
                Lang::Vi => "không kịch bản nào nêu dữ liệu gốc (trường \"base\")",
                Lang::En => "no scenario names a base (field \"base\")",
            }
        );
        return ExitCode::from(USAGE);
    };
    for (p, s) in &list {
        if let Some(b) = &s.base {
            if *b != base_ref {
                eprintln!(
                    "{}: {}",
                    name(p),
                    match lang {
                        Lang::Vi => "kịch bản nêu dữ liệu gốc khác với kịch bản đầu tiên; các kịch bản ghép nối phải dùng cùng một dữ liệu gốc",
                        Lang::En => "this scenario names another base than the first one; composed scenarios must share one base",
                    }
                );
                return ExitCode::from(USAGE);
            }
        }
    }
    let base = match resolve_base(&index, &base_ref, &from, lang) {
        Ok(b) => b,
        Err(c) => return c,
    };
    let scenarios: Vec<Scenario> = list.iter().map(|(_, s)| s.clone()).collect();
    let w = match scenario::run(&index, base, &scenarios) {
        Ok(w) => w,
        Err(d) => {
            // Name the scenario file each problem is in.
            let d = Diagnostics(
                d.0.into_iter()
                    .map(|mut x| {
                        if let Some(f) = x.file.as_deref() {
                            if let Some(k) = f
                                .strip_prefix("scenario ")
                                .and_then(|k| k.parse::<usize>().ok())
                            {
                                x.file = list.get(k - 1).map(|(p, _)| name(p));
                            }
                        } else if list.len() == 1 && x.path.starts_with("$.") {
                            x.file = Some(name(&list[0].0));
                        }
                        x
                    })
                    .collect(),
            );
            report(&d, lang);
            return ExitCode::from(INVALID);
        }
    };
    match args.format {
        OutFormat::Json => match serde_json::to_string_pretty(&w) {
            Ok(s) => out_exit(&format!("{s}\n"), lang),
            Err(e) => {
                eprintln!("{e}");
                ExitCode::from(INVALID)
            }
        },
        OutFormat::Table => out_exit(&table(&w, args.all, lang), lang),
    }
}

fn signed(d: Option<Decimal>, lang: Lang) -> String {
    match d {
        Some(x) if x > Decimal::ZERO => format!("+{}", num2(Some(x), lang)),
        Some(x) if x < Decimal::ZERO => format!("−{}", num2(Some(-x), lang)),
        Some(_) => "0".into(),
        None => "—".into(),
    }
}

fn rank(r: Option<u32>) -> String {
    r.map(|r| r.to_string()).unwrap_or_else(|| "—".into())
}

/// The readable what-if table.
pub fn table(w: &WhatIf, all: bool, lang: Lang) -> String {
    let mut s = String::new();
    let titles: Vec<String> = w
        .scenarios
        .iter()
        .enumerate()
        .map(|(i, t)| {
            t.as_ref()
                .map(|t| t.get(lang).to_owned())
                .unwrap_or_else(|| format!("#{}", i + 1))
        })
        .collect();
    s.push_str(&match lang {
        Lang::Vi => format!(
            "Kịch bản: {} ({} thay đổi), bộ chỉ số \"{}\"\n",
            titles.join(" → "),
            w.overrides,
            w.index
        ),
        Lang::En => format!(
            "Scenario: {} ({} override{}), index \"{}\"\n",
            titles.join(" → "),
            w.overrides,
            if w.overrides == 1 { "" } else { "s" },
            w.index
        ),
    });
    let batch = w.units.len() > 1 || w.units.iter().any(|u| u.baseline.rank.is_some());
    if batch {
        let mut t = new_table(match lang {
            Lang::Vi => vec![
                "Đơn vị",
                "Khối",
                "Tổng gốc",
                "Tổng mới",
                "Chênh lệch",
                "% gốc",
                "% mới",
                "Xếp loại",
                "Hạng gốc",
                "Hạng mới",
                "Thay đổi hạng",
            ],
            Lang::En => vec![
                "Unit",
                "Block",
                "Baseline",
                "Scenario",
                "Delta",
                "% before",
                "% after",
                "Band",
                "Rank before",
                "Rank after",
                "Rank change",
            ],
        });
        for u in &w.units {
            t.add_row(vec![
                u.unit.clone(),
                or_dash(&u.block),
                num2(u.baseline.total, lang),
                num2(u.scenario.total, lang),
                signed(u.delta, lang),
                num2(u.baseline.percent, lang),
                num2(u.scenario.percent, lang),
                if u.band_changed {
                    format!(
                        "{} → {}",
                        or_dash(&u.baseline.band),
                        or_dash(&u.scenario.band)
                    )
                } else {
                    or_dash(&u.scenario.band)
                },
                rank(u.baseline.rank),
                rank(u.scenario.rank),
                match u.rank_change {
                    Some(c) if c > 0 => format!("↑{c}"),
                    Some(c) if c < 0 => format!("↓{}", -c),
                    Some(_) => "=".into(),
                    None => "—".into(),
                },
            ]);
        }
        align_right(&mut t, 2..=6);
        s.push_str(&format!("{t}\n"));
    }
    for u in &w.units {
        if batch && !u.nodes.iter().any(|n| n.changed) {
            continue;
        }
        if batch {
            s.push_str(&format!("\n{}\n", u.unit));
        }
        let mut t = new_table(match lang {
            Lang::Vi => vec![
                "Mã",
                "Tiêu chí",
                "Điểm gốc",
                "Điểm mới",
                "Chênh lệch",
                "% gốc",
                "% mới",
            ],
            Lang::En => vec![
                "Code",
                "Criterion",
                "Baseline",
                "Scenario",
                "Delta",
                "% before",
                "% after",
            ],
        });
        for n in u.nodes.iter().filter(|n| all || n.changed) {
            t.add_row(vec![
                format!("{}{}", "  ".repeat(n.depth.saturating_sub(1)), n.code),
                n.title.get(lang).to_owned(),
                num2(n.baseline, lang),
                num2(n.scenario, lang),
                signed(n.delta, lang),
                num2(n.baseline_percent, lang),
                num2(n.scenario_percent, lang),
            ]);
        }
        t.add_row(vec![
            "total".to_owned(),
            match lang {
                Lang::Vi => "Tổng điểm".into(),
                Lang::En => "Total".into(),
            },
            num2(u.baseline.total, lang),
            num2(u.scenario.total, lang),
            signed(u.delta, lang),
            num2(u.baseline.percent, lang),
            num2(u.scenario.percent, lang),
        ]);
        align_right(&mut t, 2..=6);
        s.push_str(&format!("{t}\n"));
        if !batch {
            s.push_str(&match lang {
                Lang::Vi => format!(
                    "Xếp loại: {} → {}{}\n",
                    or_dash(&u.baseline.band),
                    or_dash(&u.scenario.band),
                    if u.band_changed {
                        ""
                    } else {
                        " (không đổi)"
                    }
                ),
                Lang::En => format!(
                    "Band: {} → {}{}\n",
                    or_dash(&u.baseline.band),
                    or_dash(&u.scenario.band),
                    if u.band_changed { "" } else { " (unchanged)" }
                ),
            });
        }
    }
    s.push_str(rounding_note(lang));
    s.push('\n');
    s
}
