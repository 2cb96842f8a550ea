//! Shared by the integration tests: the hand-written `Echo` service and codec
//! helpers.
#![allow(dead_code, unreachable_pub)]

pub mod echo;
pub mod server;

use pilota::thrift::{TMessageIdentifier, TMessageType};
use volo_thrift::{
    EntryMessage,
    codec::{Body, Encoder, Format, Framing, Protocol, ttheader::TTHeader},
};

/// Every format a server can detect and answer in.
pub const ALL_FORMATS: [Format; 10] = [
    Format::new(Framing::TTHeaderFramed, Protocol::Binary),
    Format::new(Framing::TTHeaderFramed, Protocol::BinaryNonStrict),
    Format::new(Framing::TTHeaderFramed, Protocol::Compact),
    Format::new(Framing::TTHeader, Protocol::Binary),
    Format::new(Framing::TTHeader, Protocol::BinaryNonStrict),
    Format::new(Framing::TTHeader, Protocol::Compact),
    Format::new(Framing::Framed, Protocol::Binary),
    Format::new(Framing::Framed, Protocol::Compact),
    Format::new(Framing::Buffered, Protocol::Binary),
    Format::new(Framing::Buffered, Protocol::Compact),
];

/// The buffered non-strict binary format (detectable only unframed).
pub const BUFFERED_NON_STRICT: Format = Format::new(Framing::Buffered, Protocol::BinaryNonStrict);

pub fn call_id(name: &str, seq: i32) -> TMessageIdentifier {
    TMessageIdentifier::new(pilota::FastStr::new(name), TMessageType::Call, seq)
}

/// Encodes one message into bytes.
pub async fn encode_to_vec<T: EntryMessage>(
    format: Format,
    header: Option<&TTHeader>,
    id: &TMessageIdentifier,
    body: &Body<T>,
) -> Vec<u8> {
    let mut enc = Encoder::new(Vec::new());
    enc.send(format, header, id, body).await.expect("encode");
    enc.get_ref().clone()
}
