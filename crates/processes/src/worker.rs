//! The worker side: read jobs from standard input, do each with core's kernels, write the
//! reply, until standard input closes (the pool, or its process, is gone).

use std::io::{self, BufRead, Write};
use std::time::Duration;

use shootout_core::{Outcome, cpu, sleep, spawn};

use crate::protocol::{Job, Reply};

/// Serves jobs on standard input and output until input closes.
pub fn serve() -> io::Result<()> {
    let stdin = io::stdin().lock();
    let mut stdout = io::stdout().lock();
    for line in stdin.lines() {
        let line = line?;
        let reply = match serde_json::from_str::<Job>(&line) {
            Ok(job) => reply(run(&job)),
            Err(err) => Reply {
                ops: 0,
                checksum: "0".into(),
                error: Some(format!("bad job '{line}': {err}")),
            },
        };
        serde_json::to_writer(&mut stdout, &reply)?;
        stdout.write_all(b"\n")?;
        stdout.flush()?;
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
    }
}

fn reply(outcome: Outcome) -> Reply {
    Reply {
        ops: outcome.ops,
        checksum: outcome.checksum.to_string(),
        error: None,
    }
}
