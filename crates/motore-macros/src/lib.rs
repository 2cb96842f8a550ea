//! Procedural macros for [`motore`](https://docs.rs/motore): the `#[service]` attribute.
//!
//! Use them through `motore` (`#[motore::service]`); this crate is an implementation
//! detail with no API of its own beyond the macro.
//!
//! ```
//! use motore::{Service, service};
//!
//! struct Echo;
//!
//! #[service]
//! impl Service<(), String> for Echo {
//!     async fn call(&self, _cx: &mut (), req: String) -> Result<String, std::convert::Infallible> {
//!         Ok(req)
//!     }
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let reply = Echo.call(&mut (), "hi".to_owned()).await;
//! assert_eq!(reply, Ok("hi".to_owned()));
//! # }
//! ```

use proc_macro::TokenStream;

mod service;

/// Implements `motore::Service` from an `async fn call`, filling in the associated types.
///
/// Put it on an `impl Service<Cx, Req> for T` block that contains
/// `async fn call(&self, cx: &mut Cx, req: Req) -> Result<R, E>`. The macro
///
/// - adds `type Response = R;` and `type Error = E;` (split from the return type), unless
///   the impl already declares them;
/// - rewrites `call` into `fn call(..) -> impl Future<Output = Result<R, E>> + Send` whose
///   body is an `async move` block, exactly as an `async fn` would desugar, but with the
///   `Send` bound the trait requires spelled out.
///
/// The return type is split only when it is written as `Result<R, E>` (any path ending in
/// `Result` with two type arguments). For an alias such as `io::Result<T>`, declare the
/// associated types yourself and the macro leaves them alone:
///
/// ```
/// use std::io;
///
/// use motore::{Service, service};
///
/// struct Len;
///
/// #[service]
/// impl Service<(), Vec<u8>> for Len {
///     type Response = usize;
///     type Error = io::Error;
///
///     async fn call(&self, _cx: &mut (), req: Vec<u8>) -> io::Result<usize> {
///         Ok(req.len())
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// assert_eq!(Len.call(&mut (), vec![1, 2, 3]).await.unwrap(), 3);
/// # }
/// ```
///
/// Generic impls and `where` clauses are kept as written. Because the returned future is
/// `Send` and borrows `self` and `cx`, a generic middleware usually needs
/// `Self: Sync`-style bounds such as `S: Sync`, `Cx: Send` and `Req: Send`; the compiler
/// names any that are missing.
///
/// Misuse (not an impl of `Service<..>`, no `call`, `call` not `async`, a receiver other
/// than `&self`, no `cx: &mut Cx` argument, a return type that is not a `Result` when the
/// associated types are not declared) is reported as a compile error pointing at the
/// offending code.
#[proc_macro_attribute]
pub fn service(args: TokenStream, item: TokenStream) -> TokenStream {
    service::expand(args.into(), item.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
