use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use spor_core::access::DeviceRole;
use spor_server::db::{Database, DatabaseLocation};
use spor_server::error::ServeError;
use spor_server::rate_limit::RateLimit;
use spor_server::storage::Storage;
use spor_server::{
    Config, Settings, TlsFiles, create_organisation, operator_pairing_code, print_first_code,
    print_pairing_code, serve,
};
use tracing_subscriber::EnvFilter;
use uuid::Uuid;

#[derive(Parser)]
#[command(
    name = "spor-server",
    version,
    about = "Spor's backend: the app, its API and its database (SQLite, or PostgreSQL)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Args)]
struct DatabaseArgs {
    /// Directory for the SQLite database. Default: $XDG_DATA_HOME/spor or ~/.local/share/spor.
    #[arg(long, env = "SPOR_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// A PostgreSQL database to keep the data in instead of SQLite, for larger deployments, e.g.
    /// postgres://spor:password@127.0.0.1/spor (the database must exist; its tables are created).
    #[arg(long, env = "SPOR_DATABASE_URL", conflicts_with = "data_dir")]
    database_url: Option<String>,
}

impl DatabaseArgs {
    fn location(self) -> DatabaseLocation {
        match self.database_url {
            Some(url) => DatabaseLocation::Postgres(url),
            None => DatabaseLocation::SqliteIn(self.data_dir.unwrap_or_else(spor_server::default_data_dir)),
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Serve the built app and the API. The first start creates an organisation and prints how
    /// the first coordinator pairs.
    Serve {
        /// Address to listen on. Keep 127.0.0.1 behind a reverse proxy.
        #[arg(long, env = "SPOR_ADDR", default_value = "127.0.0.1")]
        addr: IpAddr,
        /// Port to listen on.
        #[arg(long, env = "SPOR_PORT", default_value_t = 8080)]
        port: u16,
        #[command(flatten)]
        database: DatabaseArgs,
        /// The built app (Trunk's dist directory). Without it only the API is served.
        #[arg(long, env = "SPOR_DIST")]
        dist: Option<PathBuf>,
        /// The address phones use, e.g. https://spor.example.dk (used in pairing links and QR codes).
        #[arg(long, env = "SPOR_PUBLIC_URL")]
        public_url: Option<String>,
        /// Requests per second one device may sustain.
        #[arg(long, env = "SPOR_RATE_LIMIT", default_value_t = RateLimit::default().per_second)]
        rate_limit: f64,
        /// Requests one device may make at once.
        #[arg(long, env = "SPOR_RATE_BURST", default_value_t = RateLimit::default().burst)]
        rate_burst: u32,
        /// Serve HTTPS with this certificate chain (PEM) instead of running behind a reverse proxy.
        #[arg(long, env = "SPOR_TLS_CERT", requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// The certificate's private key (PEM).
        #[arg(long, env = "SPOR_TLS_KEY", requires = "tls_cert")]
        tls_key: Option<PathBuf>,
    },
    /// Create an organisation and print a one-time pairing code for its first coordinator.
    Init {
        /// The organisation's name.
        #[arg(long)]
        org: String,
        #[command(flatten)]
        database: DatabaseArgs,
        /// The address phones use, for the pairing link.
        #[arg(long, env = "SPOR_PUBLIC_URL", default_value = "http://127.0.0.1:8080")]
        public_url: String,
    },
    /// List the organisations on this server: id and name.
    Orgs {
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Print a one-time pairing code for an existing organisation: how an operator lets in a new
    /// coordinator when every coordinator's phone was lost or revoked.
    PairingCode {
        /// The organisation's id (see `spor-server orgs`).
        #[arg(long)]
        org: Uuid,
        /// coordinator, volunteer or kiosk.
        #[arg(long, default_value = "coordinator", value_parser = parse_role)]
        role: DeviceRole,
        #[command(flatten)]
        database: DatabaseArgs,
        /// The address phones use, for the pairing link.
        #[arg(long, env = "SPOR_PUBLIC_URL", default_value = "http://127.0.0.1:8080")]
        public_url: String,
    },
    /// Copy the SQLite database to a file while the server runs (a consistent snapshot).
    Backup {
        /// The file to write; it must not exist yet.
        target: PathBuf,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

fn parse_role(text: &str) -> Result<DeviceRole, String> {
    DeviceRole::parse(text).ok_or_else(|| format!("{text:?} is not a role: coordinator, volunteer or kiosk"))
}

#[tokio::main]
async fn main() -> ExitCode {
    // The log goes to stderr: stdout carries what a command prints for the operator (codes, lists).
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_env("SPOR_LOG").unwrap_or_else(|_| EnvFilter::new("info")))
        .with_writer(std::io::stderr)
        .init();
    match run(Cli::parse().command).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("spor-server: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> Result<(), ServeError> {
    match command {
        Command::Serve {
            addr,
            port,
            database,
            dist,
            public_url,
            rate_limit,
            rate_burst,
            tls_cert,
            tls_key,
        } => {
            serve(Config {
                addr,
                port,
                database: database.location(),
                dist,
                public_url,
                rate_limit: RateLimit {
                    burst: rate_burst.max(1),
                    per_second: rate_limit.max(0.001),
                },
                tls: tls_cert
                    .zip(tls_key)
                    .map(|(certificate, key)| TlsFiles { certificate, key }),
            })
            .await
        }
        Command::Init {
            org,
            database,
            public_url,
        } => {
            let db = Database::open(&database.location()).await?;
            let (_, code) = create_organisation(&db, org.trim())
                .await
                .map_err(ServeError::Storage)?;
            print_first_code(&Settings::new(&public_url), org.trim(), &code);
            db.close().await;
            Ok(())
        }
        Command::Orgs { database } => {
            let db = Database::open(&database.location()).await?;
            let organisations = db.organisations().await.map_err(ServeError::Storage)?;
            for (id, name) in &organisations {
                println!("{}  {name}", id.0);
            }
            if organisations.is_empty() {
                println!("No organisations yet: `spor-server init --org NAME` makes one.");
            }
            db.close().await;
            Ok(())
        }
        Command::PairingCode {
            org,
            role,
            database,
            public_url,
        } => {
            let db = Database::open(&database.location()).await?;
            let organisations = db.organisations().await.map_err(ServeError::Storage)?;
            let Some((organisation, name)) = organisations.into_iter().find(|(id, _)| id.0 == org) else {
                db.close().await;
                return Err(ServeError::UnknownOrganisation(org));
            };
            let code = operator_pairing_code(&db, organisation, role)
                .await
                .map_err(ServeError::Storage)?;
            print_pairing_code(&Settings::new(&public_url), &name, role, &code);
            db.close().await;
            Ok(())
        }
        Command::Backup { target, database } => {
            let db = Database::open(&database.location()).await?;
            db.backup_to(&target).await.map_err(ServeError::Storage)?;
            db.close().await;
            println!("Backed up to {}", target.display());
            Ok(())
        }
    }
}
