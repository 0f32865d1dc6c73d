// The newsgraph explorer: search an entity, see its relations grouped by predicate,
// expand neighbours by clicking, draw the k shortest paths between two entities, read
// the evidence of an edge, filter by predicate, modality and event dates, and see an
// entity's timeline. Every query is a call of the newsgraph.v1 API (api.js).
import cytoscape from "cytoscape";
import { ApiError, call, getToken, setToken } from "./api.js";

const $ = (id) => document.getElementById(id);

// h builds an element: h("a", {href: "…", class: "x"}, child, "text", …).
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else if (k === "style") el.style.cssText = v; // CSSOM: allowed by the page's CSP
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const types = {
  ENTITY_TYPE_PERSON: { name: "person", color: "#3b6fd8" },
  ENTITY_TYPE_STATE: { name: "state", color: "#d1495b" },
  ENTITY_TYPE_CITY: { name: "city", color: "#2a9d6f" },
  ENTITY_TYPE_FACILITY: { name: "facility", color: "#e09f3e" },
  ENTITY_TYPE_ORGANISATION: { name: "organisation", color: "#7d5ba6" },
  ENTITY_TYPE_OTHER: { name: "other", color: "#7a7a7a" },
};
const typeOf = (t) => types[t] || types.ENTITY_TYPE_OTHER;

const modalityNames = {
  MODALITY_ASSERTED: "asserted",
  MODALITY_HEDGED: "hedged",
  MODALITY_NEGATED: "negated",
  MODALITY_REPORTED: "reported",
};

const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

// ---- errors and status

function showError(err) {
  let text = err instanceof ApiError ? `${err.method}: ${err.code}: ${err.message}` : String(err.message || err);
  if (err instanceof ApiError && err.code === "unauthenticated") {
    text += " (this server wants a bearer token: open 'token' at the top right)";
    document.querySelector("details.token").open = true;
  }
  $("error-text").textContent = text;
  $("error").hidden = false;
}

function clearError() {
  $("error").hidden = true;
}

// run calls f, showing its error; busy marks the page while it runs.
async function run(f) {
  clearError();
  document.body.classList.add("busy");
  try {
    return await f();
  } catch (e) {
    showError(e);
  } finally {
    document.body.classList.remove("busy");
  }
}

// ---- filters

function filters() {
  const preds = $("f-predicates")
    .value.split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const modalities = [...document.querySelectorAll("input[name=modality]:checked")].map((c) => c.value);
  const f = {};
  if (preds.length) f.predicates = preds;
  if (modalities.length) f.modalities = modalities;
  if ($("f-from").value) f.eventDateFrom = $("f-from").value;
  if ($("f-to").value) f.eventDateTo = $("f-to").value;
  return f;
}

const seenPredicates = new Set();
function notePredicates(preds) {
  let added = false;
  for (const p of preds) {
    if (!seenPredicates.has(p)) {
      seenPredicates.add(p);
      added = true;
    }
  }
  if (added) $("predicates").replaceChildren(...[...seenPredicates].sort().map((p) => h("option", { value: p })));
}

const seenNames = new Map(); // name -> id, for the path inputs
function noteEntities(briefs) {
  for (const b of briefs) if (b && b.name) seenNames.set(b.name, b.id);
  $("names").replaceChildren(...[...seenNames.keys()].sort().map((n) => h("option", { value: n })));
}

// ---- the graph

