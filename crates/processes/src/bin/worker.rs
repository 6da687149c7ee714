//! A worker process of the `processes` backend, for its own tests (the `shootout` binary
//! serves the same role as `shootout worker`).

fn main() -> std::io::Result<()> {
    shootout_processes::serve()
}
