//! [`Conn`]: one established connection, over TCP or a Unix domain socket.

use std::{
    io::{self, IoSlice},
    pin::Pin,
    task::{Context, Poll},
};

#[cfg(unix)]
use tokio::net::{UnixStream, unix};
use tokio::{
    io::{AsyncRead, AsyncWrite, ReadBuf},
    net::{TcpStream, tcp},
};

use super::Address;

/// Forwards a method call to the stream inside whichever variant `$value` is.
macro_rules! dispatch {
    ($ty:ident, $value:expr, $stream:ident => $body:expr) => {
        match $value {
            $ty::Tcp($stream) => $body,
            #[cfg(unix)]
            $ty::Unix($stream) => $body,
        }
    };
}

/// Implements `AsyncRead` for an enum by forwarding to its variants.
macro_rules! impl_async_read {
    ($ty:ident) => {
        impl AsyncRead for $ty {
            fn poll_read(
                self: Pin<&mut Self>,
                cx: &mut Context<'_>,
                buf: &mut ReadBuf<'_>,
            ) -> Poll<io::Result<()>> {
                dispatch!($ty, self.get_mut(), s => Pin::new(s).poll_read(cx, buf))
            }
        }
    };
}

/// Implements `AsyncWrite` (vectored writes included) for an enum by forwarding to its
/// variants.
macro_rules! impl_async_write {
    ($ty:ident) => {
        impl AsyncWrite for $ty {
            fn poll_write(
                self: Pin<&mut Self>,
                cx: &mut Context<'_>,
                buf: &[u8],
            ) -> Poll<io::Result<usize>> {
                dispatch!($ty, self.get_mut(), s => Pin::new(s).poll_write(cx, buf))
            }

            fn poll_write_vectored(
                self: Pin<&mut Self>,
                cx: &mut Context<'_>,
                bufs: &[IoSlice<'_>],
            ) -> Poll<io::Result<usize>> {
                dispatch!($ty, self.get_mut(), s => Pin::new(s).poll_write_vectored(cx, bufs))
            }

            fn is_write_vectored(&self) -> bool {
                dispatch!($ty, self, s => s.is_write_vectored())
            }

            fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
                dispatch!($ty, self.get_mut(), s => Pin::new(s).poll_flush(cx))
            }

            fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
                dispatch!($ty, self.get_mut(), s => Pin::new(s).poll_shutdown(cx))
            }
        }
    };
}

/// An established connection: a byte stream over TCP or a Unix domain socket.
///
/// `Conn` is what [`Dialer`](super::Dialer) returns and what
/// [`Listener::accept`](super::Listener::accept) yields. It implements tokio's
/// [`AsyncRead`] and [`AsyncWrite`], vectored writes included, so a codec can send a
/// header and a large body in one system call without copying them together.
///
/// A transport that reads and writes from different tasks (a multiplexing client, a
/// pipelining server) splits it with [`Conn::into_split`] (or [`SplitIo`]).
#[derive(Debug)]
pub enum Conn {
    /// A TCP connection.
    Tcp(TcpStream),
    /// A Unix domain socket connection.
    #[cfg(unix)]
    Unix(UnixStream),
}

impl Conn {
    /// Returns the address of the remote end.
    pub fn peer_addr(&self) -> io::Result<Address> {
        match self {
            Conn::Tcp(s) => s.peer_addr().map(Address::Ip),
            #[cfg(unix)]
            Conn::Unix(s) => s.peer_addr().map(|a| unix_address(&a)),
        }
    }

    /// Returns the address of the local end.
    pub fn local_addr(&self) -> io::Result<Address> {
        match self {
            Conn::Tcp(s) => s.local_addr().map(Address::Ip),
            #[cfg(unix)]
            Conn::Unix(s) => s.local_addr().map(|a| unix_address(&a)),
        }
    }

    /// Splits the connection into a read half and a write half that can move to
    /// different tasks. No lock is involved; dropping the write half shuts down the
    /// write direction of the connection.
    pub fn into_split(self) -> (OwnedReadHalf, OwnedWriteHalf) {
        match self {
            Conn::Tcp(s) => {
                let (r, w) = s.into_split();
                (OwnedReadHalf::Tcp(r), OwnedWriteHalf::Tcp(w))
            }
            #[cfg(unix)]
            Conn::Unix(s) => {
                let (r, w) = s.into_split();
                (OwnedReadHalf::Unix(r), OwnedWriteHalf::Unix(w))
            }
        }
    }
}

