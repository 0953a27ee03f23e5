// The redes playground in the browser: controls, the network drawing and the frames.
//
// The server trains; this page only sends the settings (JSON over a websocket) and draws
// what comes back: binary frames holding the output surface, every neuron's map (bytes,
// one per pixel) and the weights. The whole state lives in the URL's hash, so a link
// shares it. Its words come from the server too, in the language chosen (i18n.js).
"use strict";

const $ = (id) => document.getElementById(id);
const ORANGE = [245, 147, 34], BLUE = [8, 119, 189], MID = [238, 240, 242];
const PALETTE = [ORANGE, BLUE, [44, 160, 44], [148, 103, 189], [214, 39, 40],
                 [140, 86, 75], [227, 119, 194], [23, 190, 207]];
const LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const REG_RATES = [0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const DROPOUTS = [0, 0.1, 0.2, 0.3, 0.5];
const SPEEDS = [1, 2, 5, 10, 20];
const FEATURE_LABELS = {
  x1: "x₁", x2: "x₂", x1sq: "x₁²", x2sq: "x₂²", x1x2: "x₁x₂",
  sinx1: "sin(x₁)", sinx2: "sin(x₂)", cosx1: "cos(x₁)", cosx2: "cos(x₂)",
};
const NODE = 34;            // px, a neuron's square
const GAP = 10;

const app = {               // everything the page knows (tests read it too)
  lang: DEFAULT_LANG, words: null, options: null, state: null, data: null, header: null, arrays: null,
  frames: 0, curve: [], hover: null, structure: "", exported: null, errors: [],
};
window.playground = app;
let ws = null;
let initialHash = null;

// ----------------------------------------------------------------- words
// Show the page in `lang` once its words have arrived (t, plural and fetchWords: i18n.js);
// true when it did. If they cannot be loaded, the page says why and stays as it was. Only
// the last language asked for is shown, however the answers arrive.
let languageRequest = 0;
async function useLanguage(lang) {
  const request = ++languageRequest;
  let table;
  try {
    table = await fetchWords(lang);
  } catch (err) {
    if (request === languageRequest) {
      const message = `${WORDS_FAILED} (${lang}: ${err.message})`;
      app.errors.push(message);
      toast(message);
      $("lang").value = app.lang;
    }
    return false;
  }
  if (request !== languageRequest) return false;
  app.lang = lang;
  app.words = words.table = table;
  send({ type: "lang", lang });
  if (app.state) history.replaceState(null, "", stateToHash(app.state));
  applyLanguage();
  return true;
}

function fillLanguages() {
  const el = $("lang"), codes = app.options.languages.slice();
  if (!codes.includes(app.lang)) codes.push(app.lang);     // "pseudo", from the URL
  el.innerHTML = "";
  for (const code of codes) el.add(new Option(code.toUpperCase(), code));
  el.value = app.lang;
}

function applyLanguage() {
  document.documentElement.lang = app.lang;
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll("[data-i18n-title]")) el.title = t(el.dataset.i18nTitle);
  $("lang").value = app.lang;
  if (app.options) { fillSelects(); syncControls(); buildNetwork(true); drawAll(); }
}

// ----------------------------------------------------------------- colours
const LUT = new Uint8ClampedArray(256 * 3);
for (let q = 0; q < 256; q++) {
  const v = q / 127.5 - 1, end = v < 0 ? ORANGE : BLUE, a = Math.abs(v);
  for (let c = 0; c < 3; c++) LUT[q * 3 + c] = MID[c] + (end[c] - MID[c]) * a;
}
const rgb = (c) => `rgb(${c[0]},${c[1]},${c[2]})`;
const valueColour = (v) => {
  const q = Math.max(0, Math.min(255, Math.round((v + 1) * 127.5)));
  return `rgb(${LUT[q * 3]},${LUT[q * 3 + 1]},${LUT[q * 3 + 2]})`;
};

