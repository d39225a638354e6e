// ptn-serve pages' shared DOM helpers, loaded before each page's script: elements built with textContent and
// setAttribute only (never innerHTML: every string from the server is untrusted), and the SVG line chart.
"use strict";

window.ptnDom = (() => {
  /** An element with attributes and children (strings become text nodes). */
  function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value === undefined || value === null || value === false) continue;
      if (name === "text") node.textContent = String(value);
      else if (name === "className") node.className = value;
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children) {
      if (child === undefined || child === null) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  const SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attributes = {}) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
    return node;
  }

  /** Draws series ({points: [[x, y]], className}) into `container` as an SVG line chart. Options: `label` (for screen
   *  readers), `formatX`, `formatY`, `xDomain` ([min, max]), `zeroBased`, `headroom` (top of the y axis × this),
   *  `empty` (the text without data). Points whose y is not a number (a minute without requests) are left out. */
  function lineChart(container, series, options = {}) {
    const width = Math.max(320, Math.min(1200, container.clientWidth || 640)), height = 220, left = 56, right = 12, top = 12, bottom = 28;
    const plotted = (p) => typeof p[0] === "number" && isFinite(p[0]) && typeof p[1] === "number" && isFinite(p[1]);
    const all = series.flatMap((s) => s.points).filter(plotted);
    const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": options.label || "chart" });
    if (all.length === 0) {
      const text = svg("text", { x: width / 2, y: height / 2, "text-anchor": "middle" });
      text.textContent = options.empty || "no data yet";
      chart.append(text);
      container.replaceChildren(chart);
      return;
    }
    let [minX, maxX] = options.xDomain || [Math.min(...all.map((p) => p[0])), Math.max(...all.map((p) => p[0]))];
    let [minY, maxY] = [Math.min(...all.map((p) => p[1])), Math.max(...all.map((p) => p[1]))];
    if (options.zeroBased) minY = Math.min(0, minY);
    if (options.headroom) maxY *= options.headroom;
    if (maxX === minX) maxX = minX + 1;
    if (maxY === minY) { maxY += 1; minY -= options.zeroBased ? 0 : 1; }
    const sx = (x) => left + (x - minX) / (maxX - minX) * (width - left - right);
    const sy = (y) => top + (1 - (y - minY) / (maxY - minY)) * (height - top - bottom);
    for (let i = 0; i <= 4; i++) {
      const y = minY + (maxY - minY) * i / 4;
      chart.append(svg("line", { class: "grid", x1: left, x2: width - right, y1: sy(y), y2: sy(y) }));
      const label = svg("text", { x: left - 6, y: sy(y) + 4, "text-anchor": "end" });
      label.textContent = options.formatY ? options.formatY(y) : y.toPrecision(3);
      chart.append(label);
    }
    chart.append(svg("line", { class: "axis", x1: left, x2: width - right, y1: height - bottom, y2: height - bottom }));
    for (const [x, anchor] of [[minX, "start"], [maxX, "end"]]) {
      const label = svg("text", { x: sx(x), y: height - 8, "text-anchor": anchor });
      label.textContent = options.formatX ? options.formatX(x) : String(x);
      chart.append(label);
    }
    for (const s of series) {
      const points = s.points.filter(plotted);
      if (points.length === 0) continue;
      const d = points.map((p, i) => (i ? "L" : "M") + sx(p[0]).toFixed(1) + " " + sy(p[1]).toFixed(1)).join(" ");
      chart.append(svg("path", { class: s.className || "line", d }));
    }
    container.replaceChildren(chart);
  }

  return Object.freeze({ el, svg, lineChart });
})();
