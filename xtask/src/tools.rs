//! Installs the tools the build and the tests need, only when missing or at the wrong version
//! (../shared/TOOLCHAIN.md is the recipe). Nothing here downloads a binary from outside the package
//! registries: Trunk and wasm-bindgen are built by cargo, wasm-opt comes from npm's `binaryen`
//! (Debian's binaryen 108 produces wasm that crashes), Chromium and ChromeDriver from apt.

use std::path::Path;

use crate::command::{self, Failure, Result, project_command, version_of};

const TRUNK_VERSION: &str = "0.22.1";
/// npm `binaryen` 132 is the wasm-opt that Trunk.toml asks for (`wasm_opt = "version_132"`).
const BINARYEN_VERSION: &str = "132";
/// npm `lighthouse`, for `cargo xtask bench` only: the version issue 16's figures were taken with.
const LIGHTHOUSE_VERSION: &str = "12.2.3";
/// npm `terser` minifies the JavaScript the wasm split writes after Trunk's own minifier has run.
const TERSER_VERSION: &str = "5.39.0";
/// The Word reader the report's end-to-end test opens the `.docx` with.
const PYTHON_DOCX_VERSION: &str = "1.1.2";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Everything `trunk build` needs: the wasm target, Trunk, wasm-bindgen, wasm-opt and terser.
pub fn ensure_app_build_tools() -> Result {
    ensure_wasm_target()?;
    ensure_trunk()?;
    ensure_wasm_bindgen()?;
    ensure_wasm_opt()?;
    ensure_terser()
}

fn install(tool: &str, command: &mut std::process::Command, advice: &str) -> Result {
    println!("xtask: installing {tool}: {}", command::describe(command));
    command::run_step(command, &format!("installing {tool}"))
        .map_err(|failure| Failure::new(format!("{failure}.\n{advice}")))
}

const NETWORK_ADVICE: &str =
    "Check that this machine reaches the package registry, then run the same cargo xtask command again.";

fn ensure_wasm_target() -> Result {
    let installed = command::output(project_command("rustup").args(["target", "list", "--installed"]))
        .map(|output| String::from_utf8_lossy(&output.stdout).contains("wasm32-unknown-unknown"))
        .unwrap_or(false);
    if installed {
        return Ok(());
    }
    install(
        "the wasm32 target",
        project_command("rustup").args(["target", "add", "wasm32-unknown-unknown"]),
        NETWORK_ADVICE,
    )
}

fn ensure_trunk() -> Result {
    if version_of("trunk").is_some_and(|version| version == format!("trunk {TRUNK_VERSION}")) {
        return Ok(());
    }
    // 0.22.x declares a newer rust-version than this toolchain; it builds fine with it.
    install(
        "Trunk (compiles for about 12 minutes)",
        project_command("cargo").args([
            "install",
            "trunk",
            "--version",
            TRUNK_VERSION,
            "--locked",
            "--ignore-rust-version",
        ]),
        NETWORK_ADVICE,
    )
}

/// The wasm-bindgen version in Cargo.lock: the CLI must be exactly the same.
pub fn locked_wasm_bindgen_version() -> Result<String> {
    let lock = std::fs::read_to_string(command::root().join("Cargo.lock"))
        .map_err(|error| Failure::new(format!("reading Cargo.lock: {error}")))?;
    lock.split("[[package]]")
        .find(|package| package.contains("\nname = \"wasm-bindgen\"\n"))
        .and_then(|package| package.lines().find_map(|line| line.strip_prefix("version = \"")))
        .map(|version| version.trim_end_matches('"').to_owned())
        .ok_or_else(|| Failure::new("Cargo.lock names no wasm-bindgen version"))
}

fn ensure_wasm_bindgen() -> Result {
    let version = locked_wasm_bindgen_version()?;
    let wanted = format!("wasm-bindgen {version}");
    if version_of("wasm-bindgen").is_some_and(|found| found == wanted)
        && version_of("wasm-bindgen-test-runner").is_some_and(|found| found.ends_with(&version))
    {
        return Ok(());
    }
    // Not --locked: its lock file names a webpki-roots release that the registry here lacks.
    install(
        "wasm-bindgen-cli",
        project_command("cargo").args(["install", "wasm-bindgen-cli", "--version", &version]),
        NETWORK_ADVICE,
    )
}

fn ensure_wasm_opt() -> Result {
    if version_of("wasm-opt").is_some_and(|version| version.contains(&format!("version {BINARYEN_VERSION}")))
    {
        return Ok(());
    }
    npm_install_tool("binaryen", &format!("binaryen@{BINARYEN_VERSION}"))
}

fn ensure_terser() -> Result {
    if version_of("terser").is_some_and(|version| version == format!("terser {TERSER_VERSION}")) {
        return Ok(());
    }
    npm_install_tool("terser", &format!("terser@{TERSER_VERSION}"))
}

/// Lighthouse's command line, for the benchmark of every page's mobile audit.
pub fn ensure_lighthouse() -> Result {
    if version_of(&lighthouse_bin().to_string_lossy()).is_some_and(|version| version == LIGHTHOUSE_VERSION) {
        return Ok(());
    }
    npm_install_tool("lighthouse", &format!("lighthouse@{LIGHTHOUSE_VERSION}"))
}

pub fn lighthouse_bin() -> std::path::PathBuf {
    command::tools_dir().join("lighthouse/node_modules/.bin/lighthouse")
}

