//! The page: head, inline CSS, table of contents, sections.

use crate::findings::Findings;
use crate::format::escape;
use crate::palette::Palette;
use crate::sections::{Context, Section};
use crate::{Input, sections};

const CSS: &str = "
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:0 auto;max-width:1100px;padding:1.2rem 1.5rem;color:#1b1f24;line-height:1.45}
h1{margin-bottom:.2rem}h2{border-bottom:2px solid #d0d7de;padding-bottom:.2rem;margin-top:2.2rem}h3{margin-top:1.6rem}
.lead{color:#57606a;margin-top:0}.takeaway{background:#f3f6f9;border-left:4px solid #0969da;padding:.5rem .8rem;margin:.6rem 0 1rem}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.9rem;width:100%}
th,td{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.ok{color:#1a7f37}.failed{color:#cf222e;font-weight:600}.skipped{color:#9a6700}
.confirmed{color:#1a7f37;font-weight:600}.contradicted{color:#cf222e;font-weight:600}.open{color:#57606a}
.faster{color:#1a7f37}.slower{color:#8250df}.equivalent{color:#0969da;font-weight:600}.inconclusive{color:#9a6700}
nav ul{columns:4;list-style:none;padding:0}nav a{color:#0969da}
.scroll{overflow-x:auto;max-width:100%}.scroll table{margin:0}.scroll{margin:.5rem 0 1rem}
.chart{overflow-x:auto;max-width:100%}.chart svg{width:100%;min-width:620px;height:auto;display:block}
.note{color:#57606a;font-size:.85rem}
pre{background:#f6f8fa;padding:.5rem;overflow-x:auto;font-size:.8rem;white-space:pre-wrap;overflow-wrap:anywhere}
details{margin:.2rem 0}p,li{overflow-wrap:anywhere}
@media (max-width:640px){body{padding:.6rem .7rem}nav ul{columns:2}table{font-size:.8rem}h1{font-size:1.5rem}
.scroll table{width:max-content;max-width:60rem;min-width:100%}th,td{min-width:5em}}
@media print{body{max-width:none;padding:0;font-size:10pt}nav{display:none}h2{page-break-before:auto;page-break-after:avoid}
.chart{page-break-inside:avoid;overflow:visible}.chart svg{min-width:0}.scroll{overflow:visible}
table{font-size:8pt;page-break-inside:auto}tr{page-break-inside:avoid}
th,td{padding:.1rem .25rem;overflow-wrap:anywhere}td.num{white-space:normal}a{color:inherit}}
";

/// The page's sections, in order: each shown where [`Section::shown`] says.
const SECTIONS: [&dyn Section; 15] = [
    &sections::summary::Summary,
    &sections::sleep::Sleep,
    &sections::fetch::Fetch,
    &sections::load::Load,
    &sections::capacity::Capacity,
    &sections::cpu::Cpu,
    &sections::patterns::Patterns,
    &sections::blocking::Blocking,
    &sections::call::Calls,
    &sections::files::Files,
    &sections::microbench::Microbenchmarks,
    &sections::backends::Backends,
    &sections::machine::Machine,
    &sections::failures::Failures,
    &sections::baseline::Baseline,
];

/// The whole page.
pub fn page(input: &Input<'_>, findings: &Findings<'_>) -> String {
    let ctx = Context {
        input,
        findings,
        palette: Palette::of(input.runs),
    };
    let parts: Vec<(&str, &str, String)> = SECTIONS
        .iter()
        .filter(|section| section.shown(&ctx))
        .map(|section| (section.id(), section.title(), section.render(&ctx)))
        .collect();
    document(input, &parts)
}

/// The page around its sections: head, style, lead, table of contents.
fn document(input: &Input<'_>, parts: &[(&str, &str, String)]) -> String {
    let mut html =
        String::from("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">";
    html += "<title>shootout report</title><style>";
    html += CSS;
    html += "</style></head><body>\n<h1>shootout: Rust concurrency backends, measured</h1>\n";
    html += &format!("<p class=\"lead\">{}</p>\n", escape(&lead(input)));
    html += "<nav><ul>";
    for (id, title, _) in parts {
        html += &format!("<li><a href=\"#{id}\">{}</a></li>", escape(title));
    }
    html += "</ul></nav>\n";
    for (id, title, body) in parts {
        html += &format!(
            "<section id=\"{id}\"><h2>{}</h2>\n{body}</section>\n",
            escape(title)
        );
    }
    html += "</body></html>\n";
    html
}

fn lead(input: &Input<'_>) -> String {
    let cells: usize = input.runs.iter().map(|r| r.cells.len()).sum();
    let runs = input.runs.len();
    let profiles: Vec<&str> = input
        .runs
        .iter()
        .map(|r| r.settings.profile.as_str())
        .collect();
    let incomplete = input.runs.iter().filter(|r| !r.complete).count();
    let mut lead = format!(
        "{cells} cells from {runs} run{} ({} profile). Every number is a median of trials, each in a fresh process, and counts only if the backend's answer verified.",
        if runs == 1 { "" } else { "s" },
        profiles.join(", ")
    );
    if incomplete > 0 {
        lead += &format!(" {}", partial_sentence(input.runs));
    }
    lead
}

/// The warning on a page or summary.md made from a run that stopped before its plan ended:
/// which, why, and how much of the plan it holds.
pub fn partial_sentence(runs: &[shootout_core::results::RunResults]) -> String {
    let stopped: Vec<String> = runs
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.complete)
        .map(|(i, r)| {
            let which = if runs.len() > 1 {
                format!("run [{}]", i + 1)
            } else {
                "this run".to_string()
            };
            format!(
                "{which} {} after {} of {} planned cells",
                match &r.stopped {
                    Some(why) => format!("was stopped by {why}"),
                    None => "stopped early (or is still running)".to_string(),
                },
                r.cells.len(),
                r.settings.cells_planned
            )
        })
        .collect();
    format!(
        "Partial: {}; missing cells are absent, and a row missing backends can read \
         differently once they run.",
        stopped.join("; ")
    )
}
