//! Building the app with Trunk, offline and in release mode.

use crate::command::{Result, project_command, run_step};
use crate::tools;

/// Builds the app into `dist/` (size-first wasm profile, wasm-opt -Oz, hashed names, precache list).
pub fn build_release() -> Result {
    tools::ensure_app_build_tools()?;
    // Trunk builds with --offline, so every crate must already be in the local registry cache.
    run_step(project_command("cargo").arg("fetch"), "fetching crates")?;
    run_step(
        project_command("trunk").args(["build", "--release"]),
        "building the app with Trunk",
    )
}
