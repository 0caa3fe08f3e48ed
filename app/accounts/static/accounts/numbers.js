"use strict";
/*
 * Figures as the page's reader writes them: 1.234,56 and 61,5% in Vietnamese, 1,234.56 and
 * 61.5% in English (the page's <html lang>). The one number formatter of the site's scripts,
 * loaded by every page (app/templates/base.html); the server's twin is gis.numbers.format_number
 * (the |number filter, the maps, the report sentences). The API's JSON keeps plain numbers.
 * readerNumber(1234.5, 2) -> "1.234,50"; readerNumber(61.5, 1, {percent: true}) -> "61,5%".
 */
window.readerNumber = (function () {
  const lang = (document.documentElement.lang || "en").toLowerCase();
  const locale = lang.startsWith("vi") ? "vi-VN" : "en-GB";
  const formats = new Map();

  return function readerNumber(value, decimals = 0, { percent = false } = {}) {
    if (!formats.has(decimals)) {
      formats.set(decimals, new Intl.NumberFormat(locale, {
        minimumFractionDigits: decimals, maximumFractionDigits: decimals, useGrouping: true,
      }));
    }
    let written = formats.get(decimals).format(Number(value));
    // Intl writes -0 as "-0"; a figure that rounds to nothing has no sign (as gis.numbers).
    if (/^-[0.,]+$/.test(written)) written = written.slice(1);
    return percent ? `${written}%` : written;
  };
})();
