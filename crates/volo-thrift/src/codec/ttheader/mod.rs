//! The TTHeader header (Kitex / Volo): flags, sequence id, and the key/value
//! info blocks, with typed views of the keys the framework uses.
//!
//! A [`TTHeader`] keeps the string and int key/values in the order they came
//! in, so a decoded header is encoded back byte for byte. The typed accessors
//! ([`rpc_timeout`](TTHeader::rpc_timeout), [`biz_status`](TTHeader::biz_status),
//! the metainfo helpers, ...) read and write those lists.
//!
//! ```
//! use std::time::Duration;
//! use volo_thrift::codec::ttheader::TTHeader;
//!
//! let mut h = TTHeader::new();
//! h.set_rpc_timeout(Duration::from_millis(1500));
//! h.set_to_method("Echo");
//! assert_eq!(h.int_kv(12).map(|v| v.as_str()), Some("1500"));
//! assert_eq!(h.rpc_timeout(), Some(Duration::from_millis(1500)));
//! ```

mod wire;

use std::time::Duration;

use faststr::FastStr;
use metainfo::MetaInfo;
use pilota::thrift::TMessageType;

pub(crate) use self::wire::{FrameInfo, MAGIC, decode_frame, header_len, write_header};

/// Bits of the TTHeader FLAGS field.
pub mod flags {
    /// The client accepts replies in any order (matched by sequence id).
    pub const SUPPORT_OUT_OF_ORDER: u16 = 0x0001;
    /// A TTHeader streaming frame.
    pub const STREAMING: u16 = 0x0002;
    /// Duplex reverse.
    pub const DUPLEX_REVERSE: u16 = 0x0008;
    /// SASL.
    pub const SASL: u16 = 0x0010;
}

/// Ids of the int key/value block (`INFO_INTKEYVALUE`, 0x10) used here.
pub mod int_key {
    /// `framed` or `unframed`, written by Kitex clients.
    pub const TRANSPORT_TYPE: u16 = 1;
    /// Log id.
    pub const LOG_ID: u16 = 2;
    /// The caller's service name.
    pub const FROM_SERVICE: u16 = 3;
    /// The callee's service name.
    pub const TO_SERVICE: u16 = 6;
    /// The called method.
    pub const TO_METHOD: u16 = 9;
    /// The callee's address.
    pub const DEST_ADDRESS: u16 = 11;
    /// The call's timeout in milliseconds, decimal.
    pub const RPC_TIMEOUT: u16 = 12;
    /// Volo clients send `"3"`.
    pub const WITH_MESH_HEADER: u16 = 16;
    /// The connect timeout in milliseconds, decimal.
    pub const CONNECT_TIMEOUT: u16 = 17;
    /// The caller's method (Kitex).
    pub const FROM_METHOD: u16 = 20;
    /// The Thrift message type: decimal (Kitex) or one raw byte (Volo).
    pub const MSG_TYPE: u16 = 22;
}

/// Keys of the string key/value block (`INFO_KEYVALUE`, 0x01) used here;
/// metainfo keys are described in [`metainfo::ttheader`].
pub mod str_key {
    /// Business status code, decimal `i32`; `0` or absent is no business error.
    pub const BIZ_STATUS: &str = "biz-status";
    /// Business error message.
    pub const BIZ_MESSAGE: &str = "biz-message";
    /// Business error extra information (a JSON object of strings).
    pub const BIZ_EXTRA: &str = "biz-extra";
    /// "Connection ready to reset": do not reuse the connection.
    pub const CRRST: &str = "crrst";
    /// The IDL service name, for servers hosting several services.
    pub const ISN: &str = "isn";
}

/// A business status: a handler's answer that is a normal reply on the wire
/// but carries an error code for the caller (`biz-status` and friends).
///
/// A handler (generated or hand-written) answers with one by returning it
/// as its error: `Err(BizStatus::new(1001, "quota exceeded").into())`. Over
/// TTHeader the status travels in the reply's header, and the client reports
/// a [`ClientError`](crate::client::ClientError) of kind
/// [`Biz`](crate::client::ClientErrorKind::Biz); over framed or buffered
/// transports, which have nowhere to put it, the client gets an
/// `INTERNAL_ERROR` exception with its text.
///
/// The message under the header is that same exception, as CloudWeGo's
/// Volo sends it, not a Reply with an empty result (Kitex's form): Volo's
/// multiplexed client cannot decode an empty result and drops the whole
/// connection, failing every call in flight on it. Clients that read the
/// header first (this crate's, Volo's pooled client) report the status
/// either way; the others see an application exception naming it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BizStatus {
    /// The status code (never 0, which means "no business error").
    pub code: i32,
    /// The message.
    pub message: FastStr,
    /// Extra information, a JSON object of strings, passed through unparsed.
    pub extra: Option<FastStr>,
}

