//! `cargo xtask serve`: build the app, then run spor-server with it on 127.0.0.1:8080.

use std::net::{IpAddr, Ipv4Addr, TcpListener};
use std::os::unix::process::CommandExt;

use crate::app_build;
use crate::command::{Failure, Result, project_command, root, run_step};

pub fn run(args: &[String]) -> Result {
    let mut server_args = vec!["serve".to_owned()];
    let mut port: u16 = match std::env::var("SPOR_PORT") {
        Ok(text) => parse_port(&text)?,
        Err(_) => 8080,
    };
    let mut addr = IpAddr::V4(Ipv4Addr::LOCALHOST);
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let value = args
            .next()
            .ok_or_else(|| Failure::new(format!("{flag} needs a value")))?;
        match flag.as_str() {
            "--port" => port = parse_port(value)?,
            "--addr" => {
                addr = value
                    .parse()
                    .map_err(|_| Failure::new(format!("--addr {value} is not an IP address")))?
            }
            "--data-dir" | "--database-url" => server_args.extend([flag.clone(), value.clone()]),
            other => {
                return Err(Failure::new(format!(
                    "unknown flag {other}; serve takes --port N, --addr A, --data-dir DIR and --database-url URL"
                )));
            }
        }
    }
    // Fail before a long build when the port is taken.
    check_port_free(addr, port)?;
    app_build::build_release()?;
    run_step(
        project_command("cargo").args(["build", "--release", "--package", "spor-server"]),
        "building spor-server",
    )?;
    server_args.extend([
        "--addr".to_owned(),
        addr.to_string(),
        "--port".to_owned(),
        port.to_string(),
    ]);
    server_args.extend(["--dist".to_owned(), root().join("dist").display().to_string()]);
    // Hand the terminal to the server: Ctrl-C then stops it directly and cleanly.
    let error = project_command(&root().join("target/release/spor-server").display().to_string())
        .args(&server_args)
        .exec();
    Err(Failure::new(format!("could not start spor-server: {error}")))
}

fn parse_port(text: &str) -> Result<u16> {
    text.parse()
        .map_err(|_| Failure::new(format!("port {text:?} is not a number from 1 to 65535")))
}

fn check_port_free(addr: IpAddr, port: u16) -> Result {
    match TcpListener::bind((addr, port)) {
        Ok(_) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::AddrInUse => Err(Failure::new(format!(
            "port {port} on {addr} is already in use. Start Spor on another port: \
             cargo xtask serve --port {} (or SPOR_PORT={})",
            port.wrapping_add(1),
            port.wrapping_add(1)
        ))),
        Err(error) => Err(Failure::new(format!("cannot listen on {addr}:{port}: {error}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_busy_port_is_reported_with_the_flag_and_the_next_port() {
        let taken = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let port = taken.local_addr().unwrap().port();
        let message = check_port_free(IpAddr::V4(Ipv4Addr::LOCALHOST), port)
            .unwrap_err()
            .to_string();
        assert!(message.contains(&format!("port {port}")), "{message}");
        assert!(message.contains(&format!("--port {}", port + 1)), "{message}");
    }
}
