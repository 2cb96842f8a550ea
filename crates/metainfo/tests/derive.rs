//! MetaInfo values, children (`derive`, `forward`) and typed values.

use faststr::FastStr;
use metainfo::MetaInfo;

fn get(v: Option<&FastStr>) -> Option<&str> {
    v.map(FastStr::as_str)
}

fn sorted(iter: metainfo::Iter<'_>) -> Vec<(String, String)> {
    let mut all: Vec<_> = iter.map(|(k, v)| (k.to_string(), v.to_string())).collect();
    all.sort();
    all
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn kinds_are_separate() {
    let mut mi = MetaInfo::new();
    mi.set_persistent("k", "p");
    mi.set_transient("k", "t");
    mi.set_upstream("k", "u");
    mi.set_backward("k", "b");
    mi.set_downstream("k", "d");
    assert_eq!(get(mi.get_persistent("k")), Some("p"));
    assert_eq!(get(mi.get_transient("k")), Some("t"));
    assert_eq!(get(mi.get_upstream("k")), Some("u"));
    assert_eq!(get(mi.get_backward("k")), Some("b"));
    assert_eq!(get(mi.get_downstream("k")), Some("d"));

    assert_eq!(mi.del_transient("k").as_deref(), Some("t"));
    assert_eq!(mi.get_transient("k"), None);
    assert_eq!(mi.del_transient("k"), None);
    assert_eq!(get(mi.get_persistent("k")), Some("p"));
    assert_eq!(sorted(mi.get_all_transients()), pairs(&[]));
    assert_eq!(sorted(mi.get_all_downstreams()), pairs(&[("k", "d")]));
}

#[test]
fn setters_take_owned_and_shared_strings() {
    let mut mi = MetaInfo::new();
    mi.set_persistent(String::from("a"), FastStr::from_static_str("1"));
    let borrowed = String::from("b");
    mi.set_persistent(FastStr::new(&borrowed), "2");
    mi.set_persistent("a", "3");
    assert_eq!(
        sorted(mi.get_all_persistents()),
        pairs(&[("a", "3"), ("b", "2")])
    );
}

#[test]
fn child_reads_parent_and_shadows_without_changing_it() {
    let mut parent = MetaInfo::new();
    parent.set_persistent("shared", "parent");
    parent.set_persistent("kept", "parent");
    parent.set_transient("gone", "parent");

    let mut child = parent.derive();
    assert_eq!(get(child.get_persistent("shared")), Some("parent"));

    child.set_persistent("shared", "child");
    child.set_persistent("new", "child");
    assert_eq!(child.del_transient("gone").as_deref(), Some("parent"));
    assert_eq!(child.get_transient("gone"), None);
    // Deleting again finds only the tombstone.
    assert_eq!(child.del_transient("gone"), None);

    assert_eq!(get(child.get_persistent("shared")), Some("child"));
    assert_eq!(
        sorted(child.get_all_persistents()),
        pairs(&[("kept", "parent"), ("new", "child"), ("shared", "child")])
    );
    assert_eq!(sorted(child.get_all_transients()), pairs(&[]));

    // The parent (`self` after derive) still reads the frozen values...
    assert_eq!(get(parent.get_persistent("shared")), Some("parent"));
    assert_eq!(parent.get_persistent("new"), None);
    assert_eq!(get(parent.get_transient("gone")), Some("parent"));
    // ...and its later writes do not reach the child.
    parent.set_persistent("late", "parent");
    parent.del_persistent("kept");
    assert_eq!(child.get_persistent("late"), None);
    assert_eq!(get(child.get_persistent("kept")), Some("parent"));
    assert_eq!(
        sorted(parent.get_all_persistents()),
        pairs(&[("late", "parent"), ("shared", "parent")])
    );
}

#[test]
fn set_after_delete_replaces_the_tombstone() {
    let mut parent = MetaInfo::new();
    parent.set_backward("k", "parent");
    let mut child = parent.derive();
    assert_eq!(child.del_backward("k").as_deref(), Some("parent"));
    child.set_backward("k", "child");
    assert_eq!(get(child.get_backward("k")), Some("child"));
    // Deleting the child's own value keeps hiding the parent's.
    assert_eq!(child.del_backward("k").as_deref(), Some("child"));
    assert_eq!(child.get_backward("k"), None);
    assert_eq!(sorted(child.get_all_backwards()), pairs(&[]));
    assert_eq!(get(parent.get_backward("k")), Some("parent"));
}

#[test]
fn delete_of_a_key_only_the_child_has_leaves_no_tombstone() {
    let mut parent = MetaInfo::new();
    parent.set_persistent("p", "1");
    let mut child = parent.derive();
    child.set_persistent("own", "2");
    assert_eq!(child.del_persistent("own").as_deref(), Some("2"));
    assert_eq!(child.del_persistent("never"), None);
    // With no own values left, deriving again adds no level.
    let grandchild = child.derive();
    assert!(
        format!("{grandchild:?}").contains("parents: 1"),
        "{grandchild:?}"
    );
    assert_eq!(get(grandchild.get_persistent("p")), Some("1"));
}

#[test]
fn multi_level_derive() {
    let mut root = MetaInfo::new();
    root.set_persistent("a", "root");
    root.set_persistent("b", "root");
    root.set_persistent("c", "root");

    let mut mid = root.derive();
    mid.set_persistent("b", "mid");
    mid.del_persistent("c");
    mid.set_persistent("d", "mid");

    let mut leaf = mid.derive();
    assert_eq!(get(leaf.get_persistent("a")), Some("root"));
    assert_eq!(get(leaf.get_persistent("b")), Some("mid"));
    assert_eq!(leaf.get_persistent("c"), None);
    assert_eq!(get(leaf.get_persistent("d")), Some("mid"));

    leaf.set_persistent("c", "leaf");
    leaf.del_persistent("a");
    assert_eq!(
        sorted(leaf.get_all_persistents()),
        pairs(&[("b", "mid"), ("c", "leaf"), ("d", "mid")])
    );
    assert!(format!("{leaf:?}").contains("parents: 2"), "{leaf:?}");

    assert_eq!(
        sorted(mid.get_all_persistents()),
        pairs(&[("a", "root"), ("b", "mid"), ("d", "mid")])
    );
    assert_eq!(
        sorted(root.get_all_persistents()),
        pairs(&[("a", "root"), ("b", "root"), ("c", "root")])
    );
}

#[test]
fn deriving_an_empty_root_gives_an_empty_root() {
    let mut mi = MetaInfo::new();
    let child = mi.derive();
    assert!(format!("{child:?}").contains("parents: 0"), "{child:?}");
    assert_eq!(sorted(child.get_all_persistents()), pairs(&[]));
}

#[derive(Debug, PartialEq)]
struct Deadline(u64);
#[derive(Debug, PartialEq)]
struct Caller(&'static str);

#[test]
fn typed_values() {
    let mut mi = MetaInfo::new();
    assert_eq!(mi.insert(Deadline(10)), None);
    assert_eq!(mi.insert(Deadline(20)), Some(Deadline(10)));
    mi.insert(Caller("svc"));
    assert_eq!(mi.get::<Deadline>(), Some(&Deadline(20)));
    assert!(mi.contains::<Caller>());
    assert_eq!(mi.remove::<Caller>(), Some(Caller("svc")));
    assert!(!mi.contains::<Caller>());
    assert_eq!(mi.get::<u8>(), None);
}

#[test]
fn typed_values_through_children() {
    let mut parent = MetaInfo::new();
    parent.insert(Deadline(10));
    parent.insert(Caller("svc"));

    let mut child = parent.derive();
    assert_eq!(child.get::<Deadline>(), Some(&Deadline(10)));
    // Shadowing: the parent's value is not returned, and stays in the parent.
    assert_eq!(child.insert(Deadline(5)), None);
    assert_eq!(child.get::<Deadline>(), Some(&Deadline(5)));
    // Removing a parent's value hides it from the child only.
    assert_eq!(child.remove::<Caller>(), None);
    assert_eq!(child.get::<Caller>(), None);
    assert!(!child.contains::<Caller>());

    // Removing a shadowing value returns it and still hides the parent's.
    assert_eq!(child.remove::<Deadline>(), Some(Deadline(5)));
    assert_eq!(child.get::<Deadline>(), None);
    child.insert(Deadline(5));

    let grandchild = child.derive();
    assert_eq!(grandchild.get::<Deadline>(), Some(&Deadline(5)));
    assert_eq!(grandchild.get::<Caller>(), None);

    // `child` was frozen by that derive: its values now live in the shared parent, so
    // removing returns nothing, but still hides the value from `child`.
    assert_eq!(child.remove::<Deadline>(), None);
    assert_eq!(child.get::<Deadline>(), None);
    assert_eq!(grandchild.get::<Deadline>(), Some(&Deadline(5)));
    // Inserting again un-hides.
    child.insert(Caller("again"));
    assert_eq!(child.get::<Caller>(), Some(&Caller("again")));

    assert_eq!(parent.get::<Deadline>(), Some(&Deadline(10)));
    assert_eq!(parent.get::<Caller>(), Some(&Caller("svc")));
}

#[test]
fn forward_keeps_what_an_outgoing_call_needs() {
    let mut server = MetaInfo::new();
    server.set_persistent("p", "1");
    server.set_transient("t", "2");
    server.set_upstream("u", "3");
    server.set_backward("b", "4");
    server.set_downstream("d", "5");
    server.insert(Deadline(7));

    let mut call = server.forward();
    assert_eq!(get(call.get_persistent("p")), Some("1"));
    assert_eq!(get(call.get_transient("t")), Some("2"));
    assert_eq!(call.get::<Deadline>(), Some(&Deadline(7)));
    assert_eq!(call.get_upstream("u"), None);
    assert_eq!(call.get_backward("b"), None);
    assert_eq!(call.get_downstream("d"), None);
    assert_eq!(sorted(call.get_all_upstreams()), pairs(&[]));

    // A child of the forwarded MetaInfo keeps the same view.
    let grandchild = call.derive();
    assert_eq!(get(grandchild.get_persistent("p")), Some("1"));
    assert_eq!(grandchild.get_upstream("u"), None);

    // Deleting in the forwarded MetaInfo does not need a tombstone for hidden kinds.
    assert_eq!(call.del_upstream("u"), None);
    call.set_downstream("d", "from callee");
    assert_eq!(get(server.get_downstream("d")), Some("5"));
    assert_eq!(get(server.get_upstream("u")), Some("3"));
}

#[test]
fn forward_of_a_derived_child_still_hides_upstream() {
    let mut server = MetaInfo::new();
    server.set_upstream("u", "3");
    server.set_persistent("p", "1");
    let mut child = server.derive();
    // `child` has no own values, so forward shares the frozen parent directly.
    let call = child.forward();
    assert_eq!(call.get_upstream("u"), None);
    assert_eq!(get(call.get_persistent("p")), Some("1"));
    assert_eq!(get(child.get_upstream("u")), Some("3"));
}

#[test]
fn clear_resets_and_detaches() {
    let mut parent = MetaInfo::new();
    parent.set_persistent("p", "1");
    let mut child = parent.derive();
    child.set_transient("t", "2");
    child.insert(Deadline(1));
    child.clear();
    assert_eq!(child.get_persistent("p"), None);
    assert_eq!(child.get_transient("t"), None);
    assert_eq!(child.get::<Deadline>(), None);
    assert!(format!("{child:?}").contains("parents: 0"), "{child:?}");
    assert_eq!(get(parent.get_persistent("p")), Some("1"));
}

#[test]
fn debug_shows_visible_values() {
    let mut parent = MetaInfo::new();
    parent.set_persistent("p", "1");
    parent.set_persistent("hidden", "x");
    let mut child = parent.derive();
    child.del_persistent("hidden");
    let shown = format!("{child:?}");
    assert!(shown.contains(r#"persistent: {"p": "1"}"#), "{shown}");
    assert!(!shown.contains("hidden"), "{shown}");
}

#[test]
fn metainfo_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send_sync::<MetaInfo>();
    assert_send_sync::<metainfo::TypeMap>();
}

#[test]
fn a_very_long_chain_of_children_drops_without_overflowing() {
    let mut mi = MetaInfo::new();
    let mut children = Vec::new();
    for i in 0..200_000u32 {
        mi.set_persistent("depth", i.to_string());
        if i % 50_000 == 0 {
            // Some levels are still shared when the chain is dropped.
            children.push(mi.derive());
        } else {
            drop(mi.derive());
        }
    }
    assert_eq!(
        mi.get_persistent("depth").map(|v| v.as_str()),
        Some("199999")
    );
    assert_eq!(
        children[1].get_persistent("depth").map(|v| v.as_str()),
        Some("50000")
    );
    drop(mi);
    assert_eq!(
        children[3].get_persistent("depth").map(|v| v.as_str()),
        Some("150000")
    );
}
