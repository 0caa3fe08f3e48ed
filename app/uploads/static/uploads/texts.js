"use strict";
/*
 * The upload pages' words, in the reader's language: the server translates them
 * (app/uploads/page_texts.py) and puts them in the page as JSON (<script id="upload-texts">).
 * uploadTexts.t("key", {n: 3}) fills %(n)s; tn("key", n, ...) picks [one, many] by n.
 * A missing key shows as itself, so a forgotten text is visible rather than blank.
 */
window.uploadTexts = (function () {
  const source = document.getElementById("upload-texts");
  const texts = source ? JSON.parse(source.textContent) : {};

  function lookup(key) {
    return key.split(".").reduce((node, part) => (node && node[part] !== undefined ? node[part] : undefined), texts);
  }

  function fill(text, params) {
    return String(text).replace(/%\((\w+)\)s/g, (whole, name) =>
      params && params[name] !== undefined ? String(params[name]) : whole);
  }

  function t(key, params) {
    const text = lookup(key);
    return fill(text === undefined ? key : text, params);
  }

  function tn(key, n, params) {
    const forms = lookup(key);
    const form = Array.isArray(forms) ? forms[Number(n) === 1 ? 0 : 1] : forms;
    return fill(form === undefined ? key : form, { n: number(n), ...params });
  }

  // A known word (status, kind) or the value itself.
  function word(group, value) {
    const text = lookup(`${group}.${value}`);
    return text === undefined ? String(value) : text;
  }

  // Numbers as the reader writes them (1.234,5 / 1,234.5): the site's one formatter,
  // accounts/numbers.js, which every page loads before its own scripts.
  function number(value, decimals, options) {
    return window.readerNumber(value, decimals, options);
  }

  return { t, tn, word, number, has: (key) => lookup(key) !== undefined };
})();
