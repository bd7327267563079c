//! The real `spor-server` binary as a child process on 127.0.0.1 with a free port, for the tests
//! that need the whole program: its logs, or killing it.
// Each test binary that includes this uses a part of it.
#![allow(dead_code)]

use std::io::Read;
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};

pub struct ServerProcess {
    child: Child,
    stdout: ChildStdout,
    pub url: String,
    /// The first coordinator's pairing code, printed only when the start created the organisation.
    pub first_code: Option<String>,
    /// What the server printed until it listened.
    printed: String,
}

impl ServerProcess {
    /// Starts the server on `data_dir` and waits until it listens ("Stop it with Ctrl-C.").
    pub fn start(data_dir: &Path, log_level: &str) -> ServerProcess {
        let mut child = Command::new(env!("CARGO_BIN_EXE_spor-server"))
            .args(["serve", "--addr", "127.0.0.1", "--port", "0", "--data-dir"])
            .arg(data_dir)
            .env("SPOR_LOG", log_level)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the server binary starts");
        let mut stdout = child.stdout.take().expect("stdout is piped");
        let mut printed = String::new();
        let mut buffer = [0u8; 1024];
        while !printed.contains("Stop it with Ctrl-C.") {
            let read = stdout.read(&mut buffer).expect("the server's output is readable");
            assert!(read > 0, "the server stopped before it listened: {printed}");
            printed.push_str(&String::from_utf8_lossy(&buffer[..read]));
        }
        let url = printed
            .split("running at ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .expect("the server prints its address")
            .trim_end_matches('/')
            .to_owned();
        let first_code = printed
            .split("enter the code ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next().map(str::to_owned));
        ServerProcess {
            child,
            stdout,
            url,
            first_code,
            printed,
        }
    }

    /// SIGKILL: no shutdown, no flushing, as a power cut or the OOM killer would stop it.
    pub fn kill(&mut self) {
        self.child.kill().expect("the server can be killed");
        self.child.wait().expect("the killed server is reaped");
    }
}

impl ServerProcess {
    /// Kills the server and returns what it printed for the operator (stdout) and its log (stderr).
    pub fn output(mut self) -> (String, String) {
        self.kill();
        let mut printed = std::mem::take(&mut self.printed);
        self.stdout
            .read_to_string(&mut printed)
            .expect("stdout is readable");
        let mut log = String::new();
        if let Some(mut stderr) = self.child.stderr.take() {
            stderr.read_to_string(&mut log).expect("stderr is readable");
        }
        (printed, log)
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
