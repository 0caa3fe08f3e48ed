"use strict";
/*
 * The batch page's "what approving changes" table: fetched after the page has loaded, because
 * the server runs the statistics twice to compute it (seconds). The fragment is the server's
 * own escaped HTML (review/_effect.html).
 */
(function () {
  const box = document.querySelector("[data-effect-url]");
  if (!box) return;
  fetch(box.dataset.effectUrl, { credentials: "same-origin", headers: { Accept: "text/html" } })
    .then((response) => {
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.text();
    })
    .then((html) => { box.innerHTML = html; })
    .catch((error) => {
      const message = document.createElement("p");
      message.className = "text-danger";
      message.textContent = `${box.dataset.failed || "The figures could not be computed"} (${error.message}).`;
      box.replaceChildren(message);
    });
})();
