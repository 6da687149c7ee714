//! The workloads, as plain data: what to run, how big, and what the answer must be.

use crate::backend::BackendInfo;
use crate::design::Variant;
use crate::error::SpecError;
use crate::outcome::{Mismatch, RunOutcome};
use crate::params::{Kind as ParamKind, Param};
use crate::placement::BlockingMode;

use crate::workloads::each;
pub use crate::workloads::{TABLES, Workload, WorkloadKind};

/// What a workload's cells are compared by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Judged {
    /// Its rate: operations per second, higher is better.
    Rate,
    /// A p99, lower is better (tick lateness; latency from when each request was due).
    P99,
    /// The client's CPU time per request, lower is better: what a concurrent wait costs,
    /// where every design that holds C requests in flight reaches the same throughput.
    CpuPerRequest,
    /// The most offered load held within an SLO (a capacity search's rate), higher is
    /// better.
    Capacity,
}

/// Where a cell sits on a sweep the report reads a rule of thumb along.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepPoint {
    /// The decision row the sweep belongs to, e.g. `fetch (latency)`.
    pub row: &'static str,
    /// What is held fixed, e.g. `sleep_ms=100 threads=2`.
    pub fixed: String,
    /// The swept size's name: `tasks`, `requests in flight`, `worker threads`.
    pub axis: &'static str,
    /// The swept size of this cell.
    pub at: f64,
}

/// What a workload's spec says of itself: each workload's module implements it, so the
/// rest of the project asks the [`Workload`] and never names a workload's fields.
pub trait WorkloadSpec: Clone + Into<Workload> {
    /// Which workload this is (for `fetch`, which scenario).
    fn kind(&self) -> WorkloadKind;

    /// Checks every parameter against its valid range.
    fn validate(&self) -> Result<(), SpecError>;

    /// The checksum a correct run reports (see [`RunOutcome::checksum`]).
    fn expected_checksum(&self) -> String;

    /// Accepts `got` only if it is exactly what a correct backend returns.
    fn verify_run(&self, got: &RunOutcome) -> Result<(), Mismatch>;

    /// A small version of the same workload, to warm up a backend before timing.
    fn warmup(&self) -> Self;

    /// The exact outcome a correct backend returns, its own timings synthetic (tick
    /// lateness, request latency) and scaled by `slowness`, for a run that took `took`:
    /// the answer of the mock backend the harness's own tests run.
    fn synthetic(&self, slowness: u32, took: std::time::Duration) -> RunOutcome;

    /// The work rate for a run of `wall_s` seconds, in [`WorkloadKind::rate_unit`].
    fn rate(&self, wall_s: f64) -> f64;

    /// The best possible wall time, where one exists (a sleep cannot end before its timer).
    fn ideal_s(&self) -> Option<f64> {
        None
    }

    /// The best possible wall time given the delay a server reports it applied to each
    /// request, where the workload waits on one (else [`WorkloadSpec::ideal_s`]).
    fn ideal_s_served(&self, server_delay_s: f64) -> Option<f64> {
        let _ = server_delay_s;
        None
    }

    /// How many tasks are alive at once whose memory a run measures per task (every one of
    /// them, for a workload whose tasks all wait together); `None` where a per-task figure
    /// says nothing (spawned tasks end as soon as they run, so how many are alive at once
    /// depends on the scheduler, not on a task's size).
    fn tasks_held(&self) -> Option<u64> {
        None
    }

