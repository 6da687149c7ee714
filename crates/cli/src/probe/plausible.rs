//! Results that cannot be true. Verification proves a trial's answer, not that the work was
//! done here: a worker that returns the right checksum without computing it would verify.
//! So a verified trial must also fit this machine: no CPU rate beyond the cores times the
//! kernel's single-core rate measured at the start of the run (with a margin for this
//! shared machine's swings), and no run faster than the waits it is made of (every sleep
//! and every delayed answer takes its time).

use std::time::Instant;

use shootout_core::results::TrialRecord;
use shootout_core::{Workload, cpu};

/// How far beyond `cores × measured single-core rate` a trial may go before it is called
/// impossible: the same job swings by up to 60% here between trials, so a calibration taken
/// in a slow moment can sit 2.5x below a fast one; 4x leaves room for that and still
/// catches a faked answer (thousands of times the machine).
pub const CPU_MARGIN: f64 = 4.0;

/// The least share of its ideal time a run of timed waits can take: timers fire late,
/// never early, so anything under this did not wait.
pub const WAIT_FLOOR: f64 = 0.9;

/// What this machine can do, measured when the run starts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limits {
    /// The CPU kernel's rate on one core, elements per second (the best of a few tries).
    pub kernel_per_core: f64,
    /// Cores the run may use.
    pub cores: u64,
}

impl Limits {
    /// Times core's CPU kernel on this thread for three spells of at least 10 ms each, and
    /// keeps the fastest (about 30 ms in all, in any build).
    pub fn measure(cores: u64) -> Limits {
        const CHUNK: u64 = 1_000_000;
        let spell = || {
            let started = Instant::now();
            let mut done = 0;
            while started.elapsed().as_secs_f64() < 0.010 {
                std::hint::black_box(cpu::job(done..std::hint::black_box(done + CHUNK)));
                done += CHUNK;
            }
            done as f64 / started.elapsed().as_secs_f64()
        };
        Limits {
            kernel_per_core: (0..3).map(|_| spell()).fold(0.0, f64::max),
            cores,
        }
    }

    /// The fastest CPU rate a trial may claim, elements per second.
    pub fn cpu_cap(&self) -> f64 {
        self.kernel_per_core * self.cores as f64 * CPU_MARGIN
    }
}

/// Why a verified `record` of `workload` cannot be true on this machine, if it cannot.
pub fn check(workload: &Workload, record: &TrialRecord, limits: &Limits) -> Option<String> {
    if !record.verified || record.wall_s <= 0.0 {
        return None;
    }
    if let Some(elements) = workload.kernel_elements() {
        let rate = elements as f64 / record.wall_s;
        return (rate > limits.cpu_cap()).then(|| {
            format!(
                "impossible on this machine: {:.2} Gelem/s, beyond {} cores × {:.2} Gelem/s \
                 (the kernel's single-core rate measured at the start of the run) × {CPU_MARGIN} \
                 margin; the answer was right, but it was not computed here",
                rate / 1e9,
                limits.cores,
                limits.kernel_per_core / 1e9
            )
        });
    }
    let floor = workload.waits_floor_s().filter(|&s| s >= 0.001)?;
    (record.wall_s < floor * WAIT_FLOOR).then(|| {
        format!(
            "impossible: done in {:.4} s, under the {floor:.4} s its timed waits take \
             (every sleep, every delayed answer): the work did not wait as it must",
            record.wall_s
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use shootout_core::{CpuSpec, SleepSpec};

    fn record(workload: &Workload, wall_s: f64) -> TrialRecord {
        TrialRecord {
            wall_s,
            verified: true,
            checksum: workload.expected_checksum(),
            ..TrialRecord::unrun("b", workload, 2)
        }
    }

    #[test]
    fn a_faked_cpu_rate_is_impossible_and_a_real_one_is_not() {
        let limits = Limits::measure(2);
        assert!(limits.kernel_per_core > 1e6, "{limits:?}");
        let cpu = Workload::Cpu(CpuSpec::new(5_000_000_000, 64));
        // 5,825 Gelem/s: what a worker that skipped the work showed.
        let said = check(&cpu, &record(&cpu, 5e9 / 5.825e12), &limits).unwrap();
        assert!(
            said.contains("impossible on this machine: 5825.00 Gelem/s"),
            "{said}"
        );
        // Two cores at the measured rate, and a fast moment 2.5x above it, are possible.
        let real = 5e9 / (2.0 * 2.5 * limits.kernel_per_core);
        assert_eq!(check(&cpu, &record(&cpu, real), &limits), None);
    }

    #[test]
    fn a_run_faster_than_its_waits_is_impossible() {
        let limits = Limits {
            kernel_per_core: 1e9,
            cores: 2,
        };
        let sleep = Workload::Sleep(SleepSpec {
            tasks: 100,
            sleep_ms: 100,
        });
        assert!(check(&sleep, &record(&sleep, 0.01), &limits).is_some());
        assert_eq!(check(&sleep, &record(&sleep, 0.102), &limits), None);
        // An unverified record is already a failure: nothing more to say.
        let mut failed = record(&sleep, 0.01);
        failed.verified = false;
        assert_eq!(check(&sleep, &failed, &limits), None);
    }
}
