//! Generated glue for awkward IDLs, end to end: method and argument names
//! that are Rust keywords or clash with the generated items' own methods, a
//! service of oneway methods only, and code generated without unknown fields
//! talking to code generated with them.

mod common;

use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};

use common::{eventually, serve};
use pilota::FastStr;
use volo_codegen_tests::{
    all::{
        Counter, CounterServer, Fire, FireClient, FireServer, Keywords, KeywordsClient,
        KeywordsServer,
    },
    no_unknown,
};

struct Names;

impl Keywords for Names {
    async fn r#type(&self, r#match: i32, r#fn: i32) -> Result<i32, motore::BoxError> {
        Ok(r#match * 10 + r#fn)
    }

    async fn builder_2(&self) -> Result<i32, motore::BoxError> {
        Ok(2)
    }

    async fn from_client_2(&self) -> Result<i32, motore::BoxError> {
        Ok(3)
    }

    async fn clone_2(&self) -> Result<i32, motore::BoxError> {
        Ok(4)
    }

    // The IDL names the argument `foo`; an implementation may name it as it likes.
    async fn handler(&self, n: i32) -> Result<i32, motore::BoxError> {
        Ok(n + 1)
    }
}

#[tokio::test]
async fn keyword_and_clashing_names_dispatch_to_the_right_method() {
    let server = serve(KeywordsServer::new(Names)).await;
    let client = KeywordsClient::builder("keywords")
        .address(server.addr)
        .build();
    assert_eq!(client.r#type(4, 2).await.unwrap(), 42);
    assert_eq!(client.builder_2().await.unwrap(), 2);
    assert_eq!(client.from_client_2().await.unwrap(), 3);
    assert_eq!(client.clone_2().await.unwrap(), 4);
    assert_eq!(client.handler(9).await.unwrap(), 10);
    // `clone` is still `Clone::clone`, and `client()` the generic client.
    let copy = client.clone();
    assert_eq!(copy.handler(0).await.unwrap(), 1);
    assert!(format!("{:?}", copy.client()).contains("keywords"));
    server.stop().await;
}

#[derive(Default)]
struct Fired(AtomicUsize);

impl Fire for Fired {
    async fn fire(&self, what: FastStr) -> Result<(), motore::BoxError> {
        if what == "fail" {
            return Err("a oneway failure is only logged".into());
        }
        self.0.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

#[tokio::test]
async fn a_service_of_oneway_methods_only() {
    let fired = Arc::new(Fired::default());
    let server = serve(FireServer::from_arc(Arc::clone(&fired))).await;
    let client = FireClient::builder("fire").address(server.addr).build();
    client.fire("fail".into()).await.unwrap();
    client.fire("one".into()).await.unwrap();
    client.fire("two".into()).await.unwrap();
    assert!(eventually(|| fired.0.load(Ordering::SeqCst) == 2).await);
    server.stop().await;
}

#[derive(Default)]
struct Count(AtomicUsize);

impl Counter for Count {
    async fn next(&self) -> Result<i64, motore::BoxError> {
        Ok(self.0.fetch_add(1, Ordering::SeqCst) as i64 + 1)
    }
}

impl no_unknown::all::Counter for Count {
    async fn next(&self) -> Result<i64, motore::BoxError> {
        Ok(-(self.0.fetch_add(1, Ordering::SeqCst) as i64 + 1))
    }
}

#[tokio::test]
async fn code_without_unknown_fields_interoperates() {
    // A client generated without unknown fields against a server generated with them.
    let server = serve(CounterServer::new(Count::default())).await;
    let client = no_unknown::all::CounterClient::builder("counter")
        .address(server.addr)
        .build();
    assert_eq!(client.next().await.unwrap(), 1);
    assert_eq!(client.next().await.unwrap(), 2);
    server.stop().await;

    // And the other way round.
    let server = serve(no_unknown::all::CounterServer::new(Count::default())).await;
    let client = volo_codegen_tests::all::CounterClient::builder("counter")
        .address(server.addr)
        .build();
    assert_eq!(client.next().await.unwrap(), -1);
    server.stop().await;
}
