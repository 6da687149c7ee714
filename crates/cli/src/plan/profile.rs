//! The profiles as data: `crates/cli/profiles/quick.toml` and `full.toml`, embedded in the
//! binary, or a user's own file (`--profile-file`) in the same form: the trials per cell,
//! the fitted trial time, and every cell with its sizes and why it is that size.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock, PoisonError};

use serde_json::{Map, Value};
use shootout_core::params::Param;
use shootout_core::{Family, Workload, WorkloadKind};

use crate::args::{Profile, RunArgs, Sizes};

/// The quick profile's file.
const QUICK: &str = include_str!("../../profiles/quick.toml");

/// The full profile's file.
const FULL: &str = include_str!("../../profiles/full.toml");

/// A profile: how many trials, how cells are fitted and skipped, and the cells.
#[derive(Clone, Debug)]
pub struct ProfileData {
    /// Its name, as results record it (`quick`, `full`, or a file's own).
    pub name: String,
    /// Trials per cell when `--trials` is not given.
    pub trials: u32,
    /// The trial time latency cells are fitted to for backends with fewer requests in
    /// flight, seconds.
    pub fit_s: f64,
    /// The longest predicted trial that runs, seconds (`--max-predicted` overrides it).
    pub max_predicted_s: f64,
    /// Seconds the run may spend on more rounds for groups whose verdict is undecided
    /// (`--budget` overrides it; 0 when left out).
    pub budget_s: f64,
    /// The cells, in the file's order.
    pub cells: Vec<Cell>,
}

/// One cell of a profile.
#[derive(Clone, Debug)]
pub struct Cell {
    /// The workload and its sizes.
    pub workload: Workload,
    /// Why it is this size.
    pub why: String,
    /// Run it at every worker count from 1 to the cores (the parallel-efficiency chart).
    pub sweep_threads: bool,
    /// Run it twice on the first backend of this family, for the A/A check.
    pub twin: Option<Family>,
    /// The trial time its fitted cells aim at, where it is not the profile's `fit_s`.
    pub fit_s: Option<f64>,
}

/// A profile file that cannot be read: which file, which cell, which field, and why.
#[derive(Debug, PartialEq)]
pub struct ProfileError {
    /// The file.
    pub file: String,
    /// The cell (1-based) and its workload, where the error is in one.
    pub cell: Option<(usize, String)>,
    /// The key, where the error is in one.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some((n, workload)) = &self.cell {
            write!(f, ": cell {n} ({workload})")?;
        }
        if let Some(field) = &self.field {
            write!(f, ": {field}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ProfileError {}

/// A built-in profile.
pub fn builtin(profile: Profile) -> &'static ProfileData {
    static PARSED: [OnceLock<ProfileData>; 2] = [OnceLock::new(), OnceLock::new()];
    let (slot, text, file) = match profile {
        Profile::Quick => (&PARSED[0], QUICK, "profiles/quick.toml"),
        Profile::Full => (&PARSED[1], FULL, "profiles/full.toml"),
    };
    slot.get_or_init(|| parse(text, file).unwrap_or_else(|err| panic!("built-in profile: {err}")))
}

/// The profile a run asks for: its `--profile-file`, else the built-in `--profile`. A file
/// is read once per process.
pub fn chosen(args: &RunArgs) -> Result<&'static ProfileData, ProfileError> {
    static READ: Mutex<Vec<(PathBuf, &'static ProfileData)>> = Mutex::new(Vec::new());
    let Some(path) = &args.profile_file else {
        return Ok(builtin(args.profile));
    };
    let mut read = READ.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((_, data)) = read.iter().find(|(p, _)| p == path) {
        return Ok(data);
    }
    let data: &'static ProfileData = Box::leak(Box::new(load(path)?));
    read.push((path.clone(), data));
    Ok(data)
}

/// The profile in the file at `path`.
pub fn load(path: &Path) -> Result<ProfileData, ProfileError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|err| ProfileError {
        file: file.clone(),
        cell: None,
        field: None,
        message: format!("cannot be read: {err}"),
    })?;
    parse(&text, &file)
}

