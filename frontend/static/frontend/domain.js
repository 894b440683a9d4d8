/* A domain view: its layers on a map (from /ogc) and its key measure over time (Chart.js, local). */
(function () {
  "use strict";
  const cfg = IOC.data("view-config");
  const map = L.map("domain-map").fitBounds(IOC.PROVINCE_BOUNDS);
  // the district and period filters apply to the map as to the chart and the table
  const districts = IOC.getGeo(`${cfg.ogc}/collections/admin-districts/items?f=json&limit=100&properties=name,code`).then((fc) => {
    const g = L.geoJSON(fc, { interactive: false, style: (f) => ({ color: "#4a5568", weight: f.properties.code === cfg.district ? 3 : 1, fill: false }) }).addTo(map);
    const sel = fc.features.find((f) => f.properties.code === cfg.district);
    if (sel) { const b = L.geoJSON(sel).getBounds(); map.fitBounds(b); return b.toBBoxString(); }
    return null;
  });
  districts.then((bbox) => cfg.layers.filter((l) => !l.min_zoom).forEach((l) => {
    let url = `${cfg.ogc}/collections/${l.id}/items?f=json&limit=2000`;
    if (bbox) url += `&bbox=${bbox}`;
    if (l.time_field) url += `&datetime=${cfg.since}/..&sortby=-${l.time_field}`;
    if (l.time_field && l.geometry_type.includes("Polygon")) url = url.replace("limit=2000", "limit=150"); // latest period
    IOC.getGeo(url)
      .then((fc) => {
        if (!fc) return;
        L.geoJSON(fc, {
          pointToLayer: (f, ll) => L.circleMarker(ll, { radius: 5, color: "#fff", weight: 1, fillColor: l.style.color, fillOpacity: 0.9 }),
          style: { color: l.style.color, weight: 1, fillColor: l.style.fill, fillOpacity: 0.15 },
        }).addTo(map);
      });
  }));
  const s = cfg.series;
  new Chart(document.getElementById("chart"), {
    type: s.points.length > 3 ? "line" : "bar",
    data: { labels: s.points.map((p) => p.period), datasets: [{ label: `${s.label} (${s.unit})`, data: s.points.map((p) => p.value), borderColor: "#2b6cb0", backgroundColor: "rgba(43,108,176,.25)", fill: true, tension: 0.2 }] },
    options: { animation: false, responsive: true, maintainAspectRatio: false, plugins: { legend: { display: true } } },
  });
})();
