/* IOC GIS portal: a Leaflet map whose layers come from the registry and whose features
   come from the same OGC API (/ogc) that QGIS and other clients use. No CDN, no tiles
   from the internet: the base is the province's own administrative boundaries. */
(function () {
  "use strict";
  // Leaflet.VectorGrid 1.3 calls L.DomEvent.fakeStop, which Leaflet 1.8 removed (VectorGrid issue #274)
  if (!L.DomEvent.fakeStop) L.DomEvent.fakeStop = function () { return true; };
  const cfg = IOC.data("portal-config");
  const t = IOC.data("i18n");
  const lang = cfg.lang;
  const byId = Object.fromEntries(cfg.layers.map((l) => [l.id, l]));
  const DEFAULT_ON = ["admin-districts", "schools", "health-facilities", "tourist-sites"];
  const PAGE = 5000;
  const MAX_FEATURES = 50000;

  const map = L.map("map", {
    center: IOC.PROVINCE.centre, zoom: IOC.PROVINCE.zoom, minZoom: 8, maxZoom: 19,
    maxBounds: IOC.panBounds(), preferCanvas: false,
  });
  map.fitBounds(IOC.PROVINCE_BOUNDS);
  map.attributionControl.setPrefix("IOC GIS · Leaflet");
  IOC.addBaseMap(map);
  L.control.scale({ imperial: false }).addTo(map);
  [["admin", 350], ["areas", 380], ["points", 450]].forEach(([name, z]) => {
    map.createPane(name).style.zIndex = z;
  });

  const status = document.getElementById("status");
  const state = {};
  const rasterState = {};

  function colourFor(spec, props) {
    const s = spec.style;
    if (s.by && props && s.palette[props[s.by]]) return s.palette[props[s.by]];
    return s.color;
  }

  const fmt = (v, field) => IOC.value(v, field, lang);

  function popupHtml(spec, feature) {
    const p = feature.properties || {};
    const head = spec.title_field && p[spec.title_field] != null ? fmt(p[spec.title_field], spec.fields.find((f) => f.name === spec.title_field)) : IOC.title(spec, lang);
    // a code beside its name (indicator / indicator_name, unit_code / unit_name) is left out
    const named = new Set(spec.fields.map((f) => f.name));
    const shown = spec.fields.filter((f) => !named.has(`${f.name}_name`) && !(f.name.endsWith("_code") && named.has(f.name.replace(/_code$/, "_name"))));
    const rows = shown.map((f) => `<tr><th>${IOC.esc(IOC.cap(f.title))}</th><td>${IOC.esc(fmt(p[f.name], f))}</td></tr>`).join("");
    const staff = cfg.user && spec.domain !== "admin" ? `<div class="actions"><button type="button" class="show-history" data-layer="${IOC.esc(spec.id)}" data-id="${IOC.esc(feature.id)}">${IOC.esc(t.history)}</button></div><ol class="history"></ol>` : "";
    return `<div class="popup"><h3>${IOC.esc(head)}</h3><div class="layer-name">${IOC.esc(IOC.title(spec, lang))} · #${IOC.esc(feature.id)}</div><table>${rows}</table>${staff}</div>`;
  }

  // History (staff): who changed what, and restore for those who may edit
  document.addEventListener("click", async (e) => {
    const btn = e.target.closest(".show-history, .restore");
    if (!btn) return;
    const box = btn.closest(".popup").querySelector(".history");
    if (btn.classList.contains("restore")) {
      const r = await IOC.fetch(`/api/layers/${btn.dataset.layer}/items/${btn.dataset.id}/restore`, {
        method: "POST", body: JSON.stringify({ event: +btn.dataset.event }),
        headers: { "Content-Type": "application/json", "X-CSRFToken": IOC.csrf() } });
      box.insertAdjacentHTML("afterbegin", `<li>${r.ok ? "✓" : IOC.esc((await r.json()).description)}</li>`);
      return;
    }
    const r = await IOC.fetch(`/api/layers/${btn.dataset.layer}/items/${btn.dataset.id}/history`);
    if (!r.ok) { box.innerHTML = `<li>${IOC.esc((await r.json()).description)}</li>`; return; }
    const h = await r.json();
    if (!h.events.length) { box.innerHTML = `<li>${IOC.esc(t.noChanges)}</li>`; return; }
    box.innerHTML = h.events.slice().reverse().map((ev) => {
      const ch = IOC.changesHtml(ev.changes, "; ", byId[h.layer], lang);
      const rb = h.can_restore ? ` <button type="button" class="restore" data-layer="${IOC.esc(h.layer)}" data-id="${h.id}" data-event="${ev.event}">${IOC.esc(t.restore)}</button>` : "";
      return `<li><b>${IOC.esc(ev.action_label || ev.action)}</b> ${IOC.esc(IOC.dateTime(ev.at, lang))} ${IOC.esc(t.by)} ${IOC.esc(ev.by_label || ev.by)}${rb}${ch ? "<br>" + ch : ""}</li>`;
    }).join("");
  });

  function makeTileLayer(spec) {
    const styleFor = (props) => ({
      fill: true, fillColor: colourFor(spec, props), fillOpacity: 0.55, color: "#2d3748", weight: 0.5, opacity: 0.7,
    });
    const grid = L.vectorGrid.protobuf(`${cfg.ogc}/collections/${spec.id}/tiles/WebMercatorQuad/{z}/{y}/{x}`, {
      pane: "areas", minZoom: spec.tile_min_zoom, maxNativeZoom: 18, interactive: true,
      rendererFactory: L.canvas.tile, vectorTileLayerStyles: { [spec.id]: styleFor },
      fetchOptions: { credentials: "same-origin" },
    });
    grid.on("click", async (e) => {  // the tile has a few attributes: read the whole feature from /ogc
      const fid = e.layer.properties.fid;  // the tile repeats the id as a property for this
      const r = await IOC.fetchGeo(`${cfg.ogc}/collections/${spec.id}/items/${fid}?f=json`);
      if (r.ok) L.popup({ maxWidth: 340 }).setLatLng(e.latlng).setContent(popupHtml(spec, await r.json())).openOn(map);
    });
    return { container: grid, geo: grid, add: () => {}, clear: () => {}, tiles: true };
  }

  function makeTimeLayer(spec) {  // one indicator, level and period at a time (timemap.js)
    const tm = IOC.timeMap(map, spec, { lang, pane: IOC.isPoint(spec) ? "points" : "areas", onChange: () => { renderLegend(); countTime(spec.id); } });
    return { container: tm.layer, geo: tm.layer, add: () => {}, clear: () => {}, tm };
  }

  function countTime(id) {
    const st = state[id], shown = st.handle.tm.state().shown;
    st.count.textContent = shown ? IOC.number(shown, lang, 0) : "";
  }

  function makeLayer(spec) {
    if (spec.time_map) return makeTimeLayer(spec);
    if (spec.tiles) return makeTileLayer(spec);
    const isPoint = IOC.isPoint(spec);
    const isAdmin = spec.domain === "admin";
    const pane = isAdmin ? "admin" : isPoint ? "points" : "areas";
    const geo = L.geoJSON(null, {
      pane,
      style: (f) => ({
        color: isAdmin ? spec.style.color : (spec.style.by ? "#2d3748" : spec.style.color),
        weight: spec.style.weight, fillColor: colourFor(spec, f.properties),
        fillOpacity: isAdmin ? 0.02 : 0.55, opacity: isAdmin ? 0.9 : 0.7,
      }),
      pointToLayer: (f, latlng) => L.circleMarker(latlng, {
        pane, radius: spec.style.radius, color: "#fff", weight: 1.5,
        fillColor: colourFor(spec, f.properties), fillOpacity: 0.95,
      }),
      onEachFeature: (f, layer) => layer.bindPopup(() => popupHtml(spec, f), { maxWidth: 340 }),
    });
    if (spec.cluster) {
      const cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 45, disableClusteringAtZoom: 14 });
      return { container: cluster, geo, add: (fc) => { geo.addData(fc); cluster.addLayers(geo.getLayers().filter((l) => !cluster.hasLayer(l))); }, clear: () => { geo.clearLayers(); cluster.clearLayers(); } };
    }
    return { container: geo, geo, add: (fc) => geo.addData(fc), clear: () => geo.clearLayers() };
  }

  async function fetchAll(url, onPage, signal) {
    let next = url, total = 0;
    while (next && total < MAX_FEATURES) {
      const r = await IOC.fetchGeo(next, { signal });
      if (!r.ok) throw new Error(`${r.status} ${r.statusText}`);
      const fc = await r.json();
      total += fc.features.length;
      onPage(fc, total, fc.numberMatched);
      const link = (fc.links || []).find((l) => l.rel === "next");
      next = link && fc.features.length ? link.href : null;
    }
    return total;
  }

  function itemsUrl(spec, bbox) {
    let u = `${cfg.ogc}/collections/${encodeURIComponent(spec.id)}/items?f=json&limit=${PAGE}`;
    if (bbox) u += `&bbox=${bbox.toBBoxString()}`;
    return u;
  }

  function say(msg) { status.textContent = msg; status.hidden = !msg; }

  async function load(id) {
    const st = state[id];
    const spec = st.spec;
    if (st.handle.tm) {  // a time map: its own controls under the layer's name
      if (!st.loaded) { st.item.after(st.handle.tm.panel); st.loaded = true; }
      st.handle.tm.panel.hidden = false;
      return st.handle.tm.start(st.wanted);
    }
    if (st.handle.tiles) {  // drawn from vector tiles: Leaflet fetches what the view needs
      const hidden = map.getZoom() < spec.tile_min_zoom;
      st.item.classList.toggle("needs-zoom", hidden);
      st.item.title = hidden ? t.zoomIn : "";
      return;
    }
    if (spec.min_zoom && map.getZoom() < spec.min_zoom) {
      st.handle.clear();
      st.item.classList.add("needs-zoom");
      st.item.title = t.zoomIn;
      return;
    }
    st.item.classList.remove("needs-zoom");
    if (!spec.min_zoom && st.loaded) return;
    if (st.abort) st.abort.abort();
    st.abort = new AbortController();
    const bbox = spec.min_zoom ? map.getBounds() : null;
    say(`${t.loading}: ${IOC.title(spec, lang)}…`);
    try {
      st.handle.clear();
      await fetchAll(itemsUrl(spec, bbox), (fc, n, matched) => {
        st.handle.add(fc);
        st.count.textContent = matched > n ? `${n.toLocaleString()} / ${matched.toLocaleString()}` : n.toLocaleString();
      }, st.abort.signal);
      st.loaded = true;
      say("");
    } catch (e) {
      if (e.name !== "AbortError") { say(`${t.loadFailed} ${IOC.title(spec, lang)}: ${e.message}`); }
    }
  }

  function setOn(id, on) {
    const st = state[id];
    st.on = on;
    st.checkbox.checked = on;
    if (on) { map.addLayer(st.handle.container); return load(id).then(renderLegend); }
    map.removeLayer(st.handle.container);
    if (st.abort) st.abort.abort();
    if (st.handle.tm) { st.handle.tm.stop(); st.handle.tm.panel.hidden = true; }
    renderLegend();
  }

  function renderLegend() {
    const el = document.getElementById("legend");
    el.innerHTML = "";
    Object.values(state).filter((s) => s.on).forEach((s) => {
      const spec = s.spec;
      const box = document.createElement("div");
      box.className = "legend-layer";
      if (s.handle.tm) { box.innerHTML = s.handle.tm.legendHtml(); el.appendChild(box); return; }
      const isPoint = IOC.isPoint(spec);
      const swatch = (c) => `<span class="sw ${isPoint ? "dot" : "area"}" style="background:${c};${spec.domain === "admin" ? `background:transparent;border-color:${c}` : ""}"></span>`;
      let html = `<div class="legend-title">${IOC.esc(IOC.title(spec, lang))}</div>`;
      const by = spec.style.by && spec.fields.find((f) => f.name === spec.style.by);
      if (by) {
        html += Object.entries(spec.style.palette).map(([v, c]) => `<div class="legend-row">${swatch(c)}${IOC.esc(by.choices[v] || v)}</div>`).join("");
      } else {
        html += `<div class="legend-row">${swatch(spec.style.color)}${IOC.esc(IOC.title(spec, lang))}</div>`;
      }
      box.innerHTML = html;
      el.appendChild(box);
    });
    Object.values(rasterState).filter((s) => s.on && s.legend).forEach((s) => {
      const lg = s.legend, box = document.createElement("div");
      box.className = "legend-layer";
      let html = `<div class="legend-title">${IOC.esc(lg.title)}${lg.unit ? ` (${IOC.esc(lg.unit)})` : ""}</div>`;
      if (lg.kind === "categorical") html += lg.classes.map((c) => `<div class="legend-row"><span class="sw area" style="background:${c.color}"></span>${IOC.esc(c.name)}</div>`).join("");
      else html += `<div class="legend-ramp" style="background:linear-gradient(to right, ${lg.stops.map((x) => x.color).join(",")})"></div><div class="legend-row ramp-labels"><span>${lg.min}</span><span>${lg.max}</span></div>`;
      box.innerHTML = html;
      el.appendChild(box);
    });
  }

  function buildList() {
    const list = document.getElementById("layer-list");
    cfg.groups.forEach((g) => {
      const fs = document.createElement("fieldset");
      fs.innerHTML = `<legend>${IOC.esc(g.title)}</legend>`;
      g.layers.forEach((id) => {
        const spec = byId[id];
        const label = document.createElement("label");
        label.className = "layer-item";
        label.dataset.layer = id;
        label.innerHTML = `<input type="checkbox" value="${IOC.esc(id)}"> <span class="name">${IOC.esc(IOC.title(spec, lang))}</span> <span class="count"></span>`;
        const cb = label.querySelector("input");
        state[id] = { spec, on: false, loaded: false, item: label, checkbox: cb, count: label.querySelector(".count"), handle: makeLayer(spec) };
        cb.addEventListener("change", () => setOn(id, cb.checked));
        fs.appendChild(label);
      });
      list.appendChild(fs);
    });
  }

  buildList();

  // the legend sits on the map (bottom right), where the eye is
  const legendControl = L.control({ position: "bottomright" });
  legendControl.onAdd = () => {  // folded on a phone, where it would cover the map
    const box = L.DomUtil.create("details", "legend-control");
    box.open = window.innerWidth > 700;
    box.innerHTML = `<summary>${IOC.esc(t.legend)}</summary>`;
    box.appendChild(document.getElementById("legend"));
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    return box;
  };
  legendControl.addTo(map);

  // Rasters: tiles from /rasters (rio-tiler), opacity, legend, and the value under a click
  map.createPane("rasters").style.zIndex = 300;
  if (cfg.rasters.length) {
    const fs = document.createElement("fieldset");
    fs.innerHTML = `<legend>${lang === "en" ? "Rasters" : "Ảnh raster"}</legend>`;
    cfg.rasters.forEach((r) => {
      const label = document.createElement("label");
      label.className = "layer-item raster-item";
      label.dataset.raster = r.id;
      label.innerHTML = `<input type="checkbox"> <span class="name">${IOC.esc(IOC.title(r, lang))}</span>
        <input type="range" class="opacity" min="0" max="100" value="70" aria-label="opacity" title="opacity">`;
      const layer = L.tileLayer(`/rasters/${r.id}/tiles/{z}/{x}/{y}.png`, { pane: "rasters", opacity: 0.7, maxNativeZoom: 16, maxZoom: 19 });
      const st = rasterState[r.id] = { spec: r, layer, on: false, legend: null };
      label.querySelector("input[type=checkbox]").addEventListener("change", async (e) => {
        st.on = e.target.checked;
        if (st.on) {
          map.addLayer(layer);
          if (!st.legend) st.legend = await (await IOC.fetch(`/rasters/${r.id}/legend`)).json();
        } else map.removeLayer(layer);
        renderLegend();
      });
      label.querySelector(".opacity").addEventListener("input", (e) => layer.setOpacity(e.target.value / 100));
      fs.appendChild(label);
    });
    document.getElementById("layer-list").appendChild(fs);
  }
  map.on("click", async (e) => {
    const on = Object.values(rasterState).filter((s) => s.on);
    if (!on.length) return;
    const rows = await Promise.all(on.map(async (s) => {
      const v = await (await IOC.fetch(`/rasters/${s.spec.id}/point?lon=${e.latlng.lng}&lat=${e.latlng.lat}`)).json();
      const val = v.value === null ? "–" : v.class ? (v.class[lang] || v.class.vi) : `${IOC.number(+v.value, lang, 3)} ${v.unit}`;
      return `<tr><th>${IOC.esc(IOC.title(s.spec, lang))}</th><td>${IOC.esc(val)}</td></tr>`;
    }));
    L.popup().setLatLng(e.latlng).setContent(`<div class="popup raster-values"><table>${rows.join("")}</table></div>`).openOn(map);
  });

  // Export with the map's filters (current view); big exports run in the background
  const exSel = document.getElementById("export-layer");
  IOC.fillLayerSelect(exSel, cfg.layers, lang);
  document.getElementById("export-go").addEventListener("click", async () => {
    const st = document.getElementById("export-status");
    let url = `/export/${exSel.value}?format=${document.getElementById("export-format").value}`;
    if (document.getElementById("export-view").checked) url += `&bbox=${map.getBounds().toBBoxString()}`;
    st.textContent = `${t.exporting}…`;
    const r = await IOC.fetch(url);
    if (r.status === 200) {  // small export: the file is already here
      const name = (r.headers.get("Content-Disposition") || "").match(/filename="?([^";]+)/);
      const a = document.createElement("a");
      a.href = URL.createObjectURL(await r.blob());
      a.download = name ? name[1] : exSel.value;
      a.click();
      st.textContent = "";
      return;
    }
    const body = await r.json();
    if (r.status !== 202) { st.textContent = body.description; return; }
    const poll = async () => {
      const j = await (await IOC.fetch(body.status_url)).json();
      if (j.status === "running") { st.textContent = `${t.exporting}: ${j.done.toLocaleString()} / ${j.total.toLocaleString()}`; setTimeout(poll, 1000); }
      else if (j.status === "done") { st.innerHTML = `<a href="${j.download}">${IOC.esc(t.ready)}</a>`; }
      else { st.textContent = j.error; }
    };
    poll();
  });
  map.on("moveend", () => {
    Object.values(state).filter((s) => s.on && s.spec.min_zoom).forEach((s) => load(s.spec.id));
  });
  // a shareable state: ?layer=<id>[&feature=<fid>] (search results, "show on map" links),
  // ?unit=<code> (zoom to a unit), and a time map's ?indicator=&level=&measure=&period=
  async function focusFeature(id, fid) {
    const st = state[id];
    const r = await IOC.fetchGeo(`${cfg.ogc}/collections/${encodeURIComponent(id)}/items/${encodeURIComponent(fid)}?f=json`);
    if (!r.ok) { say(`${t.notFound}: ${IOC.title(st.spec, lang)} #${fid}`); return; }
    const f = await r.json();
    const shape = L.geoJSON(f);
    const b = shape.getBounds();
    if (IOC.isPoint(st.spec)) map.setView(b.getCenter(), Math.max(map.getZoom(), 15)); else map.fitBounds(b, { maxZoom: 16 });
    const highlight = L.geoJSON(f, { pane: "points", interactive: false, style: { color: "#d53f8c", weight: 4, fill: false },
      pointToLayer: (x, ll) => L.circleMarker(ll, { pane: "points", radius: 14, color: "#d53f8c", weight: 4, fill: false }) }).addTo(map);
    L.popup({ maxWidth: 340 }).setLatLng(IOC.isPoint(st.spec) ? b.getCenter() : b.getCenter()).setContent(popupHtml(st.spec, f)).openOn(map);
    map.once("popupclose", () => map.removeLayer(highlight));
  }

  async function focusUnit(code) {
    if (code === IOC.PROVINCE.code) { map.fitBounds(IOC.PROVINCE_BOUNDS); return; }
    let fc = null;
    for (const id of ["admin-districts", "admin-communes"]) {
      fc = await IOC.getGeo(`${cfg.ogc}/collections/${id}/items?f=json&code=${encodeURIComponent(code)}&limit=1`);
      if (fc && fc.features.length) break;
    }
    if (!fc || !fc.features.length) { say(`${t.notFound}: ${code}`); return; }
    const outline = L.geoJSON(fc, { pane: "admin", interactive: false, style: { color: "#d53f8c", weight: 4, fill: false } }).addTo(map);
    map.fitBounds(outline.getBounds());
  }

  const params = new URLSearchParams(location.search);
  const wantedLayer = params.get("layer");
  const on = new Set(DEFAULT_ON.filter((id) => state[id]));
  if (wantedLayer && state[wantedLayer]) {
    state[wantedLayer].wanted = { dim: params.get("indicator"), level: params.get("level"), measure: params.get("measure"), period: params.get("period") };
    if (!params.get("feature")) on.add(wantedLayer);
  }
  on.forEach((id) => setOn(id, true));
  if (wantedLayer && state[wantedLayer] && params.get("feature")) focusFeature(wantedLayer, params.get("feature"));
  else if (wantedLayer && !state[wantedLayer]) say(`${t.notFound}: ${wantedLayer}`);
  if (params.get("unit")) focusUnit(params.get("unit"));
  window.iocPortal = { map, state, setOn };
})();
