/* Dashboard alerts: acknowledge, snooze or resolve an open alert (POST /api/alerts/<id>/<action>);
   the answer carries the user's open counts, which replace the heading's and the per-severity ones. */
(function () {
  "use strict";
  const panel = document.getElementById("alerts-panel");
  const table = document.getElementById("alerts");
  if (!panel || !table) return;
  const lang = panel.dataset.lang || "vi";
  const message = document.getElementById("alerts-message");

  function showCounts(counts) {
    panel.querySelectorAll("[data-alert-count]").forEach((el) => {
      const v = counts[el.dataset.alertCount];
      if (typeof v === "number") el.textContent = IOC.number(v, lang, 0);
    });
  }

  function removeRow(row) {
    const body = row.parentNode;
    row.remove();
    if (!body.querySelector("tr[data-alert]")) {
      const tr = document.createElement("tr"); tr.className = "empty";
      const td = document.createElement("td"); td.colSpan = 6; td.textContent = panel.dataset.emptyText;
      tr.appendChild(td); body.appendChild(tr);
    }
  }

  async function act(row, button) {
    const action = button.dataset.action;
    const opts = { method: "POST", headers: { "X-CSRFToken": IOC.csrf() } };
    if (action === "snooze") {
      opts.body = new URLSearchParams({ hours: row.querySelector("select[data-snooze]").value });
    }
    button.disabled = true;
    message.textContent = "";
    try {
      const r = await IOC.fetch(`/api/alerts/${row.dataset.alert}/${action}`, opts);
      const body = await r.json().catch(() => ({}));
      if (!r.ok) { message.textContent = `${panel.dataset.errorText} ${body.description || r.status}`; return; }
      if (body.counts) showCounts(body.counts);
      if (action === "acknowledge") {
        button.replaceWith(Object.assign(document.createElement("span"), { className: "ack", textContent: panel.dataset.ackText }));
      } else {
        removeRow(row);
      }
    } catch (err) {
      message.textContent = `${panel.dataset.errorText} ${err.message}`;
    } finally {
      button.disabled = false;
    }
  }

  table.addEventListener("click", (e) => {
    const b = e.target.closest("button[data-action]");
    if (b) act(b.closest("tr"), b);
  });
})();
