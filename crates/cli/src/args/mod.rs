//! The command line: subcommands, flags, and parsers that name the flag and its range.

use std::path::PathBuf;
use std::sync::LazyLock;

use clap::builder::PossibleValue;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::net::SocketAddr;

use shootout_core::WorkloadKind;
use shootout_core::fetch::check_url;

use shootout_core::results::Order;

use crate::backends::BackendName;
use crate::pin::PinArg;

mod sizes;

pub use sizes::{Sizes, flag_for};

/// The most worker threads `--threads` accepts.
pub const THREADS_MAX: u64 = 1024;

/// Run the same concurrency workloads on every major Rust backend, verify every answer,
/// and measure them honestly.
#[derive(Debug, Parser)]
#[command(
    name = "shootout",
    version,
    after_help = "With no command, runs `shootout run` with the quick profile on every \
                  backend and workload and writes reports/<UTC time>/ (reports/latest points at it)."
)]
pub struct Cli {
    /// What to do (default: run).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the suite: every cell (backend x workload x sizes), each trial in a fresh
    /// process, verified, summarized, saved to <OUT>/results.json after every cell.
    #[command(after_help = crate::help::RUN_EXAMPLES)]
    Run(RunArgs),
    /// Run one trial in this process: build the backend, warm up, time the workload
    /// alone, verify it, and print one JSON object on stdout.
    #[command(after_help = crate::help::TRIAL_EXAMPLES)]
    Trial(TrialArgs),
    /// List every backend and workload with a short description.
    #[command(after_help = crate::help::LIST_EXAMPLES)]
    List(ListArgs),
    /// Regenerate the HTML report (index.html, results.csv, summary.md) from saved results;
    /// several files are shown side by side.
    #[command(after_help = crate::help::REPORT_EXAMPLES)]
    Report(ReportArgs),
    /// Run the embedded HTTP/1.1 server of the fetch workload on loopback until interrupted,
    /// printing its address. It answers GET /bytes/N with N bytes, after ?delay_ms=D
    /// milliseconds, answering 500 or dropping the connection for the fractions ?fail= and
    /// ?reset= of requests (drawn from ?seed=).
    #[command(after_help = crate::help::SERVE_EXAMPLES)]
    Serve(ServeArgs),
    /// Print a shell completion script for bash, zsh, fish, elvish or powershell.
    #[command(after_help = crate::help::COMPLETIONS_EXAMPLES)]
    Completions(CompletionsArgs),
    /// Print the man page (roff) on stdout.
    #[command(after_help = crate::help::MAN_EXAMPLES)]
    Man,
    /// Print the version (the same as --version).
    Version,
    /// A helper process of the backend that starts its helpers as `shootout worker` (a
    /// process pool): jobs in on stdin, answers out on stdout.
    #[command(hide = true)]
    Worker,
}

/// Flags of `shootout completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Flags of `shootout list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Print the backends as JSON, one object each with what it says about itself
    /// (family, capabilities, availability here), for scripts and tests.
    #[arg(long)]
    pub json: bool,
}

/// Flags of `shootout report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// results.json files to report on (default: reports/latest/results.json).
    #[arg(value_name = "RESULTS.json")]
    pub results: Vec<PathBuf>,
    /// Directory for index.html, results.csv and summary.md (default: the folder of the
    /// first results.json).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// A saved results.json to compare against, cell by cell (default: the previous run
    /// that `run` compared the first results with, when it is still there).
    #[arg(long, value_name = "OLD.json")]
    pub baseline: Option<PathBuf>,
    /// Equivalence margin of the verdicts, a fraction or a percentage [0.001..=0.5]
    /// (default: the one the run recorded, else 0.05).
    #[arg(long, value_parser = margin)]
    pub margin: Option<f64>,
    /// load: the p99 a backend must stay within for its knee, ms [0.001..=60000]
    /// (default: ten times the best p99 at the lowest offered rate).
    #[arg(long, value_parser = slo_ms)]
    pub slo_ms: Option<f64>,
}

