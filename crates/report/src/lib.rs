//! The shootout report: results in, one self-contained HTML page (inline CSS, charts as
//! inline SVG drawn with plotters, no external requests), a per-trial CSV and a Markdown
//! decision table out. Every function here is pure; the CLI does the file I/O.

pub mod analysis;
pub mod baseline;
pub mod charts;
pub mod csv;
pub mod duels;
pub mod findings;
pub mod format;
mod html;
pub mod knee;
pub mod load;
pub mod markdown;
pub mod microbench;
pub mod palette;
mod sections;
pub mod sweeps;
pub mod words;

use shootout_core::results::RunResults;

/// What a report is made from.
#[derive(Clone, Copy, Debug)]
pub struct Input<'a> {
    /// One or more runs (several machines or commits are shown side by side).
    pub runs: &'a [RunResults],
    /// A saved run to compare against, cell by cell.
    pub baseline: Option<&'a RunResults>,
    /// A relative link to criterion's HTML report, when one exists.
    pub criterion: Option<&'a str>,
    /// criterion's estimates from the last `cargo bench`, when there are any.
    pub benches: &'a [microbench::Microbench],
    /// The equivalence margin, overriding the one the runs recorded.
    pub margin: Option<f64>,
}

/// The two rendered files of a report (`results.csv` is streamed by [`csv::write`]).
#[derive(Clone, Debug)]
pub struct Report {
    /// `index.html`.
    pub html: String,
    /// `summary.md`: the decision table.
    pub markdown: String,
}

/// Renders every file of the report.
pub fn render(input: &Input<'_>) -> Report {
    let findings = findings::Findings::of(input.runs, findings::test(input.runs, input.margin));
    Report {
        html: html::page(input, &findings),
        markdown: markdown::summary(&findings, input.runs, input.baseline),
    }
}
