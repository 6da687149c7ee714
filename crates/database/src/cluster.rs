//! One throwaway cluster: made, started, reached, and stopped and deleted.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::{Pid, User, chown, geteuid};

use crate::{ClusterError, binaries};

/// The prefix of a cluster's folder, followed by the run's pid: [`sweep`] finds the folders
/// of runs that are gone by it.
pub const FOLDER_PREFIX: &str = "shootout-postgres-";

/// The port in the socket's name (`.s.PGSQL.5432`): nothing listens on TCP, so clusters
/// in different folders never collide.
const PORT: u16 = 5432;

/// Connections the server accepts at once (PostgreSQL's default is 100).
pub const MAX_CONNECTIONS: u32 = 300;

/// How long the server may take to accept a first connection.
const READY_WITHIN: Duration = Duration::from_secs(30);

/// How long a fast shutdown may take before the server is killed.
const STOP_WITHIN: Duration = Duration::from_secs(10);

/// A running cluster; dropping it stops the server and deletes the folder.
pub struct Cluster {
    dir: PathBuf,
    server: Child,
}

impl Cluster {
    /// Makes a cluster in a fresh folder under `parent` and starts its server on a Unix
    /// socket in that folder; returns once it accepts connections.
    pub fn start(parent: &Path) -> Result<Cluster, ClusterError> {
        let bin = binaries()?;
        sweep(parent);
        static MADE: AtomicU32 = AtomicU32::new(0);
        let dir = parent.join(format!(
            "{FOLDER_PREFIX}{}-{}",
            std::process::id(),
            MADE.fetch_add(1, Ordering::Relaxed)
        ));
        fs::create_dir_all(&dir).map_err(|err| folder(&dir, err.to_string()))?;
        // A folder whose cluster never started is deleted here; one that started, by drop.
        let server = match initdb_and_start(&bin, &dir) {
            Ok(server) => server,
            Err(err) => {
                let _ = fs::remove_dir_all(&dir);
                return Err(err);
            }
        };
        let mut cluster = Cluster { dir, server };
        cluster.wait_ready()?;
        Ok(cluster)
    }

    /// The folder holding the cluster and its socket.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The server's process id.
    pub fn server_pid(&self) -> u32 {
        self.server.id()
    }

    /// How to reach it: the socket's folder, as the `postgres` user, its `postgres`
    /// database.
    pub fn config(&self) -> postgres::Config {
        let mut config = postgres::Config::new();
        config
            .host_path(&self.dir)
            .port(PORT)
            .user("postgres")
            .dbname("postgres");
        config
    }

    /// The same as a connection string (`host=/path port=5432 user=postgres dbname=postgres`).
    pub fn url(&self) -> String {
        format!(
            "host={} port={PORT} user=postgres dbname=postgres",
            self.dir.display()
        )
    }

    /// A new connection.
    pub fn connect(&self) -> Result<postgres::Client, postgres::Error> {
        self.config().connect(postgres::NoTls)
    }

    /// Waits until the server accepts a connection; fails with its log if it exits first.
    fn wait_ready(&mut self) -> Result<(), ClusterError> {
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = self.server.try_wait() {
                return Err(step(
                    "starting postgres",
                    format!("it exited ({status}): {}", self.log_tail()),
                ));
            }
            match self.connect() {
                Ok(_) => return Ok(()),
                Err(err) if started.elapsed() > READY_WITHIN => {
                    return Err(step(
                        "connecting",
                        format!("{err} after {READY_WITHIN:?}: {}", self.log_tail()),
                    ));
                }
                Err(_) => std::thread::sleep(Duration::from_millis(50)),
            }
        }
    }

    /// The server log's last lines.
    fn log_tail(&self) -> String {
        let log = fs::read_to_string(self.dir.join("server.log")).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(5)..].join(" | ")
    }
}

