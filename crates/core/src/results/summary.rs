//! A cell's summary: the medians and spreads of its verified trials.

use serde::{Deserialize, Serialize};

use super::{FetchReport, SERVER_BOUND_AT, TrialRecord};
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
    /// Kernel memory per task (kernel stacks, page tables), bytes, sleep only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kernel_bytes_per_task: Option<Spread>,
    /// Sleep tasks waiting when the first timer fired (all at once when it is the count).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_at_first_wake: Option<Spread>,
}

impl Summary {
    /// Whether the embedded server used at least [`SERVER_BOUND_AT`] of a core (median).
    pub fn server_bound(&self) -> bool {
        self.server_cores
            .is_some_and(|cores| cores.median >= SERVER_BOUND_AT)
    }
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
}

impl LatencySpread {
    /// Each percentile's spread over `reports`, one per trial; `None` unless every one of
    /// the `trials` trials has one.
    pub fn of(reports: &[&Percentiles], trials: usize) -> Option<LatencySpread> {
        if reports.is_empty() || reports.len() != trials {
            return None;
        }
        let spread = |pick: fn(&Percentiles) -> f64| Spread::of(reports.iter().map(|r| pick(r)));
        Some(LatencySpread {
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
        // Request latency for fetch, tick lateness for blocking.
        let reports: Vec<&Percentiles> = records
            .iter()
            .filter_map(|r| {
                r.fetch
                    .as_ref()
                    .map(|f| &f.latency_us)
                    .or(r.ticks.as_ref().map(|t| &t.lateness_us))
            })
            .collect();
        let latency_us = LatencySpread::of(&reports, records.len());
        let paced = |pick: fn(&FetchReport) -> Option<&Percentiles>| {
            let reports: Vec<&Percentiles> = records
                .iter()
                .filter_map(|r| pick(r.fetch.as_ref()?))
                .collect();
            LatencySpread::of(&reports, records.len())
        };
        Some(Summary {
            trials: records.len(),
            wall_s,
            rate: Spread::of(records.iter().map(|r| workload.rate(r.wall_s)))?,
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
        })
    }
}
