//! Small helpers shared by the server and the transports.

use std::{
    future::{Future, poll_fn},
    pin::pin,
    sync::{Mutex, MutexGuard, PoisonError},
    task::Poll,
};

/// Polls `f` once, with the caller's waker: its output if it is ready at
/// once, `None` if not (`f` is then dropped, so it must be cancel safe).
pub(crate) async fn poll_once<F: Future>(f: F) -> Option<F::Output> {
    let mut f = pin!(f);
    poll_fn(|cx| match f.as_mut().poll(cx) {
        Poll::Ready(out) => Poll::Ready(Some(out)),
        Poll::Pending => Poll::Ready(None),
    })
    .await
}

/// Locks `m`, also when a panic poisoned it: every state these locks guard
/// is whole between statements, so a panic elsewhere leaves nothing broken.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}