const cy = cytoscape({
  container: $("cy"),
  wheelSensitivity: 0.3,
  autounselectify: true, // a click expands or shows evidence; the highlight marks it
  minZoom: 0.2,
  maxZoom: 3,
  style: [
    {
      selector: "node",
      style: {
        "background-color": "data(color)",
        label: "data(label)",
        color: "#1d2330",
        "font-size": 12,
        "font-family": "system-ui, sans-serif",
        "text-valign": "bottom",
        "text-margin-y": 5,
        "text-wrap": "wrap",
        "text-max-width": 120,
        "text-background-color": "#ffffff",
        "text-background-opacity": 0.8,
        "text-background-padding": 2,
        width: 26,
        height: 26,
        "border-width": 2,
        "border-color": "#ffffff",
      },
    },
    { selector: "node.focus", style: { width: 38, height: 38, "border-color": "#1d2330", "border-width": 3, "font-weight": "bold" } },
    { selector: "node.end", style: { width: 34, height: 34, "border-color": "#1d2330", "border-width": 3, "font-weight": "bold" } },
    {
      selector: "edge",
      style: {
        width: 2,
        "line-color": "#9aa5b8",
        "target-arrow-color": "#9aa5b8",
        "target-arrow-shape": "triangle",
        "curve-style": "bezier",
        label: "data(label)",
        "font-size": 10,
        "font-family": "system-ui, sans-serif",
        color: "#4a5468",
        "text-rotation": "autorotate",
        "text-background-color": "#f7f8fb",
        "text-background-opacity": 1,
        "text-background-padding": 1,
      },
    },
    { selector: "edge.path", style: { width: 3, "line-color": "#6b7fa8", "target-arrow-color": "#6b7fa8" } },
    { selector: "edge.hl", style: { width: 5, "line-color": "#f0a500", "target-arrow-color": "#f0a500", color: "#1d2330", "font-weight": "bold", "z-index": 10 } },
    { selector: "node.hl", style: { "border-color": "#f0a500", "border-width": 4 } },
  ],
});
window.newsgraphExplorer = { cy }; // for the browser test and the curious

function nodeData(b) {
  return { group: "nodes", data: { id: b.id, label: b.name, color: typeOf(b.type).color, brief: b } };
}

// edgeId names the stored edge subject --predicate--> object.
const edgeId = (s, p, o) => `${s}|${p}|${o}`;

function addEntity(b, pos) {
  let n = cy.getElementById(b.id);
  if (n.empty()) {
    n = cy.add({ ...nodeData(b), position: pos ? { ...pos } : undefined });
  }
  return n;
}

// addRelation adds the edge of a Relation (subject, predicate, object, counts,
// evidence) and returns it.
function addRelation(rel, cls) {
  const id = edgeId(rel.subject.id, rel.predicate, rel.object.id);
  let e = cy.getElementById(id);
  if (e.empty()) {
    e = cy.add({ group: "edges", data: { id, source: rel.subject.id, target: rel.object.id, label: rel.predicate, rel } });
  } else if (rel.evidence && rel.evidence.length) {
    e.data("rel", rel);
  }
  if (cls) e.addClass(cls);
  return e;
}

// placeAround gives the nodes added for centre positions on a ring around it, on the
// side away from the rest of the graph.
function placeAround(centre, nodes) {
  if (!nodes.length) return;
  const c = centre.position();
  const others = cy.nodes().difference(cy.collection(nodes)).difference(centre);
  let away = 0;
  if (others.length) {
    const bb = others.boundingBox();
    const mx = (bb.x1 + bb.x2) / 2, my = (bb.y1 + bb.y2) / 2;
    away = Math.atan2(c.y - my, c.x - mx);
  }
  const r = 120 + 12 * nodes.length;
  const spread = others.length ? Math.PI * 1.2 : Math.PI * 2;
  nodes.forEach((n, i) => {
    const a = nodes.length === 1 ? away : away - spread / 2 + (spread * i) / (others.length ? nodes.length - 1 : nodes.length);
    n.position({ x: c.x + r * Math.cos(a), y: c.y + r * Math.sin(a) });
  });
}

function fit() {
  cy.fit(undefined, 50);
  if (cy.zoom() > 1.6) {
    cy.zoom(1.6);
    cy.center();
  }
}

function highlight(els) {
  cy.elements().removeClass("hl");
  if (els) els.addClass("hl");
}

cy.on("tap", "node", (ev) => {
  const b = ev.target.data("brief");
  run(() => expand(b));
});
cy.on("tap", "edge", (ev) => {
  highlight(ev.target);
  run(() => showEdgeEvidence(ev.target));
});

// ---- legend

$("legend").replaceChildren(
  h("h2", {}, "Entity types"),
  ...Object.values(types).map((t) => h("span", { class: "chip" }, h("i", { style: `background:${t.color}` }), t.name)),
);

