// ptn-serve operator console. Vanilla JS: figures from /console/state every 2 s, key changes sent with the page's
// anti-forgery token. Aliases and file names are untrusted text: the DOM is built with textContent only.
"use strict";

(() => {
  const $ = (selector) => document.querySelector(selector);
  const token = document.querySelector('meta[name="console-token"]').getAttribute("content");

  const { el, lineChart } = window.ptnDom;

  const bytes = (n) => typeof n !== "number" ? "–" : n < 1024 ? n + " B" : n < 1048576 ? (n / 1024).toFixed(1) + " KiB" : (n / 1048576).toFixed(1) + " MiB";
  const age = (seconds) => typeof seconds !== "number" ? "–" : seconds < 90 ? seconds.toFixed(0) + " s" : seconds < 5400 ? (seconds / 60).toFixed(0) + " min" : (seconds / 3600).toFixed(1) + " h";
  const clock = (ms) => typeof ms === "number" && ms > 0 ? new Date(ms).toISOString().replace("T", " ").slice(0, 19) : "never";
  const ms = (value) => typeof value === "number" ? (value >= 10000 ? "> 5000" : String(value)) + " ms" : "–";

  function table(node, headings, rows) {
    const caption = node.querySelector("caption");
    node.replaceChildren();
    if (caption) node.append(caption);
    node.append(el("thead", {}, el("tr", {}, ...headings.map((h) => el("th", { scope: "col", className: h.numeric ? "num" : "", text: h.label })))));
    const body = el("tbody");
    for (const row of rows) body.append(row);
    node.append(body);
  }

  // ---- keys table, sortable -------------------------------------------------------------------------------------
  const keyColumns = [
    { label: "Alias", value: (k) => k.alias },
    { label: "Tier", numeric: true, value: (k) => k.tier ?? -1, render: (k) => k.tier ?? "–" },
    { label: "Rate", value: (k) => k.rate ?? "", render: (k) => k.active ? k.rate ?? "default" : "–" },
    // A period's use in one cell ("40 req · 316.6 KiB · 2 × 429"), sorted by requests: the table fits a laptop screen.
    { label: "Last hour", numeric: true, value: (k) => k.usage?.requests_hour ?? 0, render: (k) => use(k.usage?.requests_hour, k.usage?.bytes_hour, k.usage?.limited_hour) },
    { label: "Last 24 h", numeric: true, value: (k) => k.usage?.requests_day ?? 0, render: (k) => use(k.usage?.requests_day, k.usage?.bytes_day, k.usage?.limited_day) },
    { label: "Last seen", value: (k) => k.usage?.last_seen_ms ?? 0, render: (k) => clock(k.usage?.last_seen_ms) },
    // The plan: the quota's use this period (the meter the server enforces it with), the expiry, the route scope.
    { label: "Quota", value: (k) => quotaLeft(k.quota), render: (k) => quotaText(k.quota) },
    { label: "Expires", value: (k) => k.expires ?? "~", render: (k) => k.expires ?? (k.active ? "never" : "–") },
    { label: "Routes", value: (k) => (k.routes ?? []).join(","), render: (k) => k.routes ? k.routes.join(", ") : (k.active ? "all" : "–") },
  ];

  // "12 / 50 req, 1.2 KiB / 2.0 KiB per day (40 % left)": each limit of a quota with what is used of it, and the
  // share left of the tighter one.
  function quotaText(quota) {
    if (!quota) return "none";
    const parts = [];
    if (quota.requests) parts.push(quota.requests.used + " / " + quota.requests.limit + " req");
    if (quota.bytes) parts.push(bytes(quota.bytes.used) + " / " + bytes(quota.bytes.limit));
    return parts.join(", ") + " per " + quota.period + " (" + Math.round(quotaLeft(quota) * 100) + " % left)";
  }

  // One period's use: requests, bytes sent and the requests refused with 429.
  function use(requests, sent, limited) {
    return (requests ?? 0) + " req · " + bytes(sent ?? 0) + " · " + (limited ?? 0) + " × 429";
  }

  // The share left of the tighter limit (1 without a quota), so sorting puts the keys about to run out together.
  function quotaLeft(quota) {
    if (!quota) return 1;
    return Math.min(...[quota.requests, quota.bytes].filter(Boolean).map((a) => a.remaining / a.limit));
  }
  const keySort = { column: 0, descending: false };
  let lastKeys = [];

  function drawKeys() {
    const node = $("#keys");
    const column = keyColumns[keySort.column];
    const rows = lastKeys.slice().sort((a, b) => {
      const x = column.value(a), y = column.value(b);
      const order = x === y ? 0 : x < y ? -1 : 1;
      return keySort.descending ? -order : order;
    });
    const caption = node.querySelector("caption");
    const head = el("tr");
    keyColumns.forEach((c, index) => {
      const button = el("button", { type: "button", text: c.label });
      button.addEventListener("click", () => {
        keySort.descending = keySort.column === index ? !keySort.descending : !!c.numeric;
        keySort.column = index;
        drawKeys();
        node.querySelectorAll("th button")[index].focus();
      });
      const sort = index === keySort.column ? (keySort.descending ? "descending" : "ascending") : "none";
      head.append(el("th", { scope: "col", "aria-sort": sort, className: c.numeric ? "num" : "" }, button));
    });
    const body = el("tbody");
    for (const k of rows) {
      const tr = el("tr", { className: k.active ? "" : "inactive", "data-alias": k.alias });
      for (const c of keyColumns) {
        const content = c.render ? c.render(k) : c.value(k);
        tr.append(el("td", { className: c.numeric ? "num" : "", text: content }));
      }
      if (!k.active) tr.firstChild.append(el("span", { className: "badge", text: k.alias === "unknown" ? "no key" : "revoked" }));
      body.append(tr);
    }
    node.replaceChildren();
    if (caption) node.append(caption);
    node.append(el("thead", {}, head), body);
  }

  // ---- the figures ------------------------------------------------------------------------------------------------
  function draw(state) {
    const overall = $("#overall");
    overall.textContent = state.status;
    overall.className = "badge " + (state.status === "ready" ? "state-loaded" : state.status === "degraded" ? "state-stale" : "state-failing");

    table($("#files"), [{ label: "File" }, { label: "Path" }, { label: "State" }, { label: "Version age", numeric: true }, { label: "Size", numeric: true },
      { label: "Last reload" }, { label: "Loads", numeric: true }, { label: "Failures", numeric: true }, { label: "Last error" }],
    state.files.map((f) => el("tr", { "data-file": f.name },
      el("td", {}, el("code", { text: f.name }), f.required ? el("span", { className: "badge", text: "required" }) : null),
      el("td", { className: "wrap" }, el("code", { text: f.paths.join(" | ") })),
      el("td", { className: "state-" + f.state, text: f.state }),
      el("td", { className: "num", text: age(f.version_age_seconds) }),
      el("td", { className: "num", text: bytes(f.size_bytes) }),
      el("td", { text: clock(f.last_reload_ms) }),
      el("td", { className: "num", text: f.loads }),
      el("td", { className: "num", text: f.failures }),
      el("td", { className: f.last_error ? "error" : "", text: f.last_error ?? "" }))));

    lastKeys = state.keys;
    drawKeys();
    const select = $("#change-alias");
    const aliases = state.keys.filter((k) => k.active).map((k) => k.alias);
    const current = [...select.options].map((o) => o.value);
    if (aliases.join("\n") !== current.join("\n")) {
      const chosen = select.value;
      select.replaceChildren(...aliases.map((alias) => el("option", { value: alias, text: alias, selected: alias === chosen })));
    }

    const traffic = state.traffic;
    const hour = traffic.hour;
    $("#traffic-totals").textContent = hour.requests + " requests · " + hour.client_errors + " client errors (4xx) · " + hour.server_errors +
      " server errors (5xx) · p50 " + ms(hour.p50_ms) + " · p99 " + ms(hour.p99_ms);
    const minutes = traffic.minutes;
    const hourChart = (label, formatY) => ({
      label, formatY, zeroBased: true, headroom: 1.1, empty: "no requests in the last hour",
      xDomain: [0, Math.max(1, minutes.length - 1)], formatX: (x) => x === 0 ? "−60 min" : "now",
    });
    lineChart($("#chart-rps"), [{ className: "line", points: minutes.map((m, i) => [i, m.rps]) }],
      hourChart("Requests per second, last 60 minutes", (y) => y.toFixed(y < 10 ? 2 : 0)));
    lineChart($("#chart-latency"), [
      { className: "line", points: minutes.map((m, i) => [i, m.p50_ms]) },
      { className: "line2", points: minutes.map((m, i) => [i, m.p99_ms]) },
    ], hourChart("Latency p50 (solid) and p99 (dashed), milliseconds, last 60 minutes", (y) => y < 10 ? y.toFixed(2) : y.toFixed(0)));
    table($("#routes"), [{ label: "Route" }, { label: "Requests", numeric: true }, { label: "Errors", numeric: true }],
      traffic.top_routes.map((r) => el("tr", {}, el("td", {}, el("code", { text: r.route })), el("td", { className: "num", text: r.requests }), el("td", { className: "num", text: r.errors }))));

    const stream = $("#stream");
    if (!state.stream) { stream.replaceChildren(el("dt", { text: "Stream" }), el("dd", { text: "none" })); return; }
    const s = state.stream.status;
    const subscribers = Object.entries(state.stream.subscribers);
    const facts = [
      ["Subscribers", subscribers.length ? subscribers.map(([t, n]) => t + ": " + n).join(", ") : "none"],
      ["Sequence", s.sequence], ["Epoch", s.epoch], ["Journal", s.journal + " · " + s.journal_events + " events · " + bytes(s.journal_bytes)],
      ["Oldest sequence", s.first_sequence],
    ];
    stream.replaceChildren(...facts.flatMap(([name, value]) => [el("dt", { text: name }), el("dd", { text: value })]));
  }

  async function refresh() {
    const status = $("#refresh-status");
    try {
      const response = await fetch("/console/state", { cache: "no-store", headers: { Accept: "application/json" } });
      const state = await response.json();
      if (!response.ok) throw new Error(state.error || "HTTP " + response.status);
      draw(state);
      status.textContent = "updated " + new Date().toLocaleTimeString();
      document.body.dataset.refreshed = String(Number(document.body.dataset.refreshed || 0) + 1);
    } catch (error) {
      status.textContent = "refresh failed: " + error.message;
    }
  }

  // ---- key changes ------------------------------------------------------------------------------------------------
  async function send(method, path, body) {
    const response = await fetch(path, {
      method, cache: "no-store",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-Console-Token": token },
      body: JSON.stringify(body),
    });
    let answer = {};
    try { answer = await response.json(); } catch (error) { answer = { error: "HTTP " + response.status }; }
    if (!response.ok) throw new Error(answer.error || "HTTP " + response.status);
    return answer;
  }

  function report(message, failed) {
    const node = $("#manage-status");
    node.textContent = message;
    node.className = "manage-status" + (failed ? " error" : "");
  }

  $("#add-key").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const box = $("#new-key");
    box.hidden = true;
    try {
      const answer = await send("POST", "/console/keys", {
        alias: form.elements.alias.value, tier: Number(form.elements.tier.value), rate: form.elements.rate.value.trim() || null,
      });
      $("#new-key-alias").textContent = answer.alias;
      $("#new-key-value").textContent = answer.key;
      box.hidden = false;
      form.elements.alias.value = "";
      form.elements.rate.value = "";
      report("Added " + answer.alias + " (tier " + answer.tier + "). Copy the key now: it is not shown again.");
      refresh();
    } catch (error) {
      report("Not added: " + error.message, true);
    }
  });

  $("#change-key").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const body = { alias: form.elements.alias.value };
    if (form.elements.tier.value !== "") body.tier = Number(form.elements.tier.value);
    if ($("#change-default-rate").checked) body.rate = null;
    else if (form.elements.rate.value.trim()) body.rate = form.elements.rate.value.trim();
    try {
      await send("POST", "/console/keys/change", body);
      report("Changed " + body.alias + ".");
      refresh();
    } catch (error) {
      report("Not changed: " + error.message, true);
    }
  });

  $("#revoke-key").addEventListener("click", async () => {
    const alias = $("#change-alias").value;
    if (!alias || !window.confirm("Revoke the key of " + alias + "? Its holder gets 401 from now on.")) return;
    try {
      await send("DELETE", "/console/keys", { alias });
      report("Revoked " + alias + ".");
      refresh();
    } catch (error) {
      report("Not revoked: " + error.message, true);
    }
  });

  refresh();
  setInterval(refresh, 2000);
})();
