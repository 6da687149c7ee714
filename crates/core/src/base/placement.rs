//! Where CPU work goes beside an event loop: a leaf the cpu and blocking workloads and the
//! backends share, apart from either workload.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Where a backend runs the CPU jobs while the tickers tick.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BlockingMode {
    /// On the same workers as the tickers: the pitfall on an async runtime.
    Inline,
    /// Handed to the runtime's blocking pool (`spawn_blocking`, `blocking::unblock`).
    Offload,
    /// Handed to a rayon pool of W threads, the answer awaited on a channel of one:
    /// the usual advice for CPU-bound work next to an async runtime.
    Rayon,
    /// tokio's `block_in_place`: the worker turns into a blocking thread and hands its
    /// other tasks to a new worker (multi-thread runtime only).
    BlockInPlace,
}

impl BlockingMode {
    /// Every mode, in report order.
    pub const ALL: [BlockingMode; 4] = [
        BlockingMode::Inline,
        BlockingMode::Offload,
        BlockingMode::Rayon,
        BlockingMode::BlockInPlace,
    ];

    /// The modes every async runtime with a blocking pool offers: all but tokio's
    /// block-in-place.
    pub const POOLED: [BlockingMode; 3] = [
        BlockingMode::Inline,
        BlockingMode::Offload,
        BlockingMode::Rayon,
    ];

    /// The name used on the command line and in results.
    pub fn name(self) -> &'static str {
        match self {
            BlockingMode::Inline => "inline",
            BlockingMode::Offload => "offload",
            BlockingMode::Rayon => "rayon",
            BlockingMode::BlockInPlace => "block-in-place",
        }
    }
}

impl fmt::Display for BlockingMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
