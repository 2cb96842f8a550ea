//! Metainfo over a chain of calls: client → A → B → C, three servers in one
//! process. The values and where they travel:
//!
//! | set by | kind | value | seen by |
//! |---|---|---|---|
//! | client | persistent | `tenant` | A, B and C (every hop) |
//! | client | transient | `trace` | A only, as an upstream value (one hop) |
//! | A | transient | `from-a` | B only, as an upstream value |
//! | C | backward | `c-cost` | B only, as a downstream value (one hop back) |
//! | A | backward | `a-status` | the client, as a downstream value |
//!
//! A server runs each handler inside the call's metainfo scope, and a client
//! called from that handler sends (and receives into) the same scope, so the
//! handlers below only read and set values: the framework does the travel.

use std::{
    process::ExitCode,
    sync::atomic::{AtomicBool, Ordering},
    time::Duration,
};

use examples::hop::{Hop, HopClient, HopServer};
use metainfo::MetaInfo;
use motore::BoxError;
use pilota::FastStr;
use volo_thrift::server::Server;

/// Set when something is seen where the semantics say it should not be.
static UNEXPECTED: AtomicBool = AtomicBool::new(false);

/// Prints what `who` sees for `what`, and whether that is what the metainfo
/// semantics promise.
fn check(who: &str, what: &str, seen: Option<&FastStr>, expected: Option<&str>) {
    let seen = seen.map(FastStr::as_str);
    let verdict = if seen == expected {
        "as expected"
    } else {
        UNEXPECTED.store(true, Ordering::SeqCst);
        "UNEXPECTED"
    };
    println!("[{who}] {what} = {seen:?} ({verdict})");
}

/// One node of the chain: A and B call the next node, C is the last.
struct Node {
    name: &'static str,
    next: Option<HopClient>,
}

impl Hop for Node {
    async fn visit(&self, from: FastStr) -> Result<FastStr, BoxError> {
        let me = self.name;
        // The current scope holds what the request carried.
        metainfo::with_current_mut(|mi| {
            check(
                me,
                "persistent tenant",
                mi.get_persistent("tenant"),
                Some("blue"),
            );
            let trace = (me == "A").then_some("t-42");
            check(
                me,
                "upstream trace (client's transient)",
                mi.get_upstream("trace"),
                trace,
            );
            let from_a = (me == "B").then_some("hello B");
            check(
                me,
                "upstream from-a (A's transient)",
                mi.get_upstream("from-a"),
                from_a,
            );
            match me {
                // For the next hop only.
                "A" => {
                    mi.set_transient("from-a", "hello B");
                    mi.set_backward("a-status", "ok");
                }
                // Back to the caller only.
                "C" => mi.set_backward("c-cost", "3ms"),
                _ => {}
            }
        })?;
        let path = format!("{from} -> {me}");
        let Some(next) = &self.next else {
            return Ok(path.into());
        };
        let path = next.visit(path.into()).await?;
        // The next node's backward values are now downstream values here.
        metainfo::with_current(|mi| {
            let cost = (me == "B").then_some("3ms");
            check(
                me,
                "downstream c-cost (C's backward)",
                mi.get_downstream("c-cost"),
                cost,
            );
        })?;
        Ok(path)
    }
}

/// A client of the node at `addr`.
fn client_of(addr: std::net::SocketAddr) -> HopClient {
    HopClient::builder("hop")
        .address(addr)
        .rpc_timeout(Duration::from_secs(5))
        .build()
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) if !UNEXPECTED.load(Ordering::SeqCst) => ExitCode::SUCCESS,
        Ok(()) => {
            eprintln!("metainfo: some values did not travel as documented");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("metainfo: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), BoxError> {
    // Start from the end of the chain: each node needs the next one's address.
    let c = examples::spawn(Server::new(HopServer::new(Node {
        name: "C",
        next: None,
    })))
    .await?;
    let b = examples::spawn(Server::new(HopServer::new(Node {
        name: "B",
        next: Some(client_of(c.addr)),
    })))
    .await?;
    let a = examples::spawn(Server::new(HopServer::new(Node {
        name: "A",
        next: Some(client_of(b.addr)),
    })))
    .await?;
    println!("servers: A on {}, B on {}, C on {}", a.addr, b.addr, c.addr);

    let mut mi = MetaInfo::new();
    mi.set_persistent("tenant", "blue");
    mi.set_transient("trace", "t-42");
    // The call runs inside `mi`'s scope; the scope comes back with the
    // downstream values of the reply.
    let (path, mi) = metainfo::scope_and_take(mi, client_of(a.addr).visit("client".into())).await;
    println!("[client] path: {}", path?);
    check(
        "client",
        "downstream a-status (A's backward)",
        mi.get_downstream("a-status"),
        Some("ok"),
    );
    check(
        "client",
        "downstream c-cost (C's backward)",
        mi.get_downstream("c-cost"),
        None,
    );

    for server in [a, b, c] {
        server.stop().await?;
    }
    Ok(())
}
