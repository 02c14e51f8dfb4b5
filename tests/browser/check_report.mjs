// tests/browser/check_report.mjs -- open a report in headless Chromium as a
// person would, through the Chrome DevTools Protocol, and fail on what a
// person would see go wrong.
//
//   node check_report.mjs CHROMIUM PAGE.html SCREENSHOT.png [WIDTH HEIGHT [SCALE]]
//
// Starts CHROMIUM headless with a fresh profile and the flags the machine
// notes recommend, loads PAGE.html (file://), and fails (exit 1, one line
// per problem) on: any console error or assertion, any uncaught exception,
// any error logged by the browser (a broken resource...), any request to a
// URL other than file: or data: (the report must need no network), any
// <svg> without a <title> or whose drawn marks (rect, path, polygon,
// circle, line, polyline) have no area on the page, and a page without a
// chart.  Then saves a PNG of the first WIDTH x HEIGHT CSS pixels (default
// 900 x 1200) scaled by SCALE (default 1; 0.6 keeps a tall page small).  Only Node's built-ins are used: the WebSocket client below
// is the small part of RFC 6455 the protocol needs (Node 18 has no global
// WebSocket).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { randomBytes } from "node:crypto";

const [chromium, page, shot, w = "900", h = "1200", sc = "1"] = process.argv.slice(2);
if (!chromium || !page || !shot) {
  console.error("usage: check_report.mjs CHROMIUM PAGE.html SCREENSHOT.png [WIDTH HEIGHT [SCALE]]");
  process.exit(64);
}
const width = Number(w), height = Number(h), scale = Number(sc) > 0 ? Number(sc) : 1;
const problems = [];
const profile = mkdtempSync(join(tmpdir(), "spiral-chromium-"));
const browser = spawn(chromium, [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--disable-extensions", "--hide-scrollbars", "--mute-audio",
  `--user-data-dir=${profile}`, "--remote-debugging-port=0", "about:blank",
], { stdio: ["ignore", "ignore", "pipe"] });

let finished = false;
function finish(code) {
  if (finished) return;
  finished = true;
  try { browser.kill("SIGKILL"); } catch { /* already gone */ }
  setTimeout(() => {
    try { rmSync(profile, { recursive: true, force: true }); } catch { /* best effort */ }
    process.exit(code);
  }, 200);
}
const timer = setTimeout(() => {
  console.error("check_report: timed out after 60 s");
  finish(1);
}, 60000);
browser.on("error", (e) => { console.error(`check_report: cannot start ${chromium}: ${e.message}`); finish(77); });
browser.on("exit", (code) => { if (!finished) { console.error(`check_report: chromium exited (${code})`); finish(1); } });

// The browser prints "DevTools listening on ws://127.0.0.1:PORT/devtools/browser/ID".
const wsUrl = await new Promise((ok) => {
  let err = "";
  browser.stderr.on("data", (d) => {
    err += d;
    const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
    if (m) ok(m[1]);
  });
});

// ---- a minimal WebSocket client (text frames, client-to-server masked) ----
function connect(url) {
  const u = new URL(url);
  return new Promise((ok, fail) => {
    const req = request({
      host: u.hostname, port: u.port, path: u.pathname,
      headers: {
        Connection: "Upgrade", Upgrade: "websocket", "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": randomBytes(16).toString("base64"),
      },
    });
    req.on("upgrade", (res, socket) => ok(socket));
    req.on("error", fail);
    req.end();
  });
}
function send(socket, text) {
  const data = Buffer.from(text);
  const mask = randomBytes(4);
  let head;
  if (data.length < 126) {
    head = Buffer.from([0x81, 0x80 | data.length]);
  } else if (data.length < 65536) {
    head = Buffer.alloc(4);
    head[0] = 0x81; head[1] = 0x80 | 126; head.writeUInt16BE(data.length, 2);
  } else {
    head = Buffer.alloc(10);
    head[0] = 0x81; head[1] = 0x80 | 127; head.writeBigUInt64BE(BigInt(data.length), 2);
  }
  for (let i = 0; i < data.length; i++) data[i] ^= mask[i & 3];
  socket.write(Buffer.concat([head, mask, data]));
}
// Calls onMessage(text) for every complete message (fragments joined).
function reader(socket, onMessage) {
  let buf = Buffer.alloc(0), parts = [];
  socket.on("data", (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    for (;;) {
      if (buf.length < 2) return;
      const fin = buf[0] & 0x80, op = buf[0] & 0x0f;
      let len = buf[1] & 0x7f, off = 2;
      if (len === 126) { if (buf.length < 4) return; len = buf.readUInt16BE(2); off = 4; }
      else if (len === 127) { if (buf.length < 10) return; len = Number(buf.readBigUInt64BE(2)); off = 10; }
      if (buf[1] & 0x80) off += 4;   // servers do not mask, but be lenient
      if (buf.length < off + len) return;
      const payload = buf.subarray(off, off + len);
      buf = buf.subarray(off + len);
      if (op === 0x8) return;                      // close
      if (op === 0x9 || op === 0xa) continue;      // ping, pong
      parts.push(payload);
      if (fin) { onMessage(Buffer.concat(parts).toString("utf8")); parts = []; }
    }
  });
}

