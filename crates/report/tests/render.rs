//! The report rendered from a real quick-profile results.json (tests/fixtures/quick.json).

use shootout_core::results::RunResults;
use shootout_report::analysis::{self, Verdict};
use shootout_report::{Input, render};

fn quick() -> RunResults {
    serde_json::from_str(include_str!("fixtures/quick.json")).expect("fixture parses")
}

const BACKENDS: [&str; 8] = [
    "tokio",
    "tokio-ct",
    "smol",
    "async-std",
    "threads",
    "crossbeam",
    "rayon",
    "sequential",
];

/// Everything in the page that could make a browser fetch something.
fn external_references(html: &str) -> Vec<String> {
    // Text may mention a URL (a fetch cell's --url); only attributes and CSS load things.
    [
        "href=\"http",
        "href=\"//",
        "src=",
        "<link",
        "<script",
        "url(",
        "@import",
        "<iframe",
        "<img",
        "<object",
        "<embed",
    ]
    .iter()
    .filter(|needle| html.contains(*needle))
    .map(|needle| needle.to_string())
    .collect()
}

#[test]
fn the_page_has_every_section_chart_and_backend_and_nothing_external() {
    let runs = [quick()];
    let report = render(&Input {
        runs: &runs,
        baseline: None,
        criterion: None,
        margin: None,
    });
    for id in [
        "summary", "sleep", "fetch", "cpu", "backends", "machine", "failures",
    ] {
        assert!(
            report.html.contains(&format!("<section id=\"{id}\">")),
            "section {id}"
        );
    }
    for backend in BACKENDS {
        assert!(report.html.contains(&format!(">{backend}<")), "{backend}");
    }
    // Two sleep cells, two fetch cells (rate and latency each), one cpu cell.
    assert_eq!(report.html.matches("<svg").count(), 7, "charts inline");
    assert!(!report.html.contains("chart unavailable"));
    assert!(report.html.contains("RUSTSEC-2025-0052"));
    // Sequential against concurrent: 10k sleeps against a skipped (predicted) sequential.
    assert!(report.html.contains("Sequential against concurrent"));
    assert!(
        report
            .html
            .contains("× (sequential predicted)</td><td class=\"num\">10.0k×</td>")
    );
    assert!(report.html.contains("client and the embedded server share"));
    assert_eq!(external_references(&report.html), Vec::<String>::new());
}

#[test]
fn the_decision_table_is_computed_from_the_data() {
    let runs = [quick()];
    let groups = analysis::groups(&runs);
    let decisions = analysis::decisions(&groups, 1);
    let workloads: Vec<&str> = decisions.iter().map(|d| d.workload.as_str()).collect();
    assert_eq!(
        workloads,
        ["sleep", "fetch (latency)", "fetch (throughput)", "cpu"]
    );
    // In this run smol leads sleep, tied with async-std; the advice holds everywhere.
    assert_eq!(decisions[0].best, "smol");
    assert_eq!(decisions[0].tied, ["async-std"]);
    assert!(
        decisions[0].speedup.contains("predicted"),
        "sequential was skipped at 10k tasks"
    );
    assert!(decisions.iter().all(|d| d.verdict == Verdict::Confirmed));
    let markdown = render(&Input {
        runs: &runs,
        baseline: None,
        criterion: None,
        margin: None,
    })
    .markdown;
    assert_eq!(
        markdown.lines().filter(|l| l.starts_with("| ")).count(),
        1 + decisions.len()
    );
}

#[test]
fn a_faster_rival_contradicts_the_rule() {
    let mut run = quick();
    // Make crossbeam's throughput cell ten times faster than everything else.
    for cell in run
        .cells
        .iter_mut()
        .filter(|c| c.backend == "crossbeam" && c.workload.kind().name() == "fetch")
    {
        if let Some(summary) = cell.summary.as_mut() {
            for value in [
                &mut summary.rate.median,
                &mut summary.rate.min,
                &mut summary.rate.max,
            ] {
                *value *= 10.0;
            }
        }
    }
    let runs = [run];
    let groups = analysis::groups(&runs);
    let decisions = analysis::decisions(&groups, 1);
    let throughput = decisions
        .iter()
        .find(|d| d.workload == "fetch (throughput)")
        .unwrap();
    assert_eq!(throughput.best, "crossbeam");
    assert_eq!(throughput.verdict, Verdict::Contradicted);
    assert!(
        throughput.why.contains("beyond the trial spread"),
        "{}",
        throughput.why
    );
}

#[test]
fn csv_has_one_row_per_trial() {
    let runs = [quick()];
    let csv = render(&Input {
        runs: &runs,
        baseline: None,
        criterion: None,
        margin: None,
    })
    .csv;
    let trials: usize = runs[0].cells.iter().map(|c| c.trials.len()).sum();
    assert_eq!(csv.lines().count(), trials + 1);
    assert!(csv.starts_with("run,machine,backend,workload,params"));
}

#[test]
fn merged_runs_sit_side_by_side_and_a_baseline_flags_only_real_changes() {
    let (first, mut second) = (quick(), quick());
    second.machine.cpu_model = "Other CPU".into();
    let runs = [first.clone(), second];
    let report = render(&Input {
        runs: &runs,
        baseline: Some(&first),
        criterion: None,
        margin: None,
    });
    assert!(report.html.contains("[2] tokio") && report.html.contains("Other CPU"));
    assert!(report.html.contains("<section id=\"baseline\">"));
    assert!(report.html.contains("changed beyond the noise"));
    // Against itself nothing changed; against a run twice as fast, every cell did.
    assert!(
        shootout_report::baseline::compare(&first, &first)
            .iter()
            .all(|c| !c.significant)
    );
    let mut faster = first.clone();
    for cell in faster.cells.iter_mut() {
        if let Some(summary) = cell.summary.as_mut() {
            for value in [
                &mut summary.rate.median,
                &mut summary.rate.min,
                &mut summary.rate.max,
            ] {
                *value *= 2.0;
            }
        }
    }
    let changes = shootout_report::baseline::compare(&faster, &first);
    assert!(!changes.is_empty() && changes.iter().all(|c| c.significant && c.change > 0.9));
}
