#![doc = include_str!("../README.md")]

pub mod context;
pub mod discovery;
pub mod loadbalance;
pub mod net;