/// Flags of `shootout serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port on 127.0.0.1 (0 picks a free one) [0..=65535].
    #[arg(long, default_value_t = 8080, value_parser = bounded("--port", 0, 65_535))]
    pub port: u64,
    /// Server worker threads [1..=1024] (default: available cores).
    #[arg(long, value_parser = bounded("--threads", 1, THREADS_MAX))]
    pub threads: Option<u64>,
    /// Exit when standard input closes (how `run` and `trial` tie the server to themselves).
    #[arg(long, hide = true)]
    pub exit_with_parent: bool,
    /// Run on these CPUs only, e.g. `0,1` (how `run --pin` places the server).
    #[arg(long, hide = true, value_delimiter = ',')]
    pub cpus: Vec<usize>,
}

/// Flags of `shootout run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Backends to run, comma-separated (default: all).
    #[arg(help_heading = "Selection")]
    #[arg(long, value_delimiter = ',', value_enum)]
    pub backend: Vec<BackendName>,
    /// Workloads to run, comma-separated (default: all).
    #[arg(help_heading = "Selection")]
    #[arg(long, value_delimiter = ',', value_enum)]
    pub workload: Vec<WorkloadArg>,
    /// Sizes to run: quick (every backend, small cells: at most 150 s on 2 cores) or full
    /// (sweeps up to the limits: about 30 minutes on 2 cores).
    #[arg(help_heading = "Selection")]
    #[arg(long, value_enum, default_value_t = Profile::Quick)]
    pub profile: Profile,
    /// A profile of your own: a TOML file in the form of the built-in ones
    /// (crates/cli/profiles/quick.toml), checked before anything runs; replaces --profile.
    #[arg(long, value_name = "PATH", help_heading = "Selection")]
    pub profile_file: Option<PathBuf>,
    /// Trials per cell, each in a fresh process [1..=100] (default: the profile's; fewer
    /// than 4 can never show a difference at 5%).
    #[arg(help_heading = "Statistics")]
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub trials: Option<u32>,
    /// Trial order: shuffled round-robin within each group of compared cells, or fixed
    /// (plan order, each cell's trials back to back: for debugging).
    #[arg(help_heading = "Statistics")]
    #[arg(long, value_enum, default_value_t = OrderArg::Shuffled)]
    pub order: OrderArg,
    /// Seed of the shuffled order [0..=18446744073709551615] (default: random; always
    /// recorded in results.json, so `--seed` with it repeats the order).
    #[arg(help_heading = "Statistics")]
    #[arg(long, value_parser = bounded("--seed", 0, u64::MAX))]
    pub seed: Option<u64>,
    /// Equivalence margin of the verdicts, a fraction or a percentage [0.001..=0.5]
    /// (default 0.05: backends within ±5% of each other are equivalent).
    #[arg(help_heading = "Statistics")]
    #[arg(long, value_parser = margin)]
    pub margin: Option<f64>,
    /// Seconds the run may spend on more rounds for groups whose verdict is undecided after
    /// their planned ones [0..=86400] (default: the profile's). Each
    /// such group is then tested at its looks' shares of the 5% level (80% after the planned
    /// rounds, the rest over up to two looks of 2 rounds more); 0 runs the plan alone.
    #[arg(help_heading = "Statistics")]
    #[arg(long, value_name = "SECONDS", value_parser = seconds_f64("--budget", 0.0, 86_400.0))]
    pub budget: Option<f64>,
    /// Worker threads for every backend [1..=1024] (default: available cores).
    #[arg(help_heading = "Machine")]
    #[arg(long, value_parser = bounded("--threads", 1, THREADS_MAX))]
    pub threads: Option<u64>,
    /// Pin the embedded fetch server and the fetch trials to disjoint CPUs (the first half
    /// to the server); fetch cells then run with W = the client's CPUs. auto: when there
    /// are at least 4 CPUs. On 2 CPUs, `on` gives each one CPU and the client W = 1.
    #[arg(help_heading = "Machine")]
    #[arg(long, value_enum, default_value_t = PinArg::Auto)]
    pub pin: PinArg,
    /// call: measure PostgreSQL on this server (a connection string, `host=/run/postgresql
    /// user=me dbname=bench` or `postgresql://me@localhost/bench`) instead of a throwaway
    /// cluster the run starts itself; the run makes its seeded tables there
    /// (`shootout_items_<rows>_<seed>`) and drops them at the end.
    #[arg(help_heading = "Machine")]
    #[arg(long, value_name = "URL", value_parser = postgres_url)]
    pub postgres: Option<String>,
    /// files: make the file sets in a new folder under this one (default: the system's
    /// temporary folder), e.g. to measure another disk. The run touches only the folder it
    /// makes, checks its free space first and deletes it at the end (also after Ctrl-C).
    #[arg(help_heading = "Machine")]
    #[arg(long, value_name = "DIR", value_parser = writable_dir)]
    pub dir: Option<PathBuf>,
    /// Directory for results.json and the report (default: a new folder
    /// reports/<UTC time>/, with reports/latest pointing at it). A folder that already
    /// holds results is refused unless --force.
    #[arg(help_heading = "Output")]
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Go on with the interrupted run in DIR, given the command line that started it:
    /// groups of cells it finished are kept, the rest measured. Refused when the plan or the
    /// machine differs from what it recorded.
    #[arg(long, value_name = "DIR", help_heading = "Output", conflicts_with_all = ["out", "force"])]
    pub resume: Option<PathBuf>,
    /// Replace the results an existing --out holds (they are kept as baseline.json there and
    /// compared with, when of the same profile).
    #[arg(help_heading = "Output")]
    #[arg(long)]
    pub force: bool,
    /// Kill a trial after this many seconds [1..=86400] (default: from its predicted time).
    #[arg(help_heading = "Limits")]
    #[arg(long, value_name = "SECS", value_parser = bounded("--trial-timeout", 1, 86_400))]
    pub trial_timeout: Option<u64>,
    /// Skip cells whose predicted trial time exceeds this many seconds [1..=86400]
    /// (default: 15 for quick, 30 for full). Skipped cells are reported with their prediction.
    #[arg(help_heading = "Limits")]
    #[arg(long, value_name = "SECS", value_parser = bounded("--max-predicted", 1, 86_400))]
    pub max_predicted: Option<u64>,
    /// Sizes: any of these replaces the profile's sizes for its workload with one cell.
    #[command(flatten)]
    pub sizes: Sizes,
    /// The per-cell table: compact (a line per cell within 100 columns, each group printed as
    /// its cells finish) or full (every column, one wide table at the end).
    #[arg(help_heading = "Output")]
    #[arg(long, value_enum, default_value_t = TableArg::Compact)]
    pub table: TableArg,
    /// Exit 0 even when a cell failed (by default a failed cell makes the run exit 1, after
    /// saving and reporting everything).
    #[arg(long, help_heading = "Output")]
    pub allow_failures: bool,
    /// Print the planned cells (sizes fitted per backend, predicted times, skips and
    /// timeouts) and exit without running or writing anything.
    #[arg(help_heading = "Output")]
    #[arg(long)]
    pub dry_run: bool,
    /// Make every trial fail on purpose (for testing failure handling).
    #[arg(long, value_enum, hide = true)]
    pub inject_fault: Option<Fault>,
}

