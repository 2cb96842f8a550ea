//! Our server of [`Handler`], in process on 127.0.0.1.

use std::{net::SocketAddr, time::Duration};

use tokio::{sync::oneshot, task::JoinHandle};
use volo::net::{ListenOptions, Listener};
use volo_thrift::server::Server;
use volo_thrift_interop::{Handler, interop::InteropServer};

/// A volo-thrift server of [`Handler`]; [`Running::stop`] shuts it down.
pub(crate) struct Running {
    pub(crate) addr: SocketAddr,
    shutdown: oneshot::Sender<()>,
    task: JoinHandle<std::io::Result<()>>,
}

impl Running {
    /// Serves a fresh [`Handler`] on 127.0.0.1 at a free port.
    pub(crate) async fn start() -> Self {
        let listener = Listener::bind(SocketAddr::from(([127, 0, 0, 1], 0)), ListenOptions::new())
            .await
            .expect("cannot bind 127.0.0.1:0");
        let addr = *listener
            .local_addr()
            .expect("a bound listener has an address")
            .as_ip()
            .expect("bound to an IP address");
        let (shutdown, stopped) = oneshot::channel::<()>();
        let server = Server::new(InteropServer::new(Handler::new()))
            .shutdown_timeout(Duration::from_secs(2));
        let task = tokio::spawn(server.run_with_shutdown(listener, async {
            let _ = stopped.await;
        }));
        Self {
            addr,
            shutdown,
            task,
        }
    }

    /// Shuts the server down and waits (at most ten seconds) for it to stop.
    pub(crate) async fn stop(self) {
        let _ = self.shutdown.send(());
        tokio::time::timeout(Duration::from_secs(10), self.task)
            .await
            .expect("the server did not stop within ten seconds")
            .expect("the server task panicked")
            .expect("the server failed");
    }
}
