//! [`VoloThriftBackend`]: the pilota-build [`ServiceBackend`] that writes the
//! volo-thrift glue of every IDL service.

mod client;
mod entry;
mod plan;
mod server;

use pilota_build::codegen::{Context, Error, ServiceBackend};
use pilota_build::model::{ModelPath, Service};
use proc_macro2::TokenStream;

use self::plan::ServicePlan;

/// Generates, for each IDL service `Svc`, the code a volo-thrift server and
/// client need, next to the argument and result types pilota-build writes:
///
/// - `SvcRequest` / `SvcResponse`: every request and every response of the
///   service (a variant per method), implementing `EntryMessage` and
///   `NamedService` (the TTHeader `isn` of the service is its IDL name);
/// - the handler trait `Svc`, one method per IDL method (inherited methods
///   come from the extended service's trait, a supertrait);
/// - `SvcServer<H>`: the `motore` service that dispatches requests to a
///   handler, for `volo_thrift::server::Server::new`;
/// - `SvcClient` and `SvcClientBuilder`: a typed client, one async method per
///   IDL method;
/// - for methods with declared exceptions, `SvcMethodException` (an enum of
///   them) and, once per service, `SvcHandlerError<E>` and `SvcCallError<E>`.
///
/// See the [crate documentation](crate) for what a user writes with them.
/// The generated code refers to the framework only through
/// `::volo_thrift::__codegen` and to the types through `::pilota`.
#[derive(Debug, Clone, Copy, Default)]
pub struct VoloThriftBackend;

impl ServiceBackend for VoloThriftBackend {
    fn codegen_service(
        &self,
        cx: &Context<'_>,
        path: &ModelPath,
        service: &Service,
    ) -> Result<TokenStream, Error> {
        let plan = ServicePlan::new(cx, path, service)?;
        let mut out = entry::generate(&plan);
        out.extend(server::generate(&plan));
        out.extend(client::generate(&plan));
        Ok(out)
    }
}

/// Doc attributes for IDL docs: one line as text, several in a `text` block,
/// so that their indentation never becomes a doctest.
fn docs(docs: Option<&str>) -> TokenStream {
    let Some(docs) = docs.filter(|d| !d.trim().is_empty()) else {
        return TokenStream::new();
    };
    let lines: Vec<String> = docs
        .trim_matches('\n')
        .lines()
        .map(|l| l.trim_end().replace('\t', "    "))
        .collect();
    if let [line] = lines.as_slice() {
        let line = format!(" {}", line.trim());
        return quote::quote!(#[doc = #line]);
    }
    let longest_run = docs.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run.max(2) + 1);
    let open = format!(" {fence}text");
    let close = format!(" {fence}");
    let body = lines.iter().map(|line| format!(" {line}"));
    quote::quote! {
        #[doc = #open]
        #(#[doc = #body])*
        #[doc = #close]
    }
}
