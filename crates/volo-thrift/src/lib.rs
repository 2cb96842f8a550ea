#![doc = include_str!("../README.md")]

pub mod __codegen;
pub mod client;
pub mod codec;
mod context;
mod entry;
pub mod server;
pub mod transport;
mod util;

pub use self::{
    context::{ClientContext, ClientInfo, ServerContext, ServerInfo},
    entry::EntryMessage,
};
