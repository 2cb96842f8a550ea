//! A hand-written `Echo` service, exactly as the code generator will write it:
//!
//! ```thrift
//! struct EchoMsg { 1: required string text, 2: i64 n, 3: optional binary blob }
//! exception EchoError { 1: string reason }
//! service Echo {
//!     EchoMsg echo(1: EchoMsg msg) throws (1: EchoError err)
//!     oneway void notify(1: string text)
//! }
//! ```

use pilota::{
    Bytes, FastStr,
    thrift::{
        DecodeError, EncodeError, Message, TInputProtocol, TLengthProtocol, TMessageIdentifier,
        TOutputProtocol, TType,
    },
};
use volo_thrift::{EntryMessage, codec::CodecError};

#[derive(Debug, Clone, PartialEq, Default)]
pub struct EchoMsg {
    pub text: FastStr,
    pub n: i64,
    pub blob: Option<Bytes>,
}

impl Message for EchoMsg {
    fn encode<P: TOutputProtocol>(&self, p: &mut P) -> Result<(), EncodeError> {
        p.write_struct_begin("EchoMsg")?;
        p.write_field_begin(TType::Binary, 1)?;
        p.write_faststr(&self.text)?;
        p.write_field_end()?;
        p.write_field_begin(TType::I64, 2)?;
        p.write_i64(self.n)?;
        p.write_field_end()?;
        if let Some(blob) = &self.blob {
            p.write_field_begin(TType::Binary, 3)?;
            p.write_bytes(blob)?;
            p.write_field_end()?;
        }
        p.write_field_stop()?;
        p.write_struct_end()
    }

    fn decode<P: TInputProtocol>(p: &mut P) -> Result<Self, DecodeError> {
        let (mut text, mut n, mut blob) = (None, 0, None);
        p.read_struct_begin()?;
        loop {
            match p.read_field_begin()? {
                (TType::Stop, _) => break,
                (TType::Binary, 1) => text = Some(p.read_string()?),
                (TType::I64, 2) => n = p.read_i64()?,
                (TType::Binary, 3) => blob = Some(p.read_binary()?),
                (t, _) => p.skip(t)?,
            }
            p.read_field_end()?;
        }
        p.read_struct_end()?;
        let text = text.ok_or_else(|| DecodeError::missing_field("EchoMsg", "text"))?;
        Ok(Self { text, n, blob })
    }

    fn size<P: TLengthProtocol>(&self, p: &mut P) -> usize {
        p.struct_begin_len("EchoMsg")
            + p.field_begin_len(TType::Binary, 1)
            + p.faststr_len(&self.text)
            + p.field_end_len()
            + p.field_begin_len(TType::I64, 2)
            + p.i64_len(self.n)
            + p.field_end_len()
            + self.blob.as_ref().map_or(0, |b| {
                p.field_begin_len(TType::Binary, 3) + p.bytes_len(b) + p.field_end_len()
            })
            + p.field_stop_len()
            + p.struct_end_len()
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct EchoError {
    pub reason: FastStr,
}

impl Message for EchoError {
    fn encode<P: TOutputProtocol>(&self, p: &mut P) -> Result<(), EncodeError> {
        p.write_struct_begin("EchoError")?;
        p.write_field_begin(TType::Binary, 1)?;
        p.write_faststr(&self.reason)?;
        p.write_field_end()?;
        p.write_field_stop()?;
        p.write_struct_end()
    }

    fn decode<P: TInputProtocol>(p: &mut P) -> Result<Self, DecodeError> {
        let mut reason = FastStr::empty();
        p.read_struct_begin()?;
        loop {
            match p.read_field_begin()? {
                (TType::Stop, _) => break,
                (TType::Binary, 1) => reason = p.read_string()?,
                (t, _) => p.skip(t)?,
            }
            p.read_field_end()?;
        }
        p.read_struct_end()?;
        Ok(Self { reason })
    }

    fn size<P: TLengthProtocol>(&self, p: &mut P) -> usize {
        p.struct_begin_len("EchoError")
            + p.field_begin_len(TType::Binary, 1)
            + p.faststr_len(&self.reason)
            + p.field_end_len()
            + p.field_stop_len()
            + p.struct_end_len()
    }
}

/// `echo_args`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EchoArgs {
    pub msg: EchoMsg,
}

impl Message for EchoArgs {
    fn encode<P: TOutputProtocol>(&self, p: &mut P) -> Result<(), EncodeError> {
        p.write_struct_begin("echo_args")?;
        p.write_field_begin(TType::Struct, 1)?;
        self.msg.encode(p)?;
        p.write_field_end()?;
        p.write_field_stop()?;
        p.write_struct_end()
    }

    fn decode<P: TInputProtocol>(p: &mut P) -> Result<Self, DecodeError> {
        let mut msg = None;
        p.read_struct_begin()?;
        loop {
            match p.read_field_begin()? {
                (TType::Stop, _) => break,
                (TType::Struct, 1) => msg = Some(EchoMsg::decode(p)?),
                (t, _) => p.skip(t)?,
            }
            p.read_field_end()?;
        }
        p.read_struct_end()?;
        Ok(Self {
            msg: msg.unwrap_or_default(),
        })
    }

