//! Help that teaches: each size flag's defaults, per workload, computed from the plan (so
//! help never disagrees with what runs), and worked examples for every subcommand.

use clap::Command;
use shootout_core::WorkloadKind;

use crate::args::Profile;
use crate::plan;

/// The command line; each size flag's help ends in its defaults, per workload
/// ([`crate::args::Sizes`] asks [`defaults`]), and `--trials` and `--budget` in each
/// built-in profile's own value.
pub fn command() -> Command {
    <crate::args::Cli as clap::CommandFactory>::command().mut_subcommand("run", |run| {
        run.mut_arg("trials", |arg| with_profiles(arg, |p| p.trials.to_string()))
            .mut_arg("budget", |arg| {
                with_profiles(arg, |p| p.budget_s.to_string())
            })
    })
}

/// `arg` with "the profile's" in its help followed by each built-in profile's `value`, as
/// the profiles' files say it: "the profile's: quick 6, full 6".
fn with_profiles(arg: clap::Arg, value: impl Fn(&plan::ProfileData) -> String) -> clap::Arg {
    let values: Vec<String> = [Profile::Quick, Profile::Full]
        .into_iter()
        .map(|profile| {
            let data = plan::builtin(profile);
            format!("{} {}", data.name, value(data))
        })
        .collect();
    let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
    let said = format!("the profile's: {}", values.join(", "));
    arg.help(help.replacen("the profile's", &said, 1))
}

