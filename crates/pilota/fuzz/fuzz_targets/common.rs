//! What both targets check, generic over the protocol.

use pilota::{
    Bytes,
    thrift::{DecodeError, EncodeError, Message, TInputProtocol, TType},
};

use crate::{all_types::AllTypes, value::DynStruct};

/// One protocol's entry points, so both targets share the checks.
pub(crate) trait Codec {
    type Input: TInputProtocol;
    fn input(bytes: Bytes) -> Self::Input;
    fn encode<M: Message>(value: &M) -> Result<Bytes, EncodeError>;
    fn decode<M: Message>(bytes: Bytes) -> Result<M, DecodeError>;
    fn size<M: Message>(value: &M) -> usize;
}

const TYPES: [TType; 14] = [
    TType::Stop,
    TType::Void,
    TType::Bool,
    TType::I8,
    TType::Double,
    TType::I16,
    TType::I32,
    TType::I64,
    TType::Binary,
    TType::Struct,
    TType::Map,
    TType::Set,
    TType::List,
    TType::Uuid,
];

/// Whatever decodes must re-encode to its exact size and decode to the same
/// value; nothing may panic.
fn round_trip<C: Codec, M: Message + PartialEq + std::fmt::Debug>(input: &Bytes) {
    if let Ok(value) = C::decode::<M>(input.clone()) {
        let bytes = C::encode(&value).expect("a decoded value re-encodes");
        assert_eq!(bytes.len(), C::size(&value), "size() is exact");
        let again = C::decode::<M>(bytes).expect("a re-encoded value decodes");
        assert_eq!(again, value);
    }
}

pub(crate) fn check<C: Codec>(data: &[u8]) {
    let input = Bytes::copy_from_slice(data);
    round_trip::<C, AllTypes>(&input);
    round_trip::<C, DynStruct>(&input);

    let mut p = C::input(input.clone());
    if p.read_message_begin().is_ok() {
        let _ = DynStruct::decode(&mut p);
    }

    // The first byte picks a type to skip over the rest.
    if let Some((&first, rest)) = data.split_first() {
        let t = TYPES[usize::from(first) % TYPES.len()];
        let _ = C::input(Bytes::copy_from_slice(rest)).skip(t);
    }
}
