//! Planning a run: which cells, at which sizes, which to skip, and how long to wait.

pub mod memory;

mod fit;
mod profile;
mod skip;
#[cfg(test)]
mod tests;

use shootout_core::call::Store;
use shootout_core::{Workload, WorkloadKind};

use crate::args::RunArgs;
use crate::backends::BackendName;

pub use fit::in_flight;
pub use profile::{ProfileData, builtin, chosen, default_for, default_workload};

use fit::{CUSTOM_FIT_S, fit, predict, with_threads};
use skip::{admits_skip, cpu_placements, profile_skip, sweep_skip, variant_skip, variants};

/// A cell to run (or to report as skipped).
#[derive(Clone, Debug)]
pub struct PlannedCell {
    /// The backend.
    pub backend: BackendName,
    /// The workload and its sizes.
    pub workload: Workload,
    /// Worker threads for this cell (the run's, or a point of the full profile's sweep).
    pub threads: u64,
    /// Predicted wall time of one trial, where it can be predicted.
    pub predicted_s: Option<f64>,
    /// Why the cell will not run, if it will not.
    pub skip: Option<String>,
    /// Per-trial timeout, seconds.
    pub timeout_s: u64,
    /// A second copy of the cell before it, for the A/A check.
    pub twin: bool,
}

/// Every cell of a run, in order: workload, then sizes, then backend.
#[derive(Clone, Debug)]
pub struct Plan {
    /// `quick`, `full`, or `custom`.
    pub profile: String,
    /// Trials per cell.
    pub trials: u32,
    /// Seconds the run may spend on more rounds for groups whose verdict is undecided
    /// (`--budget`, else the profile's).
    pub budget_s: f64,
    /// The cells.
    pub cells: Vec<PlannedCell>,
}

impl Plan {
    /// Trials that will actually run.
    pub fn trials_to_run(&self) -> u64 {
        let cells = self.cells.iter().filter(|cell| cell.skip.is_none()).count();
        cells as u64 * u64::from(self.trials)
    }
}

/// The A/A checks: two cheap cells run a second time under their own label, their trials
/// interleaved with the rest. One waiting cell (the first async runtime on the first fetch
/// latency cell), like most of the suite, and one computing cell (the first thread pool on
/// the first cpu cell), where this shared machine's noise is worst.
fn add_twins(cells: &mut Vec<PlannedCell>, threads: u64, profile: &ProfileData) {
    let picks = profile
        .cells
        .iter()
        .filter_map(|cell| Some((cell.twin?, &cell.workload)));
    for (family, wanted) in picks {
        let in_family = BackendName::all()
            .iter()
            .find(|b| b.info().family == family && cells.iter().any(|c| c.backend == **b));
        let Some(&backend) = in_family else { continue };
        let original = cells.iter().position(|cell| {
            cell.backend == backend
                && same_cell(&cell.workload, wanted, threads)
                && cell.threads == threads
                && cell.skip.is_none()
        });
        if let Some(at) = original {
            let twin = PlannedCell {
                twin: true,
                ..cells[at].clone()
            };
            cells.insert(at + 1, twin);
        }
    }
}

/// Whether `planned` is the profile's cell `asked`, as fitted to its backend (a fitted
/// latency cell runs fewer requests).
fn same_cell(planned: &Workload, asked: &Workload, threads: u64) -> bool {
    planned.kind() == asked.kind()
        && planned.variant() == asked.variant()
        && planned.comparable(threads) == asked.comparable(threads)
}

/// Plans `args` with `threads` workers per backend (tests: no pinning).
#[cfg(test)]
pub fn build(args: &RunArgs, threads: u64) -> Plan {
    let profile = profile::chosen(args).expect("a readable profile");
    build_within(args, profile, threads, None, crate::memory::budget())
}

