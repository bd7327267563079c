//! `cargo xtask`: every developer command in one place.
//!
//!   cargo xtask serve [--port N] [--addr A] [--data-dir DIR]   build the app and run it with its server
//!   cargo xtask test                                           everything CI runs
//!   cargo xtask bench                                          measure, and write docs/BENCHMARKS.md
//!
//! Each command first installs the tools it needs that are missing (tools.rs), idempotently.

mod app_build;
mod bench;
mod command;
mod serve;
mod test;
mod tools;

use std::process::ExitCode;

use command::Failure;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let task = args.next();
    let rest: Vec<String> = args.collect();
    let outcome = match task.as_deref() {
        Some("serve") => serve::run(&rest),
        Some("test") => test::run(),
        Some("bench") => bench::run(),
        _ => Err(Failure::new(
            "usage: cargo xtask <serve [--port N] [--addr A] [--data-dir DIR] | test | bench>",
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