/// A connection that splits into a read half and a write half, driven
/// independently: what a server needs of the connections it accepts
/// ([`Incoming::Conn`](super::Incoming::Conn)).
///
/// [`Conn`] splits without a lock. A connection type of your own (a TLS stream,
/// a test double) can split with [`tokio::io::split`], which shares the stream
/// behind a lock:
///
/// ```
/// use tokio::io::{DuplexStream, ReadHalf, WriteHalf};
/// use volo::net::SplitIo;
///
/// # #[derive(Debug)]
/// struct Wrapped(DuplexStream);
/// # impl tokio::io::AsyncRead for Wrapped {
/// #     fn poll_read(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>, buf: &mut tokio::io::ReadBuf<'_>) -> std::task::Poll<std::io::Result<()>> {
/// #         std::pin::Pin::new(&mut self.0).poll_read(cx, buf)
/// #     }
/// # }
/// # impl tokio::io::AsyncWrite for Wrapped {
/// #     fn poll_write(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>, buf: &[u8]) -> std::task::Poll<std::io::Result<usize>> {
/// #         std::pin::Pin::new(&mut self.0).poll_write(cx, buf)
/// #     }
/// #     fn poll_flush(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<std::io::Result<()>> {
/// #         std::pin::Pin::new(&mut self.0).poll_flush(cx)
/// #     }
/// #     fn poll_shutdown(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<std::io::Result<()>> {
/// #         std::pin::Pin::new(&mut self.0).poll_shutdown(cx)
/// #     }
/// # }
/// impl SplitIo for Wrapped {
///     type ReadHalf = ReadHalf<Wrapped>;
///     type WriteHalf = WriteHalf<Wrapped>;
///
///     fn split_io(self) -> (Self::ReadHalf, Self::WriteHalf) {
///         tokio::io::split(self)
///     }
/// }
/// ```
pub trait SplitIo: AsyncRead + AsyncWrite + Unpin + Send + 'static {
    /// The read half.
    type ReadHalf: AsyncRead + Unpin + Send + 'static;
    /// The write half.
    type WriteHalf: AsyncWrite + Unpin + Send + 'static;

    /// Splits the connection into its halves.
    fn split_io(self) -> (Self::ReadHalf, Self::WriteHalf);
}

impl SplitIo for Conn {
    type ReadHalf = OwnedReadHalf;
    type WriteHalf = OwnedWriteHalf;

    fn split_io(self) -> (OwnedReadHalf, OwnedWriteHalf) {
        self.into_split()
    }
}

impl From<TcpStream> for Conn {
    fn from(stream: TcpStream) -> Self {
        Conn::Tcp(stream)
    }
}

#[cfg(unix)]
impl From<UnixStream> for Conn {
    fn from(stream: UnixStream) -> Self {
        Conn::Unix(stream)
    }
}

impl_async_read!(Conn);
impl_async_write!(Conn);

/// The read half of a [`Conn`], made by [`Conn::into_split`].
#[derive(Debug)]
pub enum OwnedReadHalf {
    /// The read half of a TCP connection.
    Tcp(tcp::OwnedReadHalf),
    /// The read half of a Unix domain socket connection.
    #[cfg(unix)]
    Unix(unix::OwnedReadHalf),
}

/// The write half of a [`Conn`], made by [`Conn::into_split`].
///
/// [`poll_shutdown`](AsyncWrite::poll_shutdown) and dropping both shut down the write
/// direction only; the read half keeps working.
#[derive(Debug)]
pub enum OwnedWriteHalf {
    /// The write half of a TCP connection.
    Tcp(tcp::OwnedWriteHalf),
    /// The write half of a Unix domain socket connection.
    #[cfg(unix)]
    Unix(unix::OwnedWriteHalf),
}

impl OwnedReadHalf {
    /// Waits until the connection is readable: data arrived, or the peer
    /// closed it. Readiness is cached from the reactor, so a connection that
    /// is readable answers at once without a system call; a pool polls this
    /// once on an idle connection to tell a closed one before reusing it.
    pub async fn readable(&self) -> io::Result<()> {
        dispatch!(OwnedReadHalf, self, s => s.readable().await)
    }
}

impl_async_read!(OwnedReadHalf);
impl_async_write!(OwnedWriteHalf);

/// Converts a Unix socket address; an unnamed socket gets an empty path.
#[cfg(unix)]
pub(crate) fn unix_address(addr: &unix::SocketAddr) -> Address {
    let path = addr.as_pathname().unwrap_or(std::path::Path::new(""));
    Address::from(path)
}
