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

  function popup(entry) {
    var box = document.createElement("div");
    var kind = box.appendChild(document.createElement("p"));
    kind.className = "popup-kind";
    kind.textContent = entry.kindLabel;
    var name = box.appendChild(document.createElement("p"));
    name.className = "popup-name";
    name.textContent = entry.name;
    var link = box.appendChild(document.createElement("a"));
    link.href = settings.partnerPage.replace("SLUG", encodeURIComponent(entry.slug));
    link.target = "_blank";
    link.rel = "noopener";
    link.textContent = settings.open + " " + settings.newTab;
    return box;
  }

  var shapes = VitrineMarkers(settings.styles), group = L.featureGroup().addTo(map);
  var points = shapes.points(map, group, settings.points);
  function dress(entry) {
    return function (marker) {
      marker.bindTooltip(document.createTextNode(entry.name));
      marker.bindPopup(function () { return popup(entry); });
    };
  }
  fetch(settings.data).then(function (response) { return response.json(); }).then(function (rows) {
    points.load(rows, function (row) {
      var kind = row[3] >> 2, style = settings.styles[kind] || settings.styles[0];
      var approximate = (row[3] & 1) === 1, presenting = (row[3] & 2) === 2;
      var entry = {kind: kind, approximate: approximate, presenting: presenting, name: row[2], slug: row[4],
                   kindLabel: style.label,
                   title: row[2] + " (" + style.label + (approximate ? ", " + settings.points.approximate : "")
                          + (presenting ? ", " + settings.points.presenting : "") + ")"};
      entry.dress = dress(entry);
      return entry;
    }, function () {
      document.documentElement.setAttribute("data-partners-loaded", String(rows.length));
    });
  });
})();
