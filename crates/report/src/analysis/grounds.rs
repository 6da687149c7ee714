//! Why a row has its verdict, as data: what the rule compared and the notes the row
//! carries. The rules build it; [`crate::words`] alone turns it into the sentence that
//! the page, summary.md and the terminal print.

use shootout_core::Family;
use shootout_core::stats::Comparison;

use super::Metric;

/// A backend as a verdict names it: its label, its family as the rule sees it, and its
/// comparison with the row's best.
#[derive(Clone, Debug)]
pub struct Named {
    /// The backend, with its placement or variant where it has one.
    pub label: String,
    /// Its family (io_uring runtimes count as async).
    pub family: Family,
    /// It against the row's best.
    pub comparison: Comparison,
}

/// What the best backend of a row leads by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lead {
    /// The highest rate: "is fastest".
    Rate,
    /// The lowest p99: "has the lowest p99".
    P99,
    /// The most offered load within the SLO: "holds the most load".
    Load,
    /// The least client CPU per request: "uses the least CPU per request".
    CpuPerRequest,
}

/// What a rule compared to reach its verdict.
#[derive(Clone, Debug)]
pub enum Basis {
    /// No backend of the family the rule favours verified: nothing to judge.
    NoneOf {
        /// The family the rule favours.
        family: Family,
    },
    /// A backend of the favoured family leads; every other family's backend against it.
    Leads {
        /// The leader.
        best: String,
        /// Its family, the favoured one.
        family: Family,
        /// What it leads by.
        lead: Lead,
        /// The other families' backends, each against it.
        others: Vec<Named>,
    },
    /// A backend of another family leads the family rule's row; the favoured family's best
    /// against it (none when the two could not be compared).
    Trails {
        /// The leader.
        best: String,
        /// Its family.
        best_family: Family,
        /// What it leads by.
        lead: Lead,
        /// The family the rule favours.
        family: Family,
        /// That family's best backend.
        family_best: String,
        /// It against the leader.
        comparison: Option<Comparison>,
    },
    /// A backend of another family holds the most load; the best async runtime against it
    /// (none: no async runtime has a knee).
    TrailsOnLoad {
        /// The leader.
        best: String,
        /// Its family.
        best_family: Family,
        /// The best async runtime against it.
        async_best: Option<Named>,
    },
    /// The blocking rule: each async runtime's inline p99 tick lateness against its
    /// offloaded one, shown as inline over offloaded (the outcome is offloading's).
    Offload {
        /// Each runtime's label and comparison.
        pairs: Vec<(String, Comparison)>,
    },
    /// The rule for blocking libraries: each async runtime's calls on its blocking pool
    /// against the same calls inline on its workers (pooled over inline).
    OnThreads {
        /// Each runtime's label and comparison.
        pairs: Vec<(String, Comparison)>,
    },
    /// The rule for files: the best io_uring runtime against the best epoll runtime and the
    /// best backend of plain threads (io_uring over each).
    OnRing {
        /// The best io_uring runtime, where one verified.
        ring: Option<String>,
        /// Each rival's label and the io_uring runtime against it.
        pairs: Vec<(String, Comparison)>,
    },
}

/// A caveat a row carries after its verdict.
#[derive(Clone, Debug)]
pub enum Note {
    /// CPU jobs ran inline on async workers, the naive placement: each such cell against
    /// the best (none: it is the best).
    Inline(Vec<(String, Option<Comparison>)>),
    /// The calls through an async library on each runtime, against the blocking library
    /// on the same runtime's blocking pool (async over pool), on each figure.
    AsyncLibrary {
        /// Calls per second.
        rate: Vec<(String, Comparison)>,
        /// p99 per call.
        p99: Vec<(String, Comparison)>,
        /// The client's CPU per call.
        cpu: Vec<(String, Comparison)>,
        /// Memory per worker (of C).
        memory: Vec<(String, Comparison)>,
    },
    /// The ticker beside the calls: each async runtime's p99 tick lateness with its calls
    /// on the blocking pool against inline (pool over inline), labelled by the inline cell.
    CallTicker {
        /// The ticker's period, microseconds.
        tick_us: u64,
        /// Each runtime's label and comparison.
        pairs: Vec<(String, Comparison)>,
    },
    /// The client's CPU per call with the calls on the blocking pool against inline (pool
    /// over inline): what the pool's hand-offs cost.
    PoolCpu(Vec<(String, Comparison)>),
    /// Memory per worker (of C) with the calls on the blocking pool against inline (pool
    /// over inline): what the pool's threads hold.
    PoolMemory(Vec<(String, Comparison)>),
    /// The files rule's pairs on p99 per read and CPU per read (io_uring over each rival).
    RingCosts {
        /// p99 per read.
        p99: Vec<(String, Comparison)>,
        /// The client's CPU per read.
        cpu: Vec<(String, Comparison)>,
    },
    /// The embedded server used the CPUs it had in these cells, of `of` verified.
    ServerBound {
        /// The cells' labels.
        cells: Vec<String>,
        /// How many cells verified.
        of: usize,
    },
    /// Client and server together used the machine's CPUs in these cells, of `of`
    /// verified: their rate is the machine's. `judged` says whether the row is judged on
    /// CPU per request for it.
    MachineBound {
        /// The cells' labels.
        cells: Vec<String>,
        /// How many cells verified.
        of: usize,
        /// The machine's CPUs.
        cpus: u64,
        /// Whether the row is judged on client CPU per request because of it.
        judged: bool,
    },
    /// Other families' backends skipped (predicted over the limit, or not applicable).
    Skipped(Vec<String>),
    /// A backend's own idiom beat every shared design beyond the margin: the idiom, and the
    /// best shared design against it.
    Idiom {
        /// The idiom that leads by median.
        lead: String,
        /// The best shared design.
        shared_best: String,
        /// The shared design against the idiom.
        comparison: Comparison,
        /// What the row compares, for the outcome's word.
        metric: Metric,
        /// Where the row holds CPU work to W threads and the idiom is not held to it: the
        /// cores it used (median) and W.
        beyond_w: Option<(f64, u64)>,
    },
    /// Backends left out of a p99 or CPU-per-request row because they keep fewer than
    /// `concurrency` requests in flight.
    LeftOut {
        /// Their labels.
        backends: Vec<String>,
        /// The concurrency asked.
        concurrency: u64,
        /// What the row compares.
        metric: super::Metric,
    },
    /// The knee row's definition: the SLO its knees are taken at, microseconds.
    Knees {
        /// The p99 SLO.
        slo_us: f64,
    },
    /// Each trial searched its own knee (a capacity cell).
    Searched {
        /// The p99 SLO.
        slo_us: f64,
    },
}

/// The grounds of a verdict: what was compared, at which equivalence margin, and the notes.
#[derive(Clone, Debug)]
pub struct Grounds {
    /// What the rule compared.
    pub basis: Basis,
    /// The equivalence margin of every comparison, a fraction.
    pub margin: f64,
    /// The row's caveats, in the order they are told.
    pub notes: Vec<Note>,
}
