// The output panel: the decision surface with its points and legend, the losses and their
// curve (axes, hover, loss or accuracy), the scores of the test points (a confusion matrix
// when classifying, R² for regression), the line that explains a diverged loss, and
// "stop at epoch N". Plain functions over app.js's globals (app, $, PALETTE, paintMap...),
// called by app.js once a frame or a state has arrived.
"use strict";

const CURVE_POINTS = 800;          // the curve keeps at most this many epochs (then halves)
const CURVE_MARGIN = { left: 42, right: 8, top: 8, bottom: 18 };
const output = { metric: "loss", hover: null, scoresKey: "" };   // tests read it too
window.playgroundOutput = output;

// ----------------------------------------------------------------- the curve's record
// app.curve: one row per epoch seen, [epoch, train_loss, test_loss, train_acc, test_acc]
// (accuracies null for regression); a new network starts a new curve.
function recordCurve(header) {
  if (app.header && header.network !== app.header.network) app.curve = [];
  const last = app.curve[app.curve.length - 1];
  const row = [header.epoch, header.train_loss, header.test_loss,
    header.train_accuracy ?? null, header.test_accuracy ?? null];
  if (!last || header.epoch !== last[0]) {
    app.curve.push(row);
    if (app.curve.length > CURVE_POINTS) app.curve = app.curve.filter((_, i) => i % 2 === 0);
  } else {
    app.curve[app.curve.length - 1] = row;           // the same epoch, measured again
  }
}

// ----------------------------------------------------------------- the surface
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
  const multi = app.arrays && app.arrays.surface_class && app.data;
  for (let x = 0; x < c.width; x++) {
    ctx.fillStyle = multi ? rgb(PALETTE[Math.floor(x / c.width * app.data.classes)]) : valueColour(x / (c.width - 1) * 2 - 1);
    ctx.fillRect(x, 0, 1, c.height);
  }
  $("legend-text").textContent = multi ? t("legend_class") : t("legend_value");
}

// ----------------------------------------------------------------- losses and scores
const fmtLoss = (v) => (v === null || v === undefined ? "–" : v >= 0.001 || v === 0 ? v.toFixed(3) : v.toExponential(1));
const fmtPercent = (v) => `${(v * 100).toFixed(1)} %`;

function drawLosses() {
  const h = app.header;
  if (!h) return;
  $("epoch").textContent = String(h.epoch).padStart(6, "0");
  $("test_loss").textContent = fmtLoss(h.test_loss);
  $("train_loss").textContent = fmtLoss(h.train_loss);
  const acc = (v) => (v === undefined || v === null ? "" : `${t("accuracy")} ${fmtPercent(v)}`);
  $("test_acc").textContent = acc(h.test_accuracy);
  $("train_acc").textContent = acc(h.train_accuracy);
  $("play").innerHTML = h.playing ? "&#10074;&#10074;" : "&#9654;";
  $("play").classList.toggle("playing", h.playing);
  const diverged = $("diverged");
  diverged.hidden = !h.diverged;
  if (h.diverged) diverged.textContent = t("diverged").replace("{rate}", String(app.state.learning_rate));
  drawScores(h);
  drawCurve();
}

// A confusion matrix of the test points (rows: true class, columns: predicted), each cell
// shaded in its row's class colour by the share of that row it holds; or R² (regression).
function drawScores(h) {
  const box = $("scores");
  const key = JSON.stringify([app.lang, h.confusion, h.r2_test, h.r2_train]);
  if (key === output.scoresKey) return;
  output.scoresKey = key;
  box.replaceChildren();
  if (h.confusion) {
    const k = h.confusion.length, table = document.createElement("table");
    table.className = "confusion";
    table.id = "confusion";
    const caption = document.createElement("div");
    caption.className = "hint";
    caption.textContent = t("confusion");
    box.appendChild(caption);
    const head = table.insertRow();
    head.appendChild(document.createElement("th"));
    for (let j = 0; j < k; j++) head.appendChild(classCell("th", j, "col"));
    h.confusion.forEach((row, i) => {
      const tr = table.insertRow(), total = row.reduce((a, b) => a + b, 0);
      tr.appendChild(classCell("th", i, "row"));
      row.forEach((n, j) => {
        const td = tr.insertCell(), c = PALETTE[i % PALETTE.length];
        td.textContent = String(n);
        td.style.backgroundColor = `rgba(${c[0]},${c[1]},${c[2]},${total ? (0.85 * n / total).toFixed(3) : 0})`;
        if (i === j) td.className = "diagonal";
      });
    });
    box.appendChild(table);
  } else if ("r2_test" in h) {
    const p = document.createElement("div");
    p.id = "r2";
    const v = (x) => (x === null || x === undefined ? "–" : Math.abs(x) < 1000 ? x.toFixed(3) : x.toExponential(1));
    p.textContent = `${t("r2")}: ${t("test")} ${v(h.r2_test)} · ${t("train")} ${v(h.r2_train)}`;
    p.title = t("r2_hint");
    box.appendChild(p);
  }
}

