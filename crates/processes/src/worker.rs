//! The worker side: read jobs from standard input, do each with core's kernels, write the
//! reply, until standard input closes (the pool, or its process, is gone).

use std::io::{self, BufRead, Write};
use std::time::Duration;

use shootout_core::client::BlockingClient;
use shootout_core::{FetchOutcome, FetchSpec, Outcome, Target, cpu, sleep, spawn};

use crate::protocol::{FetchShare, Job, Reply};

/// The environment variable in which the pool tells a worker its parent's pid.
pub const PARENT_ENV: &str = "SHOOTOUT_POOL_PARENT";

/// Serves jobs on standard input and output until input closes, or until the pool's
/// process dies: a worker never outlives its pool.
pub fn serve() -> io::Result<()> {
    die_with_parent()?;
    let stdin = io::stdin().lock();
    let mut stdout = io::stdout().lock();
    for line in stdin.lines() {
        let line = line?;
        let reply = match serde_json::from_str::<Job>(&line) {
            Ok(Job::Fetch {
                spec,
                addr,
                first,
                step,
            }) => fetch(&spec, &addr, first, step),
            Ok(job) => reply(run(&job)),
            Err(err) => Reply {
                ops: 0,
                checksum: "0".into(),
                error: Some(format!("bad job '{line}': {err}")),
                fetch: None,
            },
        };
        serde_json::to_writer(&mut stdout, &reply)?;
        stdout.write_all(b"\n")?;
        stdout.flush()?;
    }
    Ok(())
}

/// This worker's share of a fetch run, one request after another on one keep-alive
/// connection (a process pool of blocking workers).
fn fetch(spec: &FetchSpec, addr: &str, first: u64, step: u64) -> Reply {
    let target = match (&spec.url, addr.parse()) {
        (Some(url), _) => Target::from_url(url).map_err(|err| err.message),
        (None, Ok(addr)) => Ok(Target::embedded(addr)),
        (None, Err(err)) => Err(format!("bad server address '{addr}': {err}")),
    };
    let target = match target {
        Ok(target) => target,
        Err(error) => {
            return Reply {
                ops: 0,
                checksum: "0".into(),
                error: Some(error),
                fetch: None,
            };
        }
    };
    let (check, schedule) = (spec.check(), spec.schedule());
    let mut client = BlockingClient::new(target, spec.timeout());
    let mut tally = FetchOutcome::default();
    for id in (first..spec.requests).step_by(step.max(1) as usize) {
        client.fetch_into(spec, id, &schedule, &check, &mut tally);
    }
    Reply {
        ops: tally.ok + tally.failed.total(),
        checksum: tally.ok.to_string(),
        error: None,
        fetch: Some(FetchShare::of(&tally)),
    }
}

/// Asks the kernel to kill this worker when its parent dies (`PR_SET_PDEATHSIG`), even in
/// the middle of a job: a closed stdin is noticed only between jobs. A parent that died
/// before the request took effect is caught by comparing the parent's pid with the one the
/// pool passed in [`PARENT_ENV`] (the worker was re-parented to init or a subreaper).
fn die_with_parent() -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use nix::sys::prctl::set_pdeathsig;
        use nix::sys::signal::Signal;
        set_pdeathsig(Signal::SIGKILL).map_err(io::Error::from)?;
        let expected = std::env::var(PARENT_ENV)
            .ok()
            .and_then(|p| p.parse::<i32>().ok());
        if expected.is_some_and(|pid| pid != nix::unistd::getppid().as_raw()) {
            std::process::exit(1);
        }
    }
    Ok(())
}

fn run(job: &Job) -> Outcome {
    match *job {
        Job::Cpu { start, end } => cpu::job(start..end),
        Job::Spawn { id } => spawn::task(id),
        Job::Sleep { id, sleep_ms } => {
            sleep::waiting();
            std::thread::sleep(Duration::from_millis(sleep_ms));
            sleep::woke(id).into()
        }
        Job::Fetch { .. } => unreachable!("fetch shares are served by `fetch`"),
    }
}

fn reply(outcome: Outcome) -> Reply {
    Reply {
        ops: outcome.ops,
        checksum: outcome.checksum.to_string(),
        error: None,
        fetch: None,
    }
}
