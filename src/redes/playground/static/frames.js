// The playground's frames, read in the browser: the only place of the page that knows their
// binary form (the server writes them in frames.py, which says why they look so).
//
// A frame is a JSON header and named arrays: the decision surface and the neuron maps (one
// byte per pixel), the weights w0, w1... (shape [in, out]) and biases b0, b1... (float32).
// "RPG1" frames hold the arrays as they are. "RPG2" (compact) frames hold them deflated,
// each 8-bit array marked "delta" as its byte-by-byte difference from the same array of the
// previous frame, and every 8-bit array written along its rows (each byte minus the one to
// its left, mod 256); so the frames are read one after another, in the order they came, never
// two at once (inflating is asynchronous: each waits for the one before it).
//
// decodeFrame(buffer) gives a promise of [header, arrays], each array {data, shape}.
"use strict";

const frameReader = { previous: {}, queue: Promise.resolve(), decoded: 0 };

// The page's way to read compact frames: the server sends them once asked for them.
const FRAME_REQUEST = { type: "compact" };

async function inflateRaw(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function readFrame(buf) {
  const magic = String.fromCharCode(...new Uint8Array(buf, 0, 4));
  const n = new DataView(buf).getUint32(4, true);
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buf, 8, n)));
  let body = buf, base = 8 + n;
  if (magic === "RPG2") {
    const bytes = await inflateRaw(new Uint8Array(buf, 8 + n));
    if (bytes.length !== header.body) throw new Error(`frame: body of ${bytes.length} bytes`);
    body = bytes.buffer;
    base = 0;
  } else if (magic !== "RPG1") {
    throw new Error("frame: not a playground frame");
  }
  const arrays = {}, previous = {};
  for (const s of header.sections) {
    const count = s.shape.reduce((a, b) => a * b, 1);
    const Type = s.dtype === "u1" ? Uint8Array : Float32Array;
    let data = new Type(body, base + s.offset, count);
    if (magic === "RPG2" && s.dtype === "u1") {      // along each row: running sums
      const row = s.shape[s.shape.length - 1] || 1, sums = new Uint8Array(count);
      for (let start = 0; start < count; start += row) {
        let acc = 0;
        for (let i = start; i < start + row; i++) sums[i] = acc = (acc + data[i]) & 255;
      }
      data = sums;
    }
    if (s.delta) {                  // the previous frame's bytes plus these, mod 256
      const before = frameReader.previous[s.name];
      if (!before || before.length !== count) throw new Error(`frame: no ${s.name} before`);
      const sum = new Uint8Array(count);
      for (let i = 0; i < count; i++) sum[i] = before[i] + data[i];    // wraps at 256
      data = sum;
    }
    if (s.dtype === "u1") previous[s.name] = data;
    arrays[s.name] = { data, shape: s.shape };
  }
  frameReader.previous = previous;
  frameReader.decoded++;
  return [header, arrays];
}

function decodeFrame(buf) {
  const result = frameReader.queue.then(() => readFrame(buf));
  frameReader.queue = result.catch(() => null);     // one bad frame does not stop the rest
  return result;
}
