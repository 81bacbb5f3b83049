// vad_ref.js -- test-only reference for `dnngen vad`: Silero VAD v5 speech probabilities of a
// 16 kHz mono 16-bit WAV computed by onnxruntime-node (an independent implementation of the
// whole ONNX graph, the If on the sample rate included), framed as Silero v5 frames its input:
// 512 new samples per frame after the last 64 samples of the previous input (zeros at first),
// the last frame zero-padded, LSTM state [2,1,128] carried from frame to frame.
// Usage: NODE_PATH=<dir>/node_modules node vad_ref.js MODEL.onnx IN.wav  (one probability a line)
'use strict';
const fs = require('fs');
const ort = require('onnxruntime-node');

function readWav(path) {
  const b = fs.readFileSync(path);
  if (b.toString('ascii', 0, 4) !== 'RIFF' || b.toString('ascii', 8, 12) !== 'WAVE') throw new Error('not a WAV');
  let off = 12, fmt = null, data = null;
  while (off + 8 <= b.length) {
    const id = b.toString('ascii', off, off + 4), len = b.readUInt32LE(off + 4);
    if (id === 'fmt ') fmt = { format: b.readUInt16LE(off + 8), ch: b.readUInt16LE(off + 10), rate: b.readUInt32LE(off + 12), bits: b.readUInt16LE(off + 22) };
    if (id === 'data') data = b.subarray(off + 8, off + 8 + len);
    off += 8 + len + (len & 1);
  }
  if (!fmt || !data || fmt.format !== 1 || fmt.ch !== 1 || fmt.rate !== 16000 || fmt.bits !== 16) throw new Error('want 16 kHz mono 16-bit PCM');
  const x = new Float32Array(data.length >> 1);
  for (let i = 0; i < x.length; i++) x[i] = data.readInt16LE(2 * i) / 32768;
  return x;
}

async function main() {
  const [model, wav] = process.argv.slice(2);
  const x = readWav(wav);
  const sess = await ort.InferenceSession.create(model, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  let state = new ort.Tensor('float32', new Float32Array(2 * 128), [2, 1, 128]);
  const sr = new ort.Tensor('int64', BigInt64Array.from([16000n]), []);
  const ctx = new Float32Array(64);
  const out = [];
  for (let t = 0; t * 512 < x.length; t++) {
    const inp = new Float32Array(576);
    inp.set(ctx, 0);
    inp.set(x.subarray(t * 512, Math.min(x.length, t * 512 + 512)), 64);
    const r = await sess.run({ input: new ort.Tensor('float32', inp, [1, 576]), state, sr });
    state = r.stateN;
    ctx.set(inp.subarray(512, 576));
    out.push(r.output.data[0].toFixed(7));
  }
  process.stdout.write(out.join('\n') + '\n');
}
main().catch((e) => { process.stderr.write('vad_ref: ' + e.message + '\n'); process.exit(3); });
