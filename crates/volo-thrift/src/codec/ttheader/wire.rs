//! TTHeader bytes: decoding a whole frame, computing and writing a header.
//!
//! ```text
//! LENGTH u32 | MAGIC 0x1000 | FLAGS u16 | SEQ u32 | HS u16 | header area (4*HS) | payload
//! header area: PROTOCOL u8 | NTRANS u8 | transforms | info blocks | 0x00 padding
//! ```

use bytes::Bytes;
use faststr::FastStr;
use pilota::WriteBuf;

use super::TTHeader;
use crate::codec::{CodecError, CodecErrorKind};

/// The TTHeader magic, at offset 4.
pub(crate) const MAGIC: [u8; 2] = [0x10, 0x00];
/// LENGTH, MAGIC, FLAGS, SEQUENCE ID and HEADER SIZE.
const FIXED_LEN: usize = 14;
/// What LENGTH counts before the header area: MAGIC .. HEADER SIZE.
const FIXED_AFTER_LENGTH: usize = FIXED_LEN - 4;

/// Strings up to this length are copied out of the frame rather than
/// sharing it: `FastStr` keeps them inline, with no reference count to touch.
const INLINE_STRING: usize = 24;

const INFO_PADDING: u8 = 0x00;
const INFO_KEYVALUE: u8 = 0x01;
const INFO_INTKEYVALUE: u8 = 0x10;
const INFO_ACL_TOKEN: u8 = 0x11;

/// Reads the header area of a frame; every read is checked against the end
/// of the area.
struct Area<'a> {
    frame: &'a Bytes,
    pos: usize,
    end: usize,
}

impl Area<'_> {
    fn take(&mut self, n: usize, what: &str) -> Result<&[u8], CodecError> {
        match self.frame.get(self.pos..self.pos + n) {
            Some(s) if self.pos + n <= self.end => {
                self.pos += n;
                Ok(s)
            }
            _ => Err(invalid(format!(
                "{what} ({n} bytes at offset {}) runs past the header area ending at {}",
                self.pos, self.end
            ))),
        }
    }

    fn u8(&mut self, what: &str) -> Result<u8, CodecError> {
        Ok(self.take(1, what)?[0])
    }

    fn u16(&mut self, what: &str) -> Result<u16, CodecError> {
        let b = self.take(2, what)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }

    fn string(&mut self, what: &str) -> Result<FastStr, CodecError> {
        let len = usize::from(self.u16(what)?);
        let start = self.pos;
        let bytes = self.take(len, what)?;
        // Short strings (most keys and values) are copied inline; longer
        // ones share the frame.
        let s = if len <= INLINE_STRING {
            if bytes.is_ascii() {
                // Nearly every header string is ASCII, checked a word at a
                // time, much faster than full UTF-8 validation.
                // SAFETY: ASCII is valid UTF-8.
                Ok(unsafe { FastStr::new_u8_slice_unchecked(bytes) })
            } else {
                FastStr::new_u8_slice(bytes)
            }
        } else {
            FastStr::from_bytes(self.frame.slice(start..start + len))
        };
        s.map_err(|_| invalid(format!("{what} at offset {start} is not valid UTF-8")))
    }

    /// Checks that `count` items of at least `min` bytes each can fit.
    fn check_count(&self, count: u16, min: usize, what: &str) -> Result<(), CodecError> {
        let need = usize::from(count) * min;
        if need > self.end - self.pos {
            return Err(invalid(format!(
                "{what} count {count} needs at least {need} bytes, only {} left in the header",
                self.end - self.pos
            )));
        }
        Ok(())
    }
}

/// Decodes a whole TTHeader frame (LENGTH included; the caller has checked
/// LENGTH against the frame and the size limit) into its header and payload.
pub(crate) fn decode_frame(frame: Bytes) -> Result<(TTHeader, Bytes), CodecError> {
    let Some(fixed) = frame.first_chunk::<FIXED_LEN>() else {
        return Err(invalid(format!(
            "a TTHeader frame of {} bytes is shorter than its fixed header",
            frame.len()
        )));
    };
    if fixed[4..6] != MAGIC {
        return Err(invalid(format!("bad TTHeader magic {:02x?}", &fixed[4..6])));
    }
    let flags = u16::from_be_bytes([fixed[6], fixed[7]]);
    let seq_id = i32::from_be_bytes([fixed[8], fixed[9], fixed[10], fixed[11]]);
    let header_size = usize::from(u16::from_be_bytes([fixed[12], fixed[13]])) * 4;
    decode_area(&frame, header_size)
        .map(|mut h| {
            h.flags = flags;
            h.seq_id = seq_id;
            let payload = frame.slice(FIXED_LEN + header_size..);
            (h, payload)
        })
        .map_err(|e| e.with_seq_id(Some(seq_id)))
}

