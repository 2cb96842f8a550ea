"""Command-line flags and transport/protocol factories shared by server.py and client.py."""

import argparse
import sys

TRANSPORTS = ("framed", "buffered")
PROTOCOLS = ("binary", "compact")


def parser(description):
    """An argument parser with the flags both scripts take."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument(
        "--gen-dir",
        required=True,
        help="directory that `thrift --gen py -out DIR interop.thrift` wrote",
    )
    p.add_argument("--transport", choices=TRANSPORTS, default="framed")
    p.add_argument("--protocol", choices=PROTOCOLS, default="binary")
    return p


def load_generated(gen_dir):
    """Makes the generated `interop` package importable."""
    sys.path.insert(0, gen_dir)


def transport_factory(name):
    """The Apache Thrift transport factory named `name`."""
    from thrift.transport import TTransport

    if name == "framed":
        return TTransport.TFramedTransportFactory()
    return TTransport.TBufferedTransportFactory()


def protocol_factory(name):
    """The Apache Thrift protocol factory named `name` (binary is strict both ways)."""
    from thrift.protocol import TBinaryProtocol, TCompactProtocol

    if name == "compact":
        return TCompactProtocol.TCompactProtocolFactory()
    return TBinaryProtocol.TBinaryProtocolFactory(strictRead=True, strictWrite=True)
