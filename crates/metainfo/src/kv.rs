//! String key/value storage shared by every kind of [`MetaInfo`] value.

use std::collections::{HashMap, hash_map};
use std::fmt;
use std::iter::FusedIterator;

use faststr::FastStr;

use crate::MetaInfo;

/// The kinds of string values a [`MetaInfo`] holds; see the crate docs for their meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Persistent,
    Transient,
    Upstream,
    Backward,
    Downstream,
}

impl Kind {
    /// How many kinds there are (the length of a layer's map array).
    pub(crate) const COUNT: usize = 5;

    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

/// Which parts of a parent a child [`MetaInfo`] reads through: one bit per [`Kind`],
/// plus one for typed values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Inherit(u8);

impl Inherit {
    const TYPED: u8 = 1 << Kind::COUNT;

    /// Everything: what [`MetaInfo::derive`] uses.
    pub(crate) const ALL: Inherit = Inherit((1 << (Kind::COUNT + 1)) - 1);

    /// What an outgoing call keeps: persistent and transient values, and typed values
    /// (which never leave the process).
    pub(crate) const FORWARD: Inherit =
        Inherit((1 << Kind::Persistent as u8) | (1 << Kind::Transient as u8) | Self::TYPED);

    pub(crate) fn kind(self, kind: Kind) -> bool {
        self.0 & (1 << kind.index()) != 0
    }

    pub(crate) fn typed(self) -> bool {
        self.0 & Self::TYPED != 0
    }

    pub(crate) fn and(self, other: Inherit) -> Inherit {
        Inherit(self.0 & other.0)
    }
}

/// One layer's values of one kind. `None` is a tombstone: the key was deleted in this
/// layer, which hides the value a parent holds for it.
pub(crate) type KvMap = HashMap<FastStr, Option<FastStr>>;

/// Iterator over the visible key/values of one kind of a [`MetaInfo`], returned by
/// `get_all_persistents` and its siblings.
///
/// A value is visible when no closer layer (the MetaInfo itself, then each parent in
/// turn) shadows its key with another value or a delete. The order is unspecified.
/// Iterating allocates nothing.
#[derive(Clone)]
pub struct Iter<'a> {
    top: &'a MetaInfo,
    kind: Kind,
    /// The layer `entries` walks, `None` once every layer is done.
    layer: Option<&'a MetaInfo>,
    entries: hash_map::Iter<'a, FastStr, Option<FastStr>>,
}

impl<'a> Iter<'a> {
    pub(crate) fn new(top: &'a MetaInfo, kind: Kind) -> Self {
        Iter {
            top,
            kind,
            layer: Some(top),
            entries: top.own_map(kind).iter(),
        }
    }

    /// Whether a layer closer than `layer` holds `key` (a value or a tombstone).
    fn shadowed(&self, layer: &MetaInfo, key: &str) -> bool {
        let mut cur = self.top;
        while !std::ptr::eq(cur, layer) {
            if cur.own_map(self.kind).contains_key(key) {
                return true;
            }
            match cur.parent_for(self.kind) {
                Some(parent) => cur = parent,
                None => return false,
            }
        }
        false
    }
}

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a FastStr, &'a FastStr);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let layer = self.layer?;
            match self.entries.next() {
                Some((key, Some(value))) => {
                    if !self.shadowed(layer, key) {
                        return Some((key, value));
                    }
                }
                Some((_, None)) => {}
                None => {
                    self.layer = layer.parent_for(self.kind);
                    if let Some(parent) = self.layer {
                        self.entries = parent.own_map(self.kind).iter();
                    }
                }
            }
        }
    }
}

impl FusedIterator for Iter<'_> {}

impl fmt::Debug for Iter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Iter")
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}
