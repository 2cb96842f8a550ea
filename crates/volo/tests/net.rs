//! Listener and Dialer over real sockets: TCP on 127.0.0.1 and Unix sockets in a
//! temporary directory.

use std::{
    io::{self, IoSlice},
    time::Duration,
};

use motore::Service;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use volo::net::{Address, Conn, Dialer, Incoming, ListenOptions, Listener};

fn localhost() -> Address {
    "127.0.0.1:0".parse().unwrap()
}

/// Accepts one connection from any [`Incoming`] and echoes what it reads until EOF.
async fn echo_once<I: Incoming>(mut incoming: I) -> io::Result<Address> {
    let (mut conn, peer) = incoming.accept().await?;
    let mut buf = Vec::new();
    conn.read_to_end(&mut buf).await?;
    conn.write_all(&buf).await?;
    conn.shutdown().await?;
    Ok(peer)
}

/// Writes all of `parts` with vectored writes, resuming after partial writes.
async fn write_all_vectored<W: AsyncWrite + Unpin>(w: &mut W, parts: &[&[u8]]) -> io::Result<()> {
    let mut parts: Vec<&[u8]> = parts.to_vec();
    while !parts.is_empty() {
        let slices: Vec<IoSlice<'_>> = parts.iter().map(|p| IoSlice::new(p)).collect();
        let mut written = w.write_vectored(&slices).await?;
        if written == 0 {
            return Err(io::ErrorKind::WriteZero.into());
        }
        while let Some(first) = parts.first_mut() {
            if written < first.len() {
                *first = &first[written..];
                break;
            }
            written -= first.len();
            parts.remove(0);
        }
    }
    Ok(())
}

/// Sends a header and a large body in vectored writes, half-closes, and reads the echo.
async fn exchange<C: AsyncRead + AsyncWrite + Unpin>(conn: &mut C) -> io::Result<()> {
    let header = b"HEAD".as_slice();
    let body: Vec<u8> = (0..256 * 1024).map(|i| (i % 251) as u8).collect();
    let expected = [header, &body].concat();

    // Write and read concurrently: the echo comes back only after EOF, but a large
    // body must not deadlock on full socket buffers.
    let (mut r, mut w) = tokio::io::split(conn);
    let write = async {
        write_all_vectored(&mut w, &[header, &body]).await?;
        w.shutdown().await
    };
    let read = async {
        let mut got = Vec::new();
        r.read_to_end(&mut got).await?;
        Ok::<_, io::Error>(got)
    };
    let ((), got) = tokio::try_join!(write, read)?;
    assert_eq!(got.len(), expected.len());
    assert!(got == expected, "echoed bytes differ");
    Ok(())
}

#[tokio::test]
async fn tcp_listen_dial_exchange() {
    let listener = Listener::bind(localhost(), ListenOptions::default())
        .await
        .unwrap();
    let server_addr = listener.local_addr().unwrap();
    let server = tokio::spawn(echo_once(listener));

    let mut conn = Dialer::new()
        .call(&mut (), server_addr.clone())
        .await
        .unwrap();
    assert!(conn.is_write_vectored());
    assert_eq!(conn.peer_addr().unwrap(), server_addr);
    let client_addr = conn.local_addr().unwrap();

    exchange(&mut conn).await.unwrap();
    let peer_seen_by_server = server.await.unwrap().unwrap();
    assert_eq!(peer_seen_by_server, client_addr);
}

#[tokio::test]
async fn tcp_over_ipv6_loopback() {
    // Skip quietly only if this machine has no IPv6 loopback at all.
    let Ok(listener) = Listener::bind(
        "[::1]:0".parse::<Address>().unwrap(),
        ListenOptions::default(),
    )
    .await
    else {
        eprintln!("no IPv6 loopback here: skipped");
        return;
    };
    let server_addr = listener.local_addr().unwrap();
    assert!(server_addr.as_ip().unwrap().is_ipv6());
    let server = tokio::spawn(echo_once(listener));
    let mut conn = Dialer::new().dial(&server_addr).await.unwrap();
    exchange(&mut conn).await.unwrap();
    server.await.unwrap().unwrap();
}

