//! Cutting frames out of the read buffer: framed, TTHeader and buffered
//! (unframed) transports.

use bytes::{Bytes, BytesMut};
use pilota::thrift::{
    DecodeError, DecodeErrorKind, DecodeLimits, TInputProtocol, TType,
    binary::TBinaryInputProtocol, compact::TCompactInputProtocol,
};

use super::{
    CodecError, CodecErrorKind, Format, Framing, Protocol,
    detect::Transport,
    ttheader::{self, TTHeader},
};

/// One message as it came off the wire, not yet decoded: its [`Format`], its
/// TTHeader header if it had one, and the bare protocol message (any frame
/// length already stripped), a slice of the read buffer.
#[derive(Debug, Clone)]
pub struct Frame {
    pub(crate) format: Format,
    pub(crate) header: Option<TTHeader>,
    pub(crate) payload: Bytes,
}

impl Frame {
    /// The format the message came in; a reply goes back in the same one.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The TTHeader header, for TTHeader framings.
    pub fn header(&self) -> Option<&TTHeader> {
        self.header.as_ref()
    }

    /// Takes the TTHeader header out of the frame.
    pub fn take_header(&mut self) -> Option<TTHeader> {
        self.header.take()
    }

    /// The protocol message: header and struct.
    pub fn payload(&self) -> &Bytes {
        &self.payload
    }
}

/// The outcome of looking for a frame in the read buffer.
#[derive(Debug)]
pub(crate) enum Parsed {
    /// A whole frame, removed from the buffer.
    Frame(Frame),
    /// Not enough bytes: at least this many must be buffered in all.
    Need(usize),
}

/// Cuts the next frame of `transport` out of `buf`, if it is all there.
///
/// Every declared length is checked against `max` before anything is
/// buffered for it.
pub(crate) fn parse(
    transport: Transport,
    buf: &mut BytesMut,
    max: usize,
) -> Result<Parsed, CodecError> {
    match transport {
        Transport::Framed => parse_framed(buf, max),
        Transport::TTHeader => parse_ttheader(buf, max),
        Transport::Buffered => parse_buffered(buf, max),
    }
}

/// The value of a 4-byte big-endian length prefix, once 4 bytes are there.
fn length_prefix(buf: &[u8]) -> Option<u32> {
    buf.first_chunk::<4>().map(|b| u32::from_be_bytes(*b))
}

fn too_large(what: &str, len: u64, max: usize) -> CodecError {
    CodecError::new(
        CodecErrorKind::FrameTooLarge,
        format!("{what} of {len} bytes is over the limit of {max}"),
    )
}

fn parse_framed(buf: &mut BytesMut, max: usize) -> Result<Parsed, CodecError> {
    let Some(len) = length_prefix(buf) else {
        return Ok(Parsed::Need(4));
    };
    if len > i32::MAX as u32 || len as usize > max {
        return Err(too_large("a frame", u64::from(len), max));
    }
    let total = 4 + len as usize;
    if buf.len() < total {
        return Ok(Parsed::Need(total));
    }
    let payload = buf.split_to(total).freeze().slice(4..);
    let Some(&first) = payload.first() else {
        return Err(CodecError::new(
            CodecErrorKind::InvalidFrame,
            "an empty frame",
        ));
    };
    Ok(Parsed::Frame(Frame {
        format: Format::new(Framing::Framed, Protocol::of_first_byte(first)),
        header: None,
        payload,
    }))
}