/// The profile `text` holds; `file` names it in errors.
pub fn parse(text: &str, file: &str) -> Result<ProfileData, ProfileError> {
    let error = |field: Option<&str>, message: String| ProfileError {
        file: file.to_string(),
        cell: None,
        field: field.map(str::to_string),
        message,
    };
    let table: toml::Table = text
        .parse()
        .map_err(|err: toml::de::Error| error(None, err.message().to_string()))?;
    let json = serde_json::to_value(&table).map_err(|err| error(None, err.to_string()))?;
    let Value::Object(mut top) = json else {
        return Err(error(None, "not a table".into()));
    };
    let name = take_text(&mut top, "name").map_err(|m| error(Some("name"), m))?;
    let trials =
        take_number(&mut top, "trials", 2.0, 1000.0).map_err(|m| error(Some("trials"), m))?;
    let fit_s =
        take_number(&mut top, "fit_s", 0.001, 3600.0).map_err(|m| error(Some("fit_s"), m))?;
    let max_predicted_s = take_number(&mut top, "max_predicted_s", 1.0, 86_400.0)
        .map_err(|m| error(Some("max_predicted_s"), m))?;
    let budget_s = match top.contains_key("budget_s") {
        true => take_number(&mut top, "budget_s", 0.0, 86_400.0)
            .map_err(|m| error(Some("budget_s"), m))?,
        false => 0.0,
    };
    let defaults = match top.remove("defaults") {
        None => Map::new(),
        Some(Value::Object(defaults)) => defaults,
        Some(_) => return Err(error(Some("defaults"), "must be a table of tables".into())),
    };
    let cells = match top.remove("cell") {
        Some(Value::Array(cells)) if !cells.is_empty() => cells,
        _ => return Err(error(Some("cell"), "give at least one [[cell]]".into())),
    };
    if let Some(key) = top.keys().next() {
        return Err(error(
            Some(key),
            "is not a profile setting: name, trials, fit_s, max_predicted_s, budget_s, defaults, \
             cell"
                .into(),
        ));
    }
    let cells = cells
        .into_iter()
        .enumerate()
        .map(|(i, cell)| {
            parse_cell(cell, &defaults).map_err(|(workload, field, message)| ProfileError {
                file: file.to_string(),
                cell: Some((i + 1, workload)),
                field,
                message,
            })
        })
        .collect::<Result<Vec<Vec<Cell>>, ProfileError>>()?
        .into_iter()
        .flatten()
        .collect();
    Ok(ProfileData {
        name,
        trials: trials as u32,
        fit_s,
        max_predicted_s,
        budget_s,
        cells,
    })
}

/// What is wrong with a cell: its workload, the key, and why.
type CellError = (String, Option<String>, String);

/// One `[[cell]]`: its workload, its sizes over the workload's `[defaults]`, checked as the
/// command line checks them, and its own settings; a key given as an array makes a cell per
/// value.
fn parse_cell(cell: Value, defaults: &Map<String, Value>) -> Result<Vec<Cell>, CellError> {
    let Value::Object(mut cell) = cell else {
        return Err(("?".into(), None, "a cell must be a table".into()));
    };
    let name = match cell.remove("workload") {
        Some(Value::String(name)) => name,
        _ => {
            return Err((
                "?".into(),
                Some("workload".into()),
                "give the workload's name".into(),
            ));
        }
    };
    let fail =
        |field: Option<&str>, message: String| (name.clone(), field.map(str::to_string), message);
    let Some(kind) = WorkloadKind::ALL.into_iter().find(|k| k.name() == name) else {
        let names: Vec<&str> = WorkloadKind::ALL.iter().map(|k| k.name()).collect();
        return Err(fail(
            Some("workload"),
            format!("`{name}` is not one of {}", names.join(", ")),
        ));
    };
    let why = match cell.remove("why") {
        Some(Value::String(why)) if !why.trim().is_empty() => why,
        _ => return Err(fail(Some("why"), "say why the cell is this size".into())),
    };
    let sweep_threads = match cell.remove("sweep_threads") {
        None => false,
        Some(Value::Bool(sweep)) => sweep,
        Some(_) => return Err(fail(Some("sweep_threads"), "must be true or false".into())),
    };
    let twin = match cell.remove("twin") {
        None => None,
        Some(family) => Some(
            serde_json::from_value::<Family>(family.clone())
                .map_err(|_| fail(Some("twin"), format!("{family} is not a backend family")))?,
        ),
    };
    let fit_s = match cell.remove("fit_s") {
        None => None,
        Some(value) => match value.as_f64() {
            Some(x) if (0.001..=3600.0).contains(&x) => Some(x),
            _ => return Err(fail(Some("fit_s"), "give a number in 0.001..=3600".into())),
        },
    };
    let mut fields = match defaults.get(kind.params().name) {
        Some(Value::Object(base)) => base.clone(),
        _ => Map::new(),
    };
    fields.extend(cell);
    expand(fields)
        .into_iter()
        .map(|fields| {
            let workload = kind
                .build(fields)
                .and_then(|workload| workload.validate().map(|()| workload))
                .map_err(|err| fail(Some(err.field).filter(|f| *f != "workload"), err.message))?;
            Ok(Cell {
                workload,
                why: why.clone(),
                sweep_threads,
                twin,
                fit_s,
            })
        })
        .collect()
}

