//! The harness of the interop tests: child processes, the Python peer and
//! our server.

pub(crate) mod process;
pub(crate) mod python;
pub(crate) mod server;
