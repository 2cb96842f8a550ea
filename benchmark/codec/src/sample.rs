//! The message every binding encodes, as plain Rust values.

/// One entry of [`Sample::items`].
#[derive(Debug, Clone, PartialEq)]
pub struct SampleItem {
    /// `Item.id`.
    pub id: i64,
    /// `Item.name`.
    pub name: String,
    /// `Item.sku`.
    pub sku: String,
    /// `Item.quantity`.
    pub quantity: i32,
    /// `Item.price_cents`.
    pub price_cents: i32,
}

/// The values of one `Request`, independent of any binding; each binding
/// module builds its own generated type from it.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// `Request.request_id`.
    pub request_id: i64,
    /// `Request.user_id`.
    pub user_id: i64,
    /// `Request.shard`.
    pub shard: i32,
    /// `Request.attempt`.
    pub attempt: i32,
    /// `Request.service_name`.
    pub service_name: String,
    /// `Request.method_name`.
    pub method_name: String,
    /// `Request.caller`.
    pub caller: String,
    /// `Request.trace_id`.
    pub trace_id: String,
    /// `Request.body`: the long string.
    pub body: String,
    /// `Request.dry_run`.
    pub dry_run: bool,
    /// `Request.score`.
    pub score: f64,
    /// `Request.items`.
    pub items: Vec<SampleItem>,
    /// `Request.tags`, in insertion order (the bindings' maps may reorder them).
    pub tags: Vec<(String, String)>,
    /// `Request.attachment`.
    pub attachment: Option<Vec<u8>>,
}

/// Builds a request with `items` list entries, `tags` map entries and a body
/// of exactly `body_len` bytes of ASCII text.
pub fn sample(items: usize, tags: usize, body_len: usize) -> Sample {
    const WORDS: &str = "the quick brown fox jumps over the lazy dog while the \
                         order service checks stock, prices and shipping rules; ";
    let body: String = WORDS.chars().cycle().take(body_len).collect();
    Sample {
        request_id: 0x0123_4567_89ab_cdef,
        user_id: 9_876_543_210,
        shard: 17,
        attempt: 1,
        service_name: "com.example.orders.OrderService".to_owned(),
        method_name: "PlaceOrder".to_owned(),
        caller: "gateway-7f9c".to_owned(),
        trace_id: "4bf92f3577b34da6a3ce929d0e0e4736".to_owned(),
        body,
        dry_run: false,
        score: 0.875,
        items: (0..items)
            .map(|i| SampleItem {
                id: 1_000_000 + i as i64,
                name: format!("Widget model {i}"),
                sku: format!("SKU-{:06}", 31 * i + 7),
                quantity: (i % 5) as i32 + 1,
                price_cents: 199 + 250 * i as i32,
            })
            .collect(),
        tags: (0..tags)
            .map(|i| (format!("x-tag-{i:02}"), format!("value-{}", 7 * i + 3)))
            .collect(),
        attachment: Some((0..64u8).map(|b| b.wrapping_mul(37)).collect()),
    }
}

/// The benchmark's message: 20 items, 10 tags, a 1 KiB body.
pub fn standard() -> Sample {
    sample(20, 10, 1024)
}
