// The classroom: links that hide controls, and guided challenges.
//
// * `#hide=optimizer,regularization,...` in the page's address hides those controls (names
//   in HIDE below, or the groups of GROUPS), so a teacher can give a link that shows only
//   what a lesson is about. Hiding is only for the eye: the server checks every message.
// * `#challenge=<name>` opens a challenge (challenges.py, sent in hello's options): its
//   settings, the controls it hides, and a panel with the task, a hint and its goal, checked
//   on every frame ("Solved!" when every condition holds). The "Challenges" button lists
//   them all.
// Both stay in the address when the page rewrites it (stateToHash calls classroomHash).
"use strict";

// name -> the controls it hides (each with its label); features and layers, whose controls
// the network drawing builds again and again, are hidden by a class on <body> (style.css)
const HIDE = {
  learning_rate: ["#learning_rate"], optimizer: ["#optimizer"], activation: ["#activation"],
  regularization: ["#regularization"], reg_rate: ["#reg_rate"], dropout: ["#dropout"],
  problem: ["#problem"], preset: ["#preset"], speed: ["#speed"], train_ratio: ["#train_ratio"],
  noise: ["#noise"], points: ["#points"], batch_size: ["#batch_size"],
  seed: ["#seed", "#regenerate"], upload: ["#upload", "[data-i18n=upload_hint]"],
  datasets: ["#datasets", "[data-i18n=which_dataset]"], export: ["#export"],
  show_test: ["#show_test"], discretize: ["#discretize"], stop_epoch: ["#stop_epoch"],
  draw: ["#draw"], reset: ["#reset"], lang: ["#lang"], challenges: ["#challenges-open"],
  features: [], layers: [],
};
const GROUPS = {
  data: ["problem", "datasets", "preset", "train_ratio", "noise", "points", "seed", "upload", "draw"],
  network: ["features", "layers", "activation"],
  training: ["learning_rate", "optimizer", "regularization", "reg_rate", "dropout", "batch_size"],
};

const classroom = { hide: [], challenge: null, solvedAt: null, since: null, unknown: [] };
window.playgroundClassroom = classroom;

// The names of a `hide` list, groups expanded; the unknown ones go to classroom.unknown.
function hideNames(text) {
  const out = [];
  for (const raw of (text || "").split(",")) {
    const name = raw.trim();
    if (!name) continue;
    if (GROUPS[name]) out.push(...GROUPS[name]);
    else if (HIDE[name]) out.push(name);
    else classroom.unknown.push(name);
  }
  return [...new Set(out)];
}

// What stateToHash adds to the address: the teacher's hide list and the challenge.
function classroomHash(params) {
  if (classroom.hide.length) params.set("hide", classroom.hide.join(","));
  if (classroom.challenge) params.set("challenge", classroom.challenge);
}

// The settings a challenge of the address starts from ({} without one): the page's first
// "set" (app.js), which the address's own settings then override.
function classroomStart() {
  const c = currentChallenge();
  return c ? Object.assign({}, c.state) : {};
}

function currentChallenge() {
  const all = app.options && app.options.challenges;
  return all && classroom.challenge ? all[classroom.challenge] || null : null;
}

function applyHides() {
  const c = currentChallenge();
  const names = new Set([...classroom.hide, ...(c ? c.hide : [])]);
  for (const el of document.querySelectorAll(".classroom-hidden")) el.classList.remove("classroom-hidden");
  for (const name of Object.keys(HIDE)) {
    document.body.classList.toggle("hide-" + name, names.has(name));
    if (!names.has(name)) continue;
    for (const selector of HIDE[name]) {
      for (const el of document.querySelectorAll(selector)) {
        (el.closest("label") || el).classList.add("classroom-hidden");
      }
    }
  }
}

// Each condition of a challenge's goal and whether it holds (challenges.checks in Python:
// the same rules, the tests compare them).
function challengeChecks(c, state, scores) {
  const goal = c.goal, start = c.state;
  const out = { data: ["problem", "dataset", "noise"].every((k) => state[k] === start[k]) };
  if (goal.features) {
    out.features = state.features.slice().sort().join() === goal.features.slice().sort().join();
  }
  if ("min_layers" in goal || "max_layers" in goal) {
    const n = state.layers.length;
    out.layers = (goal.min_layers || 0) <= n && n <= ("max_layers" in goal ? goal.max_layers : n);
  }
  if ("max_neurons" in goal) out.neurons = state.layers.reduce((a, b) => a + b, 0) <= goal.max_neurons;
  const value = scores ? scores[goal.metric] : undefined;
  if (value === null || value === undefined) out.score = false;
  else out.score = "below" in goal ? value < goal.below : value >= goal.at_least;
  return out;
}