/// Plans `args` with `threads` workers per backend, except the fetch cells against the
/// embedded server at the run's worker count, which get `fetch_threads` when `--pin`
/// gave the client fewer CPUs; a cell whose memory estimate is over `memory_budget` (what
/// one trial may take; `None`: not known) is skipped.
///
/// In passes: expand each workload into its sizes, then for every backend fit the cell,
/// predict it and run the skip rules, then add its placements and variants; last, the
/// A/A twins.
pub fn build_within(
    args: &RunArgs,
    profile: &ProfileData,
    threads: u64,
    fetch_threads: Option<u64>,
    memory_budget: Option<u64>,
) -> Plan {
    // A name given twice (`--backend tokio,tokio`) is one backend: first mention wins.
    let backends = if args.backend.is_empty() {
        BackendName::all().to_vec()
    } else {
        first_of_each(args.backend.iter().copied())
    };
    let kinds: Vec<WorkloadKind> = if args.workload.is_empty() {
        WorkloadKind::ALL.to_vec()
    } else {
        first_of_each(args.workload.iter().map(|&w| w.into()))
    };
    let custom = kinds.iter().any(|&kind| args.sizes.touches(kind));
    let planner = Planner::new(
        args,
        profile,
        threads,
        fetch_threads,
        memory_budget,
        &backends,
    );
    let mut cells = Vec::new();
    for kind in kinds {
        for (workload, cell_threads, fit_s) in expand(args, profile, kind, threads) {
            for &backend in &backends {
                cells.extend(planner.cells(backend, kind, &workload, cell_threads, fit_s));
            }
        }
    }
    if !custom {
        add_twins(&mut cells, threads, profile);
    }
    Plan {
        profile: if custom {
            "custom".into()
        } else {
            profile.name.clone()
        },
        trials: args.trials.unwrap_or(profile.trials),
        budget_s: args.budget.unwrap_or(profile.budget_s),
        cells,
    }
}

/// The cells of `kind` a run asks for, each with its worker count: the profile's, or the
/// one cell custom sizes describe (in every placement its verdict compares unless `--mode`
/// names one: [`Workload::compared`]).
fn expand(
    args: &RunArgs,
    profile: &ProfileData,
    kind: WorkloadKind,
    threads: u64,
) -> Vec<(Workload, u64, Option<f64>)> {
    if !args.sizes.touches(kind) {
        let cells = profile.cells.iter().filter(|c| c.workload.kind() == kind);
        return with_threads(cells, threads);
    }
    let mut workload = args.sizes.apply(default_for(kind, &args.sizes));
    // A size the question left to us is one its figures can rest on.
    if !args.sizes.gives("requests") {
        workload = workload.for_question();
    }
    let cells = if args.sizes.gives("mode") {
        vec![workload]
    } else {
        workload.compared()
    };
    cells
        .into_iter()
        .map(|cell| (cell, threads, None))
        .collect()
}

/// Which of the skip rules apply to a cell.
#[derive(Clone, Copy)]
struct Rules {
    /// At the run's worker count (not a point of a sweep).
    main: bool,
    /// Custom sizes: the profiles' own skips do not apply.
    custom: bool,
}

/// What every cell of one run is planned with.
struct Planner<'a> {
    args: &'a RunArgs,
    /// The run's worker count (a sweep's other points are not the main cells).
    run_threads: u64,
    fetch_threads: Option<u64>,
    memory_budget: Option<u64>,
    /// The longest predicted trial that runs (`--max-predicted`).
    max_predicted: f64,
    /// The trial time latency cells are fitted to.
    fit_s: f64,
    /// Backends that need what this machine may not give (io_uring), probed once.
    unavailable: Vec<(BackendName, Option<String>)>,
    /// Why PostgreSQL cannot be had here: no `--postgres`, and no server installed.
    no_postgres: Option<String>,
}

impl<'a> Planner<'a> {
    fn new(
        args: &'a RunArgs,
        profile: &ProfileData,
        run_threads: u64,
        fetch_threads: Option<u64>,
        memory_budget: Option<u64>,
        backends: &[BackendName],
    ) -> Self {
        let max_predicted = args
            .max_predicted
            .map_or(profile.max_predicted_s, |secs| secs as f64);
        let fit_s = profile.fit_s;
        let unavailable = backends
            .iter()
            .map(|&b| (b, b.info().unavailable()))
            .collect();
        let no_postgres = match (&args.postgres, shootout_database::binaries()) {
            (None, Err(shootout_database::ClusterError::Unavailable(why))) => Some(why),
            _ => None,
        };
        Planner {
            args,
            run_threads,
            fetch_threads,
            memory_budget,
            max_predicted,
            fit_s,
            unavailable,
            no_postgres,
        }
    }

