//! [`MetaInfo`]: typed values plus string key/values in five kinds, with cheap children.

use std::fmt;
use std::marker::PhantomData;
use std::mem;
use std::sync::{Arc, LazyLock};

use faststr::FastStr;

use crate::TypeMap;
use crate::kv::{Inherit, Iter, Kind, KvMap};

/// The metadata of one call: typed values plus string key/values in five kinds
/// (persistent, transient, upstream, backward, downstream: see the [crate docs](crate)
/// for who sets each and where it travels).
///
/// Typed values ([`insert`](Self::insert), [`get`](Self::get)) never leave the process.
///
/// # Children
///
/// [`derive`](Self::derive) and [`forward`](Self::forward) make a child that reads its
/// parent without copying it: the parent is moved into an [`Arc`] and frozen, and a
/// lookup tries the child first, then each parent in turn. A child's writes stay in the
/// child. A delete in a child whose parent holds the key records a *tombstone*: the key
/// then reads as absent in that child (and in the child's own children) while the parent
/// still holds it; setting the key again in the child replaces the tombstone.
///
/// Lookups cost one hash probe per level. Deriving from a MetaInfo that has values of
/// its own adds a level, and a level lives as long as any MetaInfo below it, so a
/// long-lived task that keeps setting values and deriving (a loop around
/// [`spawn`](crate::spawn)) builds an ever longer chain: give each unit of work its own
/// short-lived MetaInfo instead.
#[derive(Default)]
pub struct MetaInfo {
    /// The string key/values of each kind, allocated on the first set: a call
    /// that carries none costs no map set-up, and the MetaInfo stays small to
    /// move into and out of a task-local scope.
    kv: Option<Box<[KvMap; Kind::COUNT]>>,
    types: TypeMap,
    parent: Option<Parent>,
}

/// A frozen parent and the parts of it that the child reads through.
struct Parent {
    node: Arc<MetaInfo>,
    inherit: Inherit,
}

/// Marks, in a child's type map, that the child removed the `T` its parent holds.
struct Hidden<T>(PhantomData<fn() -> T>);

macro_rules! kind_methods {
    (
        $kind:ident, $name:literal,
        $set:ident, $get:ident, $del:ident, $all:ident
    ) => {
        #[doc = concat!("Sets the ", $name, " value of `key`; in a child it shadows the parent's value.")]
        pub fn $set(&mut self, key: impl Into<FastStr>, value: impl Into<FastStr>) {
            self.set_kv(Kind::$kind, key.into(), value.into());
        }

        #[doc = concat!("Returns the ", $name, " value of `key`, looking through the parents.")]
        pub fn $get(&self, key: &str) -> Option<&FastStr> {
            self.get_kv(Kind::$kind, key)
        }

        #[doc = concat!(
            "Deletes the ", $name, " value of `key` and returns the value it had. In a child ",
            "this leaves a tombstone when a parent holds the key; the parent is unchanged."
        )]
        pub fn $del(&mut self, key: &str) -> Option<FastStr> {
            self.del_kv(Kind::$kind, key)
        }

        #[doc = concat!(
            "Iterates the visible ", $name, " key/values, parents included, in no fixed order."
        )]
        pub fn $all(&self) -> Iter<'_> {
            Iter::new(self, Kind::$kind)
        }
    };
}

impl MetaInfo {
    /// Creates an empty MetaInfo. It does not allocate until a value is set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Removes every value and detaches from the parent, keeping this MetaInfo's own
    /// allocations so it can be reused for the next call.
    pub fn clear(&mut self) {
        for map in self.kv.iter_mut().flat_map(|kv| kv.iter_mut()) {
            map.clear();
        }
        self.types.clear();
        self.parent = None;
    }

