//! Progress on stderr while a run goes on: cells done of planned, the trial running now, and
//! an ETA from the plan's predictions, corrected by how long the finished trials really took.
//! Hidden when stderr is not a terminal (indicatif draws nothing there).

use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

/// What a trial costs beyond its predicted workload time (a fresh process, a runtime,
/// warm-up), until real times say otherwise.
const OVERHEAD_S: f64 = 0.1;

/// The predicted time of a trial whose cell has no prediction (spawn, pipeline, cpu and
/// blocking cells run 0.03 to 0.15 s each in the quick profile here).
const UNPREDICTED_S: f64 = 0.1;

/// The bar and the arithmetic behind its ETA.
pub struct Progress {
    bar: ProgressBar,
    cells_planned: usize,
    cells_done: usize,
    eta: Eta,
}

impl Progress {
    /// A bar over `trials` trials in `cells_planned` cells, predicted to take
    /// `predicted_s` seconds per kind of trial (see [`predicted_trial_s`]).
    pub fn new(trials: u64, cells_planned: usize, predicted_s: Vec<(String, f64)>) -> Self {
        let bar = ProgressBar::new(trials).with_style(
            ProgressStyle::with_template("{elapsed_precise} [{bar:24}] {prefix}  {msg}")
                .expect("valid progress template")
                .progress_chars("=> "),
        );
        bar.enable_steady_tick(Duration::from_millis(250));
        let progress = Progress {
            bar,
            cells_planned,
            cells_done: 0,
            eta: Eta::new(predicted_s),
        };
        progress.refresh();
        progress
    }

    /// A trial starts: what it is.
    pub fn trial(&self, what: String) {
        self.bar.set_message(what);
    }

    /// A trial of `kind` predicted at `predicted_s` took `took_s`.
    pub fn trial_done(&mut self, kind: &str, predicted_s: f64, took_s: f64) {
        self.bar.inc(1);
        self.eta.done(kind, predicted_s, took_s);
        self.refresh();
    }

    /// `trials` more trials than planned: rounds for groups still undecided.
    pub fn more(&mut self, trials: u64) {
        self.bar.inc_length(trials);
    }

    /// One of those trials is done (the ETA never counted them).
    pub fn extra_trial_done(&mut self) {
        self.bar.inc(1);
    }

    /// `trials` trials of `kind`, predicted at `predicted_s` in all, in `cells` cells a
    /// resumed run keeps: done, not timed now, and no longer left for the ETA.
    pub fn kept(&mut self, kind: &str, trials: u64, predicted_s: f64, cells: usize) {
        self.bar.inc(trials);
        self.eta.forget(kind, predicted_s);
        self.cells_done(cells);
    }

    /// `n` more cells are final (finished, failed or skipped).
    pub fn cells_done(&mut self, n: usize) {
        self.cells_done += n;
        self.refresh();
    }

    /// Prints `text` on stdout without tearing the bar.
    pub fn print(&self, text: &str) {
        self.bar.suspend(|| print!("{text}"));
    }

    /// Removes the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }

    fn refresh(&self) {
        self.bar.set_prefix(format!(
            "{}/{} cells, ETA {}",
            self.cells_done,
            self.cells_planned,
            clock(self.eta.remaining_s())
        ));
    }
}

/// A trial's predicted time as the ETA counts it: the cell's prediction (or a default when
/// it has none) plus the per-trial process overhead.
pub fn predicted_trial_s(predicted_s: Option<f64>) -> f64 {
    predicted_s.unwrap_or(UNPREDICTED_S) + OVERHEAD_S
}

/// The remaining time: what is still predicted for each kind of trial, scaled by how that
/// kind's real times compared with its predictions so far (a kind not yet seen by all kinds'
/// ratio so far): predictions err by kind (a fetch cell's by its latency model, a cpu
/// cell's not at all), so one kind's error says little about another's.
#[derive(Clone, Debug, PartialEq)]
pub struct Eta {
    /// Per kind: predicted seconds left, predicted seconds done, real seconds done.
    kinds: Vec<(String, f64, f64, f64)>,
}

impl Eta {
    /// Nothing done yet, `predicted_s` to go per kind.
    pub fn new(predicted_s: Vec<(String, f64)>) -> Self {
        Eta {
            kinds: predicted_s
                .into_iter()
                .map(|(kind, left)| (kind, left, 0.0, 0.0))
                .collect(),
        }
    }

    /// One trial of `kind` done.
    pub fn done(&mut self, kind: &str, predicted_s: f64, took_s: f64) {
        match self.kinds.iter_mut().find(|k| k.0 == kind) {
            Some(k) => {
                k.1 = (k.1 - predicted_s).max(0.0);
                k.2 += predicted_s;
                k.3 += took_s;
            }
            None => self
                .kinds
                .push((kind.to_string(), 0.0, predicted_s, took_s)),
        }
    }

    /// Trials of `kind` predicted at `predicted_s` that will not run here after all.
    pub fn forget(&mut self, kind: &str, predicted_s: f64) {
        if let Some(k) = self.kinds.iter_mut().find(|k| k.0 == kind) {
            k.1 = (k.1 - predicted_s).max(0.0);
        }
    }

    /// Seconds left.
    pub fn remaining_s(&self) -> f64 {
        let (predicted, took) = self
            .kinds
            .iter()
            .fold((0.0, 0.0), |(p, t), k| (p + k.2, t + k.3));
        let overall = if predicted > 0.0 {
            took / predicted
        } else {
            1.0
        };
        self.kinds
            .iter()
            .map(|(_, left, predicted, took)| {
                left * if *predicted > 0.0 {
                    took / predicted
                } else {
                    overall
                }
            })
            .sum()
    }
}

/// `1:05`, `12:00`, `1:02:03`.
pub fn clock(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as u64;
    match (s / 3600, s / 60 % 60, s % 60) {
        (0, m, s) => format!("{m}:{s:02}"),
        (h, m, s) => format!("{h}:{m:02}:{s:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_eta_follows_real_times_kind_by_kind() {
        let mut eta = Eta::new(vec![("fetch".into(), 10.0), ("cpu".into(), 4.0)]);
        assert_eq!(eta.remaining_s(), 14.0);
        // fetch trials take twice their prediction: what is left of fetch will too, and cpu,
        // not yet seen, is scaled by what has been seen so far.
        eta.done("fetch", 1.0, 2.0);
        assert!((eta.remaining_s() - (9.0 * 2.0 + 4.0 * 2.0)).abs() < 1e-9);
        // cpu runs at half its prediction: only cpu's estimate follows.
        eta.done("cpu", 2.0, 1.0);
        assert!((eta.remaining_s() - (9.0 * 2.0 + 2.0 * 0.5)).abs() < 1e-9);
        eta.done("fetch", 9.0, 9.0);
        eta.done("cpu", 2.0, 1.0);
        assert_eq!(eta.remaining_s(), 0.0);
    }

    #[test]
    fn clocks_read_as_minutes_and_hours() {
        assert_eq!(clock(65.2), "1:05");
        assert_eq!(clock(3723.0), "1:02:03");
        assert_eq!(clock(-3.0), "0:00");
    }
}
