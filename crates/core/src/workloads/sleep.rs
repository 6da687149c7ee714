//! The `sleep` workload: many tasks, each waiting on a timer, all started together.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::backend::{BackendInfo, SleepModel};
use crate::error::SpecError;
use crate::kind::{About, Rule};
use crate::outcome::Outcome;
use crate::outcome::{Mismatch, RunOutcome};
use crate::params::{Param, Table};
use crate::workload::{SweepPoint, WorkloadKind, WorkloadSpec};

pub mod cases;
mod cores;
mod executor;
mod processes;
mod threaded;

pub use cores::{bare_on_cores, on_cores};
pub use executor::{bare_on_executor, on_executor};
pub use processes::{in_worker, on_processes};
pub use threaded::{bare_on_threads, on_threads};

/// The most tasks one run may start.
pub const TASKS_MAX: u64 = 10_000_000;

/// The longest sleep accepted: one hour.
pub const SLEEP_MS_MAX: u64 = 3_600_000;

/// What the sleep workload says of itself: its name, words, unit and how it is judged.
pub const ABOUT: About = About::new(
    "sleep",
    &PARAMS,
    "tasks/s",
    "Many tasks each waiting on a timer",
    "TASKS tasks each wait SLEEP_MS on the backend's timer, all started together; \
     verified by completion count and a checksum of task ids",
)
.waits()
.net_of_timer()
.rule(Rule::AsyncForIo)
.headlines(&["sleep"]);

/// The sleep workload's parameters.
pub const PARAMS: Table = Table {
    name: "sleep",
    workload: "sleep",
    params: &[
        Param::count("tasks", "tasks", "number of tasks", 1, TASKS_MAX),
        Param::count(
            "sleep_ms",
            "sleep-ms",
            "milliseconds each task waits",
            0,
            SLEEP_MS_MAX,
        )
        .range_note("i.e. at most one hour"),
    ],
};

/// Start `tasks` tasks together; each waits `sleep_ms` on the backend's timer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SleepSpec {
    /// How many tasks.
    pub tasks: u64,
    /// How long each task waits, in milliseconds.
    pub sleep_ms: u64,
}

impl SleepSpec {
    /// How long each task waits.
    pub fn duration(&self) -> Duration {
        Duration::from_millis(self.sleep_ms)
    }

    /// What a correct run returns: every task id completed exactly once.
    pub fn expected(&self) -> Outcome {
        (0..self.tasks).map(complete).sum()
    }
}

/// What task `id` returns when its sleep is over. Every backend's task ends with this.
pub fn complete(id: u64) -> Outcome {
    Outcome {
        ops: 1,
        checksum: u128::from(crate::random::token(id)),
    }
}

/// Tasks that began waiting on their timer since [`reset_pending`].
static STARTED: AtomicU64 = AtomicU64::new(0);
/// How many had begun waiting when the first timer fired; `u64::MAX` before that.
static AT_FIRST_WAKE: AtomicU64 = AtomicU64::new(u64::MAX);

/// Marks a sleep task as waiting on its timer. Every backend's sleep task calls it first
/// and ends with [`woke`], so a trial can tell whether all its tasks waited at once.
pub fn waiting() {
    STARTED.fetch_add(1, Ordering::Relaxed);
}

/// What a sleep task returns: its token, 8 bytes, so the harness adds as little as it can
/// to each task (an [`Outcome`] is 32); the driver sums them as outcomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Woken(pub u64);

impl From<Woken> for Outcome {
    fn from(woken: Woken) -> Outcome {
        Outcome {
            ops: 1,
            checksum: u128::from(woken.0),
        }
    }
}

/// What sleep task `id` returns when its timer has fired (see [`complete`]); the first
/// call records how many tasks were waiting then.
pub fn woke(id: u64) -> Woken {
    if AT_FIRST_WAKE.load(Ordering::Relaxed) == u64::MAX {
        let started = STARTED.load(Ordering::SeqCst);
        let _ =
            AT_FIRST_WAKE.compare_exchange(u64::MAX, started, Ordering::SeqCst, Ordering::Relaxed);
    }
    Woken(crate::random::token(id))
}

/// Starts counting afresh (before a timed run, after its warm-up).
pub fn reset_pending() {
    STARTED.store(0, Ordering::SeqCst);
    AT_FIRST_WAKE.store(u64::MAX, Ordering::SeqCst);
}

/// How many tasks were waiting when the first timer fired: the run's tasks were all
/// alive at once only if this is its task count (nothing can have ended before then).
pub fn pending_at_first_wake() -> Option<u64> {
    let at = AT_FIRST_WAKE.load(Ordering::SeqCst);
    (at != u64::MAX).then_some(at)
}

