//! The call workload's conformance cases, run with the embedded server, SQLite files made
//! here, and a throwaway PostgreSQL cluster where the server is installed (in CI always):
//! every library in every placement the backend offers, each answer verified.

use std::path::{Path, PathBuf};

use shootout_database::Cluster;

use super::{CallSpec, Databases, Library, postgres, sqlite, sqlite_file};
use crate::backend::{Backend, BackendError};
use crate::conformance::check;
use crate::fetch::Target;
use crate::workload::Workload;

/// Every case runs a ticker beside its calls, so each family's ticker runs too.
const TICK_US: u64 = 500;

const HTTP: CallSpec = CallSpec {
    library: Library::Http,
    calls: 40,
    concurrency: 8,
    wait_ms: 1,
    body_bytes: 256,
    rows: 1,
    seed: 3,
    mode: None,
    client: crate::design::CallClient::Blocking,
    tick_us: TICK_US,
    sampled_from: None,
};

const SQLITE: CallSpec = CallSpec {
    library: Library::Sqlite,
    calls: 200,
    concurrency: 4,
    wait_ms: 0,
    body_bytes: 0,
    rows: 500,
    seed: 5,
    mode: None,
    client: crate::design::CallClient::Blocking,
    tick_us: TICK_US,
    sampled_from: None,
};

const POSTGRES: CallSpec = CallSpec {
    library: Library::Postgres,
    calls: 60,
    concurrency: 4,
    wait_ms: 1,
    body_bytes: 0,
    rows: 300,
    seed: 6,
    mode: None,
    client: crate::design::CallClient::Blocking,
    tick_us: TICK_US,
    sampled_from: None,
};

/// Every case: each library at a few concurrencies, one more in flight than calls.
fn cases(postgres: bool) -> Vec<CallSpec> {
    let mut cases = vec![
        HTTP,
        CallSpec {
            calls: 1,
            concurrency: 1,
            ..HTTP
        },
        SQLITE,
        CallSpec {
            calls: 3,
            concurrency: 16,
            ..SQLITE
        },
    ];
    if postgres {
        cases.push(POSTGRES);
    }
    cases
}

/// A folder of SQLite files for the cases, removed when dropped.
struct Files(PathBuf);

impl Files {
    fn make(specs: &[CallSpec]) -> Files {
        let dir = std::env::temp_dir().join(format!(
            "shootout-call-conformance-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a folder for the SQLite files");
        for spec in specs.iter().filter(|s| s.library == Library::Sqlite) {
            let path = dir.join(sqlite_file(spec.rows, spec.seed));
            if !path.exists() {
                sqlite::create(&path, spec.rows, spec.seed).expect("a seeded SQLite file");
            }
        }
        Files(dir)
    }

    fn dir(&self) -> &Path {
        &self.0
    }
}

impl Drop for Files {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs every call case on `backend` with the embedded server at `target`, in the backend's
/// default placement and every other it offers.
pub fn check_call(backend: &dyn Backend, target: &Target) {
    let with_postgres = shootout_database::installed_for_tests();
    let specs = cases(with_postgres);
    let files = Files::make(&specs);
    let cluster = with_postgres.then(|| {
        let cluster = Cluster::start(&std::env::temp_dir()).expect("a throwaway cluster");
        let mut client = cluster.connect().expect("a connection to the cluster");
        postgres::create(&mut client, POSTGRES.rows, POSTGRES.seed).expect("a seeded table");
        cluster
    });
    let target = target.clone().with_databases(Databases {
        sqlite_dir: Some(files.dir().to_path_buf()),
        postgres: cluster.as_ref().map(Cluster::url),
        files_dir: None,
    });
    for spec in specs {
        let placed = spec.placements_offered(backend.info().cpu_modes());
        let cells =
            std::iter::once(Workload::Call(spec)).chain(placed.into_iter().map(Workload::Call));
        // And the backend's own idioms (the async library on an event loop).
        let variants: Vec<Workload> = backend
            .info()
            .variants
            .iter()
            .filter_map(|variant| variant.apply(&Workload::Call(spec)))
            .collect();
        for workload in cells.chain(variants) {
            match backend.info().refuses(&workload) {
                None => check(backend, &workload, Some(&target)),
                Some(why) => match backend.run(&workload, Some(&target)) {
                    Err(BackendError::NotApplicable(reason)) => assert_eq!(reason, why),
                    other => panic!(
                        "{} refuses call {} ({why}) but ran it: {other:?}",
                        backend.info().name,
                        workload.params_label()
                    ),
                },
            }
        }
    }
}

impl CallSpec {
    /// This cell in every other placement a backend offering `offered` runs.
    fn placements_offered(&self, offered: &[crate::BlockingMode]) -> Vec<CallSpec> {
        crate::workload::WorkloadSpec::placements(self, offered)
    }
}