impl Drop for Cluster {
    /// A fast shutdown (SIGINT), a kill if it takes longer than `STOP_WITHIN`, then the
    /// folder deleted.
    fn drop(&mut self) {
        let pid = Pid::from_raw(self.server.id() as i32);
        let _ = kill(pid, Signal::SIGINT);
        let asked = Instant::now();
        while matches!(self.server.try_wait(), Ok(None)) {
            if asked.elapsed() > STOP_WITHIN {
                let _ = self.server.kill();
                let _ = self.server.wait();
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// Hands `dir` to the server's user, runs `initdb` into it and starts the server on a
/// socket in it; the server's log is `dir/server.log` (opened here, written through the
/// inherited descriptor).
fn initdb_and_start(bin: &Path, dir: &Path) -> Result<Child, ClusterError> {
    let owner = server_user().map_err(|err| folder(dir, err))?;
    if let Some(user) = &owner {
        chown(dir, Some(user.uid), Some(user.gid)).map_err(|err| folder(dir, err.to_string()))?;
    }
    let data = dir.join("data");
    let initdb = setpriv(&owner, &bin.join("initdb"), None)
        .arg("-D")
        .arg(&data)
        .args(["-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"])
        .output()
        .map_err(|err| step("initdb", err.to_string()))?;
    if !initdb.status.success() {
        return Err(step(
            "initdb",
            String::from_utf8_lossy(&initdb.stderr).into(),
        ));
    }
    let log =
        fs::File::create(dir.join("server.log")).map_err(|err| folder(dir, err.to_string()))?;
    setpriv(&owner, &bin.join("postgres"), Some("INT"))
        .arg("-D")
        .arg(&data)
        .arg("-k")
        .arg(dir)
        .args(["-p", &PORT.to_string(), "-c", "listen_addresses="])
        // A throwaway cluster: no crash safety to pay for on writes.
        .args(["-c", "fsync=off", "-c", "synchronous_commit=off"])
        // Room for the call workload's widest sweep (256 connections) and the run's own.
        .args(["-c", &format!("max_connections={MAX_CONNECTIONS}")])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .map_err(|err| step("starting postgres", err.to_string()))
}

/// Deletes the folders under `parent` of clusters whose run is gone (a run killed by
/// SIGKILL stops its server, through the server's parent-death signal, but cannot delete
/// the folder).
pub fn sweep(parent: &Path) {
    sweep_prefix(parent, FOLDER_PREFIX);
}

/// Deletes the folders under `parent` named `<prefix><pid>-…` whose process is gone.
pub(crate) fn sweep_prefix(parent: &Path, prefix: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(prefix)) else {
            continue;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<i32>().ok()) else {
            continue;
        };
        if pid as u32 != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// The user the server runs as: `postgres` when this process is root (PostgreSQL refuses
/// to run as root), else this process's own user (`None`).
fn server_user() -> Result<Option<User>, String> {
    if !geteuid().is_root() {
        return Ok(None);
    }
    match User::from_name("postgres") {
        Ok(Some(user)) => Ok(Some(user)),
        Ok(None) => Err(
            "running as root, and there is no `postgres` user to run the server \
                         as (Debian's postgresql package makes one)"
                .into(),
        ),
        Err(err) => Err(format!("looking up the postgres user: {err}")),
    }
}

/// `program` run through util-linux's `setpriv`: as `owner` where given, and with
/// `pdeathsig` as its parent-death signal (set after the change of user, which would clear
/// it), so the server dies with the run.
fn setpriv(owner: &Option<User>, program: &Path, pdeathsig: Option<&str>) -> Command {
    let mut command = Command::new("setpriv");
    if let Some(user) = owner {
        command
            .arg(format!("--reuid={}", user.uid))
            .arg(format!("--regid={}", user.gid))
            .arg("--clear-groups");
    }
    if let Some(signal) = pdeathsig {
        command.arg(format!("--pdeathsig={signal}"));
    }
    command.arg("--").arg(program);
    command
}

/// A folder that could not be made or handed over.
fn folder(dir: &Path, message: String) -> ClusterError {
    ClusterError::Folder {
        path: dir.to_path_buf(),
        message,
    }
}

/// A failed step.
fn step(step: &'static str, message: String) -> ClusterError {
    ClusterError::Step { step, message }
}
