/* The search box (_search.html): asks /api/search as the user types (debounced, the previous
   request aborted), lists the results, moves through them with the arrow keys, and goes to a
   result's url on Enter or a click. A plain script; load it after common.js (window.IOC).
   Before leaving, it dispatches a cancelable "ioc:search" event on window with the result as
   detail: a page that can show the result in place calls preventDefault(). */
(function () {
  "use strict";
  const form = document.getElementById("ioc-search");
  if (!form || !window.IOC) return;
  const input = document.getElementById("ioc-search-q");
  const list = document.getElementById("ioc-search-results");
  const status = document.getElementById("ioc-search-status");
  const DEBOUNCE_MS = 200;
  const LIMIT = 10;
  let results = [];
  let active = -1;
  let timer = null;
  let controller = null;
  let shownFor = null;

  function setStatus(text) { status.textContent = text || ""; }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function open() {
    if (!results.length) return;
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function optionHtml(r, i) {
    const code = r.code && r.kind === "feature" ? `<span class="ioc-search-code">${IOC.esc(r.code)}</span> ` : "";
    const where = [r.context, r.layer_title].filter(Boolean).map(IOC.esc).join(" · ");
    return `<li role="option" id="ioc-search-opt-${i}" data-index="${i}" aria-selected="false" class="ioc-search-${IOC.esc(r.kind)}">` +
      `<span class="ioc-search-name">${code}${IOC.esc(r.name)}</span>` +
      (where ? `<span class="ioc-search-where">${where}</span>` : "") + "</li>";
  }

  function show(q, found) {
    results = found;
    shownFor = q;
    active = -1;
    list.innerHTML = found.map(optionHtml).join("");
    if (!found.length) { close(); setStatus(form.dataset.empty); return; }
    setStatus(`${IOC.number(found.length, document.documentElement.lang, 0)} ${form.dataset.count}`);
    open();
  }

  function highlight(i) {
    const items = list.querySelectorAll("[role=option]");
    if (!items.length) return;
    active = (i + items.length) % items.length;
    items.forEach((el, j) => el.setAttribute("aria-selected", j === active ? "true" : "false"));
    const el = items[active];
    input.setAttribute("aria-activedescendant", el.id);
    el.scrollIntoView({ block: "nearest" });
  }

  function go(r) {
    if (!r) return;
    const event = new CustomEvent("ioc:search", { detail: r, cancelable: true });
    if (window.dispatchEvent(event)) window.location.assign(r.url);
    else close();
  }

  async function ask(q) {
    if (controller) controller.abort();
    controller = new AbortController();
    const url = `/api/search?q=${encodeURIComponent(q)}&limit=${LIMIT}`;
    try {
      const r = await IOC.fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } });
      const body = await r.json();
      if (input.value.trim() !== q) return; // the user typed on meanwhile
      if (!r.ok) { results = []; list.innerHTML = ""; close(); setStatus(body.description || form.dataset.error); return; }
      show(q, body.results);
    } catch (e) {
      if (e.name !== "AbortError") { close(); setStatus(form.dataset.error); }
    }
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (!q) { if (controller) controller.abort(); results = []; list.innerHTML = ""; close(); setStatus(""); shownFor = null; return; }
    if (q === shownFor) { open(); return; }
    timer = setTimeout(() => ask(q), DEBOUNCE_MS);
  });

  input.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!results.length) return;
      e.preventDefault();
      if (list.hidden) open();
      highlight(active < 0 && e.key === "ArrowUp" ? -1 : active + (e.key === "ArrowDown" ? 1 : -1));
    } else if (e.key === "Escape") {
      if (!list.hidden) { e.preventDefault(); close(); }
    }
  });

  // Enter: the highlighted result, else the first one (asked for at once if the wait is not over)
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const q = input.value.trim();
    if (!q) return;
    if (q !== shownFor) { clearTimeout(timer); await ask(q); }
    if (q === shownFor) go(results[active >= 0 ? active : 0]);
  });

  // mousedown, not click: it comes before the input loses focus and the list closes
  list.addEventListener("mousedown", (e) => {
    const li = e.target.closest("[role=option]");
    if (!li) return;
    e.preventDefault();
    go(results[Number(li.dataset.index)]);
  });
  list.addEventListener("mousemove", (e) => {
    const li = e.target.closest("[role=option]");
    if (li && Number(li.dataset.index) !== active) highlight(Number(li.dataset.index));
  });

  input.addEventListener("focus", () => { if (input.value.trim() && input.value.trim() === shownFor) open(); });
  input.addEventListener("blur", () => close());
})();