// ---- tabs

function showTab(name) {
  for (const b of document.querySelectorAll(".tabs button")) b.setAttribute("aria-selected", String(b.dataset.tab === name));
  for (const t of document.querySelectorAll(".tab")) t.hidden = t.id !== "tab-" + name;
}
for (const b of document.querySelectorAll(".tabs button")) b.addEventListener("click", () => showTab(b.dataset.tab));

// ---- entities: relations grouped by predicate, timeline

// view is what the graph shows, re-run when the filters change.
let view = null;

const sel = (b) => ({ id: b.id });

function entityLink(b) {
  return h("a", { href: "#", class: "entity", title: typeOf(b.type).name, onclick: (ev) => { ev.preventDefault(); run(() => focus(b)); } }, b.name);
}

function counts(r) {
  return `${plural(r.articleCount || 0, "article")} · ${plural(r.sourceCount || 0, "source")}`;
}

async function loadEntity(b) {
  const f = filters();
  const [ent, rels, tl] = await Promise.all([
    call("GetEntity", { entity: sel(b) }),
    call("ListRelations", { entity: sel(b), maxEvidence: 5, pageSize: 500, ...f }),
    call("GetTimeline", { entity: sel(b), maxEvidence: 3, pageSize: 500, ...f }),
  ]);
  const relations = rels.relations || [];
  notePredicates(relations.map((r) => r.predicate));
  noteEntities([b, ...relations.flatMap((r) => [r.subject, r.object])]);
  renderRelations(ent.entity, relations, !!rels.nextPageToken);
  renderTimeline(ent.entity, tl.events || [], !!tl.nextPageToken);
  return relations;
}

