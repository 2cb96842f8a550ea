//! The demo: a server and a client talking over TCP on 127.0.0.1.
//!
//! The server accepts connections with `volo::net::Listener` and answers each request
//! line through a Motore stack: `CatchPanic` (a panicking handler becomes an error
//! reply) around `Timeout` (a slow call is cut off) around the `Greeter` handler,
//! written with `#[service]`. The client dials with `volo::net::Dialer` and sends a few
//! names, one of them slow enough to be cut off, and one that makes the handler panic.
//!
//! The wire is one line per request and per reply, to keep the demo about the stack;
//! the Thrift framework speaks real Thrift over the same pieces.

use std::{net::SocketAddr, time::Duration};

use motore::{Service, ServiceBuilder, service};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use volo::{
    context::{Endpoint, Role, RpcCx, RpcInfo, ServerContext, ServerInfo},
    net::{Dialer, ListenOptions, Listener},
};

/// The handler: greets by name; `slow` sleeps past the deadline, `panic` panics.
#[derive(Clone)]
struct Greeter;

#[service]
impl Service<ServerContext, String> for Greeter {
    async fn call(&self, cx: &mut ServerContext, name: String) -> Result<String, motore::BoxError> {
        match name.as_str() {
            "slow" => tokio::time::sleep(Duration::from_secs(5)).await,
            "panic" => panic!("the handler panicked on purpose"),
            _ => {}
        }
        let caller = cx.rpc_info().caller().address().map(ToString::to_string);
        Ok(format!(
            "hello, {name} (from {})",
            caller.unwrap_or_default()
        ))
    }
}

async fn serve(listener: Listener) {
    loop {
        let Ok((conn, peer)) = listener.accept().await else {
            continue;
        };
        tokio::spawn(async move {
            let service = ServiceBuilder::new()
                .catch_panic()
                .timeout(Some(Duration::from_millis(200)))
                .service(Greeter);
            let (read, mut write) = conn.into_split();
            let mut lines = BufReader::new(read).lines();
            while let Ok(Some(name)) = lines.next_line().await {
                let info = RpcInfo::new(Role::Server)
                    .with_caller(Endpoint::new("hello-client").with_address(peer.clone()))
                    .with_method("greet");
                let mut cx: ServerContext = RpcCx::new(info, ServerInfo::default());
                let reply = match service.call(&mut cx, name).await {
                    Ok(greeting) => greeting,
                    Err(err) => format!("error: {err}"),
                };
                if write
                    .write_all(format!("{reply}\n").as_bytes())
                    .await
                    .is_err()
                {
                    break;
                }
            }
        });
    }
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let listener =
        Listener::bind(SocketAddr::from(([127, 0, 0, 1], 0)), ListenOptions::new()).await?;
    let addr = listener.local_addr()?;
    println!("server listening on {addr}");
    tokio::spawn(serve(listener));

    let conn = Dialer::new().dial(&addr).await?;
    let (read, mut write) = conn.into_split();
    let mut replies = BufReader::new(read).lines();
    for name in ["volo", "motore", "slow", "panic", "pilota"] {
        write.write_all(format!("{name}\n").as_bytes()).await?;
        let reply = replies.next_line().await?.unwrap_or_default();
        println!("client: {name:>7} -> {reply}");
    }
    Ok(())
}
