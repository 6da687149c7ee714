//! What held a fetch cell back: the whole machine (client and server together used the
//! CPUs there are) or the server alone (it used the CPUs it had). On a small machine the
//! client and the embedded server share the cores, so a closed loop with no delay fills
//! them: its throughput then measures the machine, and what still tells the clients apart
//! is the CPU each request costs.

use serde::{Deserialize, Serialize};

use super::summary::Summary;
use super::{RunResults, TrialRecord};
use crate::stats::Spread;

/// A share of the CPUs it could use that counts as all of them (the median trial's).
pub const BOUND_AT: f64 = 0.9;

/// What a fetch cell's rate was bounded by, when its CPUs ran out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bound {
    /// Client plus server used at least [`BOUND_AT`] of the machine's CPUs.
    Machine,
    /// The server alone used at least [`BOUND_AT`] of the CPUs it may run on.
    Server,
}

impl Bound {
    /// `machine-bound`, `server-bound`.
    pub fn name(self) -> &'static str {
        match self {
            Bound::Machine => "machine-bound",
            Bound::Server => "server-bound",
        }
    }
}

/// Client plus server cores over each trial (CPU time over wall time), and the fewest
/// CPUs any trial's machine had; `None` without a server's CPU time.
pub fn machine_cores(records: &[&TrialRecord]) -> Option<(Spread, u64)> {
    let cores = records
        .iter()
        .map(|r| Some((r.user_s + r.sys_s + r.server_cpu_s?) / r.wall_s))
        .collect::<Option<Vec<f64>>>()
        .and_then(Spread::of)?;
    let cpus = records
        .iter()
        .map(|r| Some(r.disturbance.as_ref()?.cpus))
        .collect::<Option<Vec<u64>>>()?
        .into_iter()
        .min()?;
    Some((cores, cpus))
}

impl Summary {
    /// Decides [`Summary::bound`] where the server's CPU was measured: the server first
    /// (`server_cpus`: the CPUs it was pinned to, else every CPU), then the machine.
    pub fn judge_bound(&mut self, server_cpus: Option<usize>) {
        let (Some(machine), Some(cpus), Some(server)) =
            (self.machine_cores, self.cpus, self.server_cores)
        else {
            self.bound = None;
            return;
        };
        let server_share = server_cpus.map_or(cpus as f64, |n| n as f64);
        self.bound = if server.median >= BOUND_AT * server_share {
            Some(Bound::Server)
        } else if machine.median >= BOUND_AT * cpus as f64 {
            Some(Bound::Machine)
        } else {
            None
        };
    }

    /// Whether the server alone used the CPUs it had.
    pub fn server_bound(&self) -> bool {
        self.bound == Some(Bound::Server)
    }

    /// Whether client and server together used the machine's CPUs.
    pub fn machine_bound(&self) -> bool {
        self.bound == Some(Bound::Machine)
    }
}

impl RunResults {
    /// Decides every fetch summary's bound again from its trials, with the run's pinning:
    /// a file that predates bounds gets them (it marked a cell server-bound at 90% of one
    /// core, whatever the server's share).
    pub fn judge_bounds(&mut self) {
        let server_cpus = self.settings.pin.as_ref().map(|p| p.server_cpus.len());
        for cell in &mut self.cells {
            let measured = machine_cores(&cell.records().collect::<Vec<&TrialRecord>>());
            let Some(summary) = cell.summary.as_mut() else {
                continue;
            };
            if let Some((cores, cpus)) = measured {
                summary.machine_cores = Some(cores);
                summary.cpus = Some(cpus);
            }
            summary.judge_bound(server_cpus);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(machine: f64, server: f64) -> Summary {
        let spread = |x| Spread::of([x]).unwrap();
        Summary {
            machine_cores: Some(spread(machine)),
            cpus: Some(2),
            server_cores: Some(spread(server)),
            ..serde_json::from_str(
                r#"{"trials":1,"wall_s":{"median":1,"min":1,"max":1},"rate":{"median":1,"min":1,"max":1},
                    "rate_unit":"req/s","cpu_s":{"median":1,"min":1,"max":1},
                    "peak_rss_bytes":{"median":1,"min":1,"max":1},"bytes_per_task":null}"#,
            )
            .unwrap()
        }
    }

    #[test]
    fn the_machine_is_the_bound_when_client_and_server_fill_it_and_the_server_only_when_it_fills_its_share()
     {
        // 1.97 of 2 cores, the server at 0.95 of a core: the machine, not the server
        // (unpinned, the server could have had both).
        let mut s = summary(1.97, 0.95);
        s.judge_bound(None);
        assert_eq!(s.bound, Some(Bound::Machine));
        // Pinned to one CPU, the same server filled its share.
        s.judge_bound(Some(1));
        assert_eq!(s.bound, Some(Bound::Server));
        // Room left on the machine: no bound.
        let mut free = summary(1.2, 0.6);
        free.judge_bound(None);
        assert_eq!(free.bound, None);
    }
}