function paintMap(ctx, bytes, size, classes, discretize, pale) {
  // bytes: quantized values (-1 -> 0, 1 -> 255); classes: class per pixel (softmax);
  // pale: lighter colours, so that the points drawn over them stand out.
  const img = ctx.createImageData(size, size), px = img.data, f = pale ? 0.6 : 1;
  for (let i = 0; i < size * size; i++) {
    let q = bytes[i], colour;
    if (classes) {
      const k = PALETTE[classes[i] % PALETTE.length];
      const a = discretize ? 1 : Math.max(0, (q - 128) / 127) * 0.85;   // confidence
      colour = [MID[0] + (k[0] - MID[0]) * a, MID[1] + (k[1] - MID[1]) * a, MID[2] + (k[2] - MID[2]) * a];
    } else {
      if (discretize) q = q >= 128 ? 255 : 0;
      colour = [LUT[q * 3], LUT[q * 3 + 1], LUT[q * 3 + 2]];
    }
    for (let c = 0; c < 3; c++) px[i * 4 + c] = 255 - (255 - colour[c]) * f;
    px[i * 4 + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

// ----------------------------------------------------------------- URL hash
function stateToHash(state) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(state)) {
    p.set(k, Array.isArray(v) ? v.join(",") : typeof v === "boolean" ? (v ? "1" : "0") : String(v));
  }
  p.set("lang", app.lang);
  return "#" + p.toString();
}

function hashToChanges(hash, defaults) {
  const p = new URLSearchParams(hash.replace(/^#/, "")), changes = {};
  for (const [k, raw] of p.entries()) {
    if (k === "lang") continue;
    const d = defaults[k];
    if (d === undefined) continue;
    if (Array.isArray(d)) {
      const items = raw === "" ? [] : raw.split(",");
      changes[k] = k === "layers" ? items.map(Number) : items;
    } else if (typeof d === "boolean") changes[k] = raw === "1" || raw === "true";
    else if (typeof d === "number") changes[k] = Number(raw);
    else changes[k] = raw;
  }
  if (changes.dataset === "custom") delete changes.dataset;   // uploaded points stay home
  return changes;
}

// ----------------------------------------------------------------- talking
function send(msg) {
  if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg));
}
const set = (changes) => send({ type: "set", changes });

function connect() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  ws = new WebSocket(`${scheme}://${location.host}/ws`);
  ws.binaryType = "arraybuffer";
  ws.onopen = () => send({ type: "lang", lang: app.lang });    // the server's errors, in it
  ws.onmessage = (ev) => (typeof ev.data === "string" ? onMessage(JSON.parse(ev.data)) : onFrame(ev.data));
  ws.onclose = () => toast(t("disconnected"));
}

function onMessage(msg) {
  if (msg.type === "hello") {
    app.options = msg.options;
    app.state = msg.state;
    fillLanguages();
    fillSelects();
    const changes = hashToChanges(initialHash || "", app.options.default);
    if (Object.keys(changes).length) set(changes);
    onState(msg.state);
  } else if (msg.type === "state") {
    onState(msg.state);
  } else if (msg.type === "data") {
    app.data = msg;
    syncControls();          // the custom dataset's picture
    buildNetwork(false);     // uploaded points may bring another number of classes
    drawAll();
  } else if (msg.type === "error") {
    app.errors.push(msg.message);
    toast(msg.message);
    syncControls();
  } else if (msg.type === "export") {
    app.exported = msg;
    $("keras-code").value = msg.keras;
    $("recipe-code").value = JSON.stringify(msg.recipe, null, 2);
    $("export-dialog").showModal();
  }
}

function onState(state) {
  app.state = state;
  history.replaceState(null, "", stateToHash(state));
  syncControls();
  buildNetwork(false);
}

function decodeFrame(buf) {
  const n = new DataView(buf).getUint32(4, true);
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buf, 8, n)));
  const base = 8 + n, arrays = {};
  for (const s of header.sections) {
    const count = s.shape.reduce((a, b) => a * b, 1);
    const Type = s.dtype === "u1" ? Uint8Array : Float32Array;
    arrays[s.name] = { data: new Type(buf, base + s.offset, count), shape: s.shape };
  }
  return [header, arrays];
}

