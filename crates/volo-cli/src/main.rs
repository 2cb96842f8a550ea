//! `volo`: the command line tool of the Volo framework.
//!
//! - `volo init <name> <idl> [-i DIR]... [--volo-path DIR]` scaffolds a cargo
//!   workspace that builds and serves the IDL at once: a `<name>-gen` crate
//!   whose `build.rs` generates the code from `volo.yml`, and a `<name>`
//!   crate with a handler (`Handler` in `src/lib.rs`) whose methods answer
//!   default values, `src/bin/server.rs` and `src/bin/client.rs`. A method
//!   whose return type has no value the tool can build (a type without
//!   `Default` it cannot construct) answers an error instead, which the
//!   client receives as an application exception saying the method is not
//!   implemented yet.
//! - `volo init <name> <idl> --git URL [-r REF]` takes the IDL (and `-i`
//!   directories) as paths inside a git repository instead: it is fetched
//!   and locked in `volo.yml` like `volo repo add` does, and the service's
//!   IDL is `{ source: git, repo: <repo>, path: <idl> }`, the repository
//!   named after the URL's last segment.
//! - `volo idl add <idl> [-i DIR]...`, inside such a project, adds an IDL to
//!   `volo.yml`, copies it into `idl/`, and implements each new service for
//!   `Handler` in a new module of the handler crate, `src/<service>.rs`
//!   (`Counter` → `src/counter.rs`, declared by a `mod counter;` line
//!   appended to `src/lib.rs`). A module file that already exists is
//!   skipped (`--force` replaces it). The server binary keeps serving the
//!   first service: serve a new one with `Server::new(CounterServer::new(Handler))`
//!   on its own address, or beside the first through
//!   `volo_thrift::server::Router` (picked by TTHeader `isn`).
//! - `volo repo add <name> --git URL [-r REF]` and `volo repo update [name]`
//!   fetch git repositories of IDL files, lock them to a commit in
//!   `volo.yml` and fill the checkout cache the build script reads
//!   (`.volo/git/<repo>/<lock>/`); they need `git`.
//!
//! `idl add`, `repo add` and `repo update` edit `volo.yml` in place: the
//! rest of the file, comments included, is kept byte for byte. A file in a
//! layout the tool cannot edit in place (flow style `{ .. }` where the edit
//! goes, tabs) is rewritten from its content instead, with a warning that
//! its comments were not kept.
//!
//! Nothing existing is overwritten without `--force`. The generated project
//! depends on the framework crates by path when `--volo-path` (or the
//! `VOLO_PATH` environment variable) names a checkout of the framework,
//! else by version from crates.io, where they are not published yet.
//!
//! ```text
//! $ volo init echo idl/echo.thrift
//! $ cd echo && cargo run --bin server      # serves on 127.0.0.1:8080
//! $ cargo run --bin client                 # in another terminal
//! ```

mod error;
mod files;
mod idl;
mod init;
mod repo;
mod stub;
#[cfg(test)]
mod test_dir;
mod yml;

use std::{path::PathBuf, process::ExitCode};

use clap::{ArgAction, Parser, Subcommand};

use crate::{error::CliError, files::Written};

/// The Volo command line tool.
#[derive(Debug, Parser)]
#[command(name = "volo", version, about)]
struct Cli {
    /// Print more (each file written).
    #[arg(short, long, action = ArgAction::Count, global = true)]
    verbose: u8,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Scaffold a project serving an IDL.
    #[command(after_help = "Examples:\n  \
        volo init echo idl/echo.thrift\n  \
        volo init shop idl/shop.thrift -i idl/common --volo-path ../volo\n  \
        VOLO_PATH=../volo volo init echo echo.thrift --force\n  \
        volo init calc tutorial/tutorial.thrift --git https://example.com/org/idl.git -r v1.0")]
    Init {
        /// The project name: the directory, the handler crate and `<name>-gen`.
        name: String,
        /// The Thrift IDL to serve (a path inside the repository with `--git`).
        idl: PathBuf,
        /// A directory searched for included IDL files (repeatable).
        #[arg(short = 'i', long = "include")]
        includes: Vec<PathBuf>,
        /// Take the IDL from this git repository, locked in volo.yml.
        #[arg(long)]
        git: Option<String>,
        /// The branch, tag or commit of `--git` [default: HEAD].
        #[arg(short = 'r', long = "ref", requires = "git")]
        git_ref: Option<String>,
        /// A checkout of the framework, used through path dependencies.
        #[arg(long, env = "VOLO_PATH")]
        volo_path: Option<PathBuf>,
        /// Scaffold into this directory instead of `./<name>`.
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Overwrite existing files.
        #[arg(long)]
        force: bool,
    },
    /// Manage the IDLs of a project.
    Idl {
        #[command(subcommand)]
        command: IdlCommand,
    },
    /// Manage the git repositories IDLs come from.
    Repo {
        #[command(subcommand)]
        command: RepoCommand,
    },
}

