//! A cell's summary: the medians and spreads of its verified trials.

use serde::{Deserialize, Serialize};

use super::{FetchReport, TrialRecord};
use crate::stats::Spread;
use crate::tally::Percentiles;
use crate::workload::Workload;

/// Medians and spreads of a cell's verified trials.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Trials summarized.
    pub trials: usize,
    /// Wall time, seconds.
    pub wall_s: Spread,
    /// Rate in `rate_unit`.
    pub rate: Spread,
    /// `tasks/s` or `Gelem/s`.
    pub rate_unit: String,
    /// User plus system CPU time, seconds.
    pub cpu_s: Spread,
    /// Peak resident memory, bytes.
    pub peak_rss_bytes: Spread,
    /// Peak memory above the pre-workload baseline per task (sleep only).
    pub bytes_per_task: Option<Spread>,
    /// Ideal time over wall time, where an ideal exists (1.0 = no overhead at all).
    #[serde(default)]
    pub efficiency: Option<Spread>,
    /// Latency percentiles across trials, microseconds: requests for fetch, tick lateness
    /// for blocking.
    #[serde(default)]
    pub latency_us: Option<LatencySpread>,
    /// Paced fetch: latency from when each request was due, across trials, microseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_due_us: Option<LatencySpread>,
    /// Paced fetch: how late requests were sent, across trials, microseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send_late_us: Option<LatencySpread>,
    /// The embedded server's CPU time over wall time (1.0 = one core busy), fetch only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_cores: Option<Spread>,
    /// Client plus server CPU time over wall time (fetch against the embedded server).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine_cores: Option<Spread>,
    /// The fewest CPUs any trial's machine had.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpus: Option<u64>,
    /// What bounded the cell's rate, when its CPUs ran out ([`Summary::judge_bound`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bound: Option<super::Bound>,
    /// Kernel memory per task (kernel stacks, page tables), bytes, sleep only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kernel_bytes_per_task: Option<Spread>,
    /// Sleep tasks waiting when the first timer fired (all at once when it is the count).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_at_first_wake: Option<Spread>,
}

/// Each latency percentile's spread across trials.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LatencySpread {
    /// Median latency.
    pub p50: Spread,
    /// 90th percentile.
    pub p90: Spread,
    /// 99th percentile.
    pub p99: Spread,
    /// 99.9th percentile.
    pub p999: Spread,
    /// Largest.
    pub max: Spread,
    /// The fewest samples any trial's percentiles were read from (absent in files that
    /// predate it and where a trial did not say).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<u64>,
}

/// A percentile as it can be read: its value, or the largest sample where there were too
/// few samples to read it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Reading {
    /// The percentile, over the trials.
    Percentile(Spread),
    /// The largest sample, over the trials: fewer than [`LatencySpread::needed`] samples.
    Max(Spread),
}

impl LatencySpread {
    /// Samples needed to read quantile `q` (0.99 for p99): ten beyond it, `10 / (1 − q)`
    /// in all (1,000 for p99, 10,000 for p99.9).
    pub fn needed(q: f64) -> u64 {
        (10.0 / (1.0 - q)).round() as u64
    }

    /// Quantile `q` (0.5, 0.9, 0.99 or 0.999) as these trials can read it: the largest
    /// sample where they held fewer than [`LatencySpread::needed`] (a p99 of 200 is the
    /// second largest of 200 values, not a p99). Files that predate sample counts read as
    /// they were written.
    pub fn reading(&self, q: f64) -> Reading {
        let spread = match q {
            q if q <= 0.5 => self.p50,
            q if q <= 0.9 => self.p90,
            q if q <= 0.99 => self.p99,
            _ => self.p999,
        };
        match self.n {
            Some(n) if n < LatencySpread::needed(q) => Reading::Max(self.max),
            _ => Reading::Percentile(spread),
        }
    }

    /// Each percentile's spread over `reports`, one per trial; `None` unless every one of
    /// the `trials` trials has one. `n` is the samples each was read from where the report
    /// does not say (older files).
    pub fn of(reports: &[(&Percentiles, Option<u64>)], trials: usize) -> Option<LatencySpread> {
        if reports.is_empty() || reports.len() != trials {
            return None;
        }
        let spread =
            |pick: fn(&Percentiles) -> f64| Spread::of(reports.iter().map(|(r, _)| pick(r)));
        Some(LatencySpread {
            n: reports
                .iter()
                .map(|(r, fallback)| r.n.or(*fallback))
                .collect::<Option<Vec<u64>>>()
                .and_then(|n| n.into_iter().min()),
            p50: spread(|p| p.p50 as f64)?,
            p90: spread(|p| p.p90 as f64)?,
            p99: spread(|p| p.p99 as f64)?,
            p999: spread(|p| p.p999 as f64)?,
            max: spread(|p| p.max as f64)?,
        })
    }
}