/// One set of fields per combination of the values of the keys given as arrays (a sweep:
/// `mode = ["inline", "offload"]` is two cells), in order.
fn expand(fields: Map<String, Value>) -> Vec<Map<String, Value>> {
    let mut all = vec![fields.clone()];
    for (key, value) in &fields {
        let Value::Array(values) = value else {
            continue;
        };
        all = all
            .into_iter()
            .flat_map(|base| {
                values.iter().map(move |v| {
                    let mut one = base.clone();
                    one.insert(key.clone(), v.clone());
                    one
                })
            })
            .collect();
    }
    all
}

/// Removes the text setting `key` from `top`.
fn take_text(top: &mut Map<String, Value>, key: &str) -> Result<String, String> {
    match top.remove(key) {
        Some(Value::String(text)) if !text.is_empty() => Ok(text),
        _ => Err("give it as text".into()),
    }
}

/// Removes the number setting `key` from `top`, checked against `min..=max`.
fn take_number(top: &mut Map<String, Value>, key: &str, min: f64, max: f64) -> Result<f64, String> {
    match top.remove(key).as_ref().and_then(Value::as_f64) {
        Some(x) if (min..=max).contains(&x) => Ok(x),
        _ => Err(format!("give a number in {min}..={max}")),
    }
}

/// The sizes `shootout trial` uses when none are given: the quick profile's first cell of
/// `kind`, or the full profile's where the quick one leaves the kind out.
pub fn default_workload(kind: WorkloadKind) -> Workload {
    [Profile::Quick, Profile::Full]
        .into_iter()
        .find_map(|profile| profile_workloads(builtin(profile), kind).into_iter().next())
        .unwrap_or_else(|| panic!("no built-in profile has a {kind} cell"))
}

/// The sizes a run or trial given `sizes` starts from: the first built-in cell of `kind`
/// (the quick profile's, then the full one's) that holds the value given of every choice
/// that picks its own defaults (`files --shape write`: the first write cell), else
/// [`default_workload`].
pub fn default_for(kind: WorkloadKind, sizes: &Sizes) -> Workload {
    let picked: Vec<(&Param, String)> = kind
        .params()
        .params
        .iter()
        .filter(|param| param.picks_defaults && kind.takes(param))
        .filter_map(|param| Some((param, sizes.text(param.flag)?)))
        .collect();
    if picked.is_empty() {
        return default_workload(kind);
    }
    [Profile::Quick, Profile::Full]
        .into_iter()
        .flat_map(|profile| profile_workloads(builtin(profile), kind))
        .find(|cell| {
            picked
                .iter()
                .all(|(param, value)| cell.value(param).as_deref() == Some(value.as_str()))
        })
        .unwrap_or_else(|| default_workload(kind))
}