/// A command-line tool from npm, kept in `target/tools/<name>` rather than installed globally.
fn npm_install_tool(name: &str, package: &str) -> Result {
    let prefix = command::tools_dir().join(name);
    std::fs::create_dir_all(&prefix)
        .map_err(|error| Failure::new(format!("creating {}: {error}", prefix.display())))?;
    install(
        &format!("{name} (npm {package})"),
        project_command("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&prefix)
            .arg(package),
        NETWORK_ADVICE,
    )
}

/// A nightly toolchain and cargo-fuzz, for the fuzz targets (`cargo xtask soak` only).
pub fn ensure_fuzz_tools() -> Result {
    let nightly =
        command::output(project_command("rustup").args(["toolchain", "list"])).is_some_and(|listed| {
            String::from_utf8_lossy(&listed.stdout)
                .lines()
                .any(|line| line.starts_with("nightly"))
        });
    if !nightly {
        install(
            "the nightly toolchain",
            project_command("rustup").args(["toolchain", "install", "nightly", "--profile", "minimal"]),
            NETWORK_ADVICE,
        )?;
    }
    if version_of("cargo-fuzz").is_some() {
        return Ok(());
    }
    install(
        "cargo-fuzz",
        project_command("cargo").args(["install", "cargo-fuzz", "--locked"]),
        NETWORK_ADVICE,
    )
}

/// Chromium and ChromeDriver from Debian, for the browser tests.
pub fn ensure_chromium() -> Result {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        return Ok(());
    }
    apt_install("Chromium and ChromeDriver", &["chromium", "chromium-driver"])
}

/// PostgreSQL's server programs, for the server tests that run every sync test on PostgreSQL as
/// well as on SQLite (each test process starts its own server on 127.0.0.1; nothing is left running).
pub fn ensure_postgres() -> Result {
    let installed = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .any(|version| version.path().join("bin/postgres").exists());
    if installed {
        return Ok(());
    }
    apt_install("PostgreSQL", &["postgresql"])
}

/// Debian's `packages`, after refreshing the package lists.
fn apt_install(what: &str, packages: &[&str]) -> Result {
    let advice = format!(
        "Run it as root, or install them yourself: sudo apt-get install {}",
        packages.join(" ")
    );
    install(
        "the apt package lists",
        project_command("apt-get").arg("update"),
        &advice,
    )?;
    install(
        what,
        project_command("apt-get").args(["install", "-y"]).args(packages),
        &advice,
    )
}

/// A Python with python-docx in a virtual environment of the project's own (`target/tools/python`),
/// for the end-to-end test that reads the report's Word file as a reader would. Returns its python.
pub fn ensure_python_docx() -> Result<std::path::PathBuf> {
    let environment = command::tools_dir().join("python");
    let python = environment.join("bin/python");
    let python_name = python.to_string_lossy().into_owned();
    let check =
        format!("import importlib.metadata as m; assert m.version('python-docx') == '{PYTHON_DOCX_VERSION}'");
    let installed =
        python.exists() && command::output(project_command(&python_name).args(["-c", &check])).is_some();
    if installed {
        return Ok(python);
    }
    let has_pip = python.exists()
        && command::output(project_command(&python_name).args(["-m", "pip", "--version"])).is_some();
    if !has_pip {
        // `--clear`: starts over from what a failed earlier try left.
        let mut create = project_command("python3");
        create.args(["-m", "venv", "--clear"]).arg(&environment);
        // Debian's Python has its venv module (and pip in it) in a package of its own.
        if command::output(&mut create).is_none() {
            apt_install("Python's venv module", &["python3-venv"])?;
            install(
                "a Python virtual environment",
                &mut create,
                "Install Python 3 with its venv module (Debian: python3-venv), then run the same cargo xtask command again.",
            )?;
        }
    }
    install(
        "python-docx",
        project_command(&python_name).args([
            "-m",
            "pip",
            "install",
            "--quiet",
            &format!("python-docx=={PYTHON_DOCX_VERSION}"),
        ]),
        NETWORK_ADVICE,
    )?;
    Ok(python)
}

/// The end-to-end tests' npm packages (Playwright without its browser download, axe-core).
pub fn ensure_e2e_packages() -> Result {
    ensure_npm_packages("tests/e2e", "the end-to-end test packages")
}

/// PouchDB and pouchdb-server, the peer the sync benchmark compares with (`cargo xtask bench` only).
pub fn ensure_bench_peer_packages() -> Result {
    ensure_npm_packages("tests/e2e/bench/peer", "the sync benchmark's peer (PouchDB)")
}

/// `npm ci` in `dir` unless its installed packages are as new as its lock file.
fn ensure_npm_packages(dir: &str, what: &str) -> Result {
    let dir = command::root().join(dir);
    let installed = dir.join("node_modules/.package-lock.json");
    let modified = |path: &Path| std::fs::metadata(path).and_then(|meta| meta.modified()).ok();
    if let (Some(installed), Some(locked)) = (modified(&installed), modified(&dir.join("package-lock.json")))
        && installed >= locked
    {
        return Ok(());
    }
    install(
        what,
        project_command("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir)
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"),
        NETWORK_ADVICE,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_install_names_the_tool_the_command_and_what_to_do() {
        let mut failing = std::process::Command::new("false");
        failing.arg("--offline");
        let message = install("Trunk", &mut failing, NETWORK_ADVICE)
            .unwrap_err()
            .to_string();
        assert!(message.contains("installing Trunk"), "{message}");
        assert!(message.contains("`false --offline`"), "{message}");
        assert!(
            message.contains("run the same cargo xtask command again"),
            "{message}"
        );
    }

    #[test]
    fn the_locked_wasm_bindgen_version_is_read_from_cargo_lock() {
        let version = locked_wasm_bindgen_version().unwrap();
        assert!(version.starts_with("0.2."), "{version}");
    }
}
