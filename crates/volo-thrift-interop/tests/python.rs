//! Interop with Apache Thrift's Python library, both directions, for strict
//! binary and compact protocols over framed and buffered transports:
//!
//! - `python_client_*`: `py/client.py` calls every method of a volo-thrift
//!   server of [`Handler`](volo_thrift_interop::Handler) and checks the answers;
//! - `our_client_*`: the client volo-build generates calls every method of
//!   `py/server.py` and checks the answers, through a pooled and a
//!   multiplexed transport.
//!
//! Both servers answer as `idl/interop.thrift` says; the expected values here
//! and in `py/client.py` are written out, not computed.

mod support;

use std::{
    collections::{HashMap, HashSet},
    net::SocketAddr,
    time::Duration,
};

use pilota::{Bytes, FastStr};
use support::{python::Python, server::Running};
use volo_thrift::{
    codec::{Format, Framing, Protocol},
    transport::PoolConfig,
};
use volo_thrift_interop::interop::{
    Everything, InteropCallError, InteropClient, InteropSumException, InvalidInput, Overflow,
    Point, Scalars, Suit,
};

const BINARY_FRAMED: Format = Format::new(Framing::Framed, Protocol::Binary);
const BINARY_BUFFERED: Format = Format::new(Framing::Buffered, Protocol::Binary);
const COMPACT_FRAMED: Format = Format::new(Framing::Framed, Protocol::Compact);
const COMPACT_BUFFERED: Format = Format::new(Framing::Buffered, Protocol::Compact);

// ---- Python client → our server ----

