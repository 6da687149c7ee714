//! Running one trial as a child process, with a timeout and its output captured.

use std::io::{self, Read};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// How a child process ended and what it printed.
#[derive(Debug)]
pub struct Finished {
    /// Exit status (after a kill, when it timed out).
    pub status: ExitStatus,
    /// Killed because it ran past the timeout.
    pub timed_out: bool,
    /// Killed because `run` caught a signal ([`crate::interrupt`]).
    pub interrupted: bool,
    /// Everything it printed on stdout.
    pub stdout: String,
    /// Everything it printed on stderr.
    pub stderr: String,
    /// From spawn to exit.
    pub elapsed: Duration,
}

impl Finished {
    /// `exit status: 0`, or `signal: 9 (SIGKILL)`.
    pub fn describe_exit(&self) -> String {
        match (self.status.code(), self.status.signal()) {
            (Some(code), _) => format!("exit status: {code}"),
            (None, Some(signal)) => format!("signal: {signal} ({})", signal_name(signal)),
            (None, None) => "unknown".into(),
        }
    }
}

/// Runs `command` to completion in a process group of its own, killing the group after
/// `timeout` or when `run` catches a signal. In its own group, the terminal's Ctrl-C reaches
/// `run` alone, which then stops the child itself.
pub fn run(mut command: Command, timeout: Duration) -> io::Result<Finished> {
    let start = Instant::now();
    let mut child = command
        .process_group(0)
        .env(PARENT_ENV, std::process::id().to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    // Drain both pipes on their own threads so a chatty child never blocks on a full pipe.
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let (status, end) = wait(&mut child, timeout)?;
    Ok(Finished {
        status,
        timed_out: end == End::TimedOut,
        interrupted: end == End::Interrupted,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
        elapsed: start.elapsed(),
    })
}

/// Why [`wait`] returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum End {
    Exited,
    TimedOut,
    Interrupted,
}

fn wait(child: &mut Child, timeout: Duration) -> io::Result<(ExitStatus, End)> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok((status, End::Exited));
        }
        let end = if crate::interrupt::caught().is_some() {
            End::Interrupted
        } else if Instant::now() >= deadline {
            End::TimedOut
        } else {
            thread::sleep(Duration::from_millis(5));
            continue;
        };
        kill_group(child)?;
        return Ok((child.wait()?, end));
    }
}

/// SIGKILL to the child's whole process group (whatever it started too), then to the child
/// itself in case the group is already gone.
fn kill_group(child: &mut Child) -> io::Result<()> {
    use nix::sys::signal::{Signal, killpg};
    use nix::unistd::Pid;
    let _ = killpg(Pid::from_raw(child.id() as i32), Signal::SIGKILL);
    match child.kill() {
        Err(err) if err.kind() != io::ErrorKind::InvalidInput => Err(err),
        _ => Ok(()),
    }
}

fn drain(pipe: Option<impl Read + Send + 'static>) -> JoinHandle<String> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// The variable that tells a trial which process started it (see [`die_with_parent`]).
pub const PARENT_ENV: &str = "SHOOTOUT_TRIAL_PARENT";

/// Asks the kernel to SIGKILL this process when the one that started it dies
/// (`PR_SET_PDEATHSIG`), so no trial outlives a `run` killed by SIGKILL, which nothing can
/// catch. A parent that died before the request took effect is caught by comparing the
/// parent's pid with the one `run` passed in [`PARENT_ENV`].
pub fn die_with_parent() -> io::Result<()> {
    use nix::sys::prctl::set_pdeathsig;
    use nix::sys::signal::Signal;
    let Some(expected) = std::env::var(PARENT_ENV)
        .ok()
        .and_then(|p| p.parse::<i32>().ok())
    else {
        // Run by hand: nobody to die with.
        return Ok(());
    };
    set_pdeathsig(Signal::SIGKILL).map_err(io::Error::from)?;
    if nix::unistd::getppid().as_raw() != expected {
        std::process::exit(1);
    }
    Ok(())
}

fn signal_name(signal: i32) -> &'static str {
    match signal {
        6 => "SIGABRT",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        15 => "SIGTERM",
        _ => "signal",
    }
}

/// The last `lines` lines of `text`.
pub fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hanging_child_is_killed_at_the_timeout() {
        let mut command = Command::new("sleep");
        command.arg("30");
        let finished = run(command, Duration::from_millis(200)).unwrap();
        assert!(finished.timed_out);
        assert_eq!(finished.describe_exit(), "signal: 9 (SIGKILL)");
        assert!(finished.elapsed < Duration::from_secs(10));
    }

    #[test]
    fn output_is_captured() {
        let mut command = Command::new("sh");
        command.args(["-c", "echo out; echo err >&2; exit 3"]);
        let finished = run(command, Duration::from_secs(10)).unwrap();
        assert!(!finished.timed_out);
        assert_eq!(finished.stdout, "out\n");
        assert_eq!(finished.stderr, "err\n");
        assert_eq!(finished.describe_exit(), "exit status: 3");
        assert_eq!(tail("a\nb\nc", 2), "b\nc");
    }
}