impl BizStatus {
    /// A status with a code (not 0) and a message.
    pub fn new(code: i32, message: impl Into<FastStr>) -> Self {
        Self {
            code,
            message: message.into(),
            extra: None,
        }
    }

    /// Sets the extra information (a JSON object of strings).
    #[must_use]
    pub fn with_extra(mut self, extra: impl Into<FastStr>) -> Self {
        self.extra = Some(extra.into());
        self
    }
}

impl std::fmt::Display for BizStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "business status {}: {}", self.code, self.message)
    }
}

impl std::error::Error for BizStatus {}

/// A TTHeader header: everything in a TTHeader frame but the payload.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TTHeader {
    flags: u16,
    seq_id: i32,
    protocol_id: u8,
    acl_token: Option<FastStr>,
    str_kvs: Vec<(FastStr, FastStr)>,
    int_kvs: Vec<(u16, FastStr)>,
}

impl TTHeader {
    /// An empty header: no flags, sequence id 0, no key/values.
    pub fn new() -> Self {
        Self::default()
    }

    /// Empties the header, keeping its allocations.
    pub fn clear(&mut self) {
        self.flags = 0;
        self.seq_id = 0;
        self.protocol_id = 0;
        self.acl_token = None;
        self.str_kvs.clear();
        self.int_kvs.clear();
    }

    /// The FLAGS field.
    pub fn flags(&self) -> u16 {
        self.flags
    }

    /// Sets the FLAGS field.
    pub fn set_flags(&mut self, flags: u16) {
        self.flags = flags;
    }

    /// Whether every bit of `flag` (see [`flags`]) is set.
    pub fn has_flag(&self, flag: u16) -> bool {
        self.flags & flag == flag
    }

    /// The SEQUENCE ID field of a decoded header. The encoder writes the
    /// message's own sequence id, as Kitex and Volo do, whatever this holds.
    pub fn seq_id(&self) -> i32 {
        self.seq_id
    }

    /// Sets the SEQUENCE ID field.
    pub fn set_seq_id(&mut self, seq_id: i32) {
        self.seq_id = seq_id;
    }

    /// The PROTOCOL ID field of a decoded header (0: binary, 2: compact); the
    /// encoder writes the message's protocol, whatever this holds.
    pub fn protocol_id(&self) -> u8 {
        self.protocol_id
    }

    /// The ACL token (info block 0x11), if one was sent.
    pub fn acl_token(&self) -> Option<&FastStr> {
        self.acl_token.as_ref()
    }

    /// Sets or removes the ACL token.
    pub fn set_acl_token(&mut self, token: Option<FastStr>) {
        self.acl_token = token;
    }

    /// The string key/values, in wire order.
    pub fn str_kvs(&self) -> &[(FastStr, FastStr)] {
        &self.str_kvs
    }

    /// The int key/values, in wire order.
    pub fn int_kvs(&self) -> &[(u16, FastStr)] {
        &self.int_kvs
    }

    /// The value of string key `key` (the first, if it was sent twice).
    pub fn str_kv(&self, key: &str) -> Option<&FastStr> {
        self.str_kvs.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Sets string key `key`, replacing its value if it is there.
    pub fn set_str_kv(&mut self, key: impl Into<FastStr>, value: impl Into<FastStr>) {
        let key = key.into();
        let value = value.into();
        match self.str_kvs.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => *v = value,
            None => self.str_kvs.push((key, value)),
        }
    }

    /// Appends a string key/value without looking for an existing one.
    pub fn push_str_kv(&mut self, key: FastStr, value: FastStr) {
        self.str_kvs.push((key, value));
    }

    /// The value of int key `key` (see [`int_key`]).
    pub fn int_kv(&self, key: u16) -> Option<&FastStr> {
        self.int_kvs.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    /// Sets int key `key`, replacing its value if it is there.
    pub fn set_int_kv(&mut self, key: u16, value: impl Into<FastStr>) {
        let value = value.into();
        match self.int_kvs.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => *v = value,
            None => self.int_kvs.push((key, value)),
        }
    }

