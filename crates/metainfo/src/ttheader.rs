//! MetaInfo in TTHeader string key/values (the Kitex/Volo `INFO_KEYVALUE` block).
//!
//! | MetaInfo kind | wire key | direction |
//! |---|---|---|
//! | persistent `x` | `RPC_PERSIST_x` | request; the server stores it as persistent `x` |
//! | transient `x` | `RPC_TRANSIT_x` | request; the server stores it as upstream `x` |
//! | backward `x` | `RPC_BACKWARD_x` | response; the client stores it as downstream `x` |
//!
//! Prefixes are matched exactly (case-sensitive) and the key after the prefix is kept
//! as it is, sharing the buffer of the received key. Values pass through untouched.
//!
//! The encoders skip pairs TTHeader cannot carry: an empty key (the receiver could not
//! tell it from a bare prefix), and a wire key or value longer than
//! [`MAX_STRING_LEN`] bytes (TTHeader strings have a `u16` length).
//!
//! ```
//! use faststr::FastStr;
//! use metainfo::{MetaInfo, ttheader};
//!
//! // Client: write the request pairs.
//! let mut client = MetaInfo::new();
//! client.set_persistent("tenant", "blue");
//! client.set_transient("debug", "1");
//! let mut wire: Vec<(FastStr, FastStr)> = ttheader::request_pairs(&client)
//!     .map(|(k, v)| (k.to_fast_str(), v.clone()))
//!     .collect();
//! wire.push(("isn".into(), "EchoService".into())); // a transport's own key
//! wire.sort();
//!
//! // Server: store what it received; keys that are not MetaInfo are left to the caller.
//! let mut server = MetaInfo::new();
//! let mut others = Vec::new();
//! for (k, v) in &wire {
//!     if !ttheader::store_request_pair(&mut server, k, v) {
//!         others.push(k.as_str());
//!     }
//! }
//! assert_eq!(others, ["isn"]);
//! assert_eq!(server.get_persistent("tenant").map(|v| v.as_str()), Some("blue"));
//! assert_eq!(server.get_upstream("debug").map(|v| v.as_str()), Some("1"));
//! ```

use faststr::FastStr;

use crate::MetaInfo;
use crate::kv::Kind;
use crate::wire::{Form, Pairs};

/// Prefix of persistent values in requests.
pub const PERSIST_PREFIX: &str = "RPC_PERSIST_";
/// Prefix of transient values in requests.
pub const TRANSIT_PREFIX: &str = "RPC_TRANSIT_";
/// Prefix of backward values in responses.
pub const BACKWARD_PREFIX: &str = "RPC_BACKWARD_";
/// The longest string (wire key or value) a TTHeader header can carry.
pub const MAX_STRING_LEN: usize = u16::MAX as usize;

/// Client sending: the persistent values as `RPC_PERSIST_x`, then the transient values
/// as `RPC_TRANSIT_x`. Upstream, backward and downstream values are never sent.
pub fn request_pairs(mi: &MetaInfo) -> Pairs<'_> {
    Pairs::new(
        Form::TtHeader,
        (PERSIST_PREFIX, mi.get_all_persistents()),
        Some((TRANSIT_PREFIX, mi.get_all_transients())),
    )
}

/// Server replying: the backward values as `RPC_BACKWARD_x`.
pub fn response_pairs(mi: &MetaInfo) -> Pairs<'_> {
    Pairs::new(
        Form::TtHeader,
        (BACKWARD_PREFIX, mi.get_all_backwards()),
        None,
    )
}

/// Server receiving: stores `RPC_PERSIST_x` as persistent `x` and `RPC_TRANSIT_x` as
/// upstream `x`, and returns `true`.
///
/// Returns `false` and stores nothing for any other key, so the transport can handle
/// its own keys (`isn`, `crrst`, ...); this includes a key that is exactly a prefix
/// (no name after it) and prefixes in another case (`rpc_persist_x`).
pub fn store_request_pair(mi: &mut MetaInfo, key: &FastStr, value: &FastStr) -> bool {
    if let Some(name) = strip(key, PERSIST_PREFIX) {
        mi.set_kv(Kind::Persistent, name, value.clone());
    } else if let Some(name) = strip(key, TRANSIT_PREFIX) {
        mi.set_kv(Kind::Upstream, name, value.clone());
    } else {
        return false;
    }
    true
}

/// Client receiving: stores `RPC_BACKWARD_x` as downstream `x` and returns `true`;
/// returns `false` and stores nothing for any other key (see [`store_request_pair`]).
pub fn store_response_pair(mi: &mut MetaInfo, key: &FastStr, value: &FastStr) -> bool {
    match strip(key, BACKWARD_PREFIX) {
        Some(name) => {
            mi.set_kv(Kind::Downstream, name, value.clone());
            true
        }
        None => false,
    }
}

/// The non-empty name after `prefix`, sharing `key`'s buffer.
fn strip(key: &FastStr, prefix: &str) -> Option<FastStr> {
    let name = key.strip_prefix(prefix).filter(|name| !name.is_empty())?;
    Some(key.slice_ref(name))
}

pub(crate) fn sendable(prefix: &str, key: &str, value: &str) -> bool {
    !key.is_empty() && prefix.len() + key.len() <= MAX_STRING_LEN && value.len() <= MAX_STRING_LEN
}
