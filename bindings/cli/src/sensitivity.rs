//! `chiso sensitivity`: rank intervals under uncertain weights, inputs and
//! aggregations, and variance-based sensitivity indices.

use chiso::sensitivity::{self, Report, RunOptions, Units};
use chiso::Lang;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Output formats of `chiso sensitivity`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutFormat {
    /// Aligned text tables.
    Table,
    /// One JSON document (`chiso.sensitivity-result/1`).
    Json,
}

/// Arguments of `chiso sensitivity`.
#[derive(Debug, clap::Args)]
#[command(after_help = "
SPEC. A chiso.sensitivity/1 JSON file (schema: `chiso schema sensitivity`) listing the uncertain \
assumptions: `weights` (each weight in scope × U(1 − noise, 1 + noise)), `inputs` (leaf points per \
unit + U(from, to), or × (1 + U(from, to)) with mode `scale`, clamped to [0, max]) and `aggregation` \
(one of `declared`, `sum`, `mean`, `geometric_mean` picked uniformly per replication). Optional \
`reps`, `seed` and `sensitivity: {\"n\": N}` (variance-based indices from N·(d+2) runs).\n\n\
OUTPUT. Per unit: nominal total and rank, median rank and the 5th–95th percentile rank interval \
(nearest rank), best and worst rank; then first-order (S) and total (ST) indices per assumption for \
the mean absolute rank shift. Results depend only on the seed, never on --threads.\n\n\
EXIT CODES: 0 ok, 1 invalid input, 2 usage.")]
pub struct SensitivityArgs {
    /// Index definition.
    pub index: PathBuf,
    /// Units: batch CSV (`unit`, optional `block`, one column per leaf code).
    pub units: PathBuf,
    /// Analysis spec (chiso.sensitivity/1 JSON).
    #[arg(long)]
    pub spec: PathBuf,
    /// Replications (overrides the spec's `reps`).
    #[arg(long)]
    pub reps: Option<u32>,
    /// Seed (overrides the spec's `seed`).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Threads (default: every core; 1 = no extra thread; more than the machine's cores
    /// is reduced to their number, with a warning).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Also write an SVG plot of the rank intervals to this file.
    #[arg(long)]
    pub svg: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: OutFormat,
}

fn invalid(d: &chiso::Diagnostics, lang: Lang) -> ExitCode {
    crate::output::failed(d, lang)
}

/// The problems of `e` through their diagnostics, one line each, in the file they are in:
/// the spec's problems in the spec, an overflow and the units limit in the units, the
/// `--reps` limit in none.
fn spec_error(e: &sensitivity::Error, spec: &Path, units: &Path, lang: Lang) -> ExitCode {
    let file = match e {
        sensitivity::Error::Limit(l) if l.path == "$" => Some(units),
        sensitivity::Error::Limit(l) if !l.path.starts_with('$') => None,
        sensitivity::Error::Overflow { .. } => Some(units),
        _ => Some(spec),
    };
    let d = e.diagnostics();
    let d = match file {
        Some(f) => d.in_file(&f.display().to_string()),
        None => d,
    };
    invalid(&d, lang)
}

/// Runs the command.
pub fn run(args: &SensitivityArgs, lang: Lang) -> ExitCode {
    match go(args, lang) {
        Ok(()) => ExitCode::SUCCESS,
        Err(c) => c,
    }
}

fn go(args: &SensitivityArgs, lang: Lang) -> Result<(), ExitCode> {
    let index = chiso::Index::from_file(&args.index).map_err(|d| invalid(&d, lang))?;
    // The spec names no other file (its only references are criterion codes of the
    // index), so nothing in it is resolved against a folder.
    let spec_text = chiso::load::read_file(&args.spec).map_err(|d| invalid(&d, lang))?;
    let spec = sensitivity::parse_spec(&spec_text)
        .map_err(|e| spec_error(&e, &args.spec, &args.units, lang))?;
    // Read whole (and so bounded like every whole-file input: MAX_INPUT_BYTES, UTF-8 named).
    let csv = chiso::load::read_file(&args.units).map_err(|d| invalid(&d, lang))?;
    let source = args.units.display().to_string();
    let units = Units::from_csv(&index, csv.as_bytes(), lang).map_err(|errs| {
        print_rows(&errs, &source, lang);
        ExitCode::from(1)
    })?;
    // A unit repeated in its block is ranked twice: said, as `chiso batch` says it.
    print_rows(units.warnings(), &source, lang);
    let opts = RunOptions {
        reps: args.reps,
        seed: args.seed,
        threads: crate::commands::threads(
            args.threads,
            std::thread::available_parallelism().map_or(1, |n| n.get()),
            lang,
        ),
    };
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(sensitivity::total_runs(&spec, &opts));
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {msg} [{bar:40}] {pos}/{len} ({eta})",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        bar.set_message(match lang {
            Lang::Vi => "mô phỏng",
            Lang::En => "runs",
        });
        bar
    });
    let progress = |n: u64| {
        if let Some(b) = &bar {
            b.inc(n);
        }
    };
    let report = sensitivity::run(&index, &units, &spec, &opts, &progress);
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let report = report.map_err(|e| spec_error(&e, &args.spec, &args.units, lang))?;
    if let Some(path) = &args.svg {
        crate::output::write_atomic(path, svg(&report, lang).as_bytes())
            .map_err(|d| invalid(&d, lang))?;
    }
    let text = match args.format {
        OutFormat::Json => {
            let mut s = serde_json::to_string_pretty(&report).unwrap_or_default();
            s.push('\n');
            s
        }
        OutFormat::Table => table(&report, lang),
    };
    crate::commands::out(&text).map_err(|d| invalid(&d, lang))
}