function onFrame(buf) {
  const [header, arrays] = decodeFrame(buf);
  if (app.header && header.network !== app.header.network) app.curve = [];   // a new network
  const last = app.curve[app.curve.length - 1];
  if (!last || header.epoch !== last[0]) {
    app.curve.push([header.epoch, header.train_loss, header.test_loss]);
    if (app.curve.length > 800) app.curve = app.curve.filter((_, i) => i % 2 === 0);
  }
  app.header = header;
  app.arrays = arrays;
  app.frames++;
  drawAll();
}

// ----------------------------------------------------------------- controls
function fillSelect(id, values, label, current) {
  const el = $(id);
  const list = values.slice();
  if (current !== undefined && !list.includes(current)) list.push(current);
  el.innerHTML = "";
  for (const v of list) {
    const o = document.createElement("option");
    o.value = String(v);
    o.textContent = label ? label(v) : String(v);
    el.appendChild(o);
  }
}

function fillSelects() {
  const o = app.options, s = app.state || o.default;
  fillSelect("learning_rate", LEARNING_RATES, null, s.learning_rate);
  fillSelect("reg_rate", REG_RATES, null, s.reg_rate);
  fillSelect("dropout", DROPOUTS, null, s.dropout);
  fillSelect("speed", SPEEDS, null, s.speed);
  fillSelect("optimizer", o.optimizers, t);
  fillSelect("activation", o.activations);
  fillSelect("regularization", o.regularizations, t);
  fillSelect("problem", o.problems, t);
  const preset = $("preset");
  preset.innerHTML = `<option value="">${t("preset_none")}</option>`;
  for (const name of Object.keys(o.presets)) {
    const el = document.createElement("option");
    el.value = name;
    el.textContent = t(name);
    preset.appendChild(el);
  }
}

function syncControls() {
  const s = app.state;
  if (!s) return;
  for (const id of ["learning_rate", "reg_rate", "dropout", "speed"]) {
    if (![...$(id).options].some((o) => Number(o.value) === s[id])) fillSelects();
    $(id).value = [...$(id).options].find((o) => Number(o.value) === s[id]).value;
  }
  for (const id of ["optimizer", "regularization", "problem"]) $(id).value = s[id];
  const same = s.activations.every((a) => a === s.activations[0]);
  $("activation").value = same && s.activations.length ? s.activations[0] : "";
  for (const id of ["train_ratio", "noise", "points", "batch_size"]) {
    $(id).value = s[id];
    $(id + "_out").textContent = s[id];
  }
  $("seed").value = s.seed;
  $("show_test").checked = s.show_test;
  $("discretize").checked = s.discretize;
  $("reg_rate").disabled = s.regularization === "none";
  const custom = s.dataset === "custom";
  $("noise").disabled = custom;
  $("points").disabled = custom;
  const box = $("datasets");
  box.innerHTML = "";
  for (const name of app.options.datasets[s.problem]) {
    if (name === "custom" && !custom) continue;
    const b = document.createElement("button");
    b.dataset.name = name;
    b.title = t(name);
    b.setAttribute("aria-label", t(name));
    b.className = "dataset" + (name === s.dataset ? " selected" : "");
    b.onclick = () => set({ dataset: name });
    const c = document.createElement("canvas");
    c.width = c.height = 40;
    b.appendChild(c);
    const rows = name === "custom" ? (app.data ? app.data.train : []) : app.options.thumbnails[name];
    thumbnail(c, rows, s.problem === "classification");
    box.appendChild(b);
  }
  $("dataset-name").textContent = t(s.dataset);
  $("loss_name").textContent = s.problem === "regression" ? t("loss_mse") : t("loss_ce");
}

function thumbnail(canvas, rows, classes) {
  const ctx = canvas.getContext("2d"), W = canvas.width;
  ctx.fillStyle = "#fafafa";
  ctx.fillRect(0, 0, W, W);
  for (const [x1, x2, y] of rows) {
    // regression targets are mostly small: strengthen them so the picture reads at 40 px
    ctx.fillStyle = classes ? rgb(PALETTE[y % PALETTE.length]) : valueColour(Math.sign(y) * Math.sqrt(Math.abs(y)));
    ctx.fillRect((x1 + 6) / 12 * W - 1, (6 - x2) / 12 * W - 1, 2, 2);
  }
}

