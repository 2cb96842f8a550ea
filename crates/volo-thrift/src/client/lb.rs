//! [`LoadBalanced`]: picks the callee's address before the inner service, and
//! keeps the balancer up to date with the discover's changes.

use std::{
    fmt,
    future::Future,
    pin::Pin,
    sync::{
        Arc, Mutex, PoisonError, Weak,
        atomic::{AtomicBool, Ordering},
    },
};

use motore::Service;
use tokio::sync::{broadcast, oneshot};
use volo::{
    discovery::{Change, Discover},
    loadbalance::{LoadBalance, LoadBalanceError},
};

use super::{ClientError, ClientErrorKind};
use crate::ClientContext;

/// A service that sets the callee address of each call (unless the call
/// options already did) from `discover` and `load_balance`, then calls the
/// inner service.
///
/// # Discovery changes
///
/// If the discover announces changes ([`Discover::watch`] returns a
/// receiver), a background task forwards each [`Change`] to
/// [`LoadBalance::rebalance`], so that calls follow the instances as they
/// come and go. The task:
///
/// - subscribes when the service is built, so no change after that is missed;
/// - is spawned at once when the service is built inside a tokio runtime,
///   else by the first call (a client may be built before its runtime); it
///   runs on that runtime, so a client that outlives it no longer follows
///   changes;
/// - holds only a weak reference to the balancer, and stops when the last
///   clone of this service is dropped (or when the discover closes its
///   channel).
///
/// A task rather than a check on each call: a call pays one atomic load for
/// it, and an idle client keeps up with the changes instead of finding a
/// backlog.
///
/// If the task falls behind by more changes than the discover's channel
/// holds, the oldest are lost. It cannot tell which keys they were about,
/// so it makes the balancer forget every key ([`LoadBalance::reset`]; logged
/// as a warning): each is discovered afresh on its next call, then follows
/// the changes again. A discover sizes its channel for its bursts, so that
/// this stays rare.
pub struct LoadBalanced<D, LB, S> {
    discover: Arc<D>,
    load_balance: Arc<LB>,
    watch: Option<Arc<Watch>>,
    inner: S,
}

impl<D, LB, S: Clone> Clone for LoadBalanced<D, LB, S> {
    fn clone(&self) -> Self {
        Self {
            discover: Arc::clone(&self.discover),
            load_balance: Arc::clone(&self.load_balance),
            watch: self.watch.clone(),
            inner: self.inner.clone(),
        }
    }
}

impl<D: fmt::Debug, LB: fmt::Debug, S: fmt::Debug> fmt::Debug for LoadBalanced<D, LB, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoadBalanced")
            .field("discover", &self.discover)
            .field("load_balance", &self.load_balance)
            .field("watch", &self.watch)
            .field("inner", &self.inner)
            .finish()
    }
}

impl<D: Discover, LB: LoadBalance<D>, S> LoadBalanced<D, LB, S> {
    /// Wraps `inner`, subscribing to `discover`'s changes (see the type's
    /// docs).
    pub fn new(discover: D, load_balance: LB, inner: S) -> Self {
        let load_balance = Arc::new(load_balance);
        let watch = Watch::new(&discover, &load_balance).map(Arc::new);
        Self {
            discover: Arc::new(discover),
            load_balance,
            watch,
            inner,
        }
    }
}

impl<D, LB, S, Req> Service<ClientContext, Req> for LoadBalanced<D, LB, S>
where
    D: Discover,
    LB: LoadBalance<D>,
    S: Service<ClientContext, Req, Error = ClientError> + Sync,
    Req: Send,
{
    type Response = S::Response;
    type Error = ClientError;

    async fn call(&self, cx: &mut ClientContext, req: Req) -> Result<S::Response, ClientError> {
        if let Some(watch) = &self.watch {
            watch.spawn();
        }
        if cx.rpc_info().callee().address().is_none() {
            let address = self
                .load_balance
                .get_picker(cx.rpc_info().callee(), &self.discover)
                .await
                .map_err(lb_error)?
                .next()
                .ok_or_else(|| lb_error(LoadBalanceError::NoAvailableInstance))?;
            cx.rpc_info_mut().callee_mut().set_address(Some(address));
        }
        self.inner.call(cx, req).await
    }
}