    /// The headline row of the decision table this cell stands in, one of its kind's
    /// [`crate::kind::About::headlines`]: its kind's first, unless the workload says.
    fn headline(&self) -> Option<&'static str> {
        self.kind().about().headlines.first().copied()
    }

    /// The cell a custom question asks for, sized so its figures are stable when the
    /// question left the size to us; `None` keeps it as asked.
    fn for_question(&self) -> Option<Workload> {
        None
    }

    /// What its cells are compared by: its kind's metric, unless the workload says
    /// ([`WorkloadKind::judged_by_p99`]).
    fn judged_by(&self) -> Judged {
        if self.kind().judged_by_p99() {
            Judged::P99
        } else {
            Judged::Rate
        }
    }

    /// Where this cell on `threads` workers sits on a sweep the report reads its rule of
    /// thumb along, if it is swept.
    fn sweep_point(&self, threads: u64) -> Option<SweepPoint> {
        let _ = threads;
        None
    }

    /// Where its CPU jobs run, where the cell places them.
    fn placement(&self) -> Option<BlockingMode> {
        None
    }

    /// Whether a run needs the embedded server (a fetch without a `url` of its own): the
    /// parent starts it, and gives the trial its address.
    fn needs_server(&self) -> bool {
        false
    }

    /// The seeded database a run must make before this cell's trials, where it reads one.
    fn store(&self) -> Option<crate::call::Store> {
        None
    }

    /// The idle keep-alive connections a backend may keep open after a run, one per slot,
    /// where it opens any: a file descriptor beyond them was left behind by the run.
    fn idle_connections(&self) -> Option<u64> {
        None
    }

    /// Does now, before a trial is timed, what its run would otherwise do first (a fitted
    /// cell's sample of request ids): nothing unless the workload says.
    fn prepare(&self) {}

    /// The size that orders groups of its cells (tasks, concurrency, n).
    fn size(&self) -> f64;

    /// The best speedup over one-at-a-time a run could show on `threads` workers: all its
    /// waits at once where its time is waiting, one worker per thread where it computes.
    fn most_at_once(&self, threads: u64) -> f64 {
        threads as f64
    }

    /// Whether a backend described by `info` runs this cell: `Err` with the reason when the
    /// cell asks for what it does not offer (a placement of CPU jobs, say).
    fn admits(&self, info: &BackendInfo) -> Result<(), String> {
        let _ = info;
        Ok(())
    }

    /// Whether a plan leaves this cell out on a backend described by `info` unless asked
    /// for by name, because the backend's other cells of it stand for it (the placements
    /// of blocking jobs it offers): none unless the workload says.
    fn stood_for(&self, info: &BackendInfo) -> bool {
        let _ = info;
        false
    }

    /// Why a worker-thread sweep leaves this cell out on a backend described by `info`
    /// (a backend that ignores W for it): none unless the workload says.
    fn outside_sweep(&self, info: &BackendInfo) -> Option<String> {
        let _ = info;
        None
    }

    /// Why the profiles leave this cell out on a backend described by `info`, whatever its
    /// prediction (a size past what the backend's design already shows): none unless the
    /// workload says. Sizes a user asks for are never left out by this.
    fn left_out(&self, info: &BackendInfo) -> Option<String> {
        let _ = info;
        None
    }

    /// The sizes that make a cell comparable with other backends' cells on `threads`
    /// workers (see [`Workload::comparable`]).
    fn comparable(&self, threads: u64) -> String;

    /// Parameters in a short human form, e.g. `tasks=10000 sleep_ms=100`.
    fn params_label(&self) -> String;

    /// The backend idiom this cell runs in place of the shared design, if any.
    fn design_variant(&self) -> Option<Variant> {
        None
    }

    /// This cell (of the shared design) in `variant`, where the variant is of this workload.
    fn with_variant(&self, variant: Variant) -> Option<Self> {
        let _ = variant;
        None
    }

    /// The cells a backend offering the placements of CPU jobs `offered` runs besides this
    /// one, so that a verdict compares placements (none unless the workload places jobs).
    fn placements(&self, offered: &[BlockingMode]) -> Vec<Self> {
        let _ = offered;
        Vec::new()
    }

    /// The cells a question of custom sizes that names no placement asks for: this cell in
    /// every placement its verdict compares (blocking: every mode), or itself alone.
    fn compared(&self) -> Vec<Self> {
        vec![self.clone()]
    }

    /// The label of a variant, where this cell runs one (see [`Workload::variant`]).
    fn variant(&self) -> Option<&'static str> {
        self.design_variant().map(Variant::name)
    }

    /// The workload a backend's [`crate::Config`] describes this cell under, before its
    /// variant: the workload's name, or the family a scenario belongs to.
    fn design_base(&self) -> &'static str {
        self.kind().name()
    }

    /// `K of M requests` for a cell that runs a sample of a bigger one.
    fn fitted(&self) -> Option<String> {
        None
    }

    /// How many of its tasks or requests a backend described by `info` keeps in flight at
    /// once on `threads` workers: one per worker unless the workload says otherwise.
    fn in_flight(&self, info: &BackendInfo, threads: u64) -> u64 {
        let _ = info;
        threads
    }

    /// The workers a fixed pool is built with for this workload on `threads`: `threads`
    /// unless the workload says otherwise (the thread-pool-for-I/O pattern sizes it to the
    /// requests in flight; a pipeline needs a worker per producer and consumer at once).
    fn pool_workers(&self, threads: u64) -> u64 {
        threads
    }

    /// The threads an async runtime's blocking pool is built with for this workload on
    /// `threads` workers: `threads` (CPU jobs get no more threads than any other backend)
    /// unless the workload says (blocking calls that wait: one per call in flight).
    fn blocking_pool(&self, threads: u64) -> u64 {
        threads
    }

    /// The wall time of one trial with `in_flight` at once, where its time is waiting
    /// (rounds of waits, or a pace); `None` where it is the machine's own work.
    fn predict_s(&self, in_flight: u64) -> Option<f64> {
        let _ = in_flight;
        None
    }

    /// This cell for a backend that keeps `in_flight` at once, sized so that a trial takes
    /// about `fit_s` (a sample with the same mix of fates), or itself unchanged.
    fn fit(&self, in_flight: u64, fit_s: f64) -> Self {
        let _ = (in_flight, fit_s);
        self.clone()
    }

    /// The seconds a trial may run before it counts as hung: generous, for hangs and not for
    /// slow machines.
    fn timeout_s(&self, predicted_s: Option<f64>) -> f64;

    /// How many tasks (or requests, jobs, messages) a run holds in memory at once, with
    /// `in_flight` of them running at once.
    fn held(&self, in_flight: u64) -> u64;

    /// The elements of the shared CPU kernel a run computes, where its time is that work: a
    /// verified run faster than the machine's kernel rate allows was not computed here.
    fn kernel_elements(&self) -> Option<u64> {
        None
    }

    /// The least time a run's waits take where every one of them must be waited (each
    /// sleep, each delayed answer): a verified run faster than this did not wait.
    fn waits_floor_s(&self) -> Option<f64> {
        None
    }
}

