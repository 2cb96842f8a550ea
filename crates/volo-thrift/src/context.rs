//! The Thrift call contexts: [`volo::context::RpcCx`] with Thrift's own
//! per-call data.

use pilota::thrift::TMessageType;
use volo::context::{Config, Reset, RpcCx, Timings};

use crate::codec::{Format, ttheader::BizStatus};

/// Thrift's data about a call on the server side.
#[derive(Debug, Clone, Default)]
pub struct ServerInfo {
    seq_id: i32,
    message_type: Option<TMessageType>,
    format: Option<Format>,
    timings: Timings,
    biz_status: Option<BizStatus>,
}

impl ServerInfo {
    /// The request's sequence id, echoed in the reply.
    pub fn seq_id(&self) -> i32 {
        self.seq_id
    }

    /// Sets the sequence id.
    pub fn set_seq_id(&mut self, seq_id: i32) {
        self.seq_id = seq_id;
    }

    /// The request's message type: Call or OneWay.
    pub fn message_type(&self) -> Option<TMessageType> {
        self.message_type
    }

    /// Sets the message type.
    pub fn set_message_type(&mut self, ty: TMessageType) {
        self.message_type = Some(ty);
    }

    /// The format the request came in (and the reply goes back in).
    pub fn format(&self) -> Option<Format> {
        self.format
    }

    /// Sets the format.
    pub fn set_format(&mut self, format: Format) {
        self.format = Some(format);
    }

    /// The call's timings; the deadline comes from the caller's TTHeader
    /// timeout.
    pub fn timings(&self) -> &Timings {
        &self.timings
    }

    /// The call's timings, for update.
    pub fn timings_mut(&mut self) -> &mut Timings {
        &mut self.timings
    }

    /// The business status the handler set, if any.
    pub fn biz_status(&self) -> Option<&BizStatus> {
        self.biz_status.as_ref()
    }

    /// Sets a business status: the reply stays a normal reply, and the
    /// status travels in its TTHeader (`biz-status`, `biz-message`,
    /// `biz-extra`). Other transports have nowhere to put it.
    pub fn set_biz_status(&mut self, status: BizStatus) {
        self.biz_status = Some(status);
    }
}

impl Reset for ServerInfo {
    fn reset(&mut self) {
        *self = Self::default();
    }
}

/// The context of a call on a Thrift server.
pub type ServerContext = RpcCx<ServerInfo, Config>;
