"""Prints Apache Thrift's encodings of the fixed `AllTypes` value.

Usage: encode.py GEN_PY_DIR
GEN_PY_DIR holds the output of `thrift --gen py --allow-neg-keys all_types.thrift`.
Each output line is `<name> <hex>`. The values must match `sample()` in
tests/common/all_types.rs.
"""

import sys

sys.path.insert(0, sys.argv[1])

from all_types.ttypes import AllTypes, Color, Inner  # noqa: E402
from thrift.protocol import TBinaryProtocol, TCompactProtocol  # noqa: E402
from thrift.Thrift import TMessageType  # noqa: E402
from thrift.transport import TTransport  # noqa: E402


def inner(id_, name, flag):
    return Inner(id=id_, name=name, flag=flag)


def sample():
    return AllTypes(
        a_bool=True,
        a_byte=-128,
        a_i16=-12345,
        a_i32=2000000000,
        a_i64=-9000000000000000000,
        a_double=-1.25e-300,
        a_string="héllo, wörld ✓ 🦀",
        a_binary=bytes([0, 1, 2, 0xFE, 0xFF]),
        a_list=[1, -1, 1000, -(2**31), 2**31 - 1],
        a_set={1, 2, 3},
        a_map={"a": 1, "bb": -2, "ccc": 300},
        nested_list=[[], ["x"], ["y", "z"]],
        map_of_lists={1: [True, False, True], 2: []},
        inner=inner(42, "inner", True),
        inners=[inner(i, "n", i % 2 == 0) for i in range(16)],
        color=Color.BLUE,
        opt_unset=None,
        opt_set=-7,
        false_bool=False,
        negative_id=32767,
        big_id=1 << 40,
        double_set={2.5},
        struct_map={-5: inner(-5, "", False), 9: inner(9, "nine", True)},
    )


def struct_bytes(factory, value):
    buf = TTransport.TMemoryBuffer()
    value.write(factory.getProtocol(buf))
    return buf.getvalue()


def message_bytes(factory, value):
    buf = TTransport.TMemoryBuffer()
    proto = factory.getProtocol(buf)
    proto.writeMessageBegin("echo", TMessageType.CALL, 7)
    value.write(proto)
    proto.writeMessageEnd()
    return buf.getvalue()


def main():
    value = sample()
    factories = {
        "binary": TBinaryProtocol.TBinaryProtocolFactory(strictWrite=True),
        "binary_nonstrict": TBinaryProtocol.TBinaryProtocolFactory(strictWrite=False),
        "compact": TCompactProtocol.TCompactProtocolFactory(),
    }
    for name in ("binary", "compact"):
        print(f"{name}_struct {struct_bytes(factories[name], value).hex()}")
    for name, factory in factories.items():
        print(f"{name}_message {message_bytes(factory, value).hex()}")


main()
