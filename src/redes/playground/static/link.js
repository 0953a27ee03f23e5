// The page's link to the server: one websocket, and what happens when it is lost.
//
// The moment the websocket closes (the server stopped, the computer slept, the network
// dropped), a banner says so and stays, every control is disabled (sending would do
// nothing), and the page tries again after 0.5 s, 1 s, 2 s, 4 s, then every 5 s. A server
// that stops answering without closing is noticed too: the page pings it every 2 s of
// silence and gives up on it when 4 s more go by without any answer.
//
// The server keeps nothing of a session once its websocket is gone, so the page keeps what
// it had: its state, the epoch and the weights of its last frame (its points too, if they
// were uploaded). Back online, it sends them in a "restore" message (restore.py), and the
// new session goes on from there: same settings, same network, same epoch. Only the
// optimizer's moments and the order of the next epoch's points start afresh.
"use strict";

const RETRY_DELAYS = [500, 1000, 2000, 4000, 5000];   // ms; then 5 s each time
const PING_AFTER = 2000;      // ms of silence before a ping
const DEAD_AFTER = 6000;      // ms of silence (a ping unanswered 4 s) before giving up on it

const link = {                // the websocket and what the page knows of it (tests read it)
  ws: null, offline: false, attempts: 0, retries: 0, saved: null, restoring: false,
  lastHeard: 0, openedAt: 0, pinged: false, timer: null, watch: null,
};
window.playgroundLink = link;

function send(msg) {
  if (link.ws && link.ws.readyState === WebSocket.OPEN) link.ws.send(JSON.stringify(msg));
}

function connect() {
  clearTimeout(link.timer);
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const ws = new WebSocket(`${scheme}://${location.host}/ws`);
  link.ws = ws;
  link.openedAt = Date.now();
  ws.binaryType = "arraybuffer";
  ws.onopen = () => {
    link.lastHeard = Date.now();
    send({ type: "lang", lang: app.lang });    // the server's errors, in the page's language
    send(FRAME_REQUEST);                       // compact frames (frames.js)
  };
  ws.onmessage = (ev) => {
    if (ws !== link.ws) return;
    link.lastHeard = Date.now();
    if (typeof ev.data === "string") receive(JSON.parse(ev.data));
    else receiveFrame(ev.data);
  };
  ws.onclose = () => { if (ws === link.ws) lost(); };
  clearInterval(link.watch);
  link.watch = setInterval(() => watch(ws), 500);
}

// A connection that says nothing: a ping after PING_AFTER, given up after DEAD_AFTER.
function watch(ws) {
  if (ws !== link.ws) return;
  if (ws.readyState === WebSocket.CONNECTING && Date.now() - link.openedAt > DEAD_AFTER) lost();
  if (ws.readyState !== WebSocket.OPEN) return;
  const quiet = Date.now() - link.lastHeard;
  if (quiet > DEAD_AFTER) lost();
  else if (quiet > PING_AFTER && !link.pinged) { link.pinged = true; send({ type: "ping" }); }
  if (quiet <= PING_AFTER) link.pinged = false;
}

function lost() {
  const ws = link.ws;
  link.ws = null;
  clearInterval(link.watch);
  if (ws) {
    ws.onclose = ws.onmessage = null;
    try { ws.close(); } catch (_) { /* already closed */ }
  }
  if (!link.offline) {
    link.offline = true;
    link.attempts = 0;
    if (!link.restoring) link.saved = snapshot();   // a restore cut short keeps the first
    setOffline(true);
    $("toast").hidden = true;              // a notice of before ("Reconnected") is old news
  }
  link.restoring = false;
  const delay = RETRY_DELAYS[Math.min(link.attempts, RETRY_DELAYS.length - 1)];
  link.attempts++;
  showBanner();
  link.timer = setTimeout(connect, delay);
}

// What the page sends back once the server is there again (null: nothing to restore).
function snapshot() {
  const s = app.state, h = app.header, a = app.arrays;
  if (!s || !h || !a) return null;
  const weights = [];
  for (let i = 0; a["w" + i] && a["b" + i]; i++) {
    weights.push(Array.from(a["w" + i].data), Array.from(a["b" + i].data));
  }
  const msg = { type: "restore", state: JSON.parse(JSON.stringify(s)), epoch: h.epoch,
                weights, playing: !!h.playing };
  if (s.dataset === "custom" && app.data) {      // uploaded or drawn: only the page has them
    msg.points = { train: app.data.train, test: app.data.test, classes: app.data.classes };
  }
  return { msg, curve: Array.isArray(app.curve) ? app.curve.slice() : null };
}

function receive(msg) {
  if (msg.type === "hello" && link.offline) backOnline();
  if (msg.type === "hello" && link.saved) {
    app.options = msg.options;             // the same as before; the state is the page's
    link.restoring = true;
    send(link.saved.msg);
    return;
  }
  if (link.restoring) {
    if (msg.type === "state" && msg.changed === "restore") {
      link.restoring = "frame";            // the restored session's frame comes next
    } else if (msg.type === "error" && msg.request === "restore") {
      link.restoring = false;              // a server that cannot take it back: the settings
      const changes = Object.assign({}, app.state);
      if (changes.dataset === "custom") delete changes.dataset;
      link.saved = null;
      send({ type: "set", changes });
    } else if (link.restoring === true && (msg.type === "state" || msg.type === "data")) {
      return;                              // the fresh session's, about to be replaced
    }
  }
  onMessage(msg);
}

// A frame; the first one of a restored session keeps the loss curve the page had.
async function receiveFrame(buf) {
  const saved = link.restoring === "frame" ? link.saved : null;
  if (saved) link.restoring = "drawing";
  await onFrame(buf);                      // frames.js decodes them in order
  classroomFrame();                        // a challenge's goal, checked again
  if (saved) {
    if (saved.curve) { app.curve = saved.curve; drawAll(); }
    link.restoring = false;
    link.saved = null;
  }
}

function backOnline() {
  link.offline = false;
  link.retries += link.attempts;
  $("link-banner").hidden = true;
  setOffline(false);
  toast(t("reconnected"));
}

function showBanner() {
  $("link-banner").hidden = false;
  $("link-attempt").textContent = t("reconnect_attempt").replace("{n}", String(link.attempts));
}

// Every control disabled while offline (the ones already disabled stay so afterwards);
// the elements marked data-offline-ok (the banner's, the dialogs') keep working.
function setOffline(on) {
  document.body.classList.toggle("offline", on);
  if (on) {
    for (const el of document.querySelectorAll("button, select, input, textarea")) {
      if (el.disabled || el.closest("[data-offline-ok], dialog")) continue;
      el.disabled = true;
      el.dataset.offline = "1";
    }
  } else {
    for (const el of document.querySelectorAll("[data-offline]")) {
      el.disabled = false;
      delete el.dataset.offline;
    }
    if (app.state && app.options) syncControls();
  }
}

function retryNow() {
  if (!link.offline) return;
  clearTimeout(link.timer);
  if (!link.ws) connect();
}

window.addEventListener("DOMContentLoaded", () => { $("link-retry").onclick = retryNow; });
