"use strict";
/*
 * Sends a file to the uploads API (POST multipart) and opens the new upload's page.
 * Used by the "New upload" form and by the upload page's "send again with this choice" form:
 * any <form data-upload-form data-page-url="/uploads/"> posting to the API's URL.
 * Its words come from texts.js (loaded first).
 */
(function () {
  const { t } = window.uploadTexts;
  const OPTIONAL = ["crs", "layer", "encoding", "mapping", "defaults", "on_conflict"];
  const PAIRS = ["mapping", "defaults"];

  function csrfToken(form) {
    // The token Django put in the form; the API checks it once session sign-in is on.
    const input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // "reference=MA_KV" lines -> {"reference": "MA_KV"}, sent as JSON text. A comma or semicolon
  // separates pairs too, but only before another "field=": a default value may hold a comma.
  function pairsJson(name, text) {
    const mapping = {};
    for (const pair of text.split(/\n|[,;](?=\s*\w+\s*=)/)) {
      if (!pair.trim()) continue;
      const at = pair.indexOf("=");
      if (at < 1) {
        const error = new Error(t("pair_invalid", { label: t(`pairs.${name}`), pair: pair.trim() }));
        error.parameter = name;
        throw error;
      }
      mapping[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
    }
    return JSON.stringify(mapping);
  }

  function showError(form, message, parameter) {
    const box = form.querySelector(".form-error");
    box.textContent = message;
    box.hidden = false;
    const input = parameter && form.querySelector(`[name="${CSS.escape(parameter)}"]`);
    if (input) {
      const field = input.closest(".field");
      if (field) field.classList.add("invalid");
      input.focus();
    }
  }

  function clearError(form) {
    form.querySelector(".form-error").hidden = true;
    for (const field of form.querySelectorAll(".field.invalid")) field.classList.remove("invalid");
  }

  async function send(form) {
    const body = new FormData(form);
    body.delete("csrfmiddlewaretoken");
    for (const name of OPTIONAL) {
      const value = String(body.get(name) ?? "").trim();
      if (value) body.set(name, value);
      else body.delete(name);
    }
    for (const name of PAIRS) {
      if (body.has(name)) body.set(name, pairsJson(name, body.get(name)));
    }
    const response = await fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(form), Accept: "application/json" },
    });
    let answer = null;
    try {
      answer = await response.json();
    } catch (notJson) {
      answer = null;
    }
    if (response.ok && answer && answer.id !== undefined) {
      window.location.assign(`${form.dataset.pageUrl}${answer.id}/`);
      return;
    }
    if (answer && answer.error) {
      showError(form, answer.error, answer.parameter);
    } else if (response.status === 413) {
      showError(form, t("too_large"), "file");
    } else {
      showError(form, t("not_accepted", { status: response.status }));
    }
  }

  for (const form of document.querySelectorAll("form[data-upload-form]")) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      clearError(form);
      const button = form.querySelector("button[type=submit]");
      const sending = form.querySelector(".sending");
      button.disabled = true;
      if (sending) sending.hidden = false;
      try {
        await send(form);
      } catch (error) {
        const offline = error instanceof TypeError;
        showError(form, offline ? t("unreachable_send") : error.message, error.parameter);
      } finally {
        button.disabled = false;
        if (sending) sending.hidden = true;
      }
    });
  }
})();
