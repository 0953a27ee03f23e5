// Points drawn by hand. In draw mode a click (or a tap) on the output surface adds a point
// there, of the chosen class (the buttons in the classes' colours, one more than the classes
// in use for a new class) or, for regression, of the chosen value. The server (drawing.py)
// adds it to the points shown, which become the dataset "custom", and sends the points again;
// "clear all" starts from an empty canvas (training needs a few points of 2 classes).
"use strict";

const drawing = { on: false, label: 0, target: 0.5, classes: -1, lang: null };
window.playgroundDrawing = drawing;

function syncDrawing() {
  const s = app.state;
  if (!s) return;
  const classify = s.problem === "classification";
  $("draw").setAttribute("aria-pressed", String(drawing.on));
  $("draw").classList.toggle("on", drawing.on);
  $("draw-tools").hidden = !drawing.on;
  $("surface").classList.toggle("drawing", drawing.on);
  $("draw-target-wrap").hidden = classify;
  $("draw-target").value = drawing.target;
  $("draw-target-out").textContent = drawing.target.toFixed(1);
  const box = $("draw-classes");
  box.hidden = !classify;
  if (!classify) return;
  const k = Math.min(PALETTE.length, (app.data && app.data.classes ? app.data.classes : 2) + 1);
  if (drawing.label >= k) drawing.label = 0;
  if (k !== drawing.classes || app.lang !== drawing.lang) {
    drawing.classes = k;
    drawing.lang = app.lang;
    box.replaceChildren();
    for (let j = 0; j < k; j++) {
      const b = document.createElement("button"), c = PALETTE[j];
      b.className = "draw-class";
      b.dataset.label = String(j);
      b.textContent = String(j);
      b.title = `${t("draw_class")} ${j}`;
      b.setAttribute("aria-label", b.title);
      b.style.backgroundColor = rgb(c);
      b.onclick = () => { drawing.label = j; syncDrawing(); };
      box.appendChild(b);
    }
  }
  for (const b of box.children) {
    const chosen = Number(b.dataset.label) === drawing.label;
    b.classList.toggle("selected", chosen);
    b.setAttribute("aria-pressed", String(chosen));
  }
}

// The point under the pointer, in the surface's coordinates ([-6, 6], x2 upwards).
function surfacePoint(ev) {
  const r = $("surface").getBoundingClientRect();
  const clamp = (v) => Math.max(-6, Math.min(6, Math.round(v * 1000) / 1000));
  return [clamp((ev.clientX - r.left) / r.width * 12 - 6), clamp(6 - (ev.clientY - r.top) / r.height * 12)];
}

function wireDrawing() {
  $("draw").onclick = () => { drawing.on = !drawing.on; syncDrawing(); };
  $("clear-points").onclick = () => send({ type: "clear_points" });
  $("draw-target").oninput = () => {
    drawing.target = Number($("draw-target").value);
    $("draw-target-out").textContent = drawing.target.toFixed(1);
  };
  $("surface").addEventListener("click", (ev) => {
    if (!drawing.on || !app.state) return;
    const [x1, x2] = surfacePoint(ev);
    const label = app.state.problem === "classification" ? drawing.label : drawing.target;
    send({ type: "point", x1, x2, label });
  });
}

window.addEventListener("DOMContentLoaded", wireDrawing);