    /// Returns a child that sees everything this MetaInfo holds now, without copying it.
    ///
    /// `self` is frozen into a shared parent and becomes itself an empty child of it, so
    /// both `self` and the returned child keep reading the same values, and neither sees
    /// what the other writes or deletes from now on. Deriving from a MetaInfo that has no
    /// values of its own shares its parent instead of adding a level.
    ///
    /// Since `self`'s values move into the frozen parent, [`insert`](Self::insert) and
    /// [`remove`](Self::remove) on `self` no longer hand them back: they shadow or hide
    /// them instead.
    ///
    /// ```
    /// use metainfo::MetaInfo;
    ///
    /// let mut parent = MetaInfo::new();
    /// parent.set_persistent("user", "alice");
    /// let mut child = parent.derive();
    /// child.set_persistent("user", "bob");
    /// child.del_persistent("user");
    /// assert_eq!(child.get_persistent("user"), None);
    /// assert_eq!(parent.get_persistent("user").map(|v| v.as_str()), Some("alice"));
    /// ```
    pub fn derive(&mut self) -> MetaInfo {
        self.child(Inherit::ALL)
    }

    /// Returns the MetaInfo for a call this server makes to the next service.
    ///
    /// Like [`derive`](Self::derive) it copies nothing and freezes `self`, but the child
    /// reads only what belongs to an outgoing call: persistent and transient values and
    /// typed values. Upstream values (the transients this server received), backward
    /// values (meant for this server's own caller) and downstream values (received from
    /// earlier callees) are not visible in it.
    ///
    /// So a server that received `RPC_PERSIST_a` and `RPC_TRANSIT_b` stores them as
    /// persistent `a` and upstream `b`, and a call it then makes sends `RPC_PERSIST_a`
    /// only, plus whatever transients the server set itself. The client encoders never
    /// send upstream values either, so `forward` is the explicit form of what happens
    /// anyway; it also keeps the callee's backward values (which the client transport
    /// stores as downstream values) out of the server's own MetaInfo.
    ///
    /// ```
    /// use metainfo::{MetaInfo, ttheader};
    ///
    /// let mut server = MetaInfo::new();
    /// ttheader::store_request_pair(&mut server, &"RPC_PERSIST_a".into(), &"1".into());
    /// ttheader::store_request_pair(&mut server, &"RPC_TRANSIT_b".into(), &"2".into());
    /// let next_hop = server.forward();
    /// let sent: Vec<String> = ttheader::request_pairs(&next_hop)
    ///     .map(|(k, v)| format!("{k}={v}"))
    ///     .collect();
    /// assert_eq!(sent, ["RPC_PERSIST_a=1"]);
    /// assert_eq!(next_hop.get_upstream("b"), None);
    /// assert_eq!(server.get_upstream("b").map(|v| v.as_str()), Some("2"));
    /// ```
    pub fn forward(&mut self) -> MetaInfo {
        self.child(Inherit::FORWARD)
    }

    fn child(&mut self, inherit: Inherit) -> MetaInfo {
        let parent = if self.own_is_empty() {
            // Nothing of our own to freeze: read through our parent (if any) directly.
            self.parent.as_ref().map(|p| Parent {
                node: Arc::clone(&p.node),
                inherit: p.inherit.and(inherit),
            })
        } else {
            let node = Arc::new(mem::take(self));
            self.parent = Some(Parent {
                node: Arc::clone(&node),
                inherit: Inherit::ALL,
            });
            Some(Parent { node, inherit })
        };
        let mut child = MetaInfo::new();
        child.parent = parent;
        child
    }

    fn own_is_empty(&self) -> bool {
        self.types.is_empty()
            && self
                .kv
                .as_ref()
                .is_none_or(|kv| kv.iter().all(KvMap::is_empty))
    }

    kind_methods!(
        Persistent,
        "persistent",
        set_persistent,
        get_persistent,
        del_persistent,
        get_all_persistents
    );
    kind_methods!(
        Transient,
        "transient",
        set_transient,
        get_transient,
        del_transient,
        get_all_transients
    );
    kind_methods!(
        Upstream,
        "upstream",
        set_upstream,
        get_upstream,
        del_upstream,
        get_all_upstreams
    );
    kind_methods!(
        Backward,
        "backward",
        set_backward,
        get_backward,
        del_backward,
        get_all_backwards
    );
    kind_methods!(
        Downstream,
        "downstream",
        set_downstream,
        get_downstream,
        del_downstream,
        get_all_downstreams
    );

