//! Volo build: code generation for Volo services, from a build script.
//!
//! [`ConfigBuilder`] generates everything a `volo.yml` lists (see
//! [`config`]); [`thrift::Builder`] takes the IDL files directly.
//!
//! [`thrift::Builder`] turns Thrift IDL into Rust: the types (through
//! pilota-build) and, for every IDL service, the volo-thrift glue written by
//! [`thrift::VoloThriftBackend`]. A crate that includes the generated code
//! depends on `volo-thrift` and `pilota` only.
//!
//! For `service Echo { EchoMsg echo(1: EchoMsg msg) throws (1: EchoError err) }`
//! the generated module holds, next to the IDL types:
//!
//! | item | what it is |
//! |---|---|
//! | `trait Echo` | the handler: `fn echo(&self, msg: EchoMsg) -> impl Future<Output = Result<EchoMsg, EchoHandlerError<EchoEchoException>>> + Send` |
//! | `EchoServer<H: Echo>` | the `motore` service for `volo_thrift::server::Server::new` |
//! | `EchoClient`, `EchoClientBuilder` | a typed client: `client.echo(msg).await -> Result<EchoMsg, EchoCallError<EchoEchoException>>` |
//! | `EchoRequest`, `EchoResponse` | every request and response (`EntryMessage`, `NamedService`) |
//! | `EchoEchoException` | the declared exceptions of `echo` |
//! | `EchoHandlerError<E>`, `EchoCallError<E>` | a declared exception or another failure, on each side |
//!
//! Errors on each side:
//!
//! - A handler method with declared exceptions returns `EchoHandlerError`:
//!   `Exception` is sent as the method's result, as the IDL declares;
//!   `Other(error)` becomes an `ApplicationException` (the error itself if it
//!   is one, else `INTERNAL_ERROR` with its text). Each exception type
//!   converts into it: `Err(EchoError { .. }.into())`. Methods without
//!   declared exceptions return a `BoxError`, so `?` works on any error.
//!   A business status (Kitex's biz status error: a normal reply whose
//!   TTHeader carries a code and message) is such an error:
//!   `Err(BizStatus::new(1001, "over quota").into())`, or
//!   `EchoHandlerError::other(BizStatus::new(..))`; see
//!   `volo_thrift::codec::ttheader::BizStatus`.
//! - A client method with declared exceptions returns `EchoCallError`:
//!   `Exception` (typed) or `Client(ClientError)`; other methods return
//!   volo-thrift's `ClientError`. Oneway methods return `Result<(), ClientError>`
//!   once the request is written.
//!
//! Handler and client methods take the IDL arguments in order. An argument
//! of default requiredness that pilota-build stores as an `Option` (not a
//! scalar, no default value) is passed as a plain value: a caller that left
//! it out gives the handler its default value. Names that are Rust keywords
//! become raw identifiers (`r#type`); an IDL method named like a generated
//! client's own method (`builder`, `client`, `clone`, `from_client`, `new`,
//! `with_call_opt`) gets a `_2` suffix, in the trait too.
//!
//! A service that `extends` another gets the other's handler trait as a
//! supertrait; its server and client cover the inherited methods too.
//!
//! A generated name that an IDL item of the same module already has (say a
//! struct `EchoClient`) is a diagnostic, not broken code.
//!
//! # Example
//!
//! `build.rs`:
//!
//! ```no_run
//! volo_build::thrift::Builder::new()
//!     .add_idl("idl/echo.thrift")
//!     .write_or_exit();
//! ```
//!
//! `src/main.rs`:
//!
//! ```ignore
//! include!(concat!(env!("OUT_DIR"), "/echo.rs"));
//! use echo::{Echo, EchoClient, EchoError, EchoHandlerError, EchoEchoException, EchoMsg, EchoServer};
//!
//! struct Handler;
//!
//! impl Echo for Handler {
//!     async fn echo(&self, msg: EchoMsg) -> Result<EchoMsg, EchoHandlerError<EchoEchoException>> {
//!         if msg.text.is_empty() {
//!             return Err(EchoError { reason: Some("empty".into()), ..Default::default() }.into());
//!         }
//!         Ok(msg)
//!     }
//! }
//!
//! // Serve:
//! volo_thrift::server::Server::new(EchoServer::new(Handler)).run(addr).await?;
//! // Call:
//! let client = EchoClient::builder("echo").address(addr).build();
//! let reply = client.echo(EchoMsg { text: "hi".into(), ..Default::default() }).await?;
//! ```
//!
//! Generating code without writing it (what the builder does per IDL):
//!
//! ```
//! # let dir = std::env::temp_dir().join(format!("volo-build-doc-{}", std::process::id()));
//! # std::fs::create_dir_all(&dir).unwrap();
//! let idl = dir.join("echo.thrift");
//! std::fs::write(&idl, "namespace rs echo\nservice Echo { string echo(1: string msg) }").unwrap();
//! let generated = volo_build::thrift::Builder::new().generate(&idl).unwrap();
//! assert!(generated.code.contains("pub trait Echo:"));
//! assert!(generated.code.contains("pub struct EchoClient {"));
//! assert_eq!(generated.inputs, [idl.clone()]);
//!
//! // A bad IDL is a typed error listing its diagnostics, never a panic.
//! std::fs::write(&idl, "service Echo { Missing echo() }").unwrap();
//! let diagnostics = volo_build::thrift::Builder::new().generate(&idl).unwrap_err();
//! assert!(diagnostics.to_string().contains("echo.thrift:1:16"));
//! # std::fs::remove_dir_all(&dir).unwrap();
//! ```

pub mod config;
pub mod thrift;

pub use config::ConfigBuilder;
