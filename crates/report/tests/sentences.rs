//! Every generated sentence reads right whatever the data: the page, summary.md and the CSV
//! rendered from real runs (quick, full, a custom question, load) and from doctored ones (no
//! backend reaching half the ideal time, one backend only, every cell skipped) hold no
//! placeholder: no "–––", "NaN", "inf", empty parentheses, "Of 1 rows", a ratio rounded to
//! "0.00×" or a count with decimals ("1.00 does not matter").

mod common;

use shootout_core::results::{CellStatus, RunResults};
use shootout_report::Report;

fn fixture(text: &str) -> RunResults {
    serde_json::from_str(text).expect("fixture parses")
}

fn quick() -> RunResults {
    fixture(include_str!("fixtures/quick.json"))
}

fn report(runs: &[RunResults]) -> Report {
    common::report_of(runs)
}

/// The page's text: tags (and the inline SVG charts' markup) removed, entities decoded.
fn text_of(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

/// Placeholders and broken numbers in `text`, with some context each.
fn placeholders(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric() && c != '–')
        .collect();
    for bad in ["NaN", "inf", "-inf", "Infinity"] {
        if words.contains(&bad) {
            found.push(bad.to_string());
        }
    }
    // Empty parentheses after a space: an interpolated list that was empty. A call in a
    // backend's own description (`into_par_iter()`) is code, not a placeholder.
    // A ratio rounded to nothing: `0.00×` says no more than a placeholder; nor does a
    // plural left to the reader, `trial(s)`, or `1 worker threads`.
    for bad in [
        "–––",
        " ()",
        "( )",
        "Of 1 rows",
        "0 backends reach",
        "[–]",
        " 0.00×",
        "(s)",
        " 1 worker threads",
    ] {
        if let Some(at) = text.find(bad) {
            let start = text[..at]
                .char_indices()
                .rev()
                .nth(80)
                .map_or(0, |(i, _)| i);
            let end = (at + bad.len() + 80).min(text.len());
            let end = (end..=text.len())
                .find(|&i| text.is_char_boundary(i))
                .unwrap_or(text.len());
            found.push(format!("{bad:?} in …{}…", &text[start..end]));
        }
    }
    found.extend(counts_with_decimals(text));
    found
}

/// A whole count printed with decimals where a count is named (`1.00 does not matter`,
/// `10.0k tasks`): sizes of a sweep are counts, not measurements.
fn counts_with_decimals(text: &str) -> Vec<String> {
    let named = [
        "tasks",
        "requests",
        "worker",
        "elements",
        "does",
        "confirmed",
        "contradicted",
        "inconclusive",
        "open",
    ];
    let words: Vec<&str> = text.split_whitespace().collect();
    words
        .windows(2)
        .filter(|pair| {
            let number = pair[0].trim_end_matches(['k', 'M', 'G']);
            let decimals_all_zero = number.split_once('.').is_some_and(|(whole, zeros)| {
                !whole.is_empty()
                    && whole.chars().all(|c| c.is_ascii_digit())
                    && !zeros.is_empty()
                    && zeros.chars().all(|c| c == '0')
            });
            let next = pair[1].trim_end_matches([',', ';', '.']);
            decimals_all_zero && named.contains(&next)
        })
        .map(|pair| format!("{:?} (a count with decimals)", pair.join(" ")))
        .collect()
}

fn assert_clean(name: &str, runs: &[RunResults]) {
    let report = report(runs);
    for (what, text) in [
        ("page", text_of(&report.html)),
        ("summary.md", report.markdown.clone()),
    ] {
        let found = placeholders(&text);
        assert!(found.is_empty(), "{name}, {what}: {found:#?}");
    }
}

#[test]
fn real_runs_read_right() {
    assert_clean("quick", &[quick()]);
    // The full profile at df264b1; the capacity search at 6873f53.
    assert_clean("full", &[fixture(include_str!("fixtures/full.json"))]);
    assert_clean(
        "question",
        &[fixture(include_str!("fixtures/question.json"))],
    );
    assert_clean("load", &[fixture(include_str!("fixtures/load.json"))]);
    assert_clean(
        "capacity",
        &[fixture(include_str!("fixtures/capacity.json"))],
    );
    assert_clean("quick twice", &[quick(), quick()]);
}

#[test]
fn no_backend_reaching_half_the_ideal_reads_right() {
    let mut run = quick();
    for cell in run.cells.iter_mut() {
        if let Some(summary) = cell.summary.as_mut()
            && let Some(efficiency) = summary.efficiency.as_mut()
        {
            efficiency.median *= 0.3;
            efficiency.min *= 0.3;
            efficiency.max *= 0.3;
        }
    }
    assert_clean("no backend at half the ideal", std::slice::from_ref(&run));
    let html = text_of(&report(&[run]).html);
    assert!(
        html.contains("that kept every request in flight reached"),
        "the fetch takeaway still says how far they got"
    );
}

#[test]
fn one_backend_only_reads_right() {
    let mut run = quick();
    let keep = run.cells[0].backend.clone();
    run.cells.retain(|c| c.backend == keep);
    run.aa.clear();
    assert_clean("one backend", &[run]);
}

