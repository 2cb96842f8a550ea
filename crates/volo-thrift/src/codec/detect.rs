//! Telling transports apart from the first bytes of a connection.
//!
//! | first bytes | transport |
//! |---|---|
//! | `50 52 49 20` (`PRI `) | HTTP/2 preface: [`NotThrift`](CodecErrorKind::NotThrift) |
//! | `FF AF ..` | Kitex mesh header: unsupported |
//! | `80 01` | buffered strict binary |
//! | `82`, version 1 | buffered compact |
//! | bytes 4..6 = `10 00` | TTHeader (inner framing and protocol read per frame) |
//! | bytes 4..6 = `80 01` | framed strict binary |
//! | byte 4 = `82`, version 1 | framed compact |
//! | bytes 4..6 = `90 01` | framed Kitex Protobuf: unsupported |
//! | bytes 4..6 = `0F FF` | Apache THeader: unsupported |
//! | `00`, none of the above | buffered non-strict binary |
//!
//! Anything else is [`UnknownProtocol`](CodecErrorKind::UnknownProtocol). A
//! decision is made only once enough bytes are there; until then the answer
//! is "need more".

use super::{CodecError, CodecErrorKind};

/// The transport family of a connection, fixed once detected. The protocol
/// and (for TTHeader) the inner framing are read from each frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Transport {
    Buffered,
    Framed,
    TTHeader,
}

const HTTP2_PREFACE: &[u8; 4] = b"PRI ";

/// Detects the transport from the first bytes of a connection: `Ok(None)`
/// when more bytes are needed to decide.
pub(crate) fn detect(buf: &[u8]) -> Result<Option<Transport>, CodecError> {
    let Some(&b0) = buf.first() else {
        return Ok(None);
    };
    if b0 == HTTP2_PREFACE[0] {
        let n = buf.len().min(HTTP2_PREFACE.len());
        if buf[..n] == HTTP2_PREFACE[..n] {
            if n < HTTP2_PREFACE.len() {
                return Ok(None);
            }
            return Err(CodecError::new(
                CodecErrorKind::NotThrift,
                "the peer sent the HTTP/2 client preface",
            ));
        }
    }
    if matches!(b0, 0x80 | 0x82 | 0xff) {
        let Some(&b1) = buf.get(1) else {
            return Ok(None);
        };
        return match (b0, b1) {
            (0x80, 0x01) => Ok(Some(Transport::Buffered)),
            (0x82, v) if v & 0x1f == 1 => Ok(Some(Transport::Buffered)),
            (0xff, 0xaf) => Err(unsupported("the Kitex mesh header")),
            _ => Err(unknown(buf)),
        };
    }
    let Some(&[b4, b5]) = buf.get(4..6) else {
        return Ok(None);
    };
    match (b4, b5) {
        (0x10, 0x00) => Ok(Some(Transport::TTHeader)),
        (0x80, 0x01) => Ok(Some(Transport::Framed)),
        (0x82, v) if v & 0x1f == 1 => Ok(Some(Transport::Framed)),
        (0x90, 0x01) => Err(unsupported("Kitex Protobuf")),
        (0x0f, 0xff) => Err(unsupported("Apache THeader")),
        // A bad version; never the start of a UTF-8 method name either.
        (0x80 | 0x82, _) => Err(unknown(buf)),
        _ if b0 == 0 => Ok(Some(Transport::Buffered)),
        _ => Err(unknown(buf)),
    }
}

#[cold]
fn unsupported(what: &str) -> CodecError {
    CodecError::new(
        CodecErrorKind::Unsupported,
        format!("{what} is not supported"),
    )
}

#[cold]
fn unknown(buf: &[u8]) -> CodecError {
    let head = &buf[..buf.len().min(8)];
    CodecError::new(
        CodecErrorKind::UnknownProtocol,
        format!("the first bytes {head:02x?} match no thrift transport"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    type Outcome = Result<Option<Transport>, CodecErrorKind>;

    fn kind(buf: &[u8]) -> Outcome {
        detect(buf).map_err(|e| e.kind())
    }

    #[test]
    fn detection_table() {
        use CodecErrorKind::*;
        use Transport::*;
        let cases: &[(&[u8], Outcome)] = &[
            (b"", Ok(None)),
            (b"P", Ok(None)),
            (b"PRI", Ok(None)),
            (b"PRI * HTTP/2.0", Err(NotThrift)),
            (&[0x80], Ok(None)),
            (&[0x80, 0x01, 0x00, 0x01], Ok(Some(Buffered))),
            (&[0x80, 0x02], Err(UnknownProtocol)),
            (&[0x82], Ok(None)),
            (&[0x82, 0x21], Ok(Some(Buffered))),
            (&[0x82, 0x22], Err(UnknownProtocol)),
            (&[0xff, 0xaf, 0, 0], Err(Unsupported)),
            (&[0, 0, 0, 0x2a, 0x10], Ok(None)),
            (&[0, 0, 0, 0x2a, 0x10, 0x00], Ok(Some(TTHeader))),
            (&[0, 0, 0, 0x2a, 0x80, 0x01], Ok(Some(Framed))),
            (&[0, 0, 0, 0x2a, 0x82, 0x21], Ok(Some(Framed))),
            (&[0, 0, 0, 0x2a, 0x82, 0x25], Err(UnknownProtocol)),
            (&[0, 0, 0, 0x2a, 0x80, 0x02], Err(UnknownProtocol)),
            (&[0, 0, 0, 0x2a, 0x90, 0x01], Err(Unsupported)),
            (&[0, 0, 0, 0x2a, 0x0f, 0xff], Err(Unsupported)),
            (&[0, 0, 0, 4, b'E', b'c', b'h', b'o'], Ok(Some(Buffered))),
            (&[0x7f, 0xff, 0xff, 0xff, 0x80, 0x01], Ok(Some(Framed))),
            (&[0x47, 0x45, 0x54, 0x20, 0x2f, 0x20], Err(UnknownProtocol)),
            (b"PUT / HTTP/1.1", Err(UnknownProtocol)),
        ];
        for (input, want) in cases {
            assert_eq!(&kind(input), want, "input {input:02x?}");
        }
    }
}
