//! This repository's runtime and generated code.

use bytes::{Bytes, BytesMut};
use codec_ours::bench::{Item, Request};
use codec_ours::pilota::{
    FastStr,
    thrift::{
        DecodeError, EncodeError, Message,
        binary::{self, TBinaryLengthProtocol, TBinaryProtocol},
        compact::{self, TCompactLengthProtocol, TCompactProtocol},
    },
};

use crate::sample::Sample;

/// The generated request type.
pub type Value = Request;

/// Builds the generated value from `sample`.
pub fn build(sample: &Sample) -> Request {
    Request {
        request_id: sample.request_id,
        user_id: sample.user_id,
        shard: sample.shard,
        attempt: sample.attempt,
        service_name: FastStr::new(&sample.service_name),
        method_name: FastStr::new(&sample.method_name),
        caller: FastStr::new(&sample.caller),
        trace_id: FastStr::new(&sample.trace_id),
        body: FastStr::new(&sample.body),
        dry_run: sample.dry_run,
        score: sample.score,
        items: sample
            .items
            .iter()
            .map(|item| Item {
                id: item.id,
                name: FastStr::new(&item.name),
                sku: FastStr::new(&item.sku),
                quantity: item.quantity,
                price_cents: item.price_cents,
                ..Item::default()
            })
            .collect(),
        tags: sample
            .tags
            .iter()
            .map(|(k, v)| (FastStr::new(k), FastStr::new(v)))
            .collect(),
        attachment: sample.attachment.clone().map(Bytes::from),
        ..Request::default()
    }
}

/// The exact binary size, as a server computes it before encoding.
pub fn binary_size(value: &Request) -> usize {
    value.size(&mut TBinaryLengthProtocol::new())
}

/// Encodes into `buf` (cleared first) the way a server does: exact size,
/// one reservation, then the binary protocol.
pub fn encode_binary(value: &Request, buf: &mut BytesMut) -> Result<(), EncodeError> {
    buf.clear();
    buf.reserve(binary_size(value));
    value.encode(&mut TBinaryProtocol::new(&mut *buf))
}

/// Decodes a whole binary-encoded request (zero-copy: strings are slices of
/// `bytes`).
pub fn decode_binary(bytes: Bytes) -> Result<Request, DecodeError> {
    binary::decode(bytes)
}

/// The exact compact size.
pub fn compact_size(value: &Request) -> usize {
    value.size(&mut TCompactLengthProtocol::new())
}

/// Like [`encode_binary`], with the compact protocol.
pub fn encode_compact(value: &Request, buf: &mut BytesMut) -> Result<(), EncodeError> {
    buf.clear();
    buf.reserve(compact_size(value));
    value.encode(&mut TCompactProtocol::new(&mut *buf))
}

/// Decodes a whole compact-encoded request.
pub fn decode_compact(bytes: Bytes) -> Result<Request, DecodeError> {
    compact::decode(bytes)
}
