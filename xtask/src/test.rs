//! `cargo xtask test`: the whole suite, as CI runs it. Every stage runs (a formatting slip does not
//! hide a failing test); a summary line per stage follows, and any failure makes the exit non-zero.
//! When every stage passed, the reliability tests' figures go into target/reliability/RELIABILITY.md
//! (`cargo xtask reliability` puts them into docs/), so a run leaves the working tree clean.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::app_build;
use crate::command::{Failure, Result, project_command, root, run_step};
use crate::compress;
use crate::reliability;
use crate::tools;

struct Stage {
    name: &'static str,
    outcome: Result,
    took: Duration,
}

pub fn run() -> Result {
    let started = Instant::now();
    reliability::clear()?;
    let mut stages = Vec::new();
    let mut stage = |name: &'static str, work: &mut dyn FnMut() -> Result| {
        println!("\n=== xtask test: {name}");
        let begun = Instant::now();
        let outcome = work();
        if let Err(failure) = &outcome {
            eprintln!("xtask test: {name} failed: {failure}");
        }
        stages.push(Stage {
            name,
            outcome,
            took: begun.elapsed(),
        });
    };

    stage("tools", &mut || {
        tools::ensure_app_build_tools()?;
        tools::ensure_chromium()?;
        tools::ensure_postgres()?;
        tools::ensure_e2e_packages()
    });
    stage("fmt", &mut || {
        run_step(
            &mut cargo(&["fmt", "--all", "--", "--check"]),
            "cargo fmt --check",
        )
    });
    stage("clippy", &mut || {
        run_step(
            &mut cargo(&["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]),
            "clippy (host)",
        )?;
        run_step(
            &mut cargo(&[
                "clippy",
                "--package",
                "spor",
                "--target",
                "wasm32-unknown-unknown",
                "--all-targets",
                "--all-features",
                "--",
                "-D",
                "warnings",
            ]),
            "clippy (wasm)",
        )
    });
    stage("host tests", &mut || {
        run_step(
            cargo(&["test", "--workspace"]).env("SPOR_RELIABILITY_OUT", reliability::out_dir()),
            "host tests",
        )
    });
    stage("wasm tests", &mut || {
        // ChromeDriver's Chromium leaves a profile of over 100 MB in the temporary directory
        // each run; keeping them under target/ and removing them afterwards stops a machine
        // that runs the suite often from filling its disk.
        let profiles = root().join("target/tmp/chromium-profiles");
        std::fs::create_dir_all(&profiles)
            .map_err(|error| Failure::new(format!("creating {}: {error}", profiles.display())))?;
        let outcome = run_step(
            cargo(&["test", "--package", "spor", "--target", "wasm32-unknown-unknown"])
                .env("CHROMEDRIVER", tools::CHROMEDRIVER)
                .env("TMPDIR", &profiles),
            "wasm-bindgen tests in headless Chromium",
        );
        // Best effort: a leftover profile costs disk space, never a verdict.
        let _ = std::fs::remove_dir_all(&profiles);
        outcome
    });
    stage("end-to-end", &mut || {
        let mut playwright = end_to_end()?;
        run_step(
            playwright.env("SPOR_RELIABILITY_OUT", reliability::out_dir()),
            "Playwright end-to-end tests",
        )
    });

    println!("\n=== xtask test: summary");
    for stage in &stages {
        let verdict = if stage.outcome.is_ok() { "ok  " } else { "FAIL" };
        println!("{verdict} {:<12} {:>7.1} s", stage.name, stage.took.as_secs_f64());
    }
    let failed = stages.iter().filter(|stage| stage.outcome.is_err()).count();
    println!(
        "stages: {} passed, {failed} failed ({:.0} s in all)",
        stages.len() - failed,
        started.elapsed().as_secs_f64()
    );
    if failed == 0 {
        reliability::write_report()
    } else {
        Err(Failure::new(format!("{failed} stage(s) failed; see above")))
    }
}

/// Builds the release app and the server, and returns `npx playwright test` in `tests/e2e`, set up
/// to drive them; the caller adds specs or settings and runs it.
pub fn end_to_end() -> Result<Command> {
    app_build::build_release()?;
    compress::check_first_screen(&root().join("dist"))?;
    run_step(
        &mut cargo(&["build", "--package", "spor-server"]),
        "building spor-server",
    )?;
    let python = tools::ensure_python_docx()?;
    let mut playwright = project_command("npx");
    playwright
        .args(["playwright", "test"])
        .current_dir(root().join("tests/e2e"))
        .env("SPOR_SERVER_BIN", root().join("target/debug/spor-server"))
        .env("SPOR_DIST", root().join("dist"))
        .env("SPOR_PYTHON", python)
        .env("CHROMIUM", tools::CHROMIUM);
    Ok(playwright)
}

fn cargo(args: &[&str]) -> Command {
    let mut command = project_command("cargo");
    command.args(args);
    command
}
