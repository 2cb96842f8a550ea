//! What the TTHeader and HTTP/2 encoders share: the wire key and the pair iterator.

use std::fmt::{self, Write as _};
use std::iter::FusedIterator;

use faststr::FastStr;

use crate::kv::Iter;
use crate::{http2, ttheader};

/// The wire format a key is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    TtHeader,
    Http2,
}

impl Form {
    fn sendable(self, prefix: &str, key: &str, value: &str) -> bool {
        match self {
            Form::TtHeader => ttheader::sendable(prefix, key, value),
            Form::Http2 => http2::sendable(key, value),
        }
    }
}

/// A key as it goes on the wire: a kind prefix followed by the MetaInfo key.
///
/// It borrows the key instead of building the joined string, so a transport can write
/// it straight into its buffer (its [`Display`](fmt::Display) writes the wire key; a
/// `BytesMut` or `String` is a `fmt::Write`), or make an owned copy with
/// [`to_fast_str`](Self::to_fast_str).
///
/// For TTHeader the wire key is the prefix and the key unchanged. For HTTP/2 the key
/// is written lower-case with `_` as `-` (see [`http2`](crate::http2)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WireKey<'a> {
    prefix: &'static str,
    key: &'a str,
    form: Form,
}

impl<'a> WireKey<'a> {
    /// The kind prefix, such as `RPC_PERSIST_` or `rpc-persist-`.
    pub fn prefix(&self) -> &'static str {
        self.prefix
    }

    /// The MetaInfo key, as stored (before any HTTP/2 case conversion).
    pub fn key(&self) -> &'a str {
        self.key
    }

    /// The length in bytes of the wire key (the HTTP/2 conversion keeps lengths).
    pub fn encoded_len(&self) -> usize {
        self.prefix.len() + self.key.len()
    }

    /// The wire key as an owned string (kept inline, without a heap allocation, when it
    /// is short).
    pub fn to_fast_str(&self) -> FastStr {
        match self.form {
            Form::TtHeader => self.prefix.chars().chain(self.key.chars()).collect(),
            Form::Http2 => self
                .prefix
                .chars()
                .chain(self.key.chars().map(http2::key_char_to_wire))
                .collect(),
        }
    }
}

impl fmt::Display for WireKey<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.prefix)?;
        match self.form {
            Form::TtHeader => f.write_str(self.key),
            Form::Http2 => self
                .key
                .chars()
                .try_for_each(|c| f.write_char(http2::key_char_to_wire(c))),
        }
    }
}

impl PartialEq<str> for WireKey<'_> {
    fn eq(&self, other: &str) -> bool {
        match other.split_at_checked(self.prefix.len()) {
            Some((prefix, rest)) if prefix == self.prefix => match self.form {
                Form::TtHeader => rest == self.key,
                Form::Http2 => {
                    rest.len() == self.key.len()
                        && rest
                            .chars()
                            .zip(self.key.chars())
                            .all(|(w, k)| w == http2::key_char_to_wire(k))
                }
            },
            _ => false,
        }
    }
}

impl PartialEq<&str> for WireKey<'_> {
    fn eq(&self, other: &&str) -> bool {
        *self == **other
    }
}

/// Iterator over the `(wire key, value)` pairs a transport sends, returned by
/// [`ttheader::request_pairs`], [`http2::response_pairs`] and their siblings.
///
/// Pairs the format cannot carry are skipped; each module documents which.
#[derive(Debug, Clone)]
pub struct Pairs<'a> {
    form: Form,
    prefix: &'static str,
    current: Iter<'a>,
    next: Option<(&'static str, Iter<'a>)>,
}

impl<'a> Pairs<'a> {
    pub(crate) fn new(
        form: Form,
        (prefix, current): (&'static str, Iter<'a>),
        next: Option<(&'static str, Iter<'a>)>,
    ) -> Self {
        Pairs {
            form,
            prefix,
            current,
            next,
        }
    }
}

impl<'a> Iterator for Pairs<'a> {
    type Item = (WireKey<'a>, &'a FastStr);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            match self.current.next() {
                Some((key, value)) => {
                    if self.form.sendable(self.prefix, key, value) {
                        let wire = WireKey {
                            prefix: self.prefix,
                            key,
                            form: self.form,
                        };
                        return Some((wire, value));
                    }
                }
                None => {
                    (self.prefix, self.current) = self.next.take()?;
                }
            }
        }
    }
}

impl FusedIterator for Pairs<'_> {}
