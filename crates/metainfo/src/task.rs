//! The current task's [`MetaInfo`], kept in a tokio task-local.

use std::cell::RefCell;
use std::error::Error;
use std::fmt;
use std::future::Future;

use tokio::task::JoinHandle;
use tokio::task::futures::TaskLocalFuture;

use crate::MetaInfo;

tokio::task_local! {
    /// The MetaInfo of the current task, set by [`scope`].
    ///
    /// Prefer [`with_current`] and [`with_current_mut`], which report a missing scope or
    /// a conflicting borrow as an [`AccessError`] instead of panicking.
    pub static METAINFO: RefCell<MetaInfo>;
}

/// Why the current [`MetaInfo`] could not be reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessError {
    /// The code does not run inside [`scope`]: no MetaInfo is current. Task-locals are
    /// not inherited, so this is also what a plain `tokio::spawn`ed task sees.
    NotInScope,
    /// The current MetaInfo is already borrowed: the call was made from inside the
    /// closure of [`with_current`] or [`with_current_mut`].
    Borrowed,
}

impl fmt::Display for AccessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AccessError::NotInScope => "no current MetaInfo: not inside metainfo::scope",
            AccessError::Borrowed => "the current MetaInfo is already borrowed",
        })
    }
}

impl Error for AccessError {}

/// Runs `fut` with `mi` as the current MetaInfo.
///
/// The value is dropped when the future completes; use [`scope_and_take`] to get it back
/// (a server transport does, to send the backward values the handler set).
pub fn scope<F: Future>(mi: MetaInfo, fut: F) -> TaskLocalFuture<RefCell<MetaInfo>, F> {
    METAINFO.scope(RefCell::new(mi), fut)
}

/// Runs `fut` with `mi` as the current MetaInfo and returns its output together with the
/// MetaInfo as `fut` left it.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use metainfo::MetaInfo;
///
/// let handler = async {
///     metainfo::with_current_mut(|mi| mi.set_backward("cost", "3ms")).unwrap();
///     "reply"
/// };
/// let (reply, mi) = metainfo::scope_and_take(MetaInfo::new(), handler).await;
/// assert_eq!(reply, "reply");
/// assert_eq!(mi.get_backward("cost").map(|v| v.as_str()), Some("3ms"));
/// # }
/// ```
pub fn scope_and_take<F: Future>(
    mi: MetaInfo,
    fut: F,
) -> impl Future<Output = (F::Output, MetaInfo)> {
    // A plain function around one task-local scope, not an `async fn`: each
    // level of async nesting would copy `fut` once more.
    let body = async move {
        let out = fut.await;
        // Inside the scope we just entered, so only a borrow held across this point
        // (impossible: `fut` has completed) could make this fail.
        let mi = METAINFO
            .try_with(|cell| cell.try_borrow_mut().map(|mut mi| std::mem::take(&mut *mi)))
            .ok()
            .and_then(Result::ok)
            .unwrap_or_default();
        (out, mi)
    };
    scope(mi, body)
}

/// Calls `f` with the current MetaInfo.
///
/// # Errors
/// [`AccessError::NotInScope`] outside [`scope`], [`AccessError::Borrowed`] when called
/// from inside [`with_current_mut`]'s closure.
pub fn with_current<R>(f: impl FnOnce(&MetaInfo) -> R) -> Result<R, AccessError> {
    METAINFO
        .try_with(|cell| {
            let mi = cell.try_borrow().map_err(|_| AccessError::Borrowed)?;
            Ok(f(&mi))
        })
        .map_err(|_| AccessError::NotInScope)?
}

/// Calls `f` with the current MetaInfo, mutably.
///
/// # Errors
/// [`AccessError::NotInScope`] outside [`scope`], [`AccessError::Borrowed`] when called
/// from inside the closure of [`with_current`] or [`with_current_mut`].
pub fn with_current_mut<R>(f: impl FnOnce(&mut MetaInfo) -> R) -> Result<R, AccessError> {
    METAINFO
        .try_with(|cell| {
            let mut mi = cell.try_borrow_mut().map_err(|_| AccessError::Borrowed)?;
            Ok(f(&mut mi))
        })
        .map_err(|_| AccessError::NotInScope)?
}

/// Spawns `fut` on the tokio runtime with a child of the current MetaInfo as its current
/// MetaInfo (see [`MetaInfo::derive`]): the task reads everything the spawning task held
/// at this point, and the two no longer see each other's later writes. Values the task
/// sets, backward values included, stay in the task.
///
/// Outside [`scope`] the task starts with an empty MetaInfo.
///
/// A plain `tokio::spawn` does not do this: task-locals are not inherited, so code in
/// such a task sees no current MetaInfo ([`AccessError::NotInScope`]).
///
/// Like `tokio::spawn`, this must be called from inside a tokio runtime.
///
/// # Errors
/// [`AccessError::Borrowed`] when called from inside the closure of [`with_current`] or
/// [`with_current_mut`]: deriving needs the current MetaInfo mutably. From there, call
/// [`MetaInfo::derive`] on the borrowed value and spawn `scope(child, fut)` instead.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use metainfo::MetaInfo;
///
/// let mut mi = MetaInfo::new();
/// mi.set_persistent("tenant", "blue");
/// let seen = metainfo::scope(mi, async {
///     let task = metainfo::spawn(async {
///         metainfo::with_current(|mi| mi.get_persistent("tenant").cloned()).unwrap()
///     })
///     .unwrap();
///     task.await.unwrap()
/// })
/// .await;
/// assert_eq!(seen.as_deref(), Some("blue"));
/// # }
/// ```
pub fn spawn<F>(fut: F) -> Result<JoinHandle<F::Output>, AccessError>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let child = match with_current_mut(MetaInfo::derive) {
        Ok(child) => child,
        Err(AccessError::NotInScope) => MetaInfo::new(),
        Err(e @ AccessError::Borrowed) => return Err(e),
    };
    Ok(tokio::spawn(scope(child, fut)))
}
