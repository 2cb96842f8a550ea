//! The task-scoped current MetaInfo: `scope`, `with_current*`, `spawn`.

use metainfo::{AccessError, MetaInfo};

fn persistent(key: &str) -> Result<Option<String>, AccessError> {
    metainfo::with_current(|mi| mi.get_persistent(key).map(|v| v.to_string()))
}

#[tokio::test]
async fn no_current_metainfo_outside_a_scope() {
    assert_eq!(persistent("k"), Err(AccessError::NotInScope));
    assert_eq!(
        metainfo::with_current_mut(|mi| mi.set_persistent("k", "v")),
        Err(AccessError::NotInScope)
    );
}

#[tokio::test]
async fn scope_makes_the_metainfo_current_across_awaits() {
    let mut mi = MetaInfo::new();
    mi.set_persistent("k", "v");
    let seen = metainfo::scope(mi, async {
        let before = persistent("k");
        tokio::task::yield_now().await;
        metainfo::with_current_mut(|mi| mi.set_persistent("k", "changed")).unwrap();
        tokio::task::yield_now().await;
        (before, persistent("k"))
    })
    .await;
    assert_eq!(seen.0, Ok(Some("v".into())));
    assert_eq!(seen.1, Ok(Some("changed".into())));
    // The scope has ended.
    assert_eq!(persistent("k"), Err(AccessError::NotInScope));
}

#[tokio::test]
async fn nested_borrows_are_errors_not_panics() {
    let result = metainfo::scope(MetaInfo::new(), async {
        let inside_mut = metainfo::with_current_mut(|_| persistent("k")).unwrap();
        let inside_ref = metainfo::with_current(|_| {
            (
                persistent("k"),
                metainfo::with_current_mut(|_| ()),
                metainfo::spawn(async {}).map(|_| ()),
            )
        })
        .unwrap();
        (inside_mut, inside_ref)
    })
    .await;
    assert_eq!(result.0, Err(AccessError::Borrowed));
    // Shared borrows nest; a mutable one (and so `spawn`) does not.
    assert_eq!(result.1.0, Ok(None));
    assert_eq!(result.1.1, Err(AccessError::Borrowed));
    assert_eq!(result.1.2, Err(AccessError::Borrowed));
    assert!(!AccessError::Borrowed.to_string().is_empty());
}

#[tokio::test]
async fn scope_and_take_returns_the_metainfo() {
    let mut mi = MetaInfo::new();
    mi.set_persistent("in", "1");
    let (out, mi) = metainfo::scope_and_take(mi, async {
        metainfo::with_current_mut(|mi| {
            mi.set_backward("out", "2");
            mi.del_persistent("in");
        })
        .unwrap();
        42
    })
    .await;
    assert_eq!(out, 42);
    assert_eq!(mi.get_persistent("in"), None);
    assert_eq!(mi.get_backward("out").map(|v| v.as_str()), Some("2"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spawn_carries_a_child_and_plain_tokio_spawn_sees_nothing() {
    let mut mi = MetaInfo::new();
    mi.set_persistent("tenant", "blue");
    mi.set_transient("hop", "1");
    mi.insert(7u32);

    let (helper, plain, parent_after) = metainfo::scope(mi, async {
        // Set inside the scope, before spawning: the task must see it too.
        metainfo::with_current_mut(|mi| mi.set_persistent("late", "yes")).unwrap();

        let helper = metainfo::spawn(async {
            tokio::task::yield_now().await;
            let seen = metainfo::with_current(|mi| {
                (
                    mi.get_persistent("tenant").map(|v| v.to_string()),
                    mi.get_persistent("late").map(|v| v.to_string()),
                    mi.get_transient("hop").map(|v| v.to_string()),
                    mi.get::<u32>().copied(),
                )
            });
            // The task's writes stay in the task.
            metainfo::with_current_mut(|mi| {
                mi.set_persistent("tenant", "red");
                mi.set_backward("from_task", "x");
            })
            .unwrap();
            seen
        })
        .unwrap()
        .await
        .unwrap();

        let plain = tokio::spawn(async { persistent("tenant") }).await.unwrap();

        let parent_after = metainfo::with_current(|mi| {
            (
                mi.get_persistent("tenant").map(|v| v.to_string()),
                mi.get_backward("from_task").is_some(),
            )
        })
        .unwrap();
        (helper, plain, parent_after)
    })
    .await;

    assert_eq!(
        helper,
        Ok((
            Some("blue".into()),
            Some("yes".into()),
            Some("1".into()),
            Some(7)
        ))
    );
    assert_eq!(plain, Err(AccessError::NotInScope));
    assert_eq!(parent_after, (Some("blue".into()), false));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parent_writes_after_spawn_are_not_seen_by_the_task() {
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let seen = metainfo::scope(MetaInfo::new(), async move {
        metainfo::with_current_mut(|mi| mi.set_persistent("k", "before")).unwrap();
        let task = metainfo::spawn(async move {
            rx.await.unwrap();
            persistent("k")
        })
        .unwrap();
        metainfo::with_current_mut(|mi| mi.set_persistent("k", "after")).unwrap();
        tx.send(()).unwrap();
        task.await.unwrap()
    })
    .await;
    assert_eq!(seen, Ok(Some("before".into())));
}

#[tokio::test]
async fn spawn_outside_a_scope_starts_with_an_empty_metainfo() {
    let seen =
        metainfo::spawn(async { metainfo::with_current(|mi| mi.get_all_persistents().count()) })
            .unwrap()
            .await
            .unwrap();
    assert_eq!(seen, Ok(0));
}
