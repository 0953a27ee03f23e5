// The network drawing: one column of nodes per layer (the inputs, each hidden layer, the
// output), one curve per weight, and a marker per bias, as in the TensorFlow Playground.
//
// * Pointing at a neuron (or tapping it, on a touch screen) shows its map large on the
//   output surface; leaving it, tapping it again or tapping elsewhere shows the output again.
// * Pointing at a link shows its weight (a tooltip); a click or a tap opens a small editor
//   that sends {type: "weight", layer, i, j, value}; the bias marker beside each hidden or
//   output neuron does the same with {type: "bias", layer, j, value}. `layer` is the index
//   of the Dense layer, as in the frame's arrays w{layer} (shape [in, out]) and b{layer}.
// * Columns are at least PITCH apart: when they do not fit, the drawing scrolls sideways in
//   its own box, and the page never gets wider than the screen.
//
// Uses app.js's globals (app, $, set, send, t, plural, rgb, paintMap...) only when called.
"use strict";

const NODE = 34;            // px, a neuron's square
const GAP = 10;             // px between two neurons of a column
const PITCH = 96;           // px, the least distance between two columns (their headers)
const SVG = "http://www.w3.org/2000/svg";
const net = {
  columns: [],              // [[{el, canvas, map, x, y, name, layer, j}]]: a column per layer
  links: [],                // [{el, hit, layer, i, j}]
  biases: [],               // [{el, layer, j, node}]
  hoverEl: null,            // the node whose map the surface shows
  pinned: false,            // shown by a tap (stays until another tap)
  pointer: "mouse",         // the kind of the last pointer pressed
  editing: null,            // the link or bias in the editor
  lit: null,                // the link under the pointer (drawn darker)
};

const netCoarse = () => matchMedia("(pointer: coarse)").matches;
const netFill = (text, values) => text.replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));

// ----------------------------------------------------------------- building
function buildNetwork(force) {
  const s = app.state, o = app.options;
  if (!s || !o) return;
  const classes = s.dataset === "custom" ? (app.data ? app.data.classes : 2) : o.classes[s.dataset];
  const outputs = classes > 2 ? classes : 1;
  const box = $("net"), nodes = $("nodes"), svg = $("links");
  const key = JSON.stringify([s.features, s.layers, s.activations, outputs, app.lang,
                              box.clientWidth, netCoarse()]);
  if (!force && key === app.structure) return;
  app.structure = key;
  netUnhover();                                     // the hovered node is about to go
  netCloseEditor();
  netLabelButtons(s, o);
  nodes.innerHTML = "";
  svg.innerHTML = "";
  const ncols = s.layers.length + 2, left = 70, top = netCoarse() ? 76 : 58;
  const width = Math.max(box.clientWidth, left + (ncols - 1) * PITCH + NODE + 30);
  const right = width - NODE - 30;
  const xs = Array.from({ length: ncols }, (_, i) => left + (right - left) * (i / (ncols - 1)));
  const rowY = (k) => top + k * (NODE + GAP);
  net.columns = [];
  net.biases = [];
  $("layer-count").textContent = plural("hidden_layers", s.layers.length);
  if (netCoarse()) $("hover-info").textContent = t("tap_hint");

  // inputs: all features, the chosen ones lit
  let map = 0;
  const inputs = o.features.map((f, i) => {
    const on = s.features.includes(f);
    const n = makeNode(xs[0], rowY(i), on ? map++ : null, "input" + (on ? "" : " off"));
    n.name = FEATURE_LABELS[f];
    n.el.title = FEATURE_LABELS[f];
    n.el.onclick = () => {
      const next = on ? s.features.filter((x) => x !== f) : [...s.features, f];
      if (next.length) set({ features: next });
    };
    const label = document.createElement("span");
    label.className = "feature-label";
    label.textContent = FEATURE_LABELS[f];
    label.style.left = (xs[0] - 64) + "px";
    label.style.top = (rowY(i) + NODE / 2 - 8) + "px";
    nodes.appendChild(label);
    return on ? n : null;
  });
  net.columns.push(inputs.filter(Boolean));
  netHeader(xs[0], t("features"));

  s.layers.forEach((units, li) => {
    const col = [];
    for (let j = 0; j < units; j++) {
      const n = makeNode(xs[li + 1], rowY(j), map++, "hidden");
      n.name = netFill(t("neuron_of_layer"), { n: j + 1, layer: li + 1 });
      n.layer = li;
      n.j = j;
      col.push(n);
    }
    net.columns.push(col);
    netLayerHeader(xs[li + 1], li, units, s, o);
  });
  const outCol = [];
  for (let k = 0; k < outputs; k++) {
    const n = makeNode(xs[ncols - 1], rowY(k), outputs > 1 ? null : "output",
                       outputs > 1 ? "output class" : "output");
    if (outputs > 1) n.el.style.background = rgb(PALETTE[k % PALETTE.length]);
    n.name = outputs > 1 ? `${t("out_node")} ${k}` : t("out_node");
    n.el.title = n.name;
    n.layer = s.layers.length;
    n.j = k;
    outCol.push(n);
  }
  net.columns.push(outCol);
  netHeader(xs[ncols - 1], t("out_node"));
  for (const col of net.columns.slice(1)) for (const n of col) netBiasMarker(n);

  const height = rowY(Math.max(o.features.length, ...s.layers, outputs)) + 4;
  for (const el of [nodes, svg]) {
    el.style.width = width + "px";
    el.style.height = height + "px";
  }
  box.style.height = height + "px";
  svg.setAttribute("width", width);
  svg.setAttribute("height", height);
  netLinks(svg);
  netEdges();
  drawNetwork();
}

