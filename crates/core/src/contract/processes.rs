//! What a workload's design for a pool of worker processes sees (the tutorials'
//! multiprocessing): a run split into parts, each part sent to the next free worker as a
//! line of JSON and answered with one, every part computed by core's code in the worker.
//! The pool itself (its processes, pipes and feeding threads) is the processes crate's.

use std::io::{self, BufRead, Write};

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::backend::BackendError;
use crate::fetch::Target;
use crate::outcome::Outcome;
use crate::workload::Workload;

/// What the parent tells every worker at the start of a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Run {
    /// The workload whose parts follow.
    pub workload: Workload,
    /// How many parts it is split into.
    pub parts: u64,
    /// The server a fetch goes to.
    pub target: Option<Target>,
}

/// A line to a worker: the start of a run (no answer), or the next part of it to do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Line {
    /// A run starts.
    Run(Box<Run>),
    /// Do part `n` of the run and answer.
    Part(u64),
}

/// A part's answer as the workload's design serialized it: JSON text, parsed once, by the
/// design that asked for it.
pub type Answer = Box<RawValue>;

/// A worker's answer to a part: what the workload's part returned, or why it could not.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Reply {
    /// The part's result.
    Ok(Answer),
    /// Why the part failed.
    Error(String),
}

/// A pool of worker processes, as a workload's design uses it.
pub trait Pool {
    /// How many worker processes.
    fn size(&self) -> u64;

    /// Runs every part of `run`, each worker taking the next as soon as it is free; calls
    /// `sent(part)` before a part goes out and `done(part)` when its answer is back, and
    /// returns the answers (in no particular order). A failed part fails the run.
    fn parts(&self, run: Run, sent: fn(u64), done: fn(u64)) -> Result<Vec<Answer>, BackendError>;
}

/// Does nothing with a part: for [`Pool::parts`] where nothing is counted as parts go.
pub fn quiet(_: u64) {}

/// An [`Outcome`] over a pipe: the checksum in decimal, since it is a u128.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Wire {
    /// Operations done.
    pub ops: u64,
    /// The checksum, in decimal.
    pub checksum: String,
}

/// `outcome` as a part's answer.
pub fn answer(outcome: Outcome) -> Result<Answer, String> {
    let wire = Wire {
        ops: outcome.ops,
        checksum: outcome.checksum.to_string(),
    };
    serde_json::value::to_raw_value(&wire).map_err(|err| err.to_string())
}

/// The sum of parts answered with [`answer`].
pub fn sum(parts: Vec<Answer>) -> Result<Outcome, BackendError> {
    let bad = |what: String| BackendError::Task(format!("a worker answered {what}"));
    let mut total = Outcome::ZERO;
    for part in parts {
        let wire: Wire = serde_json::from_str(part.get()).map_err(|err| bad(err.to_string()))?;
        let checksum = wire
            .checksum
            .parse()
            .map_err(|_| bad(format!("the checksum '{}'", wire.checksum)))?;
        total += Outcome {
            ops: wire.ops,
            checksum,
        };
    }
    Ok(total)
}

/// A worker's loop: reads [`Line`]s from `input` and answers each part on `output`, until
/// `input` ends.
pub fn serve(input: impl BufRead, mut output: impl Write) -> io::Result<()> {
    let mut run: Option<Box<Run>> = None;
    for line in input.lines() {
        let line = line?;
        let reply = match serde_json::from_str::<Line>(&line) {
            Ok(Line::Run(started)) => {
                run = Some(started);
                continue;
            }
            Ok(Line::Part(part)) => match &run {
                Some(run) => run
                    .workload
                    .in_worker(part, run.parts, run.target.as_ref())
                    .map_or_else(Reply::Error, Reply::Ok),
                None => Reply::Error(format!("part {part} before any run")),
            },
            Err(err) => Reply::Error(format!("bad line '{line}': {err}")),
        };
        serde_json::to_writer(&mut output, &reply)?;
        output.write_all(b"\n")?;
        output.flush()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CpuSpec;

    fn served(lines: &[Line]) -> Vec<Reply> {
        let input: String = lines
            .iter()
            .map(|line| serde_json::to_string(line).unwrap() + "\n")
            .collect();
        let mut output = Vec::new();
        serve(input.as_bytes(), &mut output).unwrap();
        let text = String::from_utf8(output).unwrap();
        text.lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect()
    }

    #[test]
    fn a_worker_answers_each_part_of_its_run_and_nothing_else() {
        let spec = CpuSpec::new(1_000, 3);
        let run = Run {
            workload: spec.into(),
            parts: 3,
            target: None,
        };
        let replies = served(&[
            Line::Part(0),
            Line::Run(Box::new(run)),
            Line::Part(2),
            Line::Part(0),
            Line::Part(1),
        ]);
        assert_eq!(replies.len(), 4, "a run's start takes no answer");
        assert!(matches!(&replies[0], Reply::Error(e) if e.contains("before any run")));
        let answers = replies[1..]
            .iter()
            .map(|reply| match reply {
                Reply::Ok(answer) => answer.clone(),
                Reply::Error(err) => panic!("{err}"),
            })
            .collect();
        assert_eq!(sum(answers).unwrap(), spec.expected());
    }
}