fn decode_area(frame: &Bytes, header_size: usize) -> Result<TTHeader, CodecError> {
    if header_size == 0 {
        return Err(invalid(
            "TTHeader header size 0 leaves no room for the protocol id",
        ));
    }
    let end = FIXED_LEN + header_size;
    if end > frame.len() {
        return Err(invalid(format!(
            "TTHeader header size {header_size} runs past the frame of {} bytes",
            frame.len()
        )));
    }
    let mut area = Area {
        frame,
        pos: FIXED_LEN,
        end,
    };
    let mut h = TTHeader::new();
    h.protocol_id = area.u8("protocol id")?;
    let transforms = area.u8("transform count")?;
    if transforms > 0 {
        let ids = area.take(usize::from(transforms), "transform ids")?;
        return Err(CodecError::new(
            CodecErrorKind::Unsupported,
            format!("TTHeader transforms {ids:02x?} are not supported"),
        ));
    }
    while area.pos < area.end {
        match area.u8("info id")? {
            INFO_PADDING => {}
            INFO_KEYVALUE => {
                let count = area.u16("string key/value count")?;
                area.check_count(count, 4, "string key/value")?;
                h.str_kvs.reserve(usize::from(count));
                for _ in 0..count {
                    let k = area.string("string key")?;
                    let v = area.string("string value")?;
                    h.str_kvs.push((k, v));
                }
            }
            INFO_INTKEYVALUE => {
                let count = area.u16("int key/value count")?;
                area.check_count(count, 4, "int key/value")?;
                h.int_kvs.reserve(usize::from(count));
                for _ in 0..count {
                    let k = area.u16("int key")?;
                    let v = area.string("int key value")?;
                    h.int_kvs.push((k, v));
                }
            }
            INFO_ACL_TOKEN => h.acl_token = Some(area.string("ACL token")?),
            id => return Err(invalid(format!("unknown TTHeader info id {id:#04x}"))),
        }
    }
    Ok(h)
}

/// The length of `h` on the wire from MAGIC up to the payload: the number
/// LENGTH counts besides the payload.
pub(crate) fn header_len(h: &TTHeader) -> Result<usize, CodecError> {
    let mut area = 2;
    if let Some(token) = &h.acl_token {
        area += 1 + string_len(token)?;
    }
    if !h.str_kvs.is_empty() {
        count(h.str_kvs.len())?;
        area += 3;
        for (k, v) in &h.str_kvs {
            area += string_len(k)? + string_len(v)?;
        }
    }
    if !h.int_kvs.is_empty() {
        count(h.int_kvs.len())?;
        area += 3;
        for (_, v) in &h.int_kvs {
            area += 2 + string_len(v)?;
        }
    }
    let padded = area.next_multiple_of(4);
    if padded / 4 > usize::from(u16::MAX) {
        return Err(too_big(format!(
            "a TTHeader header area of {padded} bytes is over the limit of {}",
            4 * usize::from(u16::MAX)
        )));
    }
    Ok(FIXED_AFTER_LENGTH + padded)
}

/// What the encoder writes into a header besides the [`TTHeader`] itself.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FrameInfo {
    /// The message's sequence id (Kitex and Volo repeat it in the header).
    pub(crate) seq_id: i32,
    /// The payload's protocol id.
    pub(crate) protocol_id: u8,
    /// What [`header_len`] returned for the header.
    pub(crate) header_len: usize,
    /// The payload's length.
    pub(crate) payload_len: usize,
}