// Which sides of the drawing are scrolled out of its box (style.css fades those edges).
function netEdges() {
  const box = $("net");
  box.classList.toggle("more-left", box.scrollLeft > 2);
  box.classList.toggle("more-right", box.scrollLeft + box.clientWidth < box.scrollWidth - 2);
}

// The accessible names of the buttons that add and remove hidden layers.
function netLabelButtons(s, o) {
  for (const [id, key] of [["add-layer", "add_layer"], ["remove-layer", "remove_layer"]]) {
    $(id).setAttribute("aria-label", t(key));
  }
  $("add-layer").disabled = s.layers.length >= o.max_layers;
  $("remove-layer").disabled = s.layers.length === 0;
}

// One curve per weight, and over it a wider invisible one that takes the pointer.
function netLinks(svg) {
  const wires = document.createElementNS(SVG, "g"), hits = document.createElementNS(SVG, "g");
  hits.setAttribute("class", "hits");
  net.links = [];
  for (let c = 0; c + 1 < net.columns.length; c++) {
    const from = net.columns[c], to = net.columns[c + 1];
    from.forEach((a, i) => to.forEach((b, j) => {
      const x1 = a.x + NODE, y1 = a.y + NODE / 2, x2 = b.x, y2 = b.y + NODE / 2, mx = (x1 + x2) / 2;
      const d = `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`;
      const p = document.createElementNS(SVG, "path"), hit = document.createElementNS(SVG, "path");
      p.setAttribute("d", d);
      hit.setAttribute("d", d);
      hit.setAttribute("class", "hit");
      const link = { el: p, hit, layer: c, i, j, from: a, to: b };
      hit.link = link;
      wires.appendChild(p);
      hits.appendChild(hit);
      net.links.push(link);
    }));
  }
  svg.append(wires, hits);
}

function netHeader(x, text) {
  const h = document.createElement("div");
  h.className = "col-head";
  h.style.left = (x + NODE / 2 - 46) + "px";
  h.textContent = text;
  $("nodes").appendChild(h);
  return h;
}

function netLayerHeader(x, li, units, s, o) {
  const h = netHeader(x, "");
  h.classList.add("layer");
  const change = (d) => set({ layers: s.layers.map((u, k) => (k === li ? u + d : u)) });
  const plus = netButton("+", netFill(t("add_neuron"), { n: li + 1 }), () => units < o.max_units && change(1));
  const minus = netButton("−", netFill(t("remove_neuron"), { n: li + 1 }), () => units > 1 && change(-1));
  plus.disabled = units >= o.max_units;
  minus.disabled = units <= 1;
  const count = document.createElement("div");
  count.textContent = plural("neurons", units);
  const act = document.createElement("select");
  act.className = "layer-activation";
  act.setAttribute("aria-label", `${t("activation")} · ${netFill(t("layer_n"), { n: li + 1 })}`);
  for (const a of o.activations) act.add(new Option(a, a));
  act.value = s.activations[li];
  act.onchange = () => set({ activations: s.activations.map((v, k) => (k === li ? act.value : v)) });
  const pm = document.createElement("div");
  pm.append(plus, minus);
  h.append(pm, count, act);
}

function netButton(text, label, onclick) {
  const b = document.createElement("button");
  b.className = "pm small";
  b.textContent = text;
  b.title = label;
  b.setAttribute("aria-label", label);
  b.onclick = onclick;
  return b;
}

function makeNode(x, y, mapIndex, cls) {
  const el = document.createElement("div");
  el.className = "node " + cls;
  el.style.left = x + "px";
  el.style.top = y + "px";
  let canvas = null;
  if (mapIndex !== null) {
    canvas = document.createElement("canvas");
    canvas.width = canvas.height = mapIndex === "output" ? 100 : 50;
    el.appendChild(canvas);
    if (mapIndex !== "output") el.dataset.map = mapIndex;
  }
  $("nodes").appendChild(el);
  const node = { el, canvas, map: mapIndex, x, y };
  el.node = node;
  return node;
}

