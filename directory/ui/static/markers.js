// Vitrine's map markers: a shape and a colour per kind, drawn as SVG, shared by the explore
// page's map and the embeddable map. The styles come from directory/mapping.py (marker_styles);
// no text from the data is ever put in the markers' HTML.
(function () {
  "use strict";
  // Leaflet focuses the map on the first press and then restores its own window's scroll; in a
  // frame, the page around it scrolls the whole map into view instead, between the press and the
  // release, and the click is lost (a phone tapping a marker low on the screen). Focus in place.
  L.Map.Keyboard.prototype._onMouseDown = function () {
    if (!this._focused) { this._map._container.focus({preventScroll: true}); }
  };
  window.VitrineMarkers = function (styles) {
    var icons = {};
    function icon(kindIndex, approximate, presenting) {
      var key = kindIndex + (approximate ? "a" : "") + (presenting ? "p" : "");
      if (!icons[key]) {
        var style = styles[kindIndex] || styles[0], size = presenting ? 30 : 22;
        var svg = '<svg width="' + size + '" height="' + size + '" viewBox="-2 -2 24 24" aria-hidden="true" style="pointer-events:none">'
          + '<path d="' + style.path + '" fill="' + style.colour + '" fill-opacity="' + (approximate ? 0.35 : 0.95)
          + '" stroke="' + style.outline + '" stroke-width="' + (presenting ? 3.5 : 1.6) + '"'
          + (approximate ? ' stroke-dasharray="3 2"' : "") + "/></svg>";
        icons[key] = L.divIcon({html: svg, className: "vitrine-marker", iconSize: [size, size],
                                iconAnchor: [size / 2, size / 2], tooltipAnchor: [size / 2, 0]});
      }
      return icons[key];
    }
    return {
      // `title` names the marker for keyboard and screen-reader users (set as a DOM property).
      marker: function (latlng, kindIndex, approximate, presenting, title) {
        return L.marker(latlng, {icon: icon(kindIndex, approximate, presenting), title: title,
                                 keyboard: true, riseOnHover: true});
      },
      // A ring around the selected partner, above everything, that clicks go through.
      highlight: function (latlng) {
        return L.layerGroup([
          L.circleMarker(latlng, {radius: 21, color: "#FFFFFF", weight: 7, fill: false, interactive: false}),
          L.circleMarker(latlng, {radius: 21, color: "#1A1A1A", weight: 3, fill: false, interactive: false,
                                  className: "vitrine-highlight"})
        ]);
      }
    };
  };
})();
