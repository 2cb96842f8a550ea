//! Graceful shutdown under load: 50 callers keep a server busy with calls of
//! about 100 ms; after 1 s the server's shutdown signal fires. The server
//! stops accepting and reading requests, lets the calls already in its
//! handlers finish (within its shutdown timeout) and sends their replies.
//!
//! Exits 0 only if every call that reached a handler got its reply, and a
//! call made after the shutdown fails with an error instead of hanging.

use std::{
    process::ExitCode,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use examples::slow::{Slow, SlowClient, SlowServer};
use motore::BoxError;
use tokio::task::JoinSet;
use volo_thrift::server::Server;

/// How many callers run at once.
const CALLERS: usize = 50;

/// Counts the calls that entered and left the handler.
#[derive(Default)]
struct Worker {
    started: AtomicUsize,
    finished: AtomicUsize,
}

impl Slow for Worker {
    async fn work(&self, id: i64) -> Result<i64, BoxError> {
        self.started.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(100)).await;
        self.finished.fetch_add(1, Ordering::SeqCst);
        Ok(id)
    }
}

/// What the callers saw.
#[derive(Debug, Default)]
struct Tally {
    ok: AtomicUsize,
    failed: AtomicUsize,
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("graceful_shutdown: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), BoxError> {
    let worker = Arc::new(Worker::default());
    // In-flight calls get up to 5 s to finish after the signal.
    let server = Server::new(SlowServer::from_arc(Arc::clone(&worker)))
        .shutdown_timeout(Duration::from_secs(5));
    let server = examples::spawn(server).await?;
    println!("server: listening on {}", server.addr);

    let client = SlowClient::builder("slow")
        .address(server.addr)
        .rpc_timeout(Duration::from_secs(5))
        .build();
    let tally = Arc::new(Tally::default());
    let mut callers = JoinSet::new();
    for caller in 0..CALLERS {
        let (client, tally) = (client.clone(), Arc::clone(&tally));
        // Each caller calls in a loop until a call fails: once the shutdown
        // has begun, the server takes no new calls.
        callers.spawn(async move {
            let mut id = caller as i64 * 1_000_000;
            loop {
                id += 1;
                match client.work(id).await {
                    Ok(_) => tally.ok.fetch_add(1, Ordering::SeqCst),
                    Err(_) => {
                        tally.failed.fetch_add(1, Ordering::SeqCst);
                        break;
                    }
                };
            }
        });
    }
    println!("client: {CALLERS} callers running, each call takes ~100 ms");

    tokio::time::sleep(Duration::from_secs(1)).await;
    // `finished` first: a call may finish between the two loads.
    let finished = worker.finished.load(Ordering::SeqCst);
    let in_flight = worker.started.load(Ordering::SeqCst) - finished;
    println!("server: shutdown signal with {in_flight} calls in flight");
    // Returns once the server has drained its connections and stopped.
    server.stop().await?;
    let (started, finished) = (
        worker.started.load(Ordering::SeqCst),
        worker.finished.load(Ordering::SeqCst),
    );
    println!("server: stopped; {started} calls started, {finished} finished");

    tokio::time::timeout(Duration::from_secs(10), callers.join_all())
        .await
        .map_err(|_| "the callers did not stop within 10 s")?;
    let (ok, failed) = (
        tally.ok.load(Ordering::SeqCst),
        tally.failed.load(Ordering::SeqCst),
    );
    println!("client: {ok} calls answered, {failed} refused (sent once the shutdown had begun)");

    let late = tokio::time::timeout(Duration::from_secs(10), client.work(-1))
        .await
        .map_err(|_| "a call after the shutdown hung")?;
    match late {
        Ok(_) => return Err("a call after the shutdown succeeded".into()),
        Err(e) => println!("client: a call after the shutdown failed cleanly: {e}"),
    }

    if in_flight == 0 {
        return Err("no call was in flight at the shutdown signal".into());
    }
    if started != finished || ok != finished {
        return Err(format!(
            "{started} calls reached the handler, {finished} finished, {ok} answered"
        )
        .into());
    }
    println!("all {in_flight} in-flight calls completed; no accepted call failed");
    Ok(())
}
