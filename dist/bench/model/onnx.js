/**
 * Just enough of the ONNX protobuf (onnx/onnx.proto; field numbers are the official ones) to write
 * an inference graph: tensors, value infos, nodes with int/float/ints attributes, one graph, one model.
 * Hand-encoded, so the model generators need nothing beyond Node.
 *
 * @example
 * const g = new GraphBuilder('tiny');
 * g.input('input_ids', ELEM.INT64, ['batch_size', 'sequence_length']);
 * g.init('w', ELEM.FLOAT, [vocab, dim], leBytes(table));
 * g.node('Gather', ['w', 'input_ids'], ['last_hidden_state']);
 * g.output('last_hidden_state', ELEM.FLOAT, ['batch_size', 'sequence_length', dim]);
 * fs.writeFileSync('model.onnx', g.model({ producer: 'baowen', opset: 17 }));
 */
import fs from 'node:fs';
/** TensorProto.DataType values we use. */
export const ELEM = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7 };
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_INTS = 7;
/**
 * A minimal protobuf writer: varints, length-delimited fields and nested messages. Nested messages
 * and byte fields are kept by reference until {@link Pb.finish} or {@link Pb.writeTo}, so a model with
 * a 400 MB embedding table is not copied once per nesting level.
 */
export class Pb {
    parts = [];
    size = 0;
    get length() {
        return this.size;
    }
    push(b) {
        this.parts.push(b);
        this.size += b.length;
    }
    tag(field, wire) {
        this.push(varint((field << 3) | wire));
    }
    int(field, n) {
        this.tag(field, 0);
        this.push(varint(n));
        return this;
    }
    /** A signed int64 (two's complement varint, as protobuf encodes negative int64). */
    sint64(field, n) {
        this.tag(field, 0);
        this.push(varintBig(BigInt.asUintN(64, BigInt(n))));
        return this;
    }
    float(field, x) {
        this.tag(field, 5);
        const b = Buffer.alloc(4);
        b.writeFloatLE(x);
        this.push(b);
        return this;
    }
    bytes(field, b) {
        this.tag(field, 2);
        this.push(varint(b.length));
        this.push(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
        return this;
    }
    str(field, s) {
        return this.bytes(field, Buffer.from(s, 'utf8'));
    }
    msg(field, m) {
        this.tag(field, 2);
        this.push(varint(m.length));
        this.push(m);
        return this;
    }
    /** The encoded message as one Buffer. */
    finish() {
        const out = [];
        this.flatten(out);
        return Buffer.concat(out, this.size);
    }
    /** Writes the encoded message to an open file descriptor, piece by piece. */
    writeTo(fd) {
        const out = [];
        this.flatten(out);
        for (const b of out)
            fs.writeSync(fd, b);
    }
    flatten(out) {
        for (const p of this.parts) {
            if (p instanceof Pb)
                p.flatten(out);
            else
                out.push(p);
        }
    }
}
function varint(n) {
    if (!Number.isSafeInteger(n) || n < 0)
        throw new RangeError(`varint: ${n}`);
    return varintBig(BigInt(n));
}
function varintBig(v) {
    const out = [];
    do {
        let byte = Number(v & 0x7fn);
        v >>= 7n;
        if (v > 0n)
            byte |= 0x80;
        out.push(byte);
    } while (v > 0n);
    return Buffer.from(out);
}
/** TensorProto: dims=1, data_type=2, name=8, raw_data=9 (little-endian). */
export function tensor(name, dataType, dims, raw) {
    const t = new Pb();
    for (const d of dims)
        t.int(1, d);
    return t.int(2, dataType).str(8, name).bytes(9, raw);
}
/** ValueInfoProto{name=1, type=2: TypeProto{tensor_type=1: {elem_type=1, shape=2: {dim=1: {dim_value=1 | dim_param=2}}}}}. */
export function valueInfo(name, elemType, dims) {
    const shape = new Pb();
    for (const d of dims)
        shape.msg(1, typeof d === 'number' ? new Pb().int(1, d) : new Pb().str(2, d));
    const tensorType = new Pb().int(1, elemType).msg(2, shape);
    return new Pb().str(1, name).msg(2, new Pb().msg(1, tensorType));
}
/** AttributeProto: name=1, f=2, i=3, ints=8, type=20. A plain number is an int; `{ f }` a float; an array ints. */
function attr(name, value) {
    const a = new Pb().str(1, name);
    if (Array.isArray(value)) {
        for (const v of value)
            a.sint64(8, v);
        return a.int(20, ATTR_INTS);
    }
    if (typeof value === 'object')
        return a.float(2, value.f).int(20, ATTR_FLOAT);
    return a.sint64(3, value).int(20, ATTR_INT);
}
/** Collects nodes, initializers, inputs and outputs of one graph. */
export class GraphBuilder {
    name;
    graph = new Pb();
    count = 0;
    constructor(name) {
        this.name = name;
    }
    /** NodeProto: input=1, output=2, name=3, op_type=4, attribute=5. Returns the first output's name. */
    node(op, inputs, outputs, attrs = {}) {
        const n = new Pb();
        for (const i of inputs)
            n.str(1, i);
        for (const o of outputs)
            n.str(2, o);
        n.str(3, `${op}_${this.count++}`).str(4, op);
        for (const [k, v] of Object.entries(attrs))
            n.msg(5, attr(k, v));
        this.graph.msg(1, n);
        return outputs[0];
    }
    /** GraphProto.initializer = 5. Returns the name. */
    init(name, dataType, dims, raw) {
        this.graph.msg(5, tensor(name, dataType, dims, raw));
        return name;
    }
    /** GraphProto.input = 11. */
    input(name, elemType, dims) {
        this.graph.msg(11, valueInfo(name, elemType, dims));
    }
    /** GraphProto.output = 12. */
    output(name, elemType, dims) {
        this.graph.msg(12, valueInfo(name, elemType, dims));
    }
    /** ModelProto: ir_version=1, producer_name=2, producer_version=3, graph=7 (name=2), opset_import=8{domain=1, version=2}. */
    model(opts) {
        return this.modelPb(opts).finish();
    }
    /** Writes the model to `file` without building it as one Buffer. */
    writeModel(file, opts) {
        const fd = fs.openSync(file, 'w');
        try {
            this.modelPb(opts).writeTo(fd);
        }
        finally {
            fs.closeSync(fd);
        }
    }
    modelPb(opts) {
        this.graph.str(2, this.name);
        return new Pb()
            .int(1, opts.irVersion ?? 8)
            .str(2, opts.producer)
            .str(3, '1')
            .msg(7, this.graph)
            .msg(8, new Pb().str(1, '').int(2, opts.opset));
    }
}
/** Little-endian bytes of a typed array (copied only on a big-endian host). */
export function leBytes(a) {
    const view = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const w = a.BYTES_PER_ELEMENT;
    if (w === 1 || new Uint8Array(new Uint16Array([1]).buffer)[0] === 1)
        return view;
    const out = new Uint8Array(view.length);
    for (let i = 0; i < view.length; i += w)
        for (let j = 0; j < w; j++)
            out[i + j] = view[i + w - 1 - j];
    return out;
}
export function int64s(values) {
    return leBytes(BigInt64Array.from(values.map((v) => BigInt(v))));
}
export function floats(values) {
    return leBytes(values instanceof Float32Array ? values : Float32Array.from(values));
}
//# sourceMappingURL=onnx.js.map