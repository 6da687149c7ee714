//! Which cells a backend runs or skips beyond the main ones: placements of CPU jobs, its
//! own idioms, sweep points, and what a profile leaves out.

use shootout_core::Workload;

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

/// Why a worker-thread sweep leaves a cell out, as its workload says
/// ([`Workload::outside_sweep`]).
pub(super) fn sweep_skip(backend: BackendName, workload: &Workload, main: bool) -> Option<String> {
    (!main)
        .then(|| workload.outside_sweep(backend.info()))
        .flatten()
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

/// Cells a profile leaves out on purpose, whatever their prediction, as their workload
/// says ([`Workload::left_out`]).
pub(super) fn profile_skip(backend: BackendName, workload: &Workload) -> Option<String> {
    workload.left_out(backend.info())
}
