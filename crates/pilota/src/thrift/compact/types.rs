//! Compact protocol type ids, zigzag and varints.

use crate::thrift::{DecodeError, TType};

/// The protocol id, the first byte of a compact message.
pub(super) const PROTOCOL_ID: u8 = 0x82;
/// The protocol version in the low 5 bits of the second byte.
pub(super) const VERSION: u8 = 1;
pub(super) const VERSION_MASK: u8 = 0x1f;
pub(super) const TYPE_SHIFT: u8 = 5;

/// Compact `bool` true (field type nibble and element byte).
pub(super) const TRUE: u8 = 1;
/// Compact `bool` false (field type nibble and element byte).
pub(super) const FALSE: u8 = 2;

/// The compact type id of `t` (`bool` elements use 1, as Apache writes).
/// `None` for `Void`, which has no compact form.
#[inline]
pub(super) const fn compact_type(t: TType) -> Option<u8> {
    Some(match t {
        TType::Stop => 0,
        TType::Bool => TRUE,
        TType::I8 => 3,
        TType::I16 => 4,
        TType::I32 => 5,
        TType::I64 => 6,
        TType::Double => 7,
        TType::Binary => 8,
        TType::List => 9,
        TType::Set => 10,
        TType::Map => 11,
        TType::Struct => 12,
        TType::Uuid => 13,
        TType::Void => return None,
    })
}

/// The type of a compact type id (both 1 and 2 mean `bool`).
#[inline]
pub(super) fn ttype(c: u8) -> Result<TType, DecodeError> {
    Ok(match c {
        0 => TType::Stop,
        TRUE | FALSE => TType::Bool,
        3 => TType::I8,
        4 => TType::I16,
        5 => TType::I32,
        6 => TType::I64,
        7 => TType::Double,
        8 => TType::Binary,
        9 => TType::List,
        10 => TType::Set,
        11 => TType::Map,
        12 => TType::Struct,
        13 => TType::Uuid,
        _ => return Err(unknown_compact_type(c)),
    })
}

#[cold]
fn unknown_compact_type(c: u8) -> DecodeError {
    DecodeError::invalid_data(format!("unknown compact type id {c}"))
}

#[inline]
pub(super) const fn zigzag32(n: i32) -> u32 {
    ((n << 1) ^ (n >> 31)) as u32
}

#[inline]
pub(super) const fn zigzag64(n: i64) -> u64 {
    ((n << 1) ^ (n >> 63)) as u64
}

#[inline]
pub(super) const fn unzigzag32(n: u32) -> i32 {
    ((n >> 1) as i32) ^ -((n & 1) as i32)
}

#[inline]
pub(super) const fn unzigzag64(n: u64) -> i64 {
    ((n >> 1) as i64) ^ -((n & 1) as i64)
}

/// The number of bytes of `n` as a varint.
#[inline]
pub(super) const fn varint_len(n: u64) -> usize {
    let bits = 64 - (n | 1).leading_zeros() as usize;
    // `bits.div_ceil(7)` without a division: 9/64 is just above 1/7, and the
    // result is exact for every bit count from 1 to 64 (see the test).
    (bits * 9 + 64) / 64
}

/// Encodes `n` as a varint into `out`, returning the used length.
#[inline]
pub(super) fn encode_varint(mut n: u64, out: &mut [u8; 10]) -> usize {
    let mut i = 0;
    while n >= 0x80 {
        out[i] = (n as u8) | 0x80;
        n >>= 7;
        i += 1;
    }
    out[i] = n as u8;
    i + 1
}

/// Decodes a varint of at most `max_len` bytes from the start of `src`,
/// whose value must fit `max_bits`. Returns the value and its length.
#[inline]
pub(super) fn decode_varint(
    src: &[u8],
    max_len: usize,
    max_bits: u32,
) -> Result<(u64, usize), VarintError> {
    let mut value = 0u64;
    for (i, &b) in src.iter().take(max_len).enumerate() {
        value |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            if max_bits < 64 && value >> max_bits != 0 {
                return Err(VarintError::Overflow);
            }
            if i == 9 && b > 1 {
                return Err(VarintError::Overflow);
            }
            return Ok((value, i + 1));
        }
    }
    if src.len() < max_len {
        Err(VarintError::Eof)
    } else {
        Err(VarintError::TooLong)
    }
}

/// Why a varint did not decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum VarintError {
    /// The input ended inside the varint.
    Eof,
    /// More continuation bytes than the type allows.
    TooLong,
    /// The value does not fit the type.
    Overflow,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zigzag_matches_the_spec_table() {
        for (n, z) in [
            (0, 0),
            (-1, 1),
            (1, 2),
            (-2, 3),
            (i32::MAX, u32::MAX - 1),
            (i32::MIN, u32::MAX),
        ] {
            assert_eq!(zigzag32(n), z);
            assert_eq!(unzigzag32(z), n);
        }
        assert_eq!(zigzag64(i64::MIN), u64::MAX);
        assert_eq!(unzigzag64(u64::MAX), i64::MIN);
    }

    #[test]
    fn varint_len_is_exact_for_every_bit_count() {
        for bits in 0..=64u32 {
            let n = if bits == 0 {
                0
            } else {
                u64::MAX >> (64 - bits)
            };
            let mut out = [0u8; 10];
            assert_eq!(varint_len(n), encode_varint(n, &mut out), "{bits} bits");
            assert_eq!(
                varint_len(n),
                (bits.max(1) as usize).div_ceil(7),
                "{bits} bits"
            );
        }
    }

    #[test]
    fn varint_round_trip_and_spec_example() {
        let mut out = [0u8; 10];
        let n = encode_varint(50399, &mut out);
        assert_eq!(&out[..n], [0xdf, 0x89, 0x03]);
        for v in [0, 1, 127, 128, 16383, 16384, u64::from(u32::MAX), u64::MAX] {
            let n = encode_varint(v, &mut out);
            assert_eq!(n, varint_len(v));
            assert_eq!(decode_varint(&out[..n], 10, 64), Ok((v, n)));
        }
    }

    #[test]
    fn varint_errors() {
        assert_eq!(decode_varint(&[0x80, 0x80], 5, 32), Err(VarintError::Eof));
        assert_eq!(decode_varint(&[0x80; 6], 5, 32), Err(VarintError::TooLong));
        assert_eq!(
            decode_varint(&[0x80; 11], 10, 64),
            Err(VarintError::TooLong)
        );
        assert_eq!(
            decode_varint(&[0xff, 0xff, 0xff, 0xff, 0x1f], 5, 32),
            Err(VarintError::Overflow)
        );
        let mut ten = [0xffu8; 10];
        ten[9] = 0x02;
        assert_eq!(decode_varint(&ten, 10, 64), Err(VarintError::Overflow));
    }
}
