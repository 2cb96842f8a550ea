//! A map holding at most one value per type.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};

/// A [`Hasher`] for [`TypeId`] keys.
///
/// A `TypeId` is already a well-distributed hash of its type, so hashing it again is
/// wasted work: this hasher keeps the bits it is given. Arbitrary byte input (which
/// `TypeId` does not produce today) is still folded in, so the map stays correct if
/// the standard library changes how `TypeId` hashes itself.
#[derive(Debug, Default, Clone, Copy)]
struct TypeIdHasher(u64);

impl Hasher for TypeIdHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_ne_bytes(word));
        }
    }

    fn write_u64(&mut self, n: u64) {
        // One multiply-rotate step: identity-like for a single word, mixing for several.
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type AnyBox = Box<dyn Any + Send + Sync>;

/// A map holding at most one value per type, keyed by the value's [`TypeId`].
///
/// Used by [`MetaInfo`](crate::MetaInfo) and by RPC contexts to carry typed extensions
/// (deadlines, peer addresses, user data) without a central registry of keys.
///
/// ```
/// use metainfo::TypeMap;
///
/// #[derive(Debug, PartialEq)]
/// struct RequestId(u64);
///
/// let mut map = TypeMap::new();
/// assert_eq!(map.insert(RequestId(7)), None);
/// assert_eq!(map.get::<RequestId>(), Some(&RequestId(7)));
/// assert_eq!(map.insert(RequestId(8)), Some(RequestId(7)));
/// map.get_mut::<RequestId>().unwrap().0 += 1;
/// assert_eq!(map.remove::<RequestId>(), Some(RequestId(9)));
/// assert!(map.is_empty());
/// ```
#[derive(Default)]
pub struct TypeMap {
    map: HashMap<TypeId, AnyBox, BuildHasherDefault<TypeIdHasher>>,
}

impl TypeMap {
    /// Creates an empty map. It does not allocate until the first insert.
    pub fn new() -> Self {
        Self::default()
    }

    /// Creates an empty map with room for at least `n` values.
    pub fn with_capacity(n: usize) -> Self {
        Self {
            map: HashMap::with_capacity_and_hasher(n, BuildHasherDefault::default()),
        }
    }

    /// Stores `v`, returning the value of the same type it replaces, if any.
    pub fn insert<T: Send + Sync + 'static>(&mut self, v: T) -> Option<T> {
        self.map
            .insert(TypeId::of::<T>(), Box::new(v))
            .and_then(|old| old.downcast::<T>().ok().map(|b| *b))
    }

    /// Returns a reference to the stored value of type `T`, if any.
    pub fn get<T: 'static>(&self) -> Option<&T> {
        self.map
            .get(&TypeId::of::<T>())
            .and_then(|b| b.downcast_ref::<T>())
    }

    /// Returns a mutable reference to the stored value of type `T`, if any.
    pub fn get_mut<T: 'static>(&mut self) -> Option<&mut T> {
        self.map
            .get_mut(&TypeId::of::<T>())
            .and_then(|b| b.downcast_mut::<T>())
    }

    /// Removes and returns the stored value of type `T`, if any.
    pub fn remove<T: 'static>(&mut self) -> Option<T> {
        self.map
            .remove(&TypeId::of::<T>())
            .and_then(|b| b.downcast::<T>().ok().map(|b| *b))
    }

    /// Returns `true` if a value of type `T` is stored.
    pub fn contains<T: 'static>(&self) -> bool {
        self.map.contains_key(&TypeId::of::<T>())
    }

    /// Returns the number of stored values.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Returns `true` if no value is stored.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Removes every value but keeps the allocation, so a map can be reused per call.
    pub fn clear(&mut self) {
        self.map.clear();
    }

    /// Moves every value of `other` into `self`; values of `other` replace values of the
    /// same type already in `self`.
    pub fn extend(&mut self, other: TypeMap) {
        if self.map.is_empty() && self.map.capacity() < other.map.len() {
            // Take the other allocation instead of growing ours.
            self.map = other.map;
        } else {
            self.map.extend(other.map);
        }
    }
}

