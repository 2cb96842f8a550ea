//! Front ends lower their syntax trees into the [model](crate::model).
//!
//! Only Thrift exists today ([`thrift::lower`]); a Protobuf front end lowers into the
//! same model.

pub mod thrift;
