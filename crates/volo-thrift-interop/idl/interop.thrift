// The service both sides of the interop tests implement: volo-thrift (the
// Rust handler in `src/handler.rs`) and Apache Thrift's Python library
// (`py/server.py`). Every answer is a deterministic transform of the request,
// so a client can check it; both implementations follow the rules written on
// each method below.
//
// Apache Thrift 0.17 (the Python peer) has no `uuid` type, so it is not used;
// `byte` is spelled `i8` (the same type), as both compilers advise.

namespace rs interop
namespace py interop

enum Suit {
    CLUBS = 1,
    DIAMONDS = 2,
    HEARTS = 3,
    SPADES = 4,
}

struct Point {
    1: i32 x,
    2: i32 y,
}

/// One field of every scalar type.
struct Scalars {
    1: bool flag,
    2: i8 tiny,
    3: i8 small,
    4: i16 short_num,
    5: i32 num,
    6: i64 big,
    7: double ratio,
    8: string text,
    9: binary blob,
    10: Suit suit,
}

/// Nested structs and containers, optional and default fields.
struct Everything {
    1: required Scalars scalars,
    2: list<i32> numbers,
    3: set<string> tags,
    4: map<string, i64> counts,
    5: list<list<string>> grid,
    6: map<string, list<Point>> paths,
    7: map<i32, set<Suit>> hands,
    8: list<Point> points,
    9: optional string note,
    10: optional Point origin,
    11: i32 retries = 3,
    12: string label = "unnamed",
    13: Suit trump = Suit.HEARTS,
}

exception InvalidInput {
    1: string reason,
    2: i32 code,
}

exception Overflow {
    1: i64 partial,
}

service Interop {
    /// `Scalars` with every argument transformed: `flag` negated, `tiny` and
    /// `big` negated, `small` + 1, `short_num` + 1, `num` * 2 (all wrapping),
    /// `ratio` * 2, `text` and `blob` reversed (by code point, by byte),
    /// `suit` the next one (SPADES → CLUBS).
    Scalars scalars(1: bool flag, 2: i8 tiny, 3: i8 small, 4: i16 short_num, 5: i32 num,
                    6: i64 big, 7: double ratio, 8: string text, 9: binary blob, 10: Suit suit),

    /// `value` transformed: `scalars` as by `scalars`, `numbers` and `grid`
    /// (the outer list) reversed, "seen" added to `tags`, every count + 1,
    /// every point of `paths`, `points` and `origin` with x and y swapped,
    /// SPADES added to every hand, "!" appended to `note`, `retries` + 1,
    /// `trump` the next suit, `label` unchanged. Absent optional fields stay
    /// absent.
    Everything transform(1: Everything value),

    /// The sum of `values`; InvalidInput (code 400) when there are none,
    /// Overflow (with the sum so far) when it leaves the i64 range.
    i64 sum(1: list<i64> values) throws (1: InvalidInput invalid, 2: Overflow overflow),

    /// Forgets the recorded events.
    void clear(),

    /// Records `event`.
    oneway void record(1: string event),

    /// The events recorded since the last `clear`, in arrival order.
    list<string> events(),
}
