//! Where a run writes, so nothing is overwritten by surprise: by default its own folder
//! `reports/<UTC time>/`, with `reports/latest` pointing at the newest; an explicit `--out`
//! that already holds results only with `--force`. And which earlier run it compares itself
//! with: the newest run of the same profile beside it.

use std::fs;
use std::path::{Path, PathBuf};

use shootout_core::results::RunResults;
use shootout_report::format::day;

use crate::report::LARGEST_RESULTS;

/// Where runs go when `--out` is not given.
pub const ROOT: &str = "reports";

/// The link in [`ROOT`] to the newest run's folder.
pub const LATEST: &str = "latest";

/// How many earlier folders are opened looking for one of the same profile.
const LOOK_BACK: usize = 20;

/// Why a run will not write where it was told.
#[derive(Debug)]
pub struct Occupied {
    /// The folder.
    pub dir: PathBuf,
    /// What it holds, in words.
    pub holds: String,
}

impl std::fmt::Display for Occupied {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "--out {} already holds results ({}); pass --force to replace them, or leave out \
             --out to write a new folder under {ROOT}/",
            self.dir.display(),
            self.holds
        )
    }
}

/// The run's folder: `out` when given (refused when it holds a results.json, unless
/// `force`; the run checks again under its lock), else a new `reports/<UTC time>/` named
/// from `now_unix`. With `create`, that new folder is made here, and making it is the
/// claim: two runs started in the same second cannot both take it (the second moves on to
/// `<time>-2`, `-3`, ...). Without `create` (a dry run) nothing is made.
pub fn choose(
    out: Option<&Path>,
    force: bool,
    now_unix: u64,
    create: bool,
) -> Result<PathBuf, Occupied> {
    match out {
        Some(dir) => {
            let results = dir.join("results.json");
            if results.exists() && !force {
                return Err(Occupied {
                    dir: dir.to_path_buf(),
                    holds: describe(&results),
                });
            }
            Ok(dir.to_path_buf())
        }
        None => {
            let root = Path::new(ROOT);
            if create {
                // An error here is met again, and reported, where the run creates its folder.
                let _ = fs::create_dir_all(root);
            }
            let stamp = timestamp(now_unix);
            let mut dir = root.join(&stamp);
            let mut n = 2;
            loop {
                let taken = if create {
                    matches!(fs::create_dir(&dir), Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists)
                } else {
                    dir.exists()
                };
                if !taken {
                    return Ok(dir);
                }
                dir = root.join(format!("{stamp}-{n}"));
                n += 1;
            }
        }
    }
}

/// Whether `dir` is a folder of the default root, where `latest` is kept.
pub fn in_root(dir: &Path) -> bool {
    dir.parent() == Some(Path::new(ROOT))
}

/// Points `reports/latest` at `dir` (a relative symbolic link, replaced atomically). Leaves
/// a `latest` that is not a link alone.
pub fn point_latest(dir: &Path) -> std::io::Result<()> {
    // Writing through `latest` itself leaves it where it points.
    let Some(name) = dir.file_name().filter(|name| *name != LATEST) else {
        return Ok(());
    };
    let root = dir.parent().unwrap_or(Path::new("."));
    let latest = root.join(LATEST);
    if latest.exists() && !latest.is_symlink() {
        return Ok(());
    }
    let temp = root.join(format!(".{LATEST}.{}", std::process::id()));
    let _ = fs::remove_file(&temp);
    std::os::unix::fs::symlink(name, &temp)?;
    fs::rename(&temp, &latest).inspect_err(|_| {
        let _ = fs::remove_file(&temp);
    })
}

/// The results.json `shootout report` reads when given none: the latest run's, or the old
/// single-folder layout's.
pub fn default_results() -> PathBuf {
    let latest = Path::new(ROOT).join(LATEST).join("results.json");
    if latest.exists() {
        latest
    } else {
        Path::new(ROOT).join("results.json")
    }
}

/// The run `dir` itself held before this run replaced it (`held`), else, for a folder of
/// the runs root (`reports/`), the newest earlier run of `profile` there (`latest` aside).
/// A folder elsewhere (`--out /tmp/x`) is not compared with whatever else lies beside it.
pub fn previous(
    dir: &Path,
    profile: &str,
    held: Option<(PathBuf, RunResults)>,
) -> Option<(PathBuf, RunResults)> {
    if let Some((path, results)) = held
        && results.settings.profile == profile
    {
        return Some((path, results));
    }
    if !in_root(dir) {
        return None;
    }
    newest(Path::new(ROOT), dir, profile)
}

