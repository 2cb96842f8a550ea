//! proptest strategies for the test types.

use pilota::{Bytes, FastStr, OrderedFloat, thrift::TType};
use proptest::{collection::vec, prelude::*};

use super::{
    all_types::{AllTypes, Color, Inner},
    value::{DynStruct, Value},
};

/// Doubles including NaNs (any payload), infinities, zeros and subnormals.
pub(crate) fn any_double() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<f64>(),
        any::<u64>().prop_map(f64::from_bits),
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(-0.0),
        Just(f64::MIN_POSITIVE / 2.0),
    ]
}

pub(crate) fn any_faststr() -> impl Strategy<Value = FastStr> {
    prop_oneof![
        any::<String>().prop_map(FastStr::from),
        // Longer strings take the zero-copy paths.
        ".{31,80}".prop_map(FastStr::from),
    ]
}

pub(crate) fn any_bytes() -> impl Strategy<Value = Bytes> {
    vec(any::<u8>(), 0..64).prop_map(Bytes::from)
}

/// A value type, possibly nested.
#[derive(Debug, Clone)]
enum Ty {
    Leaf(TType),
    Struct,
    List(Box<Ty>),
    Set(Box<Ty>),
    Map(Box<Ty>, Box<Ty>),
}

impl Ty {
    fn ttype(&self) -> TType {
        match self {
            Self::Leaf(t) => *t,
            Self::Struct => TType::Struct,
            Self::List(_) => TType::List,
            Self::Set(_) => TType::Set,
            Self::Map(..) => TType::Map,
        }
    }
}

fn any_ty(depth: u32) -> BoxedStrategy<Ty> {
    let leaf = prop_oneof![
        Just(TType::Bool),
        Just(TType::I8),
        Just(TType::I16),
        Just(TType::I32),
        Just(TType::I64),
        Just(TType::Double),
        Just(TType::Uuid),
        Just(TType::Binary),
    ]
    .prop_map(Ty::Leaf);
    if depth == 0 {
        return leaf.boxed();
    }
    let inner = any_ty(depth - 1);
    prop_oneof![
        4 => leaf,
        1 => Just(Ty::Struct),
        1 => inner.clone().prop_map(|t| Ty::List(Box::new(t))),
        1 => inner.clone().prop_map(|t| Ty::Set(Box::new(t))),
        1 => (inner.clone(), inner).prop_map(|(k, v)| Ty::Map(Box::new(k), Box::new(v))),
    ]
    .boxed()
}

fn value_of(ty: &Ty, depth: u32) -> BoxedStrategy<Value> {
    let below = depth.saturating_sub(1);
    match ty {
        Ty::Leaf(TType::Bool) => any::<bool>().prop_map(Value::Bool).boxed(),
        Ty::Leaf(TType::I8) => any::<i8>().prop_map(Value::I8).boxed(),
        Ty::Leaf(TType::I16) => any::<i16>().prop_map(Value::I16).boxed(),
        Ty::Leaf(TType::I32) => any::<i32>().prop_map(Value::I32).boxed(),
        Ty::Leaf(TType::I64) => any::<i64>().prop_map(Value::I64).boxed(),
        Ty::Leaf(TType::Double) => any_double()
            .prop_map(|d| Value::Double(d.to_bits()))
            .boxed(),
        Ty::Leaf(TType::Uuid) => any::<[u8; 16]>().prop_map(Value::Uuid).boxed(),
        Ty::Leaf(_) => any_bytes().prop_map(Value::Binary).boxed(),
        Ty::Struct => dyn_struct(below).prop_map(Value::Struct).boxed(),
        Ty::List(t) => {
            let elem = t.ttype();
            vec(value_of(t, below), 0..20)
                .prop_map(move |items| Value::List(elem, items))
                .boxed()
        }
        Ty::Set(t) => {
            let elem = t.ttype();
            vec(value_of(t, below), 0..20)
                .prop_map(move |items| Value::Set(elem, items))
                .boxed()
        }
        Ty::Map(k, v) => {
            let (kt, vt) = (k.ttype(), v.ttype());
            vec((value_of(k, below), value_of(v, below)), 0..6)
                .prop_map(move |entries| Value::Map(kt, vt, entries))
                .boxed()
        }
    }
}

/// A field id: mostly small and increasing-ish, sometimes anything.
fn any_field_id() -> impl Strategy<Value = i16> {
    prop_oneof![3 => 1i16..20, 1 => any::<i16>()]
}

/// A struct with up to 8 fields of any type, nested up to `depth` levels.
pub(crate) fn dyn_struct(depth: u32) -> BoxedStrategy<DynStruct> {
    let field = (any_field_id(), any_ty(depth))
        .prop_flat_map(move |(id, ty)| value_of(&ty, depth).prop_map(move |v| (id, v)));
    vec(field, 0..8).prop_map(DynStruct).boxed()
}

pub(crate) fn inner() -> impl Strategy<Value = Inner> {
    (any::<i32>(), any_faststr(), any::<bool>()).prop_map(|(id, name, flag)| Inner {
        id,
        name,
        flag,
    })
}

pub(crate) fn all_types() -> impl Strategy<Value = AllTypes> {
    let scalars = (
        any::<bool>(),
        any::<i8>(),
        any::<i16>(),
        any::<i32>(),
        any::<i64>(),
        any_double(),
        any_faststr(),
        any_bytes(),
        any::<i32>().prop_map(Color),
        any::<bool>(),
        any::<i16>(),
        any::<i64>(),
    );
    let containers = (
        vec(any::<i32>(), 0..20),
        proptest::collection::btree_set(any::<i32>(), 0..20),
        proptest::collection::btree_map(any_faststr(), any::<i64>(), 0..5),
        vec(vec(any_faststr(), 0..4), 0..4),
        proptest::collection::btree_map(any::<i32>(), vec(any::<bool>(), 0..17), 0..4),
        inner(),
        vec(inner(), 0..4),
        proptest::collection::btree_set(any_double().prop_map(OrderedFloat), 0..5),
        proptest::collection::btree_map(any::<i32>(), inner(), 0..3),
    );
    let optionals = (
        proptest::option::of(any_faststr()),
        proptest::option::of(any::<i32>()),
        proptest::option::of(any::<[u8; 16]>()),
    );
    (scalars, containers, optionals).prop_map(|(s, c, o)| AllTypes {
        a_bool: s.0,
        a_byte: s.1,
        a_i16: s.2,
        a_i32: s.3,
        a_i64: s.4,
        a_double: OrderedFloat(s.5),
        a_string: s.6,
        a_binary: s.7,
        color: s.8,
        false_bool: s.9,
        negative_id: s.10,
        big_id: s.11,
        a_list: c.0,
        a_set: c.1,
        a_map: c.2,
        nested_list: c.3,
        map_of_lists: c.4,
        inner: c.5,
        inners: c.6,
        double_set: c.7,
        struct_map: c.8,
        opt_unset: o.0,
        opt_set: o.1,
        a_uuid: o.2,
        unknown: Default::default(),
    })
}
