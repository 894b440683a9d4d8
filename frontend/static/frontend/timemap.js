/* IOC GIS: a time map. A time-enabled layer (its registry entry has a time_map) is drawn one
   indicator, one level and one period at a time: pickers, a period slider with play/pause that
   starts at the latest complete period, a classified map (the indicator's own warning/critical
   thresholds as red/amber/green, or quantiles), a legend of classes with units, and popups with
   value, unit, period, change and rank. Each request to /ogc carries only the chosen indicator,
   level and period. Load after common.js: IOC.timeMap(map, spec, {lang, pane}). */
(function () {
  "use strict";
  const TEXT = {
    vi: {
      indicator: "Chỉ tiêu", measure: "Số liệu", level: "Cấp", period: "Kỳ", play: "Chạy", pause: "Dừng",
      partial: "chưa trọn kỳ", week: "tuần", month: "tháng", year: "năm", change: "So với kỳ trước", rank: "Xếp hạng",
      noData: "Không có số liệu cho kỳ này", good: "Đạt", warn: "Cần chú ý", bad: "Không đạt",
      quantile: "nhóm theo phân vị", thresholds: "theo ngưỡng của chỉ tiêu", loadFailed: "Không tải được số liệu",
      units: "đơn vị",
    },
    en: {
      indicator: "Indicator", measure: "Measure", level: "Level", period: "Period", play: "Play", pause: "Pause",
      partial: "partial period", week: "week of", month: "month", year: "year", change: "Change on previous period", rank: "Rank",
      noData: "No data for this period", good: "On target", warn: "Watch", bad: "Off target",
      quantile: "quantile classes", thresholds: "by the indicator's thresholds", loadFailed: "Could not load the data",
      units: "units",
    },
  };
  const RAG = { good: "#38a169", warn: "#dd6b20", bad: "#c53030" };
  const RAMP = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"];  // ColorBrewer Blues, 5 classes
  const PLAY_MS = 1500;

  function periodLabel(iso, period, lang) {
    const [y, m, d] = iso.split("-");
    const T = TEXT[lang];
    if (period === "year") return `${T.year} ${y}`;
    if (period === "week") return `${T.week} ${d}/${m}/${y}`;
    return `${T.month} ${m}/${y}`;
  }

  function quantileBreaks(values, n) {
    const v = values.slice().sort((a, b) => a - b);
    const out = [];
    for (let i = 1; i < n; i++) out.push(v[Math.min(v.length - 1, Math.floor((i * v.length) / n))]);
    return [...new Set(out)].filter((b) => b > v[0] && b < v[v.length - 1]);  // no empty classes
  }

  IOC.timeMap = function (map, spec, opts) {
    const lang = opts.lang || "vi";
    const T = TEXT[lang];
    const tm = spec.time_map;
    const isPoint = IOC.isPoint(spec);
    const key = spec.fields.some((f) => f.name === "unit_code") ? "unit_code" : spec.title_field;
    const group = L.layerGroup();
    const panel = document.createElement("div");
    panel.className = "timemap";
    const cache = new Map();
    const st = { dims: null, dim: null, measure: tm.measures[0].name, level: null, idx: 0, timer: null, abort: null, classes: null, shown: null };

    const fmt = (v, digits) => (v === null || v === undefined ? "–" : IOC.number(+v, lang, digits === undefined ? 1 : digits));
    const measureOf = () => tm.measures.find((m) => m.name === st.measure);
    const unitOf = () => (st.dim && st.dim.unit && st.measure === tm.measures[0].name ? st.dim.unit : measureOf().unit);
    const periods = () => (st.dim ? st.dim.periods : []);
    const current = () => periods()[st.idx];

    function url(period, skipGeometry) {
      const props = [...new Set([key, spec.title_field, ...tm.measures.map((m) => m.name)].filter(Boolean))];
      let u = `/ogc/collections/${encodeURIComponent(spec.id)}/items?f=json&limit=2000&datetime=${period}&properties=${props.join(",")}`;
      if (tm.dimension && st.dim.code !== null) u += `&${tm.dimension}=${encodeURIComponent(st.dim.code)}`;
      if (tm.level && st.level) u += `&${tm.level}=${encodeURIComponent(st.level)}`;
      if (skipGeometry) u += "&skipGeometry=true";
      return u + (opts.query || "");  // e.g. a district's bbox on a domain view
    }

    async function fetchPeriod(period, skipGeometry) {
      const k = `${st.dim.code}|${st.level}|${period}|${skipGeometry ? 1 : 0}`;
      if (!cache.has(k)) {
        cache.set(k, IOC.getGeo(url(period, skipGeometry), { signal: st.abort.signal }).then((fc) => {
          if (!fc) { cache.delete(k); throw new Error(T.loadFailed); }
          return fc;
        }, (e) => { cache.delete(k); throw e; }));
      }
      return cache.get(k);
    }

    function classify(values) {
      const d = st.dim;
      if (d && d.warning !== null && d.critical !== null && st.measure === tm.measures[0].name) {
        const hib = d.higher_is_better;
        const state = (v) => (hib ? (v <= d.critical ? "bad" : v <= d.warning ? "warn" : "good") : (v >= d.critical ? "bad" : v >= d.warning ? "warn" : "good"));
        const rows = hib
          ? [["good", `> ${fmt(d.warning)}`], ["warn", `${fmt(d.critical)} – ${fmt(d.warning)}`], ["bad", `≤ ${fmt(d.critical)}`]]
          : [["good", `< ${fmt(d.warning)}`], ["warn", `${fmt(d.warning)} – ${fmt(d.critical)}`], ["bad", `≥ ${fmt(d.critical)}`]];
        return { kind: T.thresholds, colour: (v) => RAG[state(v)], label: (v) => T[state(v)],
          rows: rows.map(([s, r]) => ({ colour: RAG[s], text: `${T[s]}: ${r}` })) };
      }
      const breaks = quantileBreaks(values, RAMP.length);
      const ramp = RAMP.slice(RAMP.length - breaks.length - 1);
      const cls = (v) => { let i = 0; while (i < breaks.length && v > breaks[i]) i++; return i; };
      const lo = values.length ? Math.min(...values) : 0, hi = values.length ? Math.max(...values) : 0;
      const edges = [lo, ...breaks, hi];
      return { kind: T.quantile, colour: (v) => ramp[cls(v)], label: () => "",
        rows: ramp.map((c, i) => ({ colour: c, text: `${fmt(edges[i])} – ${fmt(edges[i + 1])}` })) };
    }

    function popup(f, prev, rank, total) {
      const p = f.properties, v = p[st.measure];
      const before = prev.get(p[key]);
      const change = v !== null && before !== undefined && before !== null && before !== 0 ? (100 * (v - before)) / Math.abs(before) : null;
      const lab = st.classes.label(v);
      const rows = [
        [st.dim && st.dim.name ? st.dim.name : measureOf().title, `${fmt(v, 2)} ${unitOf()}${lab ? ` (${lab})` : ""}`],
        [T.period, periodLabel(current(), tm.period, lang) + (st.dim.partial.includes(current()) ? ` (${T.partial})` : "")],
        [T.change, change === null ? "–" : `${change > 0 ? "▲" : change < 0 ? "▼" : "■"} ${fmt(change)} %`],
        [T.rank, rank ? `${rank}/${total}` : "–"],
      ];
      const head = p[spec.title_field] || "";
      return `<div class="popup"><h3>${IOC.esc(head)}</h3><div class="layer-name">${IOC.esc(IOC.title(spec, lang))}</div><table>${rows.map(([k, x]) => `<tr><th>${IOC.esc(k)}</th><td>${IOC.esc(x)}</td></tr>`).join("")}</table></div>`;
    }

    async function draw() {
      if (!st.dim) return;
      if (st.abort) st.abort.abort();
      st.abort = new AbortController();
      const period = current(), prevPeriod = periods()[st.idx - 1];
      renderPanel();
      try {
        const [fc, prevFc] = await Promise.all([fetchPeriod(period, false), prevPeriod ? fetchPeriod(prevPeriod, true) : Promise.resolve({ features: [] })]);
        if (period !== current()) return;  // the slider moved on meanwhile
        const prev = new Map(prevFc.features.map((f) => [f.properties[key], f.properties[st.measure]]));
        const feats = fc.features.filter((f) => f.properties[st.measure] !== null && f.properties[st.measure] !== undefined);
        const values = feats.map((f) => +f.properties[st.measure]);
        st.classes = classify(values);
        const hib = !st.dim || st.dim.higher_is_better !== false;
        const order = feats.slice().sort((a, b) => (hib ? b.properties[st.measure] - a.properties[st.measure] : a.properties[st.measure] - b.properties[st.measure]));
        const rank = new Map(order.map((f, i) => [f, i + 1]));
        group.clearLayers();
        const style = (f) => ({ pane: opts.pane, color: "#2d3748", weight: 0.8, opacity: 0.8, fillOpacity: 0.8, fillColor: st.classes.colour(+f.properties[st.measure]) });
        group.addLayer(L.geoJSON({ type: "FeatureCollection", features: feats }, {
          pane: opts.pane, style,
          pointToLayer: (f, ll) => L.circleMarker(ll, Object.assign(style(f), { radius: 8, color: "#fff", weight: 1.5, fillOpacity: 0.95 })),
          onEachFeature: (f, layer) => layer.bindPopup(() => popup(f, prev, rank.get(f), feats.length), { maxWidth: 340 }),
        }));
        st.shown = feats.length;
        st.colours = feats.map((f) => `${f.properties[key]}:${st.classes.colour(+f.properties[st.measure])}:${f.properties[st.measure]}`);
        panel.querySelector(".tm-status").textContent = feats.length ? `${IOC.number(feats.length, lang, 0)} ${T.units}` : T.noData;
        if (opts.onChange) opts.onChange();
      } catch (e) {
        if (e.name !== "AbortError") panel.querySelector(".tm-status").textContent = `${T.loadFailed}: ${e.message}`;
      }
    }

    function select(name, label, options, value) {
      if (options.length < 2) return "";
      return `<label class="tm-row">${IOC.esc(label)} <select data-tm="${name}">${options.map(([v, t]) => `<option value="${IOC.esc(v)}"${String(v) === String(value) ? " selected" : ""}>${IOC.esc(t)}</option>`).join("")}</select></label>`;
    }

    function renderPanel() {
      const ps = periods(), p = current();
      const partial = st.dim && st.dim.partial.includes(p);
      panel.querySelector(".tm-period").textContent = p ? periodLabel(p, tm.period, lang) + (partial ? ` (${T.partial})` : "") : "–";
      const slider = panel.querySelector("input[type=range]");
      slider.max = Math.max(ps.length - 1, 0);
      slider.value = st.idx;
    }

    function build() {
      const d = st.dims;
      panel.innerHTML = [
        select("dim", T.indicator, d.dimensions.filter((x) => x.code !== null).map((x) => [x.code, x.name]), st.dim.code),
        select("measure", T.measure, tm.measures.map((m) => [m.name, IOC.cap(m.title) + (m.unit ? ` (${m.unit})` : "")]), st.measure),
        select("level", T.level, d.levels.map((x) => [x.code, x.name]), st.level),
        `<div class="tm-row tm-slider"><button type="button" class="tm-play" aria-label="${T.play}" title="${T.play}">▶</button>
          <input type="range" min="0" step="1" aria-label="${T.period}"><span class="tm-period" aria-live="polite"></span></div>
         <div class="tm-status"></div>`,
      ].join("");
      panel.querySelectorAll("select").forEach((s) => s.addEventListener("change", () => {
        if (s.dataset.tm === "dim") { const old = current(); st.dim = d.dimensions.find((x) => String(x.code) === s.value); const i = st.dim.periods.indexOf(old); st.idx = i >= 0 ? i : st.dim.periods.indexOf(st.dim.default); }
        if (s.dataset.tm === "measure") st.measure = s.value;
        if (s.dataset.tm === "level") st.level = s.value;
        draw();
      }));
      panel.querySelector("input[type=range]").addEventListener("input", (e) => { st.idx = +e.target.value; draw(); });
      panel.querySelector(".tm-play").addEventListener("click", () => (st.timer ? stop() : play()));
    }

    function play() {
      const btn = panel.querySelector(".tm-play");
      if (st.idx >= periods().length - 1) st.idx = 0;
      btn.textContent = "❚❚"; btn.title = T.pause; btn.setAttribute("aria-label", T.pause);
      draw();
      st.timer = setInterval(() => { if (st.idx >= periods().length - 1) { stop(); return; } st.idx += 1; draw(); }, PLAY_MS);
    }
    function stop() {
      clearInterval(st.timer); st.timer = null;
      const btn = panel.querySelector(".tm-play");
      btn.textContent = "▶"; btn.title = T.play; btn.setAttribute("aria-label", T.play);
    }

    async function start(wanted) {
      wanted = wanted || {};
      if (!st.dims) {
        const r = await IOC.fetch(`/api/layers/${encodeURIComponent(spec.id)}/time`);
        if (!r.ok) { panel.textContent = T.loadFailed; return; }
        st.dims = await r.json();
        if (!st.dims.dimensions.length) { panel.textContent = T.noData; return; }
        st.dim = st.dims.dimensions.find((x) => x.code === wanted.dim) || st.dims.dimensions[0];
        st.level = st.dims.levels.length ? (st.dims.levels.find((x) => x.code === wanted.level) || st.dims.levels[0]).code : null;
        if (tm.measures.some((m) => m.name === wanted.measure)) st.measure = wanted.measure;
        const i = st.dim.periods.indexOf(wanted.period || st.dim.default);
        st.idx = i >= 0 ? i : st.dim.periods.indexOf(st.dim.default);
        build();
      }
      draw();
    }

    function legendHtml() {
      if (!st.classes || !st.dim) return "";
      const title = `${IOC.cap(st.dim.name || measureOf().title)}${unitOf() ? ` (${unitOf()})` : ""}`;
      const sw = isPoint ? "dot" : "area";
      return `<div class="legend-title">${IOC.esc(IOC.title(spec, lang))}</div><div class="legend-sub">${IOC.esc(title)} · ${IOC.esc(periodLabel(current(), tm.period, lang))}</div>`
        + st.classes.rows.slice().reverse().map((r) => `<div class="legend-row"><span class="sw ${sw}" style="background:${r.colour}"></span>${IOC.esc(r.text)}</div>`).join("")
        + `<div class="legend-note">${IOC.esc(st.classes.kind)}</div>`;
    }

    return {
      layer: group, panel, start, stop, legendHtml,
      state: () => ({ dim: st.dim && st.dim.code, measure: st.measure, level: st.level, period: current(), shown: st.shown, colours: st.colours }),
      setPeriod(iso) { const i = periods().indexOf(iso); if (i >= 0) { st.idx = i; draw(); } },
    };
  };
})();
