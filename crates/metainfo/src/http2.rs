//! MetaInfo in HTTP/2 (gRPC) headers.
//!
//! | MetaInfo kind | header | direction |
//! |---|---|---|
//! | persistent `X` | `rpc-persist-x` | request; the server stores it as persistent `X` |
//! | transient `X` | `rpc-transit-x` | request; the server stores it as upstream `X` |
//! | backward `X` | `rpc-backward-x` | response headers; the client stores it as downstream `X` |
//!
//! # Key conversion
//! HTTP/2 header names are lower-case, so keys follow the CGI-variable convention the
//! Go metainfo library uses for HTTP headers: a key is sent lower-cased with `_` turned
//! into `-`, and a received name is upper-cased with `-` turned into `_`. `USER_ID`
//! travels as `rpc-persist-user-id` and arrives as `USER_ID`; a key that is not already
//! upper-case with `_` separators does not survive the trip unchanged (`user-id` also
//! arrives as `USER_ID`). Use TTHeader, which keeps keys as they are, when that matters.
//!
//! # What is skipped when sending
//! The encoders yield only pairs that make a valid gRPC header, and skip the others:
//! - an empty key, or a key with a character other than ASCII letters, digits, `_`, `-`
//!   and `.` (gRPC header names allow only `0-9 a-z _ - .`);
//! - a key whose header name ends in `-bin` (`bin`, `X_BIN`, `x-bin`): gRPC would
//!   treat the header as binary and expect a base64 value;
//! - a value with a byte outside printable ASCII (`0x20..=0x7E`), as gRPC requires of
//!   ASCII header values.
//!
//! # Receiving
//! Prefixes are matched ignoring ASCII case. A name that is exactly a prefix, another
//! prefix, or a value that is not UTF-8 is not stored (`false`), so the transport can
//! handle the header itself. Received values are otherwise taken as they are.
//!
//! ```
//! use metainfo::{MetaInfo, http2};
//!
//! let mut server = MetaInfo::new();
//! server.set_backward("COST_MS", "3");
//! server.set_backward("bad key", "skipped: space in the name");
//! let headers: Vec<(String, String)> = http2::response_pairs(&server)
//!     .map(|(name, value)| (name.to_string(), value.to_string()))
//!     .collect();
//! assert_eq!(headers, [("rpc-backward-cost-ms".to_string(), "3".to_string())]);
//!
//! let mut client = MetaInfo::new();
//! for (name, value) in &headers {
//!     assert!(http2::store_response_pair(&mut client, name, value.as_bytes()));
//! }
//! assert!(!http2::store_response_pair(&mut client, "content-type", b"application/grpc"));
//! assert_eq!(client.get_downstream("COST_MS").map(|v| v.as_str()), Some("3"));
//! ```

use faststr::FastStr;

use crate::MetaInfo;
use crate::kv::Kind;
use crate::wire::{Form, Pairs};

/// Header-name prefix of persistent values in requests.
pub const PERSIST_PREFIX: &str = "rpc-persist-";
/// Header-name prefix of transient values in requests.
pub const TRANSIT_PREFIX: &str = "rpc-transit-";
/// Header-name prefix of backward values in responses.
pub const BACKWARD_PREFIX: &str = "rpc-backward-";

/// Client sending: the persistent values as `rpc-persist-x` headers, then the transient
/// values as `rpc-transit-x`. Upstream, backward and downstream values are never sent.
pub fn request_pairs(mi: &MetaInfo) -> Pairs<'_> {
    Pairs::new(
        Form::Http2,
        (PERSIST_PREFIX, mi.get_all_persistents()),
        Some((TRANSIT_PREFIX, mi.get_all_transients())),
    )
}

/// Server replying: the backward values as `rpc-backward-x` headers.
pub fn response_pairs(mi: &MetaInfo) -> Pairs<'_> {
    Pairs::new(Form::Http2, (BACKWARD_PREFIX, mi.get_all_backwards()), None)
}

/// Server receiving: stores header `rpc-persist-x` as persistent `X` and `rpc-transit-x`
/// as upstream `X`, and returns `true`; returns `false` and stores nothing for other
/// headers (see the [module docs](self)).
pub fn store_request_pair(mi: &mut MetaInfo, name: &str, value: &[u8]) -> bool {
    if let Some(key) = strip(name, PERSIST_PREFIX) {
        store(mi, Kind::Persistent, key, value)
    } else if let Some(key) = strip(name, TRANSIT_PREFIX) {
        store(mi, Kind::Upstream, key, value)
    } else {
        false
    }
}

/// Client receiving: stores header `rpc-backward-x` as downstream `X` and returns
/// `true`; returns `false` and stores nothing for other headers.
pub fn store_response_pair(mi: &mut MetaInfo, name: &str, value: &[u8]) -> bool {
    match strip(name, BACKWARD_PREFIX) {
        Some(key) => store(mi, Kind::Downstream, key, value),
        None => false,
    }
}

fn store(mi: &mut MetaInfo, kind: Kind, key: &str, value: &[u8]) -> bool {
    let Ok(value) = FastStr::new_u8_slice(value) else {
        return false;
    };
    let key = key.chars().map(wire_char_to_key).collect();
    mi.set_kv(kind, key, value);
    true
}

/// The non-empty name after `prefix`, matching the prefix ignoring ASCII case.
fn strip<'n>(name: &'n str, prefix: &str) -> Option<&'n str> {
    let (head, rest) = name.split_at_checked(prefix.len())?;
    (head.eq_ignore_ascii_case(prefix) && !rest.is_empty()).then_some(rest)
}

/// A key character as it goes on the wire (keys sent are ASCII, so lengths are kept).
pub(crate) fn key_char_to_wire(c: char) -> char {
    match c {
        '_' => '-',
        c => c.to_ascii_lowercase(),
    }
}

fn wire_char_to_key(c: char) -> char {
    match c {
        '-' => '_',
        c => c.to_ascii_uppercase(),
    }
}

pub(crate) fn sendable(key: &str, value: &str) -> bool {
    let key_ok = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
    // The prefix ends in `-`, so the header name ends in `-bin` when the key is `bin` or
    // ends in `-bin` / `_bin`.
    let binary = key.eq_ignore_ascii_case("bin")
        || key.get(key.len().saturating_sub(4)..).is_some_and(|tail| {
            tail.eq_ignore_ascii_case("-bin") || tail.eq_ignore_ascii_case("_bin")
        });
    let value_ok = value.bytes().all(|b| (0x20..=0x7E).contains(&b));
    key_ok && !binary && value_ok
}
