//! Running other programs with the project's environment, and saying clearly what failed.

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A failure to show the developer: what failed and what to do about it.
#[derive(Debug)]
pub struct Failure(String);

impl Failure {
    pub fn new(message: impl Into<String>) -> Failure {
        Failure(message.into())
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub type Result<T = ()> = std::result::Result<T, Failure>;

/// A file's bytes; a failure names the file.
pub fn read_file(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|error| Failure::new(format!("reading {}: {error}", path.display())))
}

/// A file's text; a failure names the file.
pub fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path)
        .map_err(|error| Failure::new(format!("reading {}: {error}", path.display())))
}

/// Writes a file; a failure names it.
pub fn write_file(path: &Path, contents: impl AsRef<[u8]>) -> Result {
    std::fs::write(path, contents)
        .map_err(|error| Failure::new(format!("writing {}: {error}", path.display())))
}

/// The workspace root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace root")
        .to_owned()
}

/// Where the project keeps tools it installs itself (wasm-opt from npm): inside `target/`.
pub fn tools_dir() -> PathBuf {
    root().join("target/tools")
}

pub fn wasm_opt_bin_dir() -> PathBuf {
    tools_dir().join("binaryen/node_modules/.bin")
}

pub fn terser_bin_dir() -> PathBuf {
    tools_dir().join("terser/node_modules/.bin")
}

fn cargo_bin_dir() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .unwrap_or_default()
        .join("bin")
}

/// A command in the workspace root with the project's tools first on PATH and Trunk kept offline.
pub fn project_command(program: &str) -> Command {
    let mut path = vec![wasm_opt_bin_dir(), terser_bin_dir(), cargo_bin_dir()];
    path.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    let mut command = Command::new(program);
    command
        .current_dir(root())
        .env(
            "PATH",
            std::env::join_paths(path).expect("PATH entries contain no separator"),
        )
        .env("TRUNK_SKIP_VERSION_CHECK", "true");
    command
}

pub fn describe(command: &Command) -> String {
    std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|part| part.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs `command` with inherited output; `what` names the step in the failure message.
pub fn run_step(command: &mut Command, what: &str) -> Result {
    let status = command.status().map_err(|error| {
        Failure::new(format!(
            "{what}: could not start `{}`: {error}",
            describe(command)
        ))
    })?;
    if status.success() {
        Ok(())
    } else {
        Err(Failure::new(format!(
            "{what}: `{}` failed ({status})",
            describe(command)
        )))
    }
}

/// Runs `command` and captures its output; `None` when it cannot start or fails.
pub fn output(command: &mut Command) -> Option<Output> {
    command.output().ok().filter(|output| output.status.success())
}

/// The first line of a program's `--version`, or `None` when it is not installed.
pub fn version_of(program: &str) -> Option<String> {
    let output = output(project_command(program).arg("--version"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    text.lines().next().map(|line| line.trim().to_owned())
}
