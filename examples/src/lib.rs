//! Runnable scenarios for the Volo Thrift framework, one binary each under
//! `src/bin` (run one with `cargo run -p examples --bin <name>`):
//!
//! | binary | shows |
//! |---|---|
//! | `hello` | a generated server and client, a typed declared exception |
//! | `multi_service` | two IDL services on one port, routed by TTHeader `isn` |
//! | `oneway` | oneway calls, then a normal call that sees their effect |
//! | `metainfo` | persistent, transient and backward values over A → B → C |
//! | `graceful_shutdown` | in-flight calls finish when the server stops |
//!
//! The IDL files are in `idl/`; `build.rs` turns them into Rust with
//! `volo-build`, and this library includes the generated modules. It also
//! has [`spawn`], which runs a server in the background on 127.0.0.1.
//!
//! ```
//! use examples::greeter::{Greeter, GreeterClient, GreeterHandlerError, GreeterGreetException, GreeterServer};
//! use pilota::FastStr;
//!
//! struct Hello;
//!
//! impl Greeter for Hello {
//!     async fn greet(&self, name: FastStr) -> Result<FastStr, GreeterHandlerError<GreeterGreetException>> {
//!         Ok(format!("hello, {name}").into())
//!     }
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), motore::BoxError> {
//! let server = examples::spawn(volo_thrift::server::Server::new(GreeterServer::new(Hello))).await?;
//! let client = GreeterClient::builder("greeter").address(server.addr).build();
//! assert_eq!(client.greet("doc".into()).await?, "hello, doc");
//! server.stop().await?;
//! # Ok(())
//! # }
//! ```

mod running;

pub use running::{Running, spawn};

// The generated code: one module per IDL namespace.
include!(concat!(env!("OUT_DIR"), "/greeter.rs"));
include!(concat!(env!("OUT_DIR"), "/multi.rs"));
include!(concat!(env!("OUT_DIR"), "/tally.rs"));
include!(concat!(env!("OUT_DIR"), "/hop.rs"));
include!(concat!(env!("OUT_DIR"), "/slow.rs"));