function wireControls() {
  $("play").onclick = () => send({ type: app.header && app.header.playing ? "pause" : "play" });
  $("step").onclick = () => send({ type: "step" });
  $("reset").onclick = () => send({ type: "reset" });
  $("export").onclick = () => send({ type: "export" });
  $("regenerate").onclick = () => set({ seed: Math.floor(Math.random() * 2147483647) });
  for (const id of ["learning_rate", "reg_rate", "dropout", "speed"]) {
    $(id).onchange = () => set({ [id]: Number($(id).value) });
  }
  for (const id of ["optimizer", "regularization", "problem"]) {
    $(id).onchange = () => set({ [id]: $(id).value });
  }
  $("activation").onchange = () => {
    const a = $("activation").value;
    if (a) set({ activations: app.state.layers.map(() => a) });
  };
  for (const id of ["train_ratio", "noise", "points", "batch_size"]) {
    $(id).oninput = () => { $(id + "_out").textContent = $(id).value; };
    $(id).onchange = () => set({ [id]: Number($(id).value) });
  }
  $("seed").onchange = () => {
    const v = Number($("seed").value);
    if (Number.isInteger(v) && v >= 0) set({ seed: v });
  };
  $("show_test").onchange = () => set({ show_test: $("show_test").checked });
  $("discretize").onchange = () => set({ discretize: $("discretize").checked });
  $("preset").onchange = () => {
    if ($("preset").value) send({ type: "preset", name: $("preset").value });
    $("preset").value = "";
  };
  $("add-layer").onclick = () => {
    const s = app.state;
    if (s.layers.length >= app.options.max_layers) return;
    const act = s.activations[s.activations.length - 1] || "tanh";
    set({ layers: [...s.layers, 2], activations: [...s.activations, act] });
  };
  $("remove-layer").onclick = () => {
    const s = app.state;
    if (s.layers.length) set({ layers: s.layers.slice(0, -1), activations: s.activations.slice(0, -1) });
  };
  $("upload").onchange = async () => {
    const file = $("upload").files[0];
    $("upload").value = "";
    if (!file) return;
    if (file.size > app.options.max_csv_bytes) return toast(t("too_big"));
    send({ type: "upload", csv: await file.text() });
  };
  $("lang").onchange = async () => {
    if (await useLanguage($("lang").value)) localStorage.setItem("redes-lang", app.lang);
  };
  $("download-keras").onclick = () => download("red_playground.py", app.exported.keras, "text/x-python");
  $("download-recipe").onclick = () => download("receta_playground.json",
    JSON.stringify(app.exported.recipe, null, 2), "application/json");
  window.addEventListener("resize", () => buildNetwork(true));
}

function download(name, text, type) {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

let toastTimer = null;
function toast(text) {
  const el = $("toast");
  el.textContent = text;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.hidden = true; }, 5000);
}

// ----------------------------------------------------------------- the network drawing
const net = { columns: [], links: [] };   // columns: [{nodes: [{el, canvas, map, x, y}]}]

