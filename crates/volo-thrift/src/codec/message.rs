//! Decoding a [`Frame`]'s message and encoding a message in a [`Format`].

use pilota::{
    LinkedBytes, WriteBuf,
    thrift::{
        ApplicationException, EncodeError, Message, TInputProtocol, TLengthProtocol,
        TMessageIdentifier, TMessageType, TOutputProtocol,
        binary::{TBinaryInputProtocol, TBinaryLengthProtocol, TBinaryProtocol},
        compact::{TCompactInputProtocol, TCompactLengthProtocol, TCompactProtocol},
    },
};

use super::{
    CodecError, CodecErrorKind, Format, Frame, Framing, Protocol,
    ttheader::{self, FrameInfo, TTHeader},
};
use crate::EntryMessage;

/// What follows a message header: a service's request or response, or the
/// `TApplicationException` of an Exception message.
#[derive(Debug, Clone, PartialEq)]
pub enum Body<T> {
    /// A Call, Oneway or Reply body.
    Message(T),
    /// The body of an Exception message.
    Exception(ApplicationException),
}

/// A borrowed [`Body`], what the encoder works from.
#[derive(Debug)]
pub(crate) enum BodyRef<'a, T> {
    Message(&'a T),
    Exception(&'a ApplicationException),
}

impl<T> Clone for BodyRef<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for BodyRef<'_, T> {}

impl<'a, T> From<&'a Body<T>> for BodyRef<'a, T> {
    fn from(body: &'a Body<T>) -> Self {
        match body {
            Body::Message(m) => BodyRef::Message(m),
            Body::Exception(e) => BodyRef::Exception(e),
        }
    }
}

impl Frame {
    /// Decodes the message: its header, then the body as `T` (or as an
    /// [`ApplicationException`] for an Exception message), for the IDL
    /// service the TTHeader `isn` names (see
    /// [`EntryMessage::decode_for_service`]).
    ///
    /// Errors carry the sequence id when it could be read (from the message
    /// header, or else from the TTHeader header).
    pub fn decode<T: EntryMessage>(&self) -> Result<(TMessageIdentifier, Body<T>), CodecError> {
        let payload = self.payload.clone();
        let service = self
            .header
            .as_ref()
            .and_then(TTHeader::isn)
            .map(|s| s.as_str());
        match self.format.protocol {
            Protocol::Binary | Protocol::BinaryNonStrict => {
                let mut p = TBinaryInputProtocol::new(payload);
                let out = decode_with(&mut p, service)?;
                p.finish().map_err(|e| trailing(e, &out.0))?;
                Ok(out)
            }
            Protocol::Compact => {
                let mut p = TCompactInputProtocol::new(payload);
                let out = decode_with(&mut p, service)?;
                p.finish().map_err(|e| trailing(e, &out.0))?;
                Ok(out)
            }
        }
        .map_err(|e: CodecError| e.with_seq_id(self.header.as_ref().map(TTHeader::seq_id)))
    }
}

impl Frame {
    /// The message header alone.
    pub(crate) fn message_id(&self) -> Result<TMessageIdentifier, CodecError> {
        let payload = self.payload.clone();
        Ok(match self.format.protocol {
            Protocol::Binary | Protocol::BinaryNonStrict => {
                TBinaryInputProtocol::new(payload).read_message_begin()?
            }
            Protocol::Compact => TCompactInputProtocol::new(payload).read_message_begin()?,
        })
    }
}

fn trailing(e: pilota::thrift::DecodeError, id: &TMessageIdentifier) -> CodecError {
    CodecError::from(e).with_seq_id(Some(id.sequence_number))
}

fn decode_with<P: TInputProtocol, T: EntryMessage>(
    p: &mut P,
    service: Option<&str>,
) -> Result<(TMessageIdentifier, Body<T>), CodecError> {
    let id = p.read_message_begin()?;
    let seq_id = Some(id.sequence_number);
    let body = match id.message_type {
        TMessageType::Exception => ApplicationException::decode(p)
            .map(Body::Exception)
            .map_err(CodecError::from),
        _ => T::decode_for_service(p, &id, service).map(Body::Message),
    }
    .and_then(|body| {
        p.read_message_end()?;
        Ok(body)
    })
    .map_err(|e| e.with_seq_id(seq_id))?;
    Ok((id, body))
}