function classCell(tag, k, scope) {
  const el = document.createElement(tag), c = PALETTE[k % PALETTE.length];
  el.scope = scope;
  el.textContent = String(k);
  el.title = `${t("draw_class")} ${k}`;
  el.style.color = rgb(c);
  return el;
}

// ----------------------------------------------------------------- the curve
// A step of 1, 2 or 5 times a power of ten giving 3 to 5 ticks over [lo, hi].
function niceStep(lo, hi, integer) {
  const span = Math.max(hi - lo, integer ? 1 : 1e-12), raw = span / 4;
  const p = 10 ** Math.floor(Math.log10(raw));
  let step = [1, 2, 5, 10].map((m) => m * p).find((s) => span / s <= 5);
  if (integer) step = Math.max(1, Math.round(step));
  return step;
}

function ticks(lo, hi, step) {
  const out = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) out.push(v);
  return out;
}

function curveSeries() {
  // [train index, test index] of app.curve rows, and whether they are accuracies
  const acc = output.metric === "accuracy" && app.state && app.state.problem === "classification";
  return acc ? { cols: [3, 4], acc } : { cols: [1, 2], acc };
}

// The curve's geometry in CSS pixels: the plot box and the scales of both axes.
function curveLayout() {
  const c = $("curve"), pts = app.curve, { cols, acc } = curveSeries();
  const W = c.clientWidth || 300, H = c.clientHeight || 140, m = CURVE_MARGIN;
  const x0 = pts.length ? pts[0][0] : 0, x1 = Math.max(pts.length ? pts[pts.length - 1][0] : 1, x0 + 1);
  let yMax = 1;
  if (!acc) {
    yMax = 0;
    for (const p of pts) for (const k of cols) if (Number.isFinite(p[k])) yMax = Math.max(yMax, p[k]);
    yMax = yMax > 0 ? yMax * 1.05 : 1;
  }
  const yStep = niceStep(0, yMax, false), yTop = acc ? 1 : Math.ceil(yMax / yStep - 1e-9) * yStep;
  const box = { left: m.left, top: m.top, right: W - m.right, bottom: H - m.bottom };
  return {
    W, H, box, cols, acc, x0, x1, yTop, yStep,
    xPx: (e) => box.left + (e - x0) / (x1 - x0) * (box.right - box.left),
    yPx: (v) => box.bottom - Math.min(1, Math.max(0, v / yTop)) * (box.bottom - box.top),
  };
}

function tickLabel(v, step, acc) {
  if (acc) return `${Math.round(v * 100)}%`;
  const digits = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return v.toFixed(Math.min(digits, 6));
}

function drawCurve() {
  const c = $("curve"), dpr = window.devicePixelRatio || 1, L = curveLayout();
  const w = Math.round(L.W * dpr), h = Math.round(L.H * dpr);
  if (c.width !== w || c.height !== h) { c.width = w; c.height = h; }     // sharp on any screen
  const ctx = c.getContext("2d"), { box } = L;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, L.W, L.H);
  ctx.font = "10px system-ui, sans-serif";
  ctx.lineWidth = 1;
  // axes, grid lines and tick values: y (loss or accuracy) and x (epochs)
  ctx.strokeStyle = "#e4e6e8";
  ctx.fillStyle = "#666";
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  const yTicks = ticks(0, L.yTop, L.yStep);
  for (const v of yTicks) {
    const y = Math.round(L.yPx(v)) + 0.5;
    ctx.beginPath(); ctx.moveTo(box.left, y); ctx.lineTo(box.right, y); ctx.stroke();
    ctx.fillText(tickLabel(v, L.yStep, L.acc), box.left - 4, y);
  }
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  const xTicks = ticks(L.x0, L.x1, niceStep(L.x0, L.x1, true));
  for (const e of xTicks) ctx.fillText(String(e), L.xPx(e), box.bottom + 3);
  ctx.strokeStyle = "#888";
  ctx.beginPath();
  ctx.moveTo(box.left + 0.5, box.top); ctx.lineTo(box.left + 0.5, box.bottom + 0.5); ctx.lineTo(box.right, box.bottom + 0.5);
  ctx.stroke();
  output.ticks = { x: xTicks, y: yTicks.map((v) => tickLabel(v, L.yStep, L.acc)) };
  // the lines: training grey, test black (as the legend below says)
  const pts = app.curve;
  for (const [k, colour] of [[L.cols[0], "#999"], [L.cols[1], "#111"]]) {
    ctx.strokeStyle = colour;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    let drawing = false;
    for (const p of pts) {
      if (!Number.isFinite(p[k])) { drawing = false; continue; }
      const x = L.xPx(p[0]), y = L.yPx(p[k]);
      drawing ? ctx.lineTo(x, y) : ctx.moveTo(x, y);
      drawing = true;
    }
    ctx.stroke();
  }
  drawCurveHover(ctx, L);
}

