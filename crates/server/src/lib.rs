//! spor-server: serves the built app and the `/api/v1` API, with data in one SQLite file.
//!
//! The app works without this server; the server is where devices meet (sync, issue 6).

pub mod api;
pub mod db;
pub mod error;
pub mod security;
pub mod static_files;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use axum::Router;
use tokio::net::TcpListener;

use crate::db::Database;
use crate::error::ServeError;
use crate::static_files::AppShell;

pub struct Config {
    pub addr: IpAddr,
    pub port: u16,
    pub data_dir: PathBuf,
    pub dist: Option<PathBuf>,
}

#[derive(Clone)]
pub struct AppState {
    pub db: Database,
}

/// The whole HTTP surface: the API, then the app (when built), with security headers on everything.
pub fn router(state: AppState, shell: Option<AppShell>) -> Router {
    let api = api::router(state);
    let content_security_policy = security::content_security_policy(
        shell
            .as_ref()
            .map(AppShell::inline_script_hashes)
            .unwrap_or_default(),
    );
    let app = match shell {
        Some(shell) => api.merge(static_files::router(shell)),
        None => api,
    };
    security::with_security_headers(app, content_security_policy)
}

/// `$XDG_DATA_HOME/spor`, else `~/.local/share/spor`, else `./spor-data`.
pub fn default_data_dir() -> PathBuf {
    std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".local/share")))
        .map(|base| base.join("spor"))
        .unwrap_or_else(|| PathBuf::from("spor-data"))
}

/// Binds the address, naming the port and the flag to change it when it is taken.
pub async fn bind(addr: IpAddr, port: u16) -> Result<TcpListener, ServeError> {
    TcpListener::bind(SocketAddr::new(addr, port))
        .await
        .map_err(|source| match source.kind() {
            std::io::ErrorKind::AddrInUse => ServeError::PortInUse { addr, port },
            _ => ServeError::Bind { addr, port, source },
        })
}

/// Opens the database, binds, prints the URL and serves until Ctrl-C or SIGTERM.
pub async fn serve(config: Config) -> Result<(), ServeError> {
    let shell = match &config.dist {
        Some(dist) => Some(AppShell::load(dist)?),
        None => None,
    };
    let db = Database::open_in(&config.data_dir).await?;
    let listener = bind(config.addr, config.port).await?;
    let url = format!("http://{}", listener.local_addr().map_err(ServeError::Io)?);
    println!("Spor is running at {url}/  (data: {})", db.path().display());
    println!("Stop it with Ctrl-C.");
    let app = router(AppState { db: db.clone() }, shell);
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(ServeError::Io)?;
    db.close().await;
    println!("Spor stopped.");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        // If the handler cannot be installed, the process still stops on the default signal action.
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
