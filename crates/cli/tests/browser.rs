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

    // The layout at a phone's width, a laptop's, and in print (its stylesheet applied on
    // screen at A4's 794 px): no page-wide sideways scroll, chart labels legible, the palette
    // the colour-blind-safe one.
    let html = std::fs::read_to_string(&index).unwrap();
    for (width, print) in [(390, false), (1280, false), (794, true)] {
        let probe = layout(&browser, &dir, &html, width, print);
        let field = |name: &str| probe[name].clone();
        assert_eq!(field("width"), width, "{probe}");
        assert!(
            field("scroll").as_u64().unwrap() <= width + 1,
            "the page scrolls sideways at {width} px (print: {print}): {probe}"
        );
        assert!(
            field("small").as_array().unwrap().is_empty(),
            "chart text under 9 px at {width} px: {probe}"
        );
        assert!(field("texts").as_u64().unwrap() > 50, "{probe}");
        let allowed: Vec<String> = shootout_report::palette::all()
            .into_iter()
            .chain(["#ffffff".to_string(), "#000000".to_string()])
            .collect();
        let fills = field("fills");
        let fills: Vec<&str> = fills
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap())
            .collect();
        assert!(fills.len() >= 3, "charts have coloured bars: {probe}");
        for fill in &fills {
            assert!(
                allowed.contains(&fill.to_lowercase()),
                "{fill} is not in the colour-blind-safe palette {allowed:?}"
            );
        }
        if print {
            assert_eq!(
                field("nav"),
                0,
                "the table of contents is not printed: {probe}"
            );
        }
    }
    let pdf = dir.join("report.pdf");
    let printed = headless(&browser, &dir.join("profile"))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg("--no-pdf-header-footer")
        .arg(&url)
        .output()
        .expect("chromium runs");
    let size = std::fs::metadata(&pdf).map(|m| m.len()).unwrap_or(0);
    assert!(
        size > 50_000,
        "printed PDF is {size} bytes: {}",
        String::from_utf8_lossy(&printed.stderr)
    );

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

/// What a reader sees at `width` px: the page (with its print stylesheet applied on screen
/// when `print`) in a frame that wide (headless Chromium's own window is at least 500 px),
/// measured by a script in the frame's parent (the report itself has none).
fn layout(browser: &Path, dir: &Path, html: &str, width: u64, print: bool) -> serde_json::Value {
    const PROBE: &str = r#"<script>
const frame = document.getElementById('page');
frame.onload = () => {
  const inner = frame.contentDocument;
  const doc = inner.documentElement;
  const small = [];
  let texts = 0;
  for (const t of inner.querySelectorAll('svg text')) {
    const r = t.getBoundingClientRect();
    if (r.width === 0 || !t.textContent.trim()) continue;
    texts += 1;
    if (r.height < 9) small.push(t.textContent + ' ' + r.height.toFixed(1));
  }
  const fills = new Set();
  for (const r of inner.querySelectorAll('svg rect[fill]')) fills.add(r.getAttribute('fill'));
  const nav = inner.querySelector('nav');
  document.body.insertAdjacentHTML('beforeend', '<pre id="probe">' + JSON.stringify({
    width: frame.contentWindow.innerWidth, scroll: doc.scrollWidth, small, texts,
    fills: [...fills], nav: nav ? nav.offsetHeight : 0,
  }) + '</pre>');
};
</script>"#;
    let page = if print {
        html.replace("@media print{", "@media all{")
    } else {
        html.to_string()
    };
    let srcdoc = page.replace('&', "&amp;").replace('"', "&quot;");
    let wrapper = format!(
        "<!DOCTYPE html><html><body style=\"margin:0\"><iframe id=\"page\" \
         style=\"border:0;width:{width}px;height:2000px\" srcdoc=\"{srcdoc}\"></iframe>\
         {PROBE}</body></html>"
    );
    let copy = dir.join(format!("probe-{width}.html"));
    std::fs::write(&copy, wrapper).unwrap();
    let out = headless(browser, &dir.join("profile"))
        .arg("--window-size=1400,2200")
        .args(["--dump-dom", &format!("file://{}", copy.display())])
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&out.stdout);
    // The last match: the script's own text holds the tag too.
    let start =
        dom.rfind("<pre id=\"probe\">").expect("the probe ran") + "<pre id=\"probe\">".len();
    let end = start + dom[start..].find("</pre>").unwrap();
    let json = dom[start..end]
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"))
}