// ---- the DevTools protocol ----
const socket = await connect(wsUrl);
let nextId = 1;
const pending = new Map(), waiters = [];
reader(socket, (text) => {
  const msg = JSON.parse(text);
  if (msg.id && pending.has(msg.id)) {
    const { ok, fail } = pending.get(msg.id);
    pending.delete(msg.id);
    if (msg.error) fail(new Error(`${msg.error.message} (${msg.error.code})`)); else ok(msg.result);
    return;
  }
  if (!msg.method) return;
  const p = msg.params || {};
  if (msg.method === "Runtime.consoleAPICalled" && (p.type === "error" || p.type === "assert")) {
    problems.push(`console ${p.type}: ${(p.args || []).map((a) => a.value ?? a.description).join(" ")}`);
  } else if (msg.method === "Runtime.exceptionThrown") {
    problems.push(`uncaught exception: ${p.exceptionDetails?.exception?.description ?? p.exceptionDetails?.text}`);
  } else if (msg.method === "Log.entryAdded" && p.entry?.level === "error") {
    problems.push(`browser error: ${p.entry.text}${p.entry.url ? " (" + p.entry.url + ")" : ""}`);
  } else if (msg.method === "Network.requestWillBeSent") {
    const url = p.request?.url || "";
    if (!/^(file|data|about):/.test(url)) problems.push(`network request: ${url}`);
  }
  for (const wt of waiters.slice()) {
    if (wt.method === msg.method) { waiters.splice(waiters.indexOf(wt), 1); wt.ok(p); }
  }
});
function call(method, params = {}, sessionId) {
  const id = nextId++;
  send(socket, JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
  return new Promise((ok, fail) => pending.set(id, { ok, fail }));
}
function once(method) {
  return new Promise((ok) => waiters.push({ method, ok }));
}

try {
  const { targetId } = await call("Target.createTarget", { url: "about:blank" });
  const { sessionId } = await call("Target.attachToTarget", { targetId, flatten: true });
  const s = (m, p) => call(m, p, sessionId);
  await s("Runtime.enable");
  await s("Log.enable");
  await s("Network.enable");
  await s("Page.enable");
  await s("Emulation.setDeviceMetricsOverride", { width, height, deviceScaleFactor: 1, mobile: false });
  const loaded = once("Page.loadEventFired");
  const nav = await s("Page.navigate", { url: "file://" + resolve(page) });
  if (nav.errorText) problems.push(`cannot load ${page}: ${nav.errorText}`);
  await loaded;
  // What a reader sees of each chart.
  const { result } = await s("Runtime.evaluate", {
    returnByValue: true,
    expression: `(() => {
      const out = [];
      for (const svg of document.querySelectorAll("svg")) {
        const marks = svg.querySelectorAll("rect, path, polygon, circle, line, polyline");
        let drawn = 0;
        for (const m of marks) {
          const r = m.getBoundingClientRect();
          if (r.width > 0 || r.height > 0) drawn++;
        }
        const box = svg.getBoundingClientRect();
        out.push({ id: svg.getAttribute("aria-labelledby") || "(no aria-labelledby)",
                   title: (svg.querySelector("title")?.textContent || "").trim(),
                   desc: (svg.querySelector("desc")?.textContent || "").trim(),
                   role: svg.getAttribute("role"), drawn,
                   w: box.width, h: box.height });
      }
      return { charts: out, tables: document.querySelectorAll("table").length,
               title: document.title };
    })()`,
  });
  const v = result.value;
  if (!v || v.charts.length === 0) problems.push("the page has no chart");
  for (const c of v?.charts || []) {
    if (!c.title) problems.push(`chart ${c.id}: no <title>`);
    if (!c.desc) problems.push(`chart ${c.id}: no <desc>`);
    if (c.role !== "img") problems.push(`chart ${c.id}: role is not img`);
    if (c.drawn === 0 || !(c.w > 0 && c.h > 0)) problems.push(`chart ${c.id} (${c.title}): empty`);
  }
  const png = await s("Page.captureScreenshot", {
    format: "png", clip: { x: 0, y: 0, width, height, scale },
  });
  writeFileSync(shot, Buffer.from(png.data, "base64"));
  // Late console messages and errors have had the load and the script's
  // run to arrive; give the event loop one more turn.
  await new Promise((ok) => setTimeout(ok, 300));
  for (const p of problems) console.log(`FAIL ${p}`);
  console.log(`${v?.charts.length ?? 0} charts, ${v?.tables ?? 0} tables in "${v?.title ?? ""}";` +
              ` screenshot ${shot}; ${problems.length} problem(s)`);
  clearTimeout(timer);
  finish(problems.length ? 1 : 0);
} catch (e) {
  console.error(`check_report: ${e.message}`);
  clearTimeout(timer);
  finish(1);
}
