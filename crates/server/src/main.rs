use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use spor_server::{Config, serve};
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(
    name = "spor-server",
    version,
    about = "Spor's backend: the app, its API and its SQLite database"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the built app and the API.
    Serve {
        /// Address to listen on. Keep 127.0.0.1 behind a reverse proxy.
        #[arg(long, env = "SPOR_ADDR", default_value = "127.0.0.1")]
        addr: IpAddr,
        /// Port to listen on.
        #[arg(long, env = "SPOR_PORT", default_value_t = 8080)]
        port: u16,
        /// Directory for the SQLite database. Default: $XDG_DATA_HOME/spor or ~/.local/share/spor.
        #[arg(long, env = "SPOR_DATA_DIR")]
        data_dir: Option<PathBuf>,
        /// The built app (Trunk's dist directory). Without it only the API is served.
        #[arg(long, env = "SPOR_DIST")]
        dist: Option<PathBuf>,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_env("SPOR_LOG").unwrap_or_else(|_| EnvFilter::new("info")))
        .init();
    let Command::Serve {
        addr,
        port,
        data_dir,
        dist,
    } = Cli::parse().command;
    let config = Config {
        addr,
        port,
        data_dir: data_dir.unwrap_or_else(spor_server::default_data_dir),
        dist,
    };
    match serve(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("spor-server: {error}");
            ExitCode::FAILURE
        }
    }
}
