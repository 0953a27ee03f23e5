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

const app = {               // everything the page knows (tests read it too)
  lang: DEFAULT_LANG, words: null, options: null, state: null, data: null, header: null, arrays: null,
  frames: 0, curve: [], hover: null, structure: "", exported: null, errors: [],
};
window.playground = app;
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
  classroomHash(p);                     // hide= and challenge= stay (classroom.js)
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
// send, connect and what a lost connection does: link.js
const set = (changes) => send({ type: "set", changes });

function onMessage(msg) {
  if (msg.type === "hello") {
    app.options = msg.options;
    app.state = msg.state;
    fillLanguages();
    fillSelects();
    // a challenge's settings first (classroom.js), then those of the address
    const changes = Object.assign(classroomStart(), hashToChanges(initialHash || "", app.options.default));
    if (Object.keys(changes).length) set(changes);
    onState(msg.state);
    classroomReady();
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
    showExportExtras(msg);
    $("export-dialog").showModal();
  }
}

function onState(state) {
  app.state = state;
  history.replaceState(null, "", stateToHash(state));
  syncControls();
  buildNetwork(false);
}

// frames.js reads the frames, in order (a compact frame is inflated asynchronously)
async function onFrame(buf) {
  const [header, arrays] = await decodeFrame(buf);
  recordCurve(header);       // the loss curve (output.js)
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
  syncOutput();              // output.js
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
  // the export dialog's downloads, the curve's and the drawing's controls: output.js, data.js
  window.addEventListener("resize", () => buildNetwork(false));   // redrawn if its width changed
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
// buildNetwork, makeNode, showNeuron, showWeight and drawNetwork: net.js

// ----------------------------------------------------------------- drawing a frame
function drawAll() {
  if (!app.state) return;
  drawNetwork();
  drawSurface();
  drawLosses();
}

// the surface, its points and legend, the losses, their curve and the scores: output.js

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