impl fmt::Debug for TypeMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TypeMap")
            .field("len", &self.map.len())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct A(u32);
    #[derive(Debug, PartialEq)]
    struct B(&'static str);

    #[test]
    fn insert_get_replace_remove() {
        let mut map = TypeMap::new();
        assert!(map.is_empty());
        assert_eq!(map.insert(A(1)), None);
        assert_eq!(map.insert(B("x")), None);
        assert_eq!(map.len(), 2);
        assert_eq!(map.get::<A>(), Some(&A(1)));
        assert_eq!(map.get::<B>(), Some(&B("x")));
        assert_eq!(map.get::<u8>(), None);
        assert_eq!(map.insert(A(2)), Some(A(1)));
        assert_eq!(map.len(), 2);
        map.get_mut::<B>().unwrap().0 = "y";
        assert!(map.contains::<B>());
        assert_eq!(map.remove::<B>(), Some(B("y")));
        assert!(!map.contains::<B>());
        assert_eq!(map.remove::<B>(), None);
        assert_eq!(map.get_mut::<B>(), None);
        assert_eq!(map.len(), 1);
    }

    #[test]
    fn clear_keeps_the_allocation() {
        let mut map = TypeMap::with_capacity(8);
        let capacity = map.map.capacity();
        assert!(capacity >= 8);
        map.insert(A(1));
        map.insert(B("b"));
        map.clear();
        assert!(map.is_empty());
        assert_eq!(map.get::<A>(), None);
        assert_eq!(map.map.capacity(), capacity);
    }

    #[test]
    fn extend_moves_values_and_other_wins() {
        let mut map = TypeMap::new();
        map.insert(A(1));
        map.insert(1u8);
        let mut other = TypeMap::new();
        other.insert(A(2));
        other.insert(B("b"));
        map.extend(other);
        assert_eq!(map.len(), 3);
        assert_eq!(map.get::<A>(), Some(&A(2)));
        assert_eq!(map.get::<B>(), Some(&B("b")));
        assert_eq!(map.get::<u8>(), Some(&1));

        let mut empty = TypeMap::new();
        let mut other = TypeMap::new();
        other.insert(7u64);
        empty.extend(other);
        assert_eq!(empty.get::<u64>(), Some(&7));
    }

    #[test]
    fn many_types_stay_apart() {
        let mut map = TypeMap::new();
        map.insert(1u8);
        map.insert(2u16);
        map.insert(3u32);
        map.insert(4u64);
        map.insert(5u128);
        map.insert(6i8);
        map.insert(7i16);
        map.insert(8i32);
        map.insert(9i64);
        map.insert(String::from("s"));
        map.insert(vec![1u8]);
        map.insert(Some(1u8));
        assert_eq!(map.len(), 12);
        assert_eq!(map.get::<u8>(), Some(&1));
        assert_eq!(map.get::<u16>(), Some(&2));
        assert_eq!(map.get::<u32>(), Some(&3));
        assert_eq!(map.get::<u64>(), Some(&4));
        assert_eq!(map.get::<u128>(), Some(&5));
        assert_eq!(map.get::<i8>(), Some(&6));
        assert_eq!(map.get::<i16>(), Some(&7));
        assert_eq!(map.get::<i32>(), Some(&8));
        assert_eq!(map.get::<i64>(), Some(&9));
        assert_eq!(map.get::<String>().map(String::as_str), Some("s"));
        assert_eq!(map.get::<Vec<u8>>(), Some(&vec![1]));
        assert_eq!(map.get::<Option<u8>>(), Some(&Some(1)));
    }

    #[test]
    fn debug_prints_the_count_not_the_values() {
        let mut map = TypeMap::new();
        map.insert(String::from("secret"));
        let shown = format!("{map:?}");
        assert!(shown.contains("len: 1"), "{shown}");
        assert!(!shown.contains("secret"), "{shown}");
    }

    #[test]
    fn hasher_folds_bytes_and_words() {
        let hash = |f: &dyn Fn(&mut TypeIdHasher)| {
            let mut h = TypeIdHasher::default();
            f(&mut h);
            h.finish()
        };
        assert_ne!(hash(&|h| h.write_u64(1)), hash(&|h| h.write_u64(2)));
        // Bytes beyond the first word still change the hash.
        assert_ne!(
            hash(&|h| h.write(&[0; 9])),
            hash(&|h| h.write(&[0, 0, 0, 0, 0, 0, 0, 0, 1]))
        );
        assert_eq!(
            hash(&|h| h.write(&7u64.to_ne_bytes())),
            hash(&|h| h.write_u64(7))
        );
    }
}
