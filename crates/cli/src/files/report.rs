//! Writing the report files: the one place that turns a rendered report into files.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result};
use shootout_core::results::{RunResults, SCHEMA_VERSION};
use shootout_report::microbench::Microbench;
use shootout_report::{Input, render};

use crate::store::{write_atomic, write_atomic_with};

/// Where `cargo bench` leaves criterion's HTML report, relative to the workspace.
const CRITERION: &str = "target/criterion/report/index.html";

/// Renders `runs` (and the comparison with `baseline`) into `out`: index.html,
/// results.csv and summary.md, with `margin` instead of the recorded one when given.
/// Returns the path of index.html.
pub fn write(
    out: &Path,
    runs: &[RunResults],
    baseline: Option<&RunResults>,
    margin: Option<f64>,
) -> Result<PathBuf> {
    let criterion = criterion_link(out);
    let benches = benches(&criterion_dir());
    let report = render(&Input {
        runs,
        baseline,
        criterion: criterion.as_deref(),
        benches: &benches,
        margin,
    });
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    write_atomic_with(&out.join("results.csv"), |file| {
        let mut file = std::io::BufWriter::new(file);
        shootout_report::csv::write(runs, &mut file)?;
        file.flush()
    })?;
    write_atomic(&out.join("summary.md"), report.markdown.as_bytes())?;
    let index = out.join("index.html");
    write_atomic(&index, report.html.as_bytes())?;
    Ok(index)
}

/// Where `cargo bench` leaves criterion's data: `$CARGO_TARGET_DIR/criterion`, else
/// `target/criterion`.
fn criterion_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| PathBuf::from("target"), PathBuf::from)
        .join("criterion")
}

/// Every benchmark criterion has estimates for under `dir` (`<group>/<id>/new/`), by group
/// and id; nothing when `cargo bench` has not run here.
pub fn benches(dir: &Path) -> Vec<Microbench> {
    let mut found = Vec::new();
    collect(dir, 0, &mut found);
    // By group, then backend, then size as a number (100 before 1000).
    let key = |b: &Microbench| {
        let (name, size) = b.id.rsplit_once('/').unwrap_or((&b.id, ""));
        (
            b.group.clone(),
            name.to_string(),
            size.parse::<f64>().unwrap_or(f64::INFINITY),
            size.to_string(),
        )
    };
    found.sort_by(|a, b| {
        let (a, b) = (key(a), key(b));
        (&a.0, &a.1)
            .cmp(&(&b.0, &b.1))
            .then(a.2.total_cmp(&b.2))
            .then(a.3.cmp(&b.3))
    });
    found
}

/// criterion nests a benchmark at most group/function/value deep.
const CRITERION_DEPTH: usize = 5;

fn collect(dir: &Path, depth: usize, found: &mut Vec<Microbench>) {
    if depth > CRITERION_DEPTH {
        return;
    }
    let new = dir.join("new");
    let read = |name: &str| std::fs::read_to_string(new.join(name)).ok();
    if let (Some(benchmark), Some(estimates)) = (read("benchmark.json"), read("estimates.json")) {
        let written = std::fs::metadata(new.join("estimates.json"))
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_secs());
        found.extend(Microbench::parse(&benchmark, &estimates, written));
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        // criterion's own report folder and its baselines are not benchmarks.
        let name = entry.file_name();
        if entry.file_type().is_ok_and(|t| t.is_dir()) && name != "report" && name != "new" {
            collect(&path, depth + 1, found);
        }
    }
}