/// Writes the frame up to the payload: LENGTH (`header_len + payload_len`),
/// the fixed fields and the header area. The total must fit a `u32` (the
/// caller checks the frame size limit).
pub(crate) fn write_header<B: WriteBuf>(
    h: &TTHeader,
    buf: &mut B,
    info: FrameInfo,
) -> Result<(), CodecError> {
    let FrameInfo {
        seq_id,
        protocol_id,
        header_len,
        payload_len,
    } = info;
    let length = u32::try_from(header_len + payload_len)
        .map_err(|_| too_big("a TTHeader frame longer than u32::MAX"))?;
    let area_len = header_len - FIXED_AFTER_LENGTH;
    let header_size = u16::try_from(area_len / 4)
        .map_err(|_| too_big("a TTHeader header area over the limit"))?;
    buf.write_slice(&length.to_be_bytes());
    buf.write_slice(&MAGIC);
    buf.write_slice(&h.flags.to_be_bytes());
    buf.write_slice(&seq_id.to_be_bytes());
    buf.write_slice(&header_size.to_be_bytes());
    buf.write_slice(&[protocol_id, 0]);
    let mut written = 2;
    if let Some(token) = &h.acl_token {
        buf.write_u8(INFO_ACL_TOKEN);
        written += 1 + put_string(buf, token);
    }
    if !h.str_kvs.is_empty() {
        buf.write_u8(INFO_KEYVALUE);
        buf.write_slice(&(h.str_kvs.len() as u16).to_be_bytes());
        written += 3;
        for (k, v) in &h.str_kvs {
            written += put_string(buf, k) + put_string(buf, v);
        }
    }
    if !h.int_kvs.is_empty() {
        buf.write_u8(INFO_INTKEYVALUE);
        buf.write_slice(&(h.int_kvs.len() as u16).to_be_bytes());
        written += 3;
        for (k, v) in &h.int_kvs {
            buf.write_slice(&k.to_be_bytes());
            written += 2 + put_string(buf, v);
        }
    }
    const PADDING: [u8; 3] = [0; 3];
    buf.write_slice(&PADDING[..area_len - written]);
    Ok(())
}

/// Writes a string whose length [`string_len`] has checked.
fn put_string<B: WriteBuf>(buf: &mut B, s: &str) -> usize {
    buf.write_slice(&(s.len() as u16).to_be_bytes());
    buf.write_slice(s.as_bytes());
    2 + s.len()
}

fn string_len(s: &str) -> Result<usize, CodecError> {
    if s.len() > usize::from(u16::MAX) {
        return Err(too_big(format!(
            "a TTHeader string of {} bytes is longer than {}",
            s.len(),
            u16::MAX
        )));
    }
    Ok(2 + s.len())
}

fn count(n: usize) -> Result<(), CodecError> {
    if n > usize::from(u16::MAX) {
        return Err(too_big(format!(
            "{n} TTHeader key/values are more than {}",
            u16::MAX
        )));
    }
    Ok(())
}

#[cold]
fn invalid(message: impl Into<std::borrow::Cow<'static, str>>) -> CodecError {
    CodecError::new(CodecErrorKind::InvalidFrame, message)
}