function buildNetwork(force) {
  const s = app.state, o = app.options;
  if (!s || !o) return;
  const classes = s.dataset === "custom" ? (app.data ? app.data.classes : 2) : o.classes[s.dataset];
  const outputs = classes > 2 ? classes : 1;
  const key = JSON.stringify([s.features, s.layers, s.activations, outputs, app.lang]);
  if (!force && key === app.structure) return;
  app.structure = key;
  const box = $("net"), nodes = $("nodes"), svg = $("links");
  nodes.innerHTML = "";
  svg.innerHTML = "";
  const width = box.clientWidth, top = 58;
  const ncols = s.layers.length + 2;
  const left = 70, right = width - NODE - 12;
  const xs = Array.from({ length: ncols }, (_, i) => left + (right - left) * (ncols > 1 ? i / (ncols - 1) : 0));
  net.columns = [];
  $("layer-count").textContent = plural("hidden_layers", s.layers.length);

  // inputs: all features, the chosen ones lit
  let map = 0;
  const inputs = o.features.map((f, i) => {
    const on = s.features.includes(f);
    const n = makeNode(xs[0], top + i * (NODE + GAP), on ? map++ : null, "input" + (on ? "" : " off"));
    n.el.title = FEATURE_LABELS[f];
    n.el.onclick = () => {
      const next = on ? s.features.filter((x) => x !== f) : [...s.features, f];
      if (next.length) set({ features: next });
    };
    const label = document.createElement("span");
    label.className = "feature-label";
    label.textContent = FEATURE_LABELS[f];
    label.style.left = (xs[0] - 64) + "px";
    label.style.top = (top + i * (NODE + GAP) + NODE / 2 - 8) + "px";
    nodes.appendChild(label);
    return on ? n : null;
  });
  net.columns.push(inputs.filter(Boolean));
  header(xs[0], t("features"));

  s.layers.forEach((units, li) => {
    const x = xs[li + 1];
    const col = [];
    for (let j = 0; j < units; j++) {
      const n = makeNode(x, top + j * (NODE + GAP), map++, "hidden");
      n.el.addEventListener("mouseenter", () => showNeuron(li, j));
      col.push(n);
    }
    net.columns.push(col);
    layerHeader(x, li, units);
  });
  const outCol = [];
  for (let k = 0; k < outputs; k++) {
    const n = makeNode(xs[ncols - 1], top + k * (NODE + GAP), outputs > 1 ? null : "output",
                       outputs > 1 ? "output class" : "output");
    if (outputs > 1) n.el.style.background = rgb(PALETTE[k % PALETTE.length]);
    n.el.title = outputs > 1 ? `${t("out_node")} ${k}` : t("out_node");
    outCol.push(n);
  }
  net.columns.push(outCol);
  header(xs[ncols - 1], t("out_node"));
  const height = top + Math.max(o.features.length, ...s.layers, outputs) * (NODE + GAP);
  box.style.height = height + "px";
  svg.setAttribute("width", width);
  svg.setAttribute("height", height);

  // one path per weight
  net.links = [];
  for (let c = 0; c + 1 < net.columns.length; c++) {
    const from = net.columns[c], to = net.columns[c + 1];
    from.forEach((a, i) => to.forEach((b, j) => {
      const p = document.createElementNS("http://www.w3.org/2000/svg", "path");
      const x1 = a.x + NODE, y1 = a.y + NODE / 2, x2 = b.x, y2 = b.y + NODE / 2, mx = (x1 + x2) / 2;
      p.setAttribute("d", `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`);
      p.addEventListener("mouseenter", () => showWeight(c, i, j));
      svg.appendChild(p);
      net.links.push({ el: p, layer: c, i, j });
    }));
  }

  function header(x, text) {
    const h = document.createElement("div");
    h.className = "col-head";
    h.style.left = (x - 30) + "px";
    h.textContent = text;
    nodes.appendChild(h);
  }

  function layerHeader(x, li, units) {
    const h = document.createElement("div");
    h.className = "col-head layer";
    h.style.left = (x - 30) + "px";
    const plus = button("+", () => units < o.max_units && set({ layers: s.layers.map((u, k) => (k === li ? u + 1 : u)) }));
    const minus = button("−", () => units > 1 && set({ layers: s.layers.map((u, k) => (k === li ? u - 1 : u)) }));
    const count = document.createElement("div");
    count.textContent = plural("neurons", units);
    const act = document.createElement("select");
    act.className = "layer-activation";
    for (const a of o.activations) act.add(new Option(a, a));
    act.value = s.activations[li];
    act.onchange = () => set({ activations: s.activations.map((v, k) => (k === li ? act.value : v)) });
    const pm = document.createElement("div");
    pm.append(plus, minus);
    h.append(pm, count, act);
    nodes.appendChild(h);
  }

  function button(text, onclick) {
    const b = document.createElement("button");
    b.className = "pm small";
    b.textContent = text;
    b.onclick = onclick;
    return b;
  }
}