/// Flags of `shootout trial`.
#[derive(Debug, Args)]
pub struct TrialArgs {
    /// The backend to run.
    #[arg(long, value_enum)]
    pub backend: BackendName,
    /// The workload to run, sized by the size flags.
    #[arg(long, value_enum, required_unless_present = "spec")]
    pub workload: Option<WorkloadArg>,
    /// The workload as data, every size and design included, as results.json records a
    /// cell (`{"workload":"sleep","params":{"tasks":20,"sleep_ms":10}}`): how `run` hands
    /// each trial its cell. Takes the place of --workload and the size flags.
    #[arg(long, value_name = "JSON", conflicts_with = "workload")]
    pub spec: Option<String>,
    /// Worker threads [1..=1024] (default: available cores).
    #[arg(long, value_parser = bounded("--threads", 1, THREADS_MAX))]
    pub threads: Option<u64>,
    /// Sizes (defaults: the quick profile's main cell).
    #[command(flatten)]
    pub sizes: Sizes,
    /// Fail on purpose after warm-up (for testing failure handling).
    #[arg(long, value_enum, hide = true)]
    pub fault: Option<Fault>,
    /// sleep: time the harness-free tasks (sleep and return nothing) instead, to measure
    /// the harness's share of the memory per task.
    #[arg(long, hide = true)]
    pub bare: bool,
    /// fetch: an embedded server already running at this address (`run` passes its own).
    #[arg(long, hide = true)]
    pub server: Option<SocketAddr>,
    /// The process id of that server, whose CPU time is part of the trial, not a
    /// disturbance.
    #[arg(long, hide = true)]
    pub server_pid: Option<u32>,
    /// Run on these CPUs only, e.g. `1` (how `run --pin` places fetch trials).
    #[arg(long, hide = true, value_delimiter = ',')]
    pub cpus: Vec<usize>,
    /// call: the folder of seeded SQLite files the run made (`run` passes its own; alone,
    /// a trial makes its own).
    #[arg(long, hide = true, value_name = "DIR")]
    pub sqlite_dir: Option<PathBuf>,
    /// call: the PostgreSQL server holding the seeded tables (a connection string; `run`
    /// passes its own; alone, a trial starts a throwaway cluster where PostgreSQL is
    /// installed).
    #[arg(long, value_name = "URL", value_parser = postgres_url)]
    pub postgres: Option<String>,
    /// files: the folder of file sets the run made (`run` passes its own; alone, a trial
    /// makes its own).
    #[arg(long, hide = true, value_name = "DIR")]
    pub files_dir: Option<PathBuf>,
}

