//! Where the numbers come from: the fingerprint of each run, and caveats.

use super::{Context, Section};
use shootout_core::results::RunResults;

use super::{facts, takeaway};
use crate::format::{bytes, escape};

/// The machine section, one column per run.
pub fn render(runs: &[RunResults], criterion: Option<&str>) -> String {
    let field = |name: &str, get: &dyn Fn(&RunResults) -> String| {
        let mut row = vec![escape(name)];
        row.extend(runs.iter().map(|r| escape(&get(r))));
        row
    };
    let rows = vec![
        field("CPU", &|r| r.machine.cpu_model.clone()),
        field("cores", &|r| r.machine.cores.to_string()),
        field("memory", &|r| bytes(r.machine.memory_bytes as f64)),
        field("OS, kernel", &|r| {
            format!("{}, {}", r.machine.os, r.machine.kernel)
        }),
        field("rustc", &|r| r.machine.rustc.clone()),
        field("build profile", &|r| r.machine.build_profile.clone()),
        field(
            "git commit",
            &|r| match (&r.machine.git_commit, r.machine.git_dirty) {
                (Some(commit), Some(true)) => format!("{commit} with uncommitted changes"),
                (Some(commit), _) => commit.clone(),
                (None, _) => "–".into(),
            },
        ),
        field("profile, trials", &|r| {
            format!("{}, {} per cell", r.settings.profile, r.settings.trials)
        }),
        field("worker threads (W)", &|r| r.settings.threads.to_string()),
        field("CPU pinning (--pin)", &|r| match &r.settings.pin {
            Some(pin) => format!(
                "server on CPUs {:?}, fetch client on CPUs {:?} (fetch cells: W = {})",
                pin.server_cpus,
                pin.client_cpus,
                pin.client_cpus.len()
            ),
            None => "off: client and server share every CPU".into(),
        }),
        field("fetch server", &|r| {
            r.settings
                .fetch_server
                .clone()
                .unwrap_or_else(|| "–".into())
        }),
        field("limits", &|r| {
            r.machine
                .limits
                .iter()
                .map(|(k, v)| format!("{k} = {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        }),
        field("complete", &|r| {
            if r.complete {
                "yes".into()
            } else {
                "no: stopped early".into()
            }
        }),
    ];
    let mut headers = vec!["".to_string()];
    headers.extend((1..=runs.len()).map(|i| format!("run {i}")));
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    let mut caveats: Vec<String> = runs
        .iter()
        .flat_map(|r| r.machine.caveats.clone())
        .collect();
    caveats.sort();
    caveats.dedup();
    if runs.iter().any(|r| r.machine.build_profile != "release") {
        caveats.push("a run used a debug build: its numbers are not representative".into());
    }
    let mut html = takeaway(&if caveats.is_empty() {
        "No caveats computed for these machines.".to_string()
    } else {
        format!("Caveats: {}.", caveats.join("; "))
    });
    html += &facts(&headers, &rows);
    html += "<p class=\"note\">Each trial runs in a fresh process: the runtime is built and warmed up, then only the \
             workload is timed. CPU time is user + system of the whole process during the workload; peak memory is VmHWM \
             reset just before it.</p>\n";
    if let Some(link) = criterion {
        html += &format!(
            "<p>criterion's own report for <code>cargo bench</code>: <a href=\"{0}\">{0}</a></p>\n",
            escape(link)
        );
    }
    html
}

/// The section, as the page lists it.
pub struct Machine;

impl Section for Machine {
    fn id(&self) -> &'static str {
        "machine"
    }

    fn title(&self) -> &'static str {
        "Machine"
    }

    fn render(&self, ctx: &Context<'_>) -> String {
        render(ctx.input.runs, ctx.input.criterion)
    }
}
