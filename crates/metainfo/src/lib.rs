#![doc = include_str!("../README.md")]

mod kv;
mod meta_info;
mod task;
mod type_map;
mod wire;

pub mod http2;
pub mod ttheader;

pub use kv::Iter;
pub use meta_info::MetaInfo;
pub use task::{
    AccessError, METAINFO, scope, scope_and_take, spawn, with_current, with_current_mut,
};
pub use type_map::TypeMap;
pub use wire::{Pairs, WireKey};