#[tokio::test]
async fn socket_options_are_applied() {
    let listener = Listener::bind(localhost(), ListenOptions::new().with_nodelay(true))
        .await
        .unwrap();
    let addr = listener.local_addr().unwrap();

    let dialer = Dialer::new()
        .with_nodelay(false)
        .with_keepalive(Some(Duration::from_secs(30)));
    let (client, accepted) = tokio::join!(dialer.dial(&addr), listener.accept());
    let (client, (accepted, _)) = (client.unwrap(), accepted.unwrap());

    let (Conn::Tcp(client), Conn::Tcp(accepted)) = (client, accepted) else {
        panic!("expected TCP connections");
    };
    assert!(!client.nodelay().unwrap());
    assert!(accepted.nodelay().unwrap());
    let client_socket = socket2::SockRef::from(&client);
    assert!(client_socket.keepalive().unwrap());
    #[cfg(any(target_os = "linux", target_os = "macos"))]
    assert_eq!(
        client_socket.tcp_keepalive_time().unwrap(),
        Duration::from_secs(30)
    );

    let default_dialer = Dialer::new();
    let (client2, _) = tokio::join!(default_dialer.dial(&addr), listener.accept());
    let Conn::Tcp(client2) = client2.unwrap() else {
        panic!("expected TCP");
    };
    assert!(client2.nodelay().unwrap(), "nodelay is on by default");
    assert!(!socket2::SockRef::from(&client2).keepalive().unwrap());
}

#[tokio::test]
async fn split_halves_work_from_different_tasks() {
    let listener = Listener::bind(localhost(), ListenOptions::default())
        .await
        .unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(echo_once(listener));

    let conn = Dialer::new().dial(&addr).await.unwrap();
    let (mut read_half, mut write_half) = conn.into_split();
    assert!(write_half.is_write_vectored());
    let writer = tokio::spawn(async move {
        write_all_vectored(&mut write_half, &[b"ping ", b"pong"]).await?;
        write_half.shutdown().await
    });
    let reader = tokio::spawn(async move {
        let mut got = Vec::new();
        read_half.read_to_end(&mut got).await.map(|_| got)
    });
    writer.await.unwrap().unwrap();
    assert_eq!(reader.await.unwrap().unwrap(), b"ping pong");
    server.await.unwrap().unwrap();
}

#[tokio::test]
async fn read_half_tells_when_the_peer_closed() {
    let listener = Listener::bind(localhost(), ListenOptions::default())
        .await
        .unwrap();
    let addr = listener.local_addr().unwrap();
    let conn = Dialer::new().dial(&addr).await.unwrap();
    let (peer, _) = listener.accept().await.unwrap();
    let (read_half, _write_half) = conn.into_split();
    // Nothing arrived: not readable.
    let idle = tokio::time::timeout(Duration::from_millis(50), read_half.readable()).await;
    assert!(idle.is_err(), "an idle connection reported readable");
    drop(peer);
    tokio::time::timeout(Duration::from_secs(5), read_half.readable())
        .await
        .expect("a closed connection never became readable")
        .unwrap();
}

#[tokio::test]
async fn connecting_to_a_closed_port_fails_fast() {
    // Find a port nobody listens on: bind, note it, close.
    let listener = Listener::bind(localhost(), ListenOptions::default())
        .await
        .unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);

    let started = std::time::Instant::now();
    let err = Dialer::new()
        .with_connect_timeout(Some(Duration::from_secs(5)))
        .dial(&addr)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::ConnectionRefused, "{err}");
    assert!(err.to_string().contains(&addr.to_string()), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "refusal should not wait for the timeout"
    );
}

