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
  // Supercluster's index stops at this zoom (building every zoom to 19 took 394 ms for 50,000
  // places, to 16 144 ms); beyond it the places in view are shown one by one, those at one spot
  // as one button that spreads them out.
  var INDEX_MAX_ZOOM = 16;
  // Places closer than this (in pixels) are clustered: at 50, 10,000 places around the city made
  // 850 buttons in view; at 64, about 520, which the browser lays out in half the time.
  var RADIUS = 80;

  function PointLayer(map, parent, texts, marker) {
    var self = this, markers = L.featureGroup(), clusters = L.DomUtil.create("div", "vitrine-clusters");
    parent.addLayer(markers);
    map.getPanes().markerPane.appendChild(clusters);
    var index = null, rows = [], describe = null, made = [], spread = null;
    var number = new Intl.NumberFormat(texts.locale);
    function placeOf(i) { return L.latLng(rows[i][0], rows[i][1]); }
    // A place's marker, made (and described) when it is first drawn, not for each of 50,000 up front.
    function markerOf(i) {
      if (!made[i]) {
        var entry = describe(rows[i]);
        made[i] = marker(placeOf(i), entry.kind, entry.approximate, entry.presenting, entry.title, entry.dress);
        made[i].vitrineIndex = i;
      }
      return made[i];
    }
    // A group of places drawn as one button: a cluster, or places at one spot. `open()` on its click.
    function button(count, place, open, into) {
      var size = count < 10 ? 32 : count < 100 ? 38 : count < 1000 ? 44 : 52, shown = number.format(count);
      var element = L.DomUtil.create("button", "vitrine-cluster", into);
      element.type = "button";
      element.textContent = shown;
      element.setAttribute("aria-label", texts.cluster.replace("{count}", shown));
      element.style.width = element.style.height = size + "px";
      element.style.marginLeft = element.style.marginTop = (-size / 2) + "px";
      L.DomUtil.setPosition(element, map.latLngToLayerPoint(place));
      L.DomEvent.disableClickPropagation(element);
      L.DomEvent.on(element, "click", open);
    }
    // Its places spread out around it (until the next zoom); the keyboard goes to the first.
    function spreadOut(id, place, leaves) {
      spread = {id: id, place: place, leaves: leaves};
      self.draw();
      var first = made[leaves[0]];
      if (first && first._icon) { first._icon.focus(); }
    }
    // A cluster's click shows its extent; at one spot (or at the last zoom) its places spread out.
    function openCluster(id, place) {
      var leaves = index.getLeaves(id, Infinity).map(function (leaf) { return leaf.i; });
      var bounds = L.latLngBounds(leaves.map(placeOf));
      if (bounds.getNorthEast().equals(bounds.getSouthWest()) || map.getZoom() >= map.getMaxZoom()) {
        spreadOut(id, place, leaves);
        return;
      }
      var zoom = Math.max(map.getBoundsZoom(bounds.pad(0.1)), index.getClusterExpansionZoom(id));
      map.setView(bounds.getCenter(), Math.min(zoom, map.getMaxZoom()));
    }
    function placeSpread(leaves, place) {
      var centre = map.latLngToLayerPoint(place), radius = Math.max(30, leaves.length * 5);
      leaves.forEach(function (i, k) {
        var angle = 2 * Math.PI * k / leaves.length - Math.PI / 2;
        markerOf(i).setLatLng(map.layerPointToLatLng(centre.add([radius * Math.cos(angle), radius * Math.sin(angle)])));
      });
    }
    this.draw = function () {
      if (!index) { return; }
      // A margin of a tenth of the view each way: a short pan shows no empty edge before it ends.
      var bounds = map.getBounds().pad(0.1), wanted = [], spots = {}, buttons = document.createDocumentFragment();
      var features = index.getClusters([bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()],
                                       Math.round(map.getZoom()));
      features.forEach(function (feature) {
        if (feature.i !== undefined) {
          var spot = rows[feature.i][0] + "," + rows[feature.i][1];
          (spots[spot] = spots[spot] || []).push(feature.i);
          return;
        }
        var id = feature.properties.cluster_id;
        if (spread && spread.id === id) {
          wanted.push.apply(wanted, spread.leaves);
        } else {
          var place = L.latLng(feature.geometry.coordinates[1], feature.geometry.coordinates[0]);
          button(feature.properties.point_count, place, function () { openCluster(id, place); }, buttons);
        }
      });
      Object.keys(spots).forEach(function (spot) {
        var leaves = spots[spot], place = placeOf(leaves[0]);
        if (leaves.length === 1 || (spread && spread.id === spot)) {
          wanted.push.apply(wanted, leaves);
        } else {
          button(leaves.length, place, function () { spreadOut(spot, place, leaves); }, buttons);
        }
      });
      clusters.textContent = "";
      clusters.appendChild(buttons);
      var keep = {};
      wanted.forEach(function (i) { keep[i] = true; });
      markers.eachLayer(function (shown) {
        if (!keep[shown.vitrineIndex]) { markers.removeLayer(shown); }
      });
      wanted.forEach(function (i) {
        var shown = markerOf(i).setLatLng(placeOf(i));
        if (!markers.hasLayer(shown)) { markers.addLayer(shown); }
      });
      if (spread) { placeSpread(spread.leaves, spread.place); }
    };
    // `list[i]` starts with a place's latitude and longitude; `describeRow(list[i])` gives what its
    // marker shows: {kind, approximate, presenting, title, dress}. `then()` once the view is drawn.
    this.load = function (list, describeRow, then) {
      rows = list;
      describe = describeRow;
      made = new Array(list.length);
      var features = new Array(list.length);
      for (var i = 0; i < list.length; i++) {
        features[i] = {i: i, geometry: {coordinates: [list[i][1], list[i][0]]}};
      }
      index = new Supercluster({radius: RADIUS, maxZoom: Math.min(INDEX_MAX_ZOOM, map.getMaxZoom() - 1)}).load(features);
      self.draw();
      if (then) { then(); }
    };
    function hide() { spread = null; clusters.style.display = "none"; }
    function show() { clusters.style.display = ""; self.draw(); }
    map.on("zoomstart", hide);
    map.on("moveend", show);
    this.remove = function () {
      map.off("zoomstart", hide);
      map.off("moveend", show);
      L.DomUtil.remove(clusters);
      index = null;
    };
  }

  window.VitrineMarkers = function (styles) {
    var icons = {};
    function icon(kindIndex, approximate, presenting) {
      var key = kindIndex + (approximate ? "a" : "") + (presenting ? "p" : "");
      if (!icons[key]) {
        var style = styles[kindIndex] || styles[0], size = presenting ? 30 : 22;
        var svg = '<svg width="' + size + '" height="' + size + '" viewBox="-2 -2 24 24" aria-hidden="true">'
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
      // The partners of both maps, clustered by Supercluster: its index answers each view in a few
      // milliseconds, so only the clusters and markers in view are drawn, whatever the directory's
      // size (see PointLayer.load). Markers go to
      // `parent` (whose clicks the page hears); clusters are buttons of their own, which only zoom,
      // named for keyboard and screen-reader users. Places at one spot are spread out on a click.
      points: function (map, parent, texts) {
        return new PointLayer(map, parent, texts, this.marker);
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