/// `--dir`: a folder that exists and this user can write in (checked by making and
/// removing a file there), so a run never starts to fail at its first file set.
fn writable_dir(dir: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(dir);
    if !path.is_dir() {
        return Err(format!("{dir} is not a folder that exists"));
    }
    let probe = path.join(format!(".shootout-probe-{}", std::process::id()));
    std::fs::write(&probe, b"")
        .and_then(|()| std::fs::remove_file(&probe))
        .map_err(|err| format!("cannot write in {dir}: {err}"))?;
    Ok(path)
}

/// `--postgres`: a PostgreSQL connection string, checked without connecting.
fn postgres_url(url: &str) -> Result<String, String> {
    shootout_core::call::check_postgres_url(url)?;
    Ok(url.to_string())
}

/// A workload by its command-line name: every [`WorkloadKind`], named and described by
/// core.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WorkloadArg(pub WorkloadKind);

/// Every workload as a command-line value, in the order reports list them.
static WORKLOAD_ARGS: LazyLock<Vec<WorkloadArg>> =
    LazyLock::new(|| WorkloadKind::ALL.into_iter().map(WorkloadArg).collect());

impl ValueEnum for WorkloadArg {
    fn value_variants<'a>() -> &'a [Self] {
        &WORKLOAD_ARGS
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.0.name()).help(self.0.summary()))
    }
}

impl From<WorkloadArg> for WorkloadKind {
    fn from(arg: WorkloadArg) -> Self {
        arg.0
    }
}

/// The shape of the per-cell table `run` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TableArg {
    /// A line per cell within 100 columns, printed as each group of cells finishes.
    Compact,
    /// Every column in one wide table at the end of the run.
    Full,
}

/// How `run` orders trials.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OrderArg {
    /// Round-robin within each group of compared cells, each round shuffled from --seed.
    Shuffled,
    /// Plan order, every trial of a cell back to back.
    Fixed,
}

impl From<OrderArg> for Order {
    fn from(arg: OrderArg) -> Self {
        match arg {
            OrderArg::Shuffled => Order::Shuffled,
            OrderArg::Fixed => Order::Fixed,
        }
    }
}

/// Size profiles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Profile {
    /// Small sizes every backend can do, 6 trials each, in at most 150 s on 2 cores.
    Quick,
    /// Sweeps that reach each backend's limits.
    Full,
}

/// Deliberate failures, to test that a broken trial becomes a failed cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Fault {
    /// Panic after warm-up.
    Panic,
    /// Never finish.
    Hang,
}

/// A parser for a whole number in `min..=max` whose errors name `flag` and the range.
fn bounded(
    flag: impl std::fmt::Display + Clone + Send + Sync + 'static,
    min: u64,
    max: u64,
) -> impl Fn(&str) -> Result<u64, String> + Clone {
    move |text| {
        let value = parse_count(text)
            .ok_or_else(|| format!("{flag} takes a whole number in {min}..={max}, not '{text}'"))?;
        if (min..=max).contains(&value) {
            Ok(value)
        } else {
            Err(format!(
                "{flag} = {value} is out of range; valid range is {min}..={max}"
            ))
        }
    }
}