impl Summary {
    /// Summarizes verified trial records of one cell; `None` when there are none.
    pub fn of(workload: &Workload, records: &[&TrialRecord]) -> Option<Summary> {
        let wall_s = Spread::of(records.iter().map(|r| r.wall_s))?;
        let per_task = |bytes: fn(&TrialRecord) -> Option<u64>| {
            let tasks = workload.tasks_held()? as f64;
            records
                .iter()
                .map(|r| Some(bytes(r)? as f64 / tasks))
                .collect::<Option<Vec<f64>>>()
                .and_then(Spread::of)
        };
        let bytes_per_task =
            per_task(|r| Some(r.peak_rss_bytes.saturating_sub(r.baseline_rss_bytes)));
        // Against the delay the server really applied where it says (a fetch ideal built
        // on the asked-for delay would charge the server's timer to the client).
        let ideal = |r: &TrialRecord| workload.ideal_s_served(r.fetch.as_ref()?.server_delay_s?);
        let efficiency = workload.ideal_s().and_then(|nominal| {
            Spread::of(
                records
                    .iter()
                    .map(|r| ideal(r).unwrap_or(nominal) / r.wall_s),
            )
        });
        // Request latency for fetch, tick lateness for blocking, call latency for call,
        // read latency for files.
        // Older files did not say how many samples: every request, every tick.
        let requests = |f: &FetchReport| Some(f.requests());
        let reports: Vec<(&Percentiles, Option<u64>)> = records
            .iter()
            .filter_map(|r| {
                r.fetch
                    .as_ref()
                    .map(|f| (&f.latency_us, requests(f)))
                    .or(r.ticks.as_ref().map(|t| (&t.lateness_us, Some(t.ticks))))
                    .or(r.calls.as_ref().map(|c| (&c.latency_us, Some(c.calls))))
                    .or(r.files.as_ref().map(|f| (&f.latency_us, Some(f.reads))))
            })
            .collect();
        let latency_us = LatencySpread::of(&reports, records.len());
        let paced = |pick: fn(&FetchReport) -> Option<&Percentiles>| {
            let reports: Vec<(&Percentiles, Option<u64>)> = records
                .iter()
                .filter_map(|r| {
                    let fetch = r.fetch.as_ref()?;
                    Some((pick(fetch)?, requests(fetch)))
                })
                .collect();
            LatencySpread::of(&reports, records.len())
        };
        let machine = super::bound::machine_cores(records);
        Some(Summary {
            trials: records.len(),
            wall_s,
            rate: Spread::of(records.iter().map(|r| workload.rate_of(r)))?,
            rate_unit: workload.kind().rate_unit().to_string(),
            cpu_s: Spread::of(records.iter().map(|r| r.user_s + r.sys_s))?,
            peak_rss_bytes: Spread::of(records.iter().map(|r| r.peak_rss_bytes as f64))?,
            bytes_per_task,
            efficiency,
            latency_us,
            from_due_us: paced(|f| f.from_due_us.as_ref()),
            send_late_us: paced(|f| f.send_late_us.as_ref()),
            kernel_bytes_per_task: per_task(|r| r.kernel_bytes),
            pending_at_first_wake: records
                .iter()
                .map(|r| r.pending_at_first_wake.map(|p| p as f64))
                .collect::<Option<Vec<f64>>>()
                .and_then(Spread::of),
            server_cores: records
                .iter()
                .map(|r| Some(r.server_cpu_s? / r.wall_s))
                .collect::<Option<Vec<f64>>>()
                .and_then(Spread::of),
            machine_cores: machine.map(|(cores, _)| cores),
            cpus: machine.map(|(_, cpus)| cpus),
            bound: None,
        })
    }
}

impl super::RunResults {
    /// Gives every summary's latencies the sample counts a file that predates them lacks,
    /// from the records (every request, every tick), so the page can tell a percentile from
    /// a max there too. Summaries that have them are left alone.
    pub fn fill_sample_counts(&mut self) {
        for cell in &mut self.cells {
            let unsaid = cell.summary.as_ref().is_some_and(|s| {
                [&s.latency_us, &s.from_due_us, &s.send_late_us]
                    .into_iter()
                    .any(|l| l.as_ref().is_some_and(|l| l.n.is_none()))
            });
            if !unsaid {
                continue;
            }
            let records: Vec<&TrialRecord> = cell.records().collect();
            let Some(again) = Summary::of(&cell.workload, &records) else {
                continue;
            };
            if let Some(summary) = cell.summary.as_mut() {
                for (mine, counted) in [
                    (&mut summary.latency_us, again.latency_us),
                    (&mut summary.from_due_us, again.from_due_us),
                    (&mut summary.send_late_us, again.send_late_us),
                ] {
                    if let (Some(mine), Some(counted)) = (mine.as_mut(), counted) {
                        mine.n = mine.n.or(counted.n);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn percentiles(n: Option<u64>) -> Percentiles {
        Percentiles {
            p50: 1_000,
            p90: 2_000,
            p99: 3_000,
            p999: 4_000,
            max: 9_000,
            mean: 1_200.0,
            n,
        }
    }

    #[test]
    fn a_percentile_from_too_few_samples_reads_as_the_max() {
        assert_eq!(LatencySpread::needed(0.99), 1_000);
        assert_eq!(LatencySpread::needed(0.999), 10_000);
        let value = |reading: Reading| match reading {
            Reading::Percentile(s) => ("percentile", s.median),
            Reading::Max(s) => ("max", s.median),
        };
        // 1,000 samples read a p99 but not a p99.9.
        let enough = LatencySpread::of(&[(&percentiles(Some(1_000)), None)], 1).unwrap();
        assert_eq!(value(enough.reading(0.99)), ("percentile", 3_000.0));
        assert_eq!(value(enough.reading(0.999)), ("max", 9_000.0));
        assert_eq!(value(enough.reading(0.5)), ("percentile", 1_000.0));
        // A trial of 200 (the fewest counts) reads no p99; an older file says its count
        // through the fallback.
        let few = LatencySpread::of(
            &[
                (&percentiles(Some(5_000)), None),
                (&percentiles(None), Some(200)),
            ],
            2,
        )
        .unwrap();
        assert_eq!(few.n, Some(200));
        assert_eq!(value(few.reading(0.99)), ("max", 9_000.0));
        // No count at all: read as written.
        let unknown = LatencySpread::of(&[(&percentiles(None), None)], 1).unwrap();
        assert_eq!(value(unknown.reading(0.999)), ("percentile", 4_000.0));
    }
}
