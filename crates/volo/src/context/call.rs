//! Protocol-independent per-call data: [`ClientInfo`], [`ServerInfo`] and their
//! [`Timings`].

use std::time::{Duration, Instant};

use super::Reset;

/// When a call started and ended, and by when it must be done.
///
/// ```
/// use std::time::Duration;
/// use volo::context::Timings;
///
/// let mut t = Timings::default();
/// let start = t.record_start();
/// t.set_deadline(Some(start + Duration::from_secs(1)));
/// assert!(t.remaining().unwrap() <= Duration::from_secs(1));
/// t.record_end();
/// assert!(t.elapsed().is_some());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Timings {
    start: Option<Instant>,
    end: Option<Instant>,
    deadline: Option<Instant>,
}

impl Timings {
    /// Records now as the start of the call and returns it.
    pub fn record_start(&mut self) -> Instant {
        let now = Instant::now();
        self.start = Some(now);
        now
    }

    /// Records now as the end of the call and returns it.
    pub fn record_end(&mut self) -> Instant {
        let now = Instant::now();
        self.end = Some(now);
        now
    }

    /// Returns when the call started, if recorded.
    pub fn start(&self) -> Option<Instant> {
        self.start
    }

    /// Returns when the call ended, if recorded.
    pub fn end(&self) -> Option<Instant> {
        self.end
    }

    /// Returns how long the call took, once both ends are recorded.
    pub fn elapsed(&self) -> Option<Duration> {
        Some(self.end?.saturating_duration_since(self.start?))
    }

    /// Returns by when the call must be done, if there is a deadline.
    pub fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    /// Sets or clears the deadline.
    pub fn set_deadline(&mut self, deadline: Option<Instant>) {
        self.deadline = deadline;
    }

    /// Returns the time left until the deadline (zero once it has passed), if there is
    /// one.
    pub fn remaining(&self) -> Option<Duration> {
        self.deadline
            .map(|d| d.saturating_duration_since(Instant::now()))
    }
}

impl Reset for Timings {
    fn reset(&mut self) {
        *self = Timings::default();
    }
}

/// Protocol-independent data of a call on the client side.
///
/// Protocol crates that need more keep this inside their own inner type.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientInfo {
    seq_id: i32,
    timings: Timings,
}

/// Protocol-independent data of a call on the server side.
///
/// Protocol crates that need more keep this inside their own inner type.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServerInfo {
    seq_id: i32,
    timings: Timings,
}

/// Accessors shared by [`ClientInfo`] and [`ServerInfo`].
macro_rules! call_info_accessors {
    ($ty:ident, $seq_doc:literal) => {
        impl $ty {
            #[doc = $seq_doc]
            pub fn seq_id(&self) -> i32 {
                self.seq_id
            }

            /// Sets the sequence id.
            pub fn set_seq_id(&mut self, seq_id: i32) {
                self.seq_id = seq_id;
            }

            /// Returns the call's timings.
            pub fn timings(&self) -> &Timings {
                &self.timings
            }

            /// Returns the call's timings, for update.
            pub fn timings_mut(&mut self) -> &mut Timings {
                &mut self.timings
            }
        }

        impl Reset for $ty {
            fn reset(&mut self) {
                *self = $ty::default();
            }
        }
    };
}

call_info_accessors!(
    ClientInfo,
    "Returns the sequence id the client gave this call, matching its response."
);
call_info_accessors!(
    ServerInfo,
    "Returns the sequence id the request carried, echoed in the response."
);
