//! Pilota build: Thrift IDL → Rust, through an IDL-independent model.
//!
//! The pipeline has three layers, each usable alone:
//!
//! 1. [`thrift`]: the Thrift front end — parser, name resolution and diagnostics with
//!    file, line and column.
//! 2. [`lower`] turns the parsed files into a [`model::Model`]: files/modules, messages,
//!    enums, unions, exceptions, aliases, constants (evaluated) and services. The model
//!    knows nothing of Thrift syntax; a Protobuf front end lowers into it too.
//! 3. [`codegen`]: the Rust backend. It emits code with `quote`, formats it with
//!    `prettyplease`, and is extended by [`codegen::Plugin`]s (extra derives and
//!    attributes) and a [`codegen::ServiceBackend`] (RPC glue).
//!
//! [`Builder`] runs all three. The generated code depends only on the `pilota` crate.
//! [`Builder::run_all`] generates several root IDLs into one output (a file they share
//! is generated once), [`Builder::dedup`] merges types that several files define
//! identically, and [`Builder::split`] writes one file per module.
//! The `pilota` binary (`pilota gen [-I DIR]... FILE.thrift [-o OUT.rs]`) is the
//! command-line front end.
//!
//! # Example
//!
//! ```
//! # let dir = std::env::temp_dir().join(format!("pilota-build-doc-{}", std::process::id()));
//! # std::fs::create_dir_all(&dir).unwrap();
//! let idl = dir.join("echo.thrift");
//! std::fs::write(
//!     &idl,
//!     r#"
//!     namespace rs echo
//!     struct Request { 1: required string message }
//!     service Echo { Request echo(1: Request req) }
//!     "#,
//! )
//! .unwrap();
//!
//! let code = pilota_build::Builder::thrift().generate(&idl).unwrap();
//! assert!(code.contains("pub mod echo {"));
//! assert!(code.contains("pub struct Request {"));
//! assert!(code.contains("pub message: ::pilota::FastStr,"));
//! // Each method gets an arguments struct and a result enum.
//! assert!(code.contains("pub struct EchoEchoArgs {"));
//! assert!(code.contains("pub enum EchoEchoResult {"));
//!
//! // A bad IDL gives diagnostics, never a panic.
//! std::fs::write(&idl, "struct A { 1: Missing m }").unwrap();
//! let err = pilota_build::Builder::thrift().generate(&idl).unwrap_err();
//! assert!(err.to_string().contains("echo.thrift:1:15"));
//! # std::fs::remove_dir_all(&dir).unwrap();
//! ```
//!
//! See [`codegen`] for what is generated (requiredness, enums, unions, names) and
//! [`lower::thrift`] for how files become modules.

mod builder;
pub mod codegen;
pub mod lower;
pub mod model;
pub mod thrift;

pub use builder::{Builder, Output};
