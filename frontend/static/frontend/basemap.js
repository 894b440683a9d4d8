/* IOC GIS: the base map under every map (portal, domain views, wall, field editor).
   With tile servers configured (IOC_BASEMAPS: XYZ or WMTS templates with attribution), they are
   offered first; the offline default is drawn from the province's own public layers on /ogc
   (communes, district lines, roads), so a map is never an empty grey screen, even with no
   internet. Load after common.js; call IOC.addBaseMap(map). */
(function () {
  "use strict";
  const lang = document.documentElement.lang === "en" ? "en" : "vi";
  const TEXT = {
    vi: { offline: "Nền tỉnh (dữ liệu của tỉnh, không cần Internet)", attribution: "Ranh giới, đường: dữ liệu của tỉnh" },
    en: { offline: "Province base (the province's own data, offline)", attribution: "Boundaries, roads: the province's data" },
  }[lang];
  const LAND = "#f3f0e7", COMMUNE_LINE = "#d6ccb4", DISTRICT_LINE = "#a89c80", ROAD_CASING = "#b9ad95", ROAD = "#ffffff";
  let cache = null;  // one fetch of the province's base data per page

  function baseData() {
    if (!cache) {
      const get = (id, props) => IOC.getGeo(`/ogc/collections/${id}/items?f=json&limit=2000&properties=${props}`).catch(() => null);
      cache = Promise.all([get("admin-communes", "name"), get("admin-districts", "name"), get("road-accident-density", "road")]);
    }
    return cache;
  }

  function offlineBase(map) {
    if (!map.getPane("basemap")) map.createPane("basemap").style.zIndex = 150;
    const group = L.layerGroup([], { attribution: TEXT.attribution });
    const labels = L.layerGroup();
    baseData().then(([communes, districts, roads]) => {
      const opts = { pane: "basemap", interactive: false };
      if (communes) {
        group.addLayer(L.geoJSON(communes, Object.assign({ style: { color: COMMUNE_LINE, weight: 0.8, fillColor: LAND, fillOpacity: 1 } }, opts)));
        communes.features.forEach((f) => {  // commune names from street zoom (where they help find one's way)
          const c = L.geoJSON(f).getBounds().getCenter();
          labels.addLayer(L.marker(c, { pane: "basemap", interactive: false, keyboard: false,
            icon: L.divIcon({ className: "base-label", html: IOC.esc(f.properties.name || ""), iconSize: null }) }));
        });
      }
      if (districts) group.addLayer(L.geoJSON(districts, Object.assign({ style: { color: DISTRICT_LINE, weight: 1.6, dashArray: "6 4", fill: false } }, opts)));
      if (roads) {
        group.addLayer(L.geoJSON(roads, Object.assign({ style: { color: ROAD_CASING, weight: 5, opacity: 1 } }, opts)));
        group.addLayer(L.geoJSON(roads, Object.assign({ style: { color: ROAD, weight: 3, opacity: 1 } }, opts)));
      }
      const showLabels = () => { if (map.hasLayer(group) && map.getZoom() >= 11) group.addLayer(labels); else group.removeLayer(labels); };
      map.on("zoomend", showLabels);
      showLabels();
    });
    return group;
  }

  IOC.addBaseMap = function (map, opts) {
    opts = opts || {};
    map.getContainer().classList.add("ioc-basemap");
    const bases = {};
    (IOC.PROVINCE.basemaps || []).forEach((b) => {
      bases[b.name] = L.tileLayer(b.url, { attribution: IOC.esc(b.attribution), maxNativeZoom: b.max_zoom, maxZoom: 20, pane: "tilePane" });
    });
    bases[TEXT.offline] = offlineBase(map);
    const names = Object.keys(bases);
    bases[names[0]].addTo(map);
    if (names.length > 1 && opts.control !== false) L.control.layers(bases, null, { position: "topright", collapsed: true }).addTo(map);
    return bases;
  };
})();
