//! The worker side: read parts from standard input, do each with core's code
//! ([`shootout_core::processes::serve`]), write the answer, until standard input closes
//! (the pool, or its process, is gone).

use std::io;

/// The environment variable in which the pool tells a worker its parent's pid.
pub const PARENT_ENV: &str = "SHOOTOUT_POOL_PARENT";

/// Serves parts on standard input and output until input closes, or until the pool's
/// process dies: a worker never outlives its pool.
pub fn serve() -> io::Result<()> {
    die_with_parent()?;
    shootout_core::processes::serve(io::stdin().lock(), io::stdout().lock())
}

/// Asks the kernel to kill this worker when its parent dies (`PR_SET_PDEATHSIG`), even in
/// the middle of a job: a closed stdin is noticed only between jobs. A parent that died
/// before the request took effect is caught by comparing the parent's pid with the one the
/// pool passed in [`PARENT_ENV`] (the worker was re-parented to init or a subreaper).
fn die_with_parent() -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use nix::sys::prctl::set_pdeathsig;
        use nix::sys::signal::Signal;
        set_pdeathsig(Signal::SIGKILL).map_err(io::Error::from)?;
        let expected = std::env::var(PARENT_ENV)
            .ok()
            .and_then(|p| p.parse::<i32>().ok());
        if expected.is_some_and(|pid| pid != nix::unistd::getppid().as_raw()) {
            std::process::exit(1);
        }
    }
    Ok(())
}
