#![doc = include_str!("../README.md")]

mod buf;
mod float;
pub mod thrift;

pub use bytes::{Bytes, BytesMut};
pub use faststr::FastStr;

pub use crate::{
    buf::{LinkedBytes, WriteBuf},
    float::OrderedFloat,
};

/// What generated code refers to, so that users never add its dependencies
/// themselves. Not a stable API: only generated code should use it.
#[doc(hidden)]
pub mod __codegen {
    pub use std::{
        collections::{BTreeMap, BTreeSet, HashMap, HashSet},
        sync::Arc,
    };

    pub use bytes::{self, Bytes, BytesMut};
    pub use faststr::{self, FastStr};

    pub use crate::{
        LinkedBytes, OrderedFloat, WriteBuf,
        thrift::{
            ApplicationException, ApplicationExceptionKind, DecodeError, DecodeErrorKind,
            DecodeLimits, EncodeError, EncodeErrorKind, Message, TInputProtocol, TLengthProtocol,
            TMessageIdentifier, TMessageType, TOutputProtocol, TType, UnknownFields,
        },
    };
}