#[cold]
fn too_big(message: impl Into<std::borrow::Cow<'static, str>>) -> CodecError {
    CodecError::new(CodecErrorKind::Encode, message)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    /// The worked example of the TTHeader wire notes: TTHeader + Framed +
    /// strict binary, `Echo`, seq 1, persistent `k=v`, TO_METHOD and
    /// RPC_TIMEOUT=1000.
    pub(crate) const WORKED_EXAMPLE: [u8; 79] = [
        0x00, 0x00, 0x00, 0x4b, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x0b, 0x00,
        0x00, 0x01, 0x00, 0x01, 0x00, 0x0d, 0x52, 0x50, 0x43, 0x5f, 0x50, 0x45, 0x52, 0x53, 0x49,
        0x53, 0x54, 0x5f, 0x6b, 0x00, 0x01, 0x76, 0x10, 0x00, 0x02, 0x00, 0x09, 0x00, 0x04, 0x45,
        0x63, 0x68, 0x6f, 0x00, 0x0c, 0x00, 0x04, 0x31, 0x30, 0x30, 0x30, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x11, 0x80, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x04, 0x45, 0x63, 0x68, 0x6f, 0x00,
        0x00, 0x00, 0x01, 0x00,
    ];

    #[test]
    fn worked_example_decodes_and_reencodes_byte_for_byte() {
        let frame = Bytes::from_static(&WORKED_EXAMPLE);
        let (h, payload) = decode_frame(frame).unwrap();
        assert_eq!(h.seq_id(), 1);
        assert_eq!(h.flags(), 0);
        assert_eq!(h.protocol_id(), 0);
        assert_eq!(h.str_kv("RPC_PERSIST_k").map(|v| v.as_str()), Some("v"));
        assert_eq!(h.to_method().map(|v| v.as_str()), Some("Echo"));
        assert_eq!(h.rpc_timeout(), Some(Duration::from_secs(1)));
        assert_eq!(&payload[..4], &[0, 0, 0, 0x11]);
        assert_eq!(payload.len(), 21);

        let mut out = Vec::new();
        let len = header_len(&h).unwrap();
        assert_eq!(len, 10 + 44);
        let info = FrameInfo {
            seq_id: h.seq_id(),
            protocol_id: h.protocol_id(),
            header_len: len,
            payload_len: payload.len(),
        };
        write_header(&h, &mut out, info).unwrap();
        out.extend_from_slice(&payload);
        assert_eq!(out, WORKED_EXAMPLE);
    }

    fn frame_with_area(area: &[u8]) -> Bytes {
        let mut f = vec![0, 0, 0, 0, 0x10, 0, 0, 0, 0, 0, 0, 9];
        f.extend_from_slice(&((area.len() / 4) as u16).to_be_bytes());
        f.extend_from_slice(area);
        let len = (f.len() - 4) as u32;
        f[..4].copy_from_slice(&len.to_be_bytes());
        Bytes::from(f)
    }

    fn err(area: &[u8]) -> CodecError {
        decode_frame(frame_with_area(area)).unwrap_err()
    }

    #[test]
    fn hostile_headers_are_typed_errors() {
        // String key/value count far beyond the area.
        let e = err(&[0, 0, 0x01, 0xff, 0xff, 0, 0, 0]);
        assert_eq!(e.kind(), CodecErrorKind::InvalidFrame);
        assert_eq!(e.seq_id(), Some(9));
        // A string length past the area.
        assert_eq!(
            err(&[0, 0, 0x11, 0x00, 0x09, b'a', 0, 0]).kind(),
            CodecErrorKind::InvalidFrame
        );
        // Int KV count beyond the area.
        assert_eq!(
            err(&[0, 0, 0x10, 0x00, 0x02, 0, 1, 0]).kind(),
            CodecErrorKind::InvalidFrame
        );
        // Unknown info id.
        assert_eq!(err(&[0, 0, 0x07, 0]).kind(), CodecErrorKind::InvalidFrame);
        // A transform.
        assert_eq!(err(&[0, 1, 0x01, 0]).kind(), CodecErrorKind::Unsupported);
        // Invalid UTF-8.
        assert_eq!(
            err(&[0, 0, 0x11, 0x00, 0x01, 0xff, 0, 0]).kind(),
            CodecErrorKind::InvalidFrame
        );
        // Header size 0.
        assert_eq!(err(&[]).kind(), CodecErrorKind::InvalidFrame);
    }

    #[test]
    fn header_size_beyond_frame_is_rejected() {
        let mut f = frame_with_area(&[0, 0, 0, 0]).to_vec();
        f[13] = 200;
        let e = decode_frame(Bytes::from(f)).unwrap_err();
        assert_eq!(e.kind(), CodecErrorKind::InvalidFrame);
        assert!(e.message().contains("past the frame"));
    }

    #[test]
    fn padding_blocks_and_acl_token_are_read() {
        let (h, payload) =
            decode_frame(frame_with_area(&[2, 0, 0, 0x11, 0, 2, b'o', b'k'])).unwrap();
        assert_eq!(h.protocol_id(), 2);
        assert_eq!(h.acl_token().map(|t| t.as_str()), Some("ok"));
        assert!(payload.is_empty());
    }

    #[test]
    fn oversized_strings_cannot_be_encoded() {
        let mut h = TTHeader::new();
        h.set_str_kv("k", FastStr::from_string("x".repeat(70_000)));
        assert_eq!(header_len(&h).unwrap_err().kind(), CodecErrorKind::Encode);
    }
}
