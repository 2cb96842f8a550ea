"""Calls every method of the Interop service (idl/interop.thrift) with fixed values
through Apache Thrift's Python library and checks every answer.

Exits with status 0 when every answer is the expected one; otherwise prints each
difference to stderr and exits with status 1.
"""

import sys
import time

import common

I64_MAX = (1 << 63) - 1
I64_MIN = -(1 << 63)


class Checker:
    def __init__(self):
        self.failures = []

    def eq(self, what, got, want):
        if got != want:
            self.failures.append(f"{what}: got {got!r}, want {want!r}")

    def fail(self, what):
        self.failures.append(what)


def check_scalars(c, client, t):
    got = client.scalars(
        True, -5, 127, 32767, 1_500_000_000, 1_234_567_890_123, -1.25,
        "héllo, wörld ✓", b"\x00\x01\xfe\xff", t.Suit.SPADES,
    )
    c.eq("scalars (edge values)", got, t.Scalars(
        flag=False, tiny=5, small=-128, short_num=-32768, num=-1_294_967_296,
        big=-1_234_567_890_123, ratio=-2.5, text="✓ dlröw ,olléh",
        blob=b"\xff\xfe\x01\x00", suit=t.Suit.CLUBS,
    ))
    got = client.scalars(False, 0, 0, 0, 0, I64_MIN, 0.0, "", b"", t.Suit.CLUBS)
    c.eq("scalars (zero values)", got, t.Scalars(
        flag=True, tiny=0, small=1, short_num=1, num=0, big=I64_MIN, ratio=0.0,
        text="", blob=b"", suit=t.Suit.DIAMONDS,
    ))


def check_transform(c, client, t):
    P = t.Point
    sent = t.Everything(
        scalars=t.Scalars(
            flag=False, tiny=100, small=-1, short_num=-300, num=-7, big=I64_MAX, ratio=3.5,
            text="Ünïcode 🦀", blob=b"\x80abc", suit=t.Suit.HEARTS,
        ),
        numbers=[1, -2, 3, 2147483647],
        tags={"a", "b"},
        counts={"x": 1, "y": -1},
        grid=[["a", "b"], [], ["c"]],
        paths={"home": [P(x=1, y=2), P(x=-3, y=4)], "none": []},
        hands={1: {t.Suit.CLUBS}, -2: set()},
        points=[P(x=0, y=0), P(x=5, y=-5)],
        note="hi",
        origin=P(x=7, y=8),
    )
    c.eq("transform (every field)", client.transform(sent), t.Everything(
        scalars=t.Scalars(
            flag=True, tiny=-100, small=0, short_num=-299, num=-14, big=-I64_MAX, ratio=7.0,
            text="🦀 edocïnÜ", blob=b"cba\x80", suit=t.Suit.SPADES,
        ),
        numbers=[2147483647, 3, -2, 1],
        tags={"a", "b", "seen"},
        counts={"x": 2, "y": 0},
        grid=[["c"], [], ["a", "b"]],
        paths={"home": [P(x=2, y=1), P(x=4, y=-3)], "none": []},
        hands={1: {t.Suit.CLUBS, t.Suit.SPADES}, -2: {t.Suit.SPADES}},
        points=[P(x=0, y=0), P(x=-5, y=5)],
        note="hi!",
        origin=P(x=8, y=7),
        retries=4,
        label="unnamed",
        trump=t.Suit.SPADES,
    ))

    zero = t.Scalars(
        flag=False, tiny=0, small=0, short_num=0, num=0, big=0, ratio=0.0, text="", blob=b"",
        suit=t.Suit.CLUBS,
    )
    sent = t.Everything(scalars=zero, retries=10, label="custom", trump=t.Suit.SPADES)
    c.eq("transform (absent fields)", client.transform(sent), t.Everything(
        scalars=t.Scalars(
            flag=True, tiny=0, small=1, short_num=1, num=0, big=0, ratio=0.0, text="",
            blob=b"", suit=t.Suit.DIAMONDS,
        ),
        retries=11,
        label="custom",
        trump=t.Suit.CLUBS,
    ))


def check_sum(c, client, t):
    c.eq("sum([1, 2, 3])", client.sum([1, 2, 3]), 6)
    c.eq("sum([-5, 5, -10])", client.sum([-5, 5, -10]), -10)
    for values, want in (
        ([], t.InvalidInput(reason="no values", code=400)),
        ([I64_MAX, 1], t.Overflow(partial=I64_MAX)),
        ([-1, I64_MIN], t.Overflow(partial=-1)),
    ):
        try:
            got = client.sum(values)
            c.fail(f"sum({values}): got {got!r}, want the exception {want!r}")
        except (t.InvalidInput, t.Overflow) as e:
            c.eq(f"sum({values}) exception", e, want)


def check_oneway(c, client):
    c.eq("clear()", client.clear(), None)
    c.eq("events() after clear()", client.events(), [])
    sent = ["first", "second ✓"]
    for event in sent:
        c.eq(f"record({event!r})", client.record(event), None)
    deadline = time.monotonic() + 5
    got = client.events()
    while len(got) < len(sent) and time.monotonic() < deadline:
        time.sleep(0.02)
        got = client.events()
    c.eq("events() after record()", sorted(got), sorted(sent))
    client.clear()
    c.eq("events() after the second clear()", client.events(), [])


def main():
    p = common.parser(__doc__)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--timeout-ms", type=int, default=10_000)
    args = p.parse_args()
    common.load_generated(args.gen_dir)

    from interop import Interop, ttypes
    from thrift.transport import TSocket

    socket = TSocket.TSocket(args.host, args.port)
    socket.setTimeout(args.timeout_ms)
    transport = common.transport_factory(args.transport).getTransport(socket)
    protocol = common.protocol_factory(args.protocol).getProtocol(transport)
    client = Interop.Client(protocol)
    transport.open()

    c = Checker()
    checks = (
        ("scalars", lambda: check_scalars(c, client, ttypes)),
        ("transform", lambda: check_transform(c, client, ttypes)),
        ("sum", lambda: check_sum(c, client, ttypes)),
        ("clear/record/events", lambda: check_oneway(c, client)),
    )
    try:
        for name, check in checks:
            try:
                check()
            except Exception as e:  # an unexpected error is one more difference
                c.fail(f"{name}: raised {type(e).__name__}: {e}")
    finally:
        transport.close()

    label = f"{args.transport}/{args.protocol}"
    if c.failures:
        for f in c.failures:
            print(f"MISMATCH ({label}): {f}", file=sys.stderr)
        sys.exit(1)
    print(f"ok ({label}): every answer matched")


if __name__ == "__main__":
    main()
