/* Field editor: phone-first editing through the same /ogc API (OGC API - Features Part 4).
   Edits made while offline wait in a queue (localStorage) and are sent when the connection
   returns; each create carries an Idempotency-Key so a resend never makes a duplicate. */
(function () {
  "use strict";
  const cfg = IOC.data("field-config");
  const t = IOC.data("i18n");
  const QUEUE_KEY = "ioc-field-queue";
  const $ = (id) => document.getElementById(id);
  const byId = Object.fromEntries(cfg.layers.map((l) => [l.id, l]));
  let layer = null, marker = null, editing = null; // editing: {id, etag} or null for a new feature
  let shape = null; // a polygon or line being reshaped (Leaflet.draw's vertex editing)
  let drawer = null; // Leaflet.draw handler while drawing a new shape
  const features = L.layerGroup();

  const map = L.map("map", { zoomControl: true }).fitBounds(IOC.PROVINCE_BOUNDS);
  features.addTo(map);
  // the base map: configured tile servers, or the province's own communes and roads (offline)
  IOC.addBaseMap(map);

  function toast(msg) { $("toast").textContent = msg; clearTimeout(toast.timer); toast.timer = setTimeout(() => ($("toast").textContent = ""), 4000); }
  function uuid() { return (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(16).slice(2)); }

  // ------------------------------------------------------------------ layers and features
  IOC.fillLayerSelect($("layer"), cfg.layers, cfg.lang);
  $("layer").addEventListener("change", () => selectLayer($("layer").value));

  async function loadFeatures() {
    features.clearLayers();
    if (!layer || (layer.min_zoom && map.getZoom() < layer.min_zoom)) return;
    const url = `${cfg.ogc}/collections/${layer.id}/items?f=json&limit=2000&bbox=${map.getBounds().toBBoxString()}`;
    try {
      const r = await IOC.fetchGeo(url);
      if (!r.ok) return;
      const fc = await r.json();
      L.geoJSON(fc, {
        pointToLayer: (f, ll) => L.circleMarker(ll, { radius: 9, color: "#fff", weight: 2, fillColor: layer.style.color, fillOpacity: 0.9 }),
        style: () => ({ color: layer.style.color, weight: 1, fillOpacity: 0.3 }),
        // a click on the feature being edited (the end of a vertex drag lands on it too) must not
        // reload it from the server and throw the reshaping away
        onEachFeature: (f, lyr) => lyr.on("click", (e) => {
          L.DomEvent.stopPropagation(e);
          if (!(editing && editing.id === f.id)) openExisting(f.id);
        }),
      }).eachLayer((l) => features.addLayer(l));
    } catch (e) { /* offline: keep what we have */ }
  }

  function selectLayer(id) {
    layer = byId[id];
    closeForm();
    $("add").hidden = false;
    loadFeatures();
  }
  map.on("moveend", loadFeatures);
  map.on("click", (e) => { if (!$("form").hidden && marker) marker.setLatLng(e.latlng); });

  // ------------------------------------------------------------------ the form
  function inputFor(f, value) {
    const req = f.required ? " required" : "";
    const unit = f.unit ? ` <span class="unit">(${IOC.esc(f.unit)})</span>` : "";
    const lab = `${IOC.esc(IOC.cap(f.title))}${f.required ? " *" : ""}${unit}`;
    const v = value === undefined || value === null ? "" : value;
    if (f.choices.length) {
      const opts = [`<option value="">–</option>`].concat(f.choices.map(([k, lbl]) => `<option value="${IOC.esc(k)}"${String(v) === k ? " selected" : ""}>${IOC.esc(lbl)}</option>`));
      return `<label>${lab}<select name="${f.name}"${req}>${opts.join("")}</select></label>`;
    }
    if (f.type === "boolean") return `<label><input type="checkbox" name="${f.name}"${v === true || v === "" && f.name === "public" ? " checked" : ""}> ${lab}</label>`;
    if (f.type === "integer" || f.type === "number") {
      const lim = `${f.min !== null ? ` min="${f.min}"` : ""}${f.max !== null ? ` max="${f.max}"` : ""}`;
      return `<label>${lab}<input type="number" inputmode="decimal" name="${f.name}" step="${f.type === "integer" ? 1 : "any"}"${lim} value="${IOC.esc(v)}"${req}></label>`;
    }
    if (f.format === "date") return `<label>${lab}<input type="date" name="${f.name}" value="${IOC.esc(String(v).slice(0, 10))}"${req}></label>`;
    if (f.format === "date-time") {
      const local = v ? new Date(new Date(v).getTime() - new Date().getTimezoneOffset() * 60000).toISOString().slice(0, 16) : "";
      return `<label>${lab}<input type="datetime-local" name="${f.name}" value="${local}"${req}></label>`;
    }
    return `<label>${lab}<input type="text" name="${f.name}" value="${IOC.esc(v)}"${f.max_length ? ` maxlength="${f.max_length}"` : ""}${req}></label>`;
  }

  function openForm(props, latlng) {
    $("form").hidden = false;
    map.invalidateSize({ pan: false });  // the form takes the lower part of the screen: the map is smaller now
    $("form-title").textContent = `${editing ? t.editFeature + " #" + editing.id : t.newFeature} · ${IOC.title(layer, cfg.lang)}`;
    $("fields").innerHTML = layer.form.map((f) => inputFor(f, props[f.name])).join("");
    $("errors").textContent = "";
    $("photo").value = "";
    clearGeometry();
    if (latlng && IOC.isPoint(layer)) {
      marker = L.marker(latlng, { draggable: true, autoPan: true }).addTo(map);
      map.panTo(latlng);
    }
  }

  function clearGeometry() {
    if (marker) { map.removeLayer(marker); marker = null; }
    if (shape) { shape.editing.disable(); map.removeLayer(shape); shape = null; }
    if (drawer) { drawer.disable(); drawer = null; }
  }

  function editShape(geometry) {  // reshape an existing polygon or line by its vertices
    const g = geometry.type.startsWith("Multi") && geometry.coordinates.length === 1
      ? { type: geometry.type.slice(5), coordinates: geometry.coordinates[0] } : geometry;
    shape = L.geoJSON(g, { style: { color: "#d69e2e", weight: 3 } }).getLayers()[0];
    shape.addTo(map);
    shape.editing.enable();
    map.fitBounds(shape.getBounds(), { maxZoom: 18, padding: [20, 20] });
  }

  function drawShape() {  // a new polygon or line: tap its vertices, tap the first to finish
    const Handler = layer.geometry_type.includes("Polygon") ? L.Draw.Polygon : L.Draw.Polyline;
    drawer = new Handler(map, { shapeOptions: { color: "#d69e2e" } });
    drawer.enable();
  }
  map.on(L.Draw.Event.CREATED, (e) => { drawer = null; shape = e.layer.addTo(map); shape.editing.enable(); });

  function geometryFromMap() {
    if (marker) { const ll = marker.getLatLng(); return { type: "Point", coordinates: [+ll.lng.toFixed(7), +ll.lat.toFixed(7)] }; }
    if (shape) return shape.toGeoJSON().geometry;
    return null;
  }

  function closeForm() {
    $("form").hidden = true; $("history-box").hidden = true; editing = null;
    map.invalidateSize({ pan: false });
    clearGeometry();
  }
  $("cancel").addEventListener("click", closeForm);

  $("add").addEventListener("click", () => {
    editing = null;
    openForm({}, map.getCenter());
    if (!IOC.isPoint(layer)) drawShape();
    toast(t.tapMap);
  });
  $("gps").addEventListener("click", () => {
    if (!navigator.geolocation) return toast(t.noGps);
    navigator.geolocation.getCurrentPosition(
      (p) => { const ll = L.latLng(p.coords.latitude, p.coords.longitude); map.setView(ll, 17); if (marker) marker.setLatLng(ll); },
      () => toast(t.noGps), { enableHighAccuracy: true, timeout: 10000 });
  });

  async function openExisting(id) {
    const r = await IOC.fetchGeo(`${cfg.ogc}/collections/${layer.id}/items/${id}?f=json`);
    if (!r.ok) return;
    const f = await r.json();
    editing = { id: f.id, etag: r.headers.get("ETag") };
    const g = f.geometry;
    const ll = g && g.type === "Point" ? L.latLng(g.coordinates[1], g.coordinates[0]) : null;
    openForm(f.properties, ll);
    if (g && !ll) editShape(g);
    showHistory(f.id);
  }

  function readForm() {
    const props = {};
    layer.form.forEach((f) => {
      const el = $("form").elements[f.name];
      if (!el) return;
      let v;
      if (f.type === "boolean") v = el.checked;
      else if (el.value === "") v = null;
      else if (f.type === "integer") v = parseInt(el.value, 10);
      else if (f.type === "number") v = parseFloat(el.value);
      else if (f.format === "date-time") v = new Date(el.value).toISOString();
      else v = el.value;
      if (v !== null || editing) props[f.name] = v;
    });
    return props;
  }

  // ------------------------------------------------------------------ sending, queueing
  function queue() { try { return JSON.parse(localStorage.getItem(QUEUE_KEY) || "[]"); } catch (e) { return []; } }
  function setQueue(q) { localStorage.setItem(QUEUE_KEY, JSON.stringify(q)); $("queue").textContent = q.length ? `${q.length} ${t.pending}` : ""; }

  function fileToDataUrl(file) { return new Promise((ok, no) => { const r = new FileReader(); r.onload = () => ok(r.result); r.onerror = no; r.readAsDataURL(file); }); }

  async function send(op) {
    const headers = { "Content-Type": "application/geo+json", "X-CSRFToken": IOC.csrf() };
    if (op.idempotencyKey) headers["Idempotency-Key"] = op.idempotencyKey;
    if (op.ifMatch) headers["If-Match"] = op.ifMatch;
    const r = await IOC.fetchGeo(op.url, { method: op.method, headers, body: JSON.stringify(op.body) });
    const body = r.status === 204 ? null : await r.json().catch(() => null);
    if (r.ok && body && op.photos.length) {
      const fd = new FormData();
      for (const [i, d] of op.photos.entries()) { const blob = await (await fetch(d)).blob(); fd.append("photo", blob, `photo-${i + 1}.jpg`); }
      await IOC.fetch(`/api/layers/${op.layer}/items/${body.id}/photos`, { method: "POST", body: fd, headers: { "X-CSRFToken": IOC.csrf() } });
    }
    return { status: r.status, body, etag: r.headers.get("ETag") };
  }

  let flushing = null;
  function flush() {  // one flush at a time: "online" and a manual flush may coincide
    if (!flushing) flushing = flushQueue().finally(() => { flushing = null; });
    return flushing;
  }

  async function flushQueue() {
    let q = queue();
    while (q.length) {
      let res;
      try { res = await send(q[0]); } catch (e) { break; } // still offline
      q = queue(); q.shift(); setQueue(q);
      if (res.status >= 400) toast(res.body && res.body.description || `HTTP ${res.status}`);
    }
    setQueue(queue());
    loadFeatures();
  }

  $("form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const props = readForm();
    const op = { layer: layer.id, photos: [], body: { type: "Feature", properties: props } };
    const geometry = geometryFromMap();
    if (geometry) op.body.geometry = geometry;
    if (editing) {
      op.url = `${cfg.ogc}/collections/${layer.id}/items/${editing.id}`;
      op.method = geometry ? "PUT" : "PATCH"; op.ifMatch = editing.etag;
      if (op.method === "PATCH") delete op.body.type;
    } else {
      op.url = `${cfg.ogc}/collections/${layer.id}/items`; op.method = "POST"; op.idempotencyKey = uuid();
    }
    for (const f of $("photo").files) op.photos.push(await fileToDataUrl(f));
    let res;
    try { res = await send(op); } catch (err) {
      setQueue(queue().concat([op])); toast(t.queued); closeForm(); return;
    }
    if (res.status === 412) { toast(t.conflict); openExisting(editing.id); return; }
    if (res.status >= 400) {
      const errs = (res.body && res.body.errors) || {};
      $("errors").innerHTML = Object.keys(errs).length ? Object.entries(errs).map(([k, v]) => `${IOC.esc(k)}: ${IOC.esc(v)}`).join("<br>") : IOC.esc(res.body && res.body.description || `HTTP ${res.status}`);
      return;
    }
    toast(t.saved);
    editing = { id: res.body.id, etag: res.etag };
    $("form-title").textContent = `${t.editFeature} #${res.body.id} · ${IOC.title(layer, cfg.lang)}`;
    $("photo").value = "";
    showHistory(res.body.id);
    loadFeatures();
  });

  async function showHistory(id) {
    const r = await IOC.fetch(`/api/layers/${layer.id}/items/${id}/history`);
    if (!r.ok) { $("history-box").hidden = true; return; }
    const h = await r.json();
    $("history").innerHTML = h.events.slice().reverse().map((e) => {
      const ch = IOC.changesHtml(e.changes, ", ", layer, cfg.lang);
      return `<li><b>${IOC.esc(e.action_label || e.action)}</b> ${IOC.esc(IOC.dateTime(e.at, cfg.lang))} ${t.by} ${IOC.esc(e.by_label || e.by)}${ch ? "<br>" + ch : ""}</li>`;
    }).join("");
    $("history-box").hidden = false;
    $("history-box").open = true;
  }

  function net() { $("net").classList.toggle("off", !navigator.onLine); $("net").title = navigator.onLine ? t.online : t.offline; }
  window.addEventListener("online", () => { net(); flush(); });
  window.addEventListener("offline", net);
  net();
  setQueue(queue());
  if (cfg.layers.length) selectLayer(cfg.layers[0].id);
  flush();
  window.iocField = { map, flush, queue, openExisting, geometry: () => geometryFromMap() };
})();
