#![doc = include_str!("../README.md")]

pub mod codec;
mod context;
mod entry;
pub mod server;

pub use self::{
    context::{ServerContext, ServerInfo},
    entry::EntryMessage,
};
