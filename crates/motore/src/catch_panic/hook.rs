//! Capturing where a caught panic happened.
//!
//! `catch_unwind` gives back the panic payload (the message) but not its location; only
//! the panic hook sees that. We install one hook, once per process, that records the
//! location into a thread-local slot *only while a [`catch`] is running on that thread*,
//! and then always calls the hook that was installed before it, so existing reporting
//! (the default "thread panicked at" message, or a logging hook) keeps working.

use std::{
    cell::Cell,
    panic::{self, AssertUnwindSafe},
    sync::Once,
};

use super::error::{PanicLocation, Panicked};

thread_local! {
    /// How many [`catch`] calls are running on this thread.
    static DEPTH: Cell<usize> = const { Cell::new(0) };
    /// The location of the last panic seen by the hook while `DEPTH > 0`.
    static LOCATION: Cell<Option<PanicLocation>> = const { Cell::new(None) };
}

static INSTALL: Once = Once::new();

/// Installs the location-recording hook in front of the current one, once per process.
pub(super) fn install() {
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            // `try_with` so a panic during thread teardown is still reported.
            let capturing = DEPTH.try_with(Cell::get).unwrap_or(0) > 0;
            let location = info
                .location()
                .filter(|_| capturing)
                .map(|at| PanicLocation::new(at.file(), at.line(), at.column()));
            if location.is_some() {
                let _ = LOCATION.try_with(|slot| slot.set(location));
            }
            previous(info);
        }));
    });
}

/// Runs `f`, turning a panic into [`Panicked`] with the message and, if the hook saw
/// it, the location.
pub(super) fn catch<T>(f: impl FnOnce() -> T) -> Result<T, Panicked> {
    LOCATION.set(None);
    DEPTH.set(DEPTH.get() + 1);
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    DEPTH.set(DEPTH.get() - 1);
    result.map_err(|payload| Panicked::new(payload.as_ref(), LOCATION.take()))
}
