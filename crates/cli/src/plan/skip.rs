//! Which cells a backend runs or skips beyond the main ones: placements of CPU jobs, its
//! own idioms, sweep points, blocking modes, and what a profile leaves out.

use shootout_core::{BlockingMode, BlockingSpec, SleepModel, Workload};

use crate::backends::BackendName;

/// The cells a backend runs besides the cell itself to compare placements of CPU jobs (an
/// async runtime's jobs inline and on rayon next to its blocking pool). Only at the run's
/// worker count, not in a sweep.
pub(super) fn cpu_placements(
    backend: BackendName,
    workload: &Workload,
    main: bool,
) -> Vec<Workload> {
    if !main {
        return Vec::new();
    }
    workload.placements(backend.info().cpu_modes())
}

/// The labelled variants a backend runs next to a cell of the shared design: its own
/// idioms (`spawn` from outside the runtime, its own channel, a task per request), at the
/// run's worker count only.
pub(super) fn variants(backend: BackendName, workload: &Workload, main: bool) -> Vec<Workload> {
    if !main {
        return Vec::new();
    }
    backend
        .info()
        .variants
        .iter()
        .filter_map(|variant| variant.apply(workload))
        .collect()
}

/// A thread per job ignores W: the threads sweep leaves `threads` out (with this reason)
/// rather than run the same 64 threads at every point of it.
pub(super) fn sweep_skip(backend: BackendName, workload: &Workload, main: bool) -> Option<String> {
    (!main
        && matches!(workload, Workload::Cpu(_))
        && backend.info().sleep_model == SleepModel::ThreadPerTask)
        .then(|| {
            format!(
                "not applicable: {} starts a thread per job whatever W is, so it has no \
                 place in the worker-thread sweep",
                backend.name()
            )
        })
}

/// Why a cell asked for by name in a variant the backend does not run is skipped.
pub(super) fn variant_skip(backend: BackendName, workload: &Workload) -> Option<String> {
    let variant = backend.info().lacks_variant(workload)?;
    Some(format!(
        "not applicable: {} runs only the shared design of {}, not {variant}",
        backend.name(),
        workload.kind()
    ))
}

/// Why a cell asks for what the backend does not offer (a placement of CPU jobs it does
/// not have, say), as the workload itself says ([`Workload::admits`]): planned as skipped
/// instead of failing at trial time.
pub(super) fn admits_skip(backend: BackendName, workload: &Workload) -> Option<String> {
    let why = workload.admits(backend.info()).err()?;
    Some(format!("not applicable: {why}"))
}

/// What to do with a blocking cell whose mode a backend may not offer.
pub(super) enum ModeSkip {
    Run,
    /// Leave it out of the plan: the backend's other modes already stand for it.
    Omit,
    /// Plan it as skipped, with the reason.
    Skip(String),
}

/// A backend without the blocking workload gets one not-applicable cell per size (its
/// inline one); a backend with it runs the modes it offers. A mode asked for by name is
/// never dropped silently.
pub(super) fn blocking_mode_skip(
    backend: BackendName,
    spec: &BlockingSpec,
    asked: bool,
) -> ModeSkip {
    let info = backend.info();
    if info.blocking_modes.contains(&spec.mode) {
        ModeSkip::Run
    } else if !asked && (!info.blocking_modes.is_empty() || spec.mode != BlockingMode::Inline) {
        ModeSkip::Omit
    } else {
        ModeSkip::Skip(format!(
            "not applicable: {} runs blocking only as {}",
            info.name,
            info.blocking_modes_label()
        ))
    }
}

/// Cells a profile leaves out on purpose, whatever their prediction.
pub(super) fn profile_skip(backend: BackendName, workload: &Workload) -> Option<String> {
    match workload {
        Workload::Sleep(spec)
            if backend.info().sleep_model == SleepModel::ThreadPerTask && spec.tasks > 100_000 =>
        {
            Some("over 100000 OS threads: the 100000-task cell already shows the OS limit".into())
        }
        // A thread that ends but is not yet joined keeps its stack mapped: a thread per
        // task meets the OS limit near 16k un-joined threads, as sleep already shows.
        Workload::Spawn(spec)
            if backend.info().sleep_model == SleepModel::ThreadPerTask && spec.tasks > 10_000 =>
        {
            Some("over 10000 OS threads held until joined: the sleep cells already show the OS limit".into())
        }
        _ => None,
    }
}