/// Reads a results.json.
/// Refuses what no run writes: a file over [`LARGEST_RESULTS`] (read no further, so
/// `/dev/zero` ends at once), a schema newer than this build reads, or a number no
/// measurement gives (non-finite, or beyond [`LARGEST_NUMBER`] in a floating-point field,
/// which would also stall the charts' axes).
pub fn load(path: &Path) -> Result<RunResults> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    // Opened without blocking, so a FIFO or a terminal named here is refused at once
    // rather than waited on forever; only a regular file is read.
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(nix::libc::O_NONBLOCK)
        .open(path)
        .with_context(|| format!("reading {}", path.display()))?;
    let kind = file
        .metadata()
        .with_context(|| format!("reading {}", path.display()))?
        .file_type();
    if !kind.is_file() {
        anyhow::bail!(
            "{} is not a regular file ({}): a results.json is one",
            path.display(),
            describe_kind(kind)
        );
    }
    let mut bytes = Vec::new();
    file.take(LARGEST_RESULTS + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("reading {}", path.display()))?;
    if bytes.len() as u64 > LARGEST_RESULTS {
        anyhow::bail!(
            "{} is over {} MiB: not a shootout results.json (the full profile writes a few MiB)",
            path.display(),
            LARGEST_RESULTS >> 20
        );
    }
    let value: serde_json::Value = serde_json::from_slice(&bytes)
        .with_context(|| format!("{} is not a shootout results.json", path.display()))?;
    let version = value
        .get("schema_version")
        .and_then(serde_json::Value::as_u64);
    match version {
        Some(v) if v <= u64::from(SCHEMA_VERSION) => {}
        Some(v) => anyhow::bail!(
            "{} has schema_version {v}, newer than this shootout reads (up to {SCHEMA_VERSION}): \
             regenerate it with the version that wrote it",
            path.display()
        ),
        None => anyhow::bail!(
            "{} is not a shootout results.json: no schema_version",
            path.display()
        ),
    }
    match implausible(&value, "") {
        Some((at, Implausible::Number(number))) => anyhow::bail!(
            "{} holds {number:e} at {at}: no measurement gives that, so the file is damaged or \
             edited",
            path.display()
        ),
        Some((at, Implausible::Text(chars))) => anyhow::bail!(
            "{} holds a text of {chars} bytes at {at}, over the {} KiB any field of a run \
             holds: the file is damaged or edited",
            path.display(),
            LONGEST_TEXT >> 10
        ),
        None => {}
    }
    let cells = value
        .get("cells")
        .and_then(serde_json::Value::as_array)
        .map_or(0, Vec::len);
    if cells > MOST_CELLS {
        anyhow::bail!(
            "{} holds {cells} cells, over the {MOST_CELLS} this shootout reports (the full \
             profile plans about 600): split the run, or report a part of it",
            path.display()
        );
    }
    let mut run: RunResults = serde_json::from_value(value)
        .with_context(|| format!("{} is not a shootout results.json", path.display()))?;
    // Files that predate sample counts get them from their records.
    run.fill_sample_counts();
    // And machine- and server-bound cells told apart by the CPUs each had.
    run.judge_bounds();
    // Trials recorded before every backend's CPU work was held to W are held to it now.
    let failed = run.recheck_cores();
    if failed > 0 {
        eprintln!(
            "note: {failed} trials in {} used more cores than their --threads; they fail here, \
             as a run fails them now",
            path.display()
        );
    }
    Ok(run)
}

/// The largest results.json `load` reads.
pub const LARGEST_RESULTS: u64 = 256 << 20;

/// The largest magnitude of a floating-point number in a results.json: far beyond any
/// time (s), rate or byte count a run records, far below where chart arithmetic breaks.
pub const LARGEST_NUMBER: f64 = 1e15;

/// The longest text field a results.json may hold: a trial's stderr excerpt, a reason or
/// a configuration string is a few hundred bytes; a CPU model is under a hundred.
pub const LONGEST_TEXT: usize = 64 << 10;

/// The most cells a results.json may hold (the full profile plans about 600).
pub const MOST_CELLS: usize = 100_000;

/// A value no run writes.
enum Implausible {
    /// A floating-point number beyond [`LARGEST_NUMBER`], or not finite.
    Number(f64),
    /// A text longer than [`LONGEST_TEXT`], by its length in bytes.
    Text(usize),
}

/// The first value in `value` that no run writes, with its path: a floating-point number
/// beyond [`LARGEST_NUMBER`] (whole numbers such as seeds are exact and may be any u64),
/// or a text (or key) longer than [`LONGEST_TEXT`], which every page and CSV row would
/// repeat. `at` is the path so far; the path is only written out for the value found.
fn implausible(value: &serde_json::Value, at: &str) -> Option<(String, Implausible)> {
    let (mut path, found) = find_implausible(value)?;
    path.reverse();
    Some((format!("{at}{}", path.concat()), found))
}

/// [`implausible`] without its path's allocations on the way: the path's segments come
/// back innermost first, only for the value found.
fn find_implausible(value: &serde_json::Value) -> Option<(Vec<String>, Implausible)> {
    match value {
        serde_json::Value::Number(n) if n.is_f64() => n
            .as_f64()
            .filter(|x| !x.is_finite() || x.abs() > LARGEST_NUMBER)
            .map(|x| (Vec::new(), Implausible::Number(x))),
        serde_json::Value::String(text) => {
            (text.len() > LONGEST_TEXT).then(|| (Vec::new(), Implausible::Text(text.len())))
        }
        serde_json::Value::Array(items) => items.iter().enumerate().find_map(|(i, item)| {
            let (mut path, found) = find_implausible(item)?;
            path.push(format!("[{i}]"));
            Some((path, found))
        }),
        serde_json::Value::Object(fields) => fields.iter().find_map(|(key, item)| {
            if key.len() > LONGEST_TEXT {
                return Some((vec![".<key>".to_string()], Implausible::Text(key.len())));
            }
            let (mut path, found) = find_implausible(item)?;
            path.push(format!(".{key}"));
            Some((path, found))
        }),
        _ => None,
    }
}

/// What a file that is not a regular file is, in words.
fn describe_kind(kind: std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_dir() {
        "a folder"
    } else if kind.is_fifo() {
        "a FIFO"
    } else if kind.is_char_device() || kind.is_block_device() {
        "a device"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "not a file"
    }
}