/// The cells a profile runs for one workload, in its order.
pub fn profile_workloads(profile: &ProfileData, kind: WorkloadKind) -> Vec<Workload> {
    profile
        .cells
        .iter()
        .filter(|cell| cell.workload.kind() == kind)
        .map(|cell| cell.workload.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_profiles_read_and_say_why() {
        let (quick, full) = (builtin(Profile::Quick), builtin(Profile::Full));
        assert!(quick.cells.len() >= 12, "{}", quick.name);
        assert!(full.cells.len() >= 13, "{}", full.name);
        for kind in WorkloadKind::ALL {
            assert!(
                !profile_workloads(full, kind).is_empty(),
                "full has no {kind} cell"
            );
            // The quick profile leaves out the timeout scenario, whose trials are the
            // timeouts they wait for, the capacity search, seconds a trial (its page says
            // the most load within the SLO needs the full profile), and the scenarios that
            // stand in no Summary row (partial-failure, rate-limit, retry).
            assert_eq!(
                profile_workloads(quick, kind).is_empty(),
                matches!(
                    kind,
                    WorkloadKind::Timeout
                        | WorkloadKind::Capacity
                        | WorkloadKind::PartialFailure
                        | WorkloadKind::RateLimit
                        | WorkloadKind::Retry
                ),
                "quick and {kind}"
            );
        }
        assert_eq!(builtin(Profile::Quick).trials, 6);
    }

    const GOOD: &str = r#"
        name = "mine"
        trials = 6
        fit_s = 0.5
        max_predicted_s = 10
        [defaults.fetch]
        seed = 3
        timeout_ms = 1000
        [[cell]]
        workload = "sleep"
        tasks = 100
        sleep_ms = 10
        why = "small"
        [[cell]]
        workload = "timeout"
        requests = 40
        concurrency = 8
        latency_ms = 1
        body_bytes = 16
        slow = 0.25
        slow_ms = 3000
        why = "a scenario"
        [[cell]]
        workload = "cpu"
        n = 1000
        jobs = [1, 2]
        why = "a list is a sweep"
    "#;

    #[test]
    fn a_file_of_ones_own_reads_like_the_built_in_ones() {
        let data = parse(GOOD, "mine.toml").unwrap();
        assert_eq!(
            (data.name.as_str(), data.trials, data.cells.len()),
            ("mine", 6, 4)
        );
        let kinds: Vec<WorkloadKind> = data.cells.iter().map(|c| c.workload.kind()).collect();
        assert_eq!(
            kinds,
            [
                WorkloadKind::Sleep,
                WorkloadKind::Timeout,
                WorkloadKind::Cpu,
                WorkloadKind::Cpu
            ]
        );
        let Workload::Fetch(spec) = &data.cells[1].workload else {
            unreachable!()
        };
        // The workload's defaults, then the cell's own sizes.
        assert_eq!(
            (spec.seed, spec.timeout_ms, spec.slow_ms()),
            (3, 1000, 3000)
        );
        assert_eq!(data.cells[3].workload.params_label(), "n=1000 jobs=2");
    }

    /// The error `GOOD` with `from` replaced by `to` gives, as printed.
    fn error(from: &str, to: &str) -> String {
        let text = GOOD.replacen(from, to, 1);
        assert_ne!(text, GOOD, "{from} not in the file");
        parse(&text, "mine.toml").unwrap_err().to_string()
    }

    #[test]
    fn errors_name_the_file_the_cell_and_the_field() {
        assert_eq!(
            error("tasks = 100", "tasks = 0"),
            "mine.toml: cell 1 (sleep): tasks: tasks = 0 is not a whole number in 1..=10000000"
        );
        assert_eq!(
            error("tasks = 100", "tasks = \"many\""),
            "mine.toml: cell 1 (sleep): tasks: tasks = \"many\" is not a whole number in 1..=10000000"
        );
        assert_eq!(
            error("slow = 0.25", "slow = 0.25\nspeed = 2"),
            "mine.toml: cell 2 (timeout): timeout has no parameter `speed`"
        );
        assert_eq!(
            error("why = \"small\"", ""),
            "mine.toml: cell 1 (sleep): why: say why the cell is this size"
        );
        assert_eq!(
            error("workload = \"cpu\"", "workload = \"gpu\""),
            "mine.toml: cell 3 (gpu): workload: `gpu` is not one of sleep, spawn, fetch, load, \
             capacity, partial-failure, timeout, rate-limit, retry, pipeline, blocking, call, files, cpu"
        );
        // A whole spec checked as the command line checks it: 3 s slow requests never time
        // out against a 4 s timeout.
        assert!(
            error("slow_ms = 3000", "slow_ms = 3000\ntimeout_ms = 4000")
                .starts_with("mine.toml: cell 2 (timeout): slow_ms: "),
        );
        assert_eq!(
            error("trials = 6", "trials = 1"),
            "mine.toml: trials: give a number in 2..=1000"
        );
        assert!(error("name = \"mine\"", "name = ").starts_with("mine.toml: "));
    }
}
