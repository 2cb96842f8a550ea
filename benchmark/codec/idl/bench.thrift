// The message the codec benchmarks encode and decode: a request of the shape a
// typical microservice sees (ids, a few short strings, one ~1 KiB text, a list
// of small structs, a string map, and an optional blob).

namespace rs bench

struct Item {
    1: required i64 id,
    2: required string name,
    3: required string sku,
    4: required i32 quantity,
    5: required i32 price_cents,
}

struct Request {
    1: required i64 request_id,
    2: required i64 user_id,
    3: required i32 shard,
    4: required i32 attempt,
    5: required string service_name,
    6: required string method_name,
    7: required string caller,
    8: required string trace_id,
    9: required string body,
    10: required bool dry_run,
    11: required double score,
    12: required list<Item> items,
    13: required map<string, string> tags,
    14: optional binary attachment,
}
