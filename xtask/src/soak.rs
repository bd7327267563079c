//! `cargo xtask soak [--seconds N]`: the long runs kept out of `cargo xtask test`. The fuzz targets
//! for the push decoder and backups (nightly, cargo-fuzz) for N seconds each, the hostile-input
//! property tests with 10,000 cases instead of 300, and the fault proxy over twenty more seeds.

use std::path::Path;

use crate::command::{Failure, Result, project_command, root, run_step};
use crate::{test, tools};

const DEFAULT_SECONDS: u64 = 300;
const FUZZ_TARGETS: [&str; 2] = ["push", "backup"];
/// Seeds beyond the three `cargo xtask test` runs.
const FAULT_SEEDS: std::ops::RangeInclusive<u32> = 4..=23;

pub fn run(args: &[String]) -> Result {
    let seconds = match args {
        [] => DEFAULT_SECONDS,
        [flag, value] if flag == "--seconds" => value
            .parse()
            .map_err(|_| Failure::new(format!("--seconds takes a whole number, not {value:?}")))?,
        _ => return Err(Failure::new("usage: cargo xtask soak [--seconds N]")),
    };
    tools::ensure_fuzz_tools()?;
    for target in FUZZ_TARGETS {
        fuzz(target, seconds)?;
    }
    run_step(
        project_command("cargo")
            .args(["test", "--package", "spor-server", "--test", "hostile"])
            .env("PROPTEST_CASES", "10000"),
        "hostile-input property tests, 10,000 cases",
    )?;
    tools::ensure_chromium()?;
    tools::ensure_e2e_packages()?;
    let seeds: Vec<String> = FAULT_SEEDS.map(|seed| seed.to_string()).collect();
    run_step(
        test::end_to_end()?
            .arg("specs/faults.spec.ts")
            .env("SPOR_FAULT_SEEDS", seeds.join(",")),
        "the fault proxy over seeds 4 to 23",
    )
}

/// Runs one fuzz target for `seconds`, its corpus kept under target/ and started from the
/// protocol's own fixtures.
fn fuzz(target: &str, seconds: u64) -> Result {
    let corpus = root().join("target/fuzz-corpus").join(target);
    std::fs::create_dir_all(&corpus)
        .map_err(|error| Failure::new(format!("creating {}: {error}", corpus.display())))?;
    let fixtures = root().join("crates/core/tests/fixtures");
    let mut command = project_command("cargo");
    command
        // The project pins stable; the fuzz build needs nightly's sanitizer flags.
        .env("RUSTUP_TOOLCHAIN", "nightly")
        .env_remove("CARGO")
        .env_remove("RUSTC")
        .args(["fuzz", "run", "--fuzz-dir", "fuzz", target])
        .arg(&corpus);
    if target == "push" && Path::new(&fixtures).is_dir() {
        command.arg(&fixtures);
    }
    command.args(["--", &format!("-max_total_time={seconds}")]);
    run_step(&mut command, &format!("fuzzing {target} for {seconds} s"))
}
