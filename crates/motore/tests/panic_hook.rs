//! How `CatchPanic` shares the process-wide panic hook. One test, since hooks are global.

use std::{
    panic,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
};

use motore::{
    Service, ServiceExt,
    catch_panic::{CatchPanic, Panicked},
    service_fn,
};

async fn explode(_cx: &mut (), req: &'static str) -> Result<(), std::io::Error> {
    panic!("{req}");
}

#[tokio::test]
async fn chains_to_the_previous_hook_and_yields_to_a_later_one() {
    // A hook of the application's own, installed first, that counts panics silently.
    let seen_by_app = Arc::new(AtomicUsize::new(0));
    let counter = seen_by_app.clone();
    panic::set_hook(Box::new(move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
    }));

    let svc = CatchPanic::new(service_fn(explode)).map_err(|err| {
        err.downcast::<Panicked>()
            .map(|p| *p)
            .expect("a Panicked error")
    });

    let first = svc.call(&mut (), "first").await.unwrap_err();
    assert_eq!(first.message(), "first");
    let location = first.location().expect("our hook recorded the location");
    assert_eq!(location.file(), file!());
    assert_eq!(
        seen_by_app.load(Ordering::SeqCst),
        1,
        "the app's hook still runs"
    );

    // A panic outside `CatchPanic` goes to the app's hook and leaves no stale location.
    let outside = panic::catch_unwind(|| panic!("elsewhere"));
    assert!(outside.is_err());
    assert_eq!(seen_by_app.load(Ordering::SeqCst), 2);
    let second = svc.call(&mut (), "second").await.unwrap_err();
    assert_eq!(second.location(), first.location(), "same panic site");
    assert_eq!(seen_by_app.load(Ordering::SeqCst), 3);

    // An application that replaces the hook afterwards loses locations, not messages.
    panic::set_hook(Box::new(|_| {}));
    let third = svc.call(&mut (), "third").await.unwrap_err();
    assert_eq!(third.message(), "third");
    assert_eq!(third.location(), None);
    assert_eq!(third.to_string(), "service panicked: third");
    assert_eq!(
        seen_by_app.load(Ordering::SeqCst),
        3,
        "both earlier hooks were replaced"
    );
}