    /// The call's timeout (int key 12, milliseconds); `None` when absent, not
    /// a number, or 0.
    pub fn rpc_timeout(&self) -> Option<Duration> {
        let ms: u64 = self.int_kv(int_key::RPC_TIMEOUT)?.parse().ok()?;
        (ms > 0).then(|| Duration::from_millis(ms))
    }

    /// Sets the call's timeout, rounded down to milliseconds (at least 1).
    pub fn set_rpc_timeout(&mut self, timeout: Duration) {
        let ms = timeout.as_millis().clamp(1, u128::from(u64::MAX));
        self.set_int_kv(int_key::RPC_TIMEOUT, FastStr::from_string(ms.to_string()));
    }

    /// The caller's service name (int key 3).
    pub fn from_service(&self) -> Option<&FastStr> {
        self.int_kv(int_key::FROM_SERVICE)
    }

    /// Sets the caller's service name.
    pub fn set_from_service(&mut self, name: impl Into<FastStr>) {
        self.set_int_kv(int_key::FROM_SERVICE, name);
    }

    /// The caller's method (int key 20, sent by Kitex).
    pub fn from_method(&self) -> Option<&FastStr> {
        self.int_kv(int_key::FROM_METHOD)
    }

    /// Sets the caller's method.
    pub fn set_from_method(&mut self, name: impl Into<FastStr>) {
        self.set_int_kv(int_key::FROM_METHOD, name);
    }

    /// The callee's service name (int key 6).
    pub fn to_service(&self) -> Option<&FastStr> {
        self.int_kv(int_key::TO_SERVICE)
    }

    /// Sets the callee's service name.
    pub fn set_to_service(&mut self, name: impl Into<FastStr>) {
        self.set_int_kv(int_key::TO_SERVICE, name);
    }

    /// The called method (int key 9).
    pub fn to_method(&self) -> Option<&FastStr> {
        self.int_kv(int_key::TO_METHOD)
    }

    /// Sets the called method.
    pub fn set_to_method(&mut self, name: impl Into<FastStr>) {
        self.set_int_kv(int_key::TO_METHOD, name);
    }

    /// The message type (int key 22), written as a decimal string by Kitex
    /// and as one raw byte by Volo: both are accepted.
    pub fn msg_type(&self) -> Option<TMessageType> {
        let v = self.int_kv(int_key::MSG_TYPE)?;
        let code = match v.as_bytes() {
            [raw] if !raw.is_ascii_digit() => *raw,
            _ => v.parse().ok()?,
        };
        TMessageType::try_from(code).ok()
    }

    /// Sets the message type, as a decimal string (Kitex's form).
    pub fn set_msg_type(&mut self, ty: TMessageType) {
        const DIGITS: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
        let digit = DIGITS.get(usize::from(ty.as_u8())).copied().unwrap_or("0");
        self.set_int_kv(int_key::MSG_TYPE, FastStr::from_static_str(digit));
    }

    /// The business status, if `biz-status` is present and not `0`. A code
    /// that is not a number is reported as `-1`, keeping the message.
    pub fn biz_status(&self) -> Option<BizStatus> {
        let code = self.str_kv(str_key::BIZ_STATUS)?;
        let code = code.parse().unwrap_or(-1);
        (code != 0).then(|| BizStatus {
            code,
            message: self
                .str_kv(str_key::BIZ_MESSAGE)
                .cloned()
                .unwrap_or_default(),
            extra: self.str_kv(str_key::BIZ_EXTRA).cloned(),
        })
    }

    /// Writes a business status into the header.
    pub fn set_biz_status(&mut self, status: &BizStatus) {
        self.set_str_kv(
            str_key::BIZ_STATUS,
            FastStr::from_string(status.code.to_string()),
        );
        self.set_str_kv(str_key::BIZ_MESSAGE, status.message.clone());
        if let Some(extra) = &status.extra {
            self.set_str_kv(str_key::BIZ_EXTRA, extra.clone());
        }
    }

    /// Whether the server marked the connection "ready to reset" (`crrst`
    /// with any non-empty value): the client must not reuse it.
    pub fn crrst(&self) -> bool {
        self.str_kv(str_key::CRRST).is_some_and(|v| !v.is_empty())
    }

    /// Marks the connection "ready to reset" (value `"1"`, as Volo writes).
    pub fn set_crrst(&mut self) {
        self.set_str_kv(str_key::CRRST, FastStr::from_static_str("1"));
    }

    /// The IDL service name the call is for (`isn`).
    pub fn isn(&self) -> Option<&FastStr> {
        self.str_kv(str_key::ISN)
    }

