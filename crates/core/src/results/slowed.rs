//! Trials slowed by a neighbour that steals no CPU: the guest's cores run slower (a shared
//! cache, a throttled clock), so the same work takes more of its own CPU time. Hypervisor
//! steal and other processes' CPU time ([`super::TrialRecord::disturbed`]) cannot see it;
//! a trial's CPU time per operation against its cell's other trials can.

use super::Cell;
use crate::stats::Spread;

/// A trial is slowed when its CPU time per operation exceeds its cell's median by this
/// fraction...
pub const SLOWED_ABOVE: f64 = 0.15;

/// ...and by this many scaled median absolute deviations (1.4826 × MAD, the standard
/// deviation's robust stand-in), so a cell whose trials all spread widely flags none.
pub const SLOWED_MADS: f64 = 3.0;

/// The fewest verified trials a cell needs for its median and MAD to say what is unusual.
pub const SLOWED_LEAST_TRIALS: usize = 5;

impl Cell {
    /// The numbers of the verified trials whose CPU time per operation lies more than
    /// [`SLOWED_ABOVE`] and [`SLOWED_MADS`] scaled MADs above the cell's median.
    pub fn slowed(&self) -> Vec<u32> {
        let per_op: Vec<(u32, f64)> = self
            .trials
            .iter()
            .filter(|t| t.ok)
            .filter_map(|t| {
                let r = t.record.as_ref()?;
                (r.ops > 0).then(|| (t.index, (r.user_s + r.sys_s) / r.ops as f64))
            })
            .collect();
        if per_op.len() < SLOWED_LEAST_TRIALS {
            return Vec::new();
        }
        let median = |values: &mut dyn Iterator<Item = f64>| {
            Spread::of(values).map_or(f64::NAN, |s| s.median)
        };
        let centre = median(&mut per_op.iter().map(|&(_, v)| v));
        let spread = 1.4826 * median(&mut per_op.iter().map(|&(_, v)| (v - centre).abs()));
        per_op
            .into_iter()
            .filter(|&(_, v)| {
                v > centre * (1.0 + SLOWED_ABOVE) && v > centre + SLOWED_MADS * spread
            })
            .map(|(index, _)| index)
            .collect()
    }
}