async fn python_client_against_our_server(format: Format) {
    let python = Python::new().await;
    let server = Running::start().await;
    let done = python.run_client(server.addr, format).await;
    assert!(
        done.status.success(),
        "the Python client over {format:?} failed ({}):\n{}{}",
        done.status,
        done.stdout,
        done.stderr
    );
    assert!(
        done.stdout.contains("every answer matched"),
        "{}",
        done.stdout
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_client_binary_framed() {
    python_client_against_our_server(BINARY_FRAMED).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_client_binary_buffered() {
    python_client_against_our_server(BINARY_BUFFERED).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_client_compact_framed() {
    python_client_against_our_server(COMPACT_FRAMED).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_client_compact_buffered() {
    python_client_against_our_server(COMPACT_BUFFERED).await;
}

// ---- our client → Python server ----

async fn our_client_against_python_server(format: Format) {
    let python = Python::new().await;
    let (server, addr) = python.serve(format).await;
    for (transport, client) in clients(addr, format) {
        let what = format!("{format:?} over a {transport} transport");
        check_scalars(&client, &what).await;
        check_transform(&client, &what).await;
        check_sum(&client, &what).await;
        check_oneway(&client, &what).await;
    }
    // Concurrent calls on one multiplexed connection get their own replies.
    let [_, (_, multiplex)] = clients(addr, format);
    let calls = (1..=16i64).map(|n| {
        let client = multiplex.clone();
        tokio::spawn(async move { (n, client.sum(vec![n, n * 100]).await) })
    });
    for call in calls.collect::<Vec<_>>() {
        let (n, got) = call.await.expect("the call task panicked");
        assert_eq!(
            got.expect("sum"),
            n * 101,
            "{format:?}, concurrent call {n}"
        );
    }
    drop(server);
}

/// A pooled and a multiplexed client of `addr`, with every wait bounded.
fn clients(addr: SocketAddr, format: Format) -> [(&'static str, InteropClient); 2] {
    let builder = || {
        InteropClient::builder("interop")
            .address(addr)
            .format(format)
            .connect_timeout(Duration::from_secs(5))
            .rpc_timeout(Duration::from_secs(10))
    };
    [
        (
            "pooled",
            builder()
                .pool(PoolConfig::new().with_max_idle_per_host(2))
                .build(),
        ),
        ("multiplexed", builder().multiplex().build()),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn our_client_binary_framed() {
    our_client_against_python_server(BINARY_FRAMED).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn our_client_binary_buffered() {
    our_client_against_python_server(BINARY_BUFFERED).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn our_client_compact_framed() {
    our_client_against_python_server(COMPACT_FRAMED).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn our_client_compact_buffered() {
    our_client_against_python_server(COMPACT_BUFFERED).await;
}

// ---- what our client sends and expects (as `py/client.py` does) ----

fn s(text: &str) -> FastStr {
    FastStr::new(text)
}

fn p(x: i32, y: i32) -> Point {
    Point { x, y }
}

fn set<T: std::hash::Hash + Eq, const N: usize>(items: [T; N]) -> HashSet<T> {
    items.into_iter().collect()
}

async fn check_scalars(client: &InteropClient, what: &str) {
    let got = client
        .scalars(
            true,
            -5,
            127,
            32767,
            1_500_000_000,
            1_234_567_890_123,
            -1.25,
            s("héllo, wörld ✓"),
            Bytes::from_static(b"\x00\x01\xfe\xff"),
            Suit::SPADES,
        )
        .await
        .unwrap_or_else(|e| panic!("scalars over {what}: {e}"));
    assert_eq!(
        got,
        Scalars {
            flag: false,
            tiny: 5,
            small: -128,
            short_num: -32768,
            num: -1_294_967_296,
            big: -1_234_567_890_123,
            ratio: -2.5,
            text: Some(s("✓ dlröw ,olléh")),
            blob: Some(Bytes::from_static(b"\xff\xfe\x01\x00")),
            suit: Suit::CLUBS,
        },
        "scalars (edge values) over {what}"
    );

    let got = client
        .scalars(
            false,
            0,
            0,
            0,
            0,
            i64::MIN,
            0.0,
            s(""),
            Bytes::new(),
            Suit::CLUBS,
        )
        .await
        .unwrap_or_else(|e| panic!("scalars over {what}: {e}"));
    assert_eq!(
        got,
        Scalars {
            flag: true,
            tiny: 0,
            small: 1,
            short_num: 1,
            num: 0,
            big: i64::MIN,
            ratio: 0.0,
            text: Some(s("")),
            blob: Some(Bytes::new()),
            suit: Suit::DIAMONDS,
        },
        "scalars (zero values) over {what}"
    );
}

async fn check_transform(client: &InteropClient, what: &str) {
    let sent = Everything {
        scalars: Scalars {
            flag: false,
            tiny: 100,
            small: -1,
            short_num: -300,
            num: -7,
            big: i64::MAX,
            ratio: 3.5,
            text: Some(s("Ünïcode 🦀")),
            blob: Some(Bytes::from_static(b"\x80abc")),
            suit: Suit::HEARTS,
        },
        numbers: Some(vec![1, -2, 3, i32::MAX]),
        tags: Some(set([s("a"), s("b")])),
        counts: Some(HashMap::from([(s("x"), 1), (s("y"), -1)])),
        grid: Some(vec![vec![s("a"), s("b")], vec![], vec![s("c")]]),
        paths: Some(HashMap::from([
            (s("home"), vec![p(1, 2), p(-3, 4)]),
            (s("none"), vec![]),
        ])),
        hands: Some(HashMap::from([
            (1, set([Suit::CLUBS])),
            (-2, HashSet::new()),
        ])),
        points: Some(vec![p(0, 0), p(5, -5)]),
        note: Some(s("hi")),
        origin: Some(p(7, 8)),
        ..Default::default()
    };
    // The default values of the IDL, as the Python side has them too.
    assert_eq!(
        (sent.retries, sent.label.as_str(), sent.trump),
        (3, "unnamed", Suit::HEARTS)
    );
    let got = client
        .transform(sent)
        .await
        .unwrap_or_else(|e| panic!("transform over {what}: {e}"));
    assert_eq!(
        got,
        Everything {
            scalars: Scalars {
                flag: true,
                tiny: -100,
                small: 0,
                short_num: -299,
                num: -14,
                big: -i64::MAX,
                ratio: 7.0,
                text: Some(s("🦀 edocïnÜ")),
                blob: Some(Bytes::from_static(b"cba\x80")),
                suit: Suit::SPADES,
            },
            numbers: Some(vec![i32::MAX, 3, -2, 1]),
            tags: Some(set([s("a"), s("b"), s("seen")])),
            counts: Some(HashMap::from([(s("x"), 2), (s("y"), 0)])),
            grid: Some(vec![vec![s("c")], vec![], vec![s("a"), s("b")]]),
            paths: Some(HashMap::from([
                (s("home"), vec![p(2, 1), p(4, -3)]),
                (s("none"), vec![]),
            ])),
            hands: Some(HashMap::from([
                (1, set([Suit::CLUBS, Suit::SPADES])),
                (-2, set([Suit::SPADES])),
            ])),
            points: Some(vec![p(0, 0), p(-5, 5)]),
            note: Some(s("hi!")),
            origin: Some(p(8, 7)),
            retries: 4,
            label: s("unnamed"),
            trump: Suit::SPADES,
        },
        "transform (every field) over {what}"
    );

    let zero = Scalars {
        text: Some(s("")),
        blob: Some(Bytes::new()),
        suit: Suit::CLUBS,
        ..Default::default()
    };
    let sent = Everything {
        scalars: zero,
        retries: 10,
        label: s("custom"),
        trump: Suit::SPADES,
        ..Default::default()
    };
    let got = client
        .transform(sent)
        .await
        .unwrap_or_else(|e| panic!("transform over {what}: {e}"));
    assert_eq!(
        got,
        Everything {
            scalars: Scalars {
                flag: true,
                small: 1,
                short_num: 1,
                text: Some(s("")),
                blob: Some(Bytes::new()),
                suit: Suit::DIAMONDS,
                ..Default::default()
            },
            retries: 11,
            label: s("custom"),
            trump: Suit::CLUBS,
            ..Default::default()
        },
        "transform (absent fields) over {what}"
    );
}

async fn check_sum(client: &InteropClient, what: &str) {
    for (values, want) in [(vec![1, 2, 3], 6), (vec![-5, 5, -10], -10)] {
        let got = client.sum(values.clone()).await;
        assert_eq!(got.ok(), Some(want), "sum({values:?}) over {what}");
    }
    let failures = [
        (
            vec![],
            InteropSumException::Invalid(InvalidInput {
                reason: Some(s("no values")),
                code: 400,
            }),
        ),
        (
            vec![i64::MAX, 1],
            InteropSumException::Overflow(Overflow { partial: i64::MAX }),
        ),
        (
            vec![-1, i64::MIN],
            InteropSumException::Overflow(Overflow { partial: -1 }),
        ),
    ];
    for (values, want) in failures {
        match client.sum(values.clone()).await {
            Err(InteropCallError::Exception(got)) => {
                assert_eq!(got, want, "sum({values:?}) over {what}");
            }
            other => panic!("sum({values:?}) over {what}: got {other:?}, want {want:?}"),
        }
    }
}

async fn check_oneway(client: &InteropClient, what: &str) {
    client
        .clear()
        .await
        .unwrap_or_else(|e| panic!("clear over {what}: {e}"));
    let events = || async {
        client
            .events()
            .await
            .unwrap_or_else(|e| panic!("events over {what}: {e}"))
    };
    assert_eq!(
        events().await,
        Vec::<FastStr>::new(),
        "events after clear over {what}"
    );

    let sent = [s("first"), s("second ✓")];
    for event in &sent {
        client
            .record(event.clone())
            .await
            .unwrap_or_else(|e| panic!("record over {what}: {e}"));
    }
    // The server records oneway calls as it reads them; `events` (a later
    // call) shows them. Poll for a bounded time in case they take a moment.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    let mut got = events().await;
    while got.len() < sent.len() && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
        got = events().await;
    }
    got.sort();
    assert_eq!(got, sent, "events after record over {what}");

    client
        .clear()
        .await
        .unwrap_or_else(|e| panic!("clear over {what}: {e}"));
    assert_eq!(
        events().await,
        Vec::<FastStr>::new(),
        "events after the second clear over {what}"
    );
}