// The epoch under the pointer: a vertical line, a dot on each line, and the values.
function drawCurveHover(ctx, L) {
  const tip = $("curve-tip"), p = output.hover === null ? null : app.curve[output.hover];
  if (!p) { tip.hidden = true; return; }
  const x = L.xPx(p[0]);
  ctx.strokeStyle = "rgba(0,0,0,.35)";
  ctx.lineWidth = 1;
  ctx.beginPath(); ctx.moveTo(x, L.box.top); ctx.lineTo(x, L.box.bottom); ctx.stroke();
  for (const [k, colour] of [[L.cols[0], "#999"], [L.cols[1], "#111"]]) {
    if (!Number.isFinite(p[k])) continue;
    ctx.fillStyle = colour;
    ctx.beginPath(); ctx.arc(x, L.yPx(p[k]), 3, 0, 2 * Math.PI); ctx.fill();
  }
  const v = (k) => (L.acc ? (Number.isFinite(p[k]) ? fmtPercent(p[k]) : "–") : fmtLoss(p[k]));
  tip.textContent = `${t("epoch")} ${p[0]} · ${t("test")} ${v(L.cols[1])} · ${t("train")} ${v(L.cols[0])}`;
  tip.hidden = false;
}

function curvePointer(ev) {
  const pts = app.curve;
  if (!pts.length) return;
  const rect = $("curve").getBoundingClientRect(), L = curveLayout();
  const epoch = L.x0 + (ev.clientX - rect.left - L.box.left) / (L.box.right - L.box.left) * (L.x1 - L.x0);
  let best = 0;
  for (let i = 1; i < pts.length; i++) if (Math.abs(pts[i][0] - epoch) < Math.abs(pts[best][0] - epoch)) best = i;
  output.hover = best;
  drawCurve();
}

// ----------------------------------------------------------------- controls
function syncOutput() {
  const s = app.state;
  if (!s) return;
  if (output.lang !== app.lang) { output.lang = app.lang; fillCurveMetric(); }
  const classify = s.problem === "classification";
  $("curve_metric").hidden = !classify;
  if (!classify) output.metric = "loss";
  $("curve_metric").value = output.metric;
  if (document.activeElement !== $("stop_epoch")) $("stop_epoch").value = s.stop_epoch;
  if (typeof syncDrawing === "function") syncDrawing();
}

function fillCurveMetric() {
  const el = $("curve_metric");
  el.replaceChildren(new Option(t("curve_loss"), "loss"), new Option(t("curve_accuracy"), "accuracy"));
  el.value = output.metric;
  output.scoresKey = "";
}

function showExportExtras(msg) {
  $("download-model").disabled = !msg.model;
  $("model-error").textContent = msg.model_error || "";
}

function base64Bytes(text) {
  const raw = atob(text), bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

function wireOutput() {
  $("curve_metric").onchange = () => { output.metric = $("curve_metric").value; drawCurve(); };
  const curve = $("curve");
  curve.addEventListener("pointermove", curvePointer);
  curve.addEventListener("pointerdown", curvePointer);
  curve.addEventListener("pointerleave", () => { output.hover = null; drawCurve(); });
  $("stop_epoch").onchange = () => {
    const v = Number($("stop_epoch").value);
    if (Number.isInteger(v) && v >= 0 && v <= 100000) set({ stop_epoch: v });
    else $("stop_epoch").value = app.state.stop_epoch;
  };
  $("download-keras").onclick = () => download(t("file_keras"), app.exported.keras, "text/x-python");
  $("download-recipe").onclick = () => download(t("file_recipe"),
    JSON.stringify(app.exported.recipe, null, 2), "application/json");
  $("download-csv").onclick = () => download(t("file_points"), app.exported.csv, "text/csv");
  $("download-model").onclick = () => {
    if (app.exported.model) download(t("file_model"), base64Bytes(app.exported.model), "application/zip");
  };
  window.addEventListener("resize", () => { if (app.header) drawCurve(); });
}

window.addEventListener("DOMContentLoaded", wireOutput);
