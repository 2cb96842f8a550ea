//! [`Dialer`]: the service that opens connections.

use std::{future::Future, io, time::Duration};

use motore::Service;
use socket2::{SockRef, TcpKeepalive};
use tokio::net::TcpStream;
#[cfg(unix)]
use tokio::net::UnixStream;

use super::{Address, Conn};

/// The connect timeout of [`Dialer::new`].
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(1);

/// Opens connections: a [`Service`] from an [`Address`] to a [`Conn`].
///
/// Because dialing is a service, transports compose like any other middleware: a
/// connection pool or a multiplexer wraps a "make connection" service, and tests can
/// swap in one that hands out in-memory streams. The context is not used, so a
/// `Dialer` serves any `Cx: Send`.
///
/// Options (each a consuming setter, so they chain):
///
/// | option             | default   | meaning                                            |
/// |--------------------|-----------|----------------------------------------------------|
/// | `connect_timeout`  | 1 second  | limit on establishing the connection; `None`: the OS limit |
/// | `nodelay`          | `true`    | `TCP_NODELAY`: send small RPC frames at once       |
/// | `keepalive`        | `None`    | TCP keepalive idle time before the first probe     |
///
/// TCP options do not apply to Unix domain sockets.
///
/// # Errors
///
/// Errors are [`io::Error`]s that keep the kind of the underlying error (so
/// `ConnectionRefused` stays recognizable) and name the address in their message.
/// A connect timeout has kind [`io::ErrorKind::TimedOut`].
///
/// ```
/// use std::time::Duration;
/// use volo::net::Dialer;
///
/// let dialer = Dialer::new()
///     .with_connect_timeout(Some(Duration::from_millis(200)))
///     .with_keepalive(Some(Duration::from_secs(60)));
/// assert_eq!(dialer.connect_timeout(), Some(Duration::from_millis(200)));
/// assert!(dialer.nodelay());
/// ```
#[derive(Debug, Clone)]
pub struct Dialer {
    connect_timeout: Option<Duration>,
    nodelay: bool,
    keepalive: Option<Duration>,
}

impl Default for Dialer {
    fn default() -> Self {
        Self {
            connect_timeout: Some(DEFAULT_CONNECT_TIMEOUT),
            nodelay: true,
            keepalive: None,
        }
    }
}

impl Dialer {
    /// Creates a dialer with the default options.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the limit on establishing a connection; `None` leaves it to the OS.
    #[must_use]
    pub fn with_connect_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets `TCP_NODELAY` on new TCP connections.
    #[must_use]
    pub fn with_nodelay(mut self, nodelay: bool) -> Self {
        self.nodelay = nodelay;
        self
    }

    /// Enables TCP keepalive with this idle time before the first probe, or disables
    /// it with `None`.
    #[must_use]
    pub fn with_keepalive(mut self, idle: Option<Duration>) -> Self {
        self.keepalive = idle;
        self
    }

    /// Returns the connect timeout.
    pub fn connect_timeout(&self) -> Option<Duration> {
        self.connect_timeout
    }

    /// Returns whether `TCP_NODELAY` is set on new TCP connections.
    pub fn nodelay(&self) -> bool {
        self.nodelay
    }

    /// Returns the TCP keepalive idle time, if keepalive is on.
    pub fn keepalive(&self) -> Option<Duration> {
        self.keepalive
    }

    /// Connects to `addr` with this dialer's options.
    pub async fn dial(&self, addr: &Address) -> io::Result<Conn> {
        let connect = async {
            match addr {
                Address::Ip(ip) => {
                    let stream = TcpStream::connect(ip).await?;
                    self.configure(&stream)?;
                    Ok(Conn::Tcp(stream))
                }
                #[cfg(unix)]
                Address::Unix(path) => UnixStream::connect(path).await.map(Conn::Unix),
            }
        };
        with_timeout(self.connect_timeout, connect)
            .await
            .map_err(|e| DialError::wrap(addr, e))
    }

    fn configure(&self, stream: &TcpStream) -> io::Result<()> {
        if self.nodelay {
            stream.set_nodelay(true)?;
        }
        if let Some(idle) = self.keepalive {
            SockRef::from(stream).set_tcp_keepalive(&TcpKeepalive::new().with_time(idle))?;
        }
        Ok(())
    }
}

/// Runs `fut`, failing with [`io::ErrorKind::TimedOut`] after `timeout`, if any.
async fn with_timeout<T>(
    timeout: Option<Duration>,
    fut: impl Future<Output = io::Result<T>>,
) -> io::Result<T> {
    let Some(limit) = timeout else {
        return fut.await;
    };
    match tokio::time::timeout(limit, fut).await {
        Ok(result) => result,
        Err(_) => Err(io::Error::new(
            io::ErrorKind::TimedOut,
            format!("connect timed out after {limit:?}"),
        )),
    }
}

impl<Cx: Send> Service<Cx, Address> for Dialer {
    type Response = Conn;
    type Error = io::Error;

    async fn call(&self, _cx: &mut Cx, addr: Address) -> io::Result<Conn> {
        self.dial(&addr).await
    }
}

/// A connect error with the address it was for; kept inside an [`io::Error`] of the
/// same kind as its cause. The cause's text is part of the message (not a `source`),
/// so a log line that prints only the top-level error still says what went wrong.
#[derive(Debug, thiserror::Error)]
#[error("connect to {addr}: {cause}")]
struct DialError {
    addr: Address,
    cause: io::Error,
}

impl DialError {
    fn wrap(addr: &Address, cause: io::Error) -> io::Error {
        let kind = cause.kind();
        io::Error::new(
            kind,
            DialError {
                addr: addr.clone(),
                cause,
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn timeout_turns_a_stalled_connect_into_timed_out() {
        let stalled = std::future::pending::<io::Result<()>>();
        let err = with_timeout(Some(Duration::from_millis(10)), stalled)
            .await
            .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        assert!(err.to_string().contains("10ms"), "{err}");

        let ready = async { Ok(7) };
        assert_eq!(with_timeout(None, ready).await.unwrap(), 7);
    }

    #[test]
    fn errors_keep_their_kind_and_name_the_address() {
        let addr: Address = "127.0.0.1:9".parse().unwrap();
        let err = DialError::wrap(&addr, io::ErrorKind::ConnectionRefused.into());
        assert_eq!(err.kind(), io::ErrorKind::ConnectionRefused);
        assert!(
            err.to_string().starts_with("connect to 127.0.0.1:9: "),
            "{err}"
        );
    }

    #[test]
    fn defaults() {
        let dialer = Dialer::default();
        assert_eq!(dialer.connect_timeout(), Some(DEFAULT_CONNECT_TIMEOUT));
        assert!(dialer.nodelay());
        assert_eq!(dialer.keepalive(), None);
    }
}
