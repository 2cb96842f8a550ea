//! The Thrift call contexts: [`volo::context::RpcCx`] with Thrift's own
//! per-call data.

use faststr::FastStr;
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
    isn: Option<FastStr>,
}

impl ServerInfo {
    /// The IDL service name the request names (TTHeader `isn`), if any.
    pub fn isn(&self) -> Option<&FastStr> {
        self.isn.as_ref()
    }

    /// Sets the IDL service name.
    pub fn set_isn(&mut self, isn: Option<FastStr>) {
        self.isn = isn;
    }

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

/// Thrift's data about a call on the client side.
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    seq_id: i32,
    oneway: bool,
    format: Format,
    isn: Option<FastStr>,
    timings: Timings,
}

impl ClientInfo {
    /// The call's sequence id.
    pub fn seq_id(&self) -> i32 {
        self.seq_id
    }

    /// Sets the sequence id.
    pub fn set_seq_id(&mut self, seq_id: i32) {
        self.seq_id = seq_id;
    }

    /// Whether the call is oneway (no reply).
    pub fn is_oneway(&self) -> bool {
        self.oneway
    }

    /// Makes the call oneway or not.
    pub fn set_oneway(&mut self, oneway: bool) {
        self.oneway = oneway;
    }

    /// The IDL service name sent as TTHeader `isn`, if any.
    pub fn isn(&self) -> Option<&FastStr> {
        self.isn.as_ref()
    }

    /// Sets the IDL service name sent as TTHeader `isn`.
    pub fn set_isn(&mut self, isn: Option<FastStr>) {
        self.isn = isn;
    }

    /// The format the call is sent in.
    pub fn format(&self) -> Format {
        self.format
    }

    /// Sets the format.
    pub fn set_format(&mut self, format: Format) {
        self.format = format;
    }

    /// The call's timings.
    pub fn timings(&self) -> &Timings {
        &self.timings
    }

    /// The call's timings, for update.
    pub fn timings_mut(&mut self) -> &mut Timings {
        &mut self.timings
    }
}

impl Reset for ClientInfo {
    fn reset(&mut self) {
        *self = Self::default();
    }
}

/// The context of a call on a Thrift client.
pub type ClientContext = RpcCx<ClientInfo, Config>;
