//! Discovery changes reach load balancing: a client whose discover moves the
//! service from one server to another follows it while it is live.

mod common;

use std::{
    convert::Infallible,
    net::SocketAddr,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use common::echo::{EchoMsg, EchoRequest, EchoResponse, EchoResult, echo};
use motore::{BoxError, Service};
use tokio::sync::broadcast;
use volo::{
    context::Endpoint,
    discovery::{Change, Discover, Instance},
    net::{ListenOptions, Listener},
};
use volo_thrift::{
    ServerContext,
    client::{Builder, Client, ClientError, ClientErrorKind},
    server::Server,
};

/// A registry whose instances the test moves; it announces every change.
#[derive(Debug, Clone)]
struct Registry {
    inner: Arc<RegistryInner>,
}

#[derive(Debug)]
struct RegistryInner {
    instances: Mutex<Vec<Arc<Instance>>>,
    changes: broadcast::Sender<Change<()>>,
}

impl Registry {
    /// A registry listing `addrs`, whose channel holds `capacity` changes.
    fn new(addrs: &[SocketAddr], capacity: usize) -> Self {
        Self {
            inner: Arc::new(RegistryInner {
                instances: Mutex::new(instances(addrs)),
                changes: broadcast::channel(capacity).0,
            }),
        }
    }

    /// Lists `addrs` instead, announcing the change.
    fn set(&self, addrs: &[SocketAddr]) {
        let new = instances(addrs);
        let mut current = self.inner.instances.lock().unwrap();
        if let Some(change) = Change::diff((), &current, &new) {
            *current = new;
            // No subscriber is not an error: nobody is watching yet.
            let _ = self.inner.changes.send(change);
        }
    }

    /// How many subscriptions are open.
    fn watchers(&self) -> usize {
        self.inner.changes.receiver_count()
    }
}

fn instances(addrs: &[SocketAddr]) -> Vec<Arc<Instance>> {
    addrs
        .iter()
        .map(|&a| Arc::new(Instance::new(a.into())))
        .collect()
}

impl Discover for Registry {
    type Key = ();
    type Error = Infallible;

    fn key(&self, _endpoint: &Endpoint) {}

    async fn discover(&self, _endpoint: &Endpoint) -> Result<Vec<Arc<Instance>>, Infallible> {
        Ok(self.inner.instances.lock().unwrap().clone())
    }

    fn watch(&self, _keys: Option<&[()]>) -> Option<broadcast::Receiver<Change<()>>> {
        Some(self.inner.changes.subscribe())
    }
}

/// Answers every `echo` with its own name.
#[derive(Debug, Clone)]
struct Named(&'static str);

impl Service<ServerContext, EchoRequest> for Named {
    type Response = EchoResponse;
    type Error = BoxError;

    async fn call(
        &self,
        _cx: &mut ServerContext,
        _req: EchoRequest,
    ) -> Result<EchoResponse, BoxError> {
        Ok(EchoResponse::Echo(EchoResult::Ok(EchoMsg {
            text: self.0.into(),
            ..EchoMsg::default()
        })))
    }
}

/// Starts a server answering with `name` on 127.0.0.1; it runs until the
/// test's runtime ends.
async fn serve(name: &'static str) -> SocketAddr {
    let addr: SocketAddr = "127.0.0.1:0".parse().unwrap();
    let listener = Listener::bind(addr, ListenOptions::new()).await.unwrap();
    let addr = *listener.local_addr().unwrap().as_ip().unwrap();
    tokio::spawn(Server::new(Named(name)).run(listener));
    addr
}

fn client(registry: &Registry) -> Client<EchoRequest, EchoResponse> {
    Builder::new("echo")
        .discover(registry.clone())
        .rpc_timeout(Duration::from_secs(5))
        .build()
}

/// Which server answered.
async fn try_who(client: &Client<EchoRequest, EchoResponse>) -> Result<String, ClientError> {
    match client.call("echo", echo("who", 0)).await? {
        EchoResponse::Echo(EchoResult::Ok(m)) => Ok(m.text.to_string()),
        other => panic!("not a successful echo: {other:?}"),
    }
}

async fn who(client: &Client<EchoRequest, EchoResponse>) -> String {
    try_who(client).await.unwrap()
}

/// Calls until `name` answers (the change is applied in the background; until
/// then a call may also fail, when the old list was empty), then checks that
/// every following call goes there too.
async fn settles_on(client: &Client<EchoRequest, EchoResponse>, name: &str) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while try_who(client).await.ok().as_deref() != Some(name) {
        assert!(
            Instant::now() < deadline,
            "calls never reached {name} after the change"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    for _ in 0..20 {
        assert_eq!(who(client).await, name);
    }
}

/// Waits until the registry has `n` subscriptions.
async fn watchers_become(registry: &Registry, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while registry.watchers() != n {
        assert!(
            Instant::now() < deadline,
            "{} subscriptions, not {n}",
            registry.watchers()
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[tokio::test]
async fn calls_follow_the_instances_from_a_to_b_and_back() {
    let (a, b) = (serve("A").await, serve("B").await);
    let registry = Registry::new(&[a], 16);
    let client = client(&registry);
    for _ in 0..20 {
        assert_eq!(who(&client).await, "A");
    }

    // A keeps running: only the change can send the calls to B.
    registry.set(&[b]);
    settles_on(&client, "B").await;

    // A clone shares the balancer and its subscription.
    let clone = client.clone();
    registry.set(&[a]);
    settles_on(&clone, "A").await;
    settles_on(&client, "A").await;
    assert_eq!(registry.watchers(), 1);
}

#[tokio::test]
async fn no_instance_is_an_error_until_one_comes_back() {
    let a = serve("A").await;
    let registry = Registry::new(&[a], 16);
    let client = client(&registry);
    assert_eq!(who(&client).await, "A");

    registry.set(&[]);
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        match client.call("echo", echo("who", 0)).await {
            Err(e) if e.kind() == ClientErrorKind::LoadBalance => break,
            Ok(_) => assert!(Instant::now() < deadline, "calls still reach A"),
            Err(e) => panic!("not a load-balancing error: {e}"),
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }

    let b = serve("B").await;
    registry.set(&[b]);
    settles_on(&client, "B").await;
}

#[tokio::test]
async fn the_subscription_ends_with_the_client() {
    let (a, b) = (serve("A").await, serve("B").await);
    let registry = Registry::new(&[a], 16);

    // Dropped after calls and a change: the running task stops.
    let client = client(&registry);
    assert_eq!(who(&client).await, "A");
    registry.set(&[b]);
    settles_on(&client, "B").await;
    assert_eq!(registry.watchers(), 1);
    let clone = client.clone();
    drop(client);
    assert_eq!(who(&clone).await, "B", "a clone keeps the subscription");
    assert_eq!(registry.watchers(), 1);
    drop(clone);
    watchers_become(&registry, 0).await;

    // Dropped without a call.
    let idle = self::client(&registry);
    assert_eq!(registry.watchers(), 1);
    drop(idle);
    watchers_become(&registry, 0).await;
}

#[test]
fn a_client_built_outside_a_runtime_subscribes_on_its_first_call() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (a, b) = runtime.block_on(async { (serve("A").await, serve("B").await) });
    // A channel of one change: the moves before the first call overflow it,
    // and only the latest survives.
    let registry = Registry::new(&[a], 1);
    let client = client(&registry);
    assert_eq!(registry.watchers(), 1);
    registry.set(&[b]);
    registry.set(&[a, b]);
    registry.set(&[b]);
    runtime.block_on(async {
        settles_on(&client, "B").await;
        registry.set(&[a]);
        settles_on(&client, "A").await;
    });
}