impl Workload {
    /// This workload with `param` set to `value` (a number, or a choice's name), or why
    /// the value does not fit it.
    pub fn with(&self, param: &Param, value: serde_json::Value) -> Result<Workload, SpecError> {
        let mut json = serde_json::to_value(self).expect("a workload serializes");
        json["params"][param.field] = value;
        serde_json::from_value(json)
            .map_err(|err| SpecError::new(param.field, format!("not a value of {param}: {err}")))
    }

    /// The value of `param`, where it has one: numbers as help shows them (`2000`, not
    /// `2000.0`), a left-out choice as its default.
    pub fn value(&self, param: &Param) -> Option<String> {
        if !self.kind().takes(param) {
            return None;
        }
        let json = serde_json::to_value(self).expect("a workload serializes");
        match (&json["params"][param.field], param.kind) {
            (serde_json::Value::Number(n), _) => Some(match n.as_f64() {
                Some(x) if n.is_f64() && x.fract() == 0.0 => format!("{x:.0}"),
                _ => n.to_string(),
            }),
            (serde_json::Value::String(s), _) => Some(s.clone()),
            // A number left out of the spec's JSON is 0 where 0 is valid; else it has none.
            (serde_json::Value::Null, ParamKind::Count { min: 0, .. } | ParamKind::Fraction) => {
                Some("0".into())
            }
            (serde_json::Value::Null, ParamKind::Choice(_)) if !param.left_out.is_empty() => {
                Some(param.left_out.to_string())
            }
            _ => None,
        }
    }

    /// Which workload this is.
    pub fn kind(&self) -> WorkloadKind {
        each!(self, spec => spec.kind())
    }

    /// Checks every parameter against its valid range.
    pub fn validate(&self) -> Result<(), SpecError> {
        each!(self, spec => spec.validate())
    }

    /// The checksum a correct run reports (see [`RunOutcome::checksum`]).
    pub fn expected_checksum(&self) -> String {
        each!(self, spec => spec.expected_checksum())
    }

    /// Accepts `got` only if it is exactly what a correct backend returns.
    pub fn verify(&self, got: &RunOutcome) -> Result<(), Mismatch> {
        each!(self, spec => spec.verify_run(got))
    }

    /// A small version of the same workload, to warm up a backend before timing.
    pub fn warmup(&self) -> Workload {
        each!(self, spec => spec.warmup().into())
    }

    /// The mock backend's answer ([`WorkloadSpec::synthetic`]).
    pub fn synthetic(&self, slowness: u32, took: std::time::Duration) -> RunOutcome {
        each!(self, spec => spec.synthetic(slowness, took))
    }

    /// The work rate for a run of `wall_s` seconds, in [`WorkloadKind::rate_unit`].
    pub fn rate(&self, wall_s: f64) -> f64 {
        each!(self, spec => spec.rate(wall_s))
    }

    /// The figure trial `record` is ranked by on the rate axis: its work rate, or for a
    /// capacity search the highest offered rate it held.
    pub fn rate_of(&self, record: &crate::results::TrialRecord) -> f64 {
        match &record.capacity {
            Some(searched) => searched.figure(),
            None => self.rate(record.wall_s),
        }
    }

    /// The best possible wall time, where one exists (a sleep cannot end before its timer).
    pub fn ideal_s(&self) -> Option<f64> {
        each!(self, spec => spec.ideal_s())
    }