#[derive(Debug, Subcommand)]
enum RepoCommand {
    /// Add a git repository to volo.yml, fetched and locked at its ref.
    #[command(after_help = "Examples (inside a project made by `volo init`):\n  \
        volo repo add common --git https://example.com/org/idl.git\n  \
        volo repo add common --git ../idl.git -r v1.2.0 --entry default\n\n\
        Then list its IDLs in volo.yml: `- idl: { source: git, repo: common, path: a.thrift }`.")]
    Add {
        /// The repository's name in volo.yml.
        name: String,
        /// Its URL (anything `git clone` takes).
        #[arg(long)]
        git: String,
        /// The branch, tag or commit [default: HEAD].
        #[arg(short = 'r', long = "ref")]
        git_ref: Option<String>,
        /// The volo.yml entry to add it to (needed when there are several).
        #[arg(long)]
        entry: Option<String>,
    },
    /// Fetch repositories at their refs again and move their locks.
    #[command(after_help = "Examples:\n  volo repo update\n  volo repo update common")]
    Update {
        /// Only this repository.
        name: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum IdlCommand {
    /// Add an IDL to volo.yml, copy it into idl/ and stub its services.
    #[command(after_help = "Examples (inside a project made by `volo init`):\n  \
        volo idl add ../idl/counter.thrift\n  \
        volo idl add ../idl/shop.thrift -i ../idl/common --entry default\n\n\
        Each new service gets a stub impl for the handler crate's `Handler` in\n\
        src/<service>.rs (`Counter` -> src/counter.rs, declared in src/lib.rs);\n\
        an existing file is skipped unless --force. The server binary still\n\
        serves the first service: serve a new one with\n\
        `Server::new(CounterServer::new(Handler))`, or beside the first with\n\
        `volo_thrift::server::Router`. Comments in volo.yml are kept.")]
    Add {
        /// The Thrift IDL to add.
        idl: PathBuf,
        /// A directory searched for included IDL files (repeatable).
        #[arg(short = 'i', long = "include")]
        includes: Vec<PathBuf>,
        /// The volo.yml entry to add it to (needed when there are several).
        #[arg(long)]
        entry: Option<String>,
        /// Overwrite IDL files of the same name in idl/ and existing stub
        /// modules.
        #[arg(long)]
        force: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<(), CliError> {
    let cwd = std::env::current_dir().map_err(CliError::io("."))?;
    match cli.command {
        Command::Init {
            name,
            idl,
            includes,
            git,
            git_ref,
            volo_path,
            dir,
            force,
        } => {
            let dir = dir.unwrap_or_else(|| cwd.join(&name));
            let written = init::init(&init::Init {
                name,
                idl,
                includes,
                volo_path,
                dir: dir.clone(),
                force,
                git: git.map(|url| init::GitIdl { url, git_ref }),
            })?;
            report(&written, cli.verbose);
            println!("created {}", dir.display());
            println!("next:\n  cd {} && cargo run --bin server", dir.display());
            println!("  cargo run --bin client   (in another terminal)");
        }
        Command::Idl {
            command:
                IdlCommand::Add {
                    idl,
                    includes,
                    entry,
                    force,
                },
        } => {
            let added = idl::add(&idl::IdlAdd {
                idl,
                includes,
                entry,
                cwd,
                force,
            })?;
            report(&added.written, cli.verbose);
            for reason in &added.skipped {
                println!("skipped: {reason}");
            }
            for service in &added.moved {
                eprintln!(
                    "warning: the new IDL's module took the namespace of another file, whose module was renamed: `{service}` is no longer at that path; update the code naming it"
                );
            }
            saved(&added.config, added.saved);
            if let Some(handler) = &added.handler_crate {
                for service in &added.services {
                    let server = format!("{service}Server");
                    println!(
                        "serve it: volo_thrift::server::Server::new({server}::new({handler}::Handler))"
                    );
                }
            }
            println!("next: fill in the new stub(s), then `cargo build`");
        }
        Command::Repo {
            command:
                RepoCommand::Add {
                    name,
                    git,
                    git_ref,
                    entry,
                },
        } => {
            let (config, state, lock) = repo::add(&repo::RepoAdd {
                name: name.clone(),
                url: git,
                git_ref,
                entry,
                cwd,
            })?;
            println!("added {name} at {lock}");
            saved(&config, state);
        }
        Command::Repo {
            command: RepoCommand::Update { name },
        } => {
            let updated = repo::update(&cwd, name.as_deref())?;
            for (name, lock) in &updated.locks {
                println!("{name}: {lock}");
            }
            saved(&updated.config, updated.saved);
        }
    }
    Ok(())
}

/// Says that `volo.yml` was updated, and warns if its comments were lost.
fn saved(config: &std::path::Path, saved: yml::Saved) {
    println!("updated {}", config.display());
    if saved == yml::Saved::Rewritten {
        eprintln!(
            "warning: {} has a layout this tool cannot edit in place, so it was rewritten: \
             its comments and formatting were not kept",
            config.display()
        );
    }
}

/// Prints each file's fate at `-v`, else a count.
fn report(written: &[Written], verbose: u8) {
    if verbose == 0 {
        let created = written
            .iter()
            .filter(|w| !matches!(w, Written::Unchanged(_)))
            .count();
        println!("{created} file(s) written");
        return;
    }
    for w in written {
        match w {
            Written::Created(p) => println!("  created   {}", p.display()),
            Written::Replaced(p) => println!("  replaced  {}", p.display()),
            Written::Unchanged(p) => println!("  unchanged {}", p.display()),
        }
    }
}
