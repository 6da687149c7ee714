//! `--pin`: the embedded fetch server and the fetch client on disjoint CPU sets, so a
//! client that uses less CPU does not look faster just by leaving more to the server.

use std::io;

use clap::ValueEnum;
use nix::sched::{CpuSet, sched_getaffinity, sched_setaffinity};
use nix::unistd::Pid;
use shootout_core::results::Pin;

/// Whether to pin the server and the fetch client to disjoint CPUs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum PinArg {
    /// Pin when the machine has at least 4 CPUs to split.
    #[default]
    Auto,
    /// Always pin (on 2 CPUs: the server on one, the client on the other with W = 1).
    On,
    /// Never pin: client and server share every CPU.
    Off,
}

/// The CPUs this process may run on.
pub fn allowed() -> Vec<usize> {
    match sched_getaffinity(Pid::from_raw(0)) {
        Ok(set) => (0..CpuSet::count())
            .filter(|&cpu| set.is_set(cpu).unwrap_or(false))
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// The split `arg` asks for on `cpus`: the first half to the server, the rest (at least
/// one) to the client; `None` when not pinning or with fewer than 2 CPUs.
pub fn decide(arg: PinArg, cpus: &[usize]) -> Option<Pin> {
    let wanted = match arg {
        PinArg::Off => false,
        PinArg::On => true,
        PinArg::Auto => cpus.len() >= 4,
    };
    (wanted && cpus.len() >= 2).then(|| {
        let half = cpus.len() / 2;
        Pin {
            server_cpus: cpus[..half].to_vec(),
            client_cpus: cpus[half..].to_vec(),
        }
    })
}

/// Restricts the calling thread, and every thread it starts afterwards, to `cpus`.
pub fn apply(cpus: &[usize]) -> io::Result<()> {
    let mut set = CpuSet::new();
    for &cpu in cpus {
        set.set(cpu).map_err(io::Error::from)?;
    }
    sched_setaffinity(Pid::from_raw(0), &set).map_err(io::Error::from)
}

/// `0,1` for a command line.
pub fn list(cpus: &[usize]) -> String {
    cpus.iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinning_splits_the_cpus_and_auto_needs_four() {
        assert_eq!(decide(PinArg::Auto, &[0, 1]), None);
        assert_eq!(decide(PinArg::Off, &[0, 1, 2, 3]), None);
        assert_eq!(decide(PinArg::On, &[3]), None);
        let two = decide(PinArg::On, &[0, 1]).unwrap();
        assert_eq!((two.server_cpus, two.client_cpus), (vec![0], vec![1]));
        let five = decide(PinArg::Auto, &[0, 1, 2, 3, 4]).unwrap();
        assert_eq!(
            (five.server_cpus, five.client_cpus),
            (vec![0, 1], vec![2, 3, 4])
        );
        assert_eq!(list(&[2, 3]), "2,3");
    }

    #[test]
    fn a_thread_pinned_to_one_allowed_cpu_runs_only_there() {
        let cpus = allowed();
        assert!(!cpus.is_empty());
        let last = *cpus.last().unwrap();
        let seen = std::thread::spawn(move || {
            apply(&[last]).unwrap();
            allowed()
        })
        .join()
        .unwrap();
        assert_eq!(seen, vec![last]);
    }
}