fn lb_error(e: LoadBalanceError) -> ClientError {
    ClientError::new(ClientErrorKind::LoadBalance, e.to_string()).with_source(e)
}

type Task = Pin<Box<dyn Future<Output = ()> + Send>>;

/// The task forwarding a discover's changes to a balancer, shared by the
/// clones of one [`LoadBalanced`].
struct Watch {
    /// The task, until it is spawned.
    task: Mutex<Option<Task>>,
    /// Whether the task was spawned: what each call checks.
    spawned: AtomicBool,
    /// Dropped with the last clone of the service, which stops the task.
    _stop: oneshot::Sender<()>,
}

impl Watch {
    /// Subscribes to `discover`'s changes, spawning the task if a runtime is
    /// running; `None` if the discover never changes.
    fn new<D: Discover, LB: LoadBalance<D>>(discover: &D, load_balance: &Arc<LB>) -> Option<Self> {
        let changes = discover.watch(None)?;
        let (stop, stopped) = oneshot::channel();
        let task = forward::<D, LB>(changes, Arc::downgrade(load_balance), stopped);
        let watch = Self {
            task: Mutex::new(Some(Box::pin(task))),
            spawned: AtomicBool::new(false),
            _stop: stop,
        };
        if tokio::runtime::Handle::try_current().is_ok() {
            watch.spawn();
        }
        Some(watch)
    }

    /// Spawns the task on the current runtime, unless it already was.
    fn spawn(&self) {
        if self.spawned.load(Ordering::Acquire) {
            return;
        }
        // The task is only ever taken, so a poisoned lock holds no broken state.
        let task = self
            .task
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(task) = task {
            tokio::spawn(task);
        }
        self.spawned.store(true, Ordering::Release);
    }
}

