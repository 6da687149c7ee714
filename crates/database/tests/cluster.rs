//! A real PostgreSQL cluster, started and stopped as a run does it: where the server is not
//! installed the tests say so and pass (CI installs it: `.ci/run`).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use shootout_database::{Cluster, installed_for_tests as installed};

/// A folder of this test's own.
fn parent(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("shootout-db-test-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Whether process `pid` is still running (a zombie is not).
fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|stat| {
            !stat
                .rsplit(')')
                .next()
                .unwrap_or("")
                .trim_start()
                .starts_with('Z')
        })
        .unwrap_or(false)
}

/// Waits up to 15 s for `pid` to end.
fn ends(pid: u32) -> bool {
    let asked = Instant::now();
    while alive(pid) && asked.elapsed() < Duration::from_secs(15) {
        std::thread::sleep(Duration::from_millis(50));
    }
    !alive(pid)
}

#[test]
fn a_cluster_answers_on_its_socket_and_is_gone_when_dropped() {
    if !installed() {
        return;
    }
    let parent = parent("drop");
    let cluster = Cluster::start(&parent).unwrap();
    let (dir, pid) = (cluster.dir().to_path_buf(), cluster.server_pid());
    let mut client = cluster.connect().unwrap();
    let row = client
        .query_one("SELECT 40 + 2, pg_sleep(0.005)::text", &[])
        .unwrap();
    assert_eq!(row.get::<_, i32>(0), 42);
    // Nothing listens on the network: the only way in is the socket in the folder.
    let listen: String = client
        .query_one("SHOW listen_addresses", &[])
        .unwrap()
        .get(0);
    assert_eq!(listen, "");
    assert!(dir.join(".s.PGSQL.5432").exists());
    drop(client);
    drop(cluster);
    assert!(ends(pid), "the server outlived its cluster");
    assert!(!dir.exists(), "the folder outlived its cluster");
    std::fs::remove_dir_all(parent).unwrap();
}

/// Run as a child by the test below: starts a cluster, prints the server's pid and folder,
/// then waits to be killed.
#[test]
fn holder() {
    let Some(parent) = std::env::var_os("SHOOTOUT_DB_HOLD") else {
        return;
    };
    let cluster = Cluster::start(Path::new(&parent)).unwrap();
    println!("held {} {}", cluster.server_pid(), cluster.dir().display());
    std::thread::sleep(Duration::from_secs(120));
}

#[test]
fn a_cluster_never_outlives_a_run_killed_by_sigkill() {
    if !installed() {
        return;
    }
    let parent = parent("kill");
    let mut holder = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "holder", "--nocapture", "--test-threads=1"])
        .env("SHOOTOUT_DB_HOLD", &parent)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(holder.stdout.take().unwrap()).lines();
    let held = lines
        // libtest writes "test holder ... " before the line, on the same line.
        .find_map(|line| Some(line.ok()?.split_once("held ")?.1.to_string()))
        .expect("the holder started a cluster");
    let (pid, dir) = held.split_once(' ').unwrap();
    let pid: u32 = pid.parse().unwrap();
    assert!(alive(pid));
    holder.kill().unwrap(); // SIGKILL: nothing of the holder runs after it
    holder.wait().unwrap();
    assert!(ends(pid), "the server outlived the run that started it");
    // Its folder is left behind; the next cluster started under the same parent sweeps it.
    assert!(Path::new(dir).exists());
    shootout_database::sweep(&parent);
    assert!(
        !Path::new(dir).exists(),
        "the sweep left a dead run's folder"
    );
    std::fs::remove_dir_all(parent).unwrap();
}
