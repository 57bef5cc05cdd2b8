// The embeddable map (/embed): Vitrine's open data on Leaflet, no Streamlit. Every text from the
// data reaches the page through textContent, never as HTML.
(function () {
  "use strict";
  var settings = JSON.parse(document.getElementById("embed-settings").textContent);
  var map = L.map("map", {maxZoom: settings.maxZoom, zoomControl: false}).setView(settings.center, settings.zoom);
  L.control.zoom({zoomInTitle: settings.zoomInTitle, zoomOutTitle: settings.zoomOutTitle}).addTo(map);
  map.attributionControl.setPrefix(settings.prefix);
  L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: settings.maxZoom, maxNativeZoom: 19, attribution: settings.attribution
  }).addTo(map);

  function popup(properties) {
    var box = document.createElement("div");
    var kind = box.appendChild(document.createElement("p"));
    kind.className = "popup-kind";
    kind.textContent = properties.kind_label;
    var name = box.appendChild(document.createElement("p"));
    name.className = "popup-name";
    name.textContent = properties.name;
    if (properties.url) {
      var link = box.appendChild(document.createElement("a"));
      link.href = properties.url;
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = settings.open + " " + settings.newTab;
    }
    return box;
  }

  var shapes = VitrineMarkers(settings.styles), cluster = shapes.clusterGroup();
  map.addLayer(cluster);
  function dress(properties) {
    return function (marker) {
      marker.bindTooltip(document.createTextNode(properties.name));
      marker.bindPopup(function () { return popup(properties); });
    };
  }
  fetch(settings.data).then(function (response) { return response.json(); }).then(function (collection) {
    var markers = [];
    collection.features.forEach(function (feature) {
      if (!feature.geometry) { return; }
      var properties = feature.properties, kind = Math.max(0, settings.kinds.indexOf(properties.kind));
      var marker = shapes.marker([feature.geometry.coordinates[1], feature.geometry.coordinates[0]], kind,
                                 properties.precision === "approximate", false,
                                 properties.name + " (" + properties.kind_label + ")", dress(properties));
      markers.push(marker);
    });
    cluster.draw(markers, function () {
      document.documentElement.setAttribute("data-partners-loaded", String(markers.length));
    });
  });
})();