/// A parser for a fraction in 0..=1 whose errors name `flag`.
fn fraction(
    flag: impl std::fmt::Display + Clone + Send + Sync + 'static,
) -> impl Fn(&str) -> Result<f64, String> + Clone {
    move |text: &str| match text.trim().parse::<f64>() {
        Ok(value) if (0.0..=1.0).contains(&value) => Ok(value),
        _ => Err(format!("{flag} takes a fraction in 0..=1, not '{text}'")),
    }
}

/// A parser for a number of seconds in `min..=max`, naming `flag` when it is not one.
fn seconds_f64(
    flag: &'static str,
    min: f64,
    max: f64,
) -> impl Fn(&str) -> Result<f64, String> + Clone {
    move |text: &str| match text.trim().parse::<f64>() {
        Ok(value) if (min..=max).contains(&value) => Ok(value),
        _ => Err(format!(
            "{flag} takes seconds in {min}..={max}, not '{text}'"
        )),
    }
}

/// Parses `--slo-ms`: a positive number of milliseconds up to a minute.
fn slo_ms(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(ms) if (0.001..=60_000.0).contains(&ms) => Ok(ms),
        _ => Err(format!(
            "--slo-ms takes milliseconds in 0.001..=60000, not '{text}'"
        )),
    }
}

/// The smallest and largest equivalence margins `--margin` accepts.
const MARGIN_RANGE: (f64, f64) = (0.001, 0.5);

/// Parses `0.05` or `5%` as a margin in [`MARGIN_RANGE`].
fn margin(text: &str) -> Result<f64, String> {
    let trimmed = text.trim();
    let value = match trimmed.strip_suffix('%') {
        Some(percent) => percent.trim().parse::<f64>().map(|p| p / 100.0),
        None => trimmed.parse::<f64>(),
    };
    let (min, max) = MARGIN_RANGE;
    match value {
        Ok(value) if (min..=max).contains(&value) => Ok(value),
        _ => Err(format!(
            "--margin takes a fraction in {min}..={max} or a percentage in 0.1%..=50%, not '{text}'"
        )),
    }
}

/// Accepts an `http://host[:port]/path` URL.
fn url(text: &str) -> Result<String, String> {
    check_url(text)
        .map(|()| text.to_string())
        .map_err(|err| err.message)
}

/// Parses `1000`, `1_000`, `2e9` or `1.5e3` as an exact whole number.
fn parse_count(text: &str) -> Option<u64> {
    let text = text.trim().replace('_', "");
    if let Ok(value) = text.parse::<u64>() {
        return Some(value);
    }
    let (mantissa, exponent) = text.split_once(['e', 'E'])?;
    let exponent: u32 = exponent.parse().ok()?;
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let shift = exponent.checked_sub(fraction.len() as u32)?;
    let digits: u64 = format!("{whole}{fraction}").parse().ok()?;
    digits.checked_mul(10u64.checked_pow(shift)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_in_several_notations() {
        assert_eq!(parse_count("2000"), Some(2000));
        assert_eq!(parse_count("2_000"), Some(2000));
        assert_eq!(parse_count("2e9"), Some(2_000_000_000));
        assert_eq!(parse_count("1.5e3"), Some(1500));
        assert_eq!(parse_count("1.25e1"), None);
        assert_eq!(parse_count("-1"), None);
        assert_eq!(parse_count("abc"), None);
        assert_eq!(parse_count("1e30"), None);
    }

    #[test]
    fn margins_as_fractions_or_percentages() {
        assert_eq!(margin("0.05"), Ok(0.05));
        assert_eq!(margin("5%"), Ok(0.05));
        assert!(
            margin("0")
                .unwrap_err()
                .contains("--margin takes a fraction in 0.001..=0.5")
        );
        assert!(margin("60%").is_err());
        assert!(margin("x").is_err());
    }

    #[test]
    fn bounded_names_the_flag_and_range() {
        let parse = bounded("--jobs", 1, 10);
        assert_eq!(parse("3"), Ok(3));
        assert_eq!(
            parse("0").unwrap_err(),
            "--jobs = 0 is out of range; valid range is 1..=10"
        );
        assert!(
            parse("x")
                .unwrap_err()
                .contains("--jobs takes a whole number in 1..=10")
        );
    }
}
