//! The echo service of the load harness on this repository's Volo: the
//! generated code for `idl/echo.thrift`, the server's handler, the client
//! and the metainfo interop check. The `server` and `client` binaries are
//! thin wrappers around these.
//!
//! # Example
//!
//! Serve on a free port, then run the metainfo check and a short load:
//!
//! ```
//! use load_harness::{ClientArgs, Parser};
//!
//! # #[tokio::main]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let (addr, server) = load::bind("127.0.0.1:0".parse()?).await?;
//! tokio::spawn(server);
//!
//! let args = ClientArgs::try_parse_from([
//!     "client", "--addr", &addr, "--concurrency", "4", "--warmup", "0", "--duration", "0.2",
//! ])?;
//! load::check(&args).await?;
//! let report = load::load(&args).await?;
//! assert!(report.calls > 0);
//! assert_eq!(report.errors, 0);
//! # Ok(())
//! # }
//! ```

use std::{future::Future, io, net::SocketAddr, sync::Arc};

use load_harness::{ClientArgs, Report, Transport, interop};
use metainfo::MetaInfo;
use pilota::FastStr;
use volo::net::{ListenOptions, Listener};
use volo_thrift::{codec::ttheader::BizStatus, server::Server, transport::PoolConfig};

include!(concat!(env!("OUT_DIR"), "/echo.rs"));

use echo::{Echo, EchoClient, EchoServer, Request, Response};

/// The echo handler: replies with the request's message, or, for an
/// interop check message, with the metainfo it received (and sets the
/// backward value).
#[derive(Debug, Clone, Copy, Default)]
pub struct Handler;

impl Echo for Handler {
    async fn echo(&self, req: Request) -> Result<Response, motore::BoxError> {
        if req.message == interop::BIZ_REQUEST {
            return Err(BizStatus::new(interop::BIZ_CODE, interop::BIZ_MESSAGE).into());
        }
        if !req.message.starts_with(interop::PREFIX) {
            return Ok(Response {
                message: req.message,
                ..Default::default()
            });
        }
        let message = metainfo::with_current_mut(|mi| {
            let persistent = mi.get_persistent(interop::PERSISTENT_KEY).cloned();
            let transient = mi.get_upstream(interop::TRANSIENT_KEY).cloned();
            mi.set_backward(
                interop::BACKWARD_KEY,
                interop::backward_value(persistent.as_deref()),
            );
            interop::server_reply(persistent.as_deref(), transient.as_deref())
        })?;
        Ok(Response {
            message: message.into(),
            ..Default::default()
        })
    }
}

/// Binds `addr` and returns the bound address with the echo server, which
/// serves until it is dropped. Our server tells pool from multiplexed
/// connections itself, so it needs no transport.
pub async fn bind(
    addr: SocketAddr,
) -> io::Result<(String, impl Future<Output = io::Result<()>> + Send)> {
    let listener = Listener::bind(addr, ListenOptions::new()).await?;
    let bound = listener.local_addr()?.to_string();
    Ok((bound, Server::new(EchoServer::new(Handler)).run(listener)))
}

/// A client of the server at `args.addr` over `args.transport`.
pub fn client(args: &ClientArgs) -> EchoClient {
    let builder = EchoClient::builder("echo")
        .address(args.addr)
        .caller_name("load-client");
    match args.transport {
        Transport::Pool => builder
            .pool(PoolConfig::new().with_max_idle_per_host(args.concurrency.max(1)))
            .build(),
        Transport::Multiplex => builder.multiplex().build(),
    }
}

/// Runs the load `args` describe and reports it.
pub async fn load(args: &ClientArgs) -> Result<Report, String> {
    let plan = args.plan()?;
    let client = Arc::new(client(args));
    let message = FastStr::from_string(load_harness::payload(args.payload));
    Ok(load_harness::run(plan, move || {
        let client = Arc::clone(&client);
        let message = message.clone();
        async move {
            let expected = message.len();
            let reply = client
                .echo(Request {
                    message,
                    ..Default::default()
                })
                .await
                .map_err(|e| e.to_string())?;
            if reply.message.len() == expected {
                Ok(())
            } else {
                Err(format!(
                    "echoed {} bytes of {expected}",
                    reply.message.len()
                ))
            }
        }
    })
    .await)
}

/// The metainfo interop check against the server at `args.addr`: every
/// call must show the persistent and transient values at the server and
/// bring the backward value back.
pub async fn check(args: &ClientArgs) -> Result<(), String> {
    let client = client(args);
    for i in 0..interop::CALLS {
        let want = interop::expectation(i);
        let mut mi = MetaInfo::new();
        mi.set_persistent(interop::PERSISTENT_KEY, want.persistent);
        mi.set_transient(interop::TRANSIENT_KEY, want.transient);
        let request = Request {
            message: want.request.into(),
            ..Default::default()
        };
        let (reply, mi) = metainfo::scope_and_take(mi, client.echo(request)).await;
        let reply = reply.map_err(|e| format!("call {i}: {e}"))?;
        let backward = mi.get_downstream(interop::BACKWARD_KEY);
        interop::verify(i, &reply.message, backward.map(|b| b.as_str()))?;
    }
    let request = Request {
        message: interop::BIZ_REQUEST.into(),
        ..Default::default()
    };
    let status = match client.echo(request).await {
        Ok(reply) => return Err(format!("biz call: a reply {:?}", reply.message)),
        Err(e) => e.biz_status().cloned(),
    };
    interop::verify_biz(status.as_ref().map(|s| (s.code, s.message.as_str())))?;
    // The connection carries on after a business status.
    let after = client
        .echo(Request {
            message: "after biz".into(),
            ..Default::default()
        })
        .await
        .map_err(|e| format!("call after the biz call: {e}"))?;
    if after.message != "after biz" {
        return Err(format!("call after the biz call: {:?}", after.message));
    }
    Ok(())
}
