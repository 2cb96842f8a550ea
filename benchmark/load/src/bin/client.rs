//! The echo load client on this repository's Volo; prints one report line,
//! or with `--check` runs the metainfo interop check.

use std::process::ExitCode;

use load_harness::{ClientArgs, Parser};

fn main() -> ExitCode {
    let args = ClientArgs::parse();
    let runtime = match load_harness::runtime(args.threads) {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    if args.check {
        return match runtime.block_on(load::check(&args)) {
            Ok(()) => {
                println!(
                    "interop ok: {} calls, metainfo forward and backward, business status",
                    load_harness::interop::CALLS
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("interop FAILED: {e}");
                ExitCode::FAILURE
            }
        };
    }
    match runtime.block_on(load::load(&args)) {
        Ok(report) => {
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