/// The newest run of `profile` among `root`'s folders other than `dir`.
fn newest(root: &Path, dir: &Path, profile: &str) -> Option<(PathBuf, RunResults)> {
    let mut candidates: Vec<(std::time::SystemTime, PathBuf)> = fs::read_dir(root)
        .ok()?
        .flatten()
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_dir()))
        .map(|entry| entry.path())
        .filter(|path| path.file_name() != dir.file_name())
        .filter_map(|path| {
            let results = path.join("results.json");
            let meta = fs::metadata(&results).ok()?;
            (meta.len() <= LARGEST_RESULTS).then_some((meta.modified().ok()?, results))
        })
        .collect();
    candidates.sort_by_key(|c| std::cmp::Reverse(c.0));
    candidates
        .into_iter()
        .take(LOOK_BACK)
        .filter_map(|(_, path)| Some((path.clone(), load(&path)?)))
        .find(|(_, results)| results.settings.profile == profile && !results.cells.is_empty())
}

/// A results.json, if it reads as one ([`crate::report::load`]'s checks).
pub fn load(path: &Path) -> Option<RunResults> {
    if fs::metadata(path).ok()?.len() > LARGEST_RESULTS {
        return None;
    }
    crate::report::load(path).ok()
}

/// `quick profile, 184 cells, started 2026-11-22 14:50 UTC`, or why it cannot be read.
fn describe(results: &Path) -> String {
    match load(results) {
        Some(run) => format!(
            "{} profile, {} cells{}, started {}",
            run.settings.profile,
            run.cells.len(),
            if run.complete { "" } else { ", stopped early" },
            human(run.started_unix_s)
        ),
        None => format!("{}, not readable as results", results.display()),
    }
}

/// `2026-11-22T14-50-03Z`: UTC, sortable, and a valid file name everywhere (no colons).
pub fn timestamp(unix: u64) -> String {
    let secs = unix % 86_400;
    format!(
        "{}T{:02}-{:02}-{:02}Z",
        day(unix),
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// `2026-11-22 14:50 UTC`.
pub fn human(unix: u64) -> String {
    let secs = unix % 86_400;
    format!("{} {:02}:{:02} UTC", day(unix), secs / 3600, secs / 60 % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_utc_and_sortable() {
        assert_eq!(timestamp(0), "1970-01-01T00-00-00Z");
        assert_eq!(timestamp(951_782_400), "2000-02-29T00-00-00Z");
        assert_eq!(timestamp(1_795_359_003), "2026-11-22T14-50-03Z");
        assert_eq!(human(1_795_359_003), "2026-11-22 14:50 UTC");
    }

    #[test]
    fn an_occupied_out_is_refused_unless_forced() {
        let dir = std::env::temp_dir().join(format!("shootout-outdir-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        assert_eq!(choose(Some(&dir), false, 0, false).unwrap(), dir);
        fs::write(dir.join("results.json"), "{}").unwrap();
        let refused = choose(Some(&dir), false, 0, false).unwrap_err().to_string();
        assert!(refused.contains("already holds results"), "{refused}");
        assert!(refused.contains("--force"), "{refused}");
        assert_eq!(choose(Some(&dir), true, 0, false).unwrap(), dir);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn only_the_runs_root_is_searched_for_a_previous_run() {
        let root = std::env::temp_dir().join(format!("shootout-prev-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        let fixture = crate::fixtures::quick();
        let write = |name: &str, profile: &str| {
            let dir = root.join(name);
            fs::create_dir_all(&dir).unwrap();
            let mut run = fixture.clone();
            run.settings.profile = profile.into();
            fs::write(dir.join("results.json"), serde_json::to_vec(&run).unwrap()).unwrap();
            // Distinct modification times, oldest first.
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        write("a", "quick");
        write("b", "quick");
        write("c", "full");
        let now = root.join("d");
        let (path, run) = newest(&root, &now, "quick").expect("a previous quick run");
        assert_eq!(path, root.join("b").join("results.json"));
        assert_eq!(run.settings.profile, "quick");
        assert!(newest(&root, &now, "custom").is_none());
        // Beside a folder outside reports/, nothing is a previous run.
        assert!(previous(&now, "quick", None).is_none());
        fs::remove_dir_all(&root).unwrap();
    }
}
