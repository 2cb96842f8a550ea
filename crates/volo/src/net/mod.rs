//! Networking: addresses, connections, dialing and listening.
//!
//! - [`Address`]: an IP socket address or a Unix domain socket path, with a text form.
//! - [`Conn`]: an established connection, TCP or Unix, usable with tokio's I/O traits
//!   and splittable into owned halves ([`SplitIo`]: what a server needs of a
//!   connection).
//! - [`Dialer`]: a [`motore::Service`] from [`Address`] to [`Conn`], so connection
//!   pools and multiplexers compose over it.
//! - [`Listener`] and [`ListenOptions`]: bound sockets with their options, and the
//!   [`Incoming`] trait a server loop accepts from.

mod address;
mod conn;
mod dial;
mod incoming;

pub use address::{Address, AddressParseError};
pub use conn::{Conn, OwnedReadHalf, OwnedWriteHalf, SplitIo};
pub use dial::Dialer;
pub use incoming::{Incoming, ListenOptions, Listener};