// A small square at the bottom left of a hidden or output node: its bias (a button).
function netBiasMarker(n) {
  const b = document.createElement("button");
  b.className = "bias";
  const size = netCoarse() ? 18 : 12, round = n.el.classList.contains("class");
  b.style.left = (n.x - size - (round ? -4 : 1)) + "px";
  b.style.top = (n.y + (round ? 28 : NODE) - size) + "px";
  b.dataset.layer = n.layer;
  b.dataset.j = n.j;
  const bias = { el: b, layer: n.layer, j: n.j, node: n };
  b.bias = bias;
  $("nodes").appendChild(b);
  net.biases.push(bias);
}

// ----------------------------------------------------------------- values
const netWeight = (link) => {
  const w = app.arrays && app.arrays["w" + link.layer];
  return w && link.i < w.shape[0] && link.j < w.shape[1] ? w.data[link.i * w.shape[1] + link.j] : null;
};
const netBias = (bias) => {
  const b = app.arrays && app.arrays["b" + bias.layer];
  return b && bias.j < b.shape[0] ? b.data[bias.j] : null;
};
const netShow = (v) => (v === null ? "–" : v.toFixed(3));

function netWeightText(link) {
  return [`${t("hover_weight")}: ${netShow(netWeight(link))}`,
          netFill(t("weight_from_to"), { from: link.from.name, to: link.to.name })];
}

function netBiasText(bias) {
  return [`${t("bias_value")}: ${netShow(netBias(bias))}`, bias.node.name];
}

function showNeuron(node) {
  const b = netBias({ layer: node.layer, j: node.j });
  $("hover-info").textContent = `${node.name} · ${t("bias")}: ${netShow(b)}`;
}

function showWeight(link) {
  $("hover-info").textContent = netWeightText(link).join(" · ");
}

// ----------------------------------------------------------------- tooltip and editor
function netTip() {
  let tip = $("net-tip");
  if (!tip) {
    tip = document.createElement("div");
    tip.id = "net-tip";
    tip.setAttribute("role", "tooltip");
    tip.hidden = true;
    document.body.appendChild(tip);
  }
  return tip;
}

function netPlace(el, x, y) {                     // near (x, y), inside the window
  el.style.left = "0px";
  el.style.top = "0px";
  const r = el.getBoundingClientRect();
  el.style.left = Math.max(4, Math.min(x + 12, innerWidth - r.width - 4)) + "px";
  el.style.top = Math.max(4, Math.min(y + 14, innerHeight - r.height - 4)) + "px";
}

function netShowTip(lines, x, y) {
  const tip = netTip();
  tip.replaceChildren(...lines.map((line, k) => {
    const d = document.createElement("div");
    d.textContent = line;
    if (k === 0) d.className = "value";
    return d;
  }));
  tip.hidden = false;
  netPlace(tip, x, y);
}

function netHideTip() {
  const tip = $("net-tip");
  if (tip) tip.hidden = true;
  if (net.lit) net.lit.el.classList.remove("on");
  net.lit = null;
}

function netEditor() {
  let form = $("net-editor");
  if (form) return form;
  form = document.createElement("form");
  form.id = "net-editor";
  form.hidden = true;
  const title = document.createElement("label"), input = document.createElement("input");
  title.htmlFor = input.id = "net-editor-value";
  input.type = "number";
  input.step = "any";
  input.min = "-100";
  input.max = "100";
  input.required = true;
  const ok = document.createElement("button"), cancel = document.createElement("button");
  ok.type = "submit";
  ok.className = "apply";
  cancel.type = "button";
  cancel.className = "cancel";
  const row = document.createElement("div");
  row.append(input, ok, cancel);
  form.append(title, row);
  form.onsubmit = (ev) => { ev.preventDefault(); netApplyEdit(); };
  cancel.onclick = netCloseEditor;
  input.oninput = () => input.setCustomValidity("");
  form.onkeydown = (ev) => { if (ev.key === "Escape") { ev.preventDefault(); netCloseEditor(); } };
  document.body.appendChild(form);
  return form;
}

// Open the editor of a link ({layer, i, j}) or of a bias ({layer, j}) near (x, y).
function netOpenEditor(target, x, y) {
  const form = netEditor(), input = form.querySelector("input");
  const isLink = "i" in target, value = isLink ? netWeight(target) : netBias(target);
  net.editing = target;
  form.querySelector("label").textContent = isLink
    ? netFill(t("edit_weight"), { from: target.from.name, to: target.to.name })
    : netFill(t("edit_bias"), { node: target.node.name });
  form.querySelector(".apply").textContent = t("edit_apply");
  form.querySelector(".cancel").textContent = t("edit_cancel");
  input.value = value === null ? "" : String(Number(value.toFixed(3)));
  input.setCustomValidity("");
  netHideTip();
  form.hidden = false;
  netPlace(form, x, y);
  input.focus();
  input.select();
}

