//! Decodes arbitrary bytes with the binary protocol: into the test struct that
//! uses every type, into a self-describing value tree, as a message, and by
//! skipping a value of any type. Nothing may panic, and whatever decodes must
//! round-trip.

#![no_main]

#[path = "../../tests/common/all_types.rs"]
#[allow(dead_code)]
mod all_types;
mod common;
#[path = "../../tests/common/value.rs"]
#[allow(dead_code)]
mod value;

use libfuzzer_sys::fuzz_target;
use pilota::{
    Bytes,
    thrift::{DecodeError, EncodeError, Message, binary},
};

struct Codec;

impl common::Codec for Codec {
    type Input = binary::TBinaryInputProtocol;

    fn input(bytes: Bytes) -> Self::Input {
        binary::TBinaryInputProtocol::new(bytes)
    }

    fn encode<M: Message>(value: &M) -> Result<Bytes, EncodeError> {
        binary::encode(value)
    }

    fn decode<M: Message>(bytes: Bytes) -> Result<M, DecodeError> {
        binary::decode(bytes)
    }

    fn size<M: Message>(value: &M) -> usize {
        value.size(&mut binary::TBinaryLengthProtocol::new())
    }
}

fuzz_target!(|data: &[u8]| common::check::<Codec>(data));