/// The first 50 row errors or warnings of the units file, then how many more.
fn print_rows(rows: &[chiso::batch::RowError], source: &str, lang: Lang) {
    for e in rows.iter().take(50) {
        eprintln!("{}", e.render(source, lang));
    }
    if rows.len() > 50 {
        eprintln!("{source}: {}", crate::report::more(rows.len() - 50, lang));
    }
}

fn opt<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map_or_else(|| "–".to_owned(), |v| v.to_string())
}

/// Units in nominal rank order (unranked last, then input order).
fn order(report: &Report) -> Vec<usize> {
    let mut o: Vec<usize> = (0..report.units.len()).collect();
    o.sort_by_key(|&i| {
        let u = &report.units[i];
        (u.block.clone(), u.nominal_rank.unwrap_or(u32::MAX), i)
    });
    o
}

fn table(report: &Report, lang: Lang) -> String {
    let vi = lang == Lang::Vi;
    let head: Vec<String> = if vi {
        [
            "hạng",
            "đơn vị",
            "tổng điểm",
            "hạng trung vị",
            "khoảng 5–95%",
            "tốt nhất–kém nhất",
        ]
    } else {
        [
            "rank",
            "unit",
            "total",
            "median rank",
            "5–95% interval",
            "best–worst",
        ]
    }
    .iter()
    .map(|s| s.to_string())
    .collect();
    let has_blocks = report.units.iter().any(|u| !u.block.is_empty());
    let mut rows: Vec<Vec<String>> = Vec::new();
    for i in order(report) {
        let u = &report.units[i];
        let name = if has_blocks {
            format!("{} [{}]", u.unit, u.block)
        } else {
            u.unit.clone()
        };
        rows.push(vec![
            opt(u.nominal_rank),
            name,
            opt(u.nominal_total.map(|t| t.normalize())),
            opt(u.median_rank),
            match (u.p05_rank, u.p95_rank) {
                (Some(a), Some(b)) => format!("{a}–{b}"),
                _ => "–".into(),
            },
            match (u.best_rank, u.worst_rank) {
                (Some(a), Some(b)) => format!("{a}–{b}"),
                _ => "–".into(),
            },
        ]);
    }
    let mut s = if vi {
        format!(
            "{} lần mô phỏng, hạt giống {} — {}\n",
            report.reps, report.seed, report.index
        )
    } else {
        format!(
            "{}, seed {} — {}\n",
            crate::report::count_en(u64::from(report.reps), "replication", "replications"),
            report.seed,
            report.index
        )
    };
    s.push_str(&render(
        &head,
        &rows,
        &[true, false, true, true, true, true],
    ));
    if let Some(sa) = &report.sensitivity {
        s.push('\n');
        s.push_str(&if vi {
            format!(
                "Độ nhạy (đầu ra: độ lệch hạng tuyệt đối trung bình; N = {}, {} lần chạy; trung bình {:.4}, phương sai {:.4})\n",
                sa.n, sa.runs, sa.mean, sa.variance
            )
        } else {
            format!(
                "Sensitivity (output: mean absolute rank shift; N = {}, {}; mean {:.4}, variance {:.4})\n",
                sa.n, crate::report::count_en(sa.runs, "run", "runs"), sa.mean, sa.variance
            )
        });
        let head: Vec<String> = if vi {
            ["giả định", "bậc nhất S", "tổng ST"]
        } else {
            ["assumption", "first-order S", "total ST"]
        }
        .iter()
        .map(|s| s.to_string())
        .collect();
        let rows: Vec<Vec<String>> = sa
            .indices
            .iter()
            .map(|ix| {
                vec![
                    ix.assumption.clone(),
                    format!("{:.4}", ix.first_order),
                    format!("{:.4}", ix.total),
                ]
            })
            .collect();
        s.push_str(&render(&head, &rows, &[false, true, true]));
    }
    s
}

