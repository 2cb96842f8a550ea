//! Type-erased services: they serve like the original, go back into stacks, and can be
//! cloned into tasks or shared by reference.

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use motore::{
    BoxError, Service, ServiceBuilder, ServiceExt,
    service::{BoxCloneService, BoxService},
    service_fn,
    timeout::Elapsed,
};
use tokio::sync::Barrier;

/// Waits on the barrier, so a call only finishes once `n` calls are in flight together.
fn rendezvous(
    barrier: Arc<Barrier>,
) -> impl Service<Vec<u32>, u32, Response = u32, Error = BoxError> + Clone + Send + Sync + 'static {
    service_fn(move |cx: &mut Vec<u32>, req: u32| {
        cx.push(req);
        let barrier = barrier.clone();
        async move {
            barrier.wait().await;
            Ok(req * 10)
        }
    })
}

async fn slow(_cx: &mut (), ms: u64) -> Result<u64, BoxError> {
    tokio::time::sleep(Duration::from_millis(ms)).await;
    Ok(ms)
}

#[tokio::test(start_paused = true)]
async fn box_service_goes_back_into_a_stack() {
    let boxed: BoxService<(), u64, u64, BoxError> = service_fn(slow).boxed();
    let svc = ServiceBuilder::new()
        .timeout(Some(Duration::from_millis(50)))
        .service(boxed);
    assert_eq!(svc.call(&mut (), 10).await.unwrap(), 10);
    assert!(svc.call(&mut (), 60).await.unwrap_err().is::<Elapsed>());
}

#[tokio::test]
async fn box_service_keeps_context_updates() {
    let svc = rendezvous(Arc::new(Barrier::new(1))).boxed();
    let mut cx = Vec::new();
    assert_eq!(svc.call(&mut cx, 4).await.unwrap(), 40);
    assert_eq!(cx, [4]);
    assert_eq!(format!("{svc:?}"), "BoxService { .. }");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn box_clone_service_clones_run_concurrently_in_tasks() {
    const TASKS: u32 = 4;
    let svc: BoxCloneService<Vec<u32>, u32, u32, BoxError> =
        rendezvous(Arc::new(Barrier::new(TASKS as usize))).boxed_clone();
    let tasks: Vec<_> = (0..TASKS)
        .map(|i| {
            let svc = svc.clone();
            tokio::spawn(async move {
                let mut cx = Vec::new();
                let out = svc.call(&mut cx, i).await.unwrap();
                (out, cx)
            })
        })
        .collect();
    // Every call waits at the barrier until all of them are in flight, so this only
    // finishes if the clones really run at the same time.
    let all = tokio::time::timeout(Duration::from_secs(10), async {
        let mut results = Vec::new();
        for task in tasks {
            results.push(task.await.expect("task finished"));
        }
        results
    })
    .await
    .expect("clones ran concurrently");
    for (i, (out, cx)) in all.into_iter().enumerate() {
        let i = i as u32;
        assert_eq!(out, i * 10);
        assert_eq!(cx, [i]);
    }
}

#[test]
fn boxed_services_are_shared_by_reference_across_threads() {
    let calls = AtomicUsize::new(0);
    let svc: BoxService<(), usize, usize, BoxError> =
        service_fn(|_cx: &mut (), req: usize| std::future::ready(Ok::<_, BoxError>(req + 1)))
            .boxed();
    let shared = &svc;
    let calls = &calls;
    std::thread::scope(|scope| {
        for i in 0..4 {
            scope.spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .build()
                    .expect("runtime");
                let out = rt.block_on(shared.call(&mut (), i)).unwrap();
                assert_eq!(out, i + 1);
                calls.fetch_add(1, Ordering::SeqCst);
            });
        }
    });
    assert_eq!(calls.load(Ordering::SeqCst), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn box_clone_service_shared_behind_an_arc() {
    let svc = Arc::new(rendezvous(Arc::new(Barrier::new(3))).boxed_clone());
    let tasks: Vec<_> = (0..3)
        .map(|i| {
            let svc = Arc::clone(&svc);
            tokio::spawn(async move { svc.call(&mut Vec::new(), i).await.unwrap() })
        })
        .collect();
    let mut outs = Vec::new();
    for task in tasks {
        outs.push(task.await.expect("task finished"));
    }
    assert_eq!(outs, [0, 10, 20]);
}
