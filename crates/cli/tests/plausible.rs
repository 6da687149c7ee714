//! A verified answer is not enough: a process-pool worker that returns the right checksums
//! without doing the work fails its trial as impossible on this machine, instead of
//! reading as thousands of Gelem/s in the report.

use std::fs;
use std::process::Command;

use shootout_core::{CpuSpec, Workload, cpu, processes};

mod common;

/// A worker's reply to each part of `workload` (warm-up first, as a trial sends them to its
/// one worker), one JSON line each, computed here in advance.
fn replies(workload: &Workload) -> String {
    let ranges = |w: &Workload| match w {
        Workload::Cpu(spec) => spec.ranges().collect::<Vec<_>>(),
        _ => unreachable!(),
    };
    ranges(&workload.warmup())
        .into_iter()
        .chain(ranges(workload))
        .map(|range| {
            let answer = processes::answer(cpu::job(range)).unwrap();
            serde_json::to_string(&processes::Reply::Ok(answer)).unwrap() + "\n"
        })
        .collect()
}

#[test]
fn a_worker_that_skips_the_work_fails_as_impossible() {
    let pool = common::pick("a process pool", |b| b["family"] == "processes");
    let dir = std::env::temp_dir().join(format!("shootout-lazy-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    let (n, jobs) = (200_000_000u64, 4u64);
    let workload = Workload::Cpu(CpuSpec::new(n, jobs));
    let answers = dir.join("answers");
    fs::write(&answers, replies(&workload)).unwrap();
    // Reads a part, prints the next prepared answer: the right checksums, no work (a run's
    // start takes no answer).
    let lazy = dir.join("lazy-worker");
    write_executable(
        &lazy,
        &format!(
            "#!/bin/sh\nexec 3<'{}'\nwhile IFS= read -r line; do case \"$line\" in \
             '{{\"run\"'*) continue;; esac; IFS= read -r answer <&3; \
             printf '%s\\n' \"$answer\"; done\n",
            answers.display()
        ),
    );
    let out = dir.join("out");
    let run = Command::new(env!("CARGO_BIN_EXE_shootout"))
        .env("SHOOTOUT_WORKER_EXE", &lazy)
        .args([
            "run",
            "--backend",
            &pool,
            "--workload",
            "cpu",
            "--threads",
            "1",
        ])
        .args(["--n", &n.to_string(), "--jobs", &jobs.to_string()])
        .args(["--trials", "1", "--max-predicted", "600", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let results: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("results.json")).unwrap()).unwrap();
    let cell = &results["cells"][0];
    assert_eq!(cell["status"], "failed", "{cell}");
    let reason = cell["reason"].as_str().unwrap();
    assert!(reason.contains("impossible on this machine"), "{reason}");
    // The trial's own record verified: the answer alone could not tell.
    assert_eq!(cell["trials"][0]["record"]["verified"], true);
    assert!(results["settings"]["kernel_per_core"].as_f64().unwrap() > 0.0);
    // The row names the worker it came from, by digest and path, wherever it appears.
    let worker = cell["worker"].as_str().unwrap();
    assert!(
        worker.starts_with("sha256:") && worker.ends_with("lazy-worker"),
        "{worker}"
    );
    let page = fs::read_to_string(out.join("index.html")).unwrap();
    let short = &worker["sha256:".len().."sha256:".len() + 8];
    assert!(
        page.contains(&format!("{pool} [worker {short}]")),
        "{short}"
    );
    assert!(page.contains(worker));
    fs::remove_dir_all(&dir).unwrap();
}

/// Writes `text` to `path` and marks it executable, from a child shell: the file is never
/// open for writing in this process, whose other tests fork beside it, so no forked child
/// can still hold it open when it is executed (that races to ETXTBSY, "Text file busy").
fn write_executable(path: &std::path::Path, text: &str) {
    use std::io::Write;
    let mut shell = Command::new("sh")
        .args(["-c", "cat > \"$1\" && chmod +x \"$1\"", "sh"])
        .arg(path)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    shell
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    assert!(shell.wait().unwrap().success());
}