fn render(head: &[String], rows: &[Vec<String>], right: &[bool]) -> String {
    let width: Vec<usize> = (0..head.len())
        .map(|c| {
            rows.iter()
                .map(|r| r[c].chars().count())
                .chain([head[c].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String]| {
        let mut s = String::new();
        for (c, cell) in cells.iter().enumerate() {
            let pad = " ".repeat(width[c] - cell.chars().count());
            if c > 0 {
                s.push_str("  ");
            }
            if right[c] {
                s.push_str(&pad);
                s.push_str(cell);
            } else {
                s.push_str(cell);
                s.push_str(&pad);
            }
        }
        s.truncate(s.trim_end().len());
        s.push('\n');
        s
    };
    let mut s = line(head);
    s.push_str(&line(
        &width.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>(),
    ));
    for r in rows {
        s.push_str(&line(r));
    }
    s
}

/// `s` as XML text: markup characters escaped, characters XML 1.0 forbids (NUL, ESC and
/// the other controls but tab and line ends; U+FFFE, U+FFFF) shown as U+FFFD, so the SVG
/// stays well-formed whatever a unit's name holds.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c < ' ' || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// A hand-written SVG: one row per unit (nominal order), a bar from the 5th to the
/// 95th percentile rank, a dot at the median and a ring at the nominal rank.
pub fn svg(report: &Report, lang: Lang) -> String {
    let order = order(report);
    let max_rank = report
        .units
        .iter()
        .filter_map(|u| u.worst_rank.max(u.nominal_rank))
        .max()
        .unwrap_or(1)
        .max(1);
    let (left, right, top, row_h) = (220.0, 30.0, 50.0, 16.0);
    let plot_w = 600.0;
    let width = left + plot_w + right;
    let height = top + row_h * order.len() as f64 + 40.0;
    let x = |r: u32| left + plot_w * (f64::from(r) - 0.5) / f64::from(max_rank);
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"11\">\n"
    );
    s.push_str("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    let title = match lang {
        Lang::Vi => format!(
            "Khoảng hạng 5–95% ({} lần mô phỏng) — {}",
            report.reps, report.index
        ),
        Lang::En => format!(
            "Rank intervals 5–95% ({}) — {}",
            crate::report::count_en(u64::from(report.reps), "replication", "replications"),
            report.index
        ),
    };
    s.push_str(&format!(
        "<text x=\"{left}\" y=\"20\" font-size=\"13\">{}</text>\n",
        esc(&title)
    ));
    let legend = match lang {
        Lang::Vi => "thanh: khoảng 5–95%, chấm: trung vị, vòng: hạng danh nghĩa",
        Lang::En => "bar: 5–95% interval, dot: median, ring: nominal rank",
    };
    s.push_str(&format!(
        "<text x=\"{left}\" y=\"36\" fill=\"#555\">{legend}</text>\n"
    ));
    // Axis ticks.
    let step = (max_rank / 10).max(1);
    let bottom = top + row_h * order.len() as f64;
    let mut r = 1;
    while r <= max_rank {
        let xr = x(r);
        s.push_str(&format!(
            "<line x1=\"{xr:.1}\" y1=\"{top}\" x2=\"{xr:.1}\" y2=\"{bottom}\" stroke=\"#eee\"/>\n<text x=\"{xr:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#555\">{r}</text>\n",
            bottom + 14.0
        ));
        r += step;
    }
    for (k, &i) in order.iter().enumerate() {
        let u = &report.units[i];
        let y = top + row_h * k as f64 + row_h / 2.0;
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\n",
            left - 8.0,
            y + 4.0,
            esc(&u.unit)
        ));
        if let (Some(lo), Some(hi)) = (u.p05_rank, u.p95_rank) {
            s.push_str(&format!(
                "<line x1=\"{:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"#4a7ab5\" stroke-width=\"6\" stroke-linecap=\"round\"/>\n",
                x(lo),
                x(hi)
            ));
        }
        if let Some(m) = u.median_rank {
            s.push_str(&format!(
                "<circle cx=\"{:.1}\" cy=\"{y:.1}\" r=\"3.5\" fill=\"#1b2f4b\"/>\n",
                x(m)
            ));
        }
        if let Some(n) = u.nominal_rank {
            s.push_str(&format!(
                "<circle cx=\"{:.1}\" cy=\"{y:.1}\" r=\"5\" fill=\"none\" stroke=\"#c0392b\" stroke-width=\"1.5\"/>\n",
                x(n)
            ));
        }
    }
    s.push_str("</svg>\n");
    s
}
