//! The end of a run against the previous run of its profile, in the terminal: the same test
//! and the same sentence as the page's baseline section, then each cell that changed.

use std::path::Path;

use shootout_core::results::RunResults;
use shootout_report::baseline::{change_line, changed, compare, headline, shift, shift_sentence};
use shootout_report::findings;

use crate::verdicts::wrap;

/// At most this many changed cells are listed; the page has them all.
const LISTED: usize = 12;

/// `Against the previous quick run (reports/…/results.json): no change detected in …`.
pub fn render(current: &RunResults, path: &Path, previous: &RunResults, width: usize) -> String {
    let runs = std::slice::from_ref(current);
    let test = findings::test(runs, None);
    let changes = compare(current, previous, test);
    let mut out = wrap(
        "",
        &format!(
            "Against the {} {} run ({}): {}.",
            if current.started_unix_s >= previous.started_unix_s {
                "previous"
            } else {
                "later"
            },
            previous.settings.profile,
            path.display(),
            headline(&changes, test.margin)
        ),
        width,
        2,
    );
    if let Some(shift) = shift(current, previous, test) {
        out += &wrap("  ", &format!("{}.", shift_sentence(&shift)), width, 2);
    }
    let moved = changed(&changes);
    for change in moved.iter().take(LISTED) {
        out += &wrap("  ", &change_line(change), width, 4);
    }
    if moved.len() > LISTED {
        out += &format!("  … and {} more on the page\n", moved.len() - LISTED);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_against_itself_reads_no_change_within_the_width() {
        let run = crate::fixtures::quick();
        let text = render(&run, Path::new("reports/x/results.json"), &run, 80);
        let joined = text.replace("\n  ", " ");
        assert!(
            joined.starts_with(
                "Against the previous quick run (reports/x/results.json): no change detected in "
            ),
            "{text}"
        );
        assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
    }
}
