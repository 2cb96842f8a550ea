//! [`IntoIncoming`]: what a server can be run on.

use std::{future::Future, io, net::SocketAddr};

use volo::net::{Address, Incoming, ListenOptions, Listener};

/// Something a [`Server`](super::Server) can accept connections from: an
/// address to bind ([`Address`], [`SocketAddr`]: TCP or a Unix socket path),
/// or a ready [`Listener`] (bind it yourself to learn the port picked for
/// port 0, or to set [`ListenOptions`]).
pub trait IntoIncoming: Send {
    /// The connection source.
    type Incoming: Incoming;

    /// Binds, if needed.
    fn into_incoming(self) -> impl Future<Output = io::Result<Self::Incoming>> + Send;
}

impl IntoIncoming for Listener {
    type Incoming = Listener;

    async fn into_incoming(self) -> io::Result<Listener> {
        Ok(self)
    }
}

impl IntoIncoming for Address {
    type Incoming = Listener;

    async fn into_incoming(self) -> io::Result<Listener> {
        Listener::bind(self, ListenOptions::new()).await
    }
}

impl IntoIncoming for SocketAddr {
    type Incoming = Listener;

    async fn into_incoming(self) -> io::Result<Listener> {
        Listener::bind(self, ListenOptions::new()).await
    }
}
