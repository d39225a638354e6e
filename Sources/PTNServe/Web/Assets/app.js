// ptn-serve data explorer. Vanilla JS, no dependencies. Every string from the server is untrusted: the DOM is built
// with textContent and setAttribute only (never innerHTML), and the API key lives in this tab's sessionStorage and
// travels only in the Authorization header.
"use strict";

(() => {
  const STORE = "ptn-serve.api-key";
  const $ = (selector, root = document) => root.querySelector(selector);

  const { el, lineChart } = window.ptnDom;

  // ---- the key ------------------------------------------------------------------------------------------------
  const keyState = { key: sessionStorage.getItem(STORE), tier: null, listeners: [] };

  async function api(path, options = {}) {
    const headers = { Accept: "application/json" };
    if (keyState.key) headers.Authorization = "Bearer " + keyState.key;
    const response = await fetch(path, { headers, cache: "no-store", signal: options.signal });
    let body = null;
    const text = await response.text();
    try { body = text ? JSON.parse(text) : null; } catch (error) { body = { error: "the answer is not JSON" }; }
    return { status: response.status, body, headers: response.headers };
  }

  async function checkKey() {
    const status = $("#key-status");
    if (!keyState.key) {
      keyState.tier = null;
      status.textContent = "No key yet";
      status.className = "key-status";
      return;
    }
    const answer = await api("/ui/key");
    if (answer.status === 200 && answer.body && Number.isInteger(answer.body.tier)) {
      keyState.tier = answer.body.tier;
      status.textContent = "Key accepted · tier " + keyState.tier;
      status.className = "key-status ok";
    } else {
      keyState.tier = null;
      status.textContent = answer.status === 401 ? "Key not accepted" : "Key check failed (" + answer.status + ")";
      status.className = "key-status bad";
    }
  }

  function setupKeyForm() {
    const form = $("#key-form");
    if (!form) return;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const input = $("#api-key");
      const key = input.value.trim();
      input.value = "";
      if (!key) return;
      keyState.key = key;
      sessionStorage.setItem(STORE, key);
      await checkKey();
      for (const listener of keyState.listeners) listener();
    });
    $("#forget-key").addEventListener("click", async () => {
      keyState.key = null;
      sessionStorage.removeItem(STORE);
      await checkKey();
      for (const listener of keyState.listeners) listener();
    });
  }

  function onKeyChange(listener) { keyState.listeners.push(listener); }
  const locked = (tier) => keyState.tier === null || keyState.tier < tier;

  function lockedView(message) {
    return el("div", { className: "locked-view", role: "note" },
      el("strong", { text: "Locked. " }), message || "Your key's tier may not read this view.");
  }

  function needKeyView() {
    return el("p", { className: "notice", text: "Type your API key in the form at the top to see the data." });
  }

  /** The view for a failed answer: 403 as locked, 401 as a key problem, anything else as its error. */
  function failureView(answer) {
    const message = answer.body && typeof answer.body.error === "string" ? answer.body.error : "HTTP " + answer.status;
    if (answer.status === 403) return lockedView(message);
    if (answer.status === 401) return el("p", { className: "error", text: "Key not accepted: " + message });
    return el("p", { className: "error", text: message });
  }

  // ---- formatting -----------------------------------------------------------------------------------------------
  const number = (value, digits = 4) => typeof value === "number" && isFinite(value) ? value.toFixed(digits) : "–";
  const percent = (value) => typeof value === "number" && isFinite(value) ? (value * 100).toFixed(2) + " %" : "–";
  const time = (ms) => typeof ms === "number" && ms > 0 ? new Date(ms).toISOString().replace("T", " ").slice(0, 19) : "–";
  const get = (object, path) => path.split(".").reduce((value, part) => value && typeof value === "object" ? value[part] : undefined, object);

  function curlLine(path) {
    return "curl -s -H 'Authorization: Bearer $PTN_API_KEY' '" + location.origin + path + "'";
  }

  // ---- a sortable table ---------------------------------------------------------------------------------------
  /** Renders `rows` into `table` with `columns` ({label, value(row), render?(row), numeric?}); headings sort. */
  function sortableTable(table, columns, rows, options = {}) {
    const state = { column: options.sortColumn ?? 0, descending: !!options.descending };
    function draw() {
      const column = columns[state.column];
      const sorted = rows.slice().sort((a, b) => {
        const x = column.value(a), y = column.value(b);
        const order = x === y ? 0 : x === undefined || x === null ? 1 : y === undefined || y === null ? -1 : x < y ? -1 : 1;
        return state.descending ? -order : order;
      });
      const head = el("tr");
      columns.forEach((c, index) => {
        const sort = index === state.column ? (state.descending ? "descending" : "ascending") : "none";
        const button = el("button", { type: "button", text: c.label });
        button.addEventListener("click", () => {
          state.descending = state.column === index ? !state.descending : !!c.numeric && c.descendingFirst !== false;
          state.column = index;
          draw();
          const again = table.querySelectorAll("th button")[index];
          if (again) again.focus();
        });
        head.append(el("th", { scope: "col", "aria-sort": sort, className: c.numeric ? "num" : "" }, button));
      });
      const body = document.createDocumentFragment();
      for (const row of sorted) {
        const tr = el("tr");
        if (options.rowKey) tr.dataset.key = options.rowKey(row);
        if (options.rowClass) tr.className = options.rowClass(row) || "";
        for (const c of columns) {
          const content = c.render ? c.render(row) : c.value(row);
          tr.append(el("td", { className: c.numeric ? "num" : "" }, content instanceof Node ? content : content ?? "–"));
        }
        body.append(tr);
      }
      const caption = table.querySelector("caption");
      table.replaceChildren();
      if (caption) table.append(caption);
      table.append(el("thead", {}, head), el("tbody", {}, body));
    }
    draw();
    return { redraw(newRows) { if (newRows) rows = newRows; draw(); } };
  }

  // ---- folded JSON ------------------------------------------------------------------------------------------------
  /** A JSON value as a tree of <details>: children are built when opened, so a large document stays cheap. */
  function jsonTree(value, label, open) {
    const keyPart = label === undefined ? [] : [el("span", { className: "k", text: JSON.stringify(label) }), ": "];
    if (value === null || typeof value !== "object") {
      const kind = typeof value === "string" ? "s" : typeof value === "number" ? "n" : "b";
      return el("div", { className: "row" }, ...keyPart, el("span", { className: kind, text: JSON.stringify(value) }));
    }
    const isArray = Array.isArray(value);
    const entries = isArray ? value.map((v, i) => [i, v]) : Object.entries(value);
    const summary = el("summary", {}, ...keyPart, isArray ? "[" + entries.length + " items]" : "{" + entries.length + " members}");
    const details = el("details", {}, summary);
    let built = false;
    const build = () => {
      if (built) return;
      built = true;
      const limit = 2000;
      for (const [name, child] of entries.slice(0, limit)) details.append(jsonTree(child, isArray ? undefined : name, false));
      if (entries.length > limit) details.append(el("div", { className: "row hint", text: "… " + (entries.length - limit) + " more (see the raw text)" }));
    };
    details.addEventListener("toggle", () => { if (details.open) build(); });
    if (open) { details.open = true; build(); }
    return details;
  }

  function jsonView(value) {
    const box = el("div", { className: "json", "aria-label": "JSON answer" }, jsonTree(value, undefined, true));
    const raw = el("button", { type: "button", className: "secondary", text: "Show as text" });
    const wrap = el("div", {}, raw, box);
    raw.addEventListener("click", () => {
      const text = JSON.stringify(value, null, 2);
      box.replaceChildren(el("pre", { text: text.length > 4e6 ? text.slice(0, 4e6) + "\n… (cut at 4 MB)" : text }));
      raw.remove();
    });
    return wrap;
  }

  // ---- the change stream (SSE over fetch, so the key goes in a header) ---------------------------------------------
  /** Follows `/events` with the key; calls `onEvent(kind, data)` per event until `controller` aborts. */
  async function follow(query, onEvent, onState, controller) {
    let since = null;
    let delay = 1000;
    while (!controller.signal.aborted && keyState.key) {
      try {
        const headers = { Authorization: "Bearer " + keyState.key, Accept: "text/event-stream" };
        if (since !== null) headers["Last-Event-ID"] = String(since);
        onState("connecting…");
        const response = await fetch("/events" + query, { headers, cache: "no-store", signal: controller.signal });
        if (!response.ok || !response.body) { onState("stream unavailable (" + response.status + ")"); if (response.status === 401 || response.status === 403) return; throw new Error("status"); }
        onState("live");
        delay = 1000;
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let kind = "message", data = "", id = null;
            for (const line of frame.split("\n")) {
              if (line.startsWith("event: ")) kind = line.slice(7);
              else if (line.startsWith("data: ")) data += (data ? "\n" : "") + line.slice(6);
              else if (line.startsWith("id: ")) id = line.slice(4);
            }
            if (id !== null) since = Number(id);
            if (data) { try { onEvent(kind, JSON.parse(data)); } catch (error) { /* a frame that is not JSON: skipped */ } }
          }
        }
      } catch (error) {
        if (controller.signal.aborted) return;
      }
      onState("reconnecting…");
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 15000);
    }
  }

  // ---- pages ----------------------------------------------------------------------------------------------------
  function homePage() {
    const draw = () => {
      for (const item of document.querySelectorAll("#route-list .route")) {
        const isLocked = keyState.key && keyState.tier !== null && locked(Number(item.dataset.tier));
        item.classList.toggle("locked", !!isLocked);
        item.querySelector(".lock").hidden = !isLocked;
      }
    };
    draw();
    onKeyChange(draw);
    drawUsage();
    onKeyChange(drawUsage);
    return draw;
  }

  // The key's own plan and use, from GET /usage (the rows the server bills from): what is left of its quota, its expiry
  // and routes, and its last days.
  async function drawUsage() {
    const box = $("#usage");
    if (!box) return;
    const answer = keyState.tier === null ? null : await api("/usage");
    if (!answer || answer.status !== 200 || !answer.body) { box.hidden = true; return; }
    const usage = answer.body;
    const count = (n) => Number(n).toLocaleString("en-US");
    const size = (n) => n < 1000 ? n + " B" : n < 1e6 ? (n / 1e3).toFixed(1) + " kB" : n < 1e9 ? (n / 1e6).toFixed(1) + " MB" : (n / 1e9).toFixed(2) + " GB";
    const parts = [];
    const quota = usage.quota;
    if (quota) {
      if (quota.requests) parts.push(count(quota.requests.used) + " of " + count(quota.requests.limit) + " requests used, " + count(quota.requests.remaining) + " left");
      if (quota.bytes) parts.push(size(quota.bytes.used) + " of " + size(quota.bytes.limit) + " used, " + size(quota.bytes.remaining) + " left");
      parts.push("this " + quota.period + "; refills " + quota.refills_at);
    } else {
      parts.push("No quota");
    }
    parts.push(usage.expires ? "expires " + usage.expires : "no expiry");
    parts.push(usage.routes ? "routes " + usage.routes.join(", ") : "all routes");
    $("#usage-plan").textContent = parts.join(" · ");
    const days = (usage.days || []).slice().reverse().slice(0, 14);
    const table = $("#usage-days");
    const caption = table.querySelector("caption");
    const head = el("tr", {}, ...["Day", "Requests", "Bytes", "429", "Stream seconds"].map((label, index) =>
      el("th", { scope: "col", className: index ? "num" : "", text: label })));
    const body = el("tbody", {}, ...days.map((day) => el("tr", {},
      el("td", { text: day.day }), el("td", { className: "num", text: count(day.requests) }), el("td", { className: "num", text: size(day.bytes) }),
      el("td", { className: "num", text: count(day.rate_limited) }), el("td", { className: "num", text: count(day.stream_seconds) }))));
    table.replaceChildren(...(caption ? [caption] : []), el("thead", {}, head), body);
    box.hidden = false;
  }

  function routeMeta() {
    return [...document.querySelectorAll("#route-table .route-meta")].map((node) => ({
      path: node.dataset.path, summary: node.dataset.summary, tier: Number(node.dataset.tier),
      parameter: node.dataset.parameter || null, keysRoute: node.dataset.keysRoute || null, keysKind: node.dataset.keysKind || null,
      keysArray: node.dataset.keysArray || null, keysField: node.dataset.keysField || null, keysQuery: node.dataset.keysQuery || null,
      parameters: (node.dataset.parameters || "").split(",").filter(Boolean),
    }));
  }

  function browsePage() {
    const params = new URLSearchParams(location.search);
    const routes = routeMeta();
    const route = routes.find((r) => r.path === params.get("route")) || routes[0];
    const section = $("#browser");
    if (!route) { section.replaceChildren(el("p", { text: "This server has no routes." })); return; }
    $("#browse-title").replaceChildren("Browse ", el("code", { text: route.path }));
    document.title = route.path + " · " + document.title;

    const picker = el("select", { id: "route-pick" });
    for (const r of routes) picker.append(el("option", { value: r.path, selected: r === route, text: r.path + " — " + r.summary }));
    picker.addEventListener("change", () => { location.href = "/ui/browse?route=" + encodeURIComponent(picker.value); });
    const queryInputs = route.parameters.map((name) => {
      const input = el("input", { id: "q-" + name, name, value: params.get(name) || "", autocomplete: "off" });
      return { name, input, label: el("label", { for: "q-" + name, text: name }) };
    });
    const fetchButton = el("button", { type: "submit", text: route.parameter ? "Fetch entry" : "Fetch" });
    const queryForm = el("form", { className: "filters", id: "query-form" },
      ...queryInputs.flatMap((q) => [el("span", {}, q.label, " ", q.input)]), fetchButton);
    const result = el("div", { id: "result", "aria-live": "polite" });
    const curl = el("pre", { className: "curl", id: "curl", "aria-label": "curl line" });
    const meta = el("p", { className: "hint" }, route.summary, " · needs tier ", String(route.tier));
    const keysPanel = el("div", { className: "keys-panel" });
    let entry = params.get("entry");

    section.replaceChildren(
      el("div", { className: "toolbar" }, el("label", { for: "route-pick", text: "Route" }), picker),
      meta,
      route.parameter ? el("div", { className: "browser-grid" }, keysPanel, el("div", {}, queryForm, curl, result)) : el("div", {}, queryForm, curl, result)
    );

    function pathFor() {
      let path = route.path;
      if (route.parameter) path = path.replace("{" + route.parameter + "}", encodeURIComponent(entry || ""));
      const query = new URLSearchParams();
      for (const q of queryInputs) if (q.input.value.trim()) query.set(q.name, q.input.value.trim());
      const text = query.toString();
      return path + (text ? "?" + text : "");
    }

    async function load() {
      if (route.parameter && !entry) { result.replaceChildren(el("p", { className: "hint", text: "Pick an entry from the list." })); curl.textContent = curlLine(route.path); return; }
      const path = pathFor();
      curl.textContent = curlLine(path);
      if (!keyState.key) { result.replaceChildren(needKeyView()); return; }
      if (keyState.tier !== null && locked(route.tier)) { result.replaceChildren(lockedView("This route needs tier " + route.tier + "; your key is tier " + keyState.tier + ".")); return; }
      result.replaceChildren(el("p", { className: "hint", text: "Loading…" }));
      const answer = await api(path);
      if (answer.status !== 200) { result.replaceChildren(failureView(answer)); return; }
      result.replaceChildren(jsonView(answer.body));
    }

    async function loadKeys() {
      if (!route.parameter) return;
      const search = el("input", { id: "key-search", type: "search", placeholder: "filter", autocomplete: "off" });
      const list = el("ul", { id: "entry-list" });
      const count = el("p", { className: "hint", role: "status" });
      keysPanel.replaceChildren(el("label", { for: "key-search", text: "Search " + route.parameter + "s" }), " ", search, count, list);
      if (!keyState.key) { count.textContent = "A key is needed to list entries."; return; }
      if (!route.keysRoute) { count.textContent = "Type an entry name in the address (entry=…)."; return; }
      const keysPath = route.keysRoute + (route.keysQuery ? "?" + route.keysQuery : "");
      const answer = await api(keysPath);
      if (answer.status !== 200) { keysPanel.replaceChildren(failureView(answer)); return; }
      let names = [];
      if (route.keysKind === "list" && Array.isArray(answer.body)) names = answer.body;
      else if (route.keysKind === "members" && answer.body && typeof answer.body === "object") names = Object.keys(answer.body);
      else if (route.keysKind === "array") {
        const items = route.keysArray ? get(answer.body, route.keysArray) : answer.body;
        if (Array.isArray(items)) names = items.map((item) => item && item[route.keysField]).filter((name) => typeof name === "string");
      }
      const draw = () => {
        const term = search.value.trim().toLowerCase();
        const matches = names.filter((name) => String(name).toLowerCase().includes(term));
        count.textContent = matches.length + " of " + names.length;
        const fragment = document.createDocumentFragment();
        for (const name of matches.slice(0, 500)) {
          const button = el("button", { type: "button", className: "secondary", "aria-pressed": String(name === entry), text: String(name) });
          button.addEventListener("click", () => {
            entry = String(name);
            history.replaceState(null, "", "/ui/browse?route=" + encodeURIComponent(route.path) + "&entry=" + encodeURIComponent(entry));
            for (const other of list.querySelectorAll("button")) other.setAttribute("aria-pressed", String(other === button));
            load();
          });
          fragment.append(el("li", {}, button));
        }
        list.replaceChildren(fragment);
      };
      search.addEventListener("input", draw);
      draw();
    }

    queryForm.addEventListener("submit", (event) => { event.preventDefault(); load(); });
    const refresh = () => { loadKeys(); load(); };
    onKeyChange(refresh);
    refresh();
  }

  // The leaderboard and the miner page: PTN's statistics and positions, from the routes the table declares (`explorer:`,
  // on the page's body).

  // A declared miner route's path for `hotkey`: its one `{parameter}` replaced.
  function minerPath(template, hotkey) {
    return template.replace(/\{[^}]+\}/, encodeURIComponent(hotkey));
  }

  function leaderboardPage() {
    const table = $("#leaderboard");
    const status = $("#lb-status");
    const search = $("#lb-search");
    const feed = el("ol", { id: "live-changes", className: "hint", "aria-live": "polite" });
    const liveBox = el("section", { "aria-labelledby": "live-title" },
      el("h2", { id: "live-title" }, "Live changes ", el("span", { id: "live-status", className: "badge live", text: "" })), feed);
    table.closest(".table-wrap").before(liveBox);
    let rows = [];
    let view = null;
    let controller = null;
    const hot = new Set();

    const columns = [
      { label: "Rank", numeric: true, descendingFirst: false, value: (r) => r.rank },
      { label: "Hotkey", value: (r) => r.hotkey, render: (r) => el("a", { href: "/ui/miner?hotkey=" + encodeURIComponent(r.hotkey), className: "hotkey", text: r.hotkey }) },
      { label: "Weight", numeric: true, value: (r) => r.weight, render: (r) => number(r.weight, 6) },
      { label: "Challenge", value: (r) => r.challenge },
      { label: "Return", numeric: true, value: (r) => r.returns, render: (r) => number(r.returns, 4) },
      { label: "Drawdown", numeric: true, value: (r) => r.drawdown, render: (r) => percent(r.drawdown) },
      { label: "Positions", numeric: true, value: (r) => r.positions },
    ];

    function filtered() {
      const term = search.value.trim().toLowerCase();
      return term ? rows.filter((r) => r.hotkey.toLowerCase().includes(term)) : rows;
    }

    async function load() {
      if (!keyState.key) { table.replaceChildren(); status.replaceChildren(needKeyView()); return; }
      const started = performance.now();
      status.textContent = "Loading…";
      // The server keeps this form ready with each version (a `fields=` narrowing would be computed per version).
      const answer = await api(document.body.dataset.leaderboard);
      if (answer.status !== 200) { table.replaceChildren(); status.replaceChildren(failureView(answer)); return; }
      const data = answer.body && Array.isArray(answer.body.data) ? answer.body.data : [];
      rows = data.filter((m) => m && typeof m.hotkey === "string").map((m, index) => ({
        hotkey: m.hotkey,
        rank: typeof get(m, "weight.rank") === "number" ? get(m, "weight.rank") : index + 1,
        weight: get(m, "weight.value"),
        challenge: typeof get(m, "challengeperiod.status") === "string" ? get(m, "challengeperiod.status") : "–",
        returns: get(m, "scores.overall.return.value") ?? get(m, "scores.return.value"),
        drawdown: get(m, "drawdowns.instantaneous_max_drawdown"),
        positions: get(m, "engagement.n_positions"),
      }));
      if (view) view.redraw(filtered());
      else view = sortableTable(table, columns, filtered(), { rowKey: (r) => r.hotkey, rowClass: (r) => hot.has(r.hotkey) ? "hot" : "" });
      table.dataset.rendered = String(rows.length);
      const elapsed = performance.now() - started;
      status.textContent = rows.length + " miners · rendered in " + Math.round(elapsed) + " ms";
      document.body.dataset.leaderboardMs = String(Math.round(elapsed));
    }

    function live() {
      if (controller) controller.abort();
      if (!keyState.key) return;
      controller = new AbortController();
      let reload = null;
      follow("", (kind, event) => {
        if (!event || typeof event.feed !== "string") return;
        if (typeof event.key === "string") {
          hot.add(event.key);
          const row = table.querySelector("tr[data-key=\"" + CSS.escape(event.key) + "\"]");
          if (row) row.classList.add("hot");
          const facet = document.body.dataset.facet;
          const what = [kind.replace("_", " "), facet ? event[facet] : null].filter(Boolean).join(" · ");
          const link = el("a", { href: "/ui/miner?hotkey=" + encodeURIComponent(event.key), className: "hotkey", text: event.key });
          feed.prepend(el("li", { className: "change" }, el("time", { text: time(event.timestamp) }), " ", link, " ", what));
          while (feed.children.length > 8) feed.lastChild.remove();
        }
        // A new version of the leaderboard's file: the figures are reloaded (at most every 5 s).
        const feeds = (document.body.dataset.leaderboardFeeds || "").split(",");
        if (feeds.includes(event.feed) && !reload) reload = setTimeout(() => { reload = null; load(); }, 5000);
      }, (state) => { $("#live-status").textContent = state; }, controller);
    }

    search.addEventListener("input", () => view && view.redraw(filtered()));
    onKeyChange(() => { load(); live(); });
    load();
    live();
  }

  function minerPage() {
    const hotkey = new URLSearchParams(location.search).get("hotkey") || "";
    $("#miner-hotkey").textContent = hotkey;
    document.title = hotkey.slice(0, 12) + "… · " + document.title;
    const form = $("#position-filters");
    const table = $("#positions");
    const status = $("#positions-status");
    let view = null;
    let positions = [];
    let controller = null;
    let updates = 0;
    for (const [name, value] of new URLSearchParams(location.search)) if (form.elements[name]) form.elements[name].value = value;

    const columns = [
      { label: "Opened", value: (p) => p.open_ms, render: (p) => time(p.open_ms) },
      { label: "Pair", value: (p) => Array.isArray(p.trade_pair) ? String(p.trade_pair[0]) : String(p.trade_pair ?? "–") },
      { label: "Type", value: (p) => p.position_type ?? "–" },
      { label: "Status", value: (p) => p.is_closed_position ? "closed" : "open" },
      { label: "Closed", value: (p) => p.close_ms || 0, render: (p) => time(p.close_ms) },
      { label: "Orders", numeric: true, value: (p) => Array.isArray(p.orders) ? p.orders.length : 0 },
      { label: "Leverage", numeric: true, value: (p) => p.net_leverage, render: (p) => number(p.net_leverage, 3) },
      { label: "Return", numeric: true, value: (p) => p.return_at_close, render: (p) => number(p.return_at_close, 5) },
      { label: "Position", value: (p) => p.position_uuid, render: (p) => el("code", { text: String(p.position_uuid ?? "").slice(0, 8) }) },
    ];
    const hot = new Set();

    function query() {
      const params = new URLSearchParams();
      for (const name of ["trade_pair", "status", "limit"]) {
        const value = String(form.elements[name].value || "").trim();
        if (value) params.set(name, value);
      }
      return params;
    }

    async function loadPositions() {
      if (!keyState.key) { status.replaceChildren(needKeyView()); return; }
      const params = query();
      const text = params.toString();
      history.replaceState(null, "", "/ui/miner?hotkey=" + encodeURIComponent(hotkey) + (text ? "&" + text : ""));
      status.textContent = "Loading…";
      const answer = await api(minerPath(document.body.dataset.minerPositions, hotkey) + (text ? "?" + text : ""));
      if (answer.status !== 200) { table.replaceChildren(); status.replaceChildren(failureView(answer)); return; }
      positions = Array.isArray(answer.body && answer.body.positions) ? answer.body.positions : [];
      const aggregates = answer.body || {};
      status.textContent = positions.length + " positions shown" + (text ? " (filtered: " + text + ")" : "") +
        " · 30-day return " + number(aggregates.thirty_day_returns, 4) + " · all-time " + number(aggregates.all_time_returns, 4);
      table.dataset.rows = String(positions.length);
      const options = { sortColumn: 0, descending: true, rowKey: (p) => String(p.position_uuid), rowClass: (p) => hot.has(String(p.position_uuid)) ? "hot" : "" };
      if (view) view.redraw(positions); else view = sortableTable(table, columns, positions, options);
    }

    async function loadEquity() {
      const box = $("#equity");
      if (!keyState.key) { box.replaceChildren(needKeyView()); return; }
      const answer = await api(minerPath(document.body.dataset.minerStatistics, hotkey));
      if (answer.status !== 200) { box.replaceChildren(failureView(answer)); return; }
      const checkpoints = Array.isArray(answer.body && answer.body.checkpoints) ? answer.body.checkpoints : [];
      const points = checkpoints.map((c) => [c.last_update_ms, c.prev_portfolio_ret]).filter((p) => typeof p[0] === "number" && typeof p[1] === "number");
      lineChart(box, [{ points, className: "line" }], {
        label: "Portfolio return by checkpoint, " + points.length + " points",
        formatX: (x) => new Date(x).toISOString().slice(0, 10), formatY: (y) => y.toFixed(3), empty: "no checkpoints",
      });
      box.dataset.points = String(points.length);
    }

    async function loadEliminations() {
      const box = $("#eliminations");
      if (!keyState.key) { box.replaceChildren(); return; }
      const answer = await api("/eliminations");
      if (answer.status !== 200) { box.replaceChildren(failureView(answer)); return; }
      const rows = (answer.body && Array.isArray(answer.body.eliminations) ? answer.body.eliminations : []).filter((r) => r && r.hotkey === hotkey);
      if (rows.length === 0) { box.replaceChildren(el("p", { text: "Not eliminated." })); return; }
      const list = el("ul");
      for (const row of rows) list.append(el("li", {}, el("strong", { text: String(row.reason ?? "unknown reason") }), " · " + time(row.elimination_initiated_time_ms) + " · drawdown " + percent(row.dd)));
      box.replaceChildren(list);
    }

    function live() {
      if (controller) controller.abort();
      if (!keyState.key) return;
      controller = new AbortController();
      follow("?hotkeys=" + encodeURIComponent(hotkey), (kind, event) => {
        if (!event || event.key !== hotkey) return;
        // A removal carries no item, only its key; entry changes are not positions.
        if (kind !== "item_removed" && (!event.item || typeof event.item !== "object")) return;
        const uuid = String(event.item ? event.item.position_uuid ?? event.item_key : event.item_key);
        const index = positions.findIndex((p) => String(p.position_uuid) === uuid);
        if (kind === "item_removed") { if (index >= 0) positions.splice(index, 1); }
        else if (index >= 0) positions[index] = event.item; else positions.push(event.item);
        hot.add(uuid);
        updates += 1;
        $("#live-status").textContent = "live · " + updates + " update" + (updates === 1 ? "" : "s");
        if (view) view.redraw(positions);
      }, (state) => { $("#live-status").textContent = state; }, controller);
    }

    form.addEventListener("submit", (event) => { event.preventDefault(); loadPositions(); });
    const all = () => { loadPositions(); loadEquity(); loadEliminations(); live(); };
    onKeyChange(all);
    all();
  }

  async function apiPage() {
    const box = $("#api-doc");
    const response = await fetch("/openapi.json", { headers: { Accept: "application/json" } });
    const doc = await response.json();
    const info = doc.info || {};
    const parts = [el("h2", { text: String(info.title ?? "API") + " " + String(info.version ?? "") })];
    if (info.description) parts.push(el("p", { text: String(info.description) }));
    const toc = el("ul");
    parts.push(el("nav", { "aria-label": "Operations" }, toc));
    for (const [path, item] of Object.entries(doc.paths || {})) {
      for (const [method, op] of Object.entries(item || {})) {
        // HEAD mirrors GET: listed once, under GET.
        if (method === "head" || !op || typeof op !== "object" || !op.responses) continue;
        const id = "op-" + (method + path).replace(/[^A-Za-z0-9]+/g, "-");
        toc.append(el("li", {}, el("a", { href: "#" + id }, el("code", { text: method.toUpperCase() + " " + path }), " " + String(op.summary ?? ""))));
        const section = el("section", { id, className: "card" }, el("h3", {}, el("code", { text: method.toUpperCase() + " " + path })));
        if (op.summary) section.append(el("p", {}, el("strong", { text: String(op.summary) })));
        if (op.description) section.append(el("p", { text: String(op.description) }));
        const parameters = [...(item.parameters || []), ...(op.parameters || [])];
        if (parameters.length) {
          const rows = el("tbody");
          for (const p of parameters) rows.append(el("tr", {}, el("td", {}, el("code", { text: String(p.name) })), el("td", { text: String(p.in) }),
            el("td", { text: p.required ? "yes" : "no" }), el("td", { text: String(p.description ?? "") })));
          section.append(el("div", { className: "table-wrap" }, el("table", { className: "data" },
            el("thead", {}, el("tr", {}, ...["Parameter", "In", "Required", "Meaning"].map((t) => el("th", { scope: "col", text: t })))), rows)));
        }
        const responses = el("ul");
        for (const [code, answer] of Object.entries(op.responses || {})) responses.append(el("li", {}, el("code", { text: code }), " " + String(answer && answer.description ? answer.description : "")));
        section.append(el("h4", { text: "Responses" }), responses);
        parts.push(section);
      }
    }
    box.replaceChildren(...parts);
  }

  // ---- start ------------------------------------------------------------------------------------------------------
  async function start() {
    setupKeyForm();
    await checkKey();
    const page = document.body.dataset.page;
    if (page === "home") homePage();
    else if (page === "browse") browsePage();
    else if (page === "leaderboard") leaderboardPage();
    else if (page === "miner") minerPage();
    else if (page === "api") apiPage();
    document.body.dataset.ready = "true";
  }
  start();
})();
