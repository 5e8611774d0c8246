// The /ops page: cluster members and shards from /ops/cluster, this node's stream rates, in-flight
// counts and lags from /metrics (Prometheus text), each series plotted as an SVG sparkline over the
// last 5 minutes. No library, no inline script or style (the app's Content-Security-Policy).
'use strict';
(function () {
  var INTERVAL_MS = 5000;
  var KEEP = 60; // samples: 5 minutes
  var history = {}; // series key -> [values]
  var previous = null; // last scrape's counters, for rates
  var SVG = 'http://www.w3.org/2000/svg';

  function text(tag, content, cls) {
    var el = document.createElement(tag);
    el.textContent = content;
    if (cls) el.className = cls;
    return el;
  }

  // "name{a="x",b="y"} 12.5" -> {name, labels, value}; comments and blank lines skipped
  function parseMetrics(body) {
    var samples = [];
    body.split('\n').forEach(function (line) {
      if (!line || line.charAt(0) === '#') return;
      var m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
      if (!m) return;
      var labels = {};
      (m[3] || '').replace(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g, function (all, k, v) {
        labels[k] = v;
      });
      samples.push({ name: m[1], labels: labels, value: parseFloat(m[4]) });
    });
    return samples;
  }

  function remember(key, value) {
    var series = history[key] || (history[key] = []);
    series.push(value);
    if (series.length > KEEP) series.shift();
    return series;
  }

  function sparkline(values) {
    var w = 240, h = 48;
    var svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('width', w);
    svg.setAttribute('height', h);
    svg.setAttribute('viewBox', '0 0 ' + w + ' ' + h);
    var max = Math.max.apply(null, values.concat([1e-9]));
    var points = values.map(function (v, i) {
      var x = values.length < 2 ? 0 : (i * w) / (KEEP - 1);
      return x.toFixed(1) + ',' + (h - 2 - (v / max) * (h - 4)).toFixed(1);
    });
    var line = document.createElementNS(SVG, 'polyline');
    line.setAttribute('points', points.join(' '));
    svg.appendChild(line);
    return svg;
  }

  function plot(container, key, title, value, unit) {
    var values = remember(key, value);
    var box = document.createElement('div');
    box.className = 'plot';
    box.appendChild(text('div', title, 'title'));
    box.appendChild(text('div', value.toFixed(value < 10 ? 2 : 0) + ' ' + unit, 'value'));
    box.appendChild(sparkline(values));
    container.appendChild(box);
  }

  function renderMetrics(samples, seconds) {
    var streams = document.getElementById('streams');
    var lags = document.getElementById('lags');
    var projections = document.getElementById('projections');
    streams.replaceChildren();
    lags.replaceChildren();
    projections.replaceChildren();
    var counters = {};
    samples.forEach(function (s) {
      var l = s.labels;
      if (s.name === 'flick_stream_elements_total') {
        var key = 'rate ' + l.stream + ' ' + l.segment;
        counters[key] = s.value;
        var before = previous && previous[key];
        var rate = before === undefined || seconds <= 0 ? 0 : Math.max(0, s.value - before) / seconds;
        plot(streams, key, l.stream + ' · ' + l.segment, rate, '/s');
      } else if (s.name === 'flick_stream_in_flight') {
        plot(streams, 'inflight ' + l.stream + ' ' + l.segment,
          l.stream + ' · in flight in ' + l.segment, s.value, '');
      } else if (s.name === 'flick_kafka_consumer_lag') {
        plot(lags, 'lag ' + l.group, l.group, s.value, 'messages');
      } else if (s.name === 'flick_projection_lag_seconds') {
        plot(projections, 'projection ' + l.projection + ' ' + l.tag,
          l.projection + ' · ' + l.tag, s.value, 's');
      }
    });
    previous = counters;
  }

  function renderCluster(state) {
    document.getElementById('self').textContent = 'this node: ' + state.self;
    var members = document.querySelector('#members tbody');
    members.replaceChildren();
    state.members.forEach(function (m) {
      var row = document.createElement('tr');
      row.appendChild(text('td', m.address + (m.self ? ' (this node)' : '')));
      row.appendChild(text('td', m.status, m.status === 'Up' ? '' : 'down'));
      row.appendChild(text('td', m.reachable ? 'yes' : 'NO', m.reachable ? '' : 'down'));
      row.appendChild(text('td', m.roles.join(', ')));
      row.appendChild(text('td', m.appVersion));
      members.appendChild(row);
    });
    var shards = document.querySelector('#shards tbody');
    shards.replaceChildren();
    Object.keys(state.shards).forEach(function (type) {
      var nodes = state.shards[type];
      if (nodes.error) {
        var row = document.createElement('tr');
        row.appendChild(text('td', type));
        row.appendChild(text('td', nodes.error, 'down'));
        shards.appendChild(row);
        return;
      }
      Object.keys(nodes).forEach(function (address) {
        var row = document.createElement('tr');
        row.appendChild(text('td', type));
        row.appendChild(text('td', address));
        row.appendChild(text('td', String(nodes[address].shards)));
        row.appendChild(text('td', String(nodes[address].entities)));
        shards.appendChild(row);
      });
    });
  }

  function showError(message) {
    var el = document.getElementById('error');
    el.textContent = message;
    el.hidden = !message;
  }

  var last = 0;
  function refresh() {
    var now = Date.now();
    var seconds = last ? (now - last) / 1000 : 0;
    last = now;
    Promise.all([
      fetch('/ops/cluster').then(function (r) {
        if (!r.ok) throw new Error('/ops/cluster answered ' + r.status);
        return r.json();
      }),
      fetch('/metrics').then(function (r) {
        if (!r.ok) throw new Error('/metrics answered ' + r.status);
        return r.text();
      })
    ]).then(function (results) {
      renderCluster(results[0]);
      renderMetrics(parseMetrics(results[1]), seconds);
      showError('');
    }).catch(function (e) {
      showError('Could not refresh: ' + e.message);
    });
  }

  refresh();
  setInterval(refresh, INTERVAL_MS);
})();