#[test]
fn every_cell_skipped_reads_right() {
    let mut run = quick();
    for cell in run.cells.iter_mut() {
        cell.status = CellStatus::Skipped;
        cell.reason = Some("doctored: skipped".into());
        cell.summary = None;
        cell.trials.clear();
    }
    run.aa.clear();
    assert_clean("every cell skipped", std::slice::from_ref(&run));
    let summary = report(&[run]).markdown;
    assert!(
        summary.contains("No row of the decision table had two verified backends to compare."),
        "{summary}"
    );
}

#[test]
fn the_checker_finds_what_it_looks_for() {
    // A check that cannot fail is no check.
    assert!(!placeholders("0 backends reach ––– of the ideal").is_empty());
    assert!(!placeholders("p99 NaN ms").is_empty());
    assert!(!placeholders("speedup inf×").is_empty());
    assert!(!placeholders("tokio ()").is_empty());
    assert!(!placeholders("tokio 0.00× [0.00–0.00]").is_empty());
    assert!(!placeholders("1 failed trial(s) and 0 skipped cell(s); none").is_empty());
    assert!(!placeholders("against tasks: 100 inconclusive, 10.0k confirmed").is_empty());
    assert!(!placeholders("from 1.00 to 64.0 requests in flight").is_empty());
    assert!(placeholders("information inflight 1.00× [0.98–1.02] (95%)").is_empty());
    assert!(placeholders("tokio 0.0022× [0.0019–0.0026], 10.0k req/s").is_empty());
    assert!(placeholders("against tasks: 100 inconclusive, 10k confirmed").is_empty());
    assert!(placeholders("rayon: (0..c).into_par_iter(), each slot").is_empty());
}

/// The page and summary.md say what the clock covers, and name the longest start-up the
/// data kept out of it.
#[test]
fn the_clock_rule_is_stated_with_the_longest_start_up_kept_out() {
    let mut run = quick();
    let cell = run
        .cells
        .iter_mut()
        .find(|c| c.backend == "threads" && c.workload.kind().name() == "fetch")
        .expect("a threads fetch cell");
    for trial in &mut cell.trials {
        if let Some(record) = trial.record.as_mut() {
            record.before_clock_s = Some(0.0387);
        }
    }
    let page = report(&[run]);
    for text in [text_of(&page.html), page.markdown.clone()] {
        assert!(
            text.contains("The clock covers the workload alone."),
            "{text}"
        );
        assert!(
            text.contains("The longest start-up kept out here: 38.7 ms on threads"),
            "{text}"
        );
    }
    // Data that kept no start-up out (it predates the gate) names none.
    let mut old = quick();
    for cell in &mut old.cells {
        for trial in &mut cell.trials {
            if let Some(record) = trial.record.as_mut() {
                record.before_clock_s = None;
            }
        }
    }
    assert!(!report(&[old]).markdown.contains("longest start-up"));
}

/// The quick fixture's fitted cells (15 of 960 requests a trial) and its load cell (200
/// arrivals) cannot read a p99: the page shows the max for what it is and says why, with
/// the fewest samples; a file that predates sample counts gets them from its records.
#[test]
fn percentiles_from_too_few_samples_read_as_the_max() {
    let note = "\"max\": the trial read that percentile from too few samples (as few as ";
    let page = text_of(&report(&[quick()]).html);
    assert!(page.contains(note), "{page}");
    assert!(page.contains("here; p99 needs 1,000"), "{page}");
    assert!(page.contains(" max "), "a max in a table");
    // The same file as an older writer left it: no counts, until read as `report` reads.
    let mut old = quick();
    for cell in &mut old.cells {
        for latency in cell.summary.iter_mut().flat_map(|s| {
            [&mut s.latency_us, &mut s.from_due_us, &mut s.send_late_us]
                .into_iter()
                .flatten()
        }) {
            latency.n = None;
        }
    }
    assert!(!text_of(&report(std::slice::from_ref(&old)).html).contains(note));
    old.fill_sample_counts();
    assert!(text_of(&report(&[old]).html).contains(note));
}

/// The load table names the clients whose own timer sent late (tokio's, monoio's 1 ms
/// ticks in the quick fixture) beside their p99 from due, and not those that fell behind.
#[test]
fn a_late_sending_timer_is_named_beside_the_p99_from_due() {
    let page = text_of(&report(&[quick()]).html);
    let start = page
        .find("Each client paces its own requests on its own timer")
        .expect("the note");
    let note = &page[start..start + page[start..].find('\n').unwrap_or(page.len() - start)];
    assert!(note.contains("tokio "), "{note}");
    for behind in ["rayon", "sequential"] {
        assert!(!note.contains(behind), "{behind} fell behind: {note}");
    }
}

/// An idiom's cost is read on what its row is compared by: CPU per request in the fetch
/// latency table, where throughput cannot tell designs apart.
#[test]
fn idiom_costs_are_on_the_rows_metric() {
    let page = text_of(&report(&[quick()]).html);
    assert!(
        page.contains("Each backend's own idiom against the shared design on the same runtime (CPU per request ratio"),
        "{page}"
    );
}
