//! `results.csv`: one row per trial, for spreadsheets and scripts.

use std::io::{self, Write};

use shootout_core::results::RunResults;

/// The CSV header. `p50_us` and `p99_us` are request latency for fetch workloads and tick
/// lateness for blocking; `position` and `started_s` place the trial in the run's order
/// (empty in files that predate it); `twin` marks an A/A copy; `disturbance` is steal plus
/// other processes' CPU as a fraction of the CPU capacity during the workload.
pub const HEADER: &str = "run,machine,backend,workload,params,threads,twin,trial,position,started_s,\
ok,wall_s,user_s,sys_s,peak_rss_bytes,baseline_rss_bytes,ops,rate,rate_unit,p50_us,p99_us,\
disturbance,disturbed,slowed,failure";

/// Every trial of every run as CSV (RFC 4180 quoting), in memory: [`fn@write`] streams it.
pub fn trials(runs: &[RunResults]) -> String {
    let mut out = Vec::new();
    write(runs, &mut out).expect("writing to memory does not fail");
    String::from_utf8(out).expect("the rows are UTF-8")
}

/// Every trial of every run as CSV, a row at a time into `out`: a run of many trials never
/// holds the whole file in memory.
pub fn write(runs: &[RunResults], out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "{HEADER}")?;
    for (index, run) in runs.iter().enumerate() {
        for cell in &run.cells {
            for trial in &cell.trials {
                let record = trial.record.as_ref();
                let number = |pick: fn(&shootout_core::results::TrialRecord) -> f64| {
                    record.map(|r| pick(r).to_string()).unwrap_or_default()
                };
                let latency = |pick: fn(&shootout_core::tally::Percentiles) -> u64| {
                    record
                        .and_then(|r| {
                            r.fetch
                                .as_ref()
                                .map(|f| &f.latency_us)
                                .or(r.ticks.as_ref().map(|t| &t.lateness_us))
                        })
                        .map(|p| pick(p).to_string())
                        .unwrap_or_default()
                };
                let fields = [
                    (index + 1).to_string(),
                    format!("{} x{}", run.machine.cpu_model, run.machine.cores),
                    cell.backend.clone(),
                    cell.workload.kind().to_string(),
                    cell.workload.params_label(),
                    cell.threads.to_string(),
                    cell.twin.to_string(),
                    trial.index.to_string(),
                    trial.position.map(|p| p.to_string()).unwrap_or_default(),
                    trial.started_s.map(|s| s.to_string()).unwrap_or_default(),
                    trial.ok.to_string(),
                    number(|r| r.wall_s),
                    number(|r| r.user_s),
                    number(|r| r.sys_s),
                    number(|r| r.peak_rss_bytes as f64),
                    number(|r| r.baseline_rss_bytes as f64),
                    number(|r| r.ops as f64),
                    record
                        .map(|r| cell.workload.rate_of(r).to_string())
                        .unwrap_or_default(),
                    cell.workload.kind().rate_unit().to_string(),
                    latency(|p| p.p50),
                    latency(|p| p.p99),
                    record
                        .and_then(|r| Some(r.disturbance.as_ref()?.fraction(r.wall_s).to_string()))
                        .unwrap_or_default(),
                    record
                        .map(|r| r.disturbed().to_string())
                        .unwrap_or_default(),
                    record
                        .map(|_| cell.slowed().contains(&trial.index).to_string())
                        .unwrap_or_default(),
                    trial.failure.clone().unwrap_or_default(),
                ];
                let line: Vec<String> = fields.iter().map(|f| quote(f)).collect();
                writeln!(out, "{}", line.join(","))?;
            }
        }
    }
    Ok(())
}

fn quote(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(quote("plain"), "plain");
        assert_eq!(quote("a,b"), "\"a,b\"");
        assert_eq!(quote("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
