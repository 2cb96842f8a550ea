//! [`Config`]: the protocol-independent per-call options.

use std::time::Duration;

use super::Reset;

/// Per-call options shared by every protocol: timeouts, for now.
///
/// A client holds a default `Config`; a call may carry its own, and
/// [`merge`](Config::merge) combines the two so that what the call sets wins. `None`
/// means "not set here" (and, after merging, "no limit").
///
/// What each timeout covers:
///
/// - `rpc_timeout`: the whole call as the caller sees it, from sending the request to
///   having the response, retries and connection set-up included. It is also the
///   deadline passed to the server where the protocol carries one.
/// - `connect_timeout`: establishing one connection.
/// - `read_write_timeout`: one read or write on a connection making no progress.
///
/// ```
/// use std::time::Duration;
/// use volo::context::Config;
///
/// let defaults = Config::new()
///     .with_rpc_timeout(Some(Duration::from_secs(1)))
///     .with_connect_timeout(Some(Duration::from_millis(50)));
/// let per_call = Config::new().with_rpc_timeout(Some(Duration::from_millis(200)));
///
/// let merged = defaults.merge(&per_call);
/// assert_eq!(merged.rpc_timeout(), Some(Duration::from_millis(200)));
/// assert_eq!(merged.connect_timeout(), Some(Duration::from_millis(50)));
/// assert_eq!(merged.read_write_timeout(), None);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Config {
    rpc_timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    read_write_timeout: Option<Duration>,
}

impl Config {
    /// Creates a config with nothing set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Returns the limit on the whole call.
    pub fn rpc_timeout(&self) -> Option<Duration> {
        self.rpc_timeout
    }

    /// Returns the limit on establishing a connection.
    pub fn connect_timeout(&self) -> Option<Duration> {
        self.connect_timeout
    }

    /// Returns the limit on one read or write making no progress.
    pub fn read_write_timeout(&self) -> Option<Duration> {
        self.read_write_timeout
    }

    /// Sets or clears the limit on the whole call.
    pub fn set_rpc_timeout(&mut self, timeout: Option<Duration>) {
        self.rpc_timeout = timeout;
    }

    /// Sets or clears the limit on establishing a connection.
    pub fn set_connect_timeout(&mut self, timeout: Option<Duration>) {
        self.connect_timeout = timeout;
    }

    /// Sets or clears the limit on one read or write making no progress.
    pub fn set_read_write_timeout(&mut self, timeout: Option<Duration>) {
        self.read_write_timeout = timeout;
    }

    /// Sets or clears the limit on the whole call.
    #[must_use]
    pub fn with_rpc_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.rpc_timeout = timeout;
        self
    }

    /// Sets or clears the limit on establishing a connection.
    #[must_use]
    pub fn with_connect_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets or clears the limit on one read or write making no progress.
    #[must_use]
    pub fn with_read_write_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.read_write_timeout = timeout;
        self
    }

    /// Returns `self` with every option that `overrides` sets replaced by its value.
    #[must_use]
    pub fn merge(mut self, overrides: &Config) -> Self {
        let Config {
            rpc_timeout,
            connect_timeout,
            read_write_timeout,
        } = *overrides;
        self.rpc_timeout = rpc_timeout.or(self.rpc_timeout);
        self.connect_timeout = connect_timeout.or(self.connect_timeout);
        self.read_write_timeout = read_write_timeout.or(self.read_write_timeout);
        self
    }
}

impl Reset for Config {
    fn reset(&mut self) {
        *self = Config::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn ms(n: u64) -> Option<Duration> {
        Some(Duration::from_millis(n))
    }

    #[test]
    fn merge_prefers_what_the_overrides_set() {
        let defaults = Config::new()
            .with_rpc_timeout(ms(1000))
            .with_connect_timeout(ms(50))
            .with_read_write_timeout(ms(300));
        let per_call = Config::new()
            .with_rpc_timeout(ms(10))
            .with_read_write_timeout(ms(20));

        let merged = defaults.clone().merge(&per_call);
        assert_eq!(merged.rpc_timeout(), ms(10));
        assert_eq!(merged.connect_timeout(), ms(50));
        assert_eq!(merged.read_write_timeout(), ms(20));

        // Nothing set: the defaults stand; merging into nothing: the overrides stand.
        assert_eq!(defaults.clone().merge(&Config::new()), defaults);
        assert_eq!(Config::new().merge(&per_call), per_call);
    }

    #[test]
    fn setters_and_reset() {
        let mut config = Config::new();
        config.set_rpc_timeout(ms(5));
        config.set_connect_timeout(ms(6));
        config.set_read_write_timeout(ms(7));
        assert_eq!(
            (
                config.rpc_timeout(),
                config.connect_timeout(),
                config.read_write_timeout()
            ),
            (ms(5), ms(6), ms(7))
        );
        config.reset();
        assert_eq!(config, Config::default());
    }
}
