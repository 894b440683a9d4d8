/* The entry grid (/intake/<data set>/<period>/): Enter moves down a column (Tab along a row),
   the first empty cell takes the focus, each number is checked and written the Vietnamese way as
   it is left, and the spreadsheet upload answers with its report on the page. */
(function () {
  "use strict";
  const L = IOC.data("intake-labels");
  const grid = document.getElementById("grid");
  const fmt = (text, vars) => String(text).replace(/%\((\w+)\)s/g, (_m, k) => (k in vars ? vars[k] : ""));

  // as the server reads it (operations.intake.validation.parse_number): 1.250.000 and 92,8 as well as 1250000 and 92.8
  function parseNumber(text) {
    let t = String(text).replace(/[\s\u00a0]/g, "").replace(/%$/, "");
    if (!t) return null;
    if (/^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$/.test(t)) t = t.replace(/\./g, "").replace(",", ".");
    else if (/^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(t) && t.includes(".")) t = t.replace(/,/g, "");
    else if (t.includes(",") && !t.includes(".")) t = t.replace(",", ".");
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return NaN;
    return Number(t);
  }

  // 1250000 -> 1.250.000, 92.8 -> 92,8 (the form's own language: Vietnamese)
  function viText(n) {
    const [int, frac] = String(Math.abs(n)).split(".");
    if (/e/i.test(int)) return String(n);
    return (n < 0 ? "-" : "") + int.replace(/\B(?=(\d{3})+(?!\d))/g, ".") + (frac ? "," + frac : "");
  }

  function problem(input, n) {
    if (Number.isNaN(n)) return L.not_number;
    if (input.dataset.type === "integer" && !Number.isInteger(n)) return L.not_integer;
    const max = input.dataset.max, min = input.dataset.min;
    if (max !== undefined && n > Number(max)) return fmt(L.above, { max: viText(Number(max)) });
    if (min !== undefined && n < Number(min)) return fmt(L.below, { min: viText(Number(min)) });
    return "";
  }

  // the checks of the browser: a hint beside the input; the server's check is the one that counts
  function check(input) {
    const cell = input.closest("td");
    let hint = cell.querySelector("small.live");
    const n = parseNumber(input.value);
    const msg = n === null ? "" : problem(input, n);
    if (n !== null && !msg && L.lang !== "en") input.value = viText(n);
    cell.classList.toggle("live-invalid", Boolean(msg));
    if (msg) input.setAttribute("aria-invalid", "true");
    else if (!cell.classList.contains("invalid")) input.removeAttribute("aria-invalid");
    if (!msg) { if (hint) hint.remove(); return; }
    if (!hint) { hint = document.createElement("small"); hint.className = "err live"; cell.appendChild(hint); }
    hint.textContent = msg;
  }

  function editable(input) { return input && !input.readOnly && !input.disabled; }

  // the input in the same column of the next (or previous) row that can be edited
  function vertical(input, step) {
    const td = input.closest("td");
    const col = Array.prototype.indexOf.call(td.parentElement.children, td);
    let tr = td.parentElement;
    for (;;) {
      tr = step > 0 ? tr.nextElementSibling : tr.previousElementSibling;
      if (!tr) return null;
      const next = tr.children[col] && tr.children[col].querySelector("input[inputmode]");
      if (editable(next)) return next;
    }
  }

  function focusCell(input) {
    input.focus({ preventScroll: true });
    // scroll the grid's own box, not the page, so the title and the period stay in view
    const box = grid.closest(".grid-box");
    const row = input.closest("tr"), head = grid.tHead ? grid.tHead.offsetHeight : 0;
    if (row.offsetTop - head < box.scrollTop || row.offsetTop + row.offsetHeight > box.scrollTop + box.clientHeight) {
      box.scrollTop = Math.max(0, row.offsetTop - head - row.offsetHeight);
    }
    const cell = input.closest("td"), sticky = grid.querySelector("tbody th");
    const left = sticky ? sticky.offsetWidth : 0;
    if (cell.offsetLeft - left < box.scrollLeft) box.scrollLeft = Math.max(0, cell.offsetLeft - left);
    else if (cell.offsetLeft + cell.offsetWidth > box.scrollLeft + box.clientWidth) {
      box.scrollLeft = cell.offsetLeft + cell.offsetWidth - box.clientWidth;
    }
    input.select();
  }

  if (grid) {
    grid.addEventListener("keydown", (e) => {
      const input = e.target;
      if (!input.matches("input[inputmode]")) {
        if (e.key === "Enter" && input.name && input.name.startsWith("reason|")) {  // Enter in a reason: reopen that row
          e.preventDefault();
          input.parentElement.querySelector("button[name=reopen]").click();
        }
        return;
      }
      let step = 0;
      if (e.key === "Enter") step = e.shiftKey ? -1 : 1;
      else if (e.key === "ArrowDown") step = 1;
      else if (e.key === "ArrowUp") step = -1;
      if (!step) return;
      e.preventDefault();  // Enter never sends the form from the grid
      check(input);
      const next = vertical(input, step);
      if (next) focusCell(next);
    });
    grid.addEventListener("focusout", (e) => { if (e.target.matches("input[inputmode]") && editable(e.target)) check(e.target); });
    grid.addEventListener("focusin", (e) => { if (e.target.matches("input[inputmode]")) e.target.select(); });

    const inputs = Array.from(grid.querySelectorAll("input[inputmode]")).filter(editable);
    const first = grid.querySelector("input[aria-invalid=true]") || inputs.find((i) => !i.value.trim());
    if (first) focusCell(first);
  }

  // ---------------------------------------------------------------------- the spreadsheet upload
  const form = document.getElementById("upload-form");
  const report = document.getElementById("upload-report");

  function list(title, items, cls) {
    if (!items || !items.length) return "";
    const li = items.map((it) => {
      const cell = it.cell ? String(it.cell) : "";
      let msg = String(it.message || it.description || "");
      if (cell && msg.startsWith(cell + ": ")) msg = msg.slice(cell.length + 2);
      return `<li>${cell ? `<b>${IOC.esc(cell)}</b> ` : ""}${IOC.esc(msg)}</li>`;
    }).join("");
    return `<p>${IOC.esc(title)}</p><ul class="${cls}">${li}</ul>`;
  }

  function show(html, cls) {
    report.className = "upload-report " + cls;
    report.innerHTML = html;
  }

  if (form) {
    form.file.addEventListener("change", () => {
      document.getElementById("file-chosen").textContent = form.file.files.length ? form.file.files[0].name : L.none;
    });
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      if (!form.file.files.length) { show(`<p>${IOC.esc(L.choose)}</p>`, "bad"); return; }
      const button = form.querySelector("button[type=submit]");
      button.disabled = true;
      show(`<p>${IOC.esc(L.sending)}</p>`, "busy");
      IOC.fetch(form.action, {
        method: "POST", body: new FormData(form), headers: { "X-CSRFToken": IOC.csrf(), Accept: "application/json" },
      }).then((r) => r.json().catch(() => ({})).then((body) => ({ status: r.status, body })))
        .then(({ status, body }) => {
          if (status === 201 || status === 200) {
            const n = (body.stored || []).length;
            show(`<p><b>${IOC.esc(fmt(L.stored, { n: viText(n) }))}</b> <a href="">${IOC.esc(L.reload)}</a></p>`
              + list(fmt(L.skipped, { n: viText((body.skipped || []).length) }), body.skipped, "errors")
              + list(L.warnings, body.warnings, "warnings"), "good");
          } else if (status === 422) {
            show(`<p><b>${IOC.esc(body.description || L.refused)}</b></p>` + list(L.refused, body.errors, "errors"), "bad");
          } else {
            show(`<p><b>${IOC.esc(body.description || fmt(L.failed, { status }))}</b></p>`, "bad");
          }
        })
        .catch(() => show(`<p>${IOC.esc(L.network)}</p>`, "bad"))
        .finally(() => { button.disabled = false; });
    });
  }
})();