/// With the accept queue full and nobody accepting, Linux drops new SYNs, so the next
/// connect hangs until the dialer's timeout.
#[cfg(target_os = "linux")]
#[tokio::test]
async fn connect_timeout_is_timed_out() {
    let listener = Listener::bind(localhost(), ListenOptions::new().with_backlog(0))
        .await
        .unwrap();
    let addr = listener.local_addr().unwrap();
    let dialer = Dialer::new().with_connect_timeout(Some(Duration::from_millis(200)));

    let mut held = Vec::new();
    let err = loop {
        match dialer.dial(&addr).await {
            Ok(conn) if held.len() < 16 => held.push(conn),
            Ok(_) => panic!("the accept queue never filled"),
            Err(err) => break err,
        }
    };
    assert_eq!(err.kind(), io::ErrorKind::TimedOut, "{err}");
    assert!(err.to_string().contains(&addr.to_string()), "{err}");
    drop(listener);
}

#[cfg(unix)]
mod unix {
    use std::path::{Path, PathBuf};

    use super::*;

    /// A fresh directory under the system temp dir, removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(tag: &str) -> Self {
            let dir = std::env::temp_dir().join(format!(
                "volo-net-{tag}-{}-{:016x}",
                std::process::id(),
                fastrand::u64(..)
            ));
            std::fs::create_dir(&dir).unwrap();
            TempDir(dir)
        }

        fn path(&self, name: &str) -> PathBuf {
            self.0.join(name)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[tokio::test]
    async fn unix_listen_dial_exchange() {
        let dir = TempDir::new("exchange");
        let addr = Address::from(dir.path("echo.sock"));
        let listener = Listener::bind(addr.clone(), ListenOptions::default())
            .await
            .unwrap();
        assert_eq!(listener.local_addr().unwrap(), addr);
        let server = tokio::spawn(echo_once(listener));

        let mut conn = Dialer::new().call(&mut (), addr.clone()).await.unwrap();
        assert!(matches!(conn, Conn::Unix(_)));
        assert_eq!(conn.peer_addr().unwrap(), addr);
        // The client end is unnamed.
        assert_eq!(conn.local_addr().unwrap().as_unix(), Some(Path::new("")));

        exchange(&mut conn).await.unwrap();
        server.await.unwrap().unwrap();
    }

    #[tokio::test]
    async fn stale_socket_file_is_replaced() {
        let dir = TempDir::new("stale");
        let addr = Address::from(dir.path("stale.sock"));
        let first = Listener::bind(addr.clone(), ListenOptions::default())
            .await
            .unwrap();
        drop(first);
        assert!(
            dir.path("stale.sock").exists(),
            "the file outlives the listener"
        );

        let second = Listener::bind(addr.clone(), ListenOptions::default())
            .await
            .unwrap();
        let server = tokio::spawn(echo_once(second));
        let mut conn = Dialer::new().dial(&addr).await.unwrap();
        exchange(&mut conn).await.unwrap();
        server.await.unwrap().unwrap();
    }

    #[tokio::test]
    async fn live_socket_is_not_stolen() {
        let dir = TempDir::new("live");
        let addr = Address::from(dir.path("live.sock"));
        let live = Listener::bind(addr.clone(), ListenOptions::default())
            .await
            .unwrap();

        let err = Listener::bind(addr.clone(), ListenOptions::default())
            .await
            .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AddrInUse, "{err}");

        // The first listener still serves. The failed bind's liveness probe reached
        // it first, as a connection closed without sending anything.
        let server = tokio::spawn(async move {
            let (mut probe, _) = live.accept().await?;
            assert_eq!(probe.read_to_end(&mut Vec::new()).await?, 0);
            echo_once(live).await
        });
        let mut conn = Dialer::new().dial(&addr).await.unwrap();
        exchange(&mut conn).await.unwrap();
        server.await.unwrap().unwrap();
    }

    #[tokio::test]
    async fn regular_file_is_left_alone() {
        let dir = TempDir::new("file");
        let path = dir.path("not-a-socket");
        std::fs::write(&path, b"keep me").unwrap();

        let err = Listener::bind(Address::from(path.clone()), ListenOptions::default())
            .await
            .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AddrInUse, "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), b"keep me");
    }

    #[tokio::test]
    async fn dialing_a_missing_socket_fails() {
        let dir = TempDir::new("missing");
        let addr = Address::from(dir.path("nobody.sock"));
        let err = Dialer::new().dial(&addr).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound, "{err}");
        assert!(err.to_string().contains("nobody.sock"), "{err}");
    }
}
