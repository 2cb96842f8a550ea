//! `pilota`: the command-line front end of the code generator.
//!
//! ```text
//! pilota gen [-I DIR]... FILE.thrift [-o OUT.rs] [--no-unknown-fields] [--serde]
//! ```
//!
//! Writes the generated Rust to `OUT.rs` (or stdout). On a bad IDL it prints every
//! diagnostic to stderr and exits with status 1; warnings go to stderr too.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use pilota_build::Builder;
use pilota_build::codegen::SerdePlugin;

#[derive(Debug, Parser)]
#[command(name = "pilota", version, about = "Rust code generator for Thrift IDL")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Generate Rust code from a Thrift IDL file and the files it includes.
    Gen {
        /// A directory searched for included files (repeatable).
        #[arg(short = 'I', long = "include", value_name = "DIR")]
        include: Vec<PathBuf>,
        /// Write the code to this file instead of stdout.
        #[arg(short = 'o', long = "out", value_name = "OUT.rs")]
        out: Option<PathBuf>,
        /// Do not keep unknown fields in generated structs.
        #[arg(long)]
        no_unknown_fields: bool,
        /// Derive serde's Serialize and Deserialize (the generated code needs serde).
        #[arg(long)]
        serde: bool,
        /// The root IDL file.
        file: PathBuf,
    },
}

fn main() -> ExitCode {
    let Command::Gen {
        include,
        out,
        no_unknown_fields,
        serde,
        file,
    } = Cli::parse().command;
    let mut builder = Builder::thrift().unknown_fields(!no_unknown_fields);
    for dir in include {
        builder = builder.include_dir(dir);
    }
    if serde {
        builder = builder.plugin(SerdePlugin);
    }
    let output = match builder.run(&file) {
        Ok(output) => output,
        Err(diagnostics) => {
            eprint!("{diagnostics}");
            return ExitCode::FAILURE;
        }
    };
    if !output.warnings.is_empty() {
        eprint!("{}", output.warnings);
    }
    let written = match &out {
        Some(path) => std::fs::write(path, &output.code)
            .map_err(|e| format!("cannot write {}: {e}", path.display())),
        None => {
            use std::io::Write;
            std::io::stdout()
                .write_all(output.code.as_bytes())
                .map_err(|e| format!("cannot write to stdout: {e}"))
        }
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
