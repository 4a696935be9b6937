/* govgraph explorer: search, draw, inspect and expand the knowledge graph.
 *
 * Talks only to the JSON API of the same origin; draws with the vendored
 * vis-network standalone build. Colours, shapes and edge names come from
 * /api/palette (viz/palette.py), the same palette the pyvis export uses.
 * Every text from the graph is put in the page with textContent, never as HTML.
 */
(function () {
  "use strict";

  const LAYOUT_ITERATIONS = 250;   // stabilisation steps; physics is switched off after them
  const EXPAND_ITERATIONS = 120;
  const EDGE_LABELS_UNDER = 160;   // draw every edge caption only when the view is this small
  const MAX_SENTENCES = 60;
  const RESPONSIBILITY = new Set(["LEADS", "ASSISTS", "OVERSEES"]);
  const PERIOD_SHARE = { Q1: 0.25, H1: 0.5, Q3: 0.75, FY: 1 };

  const $ = (id) => document.getElementById(id);
  const el = (tag, attrs, ...children) => {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else if (key === "style") node.setAttribute("style", value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child !== undefined && child !== null) node.append(child);
    }
    return node;
  };

  // ---- API ---------------------------------------------------------------
  async function api(path) {
    const response = await fetch(path, { headers: { Accept: "application/json" } });
    let body = null;
    try { body = await response.json(); } catch (_) { body = null; }
    if (!response.ok) {
      const message = body && body.error ? body.error.message : response.statusText;
      throw new Error(message || `HTTP ${response.status}`);
    }
    return body;
  }
  const query = (params) => {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (value === undefined || value === null || value === "") continue;
      if (Array.isArray(value)) value.forEach((v) => search.append(key, v));
      else search.append(key, value);
    }
    const text = search.toString();
    return text ? `?${text}` : "";
  };
  const nodePath = (id) => `/api/nodes/${encodeURIComponent(id)}`;

  // ---- state -------------------------------------------------------------
  const state = {
    palette: { labels: {}, edges: {}, statuses: {} },
    catalogue: [],
    selected: null,          // {id, label, properties, caption}
    statuses: {},            // node id -> met | on_track | lagging | no_figure
    statusSource: "",
    hiddenLabels: new Set(),
    hiddenTypes: new Set(),
    activeView: "",
    limit: 500,
  };
  const nodes = new vis.DataSet();
  const edges = new vis.DataSet();
  let network = null;
  let fitAfterLayout = true;
  let unfixAfterLayout = false;

  // ---- messages ----------------------------------------------------------
  let messageTimer = null;
  function say(text, isError) {
    const box = $("message");
    box.textContent = text;
    box.classList.toggle("error", Boolean(isError));
    box.hidden = false;
    clearTimeout(messageTimer);
    messageTimer = setTimeout(() => { box.hidden = true; }, isError ? 6000 : 3000);
  }
  const fail = (error) => say(error.message || String(error), true);

  // ---- styling -----------------------------------------------------------
  const labelStyle = (label) =>
    state.palette.labels[label] || { color: "#6b7280", shape: "dot", size: 12, zh: label };
  const edgeStyle = (type) => state.palette.edges[type] || { color: "#9ca3af", zh: type };
  const isInferred = (props) => props && props.source === "inferred";
  const edgeCaption = (type, props) => {
    const zh = edgeStyle(type).zh || type;
    return isInferred(props) ? `${zh} (inferred)` : zh;
  };
  const shorten = (text, n) => (text.length > n ? `${text.slice(0, n)}…` : text);

  function estimateStatus(props) {
    // Used only when no target_progress query gave statuses (said so in the legend).
    if (props.actual_value === undefined || props.actual_value === null) return "no_figure";
    const ratio = typeof props.ratio === "number" ? props.ratio : props.actual_value / props.value;
    if (!Number.isFinite(ratio)) return "no_figure";
    if (ratio >= 1) return "met";
    const part = String(props.actual_period || "").split("-").pop();
    return ratio >= (PERIOD_SHARE[part] || 1) ? "on_track" : "lagging";
  }

  function visNode(node) {
    const style = labelStyle(node.label);
    const status = state.statuses[node.id];
    const fill = status ? state.palette.statuses[status].color : style.color;
    const body = node.properties.text || node.properties.name || node.properties.title || "";
    return {
      id: node.id,
      label: node.caption || node.id,
      title: `${style.zh || node.label} · ${node.label}\n${shorten(String(body), 160)}`,
      shape: style.shape,
      size: style.size,
      color: { background: fill, border: status ? style.color : fill,
               highlight: { background: fill, border: "#0f172a" },
               hover: { background: fill, border: "#0f172a" } },
      borderWidth: status ? 3 : 1.5,
      hidden: state.hiddenLabels.has(node.label),
      gg: { label: node.label, properties: node.properties, caption: node.caption, status },
    };
  }

  function edgeId(edge) {
    return [edge.type, edge.source, edge.target, edge.properties.key || ""].join("\u001f");
  }

  function visEdge(edge, showLabel) {
    const style = edgeStyle(edge.type);
    const responsibility = RESPONSIBILITY.has(edge.type);
    return {
      id: edgeId(edge),
      from: edge.source,
      to: edge.target,
      label: showLabel || responsibility ? edgeCaption(edge.type, edge.properties) : undefined,
      title: edge.properties.sentence
        ? `${edgeCaption(edge.type, edge.properties)}\n${shorten(edge.properties.sentence, 160)}`
        : edgeCaption(edge.type, edge.properties),
      dashes: isInferred(edge.properties) ? [6, 5] : false,
      width: responsibility ? 2 : 1,
      color: { color: style.color, highlight: style.color, hover: style.color, opacity: 0.85 },
      hidden: state.hiddenTypes.has(edge.type),
      gg: { type: edge.type, properties: edge.properties },
    };
  }

  // ---- the network -------------------------------------------------------
  function createNetwork() {
    const options = {
      autoResize: true,
      layout: { improvedLayout: false },
      physics: {
        enabled: true,
        solver: "forceAtlas2Based",
        forceAtlas2Based: { gravitationalConstant: -75, centralGravity: 0.012, springLength: 120,
                            springConstant: 0.07, damping: 0.5, avoidOverlap: 0.4 },
        stabilization: { enabled: true, iterations: LAYOUT_ITERATIONS, updateInterval: 50, fit: true },
        maxVelocity: 60,
        minVelocity: 1.5,
      },
      interaction: { hover: true, tooltipDelay: 250, hideEdgesOnDrag: true, multiselect: false },
      nodes: {
        font: { size: 12, color: "#0f172a", strokeWidth: 4, strokeColor: "#ffffff",
                face: "PingFang SC, Noto Sans CJK SC, Microsoft YaHei, sans-serif" },
        borderWidth: 1.5,
        shadow: { enabled: true, color: "rgba(15,23,42,0.15)", size: 6, x: 0, y: 2 },
      },
      edges: {
        smooth: { enabled: true, type: "continuous", roundness: 0.3 },
        arrows: { to: { enabled: true, scaleFactor: 0.45 } },
        font: { size: 10, color: "#4b5563", strokeWidth: 3, strokeColor: "#ffffff", align: "middle" },
        selectionWidth: 2,
      },
    };
    network = new vis.Network($("network"), { nodes, edges }, options);
    network.on("stabilizationIterationsDone", () => {
      network.setOptions({ physics: { enabled: false } });
      if (unfixAfterLayout) {
        nodes.update(nodes.getIds().map((id) => ({ id, fixed: false })));
        unfixAfterLayout = false;
      }
      if (fitAfterLayout) network.fit({ animation: { duration: 300 } });
    });
    network.on("click", (params) => {
      if (params.nodes.length) select(params.nodes[0]);
    });
    network.on("doubleClick", (params) => {
      if (params.nodes.length) expand(params.nodes[0]).catch(fail);
    });
    window.govgraph.network = network;
  }

  function relayout(iterations, fit) {
    fitAfterLayout = fit;
    network.setOptions({ physics: { enabled: true } });
    network.stabilize(iterations);
  }

  // ---- drawing views -----------------------------------------------------
  function addGraph(view, around) {
    const before = nodes.length;
    const showLabels = nodes.length + view.nodes.length <= EDGE_LABELS_UNDER;
    Object.assign(state.statuses, view.statuses || {});
    const fresh = view.nodes.filter((n) => !nodes.get(n.id));
    if (around) {
      const centre = network.getPositions([around])[around] || { x: 0, y: 0 };
      nodes.update(nodes.getIds().map((id) => ({ id, fixed: { x: true, y: true } })));
      unfixAfterLayout = true;
      fresh.forEach((n, i) => {
        const angle = (2 * Math.PI * i) / Math.max(fresh.length, 1);
        const radius = 140 + 6 * Math.sqrt(fresh.length);
        nodes.add({ ...visNode(n), x: centre.x + radius * Math.cos(angle),
                    y: centre.y + radius * Math.sin(angle) });
      });
    } else {
      nodes.add(fresh.map(visNode));
    }
    view.nodes.filter((n) => state.statuses[n.id]).forEach((n) => nodes.update(visNode(n)));
    edges.update(view.edges.map((e) => visEdge(e, showLabels)));
    if (view.truncated) say(`已达到节点上限 ${view.limit}：只显示了一部分。可按类型筛选后再展开。`);
    return nodes.length - before;
  }

  function showView(view, title, viewName) {
    nodes.clear();
    edges.clear();
    state.statuses = {};
    state.statusSource = "";
    addGraph(view, null);
    setActiveView(viewName || "");
    $("view-title").textContent = title || "";
    $("empty").hidden = nodes.length > 0;
    if (!nodes.length) say("这个视图没有节点。");
    relayout(layoutIterations(), true);
    refreshPanels();
  }

  // Big views get fewer stabilisation steps so the page answers within a second or two.
  const layoutIterations = () => (nodes.length > 300 ? 90 : nodes.length > 150 ? 160 : LAYOUT_ITERATIONS);

  function setActiveView(name) {
    state.activeView = name;
    document.querySelectorAll(".view-btn").forEach((button) => {
      button.classList.toggle("active", button.id === `view-${name}`);
    });
  }

  async function neighbourhood(id, depth, edgeTypes) {
    return api(`${nodePath(id)}/neighbourhood${query({ depth, edge_types: edgeTypes })}`);
  }

  async function openNode(id, viewName) {
    const detail = await api(nodePath(id));
    if (!viewName && detail.label === "Department") viewName = "department";
    if (!viewName && detail.label === "Document") viewName = "document";
    if (viewName === "department") return departmentView(detail);
    if (viewName === "document") return documentView(detail);
    const depth = Number($("depth-select").value);
    showView(await neighbourhood(id, depth), `${detail.caption} 的 ${depth} 度邻域`, "");
    focusNode(id, detail);
    return detail;
  }

  async function expand(id) {
    const depth = Number($("depth-select").value);
    const view = await neighbourhood(id, depth);
    const added = addGraph(view, id);
    $("empty").hidden = nodes.length > 0;
    say(added ? `展开：新增 ${added} 个节点` : "没有新的邻居");
    if (added) relayout(Math.min(EXPAND_ITERATIONS, layoutIterations()), false);
    refreshPanels();
    return added;
  }

  function focusNode(id, detail) {
    if (!nodes.get(id)) return;
    network.selectNodes([id]);
    renderDetails(detail);
    history.replaceState(null, "", `#node=${encodeURIComponent(id)}`);
  }

  async function select(id) {
    const detail = await api(nodePath(id)).catch((e) => { fail(e); return null; });
    if (detail) focusNode(id, detail);
  }

  // ---- ready-made views --------------------------------------------------
  async function overview() {
    const plans = await api(`/api/nodes${query({ label: "Plan", limit: 1 })}`);
    if (!plans.items.length) { say("图中还没有计划：请先导入文件。", true); return; }
    const plan = plans.items[0];
    const view = await neighbourhood(plan.id, 2, ["OF_PLAN", "IN_CHAPTER"]);
    showView(view, `任务总览：${plan.caption}`, "overview");
  }

  async function departmentView(dept) {
    const view = await neighbourhood(dept.id, 1, ["LEADS", "ASSISTS", "OVERSEES", "MENTIONS"]);
    showView(view, `部门任务：${dept.properties.name || dept.caption}`, "department");
    focusNode(dept.id, dept);
    return dept;
  }

  async function documentView(doc) {
    const view = await neighbourhood(doc.id, 2,
      ["SERVES", "LEADS", "ASSISTS", "OVERSEES", "IN_CHAPTER"]);
    showView(view, `文件落实：《${doc.properties.name || doc.caption}》`, "document");
    focusNode(doc.id, doc);
    return doc;
  }

  const catalogueHas = (name) => state.catalogue.some((q) => q.name === name);

  async function sharedView() {
    if (!catalogueHas("shared_responsibility")) {
      say("共同责任视图需要 shared_responsibility 查询（queries.registry）。", true);
      return;
    }
    const view = await api(`/api/queries/shared_responsibility/graph${queryParams("shared_responsibility")}`);
    showView(view, "共同责任：多个部门共同承担的任务", "shared");
  }

  async function targetsView() {
    let view;
    if (catalogueHas("target_progress")) {
      view = await api(`/api/queries/target_progress/graph${queryParams("target_progress")}`);
      showView(view, "目标进度（状态来自 target_progress 查询）", "targets");
      state.statusSource = "target_progress";
    } else {
      const targets = await api(`/api/nodes${query({ label: "Target", limit: 200 })}`);
      if (!targets.items.length) { say("图中还没有目标（Target）节点。", true); return; }
      view = await api(`/api/subgraph${query({ ids: targets.items.map((t) => t.id), follow: "HAS_TARGET" })}`);
      view.statuses = {};
      view.nodes.filter((n) => n.label === "Target")
        .forEach((n) => { view.statuses[n.id] = estimateStatus(n.properties); });
      showView(view, "目标进度（状态按实际值与目标之比估算）", "targets");
      state.statusSource = "estimate";
      Object.assign(state.statuses, view.statuses);
      nodes.update(view.nodes.filter((n) => view.statuses[n.id]).map(visNode));
    }
    refreshPanels();
  }

  // ---- queries from the catalogue ----------------------------------------
  function queryParams(name) {
    const form = $("query-form");
    if ($("query-select").value !== name) return "";
    const params = {};
    form.querySelectorAll("[data-param]").forEach((input) => {
      const key = input.dataset.param;
      if (input.type === "checkbox") params[key] = input.checked ? "true" : "false";
      else if (input.dataset.array) params[key] = input.value.split(/[,，、]/).map((s) => s.trim()).filter(Boolean);
      else params[key] = input.value.trim();
    });
    return query(params);
  }

  function prefill(name, schema) {
    // A parameter named for the selected node's label (department, task, ...) gets its id.
    const sel = state.selected;
    if (sel && name.toLowerCase() === sel.label.toLowerCase()) return sel.id;
    return schema.default === undefined || schema.default === null ? "" : schema.default;
  }

  function renderQueryForm() {
    const form = $("query-form");
    form.textContent = "";
    const info = state.catalogue.find((q) => q.name === $("query-select").value);
    $("query-run").disabled = !info;
    if (!info) {
      form.append(el("p", { class: "query-summary",
        text: "查询目录（queries.registry）尚未提供；搜索与视图仍可使用。" }));
      return;
    }
    form.append(el("p", { class: "query-summary", text: info.summary }));
    const props = info.parameters.properties || {};
    const required = new Set(info.parameters.required || []);
    for (const [key, raw] of Object.entries(props)) {
      const schema = raw.anyOf ? raw.anyOf.find((s) => s.type !== "null") || raw : raw;
      const title = `${raw.title || key}${required.has(key) ? " *" : ""}`;
      let input;
      if (schema.enum) {
        const blank = required.has(key) ? [] : [el("option", { value: "", text: "（不限）" })];
        input = el("select", { "data-param": key },
          blank, schema.enum.map((v) => el("option", { value: v, text: v })));
        if (raw.default !== undefined) input.value = raw.default;
      } else if (schema.type === "boolean") {
        input = el("input", { type: "checkbox", "data-param": key, checked: raw.default === true });
      } else {
        const number = schema.type === "integer" || schema.type === "number";
        input = el("input", {
          type: number ? "number" : "text", "data-param": key,
          "data-array": schema.type === "array" ? "1" : undefined,
          value: prefill(key, raw), placeholder: raw.description || "",
        });
      }
      form.append(el("label", {}, el("span", { text: title }), input));
    }
  }

  async function runQuery() {
    const name = $("query-select").value;
    const view = await api(`/api/queries/${encodeURIComponent(name)}/graph${queryParams(name)}`);
    showView(view, `查询：${name}`, "");
    if (Object.keys(view.statuses || {}).length) state.statusSource = name;
    refreshPanels();
  }

  // ---- legend and filters ------------------------------------------------
  function counts(items, key) {
    const out = {};
    items.forEach((item) => { out[item.gg[key]] = (out[item.gg[key]] || 0) + 1; });
    return out;
  }

  function refreshPanels() {
    const labelCounts = counts(nodes.get(), "label");
    const typeCounts = counts(edges.get(), "type");
    const legend = $("legend");
    legend.textContent = "";
    for (const [label, style] of Object.entries(state.palette.labels)) {
      const n = labelCounts[label] || 0;
      legend.append(el("label", { class: n ? "" : "absent", "data-label": label },
        el("input", { type: "checkbox", "data-testid": `filter-label-${label}`,
                      checked: !state.hiddenLabels.has(label),
                      onchange: (e) => toggle(state.hiddenLabels, label, !e.target.checked) }),
        el("span", { class: "swatch", style: `background:${style.color}` }),
        el("span", { class: "name", text: style.zh || label }),
        el("span", { class: "en", text: label }),
        el("span", { class: "count", text: n || "" })));
    }
    const edgeBox = $("edge-filters");
    edgeBox.textContent = "";
    for (const [type, style] of Object.entries(state.palette.edges)) {
      const n = typeCounts[type] || 0;
      if (!n && !state.hiddenTypes.has(type)) continue;
      edgeBox.append(el("label", { title: style.doc || type },
        el("input", { type: "checkbox", "data-testid": `filter-edge-${type}`,
                      checked: !state.hiddenTypes.has(type),
                      onchange: (e) => toggle(state.hiddenTypes, type, !e.target.checked) }),
        el("span", { class: "edge-swatch", style: `border-color:${style.color}` }),
        el("span", { class: "name", text: style.zh || type }),
        el("span", { class: "en", text: type }),
        el("span", { class: "count", text: n })));
    }
    if (!edgeBox.childElementCount) edgeBox.append(el("span", { class: "muted", text: "（当前视图没有关系）" }));
    const statusBox = $("status-legend");
    statusBox.textContent = "";
    const hasStatus = Object.keys(state.statuses).length > 0;
    statusBox.hidden = !hasStatus;
    if (hasStatus) {
      statusBox.append(el("b", { text: state.statusSource === "estimate"
        ? "目标状态（浏览器估算）" : "目标状态" }));
      for (const [status, style] of Object.entries(state.palette.statuses)) {
        statusBox.append(el("span", {}, el("i", { class: "swatch legend-dot",
          style: `display:inline-block;width:10px;height:10px;border-radius:50%;background:${style.color}` }),
        `${style.zh} ${status}`));
      }
    }
    const shown = visibleNodeCount();
    $("status").textContent = `${shown} / ${nodes.length} 个节点 · ${edges.length} 条关系`;
    $("expand-button").disabled = !state.selected || !nodes.get(state.selected.id);
  }

  function toggle(set, key, hide) {
    if (hide) set.add(key); else set.delete(key);
    nodes.update(nodes.get().map((n) => ({ id: n.id, hidden: state.hiddenLabels.has(n.gg.label) })));
    edges.update(edges.get().map((e) => ({ id: e.id, hidden: state.hiddenTypes.has(e.gg.type) })));
    refreshPanels();
  }

  function visibleNodeCount() {
    return nodes.get({ filter: (n) => !n.hidden }).length;
  }

  // ---- details panel -----------------------------------------------------
  function highlighted(text, surfaces) {
    // Split text around the first occurrence of each surface; marks never overlap.
    const spans = [];
    for (const surface of surfaces) {
      if (!surface) continue;
      const at = text.indexOf(surface);
      if (at >= 0 && !spans.some(([s, e]) => at < e && at + surface.length > s)) {
        spans.push([at, at + surface.length]);
      }
    }
    spans.sort((a, b) => a[0] - b[0]);
    const parts = [];
    let pos = 0;
    for (const [start, end] of spans) {
      parts.push(text.slice(pos, start), el("mark", { text: text.slice(start, end) }));
      pos = end;
    }
    parts.push(text.slice(pos));
    return parts;
  }

  function badge(label) {
    const style = labelStyle(label);
    return el("span", { class: "badge", style: `background:${style.color}`, text: style.zh || label });
  }

  function valueText(value) {
    if (Array.isArray(value)) return value.join("、");
    if (value && typeof value === "object") return JSON.stringify(value);
    return String(value);
  }

  function renderDetails(detail) {
    state.selected = detail;
    const box = $("details");
    box.textContent = "";
    const props = detail.properties;
    const status = state.statuses[detail.id];
    box.append(el("div", { class: "kind" }, badge(detail.label),
      el("span", { class: "muted", text: detail.label }),
      status ? el("span", { class: "badge", "data-testid": "target-status",
        style: `background:${state.palette.statuses[status].color}`,
        text: state.palette.statuses[status].zh }) : null));
    const heading = props.name || (detail.label === "Task" ? `任务 ${props.number}` : detail.caption);
    box.append(el("h2", { id: "details-title", "data-testid": "details-title", text: heading }));
    box.append(el("div", { class: "node-id", text: detail.id }));

    const actions = el("div", { class: "actions" },
      el("button", { type: "button", "data-testid": "details-expand", text: "展开邻居",
                     onclick: () => expand(detail.id).catch(fail) }),
      el("button", { type: "button", "data-testid": "details-open", text: "以此为中心",
                     onclick: () => openNode(detail.id, "neighbourhood").catch(fail) }));
    if (detail.label === "Department") {
      actions.append(el("button", { type: "button", text: "部门任务",
        onclick: () => departmentView(detail).catch(fail) }));
    }
    if (detail.label === "Document") {
      actions.append(el("button", { type: "button", text: "文件落实",
        onclick: () => documentView(detail).catch(fail) }));
    }
    box.append(actions);

    const main = props.text || props.actual_text;
    if (main) {
      const surfaces = detail.mentions.filter((m) => m.properties.part === "task")
        .map((m) => m.properties.surface);
      box.append(el("div", { class: "maintext", "data-testid": "node-text" },
        highlighted(String(main), detail.label === "Task" ? surfaces : [])));
    }

    const withSentence = detail.mentions.filter((m) => m.properties.sentence);
    if (withSentence.length) {
      box.append(el("h3", { text: `出处原文 · ${withSentence.length} 处` }));
      const list = el("ul", { class: "mentions", "data-testid": "source-sentences" });
      for (const m of withSentence.slice(0, MAX_SENTENCES)) {
        const p = m.properties;
        const tags = [el("span", { class: "tag", text: edgeCaption(m.type, {}) })];
        if (RESPONSIBILITY.has(m.type)) {
          tags.push(isInferred(p)
            ? el("span", { class: "tag inferred", text: `推断 inferred${p.score !== undefined ? ` ${Number(p.score).toFixed(2)}` : ""}` })
            : el("span", { class: "tag assigned", text: "文件指定 assigned" }));
        }
        list.append(el("li", { class: "mention", "data-testid": "mention" },
          el("div", { class: "mention-head" }, ...tags, badge(m.other_label),
            el("button", { class: "other", type: "button", text: m.other_caption,
                           onclick: () => openNode(m.other, "neighbourhood").catch(fail) })),
          el("p", { class: "sentence", "data-testid": "source-sentence" },
            highlighted(String(p.sentence), [p.surface])),
          el("div", { class: "where", text: [p.part && `出自${{ task: "任务原文", progress: "进展情况", assignment: "责任分工" }[p.part] || p.part}`,
            p.report, p.offset !== undefined && `第 ${p.offset} 字`].filter(Boolean).join(" · ") })));
      }
      box.append(list);
      if (withSentence.length > MAX_SENTENCES) {
        box.append(el("p", { class: "more", text: `还有 ${withSentence.length - MAX_SENTENCES} 处未列出` }));
      }
    }

    const plain = detail.mentions.filter((m) => !m.properties.sentence);
    if (plain.length) {
      box.append(el("h3", { text: `关系 · ${plain.length}` }));
      const list = el("ul", { class: "mentions" });
      for (const m of plain.slice(0, 40)) {
        list.append(el("li", { class: "mention" }, el("div", { class: "mention-head" },
          el("span", { class: "tag", text: `${m.direction === "out" ? "→" : "←"} ${edgeCaption(m.type, m.properties)}` }),
          badge(m.other_label),
          el("button", { class: "other", type: "button", text: m.other_caption,
                         onclick: () => openNode(m.other, "neighbourhood").catch(fail) }))));
      }
      box.append(list);
    }

    box.append(el("h3", { text: "属性" }));
    const table = el("table", { class: "props", "data-testid": "properties" });
    for (const [key, value] of Object.entries(props)) {
      if (key === "id" || key === "text") continue;
      const row = table.insertRow();
      row.insertCell().textContent = key;
      row.insertCell().textContent = valueText(value);
    }
    box.append(table);

    const chosen = state.catalogue.find((q) => q.name === $("query-select").value);
    if (chosen && detail.label.toLowerCase() in (chosen.parameters.properties || {})) renderQueryForm();
    $("view-department").disabled = detail.label !== "Department";
    $("view-document").disabled = detail.label !== "Document";
    $("view-hint").hidden = detail.label === "Department" || detail.label === "Document";
    refreshPanels();
  }

  // ---- search ------------------------------------------------------------
  let searchSeq = 0;
  let searchTimer = null;
  function setupSearch() {
    const input = $("search-input");
    const list = $("search-results");
    const close = () => { list.hidden = true; input.setAttribute("aria-expanded", "false"); };
    const choose = (li) => {
      close();
      input.value = li.dataset.name;
      openNode(li.dataset.id).catch(fail);
    };
    input.addEventListener("input", () => {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(async () => {
        const q = input.value.trim();
        const seq = ++searchSeq;
        if (!q) { close(); return; }
        try {
          const page = await api(`/api/search${query({ q, limit: 12 })}`);
          if (seq !== searchSeq) return;
          list.textContent = "";
          page.items.forEach((hit, i) => {
            const li = el("li", { role: "option", "data-testid": "search-result", "data-id": hit.id,
                                  "data-name": hit.name, "data-label": hit.label,
                                  "aria-selected": i === 0 ? "true" : "false" },
              badge(hit.label), el("span", { class: "hit-name", text: hit.name }),
              hit.snippet ? el("span", { class: "hit-snippet", text: hit.snippet }) : null);
            li.addEventListener("mousedown", (e) => { e.preventDefault(); choose(li); });
            list.append(li);
          });
          if (!page.items.length) list.append(el("li", { class: "none", text: "没有匹配的结果" }));
          else if (page.total > page.items.length) {
            list.append(el("li", { class: "none", text: `共 ${page.total} 条，仅显示前 ${page.items.length} 条` }));
          }
          list.hidden = false;
          input.setAttribute("aria-expanded", "true");
        } catch (e) { fail(e); }
      }, 180);
    });
    input.addEventListener("keydown", (e) => {
      const items = [...list.querySelectorAll("li[data-id]")];
      const current = items.findIndex((li) => li.getAttribute("aria-selected") === "true");
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        if (!items.length) return;
        const next = (current + (e.key === "ArrowDown" ? 1 : -1) + items.length) % items.length;
        items.forEach((li, i) => li.setAttribute("aria-selected", i === next ? "true" : "false"));
        items[next].scrollIntoView({ block: "nearest" });
      } else if (e.key === "Enter" && !list.hidden && items.length) {
        e.preventDefault();
        choose(items[Math.max(current, 0)]);
      } else if (e.key === "Escape") close();
    });
    input.addEventListener("blur", () => setTimeout(close, 150));
  }

  // ---- export ------------------------------------------------------------
  function currentExport() {
    const visible = new Set(nodes.get({ filter: (n) => !n.hidden }).map((n) => n.id));
    return {
      nodes: nodes.get().filter((n) => visible.has(n.id))
        .map((n) => ({ id: n.id, label: n.gg.label, properties: n.gg.properties })),
      edges: edges.get().filter((e) => !e.hidden && visible.has(e.from) && visible.has(e.to))
        .map((e) => ({ type: e.gg.type, source: e.from, target: e.to, properties: e.gg.properties })),
    };
  }

  function pngDataUrl() {
    const source = $("network").querySelector("canvas");
    const canvas = document.createElement("canvas");
    canvas.width = source.width;
    canvas.height = source.height;
    const ctx = canvas.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(source, 0, 0);
    return canvas.toDataURL("image/png");
  }

  function download(name, href) {
    const a = el("a", { href, download: name });
    document.body.append(a);
    a.click();
    a.remove();
  }

  // ---- start -------------------------------------------------------------
  function bind() {
    $("view-overview").addEventListener("click", () => overview().catch(fail));
    $("view-department").addEventListener("click", () => {
      if (state.selected && state.selected.label === "Department") departmentView(state.selected).catch(fail);
    });
    $("view-document").addEventListener("click", () => {
      if (state.selected && state.selected.label === "Document") documentView(state.selected).catch(fail);
    });
    $("view-shared").addEventListener("click", () => sharedView().catch(fail));
    $("view-targets").addEventListener("click", () => targetsView().catch(fail));
    $("expand-button").addEventListener("click", () => {
      if (state.selected) expand(state.selected.id).catch(fail);
    });
    $("fit-button").addEventListener("click", () => network.fit({ animation: { duration: 300 } }));
    $("physics-button").addEventListener("click", () => relayout(layoutIterations(), true));
    $("clear-button").addEventListener("click", () => {
      nodes.clear(); edges.clear(); state.statuses = {};
      $("empty").hidden = false; $("view-title").textContent = ""; setActiveView(""); refreshPanels();
    });
    $("export-png").addEventListener("click", () => download("govgraph-view.png", pngDataUrl()));
    $("export-json").addEventListener("click", () => {
      const blob = new Blob([JSON.stringify(currentExport(), null, 2)], { type: "application/json" });
      const url = URL.createObjectURL(blob);
      download("govgraph-view.json", url);
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    });
    $("query-select").addEventListener("change", renderQueryForm);
    $("query-run").addEventListener("click", () => runQuery().catch(fail));
  }

  async function start() {
    window.govgraph = {
      nodes, edges, network: null, state, openNode, expand, select, overview,
      departmentView: (id) => api(nodePath(id)).then(departmentView),
      documentView: (id) => api(nodePath(id)).then(documentView),
      visibleNodeCount, exportJson: currentExport, exportPng: pngDataUrl, ready: false,
    };
    createNetwork();
    bind();
    setupSearch();
    const [palette, stats, catalogue, health] = await Promise.all([
      api("/api/palette"), api("/api/stats"), api("/api/queries"), api("/api/health"),
    ]);
    state.palette = palette;
    state.catalogue = catalogue;
    $("stats").textContent =
      `${stats.total_nodes} 节点 · ${stats.total_edges} 关系 · ${stats.reports} 份报告 · ${health.backend}`;
    const chooser = $("query-select");
    chooser.append(...catalogue.map((q) => el("option", { value: q.name, text: q.name })));
    if (!catalogue.length) chooser.append(el("option", { value: "", text: "（暂无查询）" }));
    chooser.disabled = !catalogue.length;
    if (catalogueHas("department_tasks")) chooser.value = "department_tasks";
    $("view-shared").disabled = !catalogueHas("shared_responsibility");
    renderQueryForm();
    refreshPanels();
    const hash = new URLSearchParams(location.hash.slice(1));
    if (hash.get("node")) await openNode(hash.get("node")).catch(fail);
    else if (stats.total_nodes) await overview().catch(fail);
    window.govgraph.ready = true;
    document.body.dataset.ready = "true";
  }

  window.addEventListener("DOMContentLoaded", () => { start().catch(fail); });
})();
