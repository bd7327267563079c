//! A fresh, empty storage for one test, on either backend: a SQLite file in a temporary directory,
//! or a new database in a PostgreSQL cluster that this test process starts on 127.0.0.1 (once, on
//! first use) and that stops when the process exits.
// Each test binary that includes this uses a part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use spor_server::db::Database;
use sqlx::Connection;
use tempfile::TempDir;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A storage that lives as long as this value.
pub struct TestStorage {
    pub db: Database,
    /// Where the data is: the SQLite file's directory, or the PostgreSQL database's URL.
    pub location: Location,
    _dir: Option<TempDir>,
}

pub enum Location {
    SqliteDir(PathBuf),
    PostgresUrl(String),
}

pub async fn open(backend: Backend) -> TestStorage {
    match backend {
        Backend::Sqlite => {
            let dir = TempDir::new().unwrap();
            TestStorage {
                db: Database::open_in(dir.path()).await.unwrap(),
                location: Location::SqliteDir(dir.path().to_owned()),
                _dir: Some(dir),
            }
        }
        Backend::Postgres => {
            let url = cluster().new_database().await;
            TestStorage {
                db: Database::connect(&url).await.unwrap(),
                location: Location::PostgresUrl(url),
                _dir: None,
            }
        }
    }
}

/// The PostgreSQL server of this test process.
struct Cluster {
    port: u16,
    /// Its input is held open for the life of the process: when the process ends, the pipe
    /// closes and the watcher stops the server and removes its files, even after a panic.
    _watcher: Child,
}

fn cluster() -> &'static Cluster {
    static CLUSTER: OnceLock<Cluster> = OnceLock::new();
    CLUSTER.get_or_init(Cluster::start)
}

impl Cluster {
    fn start() -> Cluster {
        let bin = postgres_bin_dir();
        let dir = tempfile::Builder::new()
            .prefix("spor-postgres-")
            .tempdir()
            .unwrap()
            .keep();
        let data = dir.join("data");
        // PostgreSQL refuses to run as root; then it runs as the `postgres` user the package created.
        let as_root = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|output| output.stdout.starts_with(b"0\n"));
        if as_root {
            run_ok(Command::new("chown").args(["-R", "postgres:postgres"]).arg(&dir));
        }
        let command = |program: &str| {
            let path = bin.join(program);
            if as_root {
                let mut command = Command::new("setpriv");
                command
                    .args(["--reuid=postgres", "--regid=postgres", "--init-groups", "--"])
                    .arg(path);
                command
            } else {
                Command::new(path)
            }
        };
        run_ok(command("initdb").arg("--pgdata").arg(&data).args([
            "--username=spor",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        ]));
        let port = free_port();
        let mut server = command("postgres");
        server
            .arg("-D")
            .arg(&data)
            .args([
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "unix_socket_directories=",
            ])
            .args(["-c", "max_connections=200", "-p"])
            .arg(port.to_string());
        // Tests need no durability; a benchmark compares with SQLite, which syncs every commit.
        if std::env::var_os("SPOR_POSTGRES_DURABLE").is_none() {
            server.args([
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
            ]);
        }
        let cluster = Cluster {
            port,
            _watcher: run_until_process_ends(&server, &dir),
        };
        cluster.wait_until_ready(&bin);
        cluster
    }

    fn url(&self, database: &str) -> String {
        format!("postgres://spor@127.0.0.1:{}/{database}", self.port)
    }

    fn wait_until_ready(&self, bin: &Path) {
        let started = Instant::now();
        while !Command::new(bin.join("pg_isready"))
            .args(["--quiet", "--host=127.0.0.1", "--port"])
            .arg(self.port.to_string())
            .status()
            .is_ok_and(|status| status.success())
        {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the test PostgreSQL server did not start within 30 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// A new, empty database, named uniquely within the process.
    async fn new_database(&self) -> String {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let name = format!("test_{}", NEXT.fetch_add(1, Ordering::Relaxed));
        let mut admin = sqlx::PgConnection::connect(&self.url("postgres")).await.unwrap();
        sqlx::raw_sql(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
            .unwrap();
        admin.close().await.unwrap();
        self.url(&name)
    }
}

/// PostgreSQL's programs: `SPOR_POSTGRES_BIN`, else Debian's newest `/usr/lib/postgresql/<v>/bin`.
fn postgres_bin_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("SPOR_POSTGRES_BIN") {
        return PathBuf::from(dir);
    }
    let newest = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version: u32 = entry.file_name().to_str()?.parse().ok()?;
            Some((version, entry.path().join("bin")))
        })
        .filter(|(_, bin)| bin.join("postgres").exists())
        .max();
    match newest {
        Some((_, bin)) => bin,
        None => panic!(
            "the PostgreSQL tests need PostgreSQL's server programs: `cargo xtask test` installs \
             them (apt package postgresql), or point SPOR_POSTGRES_BIN at their directory"
        ),
    }
}

/// Runs `server` under a shell that stops it and removes `dir` when its input closes, which
/// happens when this process ends, however it ends. The shell is the server's parent, so it can
/// wait for the server to be gone before removing its files.
fn run_until_process_ends(server: &Command, dir: &Path) -> Child {
    Command::new("sh")
        .args([
            "-c",
            r#"dir="$1"; shift; "$@" >/dev/null 2>&1 & server=$!; cat >/dev/null; kill -TERM "$server"; wait "$server"; rm -rf "$dir""#,
            "postgres-watcher",
        ])
        .arg(dir)
        .arg(server.get_program())
        .args(server.get_args())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("starting the test PostgreSQL server")
}

fn run_ok(command: &mut Command) {
    let output = command
        .output()
        .unwrap_or_else(|error| panic!("running {command:?}: {error}"));
    assert!(
        output.status.success(),
        "{command:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
