//! The switch that makes every io_uring runtime report itself unavailable: how the tests
//! take the unavailable path on a machine where io_uring works.

/// Set to anything to make the io_uring runtimes report themselves unavailable.
pub const DISABLE_ENV: &str = "SHOOTOUT_DISABLE_IO_URING";

/// The first check of every io_uring probe: `Err` with the reason when [`DISABLE_ENV`] is
/// set.
pub fn check_enabled() -> Result<(), String> {
    match std::env::var_os(DISABLE_ENV) {
        Some(_) => Err(format!("io_uring is disabled by {DISABLE_ENV}")),
        None => Ok(()),
    }
}
