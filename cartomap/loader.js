(function (id) {
  "use strict";
  var w = window, t0 = w.performance ? performance.now() : 0;
  // The output may reach the document after this script runs: look for it a while.
  function start(tries) {
    var el = document.getElementById(id), cfgEl = document.getElementById(id + "-config");
    if (!el || !cfgEl) {
      if (tries < 200) setTimeout(function () { start(tries + 1); }, 50);
      return;
    }
    if (el.getAttribute("data-cartomap-state") !== "fallback") return;
    run(el, JSON.parse(cfgEl.textContent));
  }
  function div(parent, style, text) {
    var d = document.createElement("div");
    if (style) d.style.cssText = style;
    if (text) d.textContent = text;
    parent.appendChild(d);
    return d;
  }
  function run(el, cfg) {
    el.setAttribute("data-cartomap-state", "loading");
    var fb = el.querySelector(".cartomap-fallback");
    if (fb) fb.style.display = "none";
    var box = div(el, "position:relative;width:100%;height:" + cfg.height + "px;background:#f2f2ef;overflow:hidden");
    box.className = "cartomap-box";
    var status = div(el, "margin:2px 0;color:#555", "Loading the map's libraries…");
    status.className = "cartomap-status";
    var note;
    if (cfg.note) { note = div(el, "margin:2px 0;color:#555", cfg.note); note.className = "cartomap-note"; }
    if (cfg.warning) { note = div(el, "margin:2px 0;color:#a00;font-weight:bold", cfg.warning); note.className = "cartomap-warning"; }
    function fail(msg) {
      el.setAttribute("data-cartomap-state", "error");
      status.textContent = msg;
      status.style.color = "#a00";
      status.className = "cartomap-status cartomap-error";
    }
    el.cartomapFail = fail;
    if (cfg.expiresAt && Date.now() > cfg.expiresAt) {
      fail("This map's token expired at " + new Date(cfg.expiresAt).toISOString() + ": re-run the cell to draw it with a new one.");
      return;
    }
    // Scripts in order, one after the other; the workers (tiles only) fetched alongside.
    var chain = Promise.resolve(), workers = {}, fetching = [];
    cfg.libs.forEach(function (lib) {
      if (lib.worker) {
        if (cfg.kind !== "local") fetching.push(worker(lib).then(function (u) { workers[lib.worker] = u; }));
      } else chain = chain.then(function () { return load(lib); });
    });
    Promise.all([chain].concat(fetching)).then(function () { return draw(el, cfg, box, status, fail, workers); }).catch(function (e) { fail(e && e.message ? e.message : String(e)); });
  }
  // present says whether a library is already in the page, at which version.
  function present(lib) {
    var d = w.deck;
    if (!d || !d.VERSION) return null;
    if (lib.name === "deck.gl") return d.VERSION;
    if (lib.name === "@deck.gl/carto") return d.carto ? d.VERSION : null;
    return null;
  }
  // load adds a library's script once per page, with its integrity hash, and waits for it.
  function load(lib) {
    var have = present(lib);
    if (have === lib.version) return Promise.resolve();
    if (have) return Promise.reject(new Error("This page already has " + lib.name + " " + have + "; the map needs " + lib.version + ": reload the page and re-run the cell."));
    var loads = w.__cartomapLoads = w.__cartomapLoads || {};
    if (!loads[lib.url]) {
      loads[lib.url] = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        // The classic Notebook's RequireJS would take a UMD build as an AMD module.
        var amd = typeof w.define === "function" && w.define.amd ? w.define : null;
        function done() { if (amd) w.define = amd; }
        s.onload = function () { done(); resolve(); };
        s.onerror = function () {
          done();
          delete loads[lib.url];
          reject(new Error("Could not load " + lib.name + " " + lib.version + " from " + lib.url + ": it did not arrive, or it does not match its pinned integrity hash. The map is not drawn."));
        };
        s.integrity = lib.integrity;
        s.crossOrigin = "anonymous";
        s.src = lib.url;
        if (amd) w.define = undefined;
        document.head.appendChild(s);
      });
    }
    return loads[lib.url];
  }
  // worker fetches a loaders.gl worker with its integrity hash, once per page, and gives a
  // blob: URL to start it from.
  function worker(lib) {
    var cache = w.__cartomapWorkers = w.__cartomapWorkers || {};
    if (!cache[lib.url]) {
      cache[lib.url] = fetch(lib.url, { integrity: lib.integrity, mode: "cors", credentials: "omit" })
        .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.blob(); })
        .then(function (b) { return URL.createObjectURL(new Blob([b], { type: "text/javascript" })); })
        .catch(function () {
          delete cache[lib.url];
          throw new Error("Could not load " + lib.name + " " + lib.version + " from " + lib.url + ": it did not arrive, or it does not match its pinned integrity hash. The map is not drawn.");
        });
    }
    return cache[lib.url];
  }
  // workerOptions are loaders.gl's options that start each worker from its pinned copy.
  function workerOptions(workers) {
    var o = {};
    Object.keys(workers).forEach(function (id) { o[id] = { workerUrl: workers[id] }; });
    return o;
  }
  function colorAccessor(C, c) {
    if (!c) return null;
    var o = { attr: c.column, domain: c.domain, colors: c.palette };
    if (c.kind === "bins") return C.colorBins(o);
    if (c.kind === "categories") return C.colorCategories(o);
    return C.colorContinuous(o);
  }
  function rgb(c) { return "rgb(" + c[0] + "," + c[1] + "," + c[2] + ")"; }
  function legend(el, c, acc) {
    var lg = div(el, "position:absolute;right:8px;top:8px;background:rgba(255,255,255,.9);padding:6px 8px;border-radius:4px;font:11px sans-serif;max-width:45%");
    lg.className = "cartomap-legend";
    div(lg, "font-weight:bold;margin-bottom:3px", c.column);
    function probe(v) { var p = {}; p[c.column] = v; return acc({ properties: p }, {}); }
    function item(v, label) {
      var row = div(lg, "display:flex;align-items:center;gap:4px");
      var sw = div(row, "width:12px;height:12px;flex:none;background:" + rgb(probe(v)));
      sw.className = "cartomap-swatch";
      div(row, "", label);
    }
    var d = c.domain;
    if (c.kind === "bins") {
      item(d[0] - Math.max(1, Math.abs(d[0])), "< " + d[0]);
      for (var i = 0; i < d.length; i++) item(d[i], i + 1 < d.length ? d[i] + " – " + d[i + 1] : "≥ " + d[i]);
    } else if (c.kind === "categories") {
      d.forEach(function (v) { item(v, String(v)); });
      item("\u0000other", "other");
    } else {
      var stops = [];
      for (var j = 0; j <= 8; j++) stops.push(rgb(probe(d[0] + (d[d.length - 1] - d[0]) * j / 8)));
      div(lg, "height:10px;width:120px;background:linear-gradient(to right," + stops.join(",") + ")");
      div(lg, "display:flex;justify-content:space-between;width:120px", null);
      var ends = lg.lastChild;
      div(ends, "", String(d[0]));
      div(ends, "", String(d[d.length - 1]));
    }
  }
  function refused(status) {
    return "CARTO refused this map's token (HTTP " + status + "): it has expired, been deleted, or does not grant this source. Re-run the cell to draw the map with a new token.";
  }
  function draw(el, cfg, box, status, fail, workers) {
    var D = w.deck, C = D.carto;
    var data;
    if (cfg.kind === "local") {
      data = Promise.resolve({ bounds: cfg.bounds, local: cfg.data });
    } else {
      status.textContent = "Asking CARTO's Maps API for the map…";
      var o = { apiBaseUrl: cfg.apiBaseUrl, accessToken: cfg.accessToken, connectionName: cfg.connection, spatialDataColumn: cfg.spatialColumn };
      if (cfg.columns) o.columns = cfg.columns;
      if (cfg.kind === "table") { o.tableName = cfg.table; data = C.vectorTableSource(o); }
      else { o.sqlQuery = cfg.sql; if (cfg.params) o.queryParameters = cfg.params; data = C.vectorQuerySource(o); }
      data = data.catch(function (e) {
        var st = e && e.response && e.response.status;
        if (st === 401 || st === 403) throw new Error(refused(st));
        throw new Error("CARTO's Maps API did not give the map: " + (e && e.message ? e.message : String(e)));
      });
    }
    return data.then(function (tj) {
      var width = box.clientWidth || 600, height = cfg.height, b = tj.bounds || [-180, -85, 180, 85];
      var view = { longitude: 0, latitude: 20, zoom: 1 };
      try {
        var fit = new D.WebMercatorViewport({ width: width, height: height }).fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: Math.min(40, width / 4, height / 4), maxZoom: 11 });
        view = { longitude: fit.longitude, latitude: fit.latitude, zoom: Math.max(0, fit.zoom) };
      } catch (e) { /* the world view */ }
      var color = colorAccessor(C, cfg.color);
      var fill = color || [3, 111, 226, 220];
      var loaded = false, drawn = false;
      var style = {
        id: "data", pickable: true, stroked: true, filled: true,
        getFillColor: fill, getLineColor: color || [3, 111, 226, 255],
        pointRadiusUnits: "pixels", getPointRadius: cfg.pointRadius, lineWidthUnits: "pixels", getLineWidth: 2
      };
      var layer;
      if (cfg.kind === "local") {
        loaded = true;
        layer = new D.GeoJsonLayer(Object.assign(style, { data: tj.local }));
      } else {
        layer = new C.VectorTileLayer(Object.assign(style, {
          data: tj,
          // loaders.gl would start each worker (MVT, and CARTO's tile formats) from unpkg,
          // unpinned: the pinned ones instead.
          loadOptions: workerOptions(workers),
          onViewportLoad: function () { loaded = true; el.cartomapViewportLoads = (el.cartomapViewportLoads || 0) + 1; },
          onTileError: function (e) {
            var m = String(e && e.message || e), st = /\b(401|403)\b/.exec(m);
            fail(st ? refused(st[1]) : "A tile of the map could not be read: " + m);
          }
        }));
      }
      var layers = [];
      var attribution = "";
      if (cfg.basemap) {
        attribution = cfg.attribution;
        layers.push(new D.TileLayer({
          id: "basemap", data: cfg.basemap, minZoom: 0, maxZoom: 19, tileSize: 256,
          onTileError: function () { baseNote.textContent = "Basemap unavailable (" + attribution + ")"; },
          renderSubLayers: function (p) {
            var bb = p.tile.boundingBox;
            return new D.BitmapLayer(p, { data: null, image: p.data, bounds: [bb[0][0], bb[0][1], bb[1][0], bb[1][1]] });
          }
        }));
      }
      layers.push(layer);
      var baseNote = div(box, "position:absolute;right:4px;bottom:2px;font:10px sans-serif;color:#333;background:rgba(255,255,255,.7);padding:0 3px;z-index:1", attribution);
      baseNote.className = "cartomap-attribution";
      if (cfg.color) legend(box, cfg.color, color);
      var tips = cfg.tooltip || [];
      var deckgl = new D.Deck({
        parent: box, width: "100%", height: height, initialViewState: view, controller: true, layers: layers,
        getTooltip: tips.length ? function (info) {
          var f = info.object;
          if (!f || info.layer && info.layer.id === "basemap") return null;
          var p = f.properties || {};
          return { text: tips.map(function (k) { var v = p[k]; return k + ": " + (v === undefined || v === null ? "—" : String(v)); }).join("\n") };
        } : null,
        onAfterRender: function () {
          if (!loaded || drawn) return;
          drawn = true;
          el.cartomapDrawnMs = Math.round((w.performance ? performance.now() : 0) - t0);
          if (el.getAttribute("data-cartomap-state") === "loading") {
            el.setAttribute("data-cartomap-state", "drawn");
            status.textContent = "";
          }
        },
        onError: function (e) { fail("The map could not draw: " + (e && e.message ? e.message : String(e))); }
      });
      el.cartomapDeck = deckgl;
      status.textContent = "Drawing…";
    });
  }
  start(0);
})
