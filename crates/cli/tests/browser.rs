//! The report as a reader sees it: a real run of every backend, its index.html rendered
//! by headless Chromium, a screenshot taken, and the rendered DOM checked.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::backends;

/// Chromium from Debian's package (installed by .ci/run), or another Chromium on PATH.
fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            let out = Command::new("which").arg(name).output().ok()?;
            out.status
                .success()
                .then(|| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
        })
}

/// Headless flags that keep Chromium off the network and out of the user's profile.
fn headless(browser: &Path, profile: &Path) -> Command {
    let mut command = Command::new(browser);
    command.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
    ]);
    command.arg(format!("--user-data-dir={}", profile.display()));
    command
}

#[test]
fn the_report_renders_in_chromium_with_every_backend_and_no_external_requests() {
    let Some(browser) = chromium() else {
        // CI installs Chromium, so there a missing browser is a failure, not a skip.
        assert!(
            std::env::var_os("CI").is_none(),
            "Chromium is not installed; .ci/run installs the `chromium` package"
        );
        eprintln!("skipping: no Chromium on PATH (apt-get install chromium)");
        return;
    };
    let dir = std::env::temp_dir().join(format!("shootout-browser-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let run = Command::new(env!("CARGO_BIN_EXE_shootout"))
        .args([
            "run",
            "--trials",
            "1",
            "--tasks",
            "20",
            "--sleep-ms",
            "1",
            "--n",
            "200000",
            "--jobs",
            "8",
            "--requests",
            "40",
            "--concurrency",
            "8",
            "--latency-ms",
            "1",
            "--out",
        ])
        .arg(&dir)
        .output()
        .expect("shootout runs");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let index = dir.join("index.html");
    assert!(String::from_utf8_lossy(&run.stdout).contains(&format!("report: {}", index.display())));
    let url = format!("file://{}", index.display());

    let dom = headless(&browser, &dir.join("profile"))
        .args(["--dump-dom", &url])
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(
        dom.contains("<h1>shootout: Rust concurrency backends, measured</h1>"),
        "page did not load: {dom:.300}"
    );
    for section in [
        "Summary",
        "Blocking the event loop: the pitfall, measured",
        "Backends",
        "Machine",
        "Failures and skipped cells",
    ] {
        assert!(
            dom.contains(&format!("{section}</h2>")),
            "{section} missing"
        );
    }
    for backend in backends() {
        let backend = backend.as_str();
        assert!(
            dom.contains(&format!("<td>{backend}</td>")),
            "{backend} missing from the rendered page"
        );
    }

    let shot = dir.join("report.png");
    let screenshot = headless(&browser, &dir.join("profile"))
        .args(["--window-size=1280,2400"])
        .arg(format!("--screenshot={}", shot.display()))
        .arg(&url)
        .output()
        .expect("chromium runs");
    let size = std::fs::metadata(&shot).map(|m| m.len()).unwrap_or(0);
    assert!(
        size > 20_000,
        "screenshot {} is {size} bytes: {}",
        shot.display(),
        String::from_utf8_lossy(&screenshot.stderr)
    );

    let html = std::fs::read_to_string(&index).unwrap();
    for loader in [
        "src=",
        "<link",
        "<script",
        "url(",
        "@import",
        "href=\"http",
        "<img",
        "<iframe",
    ] {
        assert!(
            !html.contains(loader),
            "the page loads something external: {loader}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
