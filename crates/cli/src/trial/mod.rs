//! `shootout trial`: one trial in this process, printed as one JSON object.

pub mod capacity;
pub mod child;
pub mod launch;
pub mod measure;
pub mod pin;
pub mod server;

use std::thread;
use std::time::Duration;

use shootout_core::results::{
    CallReport, FetchReport, FilesReport, TickReport, TrialRecord, over_workers,
};
use shootout_core::{Backend, RunOutcome, Target, Workload};

use crate::args::Fault;
use crate::backends::BackendName;
use crate::measure::{KernelSampler, measure};

/// Builds the backend, warms it up, times the workload alone and verifies the outcome.
/// `target` is where fetch requests go (None for other workloads, or for `--url`).
///
/// Never fails: every problem ends up in the record's `error`, so the parent always gets
/// a record when the process survives.
pub fn execute(
    backend_name: BackendName,
    workload: Workload,
    threads: u64,
    target: Option<&Target>,
    fault: Option<Fault>,
    partners: &[u32],
    bare: bool,
) -> TrialRecord {
    let mut record = TrialRecord::unrun(backend_name.name(), &workload, threads);
    let Some(backend) = ready(backend_name, &workload, threads, target, &mut record) else {
        return record;
    };

    match fault {
        Some(Fault::Panic) => panic!("injected fault: panic after warm-up"),
        Some(Fault::Hang) => loop {
            thread::sleep(Duration::from_secs(3600));
        },
        None => {}
    }

    // A capacity search is many timed runs, each prepared, measured and verified alone.
    if let Workload::Fetch(spec) = &workload
        && spec.search().is_some()
    {
        capacity::run(&*backend, spec, target, partners, &mut record);
        return record;
    }
    // A fitted cell's sample of request ids is computed now, not by the timed run.
    workload.prepare();
    let fds_before = open_fds();
    // Where each task's memory is measured, so is the kernel's, and how many tasks waited
    // at once.
    let held = workload.tasks_held();
    shootout_core::sleep::reset_pending();
    let sampler = held.and_then(|_| KernelSampler::start());
    if let (true, Some(tasks)) = (bare, held) {
        let measured = measure(|| backend.run_bare(&workload), partners, &backend.helpers());
        sampler.and_then(KernelSampler::finish);
        record.bare = true;
        record.wall_s = measured.wall_s;
        record.peak_rss_bytes = measured.peak_rss_bytes;
        record.baseline_rss_bytes = measured.baseline_rss_bytes;
        record.peak_rss_source = measured.peak_rss_source.to_string();
        match measured.value {
            Ok(joined) if joined == tasks => {
                record.ops = joined;
                record.checksum = record.expected_checksum.clone();
                record.verified = true;
            }
            Ok(joined) => record.error = Some(format!("{joined} of {tasks} tasks joined")),
            Err(err) => record.error = Some(err.to_string()),
        }
        return record;
    }
    let helpers = backend.helpers();
    let measured = measure(|| backend.run(&workload, target), partners, &helpers);
    if held.is_some() {
        record.kernel_bytes = sampler.and_then(KernelSampler::finish);
        record.pending_at_first_wake = shootout_core::sleep::pending_at_first_wake();
    }
    let fds_after = open_fds();
    record.wall_s = measured.wall_s;
    record.user_s = measured.user_s;
    record.sys_s = measured.sys_s;
    record.peak_rss_bytes = measured.peak_rss_bytes;
    record.baseline_rss_bytes = measured.baseline_rss_bytes;
    record.peak_rss_source = measured.peak_rss_source.to_string();
    record.disturbance = measured.disturbance;
    record.server_cpu_s = measured.partners_cpu_s;
    record.before_clock_s = measured.before_clock_s;
    record.device_read_bytes = measured.device_read_bytes;
    record.device_write_bytes = measured.device_write_bytes;
    match measured.value {
        Ok(outcome) => judge(
            &mut record,
            &workload,
            &outcome,
            threads,
            (fds_before, fds_after),
        ),
        Err(err) => record.error = Some(err.to_string()),
    }
    record
}

