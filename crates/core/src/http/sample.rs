//! The requests of a fitted fetch cell: a backend that keeps few requests in flight runs
//! `K` of the full cell's `M` requests (so a trial ends in reasonable time), and those `K`
//! keep the full cell's mix of answers, failures, resets, slow requests and retry
//! histories exactly, up to rounding: stratified by fate, the first ids of each class.

use std::cell::RefCell;
use std::sync::{Arc, Mutex, PoisonError};

use crate::fault::{self, Fate};
use crate::fetch::FetchSpec;

/// The class of server id `id`: its fate, or with retries the fates of its attempts up to
/// the first answer, as a small code.
fn class(spec: &FetchSpec, id: u64) -> u64 {
    if spec.retries() == 0 {
        return fate_code(fault::fate_with_slow(
            spec.seed,
            id,
            spec.fail(),
            spec.reset(),
            spec.slow(),
        ));
    }
    let mut code = 0;
    for attempt in 0..=spec.retries() {
        let fate = fault::fate(
            spec.seed,
            FetchSpec::attempt_id(id, attempt),
            spec.fail(),
            spec.reset(),
        );
        code = code * 4 + fate_code(fate);
        if matches!(fate, Fate::Answer | Fate::Slow) {
            break;
        }
    }
    code
}

fn fate_code(fate: Fate) -> u64 {
    match fate {
        Fate::Answer => 0,
        Fate::Fail => 1,
        Fate::Reset => 2,
        Fate::Slow => 3,
    }
}

/// The `k` server ids of `spec`'s requests, taken from `0..m`: per class, its share of
/// `k` (largest remainders, so the shares add up to `k`), the lowest ids of the class first.
pub fn ids(spec: &FetchSpec, m: u64, k: u64) -> Vec<u64> {
    let k = k.min(m);
    let classes: Vec<u64> = (0..m).map(|id| class(spec, id)).collect();
    let mut counts: Vec<(u64, u64)> = Vec::new();
    for &c in &classes {
        match counts.iter_mut().find(|(class, _)| *class == c) {
            Some((_, n)) => *n += 1,
            None => counts.push((c, 1)),
        }
    }
    // Largest remainder: floor of each exact share, then one more to the largest remainders.
    let mut quotas: Vec<(u64, u64, u128)> = counts
        .iter()
        .map(|&(c, n)| {
            let exact = u128::from(n) * u128::from(k);
            (c, (exact / u128::from(m)) as u64, exact % u128::from(m))
        })
        .collect();
    let short = k - quotas.iter().map(|q| q.1).sum::<u64>();
    let mut order: Vec<usize> = (0..quotas.len()).collect();
    order.sort_by(|&a, &b| quotas[b].2.cmp(&quotas[a].2).then(a.cmp(&b)));
    for &i in order.iter().take(short as usize) {
        quotas[i].1 += 1;
    }
    let mut ids = Vec::with_capacity(k as usize);
    for (id, c) in classes.into_iter().enumerate() {
        let quota = quotas
            .iter_mut()
            .find(|q| q.0 == c)
            .expect("every class counted");
        if quota.1 > 0 {
            quota.1 -= 1;
            ids.push(id as u64);
        }
    }
    ids
}

/// The sample of the last fitted spec, computed once per process ([`prepare`], before
/// timing) and shared by every thread.
static SHARED: Mutex<Option<(FetchSpec, Arc<Vec<u64>>)>> = Mutex::new(None);

thread_local! {
    /// This thread's copy of the shared sample, so each request looks its id up in O(1)
    /// without touching a lock.
    static CACHE: RefCell<Option<(FetchSpec, Arc<Vec<u64>>)>> = const { RefCell::new(None) };
}

/// The sample of `spec` drawn from `m`: the shared one, computed here if it is missing.
fn sample(spec: &FetchSpec, m: u64) -> Arc<Vec<u64>> {
    let mut shared = SHARED.lock().unwrap_or_else(PoisonError::into_inner);
    match &*shared {
        Some((cached, ids)) if cached == spec => ids.clone(),
        _ => {
            let ids = Arc::new(ids(spec, m, spec.requests));
            *shared = Some((spec.clone(), ids.clone()));
            ids
        }
    }
}

/// Computes a fitted `spec`'s sample now, so the timed run only looks ids up (the trial
/// calls it before timing; otherwise the first request computes it).
pub fn prepare(spec: &FetchSpec) {
    if let Some(m) = spec.sampled_from.filter(|&m| m > spec.requests) {
        sample(spec, m);
    }
}

/// The server id of request `index` of a fitted `spec` drawn from `m` requests.
pub fn server_id(spec: &FetchSpec, m: u64, index: u64) -> u64 {
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if !matches!(&*cache, Some((cached, _)) if cached == spec) {
            *cache = Some((spec.clone(), sample(spec, m)));
        }
        let (_, ids) = cache.as_ref().expect("filled above");
        ids.get(index as usize).copied().unwrap_or(index)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mix(spec: &FetchSpec, ids: &[u64]) -> Vec<(u64, u64)> {
        let mut counts: Vec<(u64, u64)> = Vec::new();
        for &id in ids {
            let c = class(spec, id);
            match counts.iter_mut().find(|(class, _)| *class == c) {
                Some((_, n)) => *n += 1,
                None => counts.push((c, 1)),
            }
        }
        counts.sort();
        counts
    }

    #[test]
    fn a_sample_keeps_the_mix_of_the_full_cell() {
        use crate::fetch::{Faults, Scenario, Slow};
        let faults = Scenario::PartialFailure(Faults {
            fail: 0.1,
            reset: 0.05,
        });
        let slow = Scenario::Timeout(Slow {
            slow: 0.2,
            slow_ms: 0,
        });
        for scenario in [faults, slow] {
            let spec = FetchSpec {
                requests: 100,
                seed: 7,
                scenario,
                ..Default::default()
            };
            let full: Vec<u64> = (0..1_000).collect();
            let sample = ids(&spec, 1_000, 100);
            assert_eq!(sample.len(), 100);
            assert!(
                sample.windows(2).all(|w| w[0] < w[1]),
                "ascending, no repeats"
            );
            // Each class's share of the sample is its share of the full cell, within
            // rounding.
            let (whole, part) = (mix(&spec, &full), mix(&spec, &sample));
            assert!(whole.len() >= 2, "{scenario:?}: more than one class");
            assert_eq!(whole.len(), part.len());
            for ((c, n), (c2, k)) in whole.iter().zip(&part) {
                assert_eq!(c, c2);
                assert!(
                    (*k as f64 - *n as f64 / 10.0).abs() < 1.0,
                    "{c}: {n} of 1000, {k} of 100"
                );
            }
            // The first 100 ids would not: that is what the sample fixes.
            assert_eq!(ids(&spec, 100, 100), (0..100).collect::<Vec<_>>());
        }
    }
}
