#!/usr/bin/env python3
"""onnx_seeds.py -- write the hand-made seed corpus of fuzz_onnx (tests/fuzz/corpus/onnx/).

Tiny ONNX models encoded field by field from onnx.proto's field numbers (no onnx package
needed): an Add with a raw_data float initializer, a Constant with typed int64 data, an If
whose branches are subgraphs, a LSTM node with W/R/B initializers in float_data, and files
that must be refused (a 2^40-element tensor declared in a few bytes, a nesting of subgraphs
deeper than the reader accepts, a truncated message). Run: python3 tests/fuzz/onnx_seeds.py
"""
import os
import struct
import sys


def varint(v):
    if v < 0:
        v += 1 << 64
    out = b""
    while True:
        b = v & 0x7F
        v >>= 7
        if v:
            out += bytes([b | 0x80])
        else:
            return out + bytes([b])


def key(field, wt):
    return varint(field << 3 | wt)


def vi(field, v):
    return key(field, 0) + varint(v)


def ld(field, data):
    if isinstance(data, str):
        data = data.encode()
    return key(field, 2) + varint(len(data)) + data


def tensor(name, dims, dtype, raw=None, floats=None, ints=None):
    t = b"".join(vi(1, d) for d in dims) + vi(2, dtype) + ld(8, name)
    if raw is not None:
        t += ld(9, raw)
    if floats is not None:
        t += ld(4, b"".join(struct.pack("<f", f) for f in floats))
    if ints is not None:
        t += ld(7, b"".join(varint(i) for i in ints))
    return t


def node(op, ins, outs, attrs=()):
    return b"".join(ld(1, i) for i in ins) + b"".join(ld(2, o) for o in outs) + ld(4, op) + \
        b"".join(ld(5, a) for a in attrs)


def attr_int(name, v):
    return ld(1, name) + vi(20, 2) + vi(3, v)


def attr_t(name, t):
    return ld(1, name) + vi(20, 4) + ld(5, t)


def attr_g(name, g):
    return ld(1, name) + vi(20, 5) + ld(6, g)


def graph(name, nodes, inits=(), ins=(), outs=()):
    return b"".join(ld(1, n) for n in nodes) + ld(2, name) + b"".join(ld(5, t) for t in inits) + \
        b"".join(ld(11, ld(1, i)) for i in ins) + b"".join(ld(12, ld(1, o)) for o in outs)


def model(g, opset=16):
    return vi(1, 8) + ld(2, "seed") + ld(7, g) + ld(8, ld(1, "") + vi(2, opset))


seeds = {}
seeds["add.onnx"] = model(graph("g", [node("Add", ["x", "w"], ["y"])],
                                [tensor("w", [2], 1, raw=struct.pack("<2f", 1.5, -2.0))],
                                ["x"], ["y"]))
seeds["constant.onnx"] = model(graph("g", [node("Constant", [], ["c"],
                                                [attr_t("value", tensor("c", [3], 7, ints=[1, -1, 7]))])],
                                     [], [], ["c"]))
branch = graph("b", [node("Identity", ["x"], ["y"])], [], [], ["y"])
seeds["if.onnx"] = model(graph("g", [node("If", ["cond"], ["y"],
                                          [attr_g("then_branch", branch), attr_g("else_branch", branch)])],
                               [], ["cond", "x"], ["y"]))
H, I = 2, 3
seeds["lstm.onnx"] = model(graph("g", [node("LSTM", ["x", "W", "R", "B"], ["Y", "Yh", "Yc"],
                                            [attr_int("hidden_size", H)])],
                                 [tensor("W", [1, 4 * H, I], 1, floats=[0.1 * k for k in range(4 * H * I)]),
                                  tensor("R", [1, 4 * H, H], 1, floats=[-0.05 * k for k in range(4 * H * H)]),
                                  tensor("B", [1, 8 * H], 1, raw=struct.pack("<%df" % (8 * H), *range(8 * H)))],
                                 ["x"], ["Y"]))
seeds["absurd-dims.onnx"] = model(graph("g", [], [tensor("huge", [1 << 20, 1 << 20], 1,
                                                           raw=struct.pack("<2f", 0, 0))]))
deep = graph("leaf", [node("Identity", ["x"], ["y"])])
for k in range(40):
    deep = graph("g%d" % k, [node("If", ["c"], ["y"], [attr_g("then_branch", deep)])])
seeds["deep.onnx"] = model(deep)
seeds["truncated.onnx"] = seeds["lstm.onnx"][:-7]

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "onnx")
if len(sys.argv) > 1:
    out = sys.argv[1]
os.makedirs(out, exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
