/* Charts of the explorer pages (Chart.js, chartjs-chart-geo) and the live what-if table.
 * Data come from the page (<script type="application/json" id="chart-data">); every chart has the same data
 * as a table in the page. In right-to-left pages the category axis is reversed, the value axis is on the
 * right and legends and tooltips are laid out right to left. */
(function () {
  "use strict";
  var root = document.documentElement;
  var rtl = root.dir === "rtl";
  var lang = root.lang || "en";
  var palette = ["#1f4e79", "#b35900", "#2e7d32", "#8e24aa", "#c62828", "#00838f", "#6d4c41", "#546e7a"];
  var fmt = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });

  function readJSON(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function baseOptions(extra) {
    var dir = rtl ? "rtl" : "ltr";
    var o = {
      responsive: true, maintainAspectRatio: false, locale: lang, animation: false, layout: { padding: 12 },
      plugins: { legend: { rtl: rtl, textDirection: dir }, tooltip: { rtl: rtl, textDirection: dir } },
      scales: { x: { reverse: rtl }, y: { position: rtl ? "right" : "left", ticks: { callback: function (v) { return fmt.format(v); } } } }
    };
    return Object.assign(o, extra || {});
  }

  function chartExplore(data) {
    var line = document.querySelector('canvas[data-chart="line"]');
    if (line) {
      var many = data.rows.length > 10;
      new Chart(line, {
        type: "line",
        data: { labels: data.years.map(String), datasets: data.rows.map(function (r, k) {
          return { label: r.name, data: r.values, borderColor: palette[k % palette.length],
                   backgroundColor: palette[k % palette.length], spanGaps: true, pointRadius: 2 };
        }) },
        options: (function () { var o = baseOptions(); o.plugins.legend.display = !many; return o; })()
      });
    }
    var bar = document.querySelector('canvas[data-chart="bar"]');
    if (bar) {
      var rows = data.rows.filter(function (r) { return r.bar !== null; })
        .sort(function (a, b) { return b.bar - a.bar; });
      var o = baseOptions({ indexAxis: "y" });
      o.plugins.legend.display = false;
      // horizontal bars: the value axis is x (mirrored in Arabic), the names on the start side
      o.scales = { x: { reverse: rtl, ticks: { callback: function (v) { return fmt.format(v); } } },
                   y: { position: rtl ? "right" : "left", ticks: { autoSkip: false } } };
      bar.parentNode.style.height = Math.max(18, rows.length * 1.1) + "rem";
      new Chart(bar, { type: "bar", data: { labels: rows.map(function (r) { return r.name; }),
        datasets: [{ label: data.title, data: rows.map(function (r) { return r.bar; }), backgroundColor: palette[0] }] },
        options: o });
    }
    var map = document.querySelector('canvas[data-chart="map"]');
    if (map && window.ChartGeo) {
      var values = {};
      data.rows.forEach(function (r) { if (r.m49 && r.bar !== null) values[r.m49] = r; });
      fetch(map.dataset.topology).then(function (resp) { return resp.json(); }).then(function (topo) {
        var features = ChartGeo.topojson.feature(topo, topo.objects.countries).features;
        var shown = features.filter(function (f) { return values[f.id]; });
        new Chart(map, {
          type: "choropleth",
          data: { labels: shown.map(function (f) { return values[f.id].name; }),
                  datasets: [{ label: data.title, outline: features, showOutline: true,
                               data: shown.map(function (f) { return { feature: f, value: values[f.id].bar }; }) }] },
          options: { responsive: true, maintainAspectRatio: false, animation: false, locale: lang,
                     plugins: { legend: { display: false }, tooltip: { rtl: rtl } },
                     scales: { projection: { axis: "x", projection: "equalEarth" },
                               color: { axis: "x", quantize: 5, legend: { position: rtl ? "bottom-left" : "bottom-right" } } } }
        });
      }).catch(function () { map.parentNode.hidden = true; });
    }
  }

  function chartCompare(data) {
    var sets = data.series.map(function (s, k) {
      return { label: s.name, data: s.values, backgroundColor: palette[k % palette.length],
               borderColor: palette[k % palette.length] };
    });
    var bar = document.querySelector('canvas[data-chart="compare-bar"]');
    if (bar) {
      var o = baseOptions();
      o.scales.y.min = 0; o.scales.y.max = 100;
      new Chart(bar, { type: "bar", data: { labels: data.labels, datasets: sets }, options: o });
    }
    var radar = document.querySelector('canvas[data-chart="radar"]');
    if (radar) {
      var r = baseOptions();
      r.scales = { r: { min: 0, max: 100, ticks: { callback: function (v) { return fmt.format(v); } } } };
      new Chart(radar, { type: "radar", data: { labels: data.labels, datasets: sets.map(function (s) {
        return Object.assign({}, s, { backgroundColor: s.borderColor + "33" }); }) }, options: r });
    }
  }

  function whatIf(form) {
    var names = readJSON("member-names") || {};
    var status = document.getElementById("whatif-status");
    var tbody = document.getElementById("whatif-rows");
    var num0 = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });
    var num1 = new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    var signed = new Intl.NumberFormat(lang, { maximumFractionDigits: 0, signDisplay: "exceptZero" });
    var timer = null, seq = 0;

    function cell(tag, text, cls) {
      var c = document.createElement(tag);
      if (cls) c.className = cls;
      var b = document.createElement("bdi"); b.dir = "ltr"; b.textContent = text; c.appendChild(b);
      return c;
    }
    function render(body) {
      tbody.textContent = "";
      body.results.forEach(function (r) {
        var tr = document.createElement("tr"); tr.dataset.iso3 = r.iso3;
        tr.appendChild(cell("td", r.rank === null ? "–" : num0.format(r.rank), "num"));
        var th = document.createElement("th"); th.scope = "row"; th.textContent = names[r.iso3] || r.iso3; tr.appendChild(th);
        tr.appendChild(cell("td", r.score === null ? "–" : num1.format(r.score), "num"));
        tr.appendChild(cell("td", r.nominal_rank === null ? "–" : num0.format(r.nominal_rank), "num"));
        tr.appendChild(cell("td", r.rank_change ? signed.format(r.rank_change) : "–", "num"));
        tr.appendChild(cell("td", r.rank_q05 === null ? "" : num0.format(r.rank_q05) + "–" + num0.format(r.rank_q95), "num"));
        tbody.appendChild(tr);
      });
    }
    function update() {
      var parts = [], bad = false;
      form.querySelectorAll("input[data-area]").forEach(function (input) {
        input.removeAttribute("aria-invalid");
        if (input.value.trim() !== "") parts.push(input.dataset.area + ":" + input.value.trim());
      });
      var mine = ++seq;
      var url = form.dataset.api + "?lang=" + encodeURIComponent(form.dataset.lang) +
                "&weights=" + encodeURIComponent(parts.join(","));
      fetch(url, { headers: { Accept: "application/json" } }).then(function (resp) {
        return resp.json().then(function (body) { return { ok: resp.ok, body: body }; });
      }).then(function (res) {
        if (mine !== seq) return;   // a later change already asked
        if (res.ok) {
          render(res.body);
          status.textContent = form.dataset.updated || "";
        } else {
          var msgs = (res.body.errors && res.body.errors.weights) || [res.body.detail];
          status.innerHTML = "";
          var box = document.createElement("div"); box.className = "error-box"; box.setAttribute("role", "alert");
          msgs.forEach(function (m) { var p = document.createElement("p"); p.textContent = m; box.appendChild(p); });
          status.appendChild(box);
        }
      });
    }
    form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(update, 250); });
    form.addEventListener("submit", function (e) { e.preventDefault(); clearTimeout(timer); update(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var data = readJSON("chart-data");
    if (data && window.Chart) {
      if (data.years) chartExplore(data);
      if (data.series) chartCompare(data);
    }
    var form = document.getElementById("whatif-form");
    if (form) whatIf(form);
  });
})();