    /// Stores a typed value, returning the value of the same type this MetaInfo itself
    /// held (a value only a parent holds is shadowed, not returned).
    pub fn insert<T: Send + Sync + 'static>(&mut self, value: T) -> Option<T> {
        self.types.remove::<Hidden<T>>();
        self.types.insert(value)
    }

    /// Returns the typed value of type `T`, looking through the parents.
    pub fn get<T: 'static>(&self) -> Option<&T> {
        let mut cur = self;
        loop {
            if let Some(value) = cur.types.get::<T>() {
                return Some(value);
            }
            if cur.types.contains::<Hidden<T>>() {
                return None;
            }
            cur = cur
                .parent
                .as_ref()
                .filter(|p| p.inherit.typed())?
                .node
                .as_ref();
        }
    }

    /// Removes the typed value of type `T`: returns it if this MetaInfo itself held it,
    /// and hides a parent's value of that type from this MetaInfo (the parent keeps it).
    pub fn remove<T: 'static>(&mut self) -> Option<T> {
        let own = self.types.remove::<T>();
        let parent_has = self
            .parent
            .as_ref()
            .is_some_and(|p| p.inherit.typed() && p.node.get::<T>().is_some());
        if parent_has {
            self.types.insert(Hidden::<T>(PhantomData));
        }
        own
    }

    /// Returns `true` if a typed value of type `T` is visible, parents included.
    pub fn contains<T: 'static>(&self) -> bool {
        self.get::<T>().is_some()
    }

    pub(crate) fn own_map(&self, kind: Kind) -> &KvMap {
        static EMPTY: LazyLock<KvMap> = LazyLock::new(KvMap::new);
        match &self.kv {
            Some(kv) => &kv[kind.index()],
            None => &EMPTY,
        }
    }

    fn own_map_mut(&mut self, kind: Kind) -> &mut KvMap {
        &mut self.kv.get_or_insert_default()[kind.index()]
    }

    /// The parent that lookups of `kind` continue in, if any.
    pub(crate) fn parent_for(&self, kind: Kind) -> Option<&MetaInfo> {
        self.parent
            .as_ref()
            .filter(|p| p.inherit.kind(kind))
            .map(|p| p.node.as_ref())
    }

    pub(crate) fn set_kv(&mut self, kind: Kind, key: FastStr, value: FastStr) {
        self.own_map_mut(kind).insert(key, Some(value));
    }

    fn get_kv(&self, kind: Kind, key: &str) -> Option<&FastStr> {
        let mut cur = self;
        loop {
            if let Some(slot) = cur.own_map(kind).get(key) {
                return slot.as_ref();
            }
            cur = cur.parent_for(kind)?;
        }
    }

    fn del_kv(&mut self, kind: Kind, key: &str) -> Option<FastStr> {
        let parent_value = self
            .parent_for(kind)
            .and_then(|p| p.get_kv(kind, key))
            .cloned();
        if parent_value.is_some() {
            let map = self.own_map_mut(kind);
            // Keep the key's own allocation if the entry exists; otherwise copy the key.
            match map.get_mut(key) {
                Some(slot) => slot.take(),
                None => {
                    map.insert(FastStr::new(key), None);
                    parent_value
                }
            }
        } else {
            self.kv.as_mut()?[kind.index()].remove(key).flatten()
        }
    }
}

impl Drop for MetaInfo {
    /// Drops the parent chain iteratively: a long chain of children must not overflow
    /// the stack by dropping each parent from inside the drop of its child.
    fn drop(&mut self) {
        let mut next = self.parent.take();
        while let Some(parent) = next {
            next = match Arc::try_unwrap(parent.node) {
                Ok(mut node) => node.parent.take(),
                // Still shared: whoever else holds it drops it later.
                Err(_) => None,
            };
        }
    }
}

impl fmt::Debug for MetaInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Kv<'a>(Iter<'a>);
        impl fmt::Debug for Kv<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_map().entries(self.0.clone()).finish()
            }
        }
        let mut depth = 0;
        let mut cur = self.parent.as_ref();
        while let Some(p) = cur {
            depth += 1;
            cur = p.node.parent.as_ref();
        }
        f.debug_struct("MetaInfo")
            .field("persistent", &Kv(self.get_all_persistents()))
            .field("transient", &Kv(self.get_all_transients()))
            .field("upstream", &Kv(self.get_all_upstreams()))
            .field("backward", &Kv(self.get_all_backwards()))
            .field("downstream", &Kv(self.get_all_downstreams()))
            .field("types", &self.types.len())
            .field("parents", &depth)
            .finish()
    }
}