    /// Sets the IDL service name.
    pub fn set_isn(&mut self, name: impl Into<FastStr>) {
        self.set_str_kv(str_key::ISN, name);
    }

    /// Server side: stores the request's metainfo in `mi` (persistent as
    /// persistent, transient as upstream).
    pub fn store_request_metainfo(&self, mi: &mut MetaInfo) {
        for (k, v) in &self.str_kvs {
            metainfo::ttheader::store_request_pair(mi, k, v);
        }
    }

    /// Client side: stores the reply's backward metainfo in `mi` as
    /// downstream values.
    pub fn store_response_metainfo(&self, mi: &mut MetaInfo) {
        for (k, v) in &self.str_kvs {
            metainfo::ttheader::store_response_pair(mi, k, v);
        }
    }

    /// Client side: adds the persistent and transient values of `mi`.
    pub fn extend_request_metainfo(&mut self, mi: &MetaInfo) {
        self.str_kvs.extend(
            metainfo::ttheader::request_pairs(mi).map(|(k, v)| (k.to_fast_str(), v.clone())),
        );
    }

    /// Server side: adds the backward values of `mi`.
    pub fn extend_response_metainfo(&mut self, mi: &MetaInfo) {
        self.str_kvs.extend(
            metainfo::ttheader::response_pairs(mi).map(|(k, v)| (k.to_fast_str(), v.clone())),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn msg_type_reads_decimal_and_raw_byte() {
        let mut h = TTHeader::new();
        h.set_int_kv(int_key::MSG_TYPE, "2");
        assert_eq!(h.msg_type(), Some(TMessageType::Reply));
        h.set_int_kv(int_key::MSG_TYPE, FastStr::new("\u{3}"));
        assert_eq!(h.msg_type(), Some(TMessageType::Exception));
        h.set_int_kv(int_key::MSG_TYPE, "x9");
        assert_eq!(h.msg_type(), None);
        h.set_msg_type(TMessageType::OneWay);
        assert_eq!(h.int_kv(int_key::MSG_TYPE).map(|v| v.as_str()), Some("4"));
    }

    #[test]
    fn biz_status_round_trips_and_zero_is_none() {
        let mut h = TTHeader::new();
        assert_eq!(h.biz_status(), None);
        let status = BizStatus {
            code: 1001,
            message: "quota".into(),
            extra: Some(r#"{"k":"v"}"#.into()),
        };
        h.set_biz_status(&status);
        assert_eq!(h.biz_status(), Some(status));
        h.set_str_kv(str_key::BIZ_STATUS, "0");
        assert_eq!(h.biz_status(), None);
    }

    #[test]
    fn metainfo_goes_both_ways() {
        let mut client = MetaInfo::new();
        client.set_persistent("tenant", "blue");
        client.set_transient("debug", "1");
        let mut req = TTHeader::new();
        req.extend_request_metainfo(&client);
        req.set_isn("EchoService");

        let mut server = MetaInfo::new();
        req.store_request_metainfo(&mut server);
        assert_eq!(
            server.get_persistent("tenant").map(|v| v.as_str()),
            Some("blue")
        );
        assert_eq!(server.get_upstream("debug").map(|v| v.as_str()), Some("1"));
        assert_eq!(req.isn().map(|v| v.as_str()), Some("EchoService"));

        server.set_backward("cost", "3ms");
        let mut reply = TTHeader::new();
        reply.extend_response_metainfo(&server);
        reply.set_crrst();
        let mut back = MetaInfo::new();
        reply.store_response_metainfo(&mut back);
        assert_eq!(back.get_downstream("cost").map(|v| v.as_str()), Some("3ms"));
        assert!(reply.crrst());
    }

    #[test]
    fn timeouts_and_names() {
        let mut h = TTHeader::new();
        assert_eq!(h.rpc_timeout(), None);
        h.set_rpc_timeout(Duration::from_micros(10));
        assert_eq!(h.rpc_timeout(), Some(Duration::from_millis(1)));
        h.set_from_service("a");
        h.set_from_method("m");
        h.set_to_service("b");
        h.set_to_method("Echo");
        assert_eq!(h.from_service().map(|v| v.as_str()), Some("a"));
        assert_eq!(h.from_method().map(|v| v.as_str()), Some("m"));
        assert_eq!(h.to_service().map(|v| v.as_str()), Some("b"));
        assert_eq!(h.to_method().map(|v| v.as_str()), Some("Echo"));
        assert_eq!(h.int_kvs().len(), 5);
    }
}
