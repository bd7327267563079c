//! spor-server: serves the built app and the `/api/v1` API, with data in one SQLite file (or a
//! PostgreSQL database).
//!
//! The app works without this server; the server is where devices meet: pairing, push and pull
//! (DESIGN.md section 4).

pub mod api;
pub mod auth;
pub mod contract;
pub mod db;
pub mod error;
pub mod privacy_page;
pub mod rate_limit;
pub mod security;
pub mod static_files;
pub mod storage;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use chrono::Utc;
use spor_core::access::DeviceRole;
use spor_core::ids::OrganisationId;
use tokio::net::TcpListener;

use crate::db::{Database, DatabaseLocation};
use crate::error::ServeError;
use crate::rate_limit::{RateLimit, RateLimiter};
use crate::static_files::AppShell;
use crate::storage::{Storage, StorageError};

pub struct Config {
    pub addr: IpAddr,
    pub port: u16,
    pub database: DatabaseLocation,
    pub dist: Option<PathBuf>,
    /// The address phones use (in pairing links); by default the local address served on.
    pub public_url: Option<String>,
    pub rate_limit: RateLimit,
    /// Serve HTTPS from these files instead of plain HTTP behind a reverse proxy.
    pub tls: Option<TlsFiles>,
}

/// A certificate chain and its private key, both PEM.
#[derive(Debug, Clone)]
pub struct TlsFiles {
    pub certificate: PathBuf,
    pub key: PathBuf,
}

/// Settings the routes need.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Without a trailing slash, e.g. `https://spor.example.dk`.
    pub public_url: String,
    pub pairing_code_lifetime: chrono::TimeDelta,
}

impl Settings {
    pub fn new(public_url: &str) -> Settings {
        Settings {
            public_url: public_url.trim_end_matches('/').to_owned(),
            pairing_code_lifetime: chrono::TimeDelta::hours(1),
        }
    }

    /// The link a phone opens (from the QR code) to pair with `code`.
    pub fn pairing_link(&self, code: &str) -> String {
        format!("{}/settings?pair={code}", self.public_url)
    }
}

#[derive(Clone)]
pub struct AppState {
    pub storage: Arc<dyn Storage>,
    pub settings: Arc<Settings>,
    pub limiter: Arc<RateLimiter>,
    /// Requests that name no device, or an unknown one, per client address.
    pub address_limiter: Arc<RateLimiter<IpAddr>>,
    pub last_seen: Arc<auth::LastSeen>,
}

impl AppState {
    pub fn new(storage: impl Storage, settings: Settings, rate_limit: RateLimit) -> AppState {
        AppState {
            storage: Arc::new(storage),
            settings: Arc::new(settings),
            limiter: Arc::new(RateLimiter::new(rate_limit)),
            address_limiter: Arc::new(RateLimiter::new(rate_limit)),
            last_seen: Arc::new(auth::LastSeen::default()),
        }
    }
}

/// How long the first coordinator's pairing code lasts: setting up may wait a few days.
pub const FIRST_CODE_LIFETIME: chrono::TimeDelta = chrono::TimeDelta::days(7);

/// Creates an organisation and a coordinator pairing code for it, returning the code.
pub async fn create_organisation(
    storage: &dyn Storage,
    name: &str,
) -> Result<(OrganisationId, String), StorageError> {
    let now = Utc::now();
    let organisation = storage.create_organisation(name, now).await?;
    let code = operator_pairing_code(storage, organisation, DeviceRole::Coordinator).await?;
    Ok((organisation, code))
}

/// A pairing code from the server's operator (`init`, the first start, `pairing-code`): valid for
/// as long as the first coordinator's, made by no device.
pub async fn operator_pairing_code(
    storage: &dyn Storage,
    organisation: OrganisationId,
    role: DeviceRole,
) -> Result<String, StorageError> {
    let (code, stored) = auth::issue_pairing_code(organisation, role, Utc::now() + FIRST_CODE_LIFETIME, None);
    storage.add_pairing_code(stored).await?;
    Ok(code)
}