    /// The part of a cell's identity that makes it comparable with other backends' cells
    /// on `threads` workers: the sizes, without what a plan fits per backend (a fetch
    /// latency cell's request count) or what is compared inside one group (the placement
    /// of CPU jobs). The runner interleaves such cells; the report compares them.
    pub fn comparable(&self, threads: u64) -> String {
        each!(self, spec => spec.comparable(threads))
    }

    /// Parameters in a short human form, e.g. `tasks=10000 sleep_ms=100`.
    pub fn params_label(&self) -> String {
        each!(self, spec => spec.params_label())
    }

    /// The label of a variant, where this cell runs one: the placement of CPU jobs, or a
    /// backend's own idiom in place of the shared design (see [`crate::design`]).
    /// `None` for the shared design, which headline comparisons use.
    pub fn variant(&self) -> Option<&'static str> {
        each!(self, spec => spec.variant())
    }

    /// How many of its tasks or requests a backend described by `info` keeps in flight at
    /// once on `threads` workers.
    pub fn in_flight(&self, info: &BackendInfo, threads: u64) -> u64 {
        each!(self, spec => spec.in_flight(info, threads))
    }

    /// The wall time of one trial with `in_flight` at once, where its time is waiting.
    pub fn predict_s(&self, in_flight: u64) -> Option<f64> {
        each!(self, spec => spec.predict_s(in_flight))
    }

    /// This cell for a backend that keeps `in_flight` at once, sized so that a trial takes
    /// about `fit_s`.
    pub fn fit(&self, in_flight: u64, fit_s: f64) -> Workload {
        each!(self, spec => spec.fit(in_flight, fit_s).into())
    }

    /// The seconds a trial may run before it counts as hung, whole.
    pub fn timeout_s(&self, predicted_s: Option<f64>) -> u64 {
        each!(self, spec => spec.timeout_s(predicted_s)).ceil() as u64
    }

    /// This cell in `variant`, where it is a cell of the shared design of the variant's
    /// workload.
    pub fn with_variant(&self, variant: Variant) -> Option<Workload> {
        if self.design_variant().is_some() {
            return None;
        }
        each!(self, spec => spec.with_variant(variant).map(Into::into))
    }

    /// The cells a question of custom sizes asks for ([`WorkloadSpec::compared`]).
    pub fn compared(&self) -> Vec<Workload> {
        each!(self, spec => spec.compared().into_iter().map(Into::into).collect())
    }

    /// The cells a backend offering the placements `offered` runs besides this one.
    pub fn placements(&self, offered: &[BlockingMode]) -> Vec<Workload> {
        each!(self, spec => spec.placements(offered).into_iter().map(Into::into).collect())
    }

    /// The best possible wall time given the server's reported delay
    /// ([`WorkloadSpec::ideal_s_served`]).
    pub fn ideal_s_served(&self, server_delay_s: f64) -> Option<f64> {
        each!(self, spec => spec.ideal_s_served(server_delay_s))
    }

    /// Tasks alive at once whose memory is measured per task ([`WorkloadSpec::tasks_held`]).
    pub fn tasks_held(&self) -> Option<u64> {
        each!(self, spec => spec.tasks_held())
    }

    /// Whether a plan leaves it out where other cells stand for it
    /// ([`WorkloadSpec::stood_for`]).
    pub fn stood_for(&self, info: &BackendInfo) -> bool {
        each!(self, spec => spec.stood_for(info))
    }

    /// Why a sweep leaves it out ([`WorkloadSpec::outside_sweep`]).
    pub fn outside_sweep(&self, info: &BackendInfo) -> Option<String> {
        each!(self, spec => spec.outside_sweep(info))
    }

    /// Why the profiles leave it out ([`WorkloadSpec::left_out`]).
    pub fn left_out(&self, info: &BackendInfo) -> Option<String> {
        each!(self, spec => spec.left_out(info))
    }

    /// The headline row it stands in ([`WorkloadSpec::headline`]).
    pub fn headline(&self) -> Option<&'static str> {
        each!(self, spec => spec.headline())
    }

    /// The cell a custom question asks for, sized for stable figures
    /// ([`WorkloadSpec::for_question`]).
    pub fn for_question(self) -> Workload {
        each!(&self, spec => spec.for_question()).unwrap_or(self)
    }

    /// What its cells are compared by ([`WorkloadSpec::judged_by`]).
    pub fn judged_by(&self) -> Judged {
        each!(self, spec => spec.judged_by())
    }

    /// Where it sits on a sweep ([`WorkloadSpec::sweep_point`]).
    pub fn sweep_point(&self, threads: u64) -> Option<SweepPoint> {
        each!(self, spec => spec.sweep_point(threads))
    }

    /// Where its CPU jobs run ([`WorkloadSpec::placement`]).
    pub fn placement(&self) -> Option<BlockingMode> {
        each!(self, spec => spec.placement())
    }

    /// A call cell's spec (its ticker, its workers); `None` for other workloads.
    pub fn call(&self) -> Option<&crate::workloads::call::CallSpec> {
        match self {
            Workload::Call(spec) => Some(spec),
            _ => None,
        }
    }

    /// Its files spec, where it is one.
    pub fn files(&self) -> Option<&crate::workloads::files::FilesSpec> {
        match self {
            Workload::Files(spec) => Some(spec),
            _ => None,
        }
    }

    /// Its async runtimes' blocking pool size on `threads` workers
    /// ([`WorkloadSpec::blocking_pool`]).
    pub fn blocking_pool(&self, threads: u64) -> u64 {
        each!(self, spec => spec.blocking_pool(threads))
    }

    /// The seeded database its trials read ([`WorkloadSpec::store`]).
    pub fn store(&self) -> Option<crate::call::Store> {
        each!(self, spec => spec.store())
    }

    /// Whether a run needs the embedded server ([`WorkloadSpec::needs_server`]).
    pub fn needs_server(&self) -> bool {
        each!(self, spec => spec.needs_server())
    }

    /// Idle connections a run may leave open ([`WorkloadSpec::idle_connections`]).
    pub fn idle_connections(&self) -> Option<u64> {
        each!(self, spec => spec.idle_connections())
    }

    /// Does now what its run would otherwise do first ([`WorkloadSpec::prepare`]).
    pub fn prepare(&self) {
        each!(self, spec => spec.prepare())
    }

    /// The size that orders groups of its cells ([`WorkloadSpec::size`]).
    pub fn size(&self) -> f64 {
        each!(self, spec => spec.size())
    }

    /// The best speedup a run could show ([`WorkloadSpec::most_at_once`]).
    pub fn most_at_once(&self, threads: u64) -> f64 {
        each!(self, spec => spec.most_at_once(threads))
    }

    /// The workers a fixed pool is built with ([`WorkloadSpec::pool_workers`]).
    pub fn pool_workers(&self, threads: u64) -> u64 {
        each!(self, spec => spec.pool_workers(threads))
    }

    /// How many tasks (or requests, jobs, messages) a run holds in memory at once.
    pub fn held(&self, in_flight: u64) -> u64 {
        each!(self, spec => spec.held(in_flight))
    }

    /// The elements of the shared CPU kernel a run computes, where its time is that work.
    pub fn kernel_elements(&self) -> Option<u64> {
        each!(self, spec => spec.kernel_elements())
    }

    /// The least time a run's waits take where every one of them must be waited.
    pub fn waits_floor_s(&self) -> Option<f64> {
        each!(self, spec => spec.waits_floor_s())
    }

    /// `K of M requests` for a fitted fetch cell, which runs a sample of the full cell.
    pub fn fitted(&self) -> Option<String> {
        each!(self, spec => spec.fitted())
    }

    /// The backend idiom this cell runs in place of the shared design, if any: the cells
    /// that verdicts between runtimes leave out (placements of CPU jobs are not idioms but
    /// what the cpu and blocking verdicts compare, so they are not listed here).
    pub fn design_variant(&self) -> Option<Variant> {
        each!(self, spec => spec.design_variant())
    }

    /// The key of the backend's [`crate::Config`] entry that describes how it runs this
    /// cell, e.g. `pipeline` for the shared channel and `pipeline.own-channel` for its own.
    pub fn design_key(&self) -> String {
        let base = each!(self, spec => spec.design_base());
        match self.design_variant() {
            Some(variant) => format!("{base}.{variant}"),
            None => base.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CpuSpec;

    #[test]
    fn serializes_as_workload_and_params() {
        let workload = Workload::Cpu(CpuSpec::new(10, 2));
        let json = serde_json::to_value(&workload).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"workload": "cpu", "params": {"n": 10, "jobs": 2}})
        );
        assert_eq!(serde_json::from_value::<Workload>(json).unwrap(), workload);
    }

    #[test]
    fn verify_rejects_a_wrong_sum() {
        let workload = Workload::Cpu(CpuSpec::new(10, 2));
        let Workload::Cpu(spec) = &workload else {
            unreachable!()
        };
        let mut got = spec.expected();
        assert!(workload.verify(&got.into()).is_ok());
        got.checksum += 1;
        assert!(workload.verify(&got.into()).is_err());
    }
}
