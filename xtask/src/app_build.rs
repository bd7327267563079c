//! Building the app with Trunk, offline and in release mode.

use std::path::PathBuf;

use crate::command::{Result, project_command, root, run_step};
use crate::compress;
use crate::tools;

/// Builds the app into `dist/` (size-first wasm profile, wasm-opt -Oz, minified CSS and
/// JavaScript, hashed names, precache list), with brotli and gzip copies of every text and wasm file.
pub fn build_release() -> Result {
    tools::ensure_app_build_tools()?;
    // Trunk builds with --offline, so every crate must already be in the local registry cache.
    run_step(project_command("cargo").arg("fetch"), "fetching crates")?;
    run_step(
        project_command("trunk").args(["build", "--release"]),
        "building the app with Trunk",
    )?;
    compress::precompress(&root().join("dist"))
}

/// The bare Leptos 0.8 + router + rexie app of `tests/minimal-app`, built as Spor is, into
/// `target/minimal-app/dist`: the yardstick of the offline-start benchmark.
pub fn build_minimal_app() -> Result<PathBuf> {
    tools::ensure_app_build_tools()?;
    let app = root().join("tests/minimal-app");
    let target = root().join("target/minimal-app");
    let dist = target.join("dist");
    run_step(
        project_command("cargo")
            .args(["fetch", "--manifest-path"])
            .arg(app.join("Cargo.toml")),
        "fetching the minimal app's crates",
    )?;
    run_step(
        project_command("trunk")
            .args(["build", "--release", "--dist"])
            .arg(&dist)
            .current_dir(&app)
            .env("CARGO_TARGET_DIR", &target)
            // Spor's .cargo/config.toml keeps relocations for its split; they would stop wasm-opt
            // from shrinking an app that has no split. RUSTFLAGS, when set, replaces that setting.
            .env("RUSTFLAGS", ""),
        "building the minimal Leptos app with Trunk",
    )?;
    compress::precompress(&dist)?;
    Ok(dist)
}
