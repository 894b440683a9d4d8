/* IOC GIS: helpers shared by portal.js, field.js, domain.js and alerts.js.
   A plain script (no bundler, no modules): load it before them; it defines window.IOC. */
(function () {
  "use strict";
  const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

  // the province (name, bounds, centre, zoom) from the page's #province data block (server settings)
  const PROVINCE = JSON.parse(document.getElementById("province").textContent);

  const IOC = {
    PROVINCE,
    // the province's extent: the first view of every map
    PROVINCE_BOUNDS: PROVINCE.bounds,
    // how far a map may be panned: the province and about half a degree around it
    panBounds(margin = 0.5) {
      const [[s, w], [n, e]] = PROVINCE.bounds;
      return [[s - margin, w - margin], [n + margin, e + margin]];
    },

    // text -> safe HTML
    esc(s) { return String(s).replace(/[&<>"']/g, (c) => ESCAPES[c]); },

    // a json_script / <script type="application/json"> data block
    data(id) { return JSON.parse(document.getElementById(id).textContent); },

    // a layer's (or raster's) title in the current language, Vietnamese otherwise
    title(spec, lang) { return spec.title[lang] || spec.title.vi; },

    cap(s) { return s.charAt(0).toUpperCase() + s.slice(1); },

    isPoint(spec) { return spec.geometry_type === "Point" || spec.geometry_type === "MultiPoint"; },

    locale(lang) { return lang === "en" ? "en-GB" : "vi-VN"; },
    number(v, lang, maxDigits) { return v.toLocaleString(IOC.locale(lang), { maximumFractionDigits: maxDigits }); },
    dateTime(v, lang) { return new Date(v).toLocaleString(IOC.locale(lang)); },

    // Django's CSRF token: the page's hidden <input id="csrf"> if there is one, else the csrftoken cookie
    csrf() {
      const input = document.getElementById("csrf");
      if (input && input.value) return input.value;
      const m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
      return m ? decodeURIComponent(m[1]) : "";
    },

    // fetch with the session cookie (same origin); opts as for fetch
    fetch(url, opts) { return window.fetch(url, Object.assign({ credentials: "same-origin" }, opts)); },

    // the same, asking for GeoJSON (OGC API - Features)
    fetchGeo(url, opts) {
      opts = opts || {};
      return IOC.fetch(url, Object.assign({}, opts, { headers: Object.assign({ Accept: "application/geo+json" }, opts.headers) }));
    },

    // GeoJSON body, or null when the answer is not 2xx
    getGeo(url, opts) { return IOC.fetchGeo(url, opts).then((r) => (r.ok ? r.json() : null)); },

    // a property's value as the page's language writes it: a code's label, a number grouped with
    // its unit (92,8 %; 217.931 học sinh), a date as dd/mm/yyyy (a month as mm/yyyy), yes or no
    value(v, field, lang) {
      if (v === null || v === undefined || v === "") return "–";
      if (field && field.choices && Object.prototype.hasOwnProperty.call(field.choices, v)) return field.choices[v];
      if (typeof v === "boolean") return v ? (lang === "en" ? "yes" : "có") : (lang === "en" ? "no" : "không");
      if (typeof v === "number") {
        const unit = field && field.unit ? (field.unit === "%" && lang === "en" ? "%" : ` ${field.unit}`) : "";
        return IOC.number(v, lang, 2) + unit;
      }
      const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?/.exec(String(v));
      if (m && field && (field.name === "month" || field.name === "period") && m[3] === "01") return `${m[2]}/${m[1]}`;
      if (m) return `${m[3]}/${m[2]}/${m[1]}` + (m[4] && `${m[4]}:${m[5]}` !== "00:00" ? ` ${m[4]}:${m[5]}` : "");
      return String(v);
    },

    // a history event's attribute changes (geometry left out), as HTML, with the layer's field
    // titles and values written as on the map
    changesHtml(changes, sep, spec, lang) {
      const field = (k) => spec && spec.fields.find((f) => f.name === k);
      const title = (k) => (field(k) ? field(k).title : k);
      return Object.entries(changes).filter(([k]) => k !== "geometry")
        .map(([k, v]) => `${IOC.esc(title(k))}: ${IOC.esc(IOC.value(v.before, field(k), lang))} → ${IOC.esc(IOC.value(v.after, field(k), lang))}`)
        .join(sep);
    },

    // one <option> per layer (value: id, text: title in the current language)
    fillLayerSelect(select, layers, lang) {
      layers.forEach((l) => { const o = document.createElement("option"); o.value = l.id; o.textContent = IOC.title(l, lang); select.appendChild(o); });
    },
  };

  window.IOC = IOC;

  // filter forms (district, period) apply as soon as a choice changes
  document.addEventListener("change", (e) => {
    if (e.target.matches("form[data-autosubmit] select")) e.target.form.submit();
  });
})();
