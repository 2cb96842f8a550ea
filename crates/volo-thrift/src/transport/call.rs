//! What both transports do around the wire: the request header, encoding,
//! and checking and decoding the reply.

use pilota::{
    LinkedBytes,
    thrift::{TMessageIdentifier, TMessageType},
};
use volo::net::Address;

use crate::{
    ClientContext, EntryMessage,
    client::{ClientError, ClientErrorKind},
    codec::{
        Body, BodyRef, Format, Frame, encode_message,
        ttheader::{TTHeader, flags},
    },
};

/// The address the call goes to (set by load balancing or the call options).
pub(super) fn address(cx: &ClientContext) -> Result<Address, ClientError> {
    cx.rpc_info().callee().address().cloned().ok_or_else(|| {
        ClientError::new(
            ClientErrorKind::LoadBalance,
            "the call has no callee address",
        )
    })
}

/// What goes before a request's body: its format, its TTHeader header when
/// the format has one, and its message header.
pub(super) struct RequestHead {
    pub(super) format: Format,
    pub(super) header: Option<TTHeader>,
    pub(super) id: TMessageIdentifier,
}

/// The head of the call in `cx`.
pub(super) fn request_head(cx: &ClientContext, out_of_order: bool) -> RequestHead {
    let format = cx.format();
    let info = cx.rpc_info();
    let ty = if cx.is_oneway() {
        TMessageType::OneWay
    } else {
        TMessageType::Call
    };
    let id = TMessageIdentifier::new(info.method().clone(), ty, cx.seq_id());
    let header = format.framing.is_ttheader().then(|| {
        let mut h = TTHeader::new();
        if out_of_order {
            h.set_flags(flags::SUPPORT_OUT_OF_ORDER);
        }
        let caller = info.caller().service_name();
        if !caller.is_empty() {
            h.set_from_service(caller.clone());
        }
        h.set_to_service(info.callee().service_name().clone());
        h.set_to_method(info.method().clone());
        if let Some(isn) = cx.isn() {
            h.set_isn(isn.clone());
        }
        if let Some(timeout) = info.config().rpc_timeout() {
            h.set_rpc_timeout(timeout);
        }
        // Outside a metainfo scope there is nothing to forward.
        let _ = metainfo::with_current(|mi| h.extend_request_metainfo(mi));
        h
    });
    RequestHead { format, header, id }
}

/// Encodes the request into a fresh buffer, for a writer in another task.
pub(super) fn encode_request<Req: EntryMessage>(
    cx: &ClientContext,
    req: &Req,
    out_of_order: bool,
    max_frame_size: usize,
) -> Result<LinkedBytes, ClientError> {
    let head = request_head(cx, out_of_order);
    encode_message(
        head.format,
        head.header.as_ref(),
        &head.id,
        BodyRef::Message(req),
        max_frame_size,
    )
    .map_err(ClientError::from)
}

/// Checks and decodes a reply; stores its backward metainfo in the current
/// scope as downstream values.
pub(super) fn decode_reply<Resp: EntryMessage>(
    cx: &ClientContext,
    frame: &Frame,
) -> Result<Resp, ClientError> {
    if let Some(h) = frame.header() {
        let _ = metainfo::with_current_mut(|mi| h.store_response_metainfo(mi));
        // A business status is the answer, whatever the body says (an
        // exception from Volo and this crate, an empty result from Kitex).
        if let Some(status) = h.biz_status() {
            check_seq_id(cx, &frame.message_id()?)?;
            return Err(ClientError::biz(status));
        }
    }
    let (id, body) = frame.decode::<Resp>()?;
    check_seq_id(cx, &id)?;
    match body {
        Body::Exception(e) => Err(ClientError::application(e)),
        Body::Message(resp) => Ok(resp),
    }
}

fn check_seq_id(cx: &ClientContext, id: &TMessageIdentifier) -> Result<(), ClientError> {
    if id.sequence_number == cx.seq_id() {
        return Ok(());
    }
    Err(ClientError::new(
        ClientErrorKind::Protocol,
        format!(
            "the reply's sequence id {} does not match the call's {}",
            id.sequence_number,
            cx.seq_id()
        ),
    ))
}
