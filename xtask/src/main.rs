//! `cargo xtask`: every developer command in one place.
//!
//!   cargo xtask serve [--port N] [--addr A] [--data-dir DIR]   build the app and run it with its server
//!   cargo xtask test                                           everything CI runs
//!   cargo xtask reliability                                    the last green test run's figures into docs/RELIABILITY.md
//!   cargo xtask bench                                          measure, and write docs/BENCHMARKS.md
//!   cargo xtask soak [--seconds N]                             fuzzing and long fault runs (not in test)
//!   cargo xtask post-build                                     Trunk's post_build hook: the wasm in parts, the shell's texts, sw.js's list
//!
//! Each command first installs the tools it needs that are missing (tools.rs), idempotently.

mod app_build;
mod app_shell;
mod bench;
mod command;
mod compress;
mod precache;
mod reliability;
mod serve;
mod soak;
mod test;
mod tools;
mod wasm_split;

use std::process::ExitCode;

use command::Failure;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let task = args.next();
    let rest: Vec<String> = args.collect();
    let outcome = match task.as_deref() {
        Some("serve") => serve::run(&rest),
        Some("test") => test::run(),
        Some("reliability") => reliability::publish(),
        Some("bench") => bench::run(),
        Some("soak") => soak::run(&rest),
        Some("post-build") => wasm_split::post_build(),
        _ => Err(Failure::new(
            "usage: cargo xtask <serve [--port N] [--addr A] [--data-dir DIR] | test | reliability | bench | soak [--seconds N]>",
        )),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("\nxtask: {failure}");
            ExitCode::FAILURE
        }
    }
}