    fn size<P: TLengthProtocol>(&self, p: &mut P) -> usize {
        p.struct_begin_len("echo_args")
            + p.field_begin_len(TType::Struct, 1)
            + self.msg.size(p)
            + p.field_end_len()
            + p.field_stop_len()
            + p.struct_end_len()
    }
}

/// `echo_result`: success (id 0) or the declared exception (id 1).
#[derive(Debug, Clone, PartialEq)]
pub enum EchoResult {
    Ok(EchoMsg),
    Err(EchoError),
}

impl Message for EchoResult {
    fn encode<P: TOutputProtocol>(&self, p: &mut P) -> Result<(), EncodeError> {
        p.write_struct_begin("echo_result")?;
        match self {
            EchoResult::Ok(v) => {
                p.write_field_begin(TType::Struct, 0)?;
                v.encode(p)?;
            }
            EchoResult::Err(e) => {
                p.write_field_begin(TType::Struct, 1)?;
                e.encode(p)?;
            }
        }
        p.write_field_end()?;
        p.write_field_stop()?;
        p.write_struct_end()
    }

    fn decode<P: TInputProtocol>(p: &mut P) -> Result<Self, DecodeError> {
        let mut out = None;
        p.read_struct_begin()?;
        loop {
            match p.read_field_begin()? {
                (TType::Stop, _) => break,
                (TType::Struct, 0) => out = Some(EchoResult::Ok(EchoMsg::decode(p)?)),
                (TType::Struct, 1) => out = Some(EchoResult::Err(EchoError::decode(p)?)),
                (t, _) => p.skip(t)?,
            }
            p.read_field_end()?;
        }
        p.read_struct_end()?;
        out.ok_or_else(|| DecodeError::invalid_data("echo_result has no field set"))
    }

    fn size<P: TLengthProtocol>(&self, p: &mut P) -> usize {
        p.struct_begin_len("echo_result")
            + match self {
                EchoResult::Ok(v) => p.field_begin_len(TType::Struct, 0) + v.size(p),
                EchoResult::Err(e) => p.field_begin_len(TType::Struct, 1) + e.size(p),
            }
            + p.field_end_len()
            + p.field_stop_len()
            + p.struct_end_len()
    }
}

/// `notify_args`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NotifyArgs {
    pub text: FastStr,
}

impl Message for NotifyArgs {
    fn encode<P: TOutputProtocol>(&self, p: &mut P) -> Result<(), EncodeError> {
        p.write_struct_begin("notify_args")?;
        p.write_field_begin(TType::Binary, 1)?;
        p.write_faststr(&self.text)?;
        p.write_field_end()?;
        p.write_field_stop()?;
        p.write_struct_end()
    }

    fn decode<P: TInputProtocol>(p: &mut P) -> Result<Self, DecodeError> {
        let mut text = FastStr::empty();
        p.read_struct_begin()?;
        loop {
            match p.read_field_begin()? {
                (TType::Stop, _) => break,
                (TType::Binary, 1) => text = p.read_string()?,
                (t, _) => p.skip(t)?,
            }
            p.read_field_end()?;
        }
        p.read_struct_end()?;
        Ok(Self { text })
    }

    fn size<P: TLengthProtocol>(&self, p: &mut P) -> usize {
        p.struct_begin_len("notify_args")
            + p.field_begin_len(TType::Binary, 1)
            + p.faststr_len(&self.text)
            + p.field_end_len()
            + p.field_stop_len()
            + p.struct_end_len()
    }
}

/// Every request of `Echo`.
#[derive(Debug, Clone, PartialEq)]
pub enum EchoRequest {
    Echo(EchoArgs),
    Notify(NotifyArgs),
}

impl EchoRequest {
    /// The method name of the request.
    pub fn method(&self) -> &'static str {
        match self {
            EchoRequest::Echo(_) => "echo",
            EchoRequest::Notify(_) => "notify",
        }
    }
}

impl EntryMessage for EchoRequest {
    fn encode<P: TOutputProtocol>(&self, p: &mut P) -> Result<(), EncodeError> {
        match self {
            EchoRequest::Echo(a) => a.encode(p),
            EchoRequest::Notify(a) => a.encode(p),
        }
    }

    fn decode<P: TInputProtocol>(p: &mut P, id: &TMessageIdentifier) -> Result<Self, CodecError> {
        Ok(match id.name.as_str() {
            "echo" => EchoRequest::Echo(EchoArgs::decode(p)?),
            "notify" => EchoRequest::Notify(NotifyArgs::decode(p)?),
            other => return Err(CodecError::unknown_method(other)),
        })
    }

    fn size<P: TLengthProtocol>(&self, p: &mut P) -> usize {
        match self {
            EchoRequest::Echo(a) => a.size(p),
            EchoRequest::Notify(a) => a.size(p),
        }
    }
}

/// Every response of `Echo` (oneway `notify` has none).
#[derive(Debug, Clone, PartialEq)]
pub enum EchoResponse {
    Echo(EchoResult),
}

impl EntryMessage for EchoResponse {
    fn encode<P: TOutputProtocol>(&self, p: &mut P) -> Result<(), EncodeError> {
        match self {
            EchoResponse::Echo(r) => r.encode(p),
        }
    }

    fn decode<P: TInputProtocol>(p: &mut P, id: &TMessageIdentifier) -> Result<Self, CodecError> {
        Ok(match id.name.as_str() {
            "echo" => EchoResponse::Echo(EchoResult::decode(p)?),
            other => return Err(CodecError::unknown_method(other)),
        })
    }

    fn size<P: TLengthProtocol>(&self, p: &mut P) -> usize {
        match self {
            EchoResponse::Echo(r) => r.size(p),
        }
    }
}

/// An `echo` request.
pub fn echo(text: &str, n: i64) -> EchoRequest {
    EchoRequest::Echo(EchoArgs {
        msg: EchoMsg {
            text: FastStr::new(text),
            n,
            blob: None,
        },
    })
}

impl volo_thrift::server::NamedService for EchoRequest {
    const SERVICE_NAME: &'static str = "Echo";
}

impl volo_thrift::server::NamedService for EchoResponse {
    const SERVICE_NAME: &'static str = "Echo";
}
