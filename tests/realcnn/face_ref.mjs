// face_ref.mjs - test-only: face-api's own face_recognition descriptor of a 150x150 crop, the
// independent reference `dnngen stats --image` (golden/gm_facerec.c) is compared with.
// face-api's ESM bundle carries TensorFlow.js; run on its pure-JavaScript 'cpu' backend. The
// bundle picks its platform from the environment; Node's is refused by the bundled util shim,
// so the browser platform is selected (Node 20 has the fetch and TextEncoder it needs).
// Usage: node face_ref.mjs FACE_API_ESM MANIFEST.json CROP.f32  -> 128 values, one a line.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const [esm, manifestPath, cropPath] = process.argv.slice(2);
globalThis.window = globalThis;
globalThis.document = { createElement: () => ({ getContext: () => null }) };
const faceapi = await import(esm);
const tf = faceapi.tf;
await tf.setBackend('cpu');
await tf.ready();
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const specs = [], parts = [];
for (const group of manifest) {
    for (const p of group.paths) parts.push(readFileSync(join(dirname(manifestPath), p)));
    specs.push(...group.weights);
}
const bin = Buffer.concat(parts);
const weights = tf.io.decodeWeights(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.length), specs);
const net = faceapi.nets.faceRecognitionNet;
net.loadFromWeightMap(weights);
const raw = readFileSync(cropPath);
const crop = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length));
if (crop.length !== 150 * 150 * 3) throw new Error(`crop has ${crop.length} values, want 67500`);
const input = tf.tensor4d(crop, [1, 150, 150, 3]);
const desc = await net.computeFaceDescriptor(input);
process.stdout.write(Array.from(desc).map((v) => v.toPrecision(9)).join('\n') + '\n');
