// Mirrors the hand-written `AllTypes` in tests/common/all_types.rs: same ids
// and types (Apache's generated code writes fields sorted by id, and so does
// the Rust one).
// Field 40 (`optional uuid`) is left out: thrift 0.17 has no uuid type.

enum Color {
  RED = 1,
  GREEN = 2,
  BLUE = 7,
}

struct Inner {
  1: i32 id,
  2: string name,
  3: bool flag,
}

struct AllTypes {
  1: bool a_bool,
  2: i8 a_byte,
  3: i16 a_i16,
  4: required i32 a_i32,
  5: i64 a_i64,
  6: double a_double,
  7: string a_string,
  8: binary a_binary,
  9: list<i32> a_list,
  10: set<i32> a_set,
  11: map<string, i64> a_map,
  12: list<list<string>> nested_list,
  13: map<i32, list<bool>> map_of_lists,
  14: Inner inner,
  15: list<Inner> inners,
  16: Color color,
  17: optional string opt_unset,
  18: optional i32 opt_set,
  19: bool false_bool,
  -1: i16 negative_id,
  300: i64 big_id,
  20: set<double> double_set,
  21: map<i32, Inner> struct_map,
}

service Interop {
  AllTypes echo(1: AllTypes value),
}