function makeNode(x, y, mapIndex, cls) {
  const el = document.createElement("div");
  el.className = "node " + cls;
  el.style.left = x + "px";
  el.style.top = y + "px";
  let canvas = null;
  if (mapIndex === "output") {
    canvas = document.createElement("canvas");
    canvas.width = canvas.height = 100;
    el.appendChild(canvas);
  } else if (mapIndex !== null) {
    canvas = document.createElement("canvas");
    canvas.width = canvas.height = 50;
    el.appendChild(canvas);
    el.addEventListener("mouseenter", () => { app.hover = mapIndex; drawSurface(); });
    el.addEventListener("mouseleave", () => { app.hover = null; drawSurface(); });
  }
  $("nodes").appendChild(el);
  return { el, canvas, map: mapIndex, x, y };
}

function showNeuron(layer, j) {
  const b = app.arrays && app.arrays["b" + layer];
  const bias = b ? ` · ${t("bias")}: ${b.data[j].toFixed(3)}` : "";
  $("hover-info").textContent = `${t("hover_neuron")} ${j + 1}, ${t("layer")} ${layer + 1}${bias}`;
}

function showWeight(layer, i, j) {
  const w = app.arrays && app.arrays["w" + layer];
  if (!w) return;
  const value = w.data[i * w.shape[1] + j];
  $("hover-info").textContent = `${t("hover_weight")}: ${value.toFixed(3)}`;
}

// ----------------------------------------------------------------- drawing a frame
function drawAll() {
  if (!app.state) return;
  drawNetwork();
  drawSurface();
  drawLosses();
}

function drawNetwork() {
  const a = app.arrays;
  if (!a) return;
  const maps = a.neurons;
  if (maps) {
    const size = maps.shape[1], per = size * size;
    for (const col of net.columns) {
      for (const n of col) {
        if (n.map === "output" && a.surface) {
          paintMap(n.canvas.getContext("2d"), a.surface.data, a.surface.shape[0], null, app.state.discretize);
        } else if (n.canvas && n.map !== null && n.map < maps.shape[0]) {
          paintMap(n.canvas.getContext("2d"), maps.data.subarray(n.map * per, (n.map + 1) * per), size);
        }
      }
    }
  }
  for (const link of net.links) {
    const w = a["w" + link.layer];
    if (!w || link.i >= w.shape[0] || link.j >= w.shape[1]) continue;
    const v = w.data[link.i * w.shape[1] + link.j];
    link.el.setAttribute("stroke", v >= 0 ? rgb(BLUE) : rgb(ORANGE));
    link.el.setAttribute("stroke-width", Math.min(8, 0.4 + Math.abs(v) * 2.5).toFixed(2));
  }
}

const offscreen = document.createElement("canvas");

function drawSurface() {
  const a = app.arrays, s = app.state, canvas = $("surface"), ctx = canvas.getContext("2d");
  const W = canvas.width;
  ctx.clearRect(0, 0, W, W);
  if (a && a.surface) {
    let bytes = a.surface.data, size = a.surface.shape[0], classes = a.surface_class ? a.surface_class.data : null;
    let discretize = s.discretize;
    if (app.hover !== null && a.neurons && app.hover < a.neurons.shape[0]) {
      size = a.neurons.shape[1];
      bytes = a.neurons.data.subarray(app.hover * size * size, (app.hover + 1) * size * size);
      classes = null;
      discretize = false;
    }
    offscreen.width = offscreen.height = size;
    paintMap(offscreen.getContext("2d"), bytes, size, classes, discretize, true);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(offscreen, 0, 0, W, W);
  }
  const d = app.data;
  if (d) {
    drawPoints(ctx, d.train, "#fff", d);
    if (s.show_test) drawPoints(ctx, d.test, "#111", d);
  }
  // axes ticks
  ctx.fillStyle = "rgba(0,0,0,.55)";
  ctx.font = "10px system-ui, sans-serif";
  ctx.fillText("-6", 2, W - 3);
  ctx.fillText("0", W / 2 - 3, W - 3);
  ctx.fillText("6", W - 9, W - 3);
  ctx.fillText("0", 2, W / 2 + 4);
  ctx.fillText("6", 2, 11);
  drawLegend();
}