function renderRelations(e, relations, more) {
  const groups = new Map();
  for (const r of relations) {
    if (!groups.has(r.predicate)) groups.set(r.predicate, []);
    groups.get(r.predicate).push(r);
  }
  const t = typeOf(e.type);
  const head = h("div", { class: "entity-head" },
    h("h3", {}, h("i", { class: "dot", style: `background:${t.color}` }), e.name),
    h("div", { class: "meta" }, `${t.name} · ${plural(e.mentions || 0, "article")} · ${e.id}`),
    e.aliases && e.aliases.length ? h("div", { class: "meta" }, "also: " + e.aliases.join(", ")) : null,
    h("button", { type: "button", class: "secondary small", onclick: () => { $("path-from").value = e.name; $("path-to").focus(); } }, "paths from here…"),
  );
  const body = [];
  if (!relations.length) body.push(h("p", { class: "empty" }, "No relation matches the filters."));
  for (const [pred, rs] of [...groups.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    body.push(h("section", { class: "group" },
      h("h4", {}, pred, h("span", { class: "n" }, String(rs.length))),
      h("ul", {}, rs.map((r) => {
        const out = r.subject.id === e.id;
        const other = out ? r.object : r.subject;
        return h("li", {},
          h("span", { class: "dir", title: out ? `${e.name} ${pred} …` : `… ${pred} ${e.name}` }, out ? "→" : "←"),
          entityLink(other),
          h("button", { type: "button", class: "link counts", title: "read the evidence", onclick: () => { const ed = cy.getElementById(edgeId(r.subject.id, r.predicate, r.object.id)); highlight(ed); showEvidence(r); } }, counts(r)),
        );
      })),
    ));
  }
  if (more) body.push(h("p", { class: "empty" }, "More relations than shown: narrow the filters."));
  $("tab-relations").replaceChildren(head, ...body);
}

function renderTimeline(e, events, more) {
  if (!events.length) {
    $("tab-timeline").replaceChildren(h("p", { class: "empty" }, `No event of ${e.name} matches the filters.`));
    return;
  }
  const items = [];
  let last = null;
  for (const ev of events) {
    const d = ev.eventDate || "undated";
    if (d !== last) {
      items.push(h("li", { class: "date" }, d));
      last = d;
    }
    items.push(h("li", { class: "event" },
      h("button", { type: "button", class: "link", onclick: () => { highlight(cy.getElementById(edgeId(ev.subject.id, ev.predicate, ev.object.id))); showEvidence({ ...ev, events: undefined }); } },
        `${ev.subject.name} `, h("b", {}, ev.predicate), ` ${ev.object.name}`),
      h("span", { class: "meta" }, ` ${counts(ev)}`),
    ));
  }
  $("tab-timeline").replaceChildren(
    h("h3", {}, `Timeline of ${e.name}`),
    h("ul", { class: "timeline" }, items),
    more ? h("p", { class: "empty" }, "More events than shown: narrow the dates.") : null,
  );
}

// focus shows an entity alone with its relations: a new graph.
async function focus(b) {
  view = { kind: "entity", entity: b };
  $("path-from").value = b.name;
  cy.elements().remove();
  const centre = addEntity(b, { x: 0, y: 0 }).addClass("focus");
  const relations = await loadEntity(b);
  const added = [];
  for (const r of relations) {
    for (const x of [r.subject, r.object]) {
      if (cy.getElementById(x.id).empty()) added.push(addEntity(x));
    }
    addRelation(r);
  }
  placeAround(centre, added);
  fit();
  $("graph-hint").hidden = true;
  showTab("relations");
}

// expand adds the relations of an entity already in the graph and shows its panel.
async function expand(b) {
  if (!view) view = { kind: "entity", entity: b };
  const centre = addEntity(b);
  cy.nodes().removeClass("focus");
  centre.addClass("focus");
  const relations = await loadEntity(b);
  const added = [];
  cy.startBatch();
  for (const r of relations) {
    for (const x of [r.subject, r.object]) {
      if (cy.getElementById(x.id).empty()) added.push(addEntity(x, centre.position()));
    }
    addRelation(r);
  }
  cy.endBatch();
  placeAround(centre, added);
  if (added.length) cy.animate({ fit: { eles: cy.elements(), padding: 50 }, duration: 250 });
  showTab("relations");
}

// ---- evidence

function evidenceItem(ev) {
  const title = ev.articleTitle || ev.articleId;
  const link = /^https?:\/\//.test(ev.url || "") ? h("a", { href: ev.url, target: "_blank", rel: "noopener noreferrer" }, title) : h("span", {}, title);
  const mod = ev.modality || "MODALITY_ASSERTED";
  return h("li", { class: "evidence" },
    h("blockquote", {}, ev.sentence),
    h("div", { class: "meta" },
      h("span", { class: "badge " + (modalityNames[mod] || "") }, modalityNames[mod] || mod),
      ev.speaker ? h("span", { class: "speaker" }, `said by ${ev.speaker}`) : null,
      ev.role ? h("span", {}, `role: ${ev.role}`) : null,
      h("span", { class: "date", title: "event date" }, ev.eventDate ? `event ${ev.eventDate}` : "undated event"),
      ev.confidence ? h("span", { title: "extraction confidence" }, `confidence ${Number(ev.confidence).toFixed(2)}`) : null,
    ),
    h("div", { class: "meta article" },
      link,
      ev.source ? ` · ${ev.source}` : null,
      ev.published ? ` · published ${ev.published}` : null,
      ` · ${ev.articleId} [${ev.startOffset || 0}:${ev.endOffset || 0}]`,
    ),
  );
}

// showEvidence shows the evidence of a relation or hop: subject, predicate, object,
// evidence, and counts when it has them.
function showEvidence(r) {
  const ev = r.evidence || [];
  $("tab-evidence").replaceChildren(
    h("h3", { class: "edge-head" }, entityLink(r.subject), h("span", { class: "pred" }, ` —${r.predicate}→ `), entityLink(r.object)),
    r.articleCount !== undefined || r.sourceCount !== undefined
      ? h("div", { class: "meta" }, counts(r) + (r.eventCount ? ` · ${plural(r.eventCount, "event")}` : ""))
      : h("div", { class: "meta" }, plural(ev.length, "statement")),
    ev.length ? h("ul", { class: "evidence-list" }, ev.map(evidenceItem)) : h("p", { class: "empty" }, "No evidence matches the filters."),
  );
  showTab("evidence");
}

// showEdgeEvidence shows the evidence of a graph edge, asking the server for it when
// the edge came without (the filters apply).
async function showEdgeEvidence(e) {
  const rel = e.data("rel");
  if (rel && rel.evidence && rel.evidence.length) {
    showEvidence(rel);
    return;
  }
  const s = e.source().data("brief"), o = e.target().data("brief");
  const resp = await call("GetRelationsBetween", {
    entity: sel(s), other: sel(o), direction: "DIRECTION_OUTGOING", maxEvidence: 20,
    ...filters(), predicates: [e.data("label")],
  });
  const r = (resp.relations || [])[0];
  showEvidence(r || { subject: s, predicate: e.data("label"), object: o, evidence: [] });
}

// ---- paths

// resolve finds the entity an input names: a name seen before, else the best fuzzy
// match of a search.
async function resolve(input) {
  const text = input.value.trim();
  if (!text) throw new Error(`${input.id === "path-from" ? "from" : "to"}: give an entity`);
  const resp = await call("SearchEntities", { query: text, mode: "SEARCH_MODE_FUZZY", limit: 1 });
  const e = (resp.entities || [])[0];
  if (!e) throw new Error(`no entity matches "${text}"`);
  input.value = e.name;
  return e;
}

function hopRelation(hop) {
  const subject = hop.forward ? hop.from : hop.to;
  const object = hop.forward ? hop.to : hop.from;
  return { subject, predicate: hop.predicate, object, evidence: hop.evidence || [] };
}

async function findPaths() {
  const [from, to] = await Promise.all([resolve($("path-from")), resolve($("path-to"))]);
  const k = Number($("path-k").value) || 3;
  const maxHops = Number($("path-hops").value) || 4;
  view = { kind: "paths", from, to, k, maxHops };
  const f = filters();
  const resp = await call("FindPaths", { from: sel(from), to: sel(to), k, maxHops, maxEvidence: 5, ...f });
  const paths = resp.paths || [];
  drawPaths(from, to, paths);
  renderPaths(from, to, paths, resp.truncated, maxHops);
  showTab("paths");
}

// drawPaths draws the paths left to right: from at the left, to at the right, each
// path in its own row, nodes shared by several paths where first placed.
function drawPaths(from, to, paths) {
  cy.elements().remove();
  $("graph-hint").hidden = true;
  const width = 220 * Math.max(2, ...paths.map((p) => p.hops.length));
  addEntity(from, { x: 0, y: 0 }).addClass("end");
  addEntity(to, { x: width, y: 0 }).addClass("end");
  const rows = [];
  paths.forEach((p) => {
    const inner = p.hops.slice(0, -1).map((hop) => hop.to.id).join(" ");
    if (!rows.includes(inner)) rows.push(inner);
  });
  paths.forEach((p, i) => {
    const n = p.hops.length;
    const row = rows.indexOf(p.hops.slice(0, -1).map((hop) => hop.to.id).join(" "));
    const y = (row - (rows.length - 1) / 2) * 130;
    p.hops.forEach((hop, j) => {
      addEntity(hop.to, { x: (width * (j + 1)) / n, y });
      const rel = hopRelation(hop);
      const e = addRelation(rel, "path");
      e.data("paths", [...(e.data("paths") || []), i]);
    });
    noteEntities(p.hops.flatMap((hop) => [hop.from, hop.to]));
    notePredicates(p.hops.map((hop) => hop.predicate));
  });
  fit();
}

function renderPaths(from, to, paths, truncated, maxHops) {
  const out = [h("h3", {}, `${from.name} → ${to.name}`)];
  if (!paths.length) {
    out.push(h("p", { class: "empty" }, `No path within ${plural(maxHops, "hop")} matches the filters.`));
  }
  paths.forEach((p, i) => {
    const edges = p.hops.map((hop) => {
      const r = hopRelation(hop);
      return cy.getElementById(edgeId(r.subject.id, r.predicate, r.object.id));
    });
    out.push(h("section", { class: "path" },
      h("h4", {}, h("button", { type: "button", class: "link", onclick: () => highlight(cy.collection(edges).union(cy.collection(edges).connectedNodes())) }, `Path ${i + 1}`), h("span", { class: "n" }, plural(p.hops.length, "hop"))),
      h("ol", { class: "hops" }, p.hops.map((hop, j) => h("li", {},
        h("button", {
          type: "button", class: "hop", "data-path": i + 1, "data-hop": j + 1,
          onclick: () => { highlight(edges[j]); showEvidence(hopRelation(hop)); },
        }, hop.from.name, h("span", { class: "pred" }, hop.forward ? ` —${hop.predicate}→ ` : ` ←${hop.predicate}— `), hop.to.name),
      ))),
    ));
  });
  if (truncated) out.push(h("p", { class: "empty" }, "The search stopped at its node budget: there may be more paths."));
  $("tab-paths").replaceChildren(...out);
}

// ---- search

let searchSeq = 0;
let results = [];
let active = -1;

function renderResults() {
  const ul = $("results");
  if (!results.length) {
    ul.hidden = true;
    return;
  }
  ul.replaceChildren(...results.map((e, i) => h("li", {
    role: "option", class: i === active ? "active" : "", "aria-selected": String(i === active),
    onmousedown: (ev) => { ev.preventDefault(); pick(e); },
  },
  h("i", { class: "dot", style: `background:${typeOf(e.type).color}` }),
  h("span", { class: "name" }, e.name),
  h("span", { class: "meta" }, `${typeOf(e.type).name} · ${plural(e.mentions || 0, "article")}`),
  )));
  ul.hidden = false;
}

async function search(text) {
  const seq = ++searchSeq;
  if (!text.trim()) {
    results = [];
    renderResults();
    return;
  }
  try {
    const resp = await call("SearchEntities", { query: text, mode: "SEARCH_MODE_FUZZY", limit: 10 });
    if (seq !== searchSeq) return;
    clearError();
    results = resp.entities || [];
    active = results.length ? 0 : -1;
    noteEntities(results);
    renderResults();
    if (!results.length) {
      $("results").replaceChildren(h("li", { class: "none" }, `No entity matches "${text}".`));
      $("results").hidden = false;
    }
  } catch (e) {
    if (seq === searchSeq) showError(e);
  }
}

function pick(e) {
  results = [];
  renderResults();
  $("search").value = e.name;
  $("search").blur();
  run(() => focus(e));
}

let timer = 0;
$("search").addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(() => search($("search").value), 150);
});
$("search").addEventListener("keydown", async (ev) => {
  if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
    ev.preventDefault();
    if (results.length) {
      active = (active + (ev.key === "ArrowDown" ? 1 : results.length - 1)) % results.length;
      renderResults();
    }
  } else if (ev.key === "Enter") {
    ev.preventDefault();
    clearTimeout(timer);
    if (!results.length) await search($("search").value);
    if (results.length) pick(results[Math.max(active, 0)]);
  } else if (ev.key === "Escape") {
    results = [];
    renderResults();
  }
});
$("search").addEventListener("blur", () => setTimeout(() => { $("results").hidden = true; }, 100));
$("search").addEventListener("focus", () => { if (results.length) renderResults(); });

// ---- forms

$("paths-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  run(findPaths);
});
$("filters").addEventListener("submit", (ev) => {
  ev.preventDefault();
  run(refresh);
});
$("f-clear").addEventListener("click", () => {
  $("filters").reset();
  run(refresh);
});
$("fit").addEventListener("click", fit);
$("error-close").addEventListener("click", clearError);

async function refresh() {
  if (!view) return;
  if (view.kind === "paths") await findPaths();
  else await focus(view.entity);
}

$("token").value = getToken();
$("token").addEventListener("change", () => {
  setToken($("token").value.trim());
  run(loadStats);
});

async function loadStats() {
  const s = await call("GetStats", {});
  const n = (x) => Number(x || 0).toLocaleString("en");
  $("stats").textContent = `${n(s.articles)} articles · ${n(s.entities)} entities · ${n(s.relations)} relations`;
}

run(loadStats);
document.body.dataset.ready = "true";
