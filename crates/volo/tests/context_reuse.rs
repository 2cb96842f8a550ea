//! A reset context serves the next call without allocating again.
//!
//! Allocations are counted per thread by a global allocator that forwards to the
//! system one, so the counts are exact and other tests' threads do not disturb them.

use std::{
    alloc::{GlobalAlloc, Layout, System},
    cell::Cell,
    time::Duration,
};

use volo::context::{
    ClientContext, ClientInfo, Config, Context, Endpoint, Reset, Role, RpcCx, RpcInfo,
};

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

struct CountingAllocator;

// SAFETY: every method forwards to `System` with the arguments it was given, so the
// `GlobalAlloc` contract holds because it holds for `System`; counting touches only a
// const-initialized thread-local `Cell`, which never allocates.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        // SAFETY: the caller upholds `alloc`'s contract, which `System.alloc` shares.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System.alloc` above with this `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

fn allocations_during(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

/// Extension values of distinct zero-sized types: boxing them does not allocate, so
/// any allocation comes from the map itself.
struct Marker<const N: usize>;

/// What a client does to its context during one call.
fn fill(cx: &mut ClientContext) {
    cx.set_seq_id(42);
    cx.timings_mut().record_start();
    let info = cx.rpc_info_mut();
    info.set_method("Echo");
    info.caller_mut().set_service_name("frontend");
    let callee = info.callee_mut();
    callee.set_service_name("echo");
    for (k, v) in [
        ("cluster", "default"),
        ("idc", "a"),
        ("env", "prod"),
        ("shard", "3"),
        ("version", "v2"),
        ("canary", "no"),
    ] {
        callee.insert_tag(k, v);
    }
    info.config_mut()
        .set_rpc_timeout(Some(Duration::from_millis(100)));
    let ext = cx.extensions_mut();
    ext.insert(Marker::<0>);
    ext.insert(Marker::<1>);
    ext.insert(Marker::<2>);
    ext.insert(Marker::<3>);
    ext.insert(Marker::<4>);
    ext.insert(Marker::<5>);
    ext.insert(Marker::<6>);
    ext.insert(Marker::<7>);
}

#[test]
fn reset_clears_values_and_keeps_allocations() {
    let mut cx: ClientContext = RpcCx::new(RpcInfo::new(Role::Client), ClientInfo::default());

    let first_call = allocations_during(|| fill(&mut cx));
    assert!(first_call > 0, "a fresh context grows its maps");
    assert_eq!(cx.extensions().len(), 8);
    let tag_capacity = cx.rpc_info().callee().tags().capacity();

    cx.reset();

    // Values gone...
    assert!(cx.extensions().is_empty());
    assert!(!cx.extensions().contains::<Marker<0>>());
    assert_eq!(cx.seq_id(), 0);
    assert_eq!(cx.timings().start(), None);
    let info = cx.rpc_info();
    assert_eq!(info.role(), Role::Client, "the role outlives a reset");
    assert_eq!(info.method(), "");
    assert_eq!(info.caller(), &Endpoint::default());
    assert_eq!(info.callee(), &Endpoint::default());
    assert_eq!(info.config(), &Config::default());
    // ...capacity kept.
    assert_eq!(info.callee().tags().capacity(), tag_capacity);

    let second_call = allocations_during(|| fill(&mut cx));
    assert_eq!(
        second_call, 0,
        "a reset context is refilled without allocating"
    );
    assert_eq!(cx.extensions().len(), 8);
    assert_eq!(cx.seq_id(), 42);
}

/// Middleware generic over [`Context`] sees the same call through the trait.
fn describe<Cx: Context>(cx: &Cx) -> String {
    let info = cx.rpc_info();
    format!(
        "{} -> {}::{} ({} extensions)",
        info.caller().service_name(),
        info.callee().service_name(),
        info.method(),
        cx.extensions().len()
    )
}

#[test]
fn context_trait_exposes_the_call() {
    let mut cx: ClientContext = RpcCx::new(RpcInfo::new(Role::Client), ClientInfo::default());
    fill(&mut cx);
    assert_eq!(describe(&cx), "frontend -> echo::Echo (8 extensions)");

    Context::extensions_mut(&mut cx).clear();
    Context::rpc_info_mut(&mut cx).set_method("Other");
    assert_eq!(describe(&cx), "frontend -> echo::Other (0 extensions)");
}
