/* Dashboard: acknowledge or resolve an open alert (POST /api/alerts/<id>/<action>). */
(function () {
  "use strict";
  const table = document.getElementById("alerts");
  if (!table) return;
  table.addEventListener("click", async (e) => {
    const b = e.target.closest("button[data-action]"); if (!b) return;
    const row = b.closest("tr");
    const r = await IOC.fetch(`/api/alerts/${row.dataset.alert}/${b.dataset.action}`, { method: "POST",
      headers: { "X-CSRFToken": IOC.csrf() } });
    if (r.ok) { if (b.dataset.action === "resolve") row.remove(); else b.replaceWith(Object.assign(document.createElement("span"), { className: "ack", textContent: "✓" })); }
  });
})();
