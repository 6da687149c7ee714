//! One trial as a child process: the `shootout trial` command line that reproduces a
//! planned cell, and what came back judged: a verified record, or a failure with its reason
//! (a timeout, a crash with its panic message, a wrong answer, another cell's workload).

use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use shootout_core::results::{Trial, TrialRecord};

use crate::args::Fault;
use crate::plan::PlannedCell;
use crate::{child, pin};

/// Runs `shootout trial` for the cell in a fresh process and judges what came back.
pub fn run_trial(
    exe: &Path,
    planned: &PlannedCell,
    fault: Option<Fault>,
    server: Option<(SocketAddr, u32)>,
    client_cpus: Option<&[usize]>,
    extra: &[&str],
    index: u32,
) -> Trial {
    let mut command = Command::new(exe);
    command.args(["trial", "--backend", planned.backend.name()]);
    // The cell as data: every size and design, exactly as planned (and as recorded).
    let spec = serde_json::to_string(&planned.workload).expect("a workload serializes");
    command.args(["--spec", &spec]);
    command.args(["--threads", &planned.threads.to_string()]);
    if let (true, Some((addr, pid))) = (planned.workload.needs_server(), server) {
        command.args(["--server", &addr.to_string()]);
        command.args(["--server-pid", &pid.to_string()]);
        if let Some(cpus) = client_cpus {
            command.args(["--cpus", &pin::list(cpus)]);
        }
    }
    if let Some(fault) = fault {
        command.args(["--fault", &format!("{fault:?}").to_lowercase()]);
    }
    command.args(extra);
    let timeout = Duration::from_secs(planned.timeout_s);
    let finished = match child::run(command, timeout) {
        Ok(finished) => finished,
        Err(err) => {
            return Trial {
                index,
                ok: false,
                record: None,
                failure: Some(format!("could not start the trial process: {err}")),
                exit: "not started".into(),
                stderr_tail: None,
                process_s: 0.0,
                position: None,
                started_s: None,
            };
        }
    };
    let record: Option<TrialRecord> = finished
        .stdout
        .lines()
        .rev()
        .find_map(|line| serde_json::from_str(line).ok());
    let exit = finished.describe_exit();
    let failure = if finished.interrupted {
        // `run` discards this trial: it says nothing about the backend.
        Some("killed because the run was interrupted".to_string())
    } else if finished.timed_out {
        Some(format!(
            "timed out after {} s and was killed",
            planned.timeout_s
        ))
    } else {
        match &record {
            // The trial rebuilds its workload from flags: a flag left out would run
            // something else under this cell's name.
            Some(record) if record.workload != planned.workload => Some(format!(
                "the trial ran {} {}, not the planned {}",
                record.workload.kind(),
                record.workload.params_label(),
                planned.workload.params_label()
            )),
            Some(record) if record.verified && finished.status.success() => None,
            Some(record) => Some(
                record
                    .error
                    .clone()
                    .unwrap_or_else(|| format!("trial ended with {exit}")),
            ),
            None => Some(crash_reason(&exit, &finished.stderr)),
        }
    };
    Trial {
        index,
        ok: failure.is_none(),
        stderr_tail: failure.as_ref().map(|_| stderr_excerpt(&finished.stderr)),
        record,
        failure,
        exit,
        process_s: finished.elapsed.as_secs_f64(),
        position: None,
        started_s: None,
    }
}

/// Up to 12 lines of stderr: from the panic message when there is one (a backtrace
/// would push it out of a plain tail), otherwise the last lines.
fn stderr_excerpt(stderr: &str) -> String {
    match stderr.lines().position(|line| line.contains("panicked at")) {
        Some(start) => stderr
            .lines()
            .skip(start)
            .take(12)
            .collect::<Vec<_>>()
            .join("\n"),
        None => child::tail(stderr, 12),
    }
}

/// One line on why a trial died without printing its record.
fn crash_reason(exit: &str, stderr: &str) -> String {
    let panic = stderr
        .lines()
        .skip_while(|line| !line.contains("panicked at"))
        .nth(1)
        .map(|message| format!("panicked: {message}"));
    let detail = panic.or_else(|| {
        stderr
            .lines()
            .rev()
            .find(|line| !line.trim().is_empty())
            .map(str::to_string)
    });
    let hint = if exit.contains("SIGKILL") {
        " (killed: out of memory?)"
    } else if stderr.contains("memory allocation of") || stderr.contains("out of memory") {
        // Rust's allocation-failure handler aborts with this line (e.g. under `ulimit -v`).
        " (out of memory: an allocation failed)"
    } else if stderr.contains("os error 12") || stderr.contains("os error 11") {
        // Each Rust thread maps a stack, a guard page and a signal stack with its own
        // guard: vm.max_map_count (65530 by default) caps a process near 16k threads.
        " (a system limit: threads, memory maps or memory)"
    } else {
        ""
    };
    match detail {
        Some(detail) => format!("crashed with {exit}{hint}: {detail}"),
        None => format!("crashed with {exit}{hint}, printing nothing"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crash_reasons_quote_the_panic() {
        let stderr = "thread 'main' (7) panicked at src/trial.rs:1:2:\ninjected fault\nnote: run with RUST_BACKTRACE=1\n";
        assert_eq!(
            crash_reason("exit status: 101", stderr),
            "crashed with exit status: 101: panicked: injected fault"
        );
        assert_eq!(
            crash_reason("signal: 9 (SIGKILL)", ""),
            "crashed with signal: 9 (SIGKILL) (killed: out of memory?), printing nothing"
        );
    }
}
