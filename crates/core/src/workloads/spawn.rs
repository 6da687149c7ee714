//! The `spawn` workload: spawn and join many tiny tasks through each backend's task-group
//! idiom (a `JoinSet`, a `Vec` of handles, a scope). Measures the cost of a task itself.

use serde::{Deserialize, Serialize};

use crate::backend::{BackendInfo, SleepModel};
use crate::design::SpawnFrom;
use crate::design::Variant;
use crate::error::SpecError;
use crate::kind::About;
use crate::outcome::RunOutcome;
use crate::outcome::{Mismatch, Outcome};
use crate::params::{Param, Table};
use crate::workload::{WorkloadKind, WorkloadSpec};

pub mod cases;
mod cores;
mod executor;
mod processes;
mod threaded;

pub use cores::on_cores;
pub use executor::on_executor;
pub use processes::{in_worker, on_processes};
pub use threaded::on_threads;

/// The most tasks one run may spawn.
pub const TASKS_MAX: u64 = 10_000_000;

/// What the spawn workload says of itself: its name, words, unit and how it is judged.
pub const ABOUT: About = About::new(
    "spawn",
    &PARAMS,
    "tasks/s",
    "Many tiny tasks spawned and joined",
    "TASKS tiny tasks spawned and joined through the backend's task-group idiom \
     (JoinSet, Vec of handles, scope); verified by count and a checksum of task ids",
)
.costs_concurrency();

/// The spawn workload's parameters.
pub const PARAMS: Table = Table {
    name: "spawn",
    workload: "spawn",
    params: &[
        Param::count("tasks", "tasks", "number of tasks", 1, TASKS_MAX),
        Param::choice(
            "from",
            "spawn-from",
            "where the driver spawns from",
            &[
                (
                    "runtime",
                    "a task on the runtime, as a server spawns from inside its tasks",
                ),
                (
                    "outside",
                    "the thread that called block_on: every spawn and join crosses threads",
                ),
            ],
        )
        .left_out_is("runtime")
        .more(
            "By default from a task on the runtime, plus `outside` as a labelled variant on \
             the async runtimes.",
        ),
    ],
};

/// Spawn `tasks` tasks that each return their token at once, then join them all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpawnSpec {
    /// How many tasks.
    pub tasks: u64,
    /// Where the tasks are spawned from: a task on the runtime (the default), or the
    /// thread outside it, for async runtimes that run that variant.
    #[serde(default, skip_serializing_if = "SpawnFrom::is_runtime")]
    pub from: SpawnFrom,
}

impl SpawnSpec {
    /// `tasks` tasks spawned from inside the runtime.
    pub const fn new(tasks: u64) -> SpawnSpec {
        SpawnSpec {
            tasks,
            from: SpawnFrom::Runtime,
        }
    }

    /// What a correct run returns. The checksum is kept modulo 2^64 (see [`reduced`]), so
    /// backends that can only gather results in a 64-bit atomic (rayon's scope) verify, and
    /// record, the same value as the rest.
    pub fn expected(&self) -> Outcome {
        reduced((0..self.tasks).map(crate::sleep::complete).sum())
    }

    /// Accepts `got` when every task ran exactly once.
    pub fn verify(&self, got: &Outcome) -> Result<(), Mismatch> {
        let (expected, got) = (self.expected(), reduced(*got));
        if got == expected {
            Ok(())
        } else {
            Err(Mismatch::counted(&expected, &got))
        }
    }
}

/// `outcome` with its checksum taken modulo 2^64: the one form a spawn checksum has, in
/// verification and in results ([`crate::Backend::run`] reduces every spawn outcome).
pub fn reduced(outcome: Outcome) -> Outcome {
    Outcome {
        checksum: u128::from(outcome.checksum as u64),
        ..outcome
    }
}

/// What task `id` returns: the same token as a finished sleep task.
pub fn task(id: u64) -> Outcome {
    crate::sleep::complete(id)
}

crate::runs::runs_on!(SpawnSpec, |outcome| reduced(outcome).into(), processes);

impl WorkloadSpec for SpawnSpec {
    fn size(&self) -> f64 {
        self.tasks as f64
    }

    fn kind(&self) -> WorkloadKind {
        WorkloadKind::Spawn
    }

    // A thread that ends but is not yet joined keeps its stack mapped: a thread per task
    // meets the OS limit near 16k un-joined threads, as sleep already shows.
    fn left_out(&self, info: &BackendInfo) -> Option<String> {
        (info.sleep_model == SleepModel::ThreadPerTask && self.tasks > 10_000).then(|| {
            "over 10000 OS threads held until joined: the sleep cells already show the OS limit"
                .into()
        })
    }

    /// Checks the bounds: `tasks` in 1..=[`TASKS_MAX`].
    fn validate(&self) -> Result<(), SpecError> {
        if !(1..=TASKS_MAX).contains(&self.tasks) {
            return Err(SpecError::out_of_range("tasks", self.tasks, 1, TASKS_MAX));
        }
        Ok(())
    }

    fn expected_checksum(&self) -> String {
        self.expected().checksum.to_string()
    }

    fn verify_run(&self, got: &RunOutcome) -> Result<(), Mismatch> {
        self.verify(got.counted(self.kind())?)
    }

    fn synthetic(&self, _: u32, _: std::time::Duration) -> RunOutcome {
        cases::synthetic(self)
    }

    fn warmup(&self) -> Self {
        SpawnSpec {
            tasks: self.tasks.min(1_000),
            ..*self
        }
    }

    fn rate(&self, wall_s: f64) -> f64 {
        self.tasks as f64 / wall_s
    }

    fn comparable(&self, _threads: u64) -> String {
        format!("tasks={}", self.tasks)
    }

    fn params_label(&self) -> String {
        match self.variant() {
            Some(variant) => format!("tasks={} spawn={variant}", self.tasks),
            None => format!("tasks={}", self.tasks),
        }
    }

    fn design_variant(&self) -> Option<Variant> {
        (self.from == SpawnFrom::Outside).then_some(Variant::SpawnFromOutside)
    }

    fn timeout_s(&self, _predicted_s: Option<f64>) -> f64 {
        30.0 + self.tasks as f64 * 1e-4
    }

    // Every task is spawned before the first is joined.
    fn held(&self, _in_flight: u64) -> u64 {
        self.tasks
    }

    fn with_variant(&self, variant: Variant) -> Option<Self> {
        (variant == Variant::SpawnFromOutside).then_some(SpawnSpec {
            from: SpawnFrom::Outside,
            ..*self
        })
    }
}