    /// The cells of `workload` on `backend`: the cell itself, fitted, predicted and judged
    /// by the skip rules, then its placements of CPU jobs and its variants. None when the
    /// backend's other blocking modes stand for this one. A profile cell may fit to its own
    /// `cell_fit_s`.
    fn cells(
        &self,
        backend: BackendName,
        kind: WorkloadKind,
        workload: &Workload,
        threads: u64,
        cell_fit_s: Option<f64>,
    ) -> Vec<PlannedCell> {
        let custom = self.args.sizes.touches(kind);
        let main = threads == self.run_threads;
        let threads = match self.fetch_threads {
            Some(pinned) if main && workload.needs_server() => pinned,
            _ => threads,
        };
        // A placement asked for by name is never dropped silently.
        if !self.args.sizes.gives("mode") && workload.stood_for(backend.info()) {
            return Vec::new();
        }
        // Custom sizes are fitted like the profiles', never below the asked cell's own
        // ideal time: a backend that keeps every request in flight runs it whole.
        let fit_s = if custom {
            workload.ideal_s().unwrap_or(0.0).max(CUSTOM_FIT_S)
        } else {
            cell_fit_s.unwrap_or(self.fit_s)
        };
        let workload = fit(backend, workload, threads, fit_s);
        let predicted_s = predict(backend, &workload, threads);
        let timeout_s = self
            .args
            .trial_timeout
            .unwrap_or_else(|| workload.timeout_s(predicted_s));
        let mut cell = PlannedCell {
            backend,
            workload,
            threads,
            predicted_s,
            skip: None,
            timeout_s,
            twin: false,
        };
        cell.skip = self.skip(&cell, kind, Rules { main, custom });
        // Custom runs keep the labelled idioms too: a question is answered for the idioms
        // teams write as well as for the shared design.
        let mut placements = cpu_placements(backend, &cell.workload, main);
        placements.extend(variants(backend, &cell.workload, main));
        let mut cells = vec![cell.clone()];
        // A placement the backend refuses for this cell (the postgres crate inline on
        // tokio) is planned as skipped, with its reason.
        // Each fitted and predicted for what it keeps in flight (a blocking call inline on
        // W workers holds W, not the cell's C).
        cells.extend(placements.into_iter().map(|workload| {
            let workload = fit(backend, &workload, threads, fit_s);
            let predicted_s = predict(backend, &workload, threads);
            // A cell the profile leaves out on purpose leaves out only what its workload
            // says of each of these (smol's random reads through async-fs, not its
            // std-fs-on-pool cells).
            let inherited = match profile_skip(backend, &cell.workload) {
                Some(left) if cell.skip.as_ref() == Some(&left) => profile_skip(backend, &workload),
                _ => cell.skip.clone(),
            };
            let skip = inherited.or_else(|| admits_skip(backend, &workload));
            PlannedCell {
                timeout_s: (self.args.trial_timeout)
                    .unwrap_or_else(|| workload.timeout_s(predicted_s)),
                workload,
                predicted_s,
                skip,
                ..cell.clone()
            }
        }));
        cells
    }

    /// Why `cell` will not run: the first of the skip rules, in order, that says so.
    fn skip(
        &self,
        cell: &PlannedCell,
        kind: WorkloadKind,
        Rules { main, custom }: Rules,
    ) -> Option<String> {
        let (backend, workload, threads) = (cell.backend, &cell.workload, cell.threads);
        let rules: [&dyn Fn() -> Option<String>; 9] = [
            &|| self.unavailable_here(backend),
            &|| self.store_unavailable(workload),
            &|| {
                let why = backend.info().not_applicable(kind)?;
                Some(format!("not applicable: {why}"))
            },
            &|| variant_skip(backend, workload),
            &|| admits_skip(backend, workload),
            &|| sweep_skip(backend, workload, main),
            &|| (!custom).then(|| profile_skip(backend, workload)).flatten(),
            &|| self.too_long(cell),
            &|| {
                let estimate = crate::memory::estimate(backend, workload, threads, None);
                crate::memory::skip(estimate, self.memory_budget)
            },
        ];
        rules.iter().find_map(|rule| rule())
    }

    /// Why `backend` cannot run on this machine, if it cannot.
    fn unavailable_here(&self, backend: BackendName) -> Option<String> {
        let (_, why) = self.unavailable.iter().find(|(b, _)| *b == backend)?;
        why.as_ref().map(|why| format!("unavailable here: {why}"))
    }

    /// Why a cell that reads PostgreSQL cannot run here, if it cannot.
    fn store_unavailable(&self, workload: &Workload) -> Option<String> {
        let postgres = matches!(workload.store(), Some(Store::Postgres { .. }));
        let why = self.no_postgres.as_ref().filter(|_| postgres)?;
        Some(format!("unavailable here: {why}"))
    }

    /// Why a cell predicted to run longer than `--max-predicted` per trial is skipped.
    fn too_long(&self, cell: &PlannedCell) -> Option<String> {
        let max = self.max_predicted;
        cell.predicted_s.filter(|&p| p > max).map(|p| {
            format!(
                "predicted {p:.0} s per trial ({} in flight at most), \
                 over the {max:.0} s limit (--max-predicted)",
                in_flight(cell.backend, &cell.workload, cell.threads)
            )
        })
    }
}

/// `items` without repeats, in order of first appearance.
fn first_of_each<T: PartialEq>(items: impl Iterator<Item = T>) -> Vec<T> {
    let mut seen = Vec::new();
    for item in items {
        if !seen.contains(&item) {
            seen.push(item);
        }
    }
    seen
}
