// The record page: a small map of the record's geometry (Leaflet, served from static files,
// no basemap: nothing leaves the site) and a confirmation before a delete or a restore.
(function () {
  "use strict";

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) {
        event.preventDefault();
      }
    });
  });

  var mapElement = document.getElementById("record-map");
  var featureElement = document.getElementById("record-feature");
  if (!mapElement || !featureElement || typeof L === "undefined") {
    return;
  }
  var feature = JSON.parse(featureElement.textContent);
  var map = L.map(mapElement, { attributionControl: false });
  L.control.scale({ imperial: false }).addTo(map);
  var layer = L.geoJSON(feature, {
    style: { color: "#b02a37", weight: 2, fillOpacity: 0.25 },
    pointToLayer: function (_point, latlng) {
      return L.circleMarker(latlng, { radius: 7, color: "#b02a37", fillOpacity: 0.6 });
    },
  }).addTo(map);
  var bounds = layer.getBounds();
  if (feature.geometry.type === "Point") {
    map.setView(bounds.getCenter(), 14);
  } else {
    map.fitBounds(bounds, { padding: [20, 20] });
  }
})();
