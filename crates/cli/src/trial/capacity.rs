//! A capacity trial: the search of paced runs that finds the most load a backend holds
//! within the SLO ([`shootout_core::fetch::capacity`]). Each step is measured and verified
//! as a trial of its own would be; the record sums them and keeps every step.

use shootout_core::fetch::capacity::{Searched, Step};
use shootout_core::fetch::search::search;
use shootout_core::results::{Disturbance, FetchReport, TrialRecord};
use shootout_core::{Backend, FetchSpec, RunOutcome, Target, Workload, WorkloadSpec};

use crate::measure::{Measured, measure};

/// Runs `spec`'s search on `backend` and fills `record`: every step, the highest rate that
/// held, the sums of the steps' times, and the report of the step at that rate. A step
/// that fails to verify fails the trial: a wrong answer is not a rate that did not hold.
pub fn run(
    backend: &dyn Backend,
    spec: &FetchSpec,
    target: Option<&Target>,
    partners: &[u32],
    record: &mut TrialRecord,
) {
    let (Some(bounds), Some(slo_ms)) = (spec.bounds(), spec.search().map(|s| s.slo_ms)) else {
        record.error = Some("not a capacity search".into());
        return;
    };
    let helpers = backend.helpers();
    let mut steps: Vec<Step> = Vec::new();
    let mut reports: Vec<FetchReport> = Vec::new();
    let found = search(bounds, |rate| {
        let step = spec.step(rate);
        let workload = Workload::Fetch(step.clone());
        workload.prepare();
        let measured = measure(|| backend.run(&workload, target), partners, &helpers);
        add(record, &measured, step.requests);
        let outcome = measured
            .value
            .map_err(|err| format!("at {rate:.0}/s: {err}"))?;
        workload
            .verify(&outcome)
            .map_err(|mismatch| format!("at {rate:.0}/s: {mismatch}"))?;
        let RunOutcome::Fetched(fetched) = &outcome else {
            return Err(format!("at {rate:.0}/s: not a fetch outcome"));
        };
        let report = FetchReport::of(fetched);
        let ideal_s = report
            .server_delay_s
            .and_then(|delay| step.ideal_s_with(delay))
            .or_else(|| step.ideal_s())
            .unwrap_or(0.0);
        let done = Step {
            rate,
            requests: step.requests,
            wall_s: measured.wall_s,
            ideal_s,
            p99_us: report.from_due_us.map(|due| due.p99),
        };
        let held = done.holds(slo_ms);
        steps.push(done);
        reports.push(report);
        Ok(held)
    });
    match found {
        Ok(found) => {
            let at = found
                .rate
                .and_then(|rate| steps.iter().position(|s| s.rate == rate))
                .unwrap_or(0);
            record.fetch = reports.get(at).cloned();
            record.capacity = Some(Searched {
                slo_ms,
                first_rate: bounds.low,
                rate: found.rate,
                at_ceiling: found.at_ceiling,
                steps,
            });
            record.checksum = record.expected_checksum.clone();
            record.verified = true;
        }
        Err(err) => record.error = Some(err),
    }
}

/// Adds one step's measures to the record's sums (its peak, the highest).
fn add<T>(record: &mut TrialRecord, measured: &Measured<T>, requests: u64) {
    record.ops += requests;
    record.wall_s += measured.wall_s;
    record.user_s += measured.user_s;
    record.sys_s += measured.sys_s;
    record.peak_rss_bytes = record.peak_rss_bytes.max(measured.peak_rss_bytes);
    if record.baseline_rss_bytes == 0 {
        record.baseline_rss_bytes = measured.baseline_rss_bytes;
    }
    record.peak_rss_source = measured.peak_rss_source.to_string();
    if let Some(partners) = measured.partners_cpu_s {
        *record.server_cpu_s.get_or_insert(0.0) += partners;
    }
    if let Some(before) = measured.before_clock_s {
        *record.before_clock_s.get_or_insert(0.0) += before;
    }
    if let Some(step) = &measured.disturbance {
        let sum = record.disturbance.get_or_insert(Disturbance {
            steal_s: 0.0,
            others_s: 0.0,
            cpus: step.cpus,
        });
        sum.steal_s += step.steal_s;
        sum.others_s += step.others_s;
    }
}
