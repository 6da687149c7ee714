//! One module per section of the page, plus the helpers they share.

pub mod backends;
pub mod baseline;
pub mod blocking;
pub mod call;
pub mod capacity;
pub mod cpu;
pub mod failures;
pub mod fetch;
pub mod files;
pub mod load;
pub mod machine;
pub mod microbench;
pub mod patterns;
pub mod sleep;
pub mod speedup;
pub mod summary;

use shootout_core::WorkloadKind;
use shootout_core::results::CellStatus;

use crate::Input;
use crate::analysis::{Entry, Family, Group, Options};
use crate::charts::Bar;
use crate::findings::Findings;
use crate::format::escape;
use crate::palette::Palette;

/// What every section renders from: the report's input, the findings computed from it
/// once, and the page's colours.
pub struct Context<'a> {
    /// The runs, baseline, benches and options the report was asked for.
    pub input: &'a Input<'a>,
    /// Groups, comparisons, verdicts and sweeps, computed once for the page.
    pub findings: &'a Findings<'a>,
    /// Each backend's colour and place, the same in every chart and table.
    pub palette: Palette,
}

impl Context<'_> {
    /// How many runs the page shows side by side.
    pub fn runs(&self) -> usize {
        self.input.runs.len()
    }

    /// Whether some run has cells of one of `kinds`.
    pub fn has(&self, kinds: &[WorkloadKind]) -> bool {
        self.input
            .runs
            .iter()
            .flat_map(|r| &r.cells)
            .any(|c| kinds.contains(&c.workload.kind()))
    }
}

/// One section of the page: its anchor, its title, when it is shown, and its HTML.
pub trait Section: Sync {
    /// The anchor the table of contents links to, e.g. `sleep`.
    fn id(&self) -> &'static str;

    /// The heading, e.g. `sleep: many tasks waiting on timers`.
    fn title(&self) -> &'static str;

    /// The workloads whose cells it shows; none: it is always shown.
    fn needs(&self) -> &'static [WorkloadKind] {
        &[]
    }

    /// Whether the page shows it: where some run has cells of what it needs (a run of one
    /// question keeps to its answer).
    fn shown(&self, ctx: &Context<'_>) -> bool {
        self.needs().is_empty() || ctx.has(self.needs())
    }

    /// Its body, below the heading.
    fn render(&self, ctx: &Context<'_>) -> String;
}

/// An HTML table; cells are already HTML. Cells starting with a digit are right-aligned.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    table_aligned(headers, rows, true)
}

/// A key-value table: every cell left-aligned.
pub fn facts(headers: &[&str], rows: &[Vec<String>]) -> String {
    table_aligned(headers, rows, false)
}

fn table_aligned(headers: &[&str], rows: &[Vec<String>], align_numbers: bool) -> String {
    // Wide tables scroll inside their box, never the page (a phone is 390 px wide).
    let mut html = String::from("<div class=\"scroll\"><table><thead><tr>");
    for header in headers {
        html += &format!("<th>{}</th>", escape(header));
    }
    html += "</tr></thead><tbody>";
    for row in rows {
        html += "<tr>";
        for cell in row {
            let numeric = align_numbers && cell.chars().next().is_some_and(|c| c.is_ascii_digit());
            html += &format!(
                "<td{}>{cell}</td>",
                if numeric { " class=\"num\"" } else { "" }
            );
        }
        html += "</tr>";
    }
    html + "</tbody></table></div>\n"
}

/// A takeaway sentence, computed by the caller from the data.
pub fn takeaway(text: &str) -> String {
    format!("<p class=\"takeaway\">{}</p>\n", escape(text))
}

/// A chart wrapper.
pub fn chart(svg: String) -> String {
    format!("<div class=\"chart\">{svg}</div>\n")
}

/// A cell's status as coloured HTML.
pub fn status(entry: &Entry<'_>) -> String {
    match entry.cell.status {
        CellStatus::Ok => "<span class=\"ok\">ok</span>".into(),
        CellStatus::Failed => "<span class=\"failed\">failed</span>".into(),
        CellStatus::Skipped => "<span class=\"skipped\">skipped</span>".into(),
    }
}

/// Rate bars (median with min..max) for every verified cell of `group`, in `palette`'s
/// colours.
pub fn rate_bars(group: &Group<'_>, runs: usize, palette: &Palette) -> Vec<Bar> {
    group
        .ok()
        .filter_map(|e| {
            let rate = e.rate()?;
            Some(Bar {
                label: e.mode_label(runs),
                median: rate.median,
                min: rate.min,
                max: rate.max,
                colour: palette.colour(&e.cell.backend),
            })
        })
        .collect()
}

/// The column header for [`versus`].
pub const VERSUS: &str = "against the best [95% interval]";

/// `entry` against its group's best, as a table cell: `best`, or the ratio of their
/// trial values with its interval and the outcome (`0.93× [0.90–0.96] slower`).
pub fn versus(group: &Group<'_>, entry: &Entry<'_>) -> String {
    if group
        .best()
        .is_some_and(|b| std::ptr::eq(b.cell, entry.cell))
    {
        return "<b>best</b>".into();
    }
    if group.kind.costs_concurrency() && entry.cell.family() == Family::Sequential {
        return "no concurrency: the floor".into();
    }
    match group.versus_best(entry) {
        Some(c) => format!(
            "{} <span class=\"{}\">{}</span>",
            escape(&crate::format::ratio(c)),
            c.outcome.name(),
            group.metric.word(c.outcome)
        ),
        None => "–".into(),
    }
}