fn parse_ttheader(buf: &mut BytesMut, max: usize) -> Result<Parsed, CodecError> {
    let Some(len) = length_prefix(buf) else {
        return Ok(Parsed::Need(4));
    };
    if len as usize > max || len > 0x3fff_ffff {
        return Err(too_large("a TTHeader frame", u64::from(len), max));
    }
    if let Some(magic) = buf.get(4..6)
        && magic != ttheader::MAGIC
    {
        return Err(CodecError::new(
            CodecErrorKind::InvalidFrame,
            format!("bad TTHeader magic {magic:02x?}"),
        ));
    }
    let total = 4 + len as usize;
    if buf.len() < total {
        return Ok(Parsed::Need(total));
    }
    let (header, payload) = ttheader::decode_frame(buf.split_to(total).freeze())?;
    let seq_id = Some(header.seq_id());
    let protocol = match header.protocol_id() {
        0 => Protocol::Binary,
        2 | 3 => Protocol::Compact,
        4 => {
            return Err(CodecError::new(
                CodecErrorKind::Unsupported,
                "Kitex Protobuf payloads are not supported",
            )
            .with_seq_id(seq_id));
        }
        id => {
            return Err(CodecError::new(
                CodecErrorKind::InvalidFrame,
                format!("unknown TTHeader protocol id {id:#04x}"),
            )
            .with_seq_id(seq_id));
        }
    };
    // An inner frame length is exactly the rest of the payload; a bare
    // message never starts that way (a strict or compact header is over
    // 2 GiB read as a length, a non-strict name cannot fill the message).
    let (framing, payload) = match length_prefix(&payload) {
        Some(inner) if inner as usize == payload.len() - 4 => {
            (Framing::TTHeaderFramed, payload.slice(4..))
        }
        _ => (Framing::TTHeader, payload),
    };
    let protocol = match (protocol, payload.first()) {
        (Protocol::Binary, Some(&first)) => Protocol::of_first_byte(first),
        (protocol, _) => protocol,
    };
    Ok(Parsed::Frame(Frame {
        format: Format::new(framing, protocol),
        header: Some(header),
        payload,
    }))
}

fn parse_buffered(buf: &mut BytesMut, max: usize) -> Result<Parsed, CodecError> {
    let Some(&first) = buf.first() else {
        return Ok(Parsed::Need(1));
    };
    let protocol = Protocol::of_first_byte(first);
    // The input protocols read from `Bytes`: freeze the buffer for the scan
    // and take it back afterwards (without a copy unless earlier frames still
    // share its memory).
    let frozen = std::mem::take(buf).freeze();
    let scanned = message_len(frozen.slice(..frozen.len().min(max)), protocol, max);
    *buf = frozen
        .try_into_mut()
        .unwrap_or_else(|shared| BytesMut::from(&shared[..]));
    match scanned {
        Ok(len) => Ok(Parsed::Frame(Frame {
            format: Format::new(Framing::Buffered, protocol),
            header: None,
            payload: buf.split_to(len).freeze(),
        })),
        Err(Scan::Incomplete) if buf.len() >= max => {
            Err(too_large("a buffered message", buf.len() as u64, max))
        }
        Err(Scan::Incomplete) => Ok(Parsed::Need(buf.len() + 1)),
        Err(Scan::Invalid(e)) => Err(e),
    }
}

enum Scan {
    Incomplete,
    Invalid(CodecError),
}

/// The length of the message at the start of `buf`, found by skipping its
/// header and struct.
fn message_len(buf: Bytes, protocol: Protocol, max: usize) -> Result<usize, Scan> {
    let limits = DecodeLimits::new()
        .with_max_string_len(max)
        .with_max_container_len(max);
    match protocol {
        Protocol::Binary | Protocol::BinaryNonStrict => {
            let mut p = TBinaryInputProtocol::with_limits(buf, limits);
            skip_message(&mut p)?;
            Ok(p.position())
        }
        Protocol::Compact => {
            let mut p = TCompactInputProtocol::with_limits(buf, limits);
            skip_message(&mut p)?;
            Ok(p.position())
        }
    }
}

fn skip_message<P: TInputProtocol>(p: &mut P) -> Result<(), Scan> {
    let id = p.read_message_begin().map_err(|e| scan_error(e, None))?;
    let seq_id = Some(id.sequence_number);
    p.skip(TType::Struct)
        .and_then(|()| p.read_message_end())
        .map_err(|e| scan_error(e, seq_id))
}

fn scan_error(e: DecodeError, seq_id: Option<i32>) -> Scan {
    match e.kind() {
        DecodeErrorKind::Eof => Scan::Incomplete,
        DecodeErrorKind::SizeLimit => Scan::Invalid(
            CodecError::new(CodecErrorKind::FrameTooLarge, e.message().to_owned())
                .with_seq_id(seq_id),
        ),
        _ => Scan::Invalid(CodecError::from(e).with_seq_id(seq_id)),
    }
}