/// `fetch 1024, load 200, partial-failure 600`: the value each workload that takes flag `id`
/// gets when the flag is not given but another size flag of the workload is (the quick
/// profile's main cell). Workloads with the same value are listed together. None for a
/// flag whose default is said in words.
pub fn defaults(id: &str) -> Option<String> {
    let mut by_value: Vec<(String, Vec<&'static str>)> = Vec::new();
    for kind in WorkloadKind::ALL {
        let Some(param) = kind.params().params.iter().find(|p| p.flag == id) else {
            continue;
        };
        if !param.show_default {
            continue;
        }
        let Some(value) = plan::default_workload(kind).value(param) else {
            continue;
        };
        match by_value.iter_mut().find(|(v, _)| *v == value) {
            Some((_, kinds)) => kinds.push(kind.name()),
            None => by_value.push((value, vec![kind.name()])),
        }
    }
    match by_value.as_slice() {
        [] => None,
        [(value, _)] => Some(value.clone()),
        many => Some(
            many.iter()
                .map(|(value, kinds)| format!("{} {value}", kinds.join("/")))
                .collect::<Vec<_>>()
                .join(", "),
        ),
    }
}

/// Examples at the end of `shootout run --help`.
pub const RUN_EXAMPLES: &str = "\
Examples:
  shootout run                                  the quick profile, every backend (~3 min here)
  shootout run --profile full                   sweeps up to each backend's limits (~30 minutes)
  shootout run --profile full --dry-run         the plan: cells, fitted sizes, predicted times, skips
  shootout run --workload fetch --concurrency 200 --latency-ms 20
                                                your own question: 200 calls in flight at 20 ms
  shootout run --backend tokio,smol --workload sleep --tasks 100000 --sleep-ms 100
  shootout run --workload load --rate 4000 --connections 32 --pause-ms 50
  shootout run --seed 42 --margin 3%            repeat a run's trial order; a tighter margin

Sizes: without size flags a run takes the profile's cells. A size flag replaces the
profile's cells of each workload it applies to with one cell of those sizes, the other
sizes taking the defaults shown; backends that keep fewer requests in flight than
--concurrency (a pool with W workers, the sequential baseline) run a sample of a fetch
cell fitted to about the cell's ideal time or 1 s, whichever is longer, labelled
\"K of M requests\", as the profiles fit them, instead of being skipped.

Each run writes a new folder reports/<UTC time>/ (reports/latest points at it) and
compares itself with the previous run of the same profile.";

/// Examples at the end of `shootout report --help`.
pub const REPORT_EXAMPLES: &str = "\
Examples:
  shootout report                               regenerate reports/latest/ from its results.json
  shootout report a/results.json b/results.json --out /tmp/both
                                                two machines or commits side by side
  shootout report new/results.json --baseline old/results.json
                                                every cell now against then
  shootout report --margin 2%                   the verdicts at a tighter equivalence margin";

/// Examples at the end of `shootout trial --help`.
pub const TRIAL_EXAMPLES: &str = "\
Examples:
  shootout trial --backend rayon --workload cpu --n 2e9 --jobs 64
  shootout trial --backend tokio --workload fetch --concurrency 256 --latency-ms 10
  shootout trial --backend smol --workload blocking --mode inline";

/// Examples at the end of `shootout list --help`.
pub const LIST_EXAMPLES: &str = "\
Examples:
  shootout list                                 backends, families, modes, what runs here
  shootout list --json | jq '.[].name'          the same for scripts";

/// Examples at the end of `shootout serve --help`.
pub const SERVE_EXAMPLES: &str = "\
Examples:
  shootout serve --port 8080 &
  curl 'http://127.0.0.1:8080/bytes/1024?delay_ms=10'
  wrk -t2 -c64 -d10s 'http://127.0.0.1:8080/bytes/1024?delay_ms=10'";

/// Examples at the end of `shootout completions --help`.
pub const COMPLETIONS_EXAMPLES: &str = "\
Examples:
  shootout completions bash > ~/.local/share/bash-completion/completions/shootout
  shootout completions zsh > ~/.zfunc/_shootout
  shootout completions fish > ~/.config/fish/completions/shootout.fish";

/// Examples at the end of `shootout man --help`.
pub const MAN_EXAMPLES: &str = "\
Examples:
  shootout man > shootout.1 && man ./shootout.1";

#[cfg(test)]
mod tests {
    use super::*;
    use shootout_core::Workload;

    #[test]
    fn defaults_come_from_the_plan_per_workload() {
        let requests = defaults("requests").unwrap();
        let Workload::Fetch(fetch) = plan::default_workload(WorkloadKind::Fetch) else {
            unreachable!()
        };
        // Each workload names its own value: fetch's is the quick latency cell's.
        assert!(
            requests.contains(&format!("fetch {}", fetch.requests)),
            "{requests}"
        );
        assert!(requests.contains("load"), "{requests}");
        // A flag with one value everywhere shows just the value.
        let Workload::Sleep(sleep) = plan::default_workload(WorkloadKind::Sleep) else {
            unreachable!()
        };
        assert_eq!(defaults("sleep-ms").unwrap(), sleep.sleep_ms.to_string());
        assert_eq!(defaults("url"), None);
    }

    #[test]
    fn trials_and_budget_say_each_profiles_own_value() {
        let mut cli = command();
        let help = cli
            .find_subcommand_mut("run")
            .unwrap()
            .render_long_help()
            .to_string();
        let (quick, full) = (plan::builtin(Profile::Quick), plan::builtin(Profile::Full));
        let trials = format!(
            "the profile's: quick {}, full {}",
            quick.trials, full.trials
        );
        let budget = format!(
            "the profile's: quick {}, full {}",
            quick.budget_s, full.budget_s
        );
        assert!(help.contains(&trials), "{help}");
        assert!(help.contains(&budget), "{help}");
    }

    /// Size flags with no value of their own to show: each names its default in words.
    const DEFAULT_IN_WORDS: [&str; 8] = [
        "shape",
        "url",
        "mode",
        "spawn-from",
        "channel",
        "client",
        "library",
        "call-client",
    ];

    #[test]
    fn every_size_flag_shows_a_default_or_is_optional_by_nature() {
        for sub in ["run", "trial"] {
            let mut cli = command();
            let cmd = cli.find_subcommand_mut(sub).unwrap();
            let help = cmd.render_long_help().to_string();
            // Every flag the parser files under a "Sizes" heading, so that a new size flag
            // without a default fails here.
            let sizes: Vec<(String, String)> = cmd
                .get_arguments()
                .filter(|a| a.get_help_heading().is_some_and(|h| h.starts_with("Sizes")))
                .filter(|a| !a.is_hide_set())
                .map(|a| (a.get_id().to_string(), a.get_long().unwrap().to_string()))
                .collect();
            assert!(sizes.len() >= 30, "{sub}: {} size flags", sizes.len());
            for (id, long) in sizes {
                let at = help
                    .find(&format!("      --{long} "))
                    .unwrap_or_else(|| panic!("--{long} in {sub} help"));
                let rest = &help[at..];
                let entry = &rest[..rest[2..].find("\n      --").map_or(rest.len(), |e| e + 2)];
                if DEFAULT_IN_WORDS.contains(&id.as_str()) {
                    assert!(
                        entry.contains("default") || id == "url",
                        "{sub} --{long}: {entry}"
                    );
                    assert!(!entry.contains("[default: "), "{sub} --{long}: {entry}");
                } else {
                    assert!(entry.contains("[default: "), "{sub} --{long}: {entry}");
                }
            }
            assert!(help.contains("Examples:"));
        }
    }
}
