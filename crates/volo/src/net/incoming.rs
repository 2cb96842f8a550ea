//! Accepting connections: [`Listener`], its [`ListenOptions`], and the [`Incoming`]
//! trait that server loops are generic over.

use std::{future::Future, io, net::SocketAddr};

use socket2::{Domain, Protocol, Socket, Type};
use tokio::net::TcpListener;
#[cfg(unix)]
use {std::path::Path, tokio::net::UnixListener};

use super::{Address, Conn, SplitIo};

/// A source of accepted connections, for a server's accept loop.
///
/// [`Listener`] is the usual one; a TLS acceptor or an in-memory test harness can
/// implement it too. The returned future borrows the source mutably, so one task
/// owns the accept loop.
pub trait Incoming: Send + 'static {
    /// The connections this source yields.
    type Conn: SplitIo;

    /// Waits for the next connection and returns it with the peer's address.
    ///
    /// An error concerns one connection attempt (the peer went away, or the process
    /// ran out of file descriptors): a server logs it, backs off briefly if it keeps
    /// happening, and keeps accepting.
    fn accept(&mut self) -> impl Future<Output = io::Result<(Self::Conn, Address)>> + Send;
}

/// Options for [`Listener::bind`].
///
/// | option       | default | meaning                                                    |
/// |--------------|---------|------------------------------------------------------------|
/// | `reuse_addr` | `true`  | `SO_REUSEADDR` (Unix platforms): rebind while old connections linger in `TIME_WAIT` |
/// | `backlog`    | 1024    | queue length for connections not yet accepted              |
/// | `nodelay`    | `true`  | `TCP_NODELAY` on accepted TCP connections                  |
///
/// ```
/// use volo::net::ListenOptions;
///
/// let options = ListenOptions::new().with_backlog(128).with_nodelay(false);
/// assert_eq!(options.backlog(), 128);
/// assert!(options.reuse_addr());
/// ```
#[derive(Debug, Clone)]
pub struct ListenOptions {
    reuse_addr: bool,
    backlog: u32,
    nodelay: bool,
}

impl Default for ListenOptions {
    fn default() -> Self {
        Self {
            reuse_addr: true,
            backlog: 1024,
            nodelay: true,
        }
    }
}

impl ListenOptions {
    /// Creates the default options.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `SO_REUSEADDR` on TCP listeners (Unix platforms only; elsewhere it has a
    /// different, unsafe meaning and is never set).
    #[must_use]
    pub fn with_reuse_addr(mut self, reuse_addr: bool) -> Self {
        self.reuse_addr = reuse_addr;
        self
    }

    /// Sets the length of the queue of connections not yet accepted. The OS may cap
    /// it (on Linux, at `net.core.somaxconn`).
    #[must_use]
    pub fn with_backlog(mut self, backlog: u32) -> Self {
        self.backlog = backlog;
        self
    }

    /// Sets `TCP_NODELAY` on accepted TCP connections.
    #[must_use]
    pub fn with_nodelay(mut self, nodelay: bool) -> Self {
        self.nodelay = nodelay;
        self
    }

    /// Returns whether `SO_REUSEADDR` is requested.
    pub fn reuse_addr(&self) -> bool {
        self.reuse_addr
    }

    /// Returns the backlog length.
    pub fn backlog(&self) -> u32 {
        self.backlog
    }

    /// Returns whether accepted TCP connections get `TCP_NODELAY`.
    pub fn nodelay(&self) -> bool {
        self.nodelay
    }

    /// The backlog as the `listen(2)` argument type.
    fn backlog_arg(&self) -> i32 {
        i32::try_from(self.backlog).unwrap_or(i32::MAX)
    }
}

/// A bound, listening socket: TCP or Unix domain.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// use volo::net::{Address, ListenOptions, Listener};
///
/// let addr: Address = "127.0.0.1:0".parse().unwrap();
/// let listener = Listener::bind(addr, ListenOptions::default()).await?;
/// let bound = listener.local_addr()?;
/// assert_ne!(bound.as_ip().unwrap().port(), 0);
/// # Ok(())
/// # }
/// ```
///
/// # Unix domain sockets
///
/// A Unix listener leaves a socket file behind when its process exits. Before binding,
/// [`Listener::bind`] removes a file at the path only if it is a socket and nothing
/// accepts connections on it (a connection attempt is refused); a regular file, a
/// directory or a live socket is left alone, and binding then fails with
/// `AddrInUse`. A live listener sees that connection attempt as a connection closed
/// without data. Dropping the listener does not remove the file.
#[derive(Debug)]
pub struct Listener {
    inner: Inner,
    nodelay: bool,
}

