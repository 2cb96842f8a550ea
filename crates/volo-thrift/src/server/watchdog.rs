//! The per-connection watchdog: closes a connection that stays idle, or
//! whose client stops taking its replies.
//!
//! It costs the connection nothing per call: the connection only counts its
//! progress (requests read, replies queued, bytes written), and the watchdog
//! looks at that count on a coarse timer, a quarter of the shorter timeout.
//! A connection is thus closed between one and one and a half timeouts after
//! its last progress, never earlier.

use std::time::Duration;

use tokio::time::Instant;

/// What the connection is doing when the watchdog looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum State {
    /// No request being read or waiting, no call in flight, nothing to write.
    Idle,
    /// Replies are waiting for the socket.
    Writing,
}

/// Why the watchdog closes a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Keep the connection; look again at this time.
    Keep(Instant),
    /// Idle for the idle timeout.
    Idle,
    /// Replies waited the write timeout without the client taking a byte.
    Stalled,
}

#[derive(Debug)]
pub(crate) struct Watchdog {
    idle_timeout: Option<Duration>,
    write_timeout: Option<Duration>,
    tick: Duration,
    seen: u64,
    /// When `seen` was last seen changing.
    since: Instant,
}

impl Watchdog {
    /// A watchdog for the given timeouts; `None` if both are off.
    pub(crate) fn new(
        idle_timeout: Option<Duration>,
        write_timeout: Option<Duration>,
        now: Instant,
    ) -> Option<Self> {
        let shorter = match (idle_timeout, write_timeout) {
            (Some(a), Some(b)) => a.min(b),
            (Some(t), None) | (None, Some(t)) => t,
            (None, None) => return None,
        };
        Some(Self {
            idle_timeout,
            write_timeout,
            tick: (shorter / 4).max(Duration::from_millis(1)),
            seen: 0,
            since: now,
        })
    }

    /// When to look first.
    pub(crate) fn first_check(&self) -> Instant {
        self.since + self.tick
    }

    /// Looks at the connection: `progress` is a count that grows whenever it
    /// reads a request, queues a reply or writes bytes. (A connection with a
    /// call in flight is not looked at: the call's reply is progress, so the
    /// clock restarts once it is done.)
    pub(crate) fn check(&mut self, now: Instant, progress: u64, state: State) -> Verdict {
        if progress != self.seen {
            self.seen = progress;
            self.since = now;
        }
        let still = now.saturating_duration_since(self.since);
        match state {
            State::Idle if self.idle_timeout.is_some_and(|t| still >= t) => Verdict::Idle,
            State::Writing if self.write_timeout.is_some_and(|t| still >= t) => Verdict::Stalled,
            _ => Verdict::Keep(now + self.tick),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: Duration = Duration::from_secs(1);

    #[test]
    fn off_when_both_timeouts_are() {
        assert!(Watchdog::new(None, None, Instant::now()).is_none());
    }

    #[test]
    fn idle_closes_after_the_idle_timeout_of_no_progress() {
        let start = Instant::now();
        let mut w = Watchdog::new(Some(4 * SECOND), None, start).unwrap();
        assert_eq!(w.first_check(), start + SECOND);
        assert_eq!(
            w.check(start + 3 * SECOND, 0, State::Idle),
            Verdict::Keep(start + 4 * SECOND)
        );
        assert_eq!(w.check(start + 4 * SECOND, 0, State::Idle), Verdict::Idle);
    }

    #[test]
    fn progress_restarts_the_clock() {
        let start = Instant::now();
        let mut w = Watchdog::new(Some(4 * SECOND), None, start).unwrap();
        assert!(matches!(
            w.check(start + 3 * SECOND, 1, State::Idle),
            Verdict::Keep(_)
        ));
        assert!(matches!(
            w.check(start + 6 * SECOND, 1, State::Idle),
            Verdict::Keep(_)
        ));
        assert_eq!(w.check(start + 7 * SECOND, 1, State::Idle), Verdict::Idle);
    }

    #[test]
    fn a_reply_after_a_long_call_restarts_the_clock() {
        let start = Instant::now();
        let mut w = Watchdog::new(Some(SECOND), Some(SECOND), start).unwrap();
        // A minute-long call, not looked at; its reply is queued.
        assert!(matches!(
            w.check(start + 60 * SECOND, 2, State::Writing),
            Verdict::Keep(_)
        ));
        assert!(matches!(
            w.check(start + 60 * SECOND, 3, State::Idle),
            Verdict::Keep(_)
        ));
        assert_eq!(w.check(start + 61 * SECOND, 3, State::Idle), Verdict::Idle);
    }

    #[test]
    fn writing_without_progress_stalls_after_the_write_timeout() {
        let start = Instant::now();
        let mut w = Watchdog::new(Some(100 * SECOND), Some(2 * SECOND), start).unwrap();
        assert!(matches!(
            w.check(start + SECOND, 5, State::Writing),
            Verdict::Keep(_)
        ));
        assert!(matches!(
            w.check(start + 2 * SECOND, 5, State::Writing),
            Verdict::Keep(_)
        ));
        assert_eq!(
            w.check(start + 3 * SECOND, 5, State::Writing),
            Verdict::Stalled
        );
    }

    #[test]
    fn without_a_write_timeout_writing_is_never_closed() {
        let start = Instant::now();
        let mut w = Watchdog::new(Some(SECOND), None, start).unwrap();
        assert!(matches!(
            w.check(start + 60 * SECOND, 0, State::Writing),
            Verdict::Keep(_)
        ));
    }
}