/// A link from `out` to criterion's report, when `cargo bench` has written one here.
fn criterion_link(out: &Path) -> Option<String> {
    if !Path::new(CRITERION).exists() {
        return None;
    }
    if out.is_absolute() {
        return std::env::current_dir()
            .ok()
            .map(|cwd| cwd.join(CRITERION).display().to_string());
    }
    let depth = out
        .components()
        .filter(|c| matches!(c, Component::Normal(_)))
        .count();
    Some(format!("{}{CRITERION}", "../".repeat(depth)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quick_json() -> serde_json::Value {
        serde_json::from_str(crate::fixtures::QUICK_JSON).unwrap()
    }

    fn load_value(name: &str, value: &serde_json::Value) -> Result<RunResults> {
        let path =
            std::env::temp_dir().join(format!("shootout-load-{name}-{}.json", std::process::id()));
        std::fs::write(&path, serde_json::to_vec(value).unwrap()).unwrap();
        let loaded = load(&path);
        std::fs::remove_file(&path).unwrap();
        loaded
    }

    #[test]
    fn a_real_results_file_loads() {
        assert!(load_value("ok", &quick_json()).is_ok());
    }

    #[test]
    fn absurd_numbers_newer_schemas_and_endless_files_are_refused() {
        let mut huge = quick_json();
        huge["cells"][0]["trials"][0]["record"]["wall_s"] = serde_json::json!(1.7e308);
        let err = load_value("huge", &huge).unwrap_err().to_string();
        assert!(
            err.contains("holds 1.7e308 at .cells[0].trials[0].record.wall_s"),
            "{err}"
        );

        let mut newer = quick_json();
        newer["schema_version"] = serde_json::json!(999);
        let err = load_value("newer", &newer).unwrap_err().to_string();
        assert!(err.contains("schema_version 999"), "{err}");

        // A file over the limit is not read past it (a sparse one: no disk used).
        let dir = std::env::temp_dir().join(format!("shootout-load-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let big = dir.join("big.json");
        std::fs::File::create(&big)
            .unwrap()
            .set_len(LARGEST_RESULTS + 1)
            .unwrap();
        let err = load(&big).unwrap_err().to_string();
        assert!(err.contains("is over 256 MiB"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn only_regular_files_are_read_so_nothing_blocks() {
        // /dev/zero never ends, a FIFO with no writer and a terminal never answer: each is
        // refused at once, naming what it is.
        let err = load(Path::new("/dev/zero")).unwrap_err().to_string();
        assert!(err.contains("is not a regular file (a device)"), "{err}");
        let dir = std::env::temp_dir().join(format!("shootout-fifo-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let fifo = dir.join("results.json");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        let err = load(&fifo).unwrap_err().to_string();
        assert!(err.contains("is not a regular file (a FIFO)"), "{err}");
        // Nor does a run's `compared_with` that names one.
        assert!(crate::outdir::load(&fifo).is_none());
        let err = load(&dir).unwrap_err().to_string();
        assert!(err.contains("(a folder)"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn overlong_texts_and_too_many_cells_are_refused_naming_them() {
        let mut long = quick_json();
        long["machine"]["cpu_model"] = serde_json::json!("x".repeat(LONGEST_TEXT + 1));
        let err = load_value("long", &long).unwrap_err().to_string();
        assert!(
            err.contains(&format!(
                "a text of {} bytes at .machine.cpu_model",
                LONGEST_TEXT + 1
            )),
            "{err}"
        );
        let mut many = quick_json();
        many["cells"] = serde_json::Value::Array(vec![serde_json::json!({}); MOST_CELLS + 1]);
        let err = load_value("many", &many).unwrap_err().to_string();
        assert!(
            err.contains(&format!("holds {} cells", MOST_CELLS + 1)),
            "{err}"
        );
        // At the limits, both read.
        let mut fits = quick_json();
        fits["machine"]["cpu_model"] = serde_json::json!("x".repeat(LONGEST_TEXT));
        assert!(load_value("fits", &fits).is_ok());
    }

    #[test]
    fn benches_are_read_from_criterions_folders() {
        // The folders a real `cargo bench --bench spawn -- tokio` left in target/criterion
        // with the pinned criterion (0.8.2; only its JSON and one report page kept): each
        // benchmark's new/ estimates, never its base/ copy or a report folder.
        let dir =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../report/tests/fixtures/criterion-0.8.2");
        let found = benches(&dir);
        let ids: Vec<(&str, &str)> = found
            .iter()
            .map(|b| (b.group.as_str(), b.id.as_str()))
            .collect();
        assert_eq!(
            ids,
            [
                ("spawn", "tokio/100"),
                ("spawn", "tokio/1000"),
                ("spawn", "tokio/10000"),
                ("spawn", "tokio-ct/100"),
                ("spawn", "tokio-ct/1000"),
                ("spawn", "tokio-ct/10000"),
            ]
        );
        let largest = &found[5];
        assert!((largest.point_ns - 5_677_092.792_857_143).abs() < 1e-6);
        assert!(largest.low_ns < largest.point_ns && largest.point_ns < largest.high_ns);
        assert!(found.iter().all(|b| b.measured_unix_s > 0));
        assert!(benches(&dir.join("absent")).is_empty());
    }
}
