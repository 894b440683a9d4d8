/* The operations wall (/wall/): the province map with the live layers, the domain cards, the
   open-alert feed, a clock. It polls /api/wall and updates the page in place (no reload, no
   flicker); with ?rotate=<seconds> the map cycles through the domain views. */
(function () {
  "use strict";
  const cfg = IOC.data("wall-config");
  const T = cfg.texts;
  const $ = (id) => document.getElementById(id);
  const rem = () => parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
  const fill = (s, vars) => s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? vars[k] : m));
  let focus = null;  // the domain whose view the map shows (rotation), if any

  // ------------------------------------------------------------------ clock (the province's time)
  const dateFmt = new Intl.DateTimeFormat("en-GB", { timeZone: cfg.time_zone, day: "2-digit", month: "2-digit", year: "numeric" });
  const timeFmt = new Intl.DateTimeFormat("en-GB", { timeZone: cfg.time_zone, hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
  function tick() {
    const now = new Date();
    $("wall-date").textContent = dateFmt.format(now);
    $("wall-clock").textContent = timeFmt.format(now);
    if (now.getSeconds() === 0) {
      document.querySelectorAll("#wall-feed .age").forEach((el) => { el.textContent = age(el.dataset.since); });
    }
  }

  // ------------------------------------------------------------------ cards
  function figureValue(f) {
    if (f.text) return IOC.esc(f.text);
    if (f.value === null || f.value === undefined) return "–";
    return IOC.number(f.value, cfg.lang, Math.abs(f.value) >= 100 ? 0 : 1);
  }
  // a figure: its value and unit, then what it is and when; its own state colours the value
  function figureHtml(f) {
    const unit = f.unit ? `<span class="unit">${f.unit === "%" ? "\u00a0" : " "}${IOC.esc(f.unit)}</span>` : "";
    return `<div class="val${f.state ? ` fs-${IOC.esc(f.state)}` : ""}">${figureValue(f)}${unit}</div>` +
      `<div class="lbl">${IOC.esc(f.label)} · ${IOC.esc(f.period)}</div>`;
  }
  function cardHtml(c) {
    const more = c.more ? `<span class="more">${IOC.esc(fill(T.moreFigures, { n: c.more }))}</span>` : "";
    return `<div class="wcard-head"><h3>${IOC.esc(c.title)}</h3></div>` +
      `<div class="wcard-figs">${c.figures.map(figureHtml).join("")}</div>` +
      `<div class="wcard-foot"><span class="state"><i aria-hidden="true"></i>${IOC.esc(c.state_label)}</span>${more}</div>`;
  }
  // only what changed is rewritten: a card keeps its element (and its place) between refreshes
  function renderCards(cards) {
    const box = $("wall-cards");
    const keep = new Set();
    cards.forEach((c) => {
      let el = box.querySelector(`[data-domain="${CSS.escape(c.domain)}"]`);
      if (!el) {
        el = document.createElement("a");
        el.dataset.domain = c.domain;
        box.appendChild(el);
      }
      el.href = c.url;
      el.className = `wcard state-${c.state}` + (focus === c.domain ? " focus" : "");
      const html = cardHtml(c);
      if (el.dataset.html !== html) { el.innerHTML = html; el.dataset.html = html; }
      box.appendChild(el);  // keeps the server's order
      keep.add(el);
    });
    Array.from(box.children).forEach((el) => { if (!keep.has(el)) el.remove(); });
  }

  // ------------------------------------------------------------------ alert feed
  let firstFeed = true;
  const relative = new Intl.RelativeTimeFormat(IOC.locale(cfg.lang), { numeric: "always" });
  // how long an alert has been open, in the page's language ("3 giờ trước", "3 hours ago")
  function age(iso) {
    const minutes = Math.max(0, (Date.now() - new Date(iso).getTime()) / 60000);
    if (minutes < 60) return relative.format(-Math.floor(minutes), "minute");
    if (minutes < 48 * 60) return relative.format(-Math.floor(minutes / 60), "hour");
    return relative.format(-Math.floor(minutes / 1440), "day");
  }
  function alertHtml(a) {
    const where = [a.domain_title, a.unit_name].filter(Boolean).map(IOC.esc).join(" · ");
    const ack = a.acknowledged ? ` · <span class="ack">${IOC.esc(T.acknowledged)}</span>` : "";
    return `<div class="top"><span class="sev">${IOC.esc(a.severity_label)}</span>` +
      `<span class="age" data-since="${IOC.esc(a.opened_at)}">${IOC.esc(age(a.opened_at))}</span></div>` +
      `<div class="title">${IOC.esc(a.title)}</div><div class="where">${where}${ack}</div>`;
  }
  function renderAlerts(alerts, counts) {
    const box = $("wall-alerts-box");
    box.hidden = alerts === null;
    document.body.classList.toggle("no-alerts", alerts === null);
    if (alerts === null) return;
    $("wall-alert-count").textContent = `(${IOC.number(counts.total, cfg.lang)})`;
    $("wall-sev-counts").innerHTML = ["critical", "warning"].map((s) =>
      `<span class="sevcount sev-${s}"><b>${IOC.number(counts[s] || 0, cfg.lang)}</b> ${IOC.esc(T[s])}</span>`).join("");
    const feed = $("wall-feed");
    const old = new Map(Array.from(feed.children).map((li) => [li.dataset.alert, li]));
    const keep = new Set();
    alerts.forEach((a) => {
      let li = old.get(String(a.id));
      if (!li) {
        li = document.createElement("li");
        li.dataset.alert = a.id;
        if (!firstFeed) li.classList.add("new");  // a fresh alert flashes once
      }
      li.classList.remove("sev-critical", "sev-warning");
      li.classList.add(`sev-${a.severity}`);
      const html = alertHtml(a);
      if (li.dataset.html !== html) { li.innerHTML = html; li.dataset.html = html; }
      feed.appendChild(li);
      keep.add(li);
    });
    old.forEach((li) => { if (!keep.has(li)) li.remove(); });
    firstFeed = false;
    const empty = $("wall-more");
    if (!alerts.length) { empty.textContent = T.none; return; }
    // show what fits; say how many more there are
    let hidden = counts.total - alerts.length;
    Array.from(feed.children).forEach((li) => { li.hidden = false; });
    Array.from(feed.children).forEach((li) => {
      if (li.offsetTop + li.offsetHeight > feed.clientHeight + 1) { li.hidden = true; hidden += 1; }
    });
    empty.textContent = hidden > 0 ? fill(T.more, { n: IOC.number(hidden, cfg.lang) }) : "";
  }

  // ------------------------------------------------------------------ refresh
  let lastData = IOC.data("wall-data");
  function stamp(ok) {
    const at = timeFmt.format(new Date(lastData.generated_at));
    const el = $("wall-updated");
    el.textContent = ok ? `${T.updated} ${at}` : `${T.stale} ${at}`;
    el.classList.toggle("stale", !ok);
  }
  function render(data) {
    lastData = data;
    renderCards(data.cards);
    renderAlerts(data.alerts, data.counts);
    stamp(true);
  }
  let timer = null;
  function refresh() {
    clearTimeout(timer);
    const done = IOC.fetch(cfg.api, { headers: { Accept: "application/json" } })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`HTTP ${r.status}`))))
      .then((data) => { render(data); return reloadLive(); })
      .catch(() => stamp(false))
      .finally(() => { timer = setTimeout(refresh, cfg.refresh * 1000); });
    return done;
  }

  // ------------------------------------------------------------------ map
  const map = L.map("wall-map", { zoomControl: false, keyboard: false, zoomSnap: 0.1, attributionControl: true });
  map.attributionControl.setPrefix(false);
  const fitProvince = () => map.fitBounds(IOC.PROVINCE_BOUNDS, { padding: [rem() * 0.5, rem() * 0.5] });
  fitProvince();
  if (IOC.addBaseMap) IOC.addBaseMap(map, { control: false });
  const specs = Object.fromEntries(cfg.layers.map((l) => [l.id, l]));
  const cache = {};  // layer id -> {at, promise of a FeatureCollection or null}
  const MAX_AGE_MS = 5 * 60 * 1000;  // the slower-moving layers of the domain views

  function layerUrl(id) {
    const s = specs[id];
    if (cfg.queries[id]) return `${cfg.ogc}/collections/${id}/items?f=json&${cfg.queries[id]}`;
    const polygonal = s.geometry_type.includes("Polygon");
    let url = `${cfg.ogc}/collections/${id}/items?f=json&limit=${s.time_field ? (polygonal ? 150 : 500) : 2000}`;
    if (s.time_field) url += `&sortby=-${s.time_field}`;  // the latest periods
    return url;
  }
  function load(id, force) {
    const c = cache[id];
    if (force || !c || Date.now() - c.at > MAX_AGE_MS) {
      cache[id] = { at: Date.now(), promise: IOC.getGeo(layerUrl(id)).catch(() => null) };
    }
    return cache[id].promise;
  }
  function draw(id, fc, view) {
    const s = specs[id], r = rem();
    if (id === "admin-districts") {
      return L.geoJSON(fc, {
        interactive: false, style: { color: "#9fb6d8", weight: Math.max(1.5, r * 0.08), fill: false },
        onEachFeature: (f, l) => l.bindTooltip(IOC.esc(f.properties.name || ""), { permanent: true, direction: "center", className: "wall-label" }),
      });
    }
    if (id === "alerts") {  // rings over everything else; the critical ones pulse
      return L.geoJSON(fc, {
        interactive: false,
        filter: (f) => view.id === "province" || f.properties.domain === view.id,
        pointToLayer: (f, ll) => L.circleMarker(ll, {
          radius: r * 0.5, color: f.properties.severity === "critical" ? "#ff4d4d" : "#fbbf24", weight: r * 0.14,
          fill: true, fillOpacity: 0.15, className: f.properties.severity === "critical" ? "wall-pulse" : "",
        }),
        style: (f) => ({ color: f.properties.severity === "critical" ? "#ff4d4d" : "#fbbf24", weight: r * 0.1, fillOpacity: 0.2,
          className: f.properties.severity === "critical" ? "wall-pulse" : "" }),
      });
    }
    return L.geoJSON(fc, {
      interactive: false,
      pointToLayer: (f, ll) => L.circleMarker(ll, { radius: r * 0.17, color: "#070d1a", weight: 1, fillColor: s.style.color, fillOpacity: 0.95 }),
      style: { color: s.style.color, weight: 1.5, fillColor: s.style.fill || s.style.color, fillOpacity: 0.25 },
    });
  }

  const views = [{ id: "province", title: T.province, layers: cfg.live }].concat(
    cfg.domains.map((d) => ({ id: d.id, title: d.title, layers: ["admin-districts", ...d.layers, "alerts"].filter((l) => specs[l]) })));
  let current = views[0], shown = [];

  // a layer drawn one indicator and period at a time (timemap.js): its default indicator at the
  // latest complete period, coloured by the indicator's thresholds or quantiles
  const timeMaps = {};
  function timeMap(id) {
    if (!timeMaps[id]) {
      const handle = IOC.timeMap(map, specs[id], { lang: cfg.lang, onChange: () => { if (current.layers.includes(id)) legend(current); } });
      timeMaps[id] = { handle, started: handle.start() };
    }
    return timeMaps[id];
  }
  const isTimeMap = (id) => specs[id].time_map && IOC.timeMap;
  let drawnCounts = {};

  function legend(view, drawn) {
    if (drawn) drawnCounts = drawn;
    const rows = view.layers.filter((id) => id !== "admin-districts").map((id) => {
      const s = specs[id];
      if (isTimeMap(id)) return `<div class="lg-time">${timeMap(id).handle.legendHtml()}</div>`;
      const n = drawnCounts[id];
      const note = cfg.notes[id] ? ` <span class="note">${IOC.esc(cfg.notes[id])}</span>` : "";
      const count = n === undefined ? "" : ` <b>${IOC.number(n, cfg.lang)}</b>`;
      const swatch = id === "alerts" ? '<i class="ring"></i>' : `<i style="background:${IOC.esc(s.style.color)}"></i>`;
      return `<span class="lg">${swatch}${IOC.esc(IOC.title(s, cfg.lang))}${note}${count}</span>`;
    });
    const html = rows.join("");
    const el = $("wall-legend");
    if (el.dataset.html !== html) { el.innerHTML = html; el.dataset.html = html; }
  }

  // draw a view: the new layers go on before the old ones come off (no blank map in between)
  function show(view) {
    const plain = view.layers.filter((id) => !isTimeMap(id));
    const timed = view.layers.filter(isTimeMap);
    return Promise.all(plain.map((id) => load(id))).then((fcs) => {
      if (view !== current) return;  // another view was chosen meanwhile
      const drawn = {}, fresh = [];
      timed.forEach((id) => fresh.push(timeMap(id).handle.layer));
      plain.forEach((id, i) => {
        if (!fcs[i]) return;
        const layer = draw(id, fcs[i], view);
        drawn[id] = layer.getLayers().length;
        fresh.push(layer);
      });
      fresh.forEach((l) => l.addTo(map));
      shown.forEach((l) => { if (!fresh.includes(l)) map.removeLayer(l); });
      shown = fresh;
      legend(view, drawn);
    });
  }
  function choose(view) {
    current = view;
    focus = view.id === "province" ? null : view.id;
    document.querySelectorAll(".wcard").forEach((el) => el.classList.toggle("focus", el.dataset.domain === focus));
    const label = $("wall-view");
    label.textContent = view.title;
    return show(view);
  }
  function reloadLive() {
    cfg.live.forEach((id) => { if (id !== "admin-districts") load(id, true); });
    return show(current);
  }

  render(lastData);
  tick();
  setInterval(tick, 1000);
  choose(views[0]);
  timer = setTimeout(refresh, cfg.refresh * 1000);
  if (cfg.rotate > 0 && views.length > 1) {
    let i = 0;
    setInterval(() => { i = (i + 1) % views.length; choose(views[i]); }, cfg.rotate * 1000);
  }
  let resizeTimer = null;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => { map.invalidateSize(); fitProvince(); render(lastData); show(current); }, 200);
  });

  // for the browser tests and the console: refresh now, which view is shown
  window.iocWall = { map, refresh, views, current: () => current.id, refreshSeconds: cfg.refresh };
})();
