//! Progress on stderr while a run goes on: cells done of planned, the trial running now, and
//! an ETA from the plan's predictions, corrected by how long the finished trials really took.
//! Hidden when stderr is not a terminal (indicatif draws nothing there).

use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

/// What a trial costs beyond its predicted workload time (a fresh process, a runtime,
/// warm-up), until real times say otherwise.
const OVERHEAD_S: f64 = 0.1;

/// The predicted time of a trial whose cell has no prediction.
const UNPREDICTED_S: f64 = 0.5;

/// The bar and the arithmetic behind its ETA.
pub struct Progress {
    bar: ProgressBar,
    cells_planned: usize,
    cells_done: usize,
    eta: Eta,
}

impl Progress {
    /// A bar over `trials` trials in `cells_planned` cells, predicted to take
    /// `predicted_s` seconds in all (see [`predicted_trial_s`]).
    pub fn new(trials: u64, cells_planned: usize, predicted_s: f64) -> Self {
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

    /// A trial predicted at `predicted_s` took `took_s`.
    pub fn trial_done(&mut self, predicted_s: f64, took_s: f64) {
        self.bar.inc(1);
        self.eta.done(predicted_s, took_s);
        self.refresh();
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

/// The remaining time: what is still predicted, scaled by how real times compared with
/// predictions so far.
#[derive(Clone, Debug, PartialEq)]
pub struct Eta {
    predicted_left_s: f64,
    predicted_done_s: f64,
    took_s: f64,
}

impl Eta {
    /// Nothing done yet, `predicted_s` to go.
    pub fn new(predicted_s: f64) -> Self {
        Eta {
            predicted_left_s: predicted_s,
            predicted_done_s: 0.0,
            took_s: 0.0,
        }
    }

    /// One trial done.
    pub fn done(&mut self, predicted_s: f64, took_s: f64) {
        self.predicted_left_s = (self.predicted_left_s - predicted_s).max(0.0);
        self.predicted_done_s += predicted_s;
        self.took_s += took_s;
    }

    /// Seconds left: the predictions left times real/predicted so far (1 before any trial).
    pub fn remaining_s(&self) -> f64 {
        let scale = if self.predicted_done_s > 0.0 {
            self.took_s / self.predicted_done_s
        } else {
            1.0
        };
        self.predicted_left_s * scale
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
    fn the_eta_follows_real_times() {
        let mut eta = Eta::new(10.0);
        assert_eq!(eta.remaining_s(), 10.0);
        // Trials take twice their prediction: what is left will too.
        eta.done(1.0, 2.0);
        assert!((eta.remaining_s() - 18.0).abs() < 1e-9);
        eta.done(9.0, 9.0);
        assert_eq!(eta.remaining_s(), 0.0);
    }

    #[test]
    fn clocks_read_as_minutes_and_hours() {
        assert_eq!(clock(65.2), "1:05");
        assert_eq!(clock(3723.0), "1:02:03");
        assert_eq!(clock(-3.0), "0:00");
    }
}
