//! The rule that holds CPU work to W threads: in a kind judged on W threads (cpu), a
//! trial that used more cores than W did not compute with a pool equal to the others', so
//! it does not count. A trial is held to it when it runs, and a page rendered from
//! recorded trials holds them to it again, so an old file that predates the rule shows
//! such a trial as failed rather than as a verdict.

use super::{CellStatus, RunResults, TrialRecord};
use crate::workload::Workload;

/// How far past W threads a trial's CPU may go (an idle event loop, timers and rusage's
/// accounting add a little beside the W computing threads), plus `SLACK_S`.
pub const SLACK: f64 = 1.1;

/// CPU seconds any trial may use beyond [`SLACK`] × W: a short trial's fixed costs.
pub const SLACK_S: f64 = 0.05;

/// Why `record`, a verified trial of `workload` on `threads` workers, used more CPU than W
/// threads give, if it did. A labelled variant (a thread per job) is not held to W: it
/// shows what its idiom does.
pub fn over_workers(workload: &Workload, record: &TrialRecord, threads: u64) -> Option<String> {
    let held = workload.kind().on_w_threads() && workload.design_variant().is_none();
    if !held || !record.verified || record.wall_s <= 0.0 {
        return None;
    }
    let (cpu_s, wall_s) = (record.user_s + record.sys_s, record.wall_s);
    let allowed = wall_s * threads as f64 * SLACK + SLACK_S;
    (cpu_s > allowed).then(|| {
        format!(
            "used {:.2} cores ({cpu_s:.3} s of CPU in {wall_s:.3} s) with --threads {threads}: \
             CPU work must run on at most W threads, or the backends are not compared with \
             equal pools",
            cpu_s / wall_s
        )
    })
}

impl RunResults {
    /// Holds every recorded trial to [`over_workers`] again: a trial over it fails, and
    /// its cell with it, as in a run. Returns how many trials it failed.
    pub fn recheck_cores(&mut self) -> usize {
        let mut failed = 0;
        for cell in &mut self.cells {
            let mut first = None;
            for trial in &mut cell.trials {
                let Some(record) = trial.record.as_mut() else {
                    continue;
                };
                if let Some(why) = over_workers(&cell.workload, record, cell.threads) {
                    record.verified = false;
                    record.error = Some(why.clone());
                    trial.ok = false;
                    trial.failure = Some(why.clone());
                    first.get_or_insert(why);
                    failed += 1;
                }
            }
            if let Some(why) = first {
                cell.status = CellStatus::Failed;
                cell.reason = Some(why);
                cell.summary = None;
            }
        }
        failed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CpuSpec;
    use crate::design::Variant;

    fn trial(workload: &Workload, cpu_s: f64, wall_s: f64) -> TrialRecord {
        let mut record = TrialRecord::unrun("x", workload, 1);
        (record.verified, record.user_s, record.wall_s) = (true, cpu_s, wall_s);
        record
    }

    #[test]
    fn cpu_work_on_more_threads_than_w_does_not_count() {
        let cpu = Workload::Cpu(CpuSpec::new(1_000, 64));
        // compio's default blocking pool at --threads 1: 64 jobs on both cores.
        let why = over_workers(&cpu, &trial(&cpu, 0.75, 0.38), 1).expect("two cores at W = 1");
        assert!(why.starts_with("used 1.97 cores"), "{why}");
        assert!(why.contains("--threads 1"), "{why}");
        // W threads busy, plus an event loop's crumbs, is within the slack.
        assert_eq!(over_workers(&cpu, &trial(&cpu, 1.52, 0.76), 2), None);
        assert_eq!(over_workers(&cpu, &trial(&cpu, 0.80, 0.75), 1), None);
        // A trial too short to measure cores is left alone.
        assert_eq!(over_workers(&cpu, &trial(&cpu, 0.01, 0.001), 1), None);
        // A thread per job, the labelled variant, is not held to W; nor is a kind that is
        // not judged on W threads.
        let per_job = cpu.with_variant(Variant::ThreadPerJob).expect("cpu has it");
        assert_eq!(
            over_workers(&per_job, &trial(&per_job, 0.75, 0.38), 1),
            None
        );
        let sleep = Workload::Sleep(crate::SleepSpec {
            tasks: 1,
            sleep_ms: 0,
        });
        assert_eq!(over_workers(&sleep, &trial(&sleep, 0.75, 0.38), 1), None);
    }
}