#[derive(Debug)]
enum Inner {
    Tcp(TcpListener),
    #[cfg(unix)]
    Unix(UnixListener),
}

impl Listener {
    /// Binds to `addr` and starts listening with `options`.
    ///
    /// Binding to port 0 picks a free port; [`Listener::local_addr`] tells which.
    /// Must be awaited within a tokio runtime, which registers the socket.
    pub async fn bind(addr: impl Into<Address>, options: ListenOptions) -> io::Result<Self> {
        let inner = match addr.into() {
            Address::Ip(ip) => Inner::Tcp(bind_tcp(ip, &options)?),
            #[cfg(unix)]
            Address::Unix(path) => Inner::Unix(bind_unix(&path, &options)?),
        };
        Ok(Self {
            inner,
            nodelay: options.nodelay,
        })
    }

    /// Returns the address the listener is bound to.
    pub fn local_addr(&self) -> io::Result<Address> {
        match &self.inner {
            Inner::Tcp(l) => l.local_addr().map(Address::Ip),
            #[cfg(unix)]
            Inner::Unix(l) => l.local_addr().map(|a| super::conn::unix_address(&a)),
        }
    }

    /// Waits for a connection and returns it with the peer's address.
    ///
    /// Cancel-safe: if the future is dropped, no connection is lost.
    pub async fn accept(&self) -> io::Result<(Conn, Address)> {
        match &self.inner {
            Inner::Tcp(l) => {
                let (stream, peer) = l.accept().await?;
                if self.nodelay
                    && let Err(e) = stream.set_nodelay(true)
                {
                    // The peer may already be gone; reading or writing will say so.
                    tracing::debug!(%peer, error = %e, "failed to set TCP_NODELAY on accepted connection");
                }
                Ok((Conn::Tcp(stream), Address::Ip(peer)))
            }
            #[cfg(unix)]
            Inner::Unix(l) => {
                let (stream, peer) = l.accept().await?;
                Ok((Conn::Unix(stream), super::conn::unix_address(&peer)))
            }
        }
    }
}

impl Incoming for Listener {
    type Conn = Conn;

    async fn accept(&mut self) -> io::Result<(Conn, Address)> {
        Listener::accept(self).await
    }
}

fn bind_tcp(addr: SocketAddr, options: &ListenOptions) -> io::Result<TcpListener> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    if cfg!(unix) && options.reuse_addr {
        socket.set_reuse_address(true)?;
    }
    socket.set_nonblocking(true)?;
    socket.bind(&addr.into())?;
    socket.listen(options.backlog_arg())?;
    TcpListener::from_std(socket.into())
}

#[cfg(unix)]
fn bind_unix(path: &Path, options: &ListenOptions) -> io::Result<UnixListener> {
    remove_stale_socket(path)?;
    let socket = Socket::new(Domain::UNIX, Type::STREAM, None)?;
    socket.set_nonblocking(true)?;
    socket.bind(&socket2::SockAddr::unix(path)?)?;
    socket.listen(options.backlog_arg())?;
    UnixListener::from_std(socket.into())
}

/// Removes the file at `path` if it is a socket that nobody accepts connections on.
#[cfg(unix)]
fn remove_stale_socket(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::FileTypeExt;

    let is_socket = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta.file_type().is_socket(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    if !is_socket {
        // Not ours to delete: binding reports `AddrInUse`.
        return Ok(());
    }
    // A non-blocking connect answers at once: refused means no listener is left.
    let probe = Socket::new(Domain::UNIX, Type::STREAM, None)?;
    probe.set_nonblocking(true)?;
    match probe.connect(&socket2::SockAddr::unix(path)?) {
        Err(e) if e.kind() == io::ErrorKind::ConnectionRefused => {
            tracing::debug!(path = %path.display(), "removing stale unix socket file");
            match std::fs::remove_file(path) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            }
        }
        // Live (or busy) listener, or some other trouble: leave the file alone.
        _ => Ok(()),
    }
}
