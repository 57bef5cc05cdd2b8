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
  // A partner's marker gets its tooltip (and popup) when it is first drawn, not each of thousands
  // up front (~60 ms of the ~450 it took /embed to show 10,000). Before Leaflet adds it, so that
  // the tooltip's keyboard focus is wired exactly as for a marker bound from the start.
  var PartnerMarker = L.Marker.extend({
    beforeAdd: function () {
      var dress = this.options.dress;
      if (dress) {
        this.options.dress = null;
        dress(this);
      }
    }
  });
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
      // `title` names the marker for keyboard and screen-reader users (set as a DOM property);
      // `dress(marker)` binds its tooltip and popup when it is first drawn.
      marker: function (latlng, kindIndex, approximate, presenting, title, dress) {
        return new PartnerMarker(latlng, {icon: icon(kindIndex, approximate, presenting), title: title,
                                          keyboard: true, riseOnHover: true, dress: dress});
      },
      // The clusters of both maps. `draw(layers, drawn)` clusters the markers in slices, so that
      // the page keeps answering while 10,000 are clustered, and calls `drawn()` once the last
      // slice's clusters are on the map (the slices' own callback comes just before: hence the
      // microtask). The group is made empty, so that the maps' click handlers find it at once.
      clusterGroup: function () {
        var drawn = null;
        var group = L.markerClusterGroup({
          maxClusterRadius: 45, showCoverageOnHover: false, spiderfyOnMaxZoom: true,
          chunkedLoading: true, chunkDelay: 0,
          chunkProgress: function (done, total) {
            if (done === total && drawn) {
              Promise.resolve().then(drawn);
              drawn = null;
            }
          }
        });
        group.draw = function (layers, then) {
          drawn = then;
          return group.addLayers(layers);
        };
        return group;
      },
      // st_folium tells the page about a click once 250 ms pass without another event (its
      // debounce): the card would open a quarter of a second late. This tells it at once, in
      // st_folium's own words: its late message then finds nothing new and is not sent.
      tellPageAtOnce: function () {
        var data = window.__GLOBAL_DATA__, map = window.map;
        if (!data || !map || !data.returned_objects || data.wrap_longitude || window.parent === window) { return; }
        var all = {last_clicked: data.lat_lng_clicked, last_object_clicked: data.last_object_clicked,
                   last_object_clicked_count: data.last_object_clicked_count,
                   last_object_clicked_tooltip: data.last_object_clicked_tooltip,
                   last_object_clicked_popup: data.last_object_clicked_popup, all_drawings: data.all_drawings,
                   last_active_drawing: data.last_active_drawing, last_geocoder_result: data.last_geocoder_result,
                   bounds: map.getBounds(), zoom: map.getZoom(), last_circle_radius: data.last_circle_radius,
                   last_circle_polygon: data.last_circle_polygon, center: map.getCenter(),
                   selected_layers: Object.values(data.selected_layers), selected_tags: data.selected_tags};
        var value = {};
        Object.keys(all).forEach(function (key) {
          if (data.returned_objects.indexOf(key) >= 0) { value[key] = all[key]; }
        });
        if (JSON.stringify(value) === JSON.stringify(data.previous_data)) { return; }
        data.previous_data = value;
        window.parent.postMessage({isStreamlitMessage: true, type: "streamlit:setComponentValue", value: value,
                                   dataType: "json"}, "*");
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
