"use strict";
/*
 * The dashboard's charts (app/dashboard/templates/dashboard/dashboard.html), drawn with Chart.js
 * (served from the site's static files: manage.py collect_map_assets). The figures are the
 * json_script "dashboard-charts" (app.dashboard.charts), rounded as the statistics' JSON; every
 * tick and tooltip is written with the separators the server sent, through the site's one
 * formatter (accounts/numbers.js, readerNumber.withSeparators), never the browser's locale.
 */
(function () {
  const source = document.getElementById("dashboard-charts");
  if (!source || typeof window.Chart !== "function") return;
  const data = JSON.parse(source.textContent);
  const written = window.readerNumber.withSeparators(data.numbers);
  const HA = data.units.ha;

  const colours = {
    cleared: "#08519c",
    target: "#d95f02",
    released: "#31a354",
    remaining: "#d7301f",
    items: "#756bb1",
    range: "rgba(215, 48, 31, 0.15)",
  };

  // A chart's value axis and tooltips in the reader's convention; ``unit`` after the figure.
  function figureFormat(decimals, unit) {
    const suffix = unit === "%" ? "%" : unit ? ` ${unit}` : "";
    return (value) => `${written(value, decimals)}${suffix}`;
  }

  function options({ axisFormat, tooltipFormat, horizontal = false, extra = {} }) {
    const valueAxis = horizontal ? "x" : "y";
    return {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: horizontal ? "y" : "x",
      interaction: { mode: "index", intersect: false },
      scales: {
        [valueAxis]: { beginAtZero: true, ticks: { callback: (value) => axisFormat(value) } },
        ...extra,
      },
      plugins: {
        tooltip: {
          callbacks: {
            label(context) {
              const value = horizontal ? context.parsed.x : context.parsed.y;
              if (value === null || value === undefined) return null;
              const format = tooltipFormat[context.dataset.key] || tooltipFormat.default;
              return `${context.dataset.label}: ${format(value)}`;
            },
          },
        },
      },
    };
  }

  function draw(id, config) {
    const canvas = document.getElementById(id);
    if (canvas) new window.Chart(canvas, config);
  }

  const hectares = figureFormat(2, HA);
  const wholeHectares = figureFormat(0, HA);

  const cleared = data.cleared;
  draw("chart-cleared", {
    data: {
      labels: cleared.years.map(String),
      datasets: [
        { type: "bar", key: "cleared_ha", label: cleared.labels.cleared_ha,
          data: cleared.series.cleared_ha, backgroundColor: colours.cleared },
        { type: "line", key: "target_ha", label: cleared.labels.target_ha,
          data: cleared.series.target_ha, borderColor: colours.target,
          backgroundColor: colours.target, spanGaps: false },
      ],
    },
    options: options({ axisFormat: wholeHectares, tooltipFormat: { default: hectares } }),
  });

  const released = data.released;
  const percent = figureFormat(1, "%");
  draw("chart-released", {
    type: "line",
    data: {
      labels: released.years.map(String),
      datasets: [
        { key: "released_pct", label: released.labels.released_pct,
          data: released.series.released_pct, borderColor: colours.released,
          backgroundColor: colours.released },
        { key: "cleared_pct", label: released.labels.cleared_pct,
          data: released.series.cleared_pct, borderColor: colours.cleared,
          backgroundColor: colours.cleared },
      ],
    },
    options: options({
      axisFormat: figureFormat(0, "%"),
      tooltipFormat: { default: percent },
      extra: { y: { min: 0, max: 100, ticks: { callback: figureFormat(0, "%") } } },
    }),
  });

  const work = data.work;
  const count = figureFormat(0, "");
  draw("chart-work", {
    type: "bar",
    data: {
      labels: work.years.map(String),
      datasets: [
        { key: "spot_tasks", label: work.labels.spot_tasks, data: work.series.spot_tasks,
          backgroundColor: colours.target, yAxisID: "y" },
        { key: "items_destroyed", label: work.labels.items_destroyed,
          data: work.series.items_destroyed, backgroundColor: colours.items, yAxisID: "items" },
      ],
    },
    options: options({
      axisFormat: count,
      tooltipFormat: { default: count },
      extra: {
        items: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false },
          ticks: { callback: (value) => count(value) } },
      },
    }),
  });

  const units = data.units_chart;
  draw("chart-units", {
    type: "bar",
    data: {
      labels: units.names,
      datasets: [
        { key: "released_ha", label: units.labels.released_ha,
          data: units.series.released_ha, backgroundColor: colours.released },
        { key: "remaining_ha", label: units.labels.remaining_ha,
          data: units.series.remaining_ha, backgroundColor: colours.remaining },
      ],
    },
    options: options({
      horizontal: true,
      axisFormat: wholeHectares,
      tooltipFormat: { default: hectares },
      extra: { y: { stacked: true, ticks: { autoSkip: false } } },
    }),
  });
  // Stacked on the value axis too: released and remaining add up to the unit's CHA.
  const unitsChart = window.Chart.getChart("chart-units");
  if (unitsChart) {
    unitsChart.options.scales.x.stacked = true;
    unitsChart.update();
  }

  const forecast = data.forecast;
  const series = forecast.series;
  draw("chart-forecast", {
    type: "line",
    data: {
      labels: forecast.years.map(String),
      datasets: [
        { key: "recorded_ha", label: forecast.labels.recorded_ha, data: series.recorded_ha,
          borderColor: colours.remaining, backgroundColor: colours.remaining },
        { key: "mean_ha", label: forecast.labels.mean_ha, data: series.mean_ha,
          borderColor: colours.remaining, backgroundColor: colours.remaining, borderDash: [6, 4] },
        // The range between the lowest and the highest pace: the high line is filled down to
        // the low one (the dataset before it).
        { key: "low_ha", label: forecast.labels.low_ha, data: series.low_ha,
          borderColor: colours.range, backgroundColor: colours.range, pointRadius: 0 },
        { key: "high_ha", label: forecast.labels.high_ha, data: series.high_ha,
          borderColor: colours.range, backgroundColor: colours.range, pointRadius: 0,
          fill: "-1" },
      ],
    },
    options: options({ axisFormat: wholeHectares, tooltipFormat: { default: hectares } }),
  });
})();