/// Prints how the first coordinator pairs, once, for the person who set the server up: on the
/// terminal only, never through the log.
pub fn print_first_code(settings: &Settings, organisation_name: &str, code: &str) {
    println!("Organisation \"{organisation_name}\" is ready.");
    print_pairing_code(settings, organisation_name, DeviceRole::Coordinator, code);
}

/// Prints how a device pairs with an operator's code: on the terminal only, never through the log.
pub fn print_pairing_code(settings: &Settings, organisation_name: &str, role: DeviceRole, code: &str) {
    println!(
        "Pair the {} device of \"{organisation_name}\": open {} or enter the code {code} under Indstillinger (valid for {} days).",
        role.as_str(),
        settings.pairing_link(code),
        FIRST_CODE_LIFETIME.num_days()
    );
}

/// The whole HTTP surface: the API, then the app (when built), with security headers on everything.
pub fn router(state: AppState, shell: Option<AppShell>) -> Router {
    let api = api::router(state.clone()).route(
        privacy_page::ROUTE,
        axum::routing::get(privacy_page::privacy_page).with_state(state),
    );
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
    let db = Database::open(&config.database).await?;
    let listener = bind(config.addr, config.port).await?;
    let scheme = if config.tls.is_some() { "https" } else { "http" };
    let url = format!("{scheme}://{}", listener.local_addr().map_err(ServeError::Io)?);
    let settings = Settings::new(config.public_url.as_deref().unwrap_or(&url));
    println!("Spor is running at {url}/  (data: {})", db.location());
    if db.organisations().await.map_err(ServeError::Storage)?.is_empty() {
        let name = "Min forening";
        let (_, code) = create_organisation(&db, name)
            .await
            .map_err(ServeError::Storage)?;
        print_first_code(&settings, name, &code);
    }
    println!("Stop it with Ctrl-C.");
    let app = router(AppState::new(db.clone(), settings, config.rate_limit), shell);
    serve_on(listener, app, config.tls.as_ref(), shutdown_signal()).await?;
    db.close().await;
    println!("Spor stopped.");
    Ok(())
}

/// Serves `app` on `listener`, over TLS when `tls` is given, until `shutdown` completes; requests
/// under way then get a few seconds to finish.
pub async fn serve_on(
    listener: TcpListener,
    app: Router,
    tls: Option<&TlsFiles>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let Some(tls) = tls else {
        let handle = axum_server::Handle::new();
        stop_on(shutdown, handle.clone());
        let mut server = axum_server::from_tcp(listener.into_std().map_err(ServeError::Io)?)
            .map_err(ServeError::Io)?
            .handle(handle);
        limit_header_reading(server.http_builder());
        return server
            .serve(app.into_make_service_with_connect_info::<SocketAddr>())
            .await
            .map_err(ServeError::Io);
    };
    let app = security::with_strict_transport(app);
    // Another part of the process may have chosen a provider already; either is fine.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let config = axum_server::tls_rustls::RustlsConfig::from_pem_file(&tls.certificate, &tls.key)
        .await
        .map_err(|source| ServeError::Tls {
            certificate: tls.certificate.clone(),
            key: tls.key.clone(),
            source,
        })?;
    let handle = axum_server::Handle::new();
    stop_on(shutdown, handle.clone());
    let mut server = axum_server::from_tcp_rustls(listener.into_std().map_err(ServeError::Io)?, config)
        .map_err(ServeError::Io)?
        .handle(handle);
    limit_header_reading(server.http_builder());
    server
        .serve(app.into_make_service_with_connect_info::<SocketAddr>())
        .await
        .map_err(ServeError::Io)
}

/// How long a client may take to send a request's headers: a slow client (or one that never
/// finishes) holds a connection no longer than this.
pub const HEADER_READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

fn limit_header_reading(
    builder: &mut hyper_util::server::conn::auto::Builder<hyper_util::rt::TokioExecutor>,
) {
    builder
        .http1()
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT);
}

/// Stops `handle`'s server when `shutdown` completes; requests under way get a few seconds.
fn stop_on(
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    handle: axum_server::Handle<SocketAddr>,
) {
    tokio::spawn(async move {
        shutdown.await;
        handle.graceful_shutdown(Some(std::time::Duration::from_secs(10)));
    });
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
