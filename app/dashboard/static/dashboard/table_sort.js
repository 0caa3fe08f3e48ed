"use strict";
/*
 * Sortable tables: each header of a <table data-sortable> becomes a button that sorts the rows
 * by that column's data-sort values (raw numbers as Python writes them, or text), descending
 * first for numbers, then ascending on a second click. Empty values (no target) sort last.
 * Without scripts the table is a plain table, in the server's order.
 */
(function () {
  function numeric(value) {
    return value !== "" && !Number.isNaN(Number(value));
  }

  function sortBy(table, column, button) {
    const body = table.tBodies[0];
    const rows = Array.from(body.rows);
    const values = rows.map((row) => row.cells[column].dataset.sort ?? row.cells[column].textContent);
    const byNumber = values.every((value) => value === "" || numeric(value));
    const descending = button.getAttribute("aria-sort") !== "descending";
    const order = rows.map((row, index) => ({ row, value: values[index] }));
    order.sort((a, b) => {
      if (a.value === "" || b.value === "") return (a.value === "") - (b.value === "");
      const compared = byNumber
        ? Number(a.value) - Number(b.value)
        : a.value.localeCompare(b.value, document.documentElement.lang);
      return descending ? -compared : compared;
    });
    order.forEach(({ row }) => body.appendChild(row));
    table.querySelectorAll("th").forEach((header) => header.removeAttribute("aria-sort"));
    button.closest("th").setAttribute("aria-sort", descending ? "descending" : "ascending");
    button.setAttribute("aria-sort", descending ? "descending" : "ascending");
  }

  document.querySelectorAll("table[data-sortable]").forEach((table) => {
    table.querySelectorAll("thead th").forEach((header, column) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      button.textContent = header.textContent;
      button.dataset.column = String(column);
      button.addEventListener("click", () => sortBy(table, column, button));
      header.textContent = "";
      header.appendChild(button);
    });
  });
})();