impl fmt::Debug for Watch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Watch")
            .field("spawned", &self.spawned.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

/// Hands each change to the balancer until the service is dropped or the
/// discover closes its channel.
async fn forward<D: Discover, LB: LoadBalance<D>>(
    mut changes: broadcast::Receiver<Change<D::Key>>,
    load_balance: Weak<LB>,
    mut stopped: oneshot::Receiver<()>,
) {
    loop {
        let received = tokio::select! {
            // A dropped service stops the task even while changes keep coming.
            biased;
            _ = &mut stopped => return,
            received = changes.recv() => received,
        };
        match received {
            Ok(change) => match load_balance.upgrade() {
                Some(load_balance) => load_balance.rebalance(change),
                None => return,
            },
            Err(broadcast::error::RecvError::Lagged(missed)) => match load_balance.upgrade() {
                Some(load_balance) => {
                    tracing::warn!(
                        missed,
                        "the load balancer fell behind the discover's changes; \
                         every key will be discovered afresh"
                    );
                    load_balance.reset();
                }
                None => return,
            },
            Err(broadcast::error::RecvError::Closed) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::{net::SocketAddr, time::Duration};

    use volo::{context::Endpoint, discovery::Instance, net::Address};

    use super::*;

    /// What a balancer was told.
    #[derive(Debug, PartialEq)]
    enum Told {
        Change(Change<()>),
        Reset,
    }

    /// Records what it is told.
    #[derive(Debug, Default)]
    struct Recorder {
        told: Mutex<Vec<Told>>,
    }

    impl LoadBalance<Watched> for Recorder {
        type InstanceIter = std::iter::Empty<Address>;

        async fn get_picker(
            &self,
            _endpoint: &Endpoint,
            _discover: &Watched,
        ) -> Result<Self::InstanceIter, LoadBalanceError> {
            Err(LoadBalanceError::NoAvailableInstance)
        }

        fn rebalance(&self, change: Change<()>) {
            self.told.lock().unwrap().push(Told::Change(change));
        }

        fn reset(&self) {
            self.told.lock().unwrap().push(Told::Reset);
        }
    }

    fn change(port: u16) -> Change<()> {
        let address = Address::from(SocketAddr::from(([127, 0, 0, 1], port)));
        Change::diff((), &[], &[Arc::new(Instance::new(address))]).unwrap()
    }

    async fn ends(task: impl Future<Output = ()>) {
        tokio::time::timeout(Duration::from_secs(5), task)
            .await
            .expect("the task did not end");
    }

    #[tokio::test]
    async fn forwards_changes_past_a_lag_until_the_channel_closes() {
        let (changes, rx) = broadcast::channel(1);
        let (_stop, stopped) = oneshot::channel();
        let lb = Arc::new(Recorder::default());
        // Three changes in a channel of one: the first two are lost, so
        // the balancer forgets what it knew, then takes the third.
        for port in 1..=3 {
            changes.send(change(port)).unwrap();
        }
        drop(changes);
        ends(forward::<Watched, _>(rx, Arc::downgrade(&lb), stopped)).await;
        assert_eq!(
            *lb.told.lock().unwrap(),
            [Told::Reset, Told::Change(change(3))]
        );
    }

    #[tokio::test]
    async fn stops_when_the_service_is_dropped() {
        let (changes, rx) = broadcast::channel(4);
        let (stop, stopped) = oneshot::channel::<()>();
        let lb = Arc::new(Recorder::default());
        let task = tokio::spawn(forward::<Watched, _>(rx, Arc::downgrade(&lb), stopped));
        drop(stop);
        ends(async { task.await.unwrap() }).await;
        assert_eq!(changes.receiver_count(), 0);
    }

    #[tokio::test]
    async fn stops_at_the_next_change_once_the_balancer_is_gone() {
        let (changes, rx) = broadcast::channel(4);
        let (_stop, stopped) = oneshot::channel();
        let lb = Arc::new(Recorder::default());
        let task = tokio::spawn(forward::<Watched, _>(rx, Arc::downgrade(&lb), stopped));
        drop(lb);
        changes.send(change(1)).unwrap();
        ends(async { task.await.unwrap() }).await;
        assert_eq!(changes.receiver_count(), 0);
    }

    #[test]
    fn the_task_waits_for_a_runtime() {
        let (changes, _) = broadcast::channel(4);
        let discover = Watched(changes.clone());
        let outside = LoadBalanced::new(discover.clone(), Recorder::default(), ());
        let watch = outside.watch.as_ref().unwrap();
        assert!(!watch.spawned.load(Ordering::Acquire));
        assert_eq!(changes.receiver_count(), 1);

        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        runtime.block_on(async {
            watch.spawn();
            assert!(watch.spawned.load(Ordering::Acquire));
            let inside = LoadBalanced::new(discover, Recorder::default(), ());
            assert!(
                inside
                    .watch
                    .as_ref()
                    .unwrap()
                    .spawned
                    .load(Ordering::Acquire)
            );
            assert_eq!(changes.receiver_count(), 2);
        });
    }

    /// A discover with no instances that announces changes.
    #[derive(Debug, Clone)]
    struct Watched(broadcast::Sender<Change<()>>);

    impl Discover for Watched {
        type Key = ();
        type Error = std::convert::Infallible;

        fn key(&self, _endpoint: &Endpoint) {}

        async fn discover(&self, _endpoint: &Endpoint) -> Result<Vec<Arc<Instance>>, Self::Error> {
            Ok(Vec::new())
        }

        fn watch(&self, _keys: Option<&[()]>) -> Option<broadcast::Receiver<Change<()>>> {
            Some(self.0.subscribe())
        }
    }
}
