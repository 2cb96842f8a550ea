//! [`EntryMessage`]: what generated code implements for a service's requests
//! and responses.

use pilota::thrift::{
    EncodeError, TInputProtocol, TLengthProtocol, TMessageIdentifier, TOutputProtocol,
};

use crate::codec::CodecError;

/// The body of an RPC message of one service: all its requests (an enum with
/// one variant per method, holding the `<method>_args` struct) or all its
/// responses (one variant per method, holding the `<method>_result` union).
///
/// The code generator writes it; the codec calls it after reading (or before
/// writing) the message header, so it handles only the struct that follows.
/// `decode` picks the variant from the method name in the header and returns
/// [`CodecError::unknown_method`] for a name the service does not have (a
/// server answers that with `UNKNOWN_METHOD`). `size` returns exactly what
/// `encode` writes with the matching protocol, which lets the codec reserve
/// the buffer once.
///
/// ```
/// use pilota::thrift::{
///     EncodeError, TInputProtocol, TLengthProtocol, TMessageIdentifier, TOutputProtocol,
///     TType,
/// };
/// use volo_thrift::{EntryMessage, codec::CodecError};
///
/// /// `service Health { void ping() }`: the request side.
/// enum HealthRequest {
///     Ping,
/// }
///
/// impl EntryMessage for HealthRequest {
///     fn encode<P: TOutputProtocol>(&self, p: &mut P) -> Result<(), EncodeError> {
///         match self {
///             // `ping_args` has no fields.
///             HealthRequest::Ping => {
///                 p.write_struct_begin("ping_args")?;
///                 p.write_field_stop()?;
///                 p.write_struct_end()
///             }
///         }
///     }
///
///     fn decode<P: TInputProtocol>(
///         p: &mut P,
///         id: &TMessageIdentifier,
///     ) -> Result<Self, CodecError> {
///         match id.name.as_str() {
///             "ping" => {
///                 p.skip(TType::Struct)?;
///                 Ok(HealthRequest::Ping)
///             }
///             other => Err(CodecError::unknown_method(other)),
///         }
///     }
///
///     fn size<P: TLengthProtocol>(&self, p: &mut P) -> usize {
///         p.struct_begin_len("ping_args") + p.field_stop_len() + p.struct_end_len()
///     }
/// }
/// ```
pub trait EntryMessage: Sized + Send {
    /// Writes the body (the struct after the message header).
    fn encode<P: TOutputProtocol>(&self, p: &mut P) -> Result<(), EncodeError>;

    /// Reads the body of the message whose header is `id`.
    fn decode<P: TInputProtocol>(p: &mut P, id: &TMessageIdentifier) -> Result<Self, CodecError>;

    /// The exact number of bytes [`encode`](Self::encode) writes.
    fn size<P: TLengthProtocol>(&self, p: &mut P) -> usize;

    /// Reads the body of a request addressed to the IDL service `service`
    /// (TTHeader `isn`, when the request has one).
    ///
    /// The default ignores the service name, as a server of one service
    /// does; [`Routed`](crate::server::Routed) uses it to pick a service.
    fn decode_for_service<P: TInputProtocol>(
        p: &mut P,
        id: &TMessageIdentifier,
        service: Option<&str>,
    ) -> Result<Self, CodecError> {
        let _ = service;
        Self::decode(p, id)
    }
}
