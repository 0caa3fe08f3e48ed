"use strict";
/*
 * Figures as the page's reader writes them: 1.234,56 and 61,5% in Vietnamese, 1,234.56 and
 * 61.5% in English (the page's <html lang>). The one number formatter of the site's scripts,
 * loaded by every page (app/templates/base.html); the server's twin is gis.numbers.format_number
 * (the |number filter, the maps, the report sentences). The API's JSON keeps plain numbers.
 * readerNumber(1234.5, 2) -> "1.234,50"; readerNumber(61.5, 1, {percent: true}) -> "61,5%".
 *
 * readerNumber.withSeparators({decimal: ",", group: "."}) is the same formatter with the
 * separators the server gives (app.accounts.language.number_convention, as the dashboard's
 * charts get them), so a figure never depends on what the browser knows of a locale: it
 * formats as English and swaps the marks through a placeholder, as gis.numbers does.
 */
window.readerNumber = (function () {
  const lang = (document.documentElement.lang || "en").toLowerCase();
  const locale = lang.startsWith("vi") ? "vi-VN" : "en-GB";

  function formatter(inLocale) {
    const cached = new Map();
    return function (value, decimals) {
      if (!cached.has(decimals)) {
        cached.set(decimals, new Intl.NumberFormat(inLocale, {
          minimumFractionDigits: decimals, maximumFractionDigits: decimals, useGrouping: true,
        }));
      }
      const written = cached.get(decimals).format(Number(value));
      // Intl writes -0 as "-0"; a figure that rounds to nothing has no sign (as gis.numbers).
      return /^-[0.,]+$/.test(written) ? written.slice(1) : written;
    };
  }

  const inPageLocale = formatter(locale);
  function readerNumber(value, decimals = 0, { percent = false } = {}) {
    const written = inPageLocale(value, decimals);
    return percent ? `${written}%` : written;
  }

  const inEnglish = formatter("en-GB");
  readerNumber.withSeparators = function ({ decimal, group }) {
    return function (value, decimals = 0, { percent = false } = {}) {
      const written = inEnglish(value, decimals)
        .replace(/,/g, "\u0000").replace(/\./g, decimal).replace(/\u0000/g, group);
      return percent ? `${written}%` : written;
    };
  };
  return readerNumber;
})();