/// The backend built and warmed up for `workload`, or `None` with the reason in `record`
/// (unavailable here, not applicable, not built, or a failed warm-up).
fn ready(
    backend_name: BackendName,
    workload: &Workload,
    threads: u64,
    target: Option<&Target>,
    record: &mut TrialRecord,
) -> Option<Box<dyn Backend>> {
    if let Some(why) = backend_name.info().unavailable() {
        record.error = Some(format!("unavailable here: {why}"));
        return None;
    }
    if let Some(why) = backend_name.info().not_applicable(workload.kind()) {
        record.error = Some(format!("not applicable: {why}"));
        return None;
    }
    let backend = match backend_name.build(threads, workload) {
        Ok(backend) => backend,
        Err(err) => {
            record.error = Some(format!("building the backend failed: {err}"));
            return None;
        }
    };
    record.config = backend.config();
    let warmup = workload.warmup();
    let warmed = backend
        .run(&warmup, target)
        .map_err(|err| err.to_string())
        .and_then(|outcome| warmup.verify(&outcome).map_err(|err| err.to_string()));
    if let Err(err) = warmed {
        record.error = Some(format!("warm-up ({}) failed: {err}", warmup.params_label()));
        return None;
    }
    Some(backend)
}

/// Records the timed run's `outcome` and judges it: the answer verified, no more CPU than
/// W workers give (a backend that keeps a number of workers), no file descriptors left
/// behind beyond one idle connection per slot (fetch).
fn judge(
    record: &mut TrialRecord,
    workload: &Workload,
    outcome: &RunOutcome,
    threads: u64,
    (fds_before, fds_after): (Option<u64>, Option<u64>),
) {
    record.ops = outcome.ops();
    record.checksum = outcome.checksum();
    match outcome {
        RunOutcome::Fetched(fetched) => record.fetch = Some(FetchReport::of(fetched)),
        RunOutcome::Ticked(ticked) => record.ticks = Some(TickReport::of(ticked)),
        RunOutcome::Called(called) => record.calls = Some(CallReport::of(called)),
        RunOutcome::Read(read) => record.files = FilesReport::of(read),
        RunOutcome::Counted(_) => {}
    }
    match workload.verify(outcome) {
        Ok(()) => record.verified = true,
        Err(mismatch) => record.error = Some(mismatch.to_string()),
    }
    // Every backend's CPU work is held to W threads (a labelled variant is not).
    if let Some(why) = over_workers(workload, record, threads) {
        record.verified = false;
        record.error = Some(why);
    }
    let idle = workload.idle_connections();
    if let (Some(idle), Some(before), Some(after)) = (idle, fds_before, fds_after) {
        record.open_fds = Some((before, after));
        // A backend may keep one idle keep-alive connection per slot for reuse;
        // anything beyond that was left behind by the run (e.g. cancelled requests).
        let leaked = after.saturating_sub(before + idle);
        if leaked > 0 && record.verified {
            record.verified = false;
            record.error = Some(format!(
                "{leaked} file descriptors left open after the run ({before} before, {after} after, \
                 at most {idle} idle connections allowed)"
            ));
        }
    }
}

/// How many file descriptors this process has open.
fn open_fds() -> Option<u64> {
    std::fs::read_dir("/proc/self/fd")
        .ok()
        .map(|dir| dir.count() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use shootout_core::{CpuSpec, SleepSpec};

    #[test]
    fn a_small_trial_verifies_and_reports_its_config() {
        let workload = Workload::Cpu(CpuSpec::new(100_000, 4));
        let _alone = measure::ALONE.lock();
        let record = execute(BackendName::all()[0], workload, 2, None, None, &[], false);
        assert!(record.verified, "{:?}", record.error);
        assert_eq!(record.checksum, record.expected_checksum);
        assert_eq!(record.config.get("workers").map(String::as_str), Some("2"));
    }

    #[test]
    fn a_backend_error_is_recorded_not_raised() {
        // A backend that cannot run here fails to build: worker processes need the
        // shootout binary, which this unit test is not.
        let unavailable = *BackendName::all()
            .iter()
            .find(|b| b.info().unavailable().is_some())
            .expect("a backend that needs the shootout binary");
        let sleep = Workload::Sleep(SleepSpec {
            tasks: 2,
            sleep_ms: 0,
        });
        let _alone = measure::ALONE.lock();
        let record = execute(unavailable, sleep, 2, None, None, &[], false);
        assert!(!record.verified);
        let error = record.error.unwrap();
        let why = unavailable.info().unavailable().unwrap();
        assert_eq!(error, format!("unavailable here: {why}"));
    }
}