// The text of one condition, with what it asks and where the page is now.
function checkText(key, c, state, scores) {
  const goal = c.goal, fill = (k, values) => Object.entries(values).reduce(
    (text, [name, v]) => text.replaceAll(`{${name}}`, String(v)), t(k));
  const layers = state.layers.length;
  if (key === "data") return fill("goal_data", { dataset: t(c.state.dataset) });
  if (key === "features") return fill("goal_features", { features: goal.features.join(", ") });
  if (key === "layers") {
    if (goal.min_layers === goal.max_layers) return fill("goal_layers_exact", { n: goal.max_layers, count: layers });
    return fill("goal_layers_max", { n: goal.max_layers, count: layers });
  }
  if (key === "neurons") {
    return fill("goal_neurons", { n: goal.max_neurons, count: state.layers.reduce((a, b) => a + b, 0) });
  }
  const v = scores ? scores[goal.metric] : null, known = v !== null && v !== undefined;
  if (goal.metric === "test_accuracy") {
    return fill("goal_accuracy", { value: Math.round(goal.at_least * 100), now: known ? (v * 100).toFixed(1) + " %" : "–" });
  }
  return fill("goal_loss", { value: goal.below, now: known ? v.toFixed(3) : "–" });
}

function renderChallenge() {
  const c = currentChallenge(), panel = $("challenge-panel");
  panel.hidden = !c;
  if (!c || !app.state) return;
  const name = classroom.challenge, h = app.header;
  $("challenge-title").textContent = t(`challenge_${name}_title`);
  $("challenge-task").textContent = t(`challenge_${name}_task`);
  $("challenge-hint").textContent = t(`challenge_${name}_hint`);
  const checks = challengeChecks(c, app.state, h), list = $("challenge-checks");
  list.innerHTML = "";
  for (const [key, ok] of Object.entries(checks)) {
    const li = document.createElement("li");
    li.className = ok ? "ok" : "";
    li.dataset.check = key;
    li.textContent = (ok ? "✓ " : "○ ") + checkText(key, c, app.state, h);
    list.appendChild(li);
  }
  const fresh = h && h.network !== classroom.since;    // a frame of the challenge's network
  if (classroom.solvedAt === null && fresh && Object.values(checks).every(Boolean)) classroom.solvedAt = h.epoch;
  const status = $("challenge-status");
  status.textContent = classroom.solvedAt === null ? ""
    : t("challenge_solved").replaceAll("{n}", String(classroom.solvedAt));
  panel.classList.toggle("solved", classroom.solvedAt !== null);
}

// A frame arrived (link.js): the goal is checked again.
function classroomFrame() {
  if (classroom.challenge) renderChallenge();
}

// Open challenge `name` from the menu: its settings, new weights, its hidden controls.
function openChallenge(name) {
  const c = app.options.challenges[name];
  if (!c) return;
  classroom.challenge = name;
  classroom.solvedAt = null;
  classroom.since = app.header ? app.header.network : null;   // its frames come after
  $("challenges-dialog").close();
  applyHides();
  send({ type: "set", changes: c.state });
  send({ type: "reset" });
  history.replaceState(null, "", stateToHash(app.state));
  renderChallenge();
}

function closeChallenge() {
  classroom.challenge = null;
  classroom.solvedAt = null;
  applyHides();
  renderChallenge();
  if (app.state) history.replaceState(null, "", stateToHash(app.state));
}

function fillChallengeMenu() {
  const list = $("challenges-list");
  list.innerHTML = "";
  for (const name of Object.keys((app.options && app.options.challenges) || {})) {
    const b = document.createElement("button");
    b.className = "challenge-item";
    b.dataset.name = name;
    const title = document.createElement("b"), task = document.createElement("span");
    title.textContent = t(`challenge_${name}_title`);
    task.textContent = t(`challenge_${name}_task`);
    b.append(title, task);
    b.onclick = () => openChallenge(name);
    list.appendChild(b);
  }
}

// Once the options have come (hello): the hidden controls, the panel and the menu.
function classroomReady() {
  applyHides();
  if (classroom.challenge && !currentChallenge()) {
    classroom.unknown.push("challenge=" + classroom.challenge);
    classroom.challenge = null;
  }
  if (classroom.unknown.length) {
    const message = t("classroom_unknown").replaceAll("{names}", classroom.unknown.join(", "));
    app.errors.push(message);
    toast(message);
    classroom.unknown = [];
  }
  renderChallenge();
}

window.addEventListener("DOMContentLoaded", () => {
  const p = new URLSearchParams(location.hash.replace(/^#/, ""));
  classroom.hide = hideNames(p.get("hide"));
  classroom.challenge = p.get("challenge") || null;
  $("challenges-open").onclick = () => { fillChallengeMenu(); $("challenges-dialog").showModal(); };
  $("challenge-close").onclick = closeChallenge;
  // the words of another language: the panel again
  new MutationObserver(renderChallenge).observe(document.documentElement, { attributes: true, attributeFilter: ["lang"] });
});
