//! Where PostgreSQL's server binaries are: Debian keeps them off `PATH`, in
//! `/usr/lib/postgresql/<version>/bin`, which `pg_config --bindir` names.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::ClusterError;

/// The folder holding `initdb` and `postgres`, or why there is none here.
pub fn binaries() -> Result<PathBuf, ClusterError> {
    let has_server = |dir: &Path| dir.join("initdb").is_file() && dir.join("postgres").is_file();
    let from_pg_config = Command::new("pg_config")
        .arg("--bindir")
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()));
    if let Some(dir) = from_pg_config.filter(|dir| has_server(dir)) {
        return Ok(dir);
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse().ok()?;
            Some((version, entry.path().join("bin")))
        })
        .filter(|(_, dir)| has_server(dir))
        .collect();
    versions.sort();
    versions.pop().map(|(_, dir)| dir).ok_or_else(|| {
        ClusterError::Unavailable(
            "no initdb and postgres in `pg_config --bindir` or /usr/lib/postgresql/*/bin \
             (Debian: apt-get install postgresql)"
                .into(),
        )
    })
}
