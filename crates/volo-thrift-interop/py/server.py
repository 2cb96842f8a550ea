"""The Interop service (idl/interop.thrift) served by Apache Thrift's Python library.

Binds 127.0.0.1 on the given port (0: any free one), prints the port on one line
of stdout, then serves until killed or until its stdin is closed (so it never
outlives the process that started it).
"""

import os
import sys
import threading

import common


def wrap(value, bits):
    """`value` wrapped into a signed integer of `bits` bits."""
    m = 1 << bits
    value &= m - 1
    return value - m if value >= m // 2 else value


def next_suit(suit):
    return suit % 4 + 1


def swap(point, Point):
    return Point(x=point.y, y=point.x)


def optional(value, f):
    return None if value is None else f(value)


class Handler:
    """Answers as the comments of idl/interop.thrift say."""

    def __init__(self, ttypes):
        self.t = ttypes
        self.lock = threading.Lock()
        self.recorded = []

    def scalars(self, flag, tiny, small, short_num, num, big, ratio, text, blob, suit):
        return self.t.Scalars(
            flag=not flag,
            tiny=wrap(-tiny, 8),
            small=wrap(small + 1, 8),
            short_num=wrap(short_num + 1, 16),
            num=wrap(num * 2, 32),
            big=wrap(-big, 64),
            ratio=ratio * 2,
            text=text[::-1],
            blob=blob[::-1],
            suit=next_suit(suit),
        )

    def transform(self, value):
        t = self.t
        s = value.scalars
        swap_all = lambda points: [swap(p, t.Point) for p in points]
        return t.Everything(
            scalars=self.scalars(
                s.flag, s.tiny, s.small, s.short_num, s.num, s.big, s.ratio, s.text, s.blob, s.suit
            ),
            numbers=optional(value.numbers, lambda v: v[::-1]),
            tags=optional(value.tags, lambda v: v | {"seen"}),
            counts=optional(value.counts, lambda v: {k: wrap(c + 1, 64) for k, c in v.items()}),
            grid=optional(value.grid, lambda v: v[::-1]),
            paths=optional(value.paths, lambda v: {k: swap_all(ps) for k, ps in v.items()}),
            hands=optional(value.hands, lambda v: {k: h | {t.Suit.SPADES} for k, h in v.items()}),
            points=optional(value.points, swap_all),
            note=optional(value.note, lambda v: v + "!"),
            origin=optional(value.origin, lambda p: swap(p, t.Point)),
            retries=wrap(value.retries + 1, 32),
            label=value.label,
            trump=next_suit(value.trump),
        )

    def sum(self, values):
        if not values:
            raise self.t.InvalidInput(reason="no values", code=400)
        total = 0
        for v in values:
            if wrap(total + v, 64) != total + v:
                raise self.t.Overflow(partial=total)
            total += v
        return total

    def clear(self):
        with self.lock:
            self.recorded.clear()

    def record(self, event):
        with self.lock:
            self.recorded.append(event)

    def events(self):
        with self.lock:
            return list(self.recorded)


def exit_when_stdin_closes():
    sys.stdin.buffer.read()
    os._exit(0)


def main():
    p = common.parser(__doc__)
    p.add_argument("--port", type=int, default=0)
    args = p.parse_args()
    common.load_generated(args.gen_dir)

    from interop import Interop, ttypes
    from thrift.server import TServer
    from thrift.transport import TSocket

    class BoundServerSocket(TSocket.TServerSocket):
        """Listens once: bound before serving, so that the port can be printed."""

        def listen(self):
            if self.handle is None:
                super().listen()

    socket = BoundServerSocket(host="127.0.0.1", port=args.port)
    socket.listen()
    print(socket.handle.getsockname()[1], flush=True)

    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()

    processor = Interop.Processor(Handler(ttypes))
    transport = common.transport_factory(args.transport)
    protocol = common.protocol_factory(args.protocol)
    # One thread per connection: a pooled client may hold more than one.
    TServer.TThreadedServer(processor, socket, transport, protocol, daemon=True).serve()


if __name__ == "__main__":
    main()
