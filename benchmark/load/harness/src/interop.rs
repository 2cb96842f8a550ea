//! The metainfo interop check, shared by both sides so that each side's
//! client checks what the other side's server does.
//!
//! A client sets a persistent and a transient value and sends a message
//! starting with [`PREFIX`]; a server answers such a message with
//! [`server_reply`] of the values it received and sets the backward value
//! [`BACKWARD_KEY`] to [`backward_value`] of the persistent one. A server
//! answers [`BIZ_REQUEST`] with a business status. Every other message is
//! echoed unchanged.

/// Messages that start with this ask the server to show its metainfo.
pub const PREFIX: &str = "check:";
/// Key of the persistent value (travels every hop).
pub const PERSISTENT_KEY: &str = "LOAD_CHECK_PERSISTENT";
/// Key of the transient value (travels one hop).
pub const TRANSIENT_KEY: &str = "LOAD_CHECK_TRANSIENT";
/// Key of the backward value (callee to caller).
pub const BACKWARD_KEY: &str = "LOAD_CHECK_BACKWARD";
/// Calls a check makes.
pub const CALLS: usize = 3;
/// A message a server answers with a business status (TTHeader
/// `biz-status`): [`BIZ_CODE`] and [`BIZ_MESSAGE`].
pub const BIZ_REQUEST: &str = "biz:";
/// The business status code of the answer to [`BIZ_REQUEST`].
pub const BIZ_CODE: i32 = 4040;
/// The business status message of the answer to [`BIZ_REQUEST`].
pub const BIZ_MESSAGE: &str = "biz check";

/// Compares the business status a client got for [`BIZ_REQUEST`] with the
/// expected one.
pub fn verify_biz(status: Option<(i32, &str)>) -> Result<(), String> {
    match status {
        Some((BIZ_CODE, BIZ_MESSAGE)) => Ok(()),
        other => Err(format!(
            "biz call: status {other:?}, want ({BIZ_CODE}, {BIZ_MESSAGE:?})"
        )),
    }
}

/// What a client sends and expects in call `i` of a check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expectation {
    /// The persistent value to set.
    pub persistent: String,
    /// The transient value to set.
    pub transient: String,
    /// The request message.
    pub request: String,
    /// The reply message the server must send.
    pub reply: String,
    /// The backward value that must come back.
    pub backward: String,
}

/// The expectation of call `i`.
pub fn expectation(i: usize) -> Expectation {
    let persistent = format!("p{i}");
    let transient = format!("t{i}");
    Expectation {
        request: format!("{PREFIX}{i}"),
        reply: server_reply(Some(&persistent), Some(&transient)),
        backward: backward_value(Some(&persistent)),
        persistent,
        transient,
    }
}

/// A server's answer to a check message, from the persistent and transient
/// values it received.
pub fn server_reply(persistent: Option<&str>, transient: Option<&str>) -> String {
    format!(
        "persistent={} transient={}",
        persistent.unwrap_or("<none>"),
        transient.unwrap_or("<none>")
    )
}

/// The backward value a server sets for the persistent value it received.
pub fn backward_value(persistent: Option<&str>) -> String {
    format!("seen {}", persistent.unwrap_or("<none>"))
}

/// Compares what call `i` got with what it expected.
pub fn verify(i: usize, reply: &str, backward: Option<&str>) -> Result<(), String> {
    let want = expectation(i);
    if reply != want.reply {
        return Err(format!("call {i}: reply {reply:?}, want {:?}", want.reply));
    }
    match backward {
        Some(b) if b == want.backward => Ok(()),
        other => Err(format!(
            "call {i}: backward {other:?}, want {:?}",
            want.backward
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_that_saw_everything_passes() {
        let e = expectation(2);
        assert!(e.request.starts_with(PREFIX));
        let reply = server_reply(Some(&e.persistent), Some(&e.transient));
        let backward = backward_value(Some(&e.persistent));
        assert_eq!(verify(2, &reply, Some(&backward)), Ok(()));
    }

    #[test]
    fn anything_missing_fails() {
        let e = expectation(0);
        let no_transient = server_reply(Some(&e.persistent), None);
        assert!(verify(0, &no_transient, Some(&e.backward)).is_err());
        assert!(verify(0, &e.reply, None).unwrap_err().contains("backward"));
        assert!(verify(1, &e.reply, Some(&e.backward)).is_err());
    }
}
