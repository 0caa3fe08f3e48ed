"use strict";
/*
 * The review map of one batch: its records (red) over the approved records around it (blue)
 * and the district outlines, from the GeoJSON the server built in PostGIS (review-map-data).
 * Words come translated from the page (review-map-labels). No background tiles: nothing is
 * loaded from the internet. Every text from the data is inserted as text, never as HTML.
 */
(function () {
  const data = JSON.parse(document.getElementById("review-map-data").textContent);
  const labels = JSON.parse(document.getElementById("review-map-labels").textContent);
  const BATCH = { color: "#b2182b", fillColor: "#ef8a62" };
  const APPROVED = { color: "#2166ac", fillColor: "#67a9cf" };

  function tooltip(feature, layer) {
    const p = feature.properties || {};
    const lines = [
      `${labels.layers[p.layer] || p.layer} ${p.reference ?? ""}`,
      labels.statuses[p.status] || p.status,
      p.kind ? labels.kinds[p.kind] || p.kind : "",
      p.method ? labels.methods[p.method] || p.method : "",
      p.name || "",
      p.area_ha !== undefined && p.area_ha !== null ? `${window.readerNumber(p.area_ha, 2)} ha` : "",
      p.upload_id ? `${labels.upload} ${p.upload_id}` : "",
    ].filter(Boolean);
    const node = document.createElement("div");
    for (const line of lines) {
      const row = document.createElement("div");
      row.textContent = line;
      node.append(row);
    }
    layer.bindTooltip(node, { sticky: true });
  }

  const point = (colours, radius) => (feature, latlng) =>
    L.circleMarker(latlng, { radius, color: colours.color, fillColor: colours.fillColor, fillOpacity: 0.9, weight: 1.5 });

  const map = L.map("review-map", { preferCanvas: true, zoomSnap: 0.25 });
  const districts = L.geoJSON(data.districts, {
    style: { color: "#6c757d", weight: 1.5, dashArray: "5 4", fill: false },
    interactive: false,
  }).addTo(map);
  const approved = L.geoJSON(data.approved, {
    style: (feature) => ({
      color: APPROVED.color,
      weight: 1,
      fillColor: APPROVED.fillColor,
      fillOpacity: feature.properties.layer === "hazards" ? 0.18 : 0.4,
      dashArray: feature.properties.layer === "hazards" ? "3 3" : null,
    }),
    pointToLayer: point(APPROVED, 4),
    onEachFeature: tooltip,
  }).addTo(map);
  const batch = L.geoJSON(data.batch, {
    style: { color: BATCH.color, weight: 2.5, fillColor: BATCH.fillColor, fillOpacity: 0.35 },
    pointToLayer: point(BATCH, 6),
    onEachFeature: tooltip,
  }).addTo(map);

  const bounds = batch.getBounds();
  if (bounds.isValid()) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 17 });
  else map.setView([16.75, 107.0], 9);

  L.control.layers(null, {
    [labels.batch]: batch,
    [labels.approved]: approved,
    [labels.districts]: districts,
  }, { collapsed: false }).addTo(map);
  L.control.scale({ imperial: false }).addTo(map);

  const legend = L.control({ position: "bottomleft" });
  legend.onAdd = () => {
    const box = L.DomUtil.create("div", "review-legend");
    const rows = [
      [BATCH, "solid", labels.batch],
      [APPROVED, "solid", labels.approved_releases],
      [APPROVED, "dashed", labels.approved_hazards],
    ];
    for (const [colours, border, text] of rows) {
      const row = document.createElement("div");
      const swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.borderColor = colours.color;
      swatch.style.borderStyle = border;
      swatch.style.background = colours.fillColor;
      row.append(swatch, text);
      box.append(row);
    }
    return box;
  };
  legend.addTo(map);
})();
