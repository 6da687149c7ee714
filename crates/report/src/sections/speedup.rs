//! Sequential against concurrent, the tutorials' headline comparison: every cell's best
//! speedup over the sequential baseline, beside the ideal one.

use super::table;
use crate::analysis::{Family, Group, Options};
use crate::format::{escape, number, percent, ratio};

/// The best speedup a group could show: everything in flight at once for waiting work,
/// one worker per thread for computing work.
fn ideal(group: &Group<'_>) -> f64 {
    let cell = group.entries[0].cell;
    cell.workload.most_at_once(cell.threads)
}

/// The sequential-against-concurrent table.
pub fn render(groups: &[Group<'_>], runs: usize, options: Options) -> String {
    let mut rows = Vec::new();
    // A rate-limited run is held to its rate on purpose: its speedup says nothing here.
    // Paced cells take as long as their schedule, however fast the backend.
    for group in groups.iter().filter(|g| !g.kind.paced()) {
        // The best concurrent backend: where sequential itself wins, that is the finding.
        let best = group
            .ok()
            .filter(|e| e.cell.family() != Family::Sequential)
            .max_by(|a, b| {
                a.rate()
                    .map_or(0.0, |r| r.median)
                    .total_cmp(&b.rate().map_or(0.0, |r| r.median))
            });
        let Some(best) = best else { continue };
        let Some((speedup, predicted)) = group.speedup(best) else {
            continue;
        };
        let ideal = ideal(group);
        let kind = if group.kind.waits() {
            "waiting"
        } else {
            "computing"
        };
        rows.push(vec![
            escape(group.kind.name()),
            escape(&group.title),
            escape(&best.mode_label(runs)),
            format!(
                "{}{}",
                match group.speedup_interval(best, options) {
                    Some(c) => format!(
                        "{} <span class=\"{1}\">{1}</span>",
                        escape(&ratio(&c)),
                        c.outcome.name()
                    ),
                    None => format!("{}×", number(speedup)),
                },
                if predicted {
                    " (sequential predicted)"
                } else if speedup < 1.0 {
                    " (sequential is faster)"
                } else {
                    ""
                }
            ),
            format!("{}×", number(ideal)),
            percent(speedup / ideal),
            kind.into(),
        ]);
    }
    if rows.is_empty() {
        return String::new();
    }
    let mut html = String::from("<h3>Sequential against concurrent</h3>\n");
    html += &table(
        &[
            "workload",
            "cell",
            "best concurrent backend",
            "speedup over sequential [95% interval]",
            "ideal speedup",
            "of ideal",
            "work",
        ],
        &rows,
    );
    html += "<p class=\"note\">Ideal: waiting work overlaps completely (all sleeps at once, C requests in flight); \
             computing work and CPU-bound client work scale at most with the W worker threads.</p>\n";
    html
}