/// A table row for a cell without numbers: its label, status and `known` cells, dashes
/// for the `blanks` measured columns, and the reason in the last one.
pub fn row_without_numbers(
    entry: &Entry<'_>,
    runs: usize,
    known: &[String],
    blanks: usize,
) -> Vec<String> {
    let mut row = vec![escape(&entry.mode_label(runs)), status(entry)];
    row.extend(known.iter().cloned());
    row.extend(std::iter::repeat_n("–".to_string(), blanks));
    row.push(reason(entry));
    row
}

/// A table row per entry of `group`: a verified cell's label and status, the `figures` of
/// its summary (`width` of them) and its place against the best; any other cell's label,
/// status, dashes and the reason it has no numbers.
pub fn rows(
    group: &Group<'_>,
    runs: usize,
    width: usize,
    figures: impl Fn(&Entry<'_>, &shootout_core::results::Summary) -> Vec<String>,
) -> Vec<Vec<String>> {
    group
        .entries
        .iter()
        .map(|e| match (&e.cell.summary, e.cell.status) {
            (Some(s), shootout_core::results::CellStatus::Ok) => {
                let mut row = vec![escape(&e.mode_label(runs)), status(e)];
                row.extend(figures(e, s));
                row.push(versus(group, e));
                row
            }
            _ => row_without_numbers(e, runs, &[], width),
        })
        .collect()
}

/// The figures a table of operations starts with, from a verified cell's summary: its rate,
/// p99 per operation, operations in flight and CPU per operation.
pub fn op_figures(entry: &Entry<'_>, s: &shootout_core::results::Summary) -> Vec<String> {
    let ops = s.rate.median * s.wall_s.median;
    let cpu_per_op = (ops > 0.0).then(|| s.cpu_s.median / ops);
    vec![
        crate::format::number(s.rate.median),
        s.latency_us
            .as_ref()
            .map(|l| crate::format::percentile(l, 0.99))
            .unwrap_or_else(|| "–".into()),
        entry
            .cell
            .in_flight
            .map(|n| n.to_string())
            .unwrap_or_default(),
        cpu_per_op.map(crate::format::seconds).unwrap_or_default(),
    ]
}

/// How each row of `group` ran, from the backends' own config: which channel, which
/// client, where the driver spawned from. Every row is listed, shared designs and idioms.
pub fn designs(group: &Group<'_>, runs: usize, what: &str) -> String {
    let items: Vec<String> = group
        .entries
        .iter()
        .filter_map(|e| {
            let design = e.cell.config.get(&e.cell.workload.design_key())?;
            Some(format!(
                "<li><b>{}</b>: {}</li>",
                escape(&e.mode_label(runs)),
                escape(design)
            ))
        })
        .collect();
    if items.is_empty() {
        return String::new();
    }
    format!(
        "<details class=\"designs\"><summary>{what} of each row</summary><ul>{}</ul></details>\n",
        items.join("")
    )
}

/// What each backend idiom in `group` costs against the shared design on the same runtime
/// (same run and backend), with the ratio's interval: `<backend> task-per-request
/// 0.93× [0.90–0.96] slower`. Empty when the group has no idiom with both sides verified.
pub fn idiom_costs(group: &Group<'_>, runs: usize, options: Options) -> String {
    let items: Vec<String> = group
        .ok()
        .filter(|e| e.cell.workload.design_variant().is_some())
        .filter_map(|idiom| {
            let shared = group.ok().find(|e| {
                e.run == idiom.run
                    && e.cell.backend == idiom.cell.backend
                    && e.cell.workload.design_variant().is_none()
            })?;
            // On what the group is compared by: an idiom's cost per request where the row
            // is judged on it.
            let mine = idiom.values(group.metric, options.exclude_disturbed);
            let base = shared.values(group.metric, options.exclude_disturbed);
            let c = options.test.compare(&mine, &base, group.metric.better());
            Some(format!(
                "{} {} <span class=\"{}\">{}</span>",
                escape(&idiom.mode_label(runs)),
                escape(&crate::format::ratio(&c)),
                c.outcome.name(),
                group.metric.word(c.outcome)
            ))
        })
        .collect();
    if items.is_empty() {
        return String::new();
    }
    format!(
        "<p>Each backend's own idiom against the shared design on the same runtime ({} \
         ratio, 95% interval, ±{} margin): {}.</p>\n",
        group.metric.label(),
        crate::format::percent(options.test.margin),
        items.join("; ")
    )
}

/// Why a cell has no numbers, for a table's note column.
pub fn reason(entry: &Entry<'_>) -> String {
    escape(entry.cell.reason.as_deref().unwrap_or(""))
}

/// The note under a table some of whose percentiles the trials had too few samples to read
/// (they show as "max"): `pick` is the latency the table reads, `quantiles` its columns.
pub(crate) fn too_few(
    group: &Group<'_>,
    pick: fn(&shootout_core::results::Summary) -> Option<&shootout_core::results::LatencySpread>,
    quantiles: &[f64],
) -> String {
    let latencies = group.ok().filter_map(|e| pick(e.cell.summary.as_ref()?));
    crate::format::too_few_note(latencies, quantiles)
        .map(|note| format!("<p class=\"note\">{}</p>\n", crate::format::escape(&note)))
        .unwrap_or_default()
}
