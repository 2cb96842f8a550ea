//! The shutdown signal as a server's connections see it.
//!
//! A connection checks it on every turn of its loop, so checking must cost
//! next to nothing: a flag, and a waker slot of its own that is only
//! replaced when the task's waker changes. (A `watch` channel costs a
//! `Notify` registration on every check, which showed up in profiles of
//! pooled calls.)

use std::{
    future::Future,
    pin::Pin,
    sync::{
        Arc, Mutex, Weak,
        atomic::{AtomicBool, Ordering},
    },
    task::{Context, Poll, Waker},
};

use crate::util::lock;

type Slot = Mutex<Option<Waker>>;

/// Set once, when the server starts shutting down (or is dropped).
#[derive(Debug, Default)]
pub(crate) struct Shutdown {
    down: AtomicBool,
    /// One slot per connection watching; slots of closed connections are
    /// pruned as new ones arrive.
    slots: Mutex<Vec<Weak<Slot>>>,
}

impl Shutdown {
    /// Starts the shutdown: every watcher completes.
    pub(crate) fn trigger(&self) {
        self.down.store(true, Ordering::SeqCst);
        let slots = std::mem::take(&mut *lock(&self.slots));
        for slot in slots.iter().filter_map(Weak::upgrade) {
            if let Some(waker) = lock(&slot).take() {
                waker.wake();
            }
        }
    }

    /// A future that completes once the shutdown starts.
    pub(crate) fn watch(self: &Arc<Self>) -> Watch {
        let slot = Arc::new(Mutex::new(None));
        let mut slots = lock(&self.slots);
        if slots.len() == slots.capacity() {
            slots.retain(|s| s.strong_count() > 0);
        }
        slots.push(Arc::downgrade(&slot));
        drop(slots);
        Watch {
            shutdown: Arc::clone(self),
            slot,
        }
    }
}

/// Completes once the [`Shutdown`] is triggered.
#[derive(Debug)]
pub(crate) struct Watch {
    shutdown: Arc<Shutdown>,
    slot: Arc<Slot>,
}

impl Future for Watch {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.shutdown.down.load(Ordering::SeqCst) {
            return Poll::Ready(());
        }
        {
            let mut slot = lock(&self.slot);
            if !slot.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
                *slot = Some(cx.waker().clone());
            }
        }
        // Triggered while the waker was being stored: the trigger may have
        // missed the slot.
        if self.shutdown.down.load(Ordering::SeqCst) {
            return Poll::Ready(());
        }
        Poll::Pending
    }
}

/// Triggers the shutdown when dropped: a server dropped without a signal
/// also counts as shutting down.
#[derive(Debug)]
pub(crate) struct TriggerOnDrop(pub(crate) Arc<Shutdown>);

impl Drop for TriggerOnDrop {
    fn drop(&mut self) {
        self.0.trigger();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::poll_once;

    #[tokio::test]
    async fn watchers_before_and_after_the_trigger_complete() {
        let shutdown = Arc::new(Shutdown::default());
        let mut before = shutdown.watch();
        assert!(poll_once(&mut before).await.is_none());
        let waiting = tokio::spawn(shutdown.watch());
        tokio::task::yield_now().await;
        assert!(!waiting.is_finished());
        shutdown.trigger();
        waiting.await.unwrap();
        assert_eq!(poll_once(&mut before).await, Some(()));
        assert_eq!(poll_once(shutdown.watch()).await, Some(()));
    }

    #[tokio::test]
    async fn closed_watchers_are_pruned() {
        let shutdown = Arc::new(Shutdown::default());
        for _ in 0..1000 {
            drop(shutdown.watch());
        }
        let _kept: Vec<_> = (0..3).map(|_| shutdown.watch()).collect();
        assert!(
            lock(&shutdown.slots).len() <= 64,
            "{}",
            lock(&shutdown.slots).len()
        );
    }

    #[tokio::test]
    async fn dropping_the_guard_triggers() {
        let shutdown = Arc::new(Shutdown::default());
        let watch = shutdown.watch();
        drop(TriggerOnDrop(Arc::clone(&shutdown)));
        assert_eq!(poll_once(watch).await, Some(()));
    }
}
