// The dashboard: polls /stats and /aggregations every second, /health every fifth time (it
// changes seldom, and every request costs the server), and draws them with uPlot.
// Rates come from the differences between two polls of the counters. A poll that fails leaves a
// gap and a notice, and polling goes on; counters that go back (a restart without the journal)
// or an uptime that does, start the rates afresh.
(function () {
  "use strict";

  var POLL_MS = 1000;
  var HIDDEN_POLL_MS = 5000; // a page nobody looks at costs the server less
  var TIMEOUT_MS = 3000;
  var HEALTH_EVERY = 5; // polls
  var KEEP = 300; // points per series: five minutes at one a second
  var COUNTERS = ["totalReceived", "totalProcessed", "totalFiltered", "totalRejected", "totalLate"];
  var number = new Intl.NumberFormat("en");
  var decimal = new Intl.NumberFormat("en", { maximumFractionDigits: 3 });

  function el(id) { return document.getElementById(id); }

  function columns(n) {
    var data = [];
    for (var i = 0; i < n; i++) { data.push([]); }
    return data;
  }

  function push(data, row) {
    for (var i = 0; i < data.length; i++) {
      data[i].push(row[i]);
      if (data[i].length > KEEP) { data[i].shift(); }
    }
  }

  function line(label, stroke, scale) {
    var s = { label: label, stroke: stroke, width: 1.5, spanGaps: false,
      value: function (u, v) { return v == null ? "–" : decimal.format(v); } };
    if (scale) { s.scale = scale; }
    return s;
  }

  // The time charts end at the newest point and span what they hold: from 30 s up to KEEP polls' worth.
  function lastMinutes(u, min, max) {
    var end = max == null ? Date.now() / 1000 : max;
    var span = min == null ? 30 : Math.min(KEEP * POLL_MS / 1000, Math.max(30, end - min));
    return [end - span, end];
  }

  // The window chart's bars are half a slide clear of its edges.
  function padded(u, min, max) {
    var xs = u.data[0];
    var pad = xs.length > 1 ? (xs[1] - xs[0]) / 2 : 5;
    return min == null ? [Date.now() / 1000 - 60, Date.now() / 1000] : [min - pad, max + pad];
  }

  function chart(id, series, axes, scales, x) {
    var target = el(id);
    var opts = {
      width: Math.max(300, target.clientWidth),
      height: 240,
      series: [{}].concat(series),
      axes: [{}].concat(axes),
      scales: Object.assign({ x: { time: true, range: x || lastMinutes } }, scales || {}),
      legend: { live: true },
      cursor: { drag: { x: false, y: false } }
    };
    return new uPlot(opts, columns(series.length + 1), target);
  }

  var rates = columns(6);
  var latency = columns(4);
  var ring = columns(3);

  var charts = {
    rates: chart("c-rates", [
      line("in", "#4a7bd0"), line("processed", "#1a7f37"), line("filtered", "#8e6fd0"),
      line("rejected", "#c62828"), line("late", "#b7791f")
    ], [{ label: "events/s", size: 60 }]),
    latency: chart("c-latency", [
      line("p50", "#1a7f37"), line("p99", "#b7791f"), line("p999", "#c62828")
    ], [{ label: "ms", size: 60 }]),
    ring: chart("c-ring", [
      line("ring used %", "#4a7bd0", "pct"), line("held by sinks", "#8e6fd0", "events")
    ], [{ label: "%", scale: "pct", size: 50 }, { label: "events", scale: "events", side: 1, size: 60, grid: { show: false } }],
    { pct: { range: [0, 100] }, events: { range: function (u, min, max) { return [0, Math.max(10, max)]; } } }),
    windows: chart("c-windows", [
      { label: "events", stroke: "#4a7bd0", fill: "rgba(74,123,208,0.35)", scale: "n",
        paths: uPlot.paths.bars({ size: [0.6, 60] }), points: { show: false } },
      line("avg", "#1a7f37", "v"), line("p95", "#c62828", "v")
    ], [{ label: "events", scale: "n", size: 60 }, { label: "value", scale: "v", side: 1, size: 60, grid: { show: false } }],
    { n: { range: function (u, min, max) { return [0, Math.max(1, max)]; } } }, padded)
  };

  var state = { polls: 0, failures: 0, restarts: 0, charts: charts };
  window.dashboard = state;

  var prev = null; // the last good poll: { at, counters }
  var lastOk = null;
  var health = null; // the last /health answer, and when it came
  var healthAt = 0;
  var uptimeSeen = -1;
  var failing = false; // the last poll failed: the next asks /health too

  function getJson(path, statuses) {
    var abort = new AbortController();
    var timer = setTimeout(function () { abort.abort(); }, TIMEOUT_MS);
    return fetch(path, { cache: "no-store", signal: abort.signal }).then(function (r) {
      if ((statuses || [200]).indexOf(r.status) < 0) {
        throw new Error(path + " answered " + r.status);
      }
      return r.json();
    }, function (e) {
      throw new Error(e.name === "AbortError" ? path + " did not answer within " + TIMEOUT_MS / 1000 + " s" : path + ": " + e.message);
    }).finally(function () { clearTimeout(timer); });
  }

  function time(ms) { return new Date(ms).toLocaleTimeString(); }

  function uptime(s) {
    if (s < 60) { return s + " s"; }
    if (s < 3600) { return Math.floor(s / 60) + " min"; }
    return Math.floor(s / 3600) + " h " + Math.floor((s % 3600) / 60) + " min";
  }

  function problem(text) {
    var p = el("problem");
    p.hidden = text == null;
    p.textContent = text || "";
  }

  function text(id, value) { el(id).textContent = value; }

  function render(at, stats, aggs, freshHealth) {
    var s = stats.stats;
    var uptimeBack = false;
    if (freshHealth) {
      uptimeBack = freshHealth.uptime < uptimeSeen;
      uptimeSeen = freshHealth.uptime;
      health = freshHealth;
      healthAt = at;
    }
    var restarted = prev != null && (uptimeBack || COUNTERS.some(function (k) { return s[k] < prev.counters[k]; }));
    if (restarted) {
      state.restarts++;
      prev = null;
    }
    var x = at / 1000;
    if (prev == null) {
      push(rates, [x, null, null, null, null, null]);
    } else {
      var dt = (at - prev.at) / 1000;
      push(rates, [x].concat(COUNTERS.map(function (k) { return (s[k] - prev.counters[k]) / dt; })));
    }
    var counters = {};
    COUNTERS.forEach(function (k) { counters[k] = s[k]; });
    prev = { at: at, counters: counters };

    var r = s.recent;
    push(latency, r.count > 0 ? [x, r.p50, r.p99, r.p999] : [x, null, null, null]);
    var used = s.ringCapacity > 0 ? 100 * s.ringUsed / s.ringCapacity : 0;
    push(ring, [x, used, stats.bufferSize]);
    charts.rates.setData(rates);
    charts.latency.setData(latency);
    charts.ring.setData(ring);
    renderWindows(aggs.aggregations);

    text("t-received", number.format(s.totalReceived));
    text("t-processed", number.format(s.totalProcessed));
    text("t-filtered", number.format(s.totalFiltered));
    text("t-rejected", number.format(s.totalRejected));
    text("t-late", number.format(s.totalLate));
    text("t-throughput", number.format(s.throughput));
    text("t-p99", r.count > 0 ? decimal.format(r.p99) : "–");
    text("t-ring", decimal.format(used));
    text("t-uptime", uptime(health.uptime + Math.round((at - healthAt) / 1000)));
    var pill = el("health");
    pill.className = "pill " + health.status;
    pill.textContent = health.status;
    text("reason", health.reason || "");
    text("updated", "updated " + time(at) + (state.restarts > 0 ? " · restarts seen: " + state.restarts : ""));
    renderSinks(stats.sinks || {});
  }

  function renderWindows(windows) {
    var data = columns(4);
    windows.forEach(function (w) {
      data[0].push(w.window.start / 1000);
      data[1].push(w.count);
      data[2].push(w.avg);
      data[3].push(w.p95);
    });
    charts.windows.setData(data);
    var box = el("types");
    box.textContent = "";
    if (windows.length === 0) {
      text("types-window", "(no window yet)");
      return;
    }
    var newest = windows[windows.length - 1];
    text("types-window", "in the newest window, " + time(newest.window.start) + "–" + time(newest.window.end));
    var types = Object.keys(newest.eventsByType).map(function (k) { return [k, newest.eventsByType[k]]; });
    types.sort(function (a, b) { return b[1] - a[1]; });
    var top = types.length > 0 ? types[0][1] : 1;
    types.slice(0, 20).forEach(function (t) {
      var row = document.createElement("div");
      row.className = "bar";
      var name = document.createElement("span");
      name.className = "name";
      name.textContent = t[0];
      name.title = t[0];
      var track = document.createElement("span");
      var fill = document.createElement("span");
      fill.className = "fill";
      fill.style.display = "block";
      fill.style.width = (100 * t[1] / top) + "%";
      track.appendChild(fill);
      var n = document.createElement("span");
      n.className = "n";
      n.textContent = number.format(t[1]);
      row.appendChild(name);
      row.appendChild(track);
      row.appendChild(n);
      box.appendChild(row);
    });
  }

  function renderSinks(sinks) {
    var body = el("sinks").tBodies[0];
    body.textContent = "";
    var names = Object.keys(sinks);
    el("no-sinks").hidden = names.length > 0;
    names.forEach(function (name) {
      var k = sinks[name];
      var tr = document.createElement("tr");
      [name, k.status, k.written, k.failed, k.dropped, k.buffered,
        k.lastError == null ? "" : k.lastError + " (" + time(k.lastErrorAt) + ")"].forEach(function (v, i) {
        var td = document.createElement("td");
        td.textContent = typeof v === "number" ? number.format(v) : v;
        if (i === 1) { td.className = v; }
        if (i >= 2 && i <= 5) { td.className = "num"; }
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
  }

  function unreachable(at, error) {
    state.failures++;
    failing = true;
    var x = at / 1000;
    push(rates, [x, null, null, null, null, null]);
    push(latency, [x, null, null, null]);
    push(ring, [x, null, null]);
    charts.rates.setData(rates);
    charts.latency.setData(latency);
    charts.ring.setData(ring);
    var pill = el("health");
    pill.className = "pill unreachable";
    pill.textContent = "unreachable";
    problem("Cannot reach the server: " + error.message + ". Retrying every second"
      + (lastOk == null ? "." : "; last update " + time(lastOk) + "."));
  }

  function poll() {
    var at = Date.now();
    var askHealth = health == null || failing || state.polls % HEALTH_EVERY === 0;
    Promise.all([getJson("/stats"), getJson("/aggregations"),
      askHealth ? getJson("/health", [200, 503]) : Promise.resolve(null)]).then(function (answers) {
      try {
        render(at, answers[0], answers[1], answers[2]);
        lastOk = at;
        failing = false;
        state.polls++;
        problem(null);
      } catch (e) {
        console.error("dashboard: cannot show the answers", e);
        problem("The dashboard could not show the server's answers: " + e.message);
      }
    }, function (e) {
      unreachable(at, e);
    }).finally(function () {
      setTimeout(poll, document.hidden ? HIDDEN_POLL_MS : POLL_MS);
    });
  }

  window.addEventListener("resize", function () {
    Object.keys(charts).forEach(function (k) {
      var u = charts[k];
      u.setSize({ width: Math.max(300, u.root.parentNode.clientWidth), height: 240 });
    });
  });

  poll();
}());
