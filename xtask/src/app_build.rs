//! Building the app with Trunk, offline and in release mode.

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
