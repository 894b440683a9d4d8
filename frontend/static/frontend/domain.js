/* A domain view, or a domain in one unit: its layers on a map (from /ogc) with popups, and its key
   measure over time (Chart.js, local): axis from zero, the month not over yet drawn dashed. */
(function () {
  "use strict";
  const cfg = IOC.data("view-config");
  const lang = cfg.lang;
  const L_ = cfg.labels;
  const map = L.map("domain-map").fitBounds(IOC.PROVINCE_BOUNDS);
  if (IOC.addBaseMap) IOC.addBaseMap(map);

  // ---------------------------------------------------------------- values as the page's language writes them
  const fmt = (v, field) => IOC.value(v, field, lang);

  function popupHtml(spec, f) {
    const p = f.properties || {};
    const head = (spec.title_field && p[spec.title_field] !== undefined) ? fmt(p[spec.title_field], spec.fields.find((x) => x.name === spec.title_field)) : IOC.title(spec, lang);
    const rows = spec.fields.filter((x) => x.name !== spec.title_field && p[x.name] !== undefined && !/(^|_)code$/.test(x.name))
      .slice(0, 9)
      .map((x) => `<tr><td>${IOC.esc(IOC.cap(x.title))}</td><td class="v">${IOC.esc(fmt(p[x.name], x))}</td></tr>`).join("");
    const link = `/?layer=${encodeURIComponent(spec.id)}&feature=${encodeURIComponent(f.id)}`;
    return `<div class="dash-popup"><h3>${IOC.esc(head)}</h3><div class="layer-name">${IOC.esc(IOC.title(spec, lang))}</div>` +
      `<table>${rows}</table><a class="more" href="${link}">${IOC.esc(L_.show_on_map)}</a></div>`;
  }

  // ---------------------------------------------------------------- the map: the unit (or district) and the layers
  const admin = cfg.unit && cfg.unit.level === "commune" ? "admin-communes" : "admin-districts";
  const focus = cfg.unit ? cfg.unit.code : cfg.district;
  const outline = IOC.getGeo(`${cfg.ogc}/collections/admin-districts/items?f=json&limit=100&properties=name,code`).then((fc) => {
    if (fc) L.geoJSON(fc, { interactive: false, style: (f) => ({ color: "#4a5568", weight: f.properties.code === focus ? 3 : 1, fill: false }) }).addTo(map);
    if (cfg.unit) {
      const [w, s, e, n] = cfg.unit.bbox;
      map.fitBounds([[s, w], [n, e]]);
      if (admin === "admin-communes") {
        IOC.getGeo(`${cfg.ogc}/collections/admin-communes/items?f=json&limit=1&code=${encodeURIComponent(focus)}`).then((c) => {
          if (c) L.geoJSON(c, { interactive: false, style: { color: "#1a202c", weight: 3, fill: false } }).addTo(map);
        });
      }
      return `${w},${s},${e},${n}`;
    }
    const sel = fc && fc.features.find((f) => f.properties.code === cfg.district);
    if (sel) { const b = L.geoJSON(sel).getBounds(); map.fitBounds(b); return b.toBBoxString(); }
    return null;
  });

  const PERIODIC = ["month", "week", "period", "year"]; // time fields of measures (not of events)

  const timeMaps = [];
  // each time map's legend beside its controls (over the small map it would hide the map)
  function showLegend() {
    timeMaps.forEach((tm) => {
      let box = tm.panel.querySelector(".tm-legend");
      if (!box) box = tm.panel.appendChild(Object.assign(document.createElement("div"), { className: "tm-legend" }));
      box.innerHTML = tm.legendHtml();
    });
  }

  function filtersOf(layer) {
    return cfg.filters.filter(([id]) => id === layer).map(([, k, v]) => `&${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("");
  }

  function draw(spec, fc) {
    if (!fc || !fc.features) return;
    L.geoJSON(fc, {
      pointToLayer: (f, ll) => L.circleMarker(ll, { radius: 6, color: "#fff", weight: 1, fillColor: spec.style.color, fillOpacity: 0.9 }),
      style: { color: spec.style.color, weight: 1, fillColor: spec.style.fill, fillOpacity: 0.2 },
      onEachFeature: (f, layer) => layer.bindPopup(() => popupHtml(spec, f), { maxWidth: 320 }),
    }).addTo(map);
  }

  outline.then((bbox) => cfg.layers.filter((l) => !l.min_zoom).forEach((l) => {
    let base = `${cfg.ogc}/collections/${l.id}/items?f=json${filtersOf(l.id)}`;
    if (bbox) base += `&bbox=${bbox}`;
    if (l.time_map && IOC.timeMap) {  // the portal's time map: indicator, level and period controls, classes, legend
      const wanted = cfg.filters.find(([id, k]) => id === l.id && k === l.time_map.dimension);
      const tm = IOC.timeMap(map, l, { lang: cfg.lang, query: bbox ? `&bbox=${bbox}` : "", onChange: showLegend });
      tm.layer.addTo(map);
      const box = document.getElementById("domain-map");
      (box.closest(".domain-grid") || box).before(tm.panel);
      timeMaps.push(tm);
      tm.start({ dim: wanted ? wanted[2] : null });
      return;
    }
    if (l.time_field && (l.geometry_type.includes("Polygon") || PERIODIC.includes(l.time_field))) {
      // a measure per unit or site and period: draw the latest period only (one feature per unit or site)
      IOC.getGeo(`${base}&limit=1&sortby=-${l.time_field}`).then((one) => {
        const f = one && one.features && one.features[0];
        if (!f) return;
        const t = String(f.properties[l.time_field]).slice(0, 10);
        IOC.getGeo(`${base}&limit=500&datetime=${t}`).then((fc) => draw(l, fc));
      });
      return;
    }
    let url = `${base}&limit=2000`;
    if (l.time_field) url += `&datetime=${cfg.since}/..&sortby=-${l.time_field}`;
    IOC.getGeo(url).then((fc) => draw(l, fc));
  }));

  // ---------------------------------------------------------------- the chart
  const s = cfg.series;
  const canvas = document.getElementById("chart");
  if (!s.points.length) {
    canvas.replaceWith(Object.assign(document.createElement("p"), { className: "no-data", textContent: L_.no_data }));
    return;
  }
  // the month not over yet is not part of the line (it would read as a collapse): a hollow point apart
  const partial = s.points.map((p) => p.partial);
  const datasets = [{
    label: `${s.label} (${s.unit})`, data: s.points.map((p) => (p.partial ? null : p.value)),
    borderColor: "#2b6cb0", backgroundColor: "rgba(43,108,176,.15)", fill: true, tension: 0.2,
    pointRadius: s.points.length > 1 ? 2 : 5, spanGaps: false,
  }];
  if (partial.some(Boolean)) {
    datasets.push({
      label: `${s.label} (${s.unit}), ${L_.partial}`, data: s.points.map((p) => (p.partial ? p.value : null)),
      borderColor: "#a0aec0", backgroundColor: "#fff", showLine: false, pointRadius: 6, pointBorderWidth: 2,
      pointStyle: "rectRot",
    });
  }
  new Chart(canvas, {
    type: "line",
    data: { labels: s.points.map((p) => p.label + (p.partial ? ` (${L_.partial})` : "")), datasets },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false, locale: IOC.locale(lang),
      scales: { y: { beginAtZero: true, ticks: { callback: (v) => IOC.number(v, lang, 1) } } },
      plugins: {
        legend: { display: true },
        tooltip: { callbacks: { label: (c) => `${IOC.number(c.parsed.y, lang, 1)} ${s.unit}` } },
      },
    },
  });
})();
