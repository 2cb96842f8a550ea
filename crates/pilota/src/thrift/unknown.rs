//! Fields a decoder did not recognise, kept so they can be written back.

use bytes::Bytes;

use super::TType;

/// The wire protocol that produced an unknown field's raw bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Protocol {
    /// The binary protocol.
    Binary,
    /// The compact protocol.
    Compact,
}

/// One unknown field: its id, wire type, and the raw bytes of its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownField {
    id: i16,
    ttype: TType,
    protocol: Protocol,
    raw: Bytes,
}

impl UnknownField {
    /// The field id.
    pub fn id(&self) -> i16 {
        self.id
    }

    /// The wire type of the value.
    pub fn ttype(&self) -> TType {
        self.ttype
    }

    /// The protocol the raw value is encoded in.
    pub fn protocol(&self) -> Protocol {
        self.protocol
    }

    /// The value's bytes as they were on the wire, without the field header.
    ///
    /// A compact `bool` field has no value bytes (the value is in the header);
    /// it is kept as one byte in the compact element form, `1` for true and
    /// `2` for false.
    pub fn raw(&self) -> &Bytes {
        &self.raw
    }
}

/// The unknown fields of one decoded struct.
///
/// Generated structs keep one of these (when asked to) and pass it to
/// [`TInputProtocol::read_unknown_field`](super::TInputProtocol::read_unknown_field)
/// for every field id they do not know, then to
/// [`TOutputProtocol::write_unknown_fields`](super::TOutputProtocol::write_unknown_fields)
/// before the STOP marker. Each value is a zero-copy slice of the input.
///
/// # Across protocols
///
/// Written with the protocol that read them, fields come back byte for byte.
/// Written with the other protocol, each value is transcoded: decoded from
/// its raw bytes and re-encoded field by field, element by element, so the
/// output is exactly what that protocol would have written for the value
/// (with one exception: an empty compact map carries no key/value types, so
/// it is written to binary with type ids 0). Nothing is dropped silently; if
/// a raw value cannot be transcoded the encode fails with an
/// [`EncodeError`](super::EncodeError).
///
/// Equality compares the raw bytes, so the same fields read from different
/// protocols are not equal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnknownFields {
    fields: Vec<UnknownField>,
}

impl UnknownFields {
    /// No fields.
    pub const fn new() -> Self {
        Self { fields: Vec::new() }
    }

    /// Whether there are no unknown fields.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// The number of unknown fields.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// The fields in the order they were read.
    pub fn iter(&self) -> std::slice::Iter<'_, UnknownField> {
        self.fields.iter()
    }

    /// Removes every field.
    pub fn clear(&mut self) {
        self.fields.clear();
    }

    pub(crate) fn push(&mut self, id: i16, ttype: TType, protocol: Protocol, raw: Bytes) {
        self.fields.push(UnknownField {
            id,
            ttype,
            protocol,
            raw,
        });
    }
}

impl<'a> IntoIterator for &'a UnknownFields {
    type Item = &'a UnknownField;
    type IntoIter = std::slice::Iter<'a, UnknownField>;

    fn into_iter(self) -> Self::IntoIter {
        self.fields.iter()
    }
}