function drawPoints(ctx, rows, stroke, d) {
  const W = ctx.canvas.width;
  ctx.lineWidth = 1;
  ctx.strokeStyle = stroke;
  for (const [x1, x2, y] of rows) {
    const px = (x1 + 6) / 12 * W, py = (6 - x2) / 12 * W;
    ctx.fillStyle = d.classes ? rgb(PALETTE[y % PALETTE.length]) : valueColour(y);
    ctx.beginPath();
    ctx.arc(px, py, 3, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
  }
}

function drawLegend() {
  const c = $("legend"), ctx = c.getContext("2d");
  const multi = app.arrays && app.arrays.surface_class;
  for (let x = 0; x < c.width; x++) {
    ctx.fillStyle = multi ? rgb(PALETTE[Math.floor(x / c.width * app.data.classes)]) : valueColour(x / (c.width - 1) * 2 - 1);
    ctx.fillRect(x, 0, 1, c.height);
  }
  $("legend-text").textContent = multi ? t("legend_class") : t("legend_value");
}

function drawLosses() {
  const h = app.header;
  if (!h) return;
  const fmt = (v) => (v === null || v === undefined ? "–" : v >= 0.001 || v === 0 ? v.toFixed(3) : v.toExponential(1));
  $("epoch").textContent = String(h.epoch).padStart(6, "0");
  $("test_loss").textContent = fmt(h.test_loss);
  $("train_loss").textContent = fmt(h.train_loss);
  const acc = (v) => (v === undefined || v === null ? "" : `${t("accuracy")} ${(v * 100).toFixed(1)} %`);
  $("test_acc").textContent = acc(h.test_accuracy);
  $("train_acc").textContent = acc(h.train_accuracy);
  $("play").innerHTML = h.playing ? "&#10074;&#10074;" : "&#9654;";
  $("play").classList.toggle("playing", h.playing);
  const c = $("curve"), ctx = c.getContext("2d"), pts = app.curve;
  ctx.clearRect(0, 0, c.width, c.height);
  if (pts.length < 2) return;
  // linear scale, or logarithmic when the loss has fallen by more than 100 times
  let max = 0, min = Infinity;
  for (const p of pts) {
    for (const v of [p[1], p[2]]) if (v > 0) { max = Math.max(max, v); min = Math.min(min, v); }
  }
  if (!(max > 0)) return;
  const log = max / min > 100;
  const scale = (v) => (log ? (Math.log(Math.max(v, min)) - Math.log(min)) / (Math.log(max) - Math.log(min)) : v / max);
  const x0 = pts[0][0], x1 = Math.max(pts[pts.length - 1][0], x0 + 1);
  for (const [k, colour] of [[1, "#999"], [2, "#111"]]) {
    ctx.strokeStyle = colour;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    pts.forEach((p, i) => {
      const x = (p[0] - x0) / (x1 - x0) * (c.width - 2) + 1;
      const y = c.height - 2 - Math.min(1, scale(p[k] || 0)) * (c.height - 4);
      i ? ctx.lineTo(x, y) : ctx.moveTo(x, y);
    });
    ctx.stroke();
  }
}

// ----------------------------------------------------------------- start
// The words first (the language of the URL, else the last one chosen, else Spanish; Spanish
// when that one has no catalog), then the session.
window.addEventListener("DOMContentLoaded", async () => {
  initialHash = location.hash;
  const fromHash = new URLSearchParams(location.hash.replace(/^#/, "")).get("lang");
  const chosen = fromHash || localStorage.getItem("redes-lang") || DEFAULT_LANG;
  wireControls();
  if (!(await useLanguage(chosen)) && chosen !== DEFAULT_LANG) await useLanguage(DEFAULT_LANG);
  connect();
});