/// Big messages reserve at most this much up front: their big strings and
/// binaries are linked into the buffer, not copied, so reserving their full
/// size would waste memory.
const MAX_RESERVE: usize = 64 * 1024;

/// Encodes one message in `format` into `out`. For TTHeader framings,
/// `header` supplies the flags and key/values (an empty header if `None`);
/// its sequence id and protocol id are taken from `id` and `format`.
///
/// On error, `out` may hold part of the message: the caller drops it.
pub(crate) fn encode<T: EntryMessage>(
    out: &mut LinkedBytes,
    format: Format,
    header: Option<&TTHeader>,
    id: &TMessageIdentifier,
    body: BodyRef<'_, T>,
    max_frame_size: usize,
) -> Result<(), CodecError> {
    let strict = format.protocol != Protocol::BinaryNonStrict;
    let msg_len = match format.protocol {
        Protocol::Binary | Protocol::BinaryNonStrict => message_len(
            &mut TBinaryLengthProtocol::new().with_strict_write(strict),
            id,
            body,
        ),
        Protocol::Compact => message_len(&mut TCompactLengthProtocol::new(), id, body),
    };
    let empty = TTHeader::new();
    let header = header.unwrap_or(&empty);
    // What the frame length counts (the whole message when unframed), and
    // for TTHeader the header length and the payload length.
    let (frame_len, tt) = match format.framing {
        Framing::Buffered | Framing::Framed => (msg_len, None),
        Framing::TTHeader | Framing::TTHeaderFramed => {
            let payload_len = msg_len
                + if format.framing == Framing::TTHeaderFramed {
                    4
                } else {
                    0
                };
            let header_len = ttheader::header_len(header)?;
            let info = FrameInfo {
                seq_id: id.sequence_number,
                protocol_id: if format.protocol == Protocol::Compact {
                    2
                } else {
                    0
                },
                header_len,
                payload_len,
            };
            (header_len + payload_len, Some(info))
        }
    };
    if frame_len > max_frame_size {
        return Err(CodecError::new(
            CodecErrorKind::FrameTooLarge,
            format!("an outgoing frame of {frame_len} bytes is over the limit of {max_frame_size}"),
        )
        .with_seq_id(Some(id.sequence_number)));
    }
    let total = if format.framing == Framing::Buffered {
        frame_len
    } else {
        4 + frame_len
    };
    out.reserve(total.min(MAX_RESERVE));
    let start = out.len();
    if let Some(info) = tt {
        ttheader::write_header(header, out, info)?;
    }
    if matches!(format.framing, Framing::Framed | Framing::TTHeaderFramed) {
        out.write_slice(&(msg_len as u32).to_be_bytes());
    }
    match format.protocol {
        Protocol::Binary | Protocol::BinaryNonStrict => write_message(
            &mut TBinaryProtocol::new(&mut *out).with_strict_write(strict),
            id,
            body,
        )?,
        Protocol::Compact => write_message(&mut TCompactProtocol::new(&mut *out), id, body)?,
    }
    let written = out.len() - start;
    if written != total {
        return Err(CodecError::new(
            CodecErrorKind::Encode,
            format!("the message's size() said {total} bytes but encode() wrote {written}"),
        )
        .with_seq_id(Some(id.sequence_number)));
    }
    Ok(())
}

fn message_len<L: TLengthProtocol, T: EntryMessage>(
    l: &mut L,
    id: &TMessageIdentifier,
    body: BodyRef<'_, T>,
) -> usize {
    let body_len = match body {
        BodyRef::Message(m) => m.size(l),
        BodyRef::Exception(e) => e.size(l),
    };
    l.message_begin_len(id) + body_len + l.message_end_len()
}

fn write_message<P: TOutputProtocol, T: EntryMessage>(
    p: &mut P,
    id: &TMessageIdentifier,
    body: BodyRef<'_, T>,
) -> Result<(), EncodeError> {
    p.write_message_begin(id)?;
    match body {
        BodyRef::Message(m) => m.encode(p)?,
        BodyRef::Exception(e) => e.encode(p)?,
    }
    p.write_message_end()
}
