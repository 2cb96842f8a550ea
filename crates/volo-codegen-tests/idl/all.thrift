include "base.thrift"

namespace rs all

enum Color {
    RED = 1,
    GREEN = 2,
    BLUE = 3,
}

typedef i64 Timestamp
typedef list<string> Names

union Shape {
    1: double radius,
    2: list<i32> sides,
    3: string label,
}

struct Scalars {
    1: bool b,
    2: i8 i8v,
    3: i16 i16v,
    4: i32 i32v,
    5: i64 i64v,
    6: double f64v,
    7: string s,
    8: binary bin,
    9: uuid id,
}

struct Everything {
    1: required Scalars scalars,
    2: optional Color color,
    3: Color default_color = Color.GREEN,
    4: Timestamp at,
    5: Names names,
    6: list<list<i32>> matrix,
    7: set<string> tags,
    8: map<string, list<Shape>> shapes,
    9: map<i32, map<string, set<i64>>> nested,
    10: optional Shape shape,
    11: i32 with_default = 42,
    12: required string must,
    13: optional list<Scalars> many,
}

exception InvalidArgument {
    1: string field,
    2: i32 code,
}

exception Unavailable {
    1: string reason,
}

service Kitchen extends base.Base {
    /// Echoes everything back.
    Everything roundtrip(1: Everything value),
    /// Takes one argument of every kind.
    Scalars scalars(1: bool b, 2: i8 i8v, 3: i16 i16v, 4: i32 i32v, 5: i64 i64v,
                    6: double f64v, 7: string s, 8: binary bin, 9: uuid id,
                    10: Color color, 11: i32 opt, 12: required string req,
                    13: list<string> names, 14: map<string, i64> counts, 15: Shape shape),
    /// Sums; fails with either declared exception.
    i64 sum(1: list<i64> values, 2: Timestamp at) throws (1: InvalidArgument invalid, 2: Unavailable unavailable),
    void reset() throws (1: Unavailable unavailable),
    void nothing(),
    oneway void record(1: string event),
    Color pick(1: set<Color> colors),
    Shape reshape(1: Shape shape),
}

/// A second service in the same module, for the router.
service Counter {
    i64 next(),
}

/// No methods at all.
service Empty {}

/// Only a oneway method: its response enum holds nothing but the placeholder.
service Fire {
    oneway void fire(1: string what),
}

/// Names that are Rust keywords or clash with the generated client's own methods.
service Keywords {
    i32 type(1: i32 match, 2: i32 fn),
    i32 builder(),
    i32 from_client(),
    i32 clone(),
    i32 handler(1: i32 foo),
}