crate::runs::runs_on!(SleepSpec, Into::into, processes, bare);

impl WorkloadSpec for SleepSpec {
    fn size(&self) -> f64 {
        self.tasks as f64
    }

    // Every sleep at once.
    fn most_at_once(&self, _threads: u64) -> f64 {
        self.tasks as f64
    }

    fn kind(&self) -> WorkloadKind {
        WorkloadKind::Sleep
    }

    /// Checks the bounds: `tasks` in 1..=[`TASKS_MAX`], `sleep_ms` in 0..=[`SLEEP_MS_MAX`].
    fn validate(&self) -> Result<(), SpecError> {
        if !(1..=TASKS_MAX).contains(&self.tasks) {
            return Err(SpecError::out_of_range("tasks", self.tasks, 1, TASKS_MAX));
        }
        if self.sleep_ms > SLEEP_MS_MAX {
            return Err(SpecError::out_of_range(
                "sleep_ms",
                self.sleep_ms,
                0,
                SLEEP_MS_MAX,
            ));
        }
        Ok(())
    }

    fn expected_checksum(&self) -> String {
        self.expected().checksum.to_string()
    }

    fn verify_run(&self, got: &RunOutcome) -> Result<(), Mismatch> {
        got.expect_counted(self.kind(), &self.expected())
    }

    fn synthetic(&self, _: u32, _: std::time::Duration) -> RunOutcome {
        cases::synthetic(self)
    }

    fn warmup(&self) -> Self {
        SleepSpec {
            tasks: self.tasks.min(64),
            sleep_ms: self.sleep_ms.min(1),
        }
    }

    fn rate(&self, wall_s: f64) -> f64 {
        self.tasks as f64 / wall_s
    }

    fn ideal_s(&self) -> Option<f64> {
        Some(self.sleep_ms as f64 / 1e3)
    }

    fn left_out(&self, info: &BackendInfo) -> Option<String> {
        (info.sleep_model == SleepModel::ThreadPerTask && self.tasks > 100_000).then(|| {
            "over 100000 OS threads: the 100000-task cell already shows the OS limit".into()
        })
    }

    fn sweep_point(&self, threads: u64) -> Option<SweepPoint> {
        Some(SweepPoint {
            row: "sleep",
            fixed: format!("sleep_ms={} threads={threads}", self.sleep_ms),
            axis: "tasks",
            at: self.tasks as f64,
        })
    }

    fn tasks_held(&self) -> Option<u64> {
        Some(self.tasks)
    }

    fn comparable(&self, _threads: u64) -> String {
        self.params_label()
    }

    fn params_label(&self) -> String {
        format!("tasks={} sleep_ms={}", self.tasks, self.sleep_ms)
    }

    fn in_flight(&self, info: &BackendInfo, threads: u64) -> u64 {
        info.sleep_model.in_flight(threads, self.tasks)
    }

    // Rounds of in-flight tasks, each a sleep.
    fn predict_s(&self, in_flight: u64) -> Option<f64> {
        Some(self.tasks.div_ceil(in_flight) as f64 * self.sleep_ms as f64 / 1e3)
    }

    fn timeout_s(&self, predicted_s: Option<f64>) -> f64 {
        30.0 + 3.0 * predicted_s.unwrap_or(0.0)
    }

    // The sleeping tasks, as many as run at once.
    fn held(&self, in_flight: u64) -> u64 {
        in_flight
    }

    fn waits_floor_s(&self) -> Option<f64> {
        self.ideal_s()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lost_and_a_duplicated_task_change_the_checksum() {
        let spec = SleepSpec {
            tasks: 4,
            sleep_ms: 0,
        };
        let wrong: Outcome = [0, 1, 1, 3].into_iter().map(complete).sum();
        assert_eq!(wrong.ops, spec.expected().ops);
        assert_ne!(wrong.checksum, spec.expected().checksum);
    }

    #[test]
    fn validation_names_the_field_and_range() {
        let err = SleepSpec {
            tasks: 0,
            sleep_ms: 1,
        }
        .validate()
        .unwrap_err();
        assert_eq!(err.field, "tasks");
        let err = SleepSpec {
            tasks: 1,
            sleep_ms: SLEEP_MS_MAX + 1,
        }
        .validate()
        .unwrap_err();
        assert_eq!(err.field, "sleep_ms");
        assert!(err.message.contains("0..=3600000"), "{err}");
    }
}