function netApplyEdit() {
  const form = netEditor(), input = form.querySelector("input"), target = net.editing;
  const value = input.value.trim() === "" ? NaN : Number(input.value);
  if (!Number.isFinite(value) || Math.abs(value) > 100) {
    input.setCustomValidity(t("edit_range"));
    input.reportValidity();
    return;
  }
  if ("i" in target) send({ type: "weight", layer: target.layer, i: target.i, j: target.j, value });
  else send({ type: "bias", layer: target.layer, j: target.j, value });
  netCloseEditor();
}

function netCloseEditor() {
  const form = $("net-editor");
  if (form && !form.hidden) {
    form.hidden = true;
    net.editing = null;
  }
}

// ----------------------------------------------------------------- the pointer
// The surface shows a node's map while the pointer is on it (or after a tap on it); any
// move off it, a rebuilt network or a pointer that leaves the window shows the output again.
function netHover(el) {
  if (net.hoverEl === el) return;
  net.hoverEl = el;
  app.hover = Number(el.dataset.map);
  if (el.node.layer !== undefined) showNeuron(el.node);
  drawSurface();
}

function netUnhover() {
  const was = app.hover !== null;
  net.hoverEl = null;
  net.pinned = false;
  app.hover = null;
  if (was && app.state) drawSurface();
}

function wireNetwork() {
  const box = $("net");
  document.addEventListener("pointerdown", (ev) => {
    net.pointer = ev.pointerType || "mouse";
    const editor = $("net-editor");
    if (editor && !editor.hidden && !editor.contains(ev.target)) netCloseEditor();
    if (net.pinned && !(net.hoverEl && net.hoverEl.contains(ev.target))) netUnhover();
  }, true);
  document.addEventListener("pointermove", (ev) => {
    if (ev.pointerType === "touch") return;
    const node = ev.target.closest && ev.target.closest("#net .node[data-map]");
    if (node) netHover(node);
    else if (net.hoverEl && !net.pinned) netUnhover();
    const hit = ev.target.link;
    if (hit) {
      netHideTip();
      net.lit = hit;
      hit.el.classList.add("on");
      netShowTip(netWeightText(hit), ev.clientX, ev.clientY);
      showWeight(hit);
    } else if (ev.target.bias) {
      netShowTip(netBiasText(ev.target.bias), ev.clientX, ev.clientY);
    } else netHideTip();
  });
  document.documentElement.addEventListener("pointerleave", () => { if (!net.pinned) netUnhover(); netHideTip(); });
  window.addEventListener("blur", () => { if (!net.pinned) netUnhover(); });
  box.addEventListener("click", (ev) => {
    const target = ev.target.link || ev.target.bias;
    if (target) {                               // from a keyboard: beside the button
      const r = ev.detail === 0 ? ev.target.getBoundingClientRect() : null;
      netOpenEditor(target, r ? r.right : ev.clientX, r ? r.top : ev.clientY);
      return;
    }
    const node = ev.target.closest(".node.hidden[data-map]");
    if (node && net.pointer === "touch") {      // a tap shows its map, a second tap hides it
      if (net.hoverEl === node && net.pinned) return netUnhover();
      netUnhover();
      netHover(node);
      net.pinned = true;
    }
  });
  box.addEventListener("scroll", () => { netHideTip(); netEdges(); }, { passive: true });
}

// ----------------------------------------------------------------- drawing a frame
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
    const v = netWeight(link);
    if (v === null) continue;
    link.el.setAttribute("stroke", v >= 0 ? rgb(BLUE) : rgb(ORANGE));
    link.el.setAttribute("stroke-width", Math.min(8, 0.4 + Math.abs(v) * 2.5).toFixed(2));
  }
  for (const bias of net.biases) {
    const v = netBias(bias);
    if (v === null) continue;
    // the colour says the sign and the size of the bias, the filled part its size too
    const colour = valueColour(Math.tanh(v)), part = Math.round(30 + 70 * Math.tanh(Math.abs(v)));
    bias.el.style.backgroundImage = `linear-gradient(${colour}, ${colour})`;
    bias.el.style.backgroundSize = `${part}% ${part}%`;
    bias.el.setAttribute("aria-label", `${bias.node.name} · ${t("bias_value")}: ${netShow(v)}`);
  }
}

window.addEventListener("DOMContentLoaded", wireNetwork);
