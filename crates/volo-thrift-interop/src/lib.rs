//! Interop tests between volo-thrift and Apache Thrift's Python library.
//!
//! `idl/interop.thrift` declares one service, `Interop`, that uses every
//! Thrift type Apache Thrift 0.17 has (scalars, containers nested in
//! containers, an enum, nested structs, optional and default fields), a
//! method with two declared exceptions, a void method and a oneway method.
//! It is implemented twice, with the same deterministic answers:
//!
//! - in Rust, by [`Handler`], over the code volo-build generates
//!   ([`interop`]);
//! - in Python, by `py/server.py`, over the code `thrift --gen py` generates.
//!
//! The tests in `tests/python.rs` run Apache's Python client (`py/client.py`)
//! against a volo-thrift server, and the generated volo-thrift client against
//! the Python server, for binary and compact protocols over framed and
//! buffered transports. They need the `thrift` compiler and Python's `thrift`
//! package (the workspace's `scripts/setup.sh` installs both).
//!
//! # Example
//!
//! The Rust side alone: a volo-thrift server of [`Handler`], called by the
//! generated client in one of the formats the Python peer speaks.
//!
//! ```
//! use std::net::SocketAddr;
//!
//! use volo::net::{ListenOptions, Listener};
//! use volo_thrift::{codec::{Format, Framing, Protocol}, server::Server};
//! use volo_thrift_interop::{Handler, interop::{InteropClient, InteropServer, Suit}};
//!
//! # #[tokio::main]
//! # async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
//! let addr: SocketAddr = "127.0.0.1:0".parse()?;
//! let listener = Listener::bind(addr, ListenOptions::new()).await?;
//! let addr = *listener.local_addr()?.as_ip().ok_or("not an IP address")?;
//! let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
//! let server = tokio::spawn(Server::new(InteropServer::new(Handler::new())).run_with_shutdown(
//!     listener,
//!     async {
//!         let _ = stopped.await;
//!     },
//! ));
//!
//! let client = InteropClient::builder("interop")
//!     .address(addr)
//!     .format(Format::new(Framing::Framed, Protocol::Compact))
//!     .build();
//! let reply = client
//!     .scalars(true, 1, 2, 3, 4, 5, 0.5, "abc".into(), "xyz".into(), Suit::SPADES)
//!     .await?;
//! assert!(!reply.flag);
//! assert_eq!((reply.tiny, reply.small, reply.num, reply.ratio), (-1, 3, 8, 1.0));
//! assert_eq!(reply.text.as_deref(), Some("cba"));
//! assert_eq!(reply.suit, Suit::CLUBS);
//!
//! let _ = stop.send(());
//! server.await??;
//! # Ok(())
//! # }
//! ```

mod handler;

pub use self::handler::Handler;

include!(concat!(env!("OUT_DIR"), "/interop.rs"));
