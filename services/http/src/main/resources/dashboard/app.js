/*
 * rramlab dashboard: one live event stream (Server-Sent Events) plus a slow REST poll.
 * Built to run for days on a wall monitor: every list is a bounded rolling window, charts are
 * redrawn at most once a second, and the stream reconnects by itself (the browser resumes with
 * Last-Event-ID; when it gives up, we reconnect with backoff and the last id we saw).
 */
(function () {
  'use strict';

  const TOKEN_KEY = 'rramlab.token';
  const MAX_EVENTS_SHOWN = 80;
  const MAX_ACCURACY_POINTS = 5000;
  const MAX_ROUNDS = 500;
  const MAX_POLLED_ARRAYS = 32;
  const POLL_MS = 5000;
  const REDRAW_MS = 1000;
  // the drift benchmark's results change when someone runs it: a slow poll is enough
  const BENCH_POLL_MS = 30000;
  const BENCH_COLORS = { none: '#e0604f', osa: '#5aa9e6', full: '#5fbf86', comp: '#c39bd3', replace: '#f0b35a',
    'full-layer': '#4cc2c2' };
  const STREAM_TYPES = ['statistics.report', 'statistics.alarm', 'campaign.status', 'array.health',
    'accuracy.check', 'osa.round', 'drift.decision', 'training.job', 'stream.gap'];
  // one colour per level, dark (Gmin) to light (Gmax): the levels are ordered
  const PALETTE = ['#5b4a9e', '#5565b0', '#4b80bb', '#3f99bd', '#3cb0b4', '#4cc2a0', '#6fcf86',
    '#98d86c', '#c4dd5a', '#ecd95a'];

  const state = {
    lastId: null,
    report: null,
    arrays: new Map(),      // id -> summary
    arrayStats: new Map(),  // id -> statistics report
    campaigns: new Map(),   // id -> status
    accuracy: [],           // {t, accuracy, baseline}
    rounds: [],             // osa.round data with t
    decisions: [],          // drift.decision data with t (all but "nothing")
    bench: null,            // the latest drift benchmark (GET /api/benchmarks/drift), or null
    wafers: [],             // GET /api/wafers: {name, dies, modified}
    wafer: null,            // the wafer shown (GET /api/wafers/NAME)
    eventsSeen: 0,
    connected: false,
    role: null,
    dirty: { stats: false, accuracy: false, tables: false },
    lastAction: ''
  };

  const $ = (id) => document.getElementById(id);

  // ---- token -----------------------------------------------------------------------------

  function token() {
    return localStorage.getItem(TOKEN_KEY) || '';
  }

  function takeTokenFromUrl() {
    const url = new URL(window.location.href);
    const t = url.searchParams.get('token');
    if (t) {
      localStorage.setItem(TOKEN_KEY, t);
      url.searchParams.delete('token');
      // keep the token out of the address bar and the history
      window.history.replaceState(null, '', url.pathname + url.search + url.hash);
    }
  }

  function setToken(t) {
    if (t) {
      localStorage.setItem(TOKEN_KEY, t);
    } else {
      localStorage.removeItem(TOKEN_KEY);
    }
    // keep the cursor: the new stream resumes where the old one was, without repeating events
    checkSession();
    connect();
    poll();
    pollBench();
    pollWafers();
  }

  // ---- REST ------------------------------------------------------------------------------

  async function api(method, path) {
    const headers = { 'Accept': 'application/json' };
    const t = token();
    if (t) {
      headers['Authorization'] = 'Bearer ' + t;
    }
    let response;
    try {
      response = await fetch(path, { method: method, headers: headers, cache: 'no-store' });
    } catch (e) {
      return { status: 0, ok: false, body: { error: 'the node cannot be reached: ' + e.message } };
    }
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      body = null;
    }
    return { status: response.status, ok: response.ok, body: body };
  }

  function errorText(r) {
    const message = r.body && r.body.error ? r.body.error : 'no message';
    return r.status ? r.status + ': ' + message : message;
  }

  function notice(text) {
    const n = $('notice');
    n.textContent = text || '';
    n.hidden = !text;
  }

  async function checkSession() {
    if (!token()) {
      state.role = null;
      $('role').textContent = '';
      notice('This dashboard needs a token: enter a viewer or operator token above. '
        + '`rramlab run` prints both at the node\'s first start.');
      return;
    }
    const r = await api('GET', '/api/session');
    if (r.ok) {
      state.role = r.body.role;
      $('role').textContent = state.role;
      state.dirty.tables = true; // the operator buttons follow the role
      notice('');
    } else {
      state.role = null;
      $('role').textContent = 'refused';
      notice('The token was refused (' + errorText(r) + ').');
    }
  }

  async function poll() {
    if (!token()) {
      return;
    }
    const list = await api('GET', '/api/campaigns');
    if (!list.ok) {
      if (list.status === 401 || list.status === 403) {
        notice('The node refused to list campaigns (' + errorText(list) + ').');
      }
      return;
    }
    const seen = new Set();
    const arrayIds = new Set(state.arrays.keys());
    for (const c of list.body) {
      state.campaigns.set(c.id, c);
      seen.add(c.id);
      (c.arrays || []).forEach((a) => arrayIds.add(a));
    }
    for (const id of Array.from(state.campaigns.keys())) {
      if (!seen.has(id)) {
        state.campaigns.delete(id);
      }
    }
    // every array the node knows: registered ones (simulated, physical) and imported measured reads
    const known = await api('GET', '/api/arrays');
    if (known.ok && Array.isArray(known.body)) {
      for (const a of known.body) {
        if (a.kind === 'imported') {
          const archived = a.archived || {};
          state.arrays.set(a.array_id, { array_id: a.array_id, kind: 'imported', link: 'imported',
            reads: archived.frames, cell_reads: archived.cell_reads, imported: true });
        } else {
          arrayIds.add(a.array_id);
        }
      }
    }
    const ids = Array.from(arrayIds).filter((id) => !(state.arrays.get(id) || {}).imported)
      .slice(0, MAX_POLLED_ARRAYS);
    await Promise.all(ids.map(async (id) => {
      const [summary, stats] = await Promise.all([
        api('GET', '/api/arrays/' + encodeURIComponent(id)),
        api('GET', '/api/statistics/' + encodeURIComponent(id))]);
      if (summary.ok) {
        state.arrays.set(id, summary.body);
      }
      if (stats.ok) {
        state.arrayStats.set(id, stats.body);
      }
    }));
    state.dirty.tables = true;
  }

  async function pollBench() {
    if (!token()) {
      return;
    }
    const r = await api('GET', '/api/benchmarks/drift');
    if (r.ok && r.body && Array.isArray(r.body.policies)) {
      if (!state.bench || state.bench.date !== r.body.date) {
        state.bench = r.body;
        drawBench();
      }
    } else if (r.status === 404) {
      state.bench = null;
      drawBench();
    }
  }

  // ---- wafer runs (GET /api/wafers) --------------------------------------------------------

  const wafer = { name: null, dies: 0, notOnRoute: 0, pending: 0, drawn: 0, metric: 'sigma' };

  async function pollWafers() {
    if (!token()) {
      return;
    }
    const r = await api('GET', '/api/wafers');
    if (!r.ok || !r.body || !Array.isArray(r.body.wafers)) {
      return;
    }
    state.wafers = r.body.wafers;
    const select = $('wafer-select');
    const names = state.wafers.map((w) => w.name);
    if (select.options.length !== names.length || names.some((n, i) => select.options[i].value !== n)) {
      const keep = select.value;
      select.textContent = '';
      for (const n of names) {
        const o = document.createElement('option');
        o.value = n;
        o.textContent = n;
        select.appendChild(o);
      }
      // the most recently written wafer unless one was chosen
      const newest = state.wafers.slice().sort((a, b) => (a.modified < b.modified ? 1 : -1))[0];
      select.value = names.includes(keep) ? keep : (newest ? newest.name : '');
    }
    await loadWafer(select.value);
  }

  async function loadWafer(name) {
    if (!name) {
      state.wafer = null;
      drawWafer();
      return;
    }
    const r = await api('GET', '/api/wafers/' + encodeURIComponent(name));
    if (r.ok && r.body) {
      state.wafer = r.body;
      drawWafer();
    }
  }

  function waferValue(d) {
    if (wafer.metric === 'stuck') {
      return (d.stuck_high_fraction || 0) + (d.stuck_low_fraction || 0);
    }
    if (wafer.metric === 'nu') {
      return d.drift && typeof d.drift.nu_at_gmax === 'number' ? d.drift.nu_at_gmax : null;
    }
    return typeof d.mean_log_sigma === 'number' ? d.mean_log_sigma : null;
  }

  function fmt(v, digits) {
    return typeof v === 'number' && isFinite(v) ? v.toFixed(digits) : '–';
  }

  function drawWafer() {
    const svg = $('wafer-map');
    const ns = 'http://www.w3.org/2000/svg';
    svg.textContent = '';
    const w = state.wafer;
    const body = $('wafer-table').tBodies[0];
    body.textContent = '';
    if (!w || !w.dies.length) {
      wafer.name = w ? w.name : null;
      wafer.dies = 0;
      wafer.notOnRoute = 0;
      wafer.pending = w ? w.pending.length : 0;
      wafer.drawn = 0;
      $('wafer-caption').textContent = 'no wafer run yet';
      body.innerHTML = '<tr class="empty"><td colspan="4">no wafer run yet</td></tr>';
      return;
    }
    const cols = Math.max(1, w.grid.columns);
    const rows = Math.max(1, w.grid.rows);
    // the grid's corners touch the wafer's edge, a circle inside the 400 x 400 view
    const cell = 390 / Math.hypot(cols, rows);
    const x0 = (400 - cols * cell) / 2;
    const y0 = (400 - rows * cell) / 2;
    const edge = document.createElementNS(ns, 'circle');
    edge.setAttribute('cx', 200);
    edge.setAttribute('cy', 200);
    edge.setAttribute('r', 196);
    edge.setAttribute('class', 'wafer-edge');
    svg.appendChild(edge);
    const values = w.dies.map(waferValue).filter((v) => v !== null);
    const lo = values.length ? Math.min(...values) : 0;
    const hi = values.length ? Math.max(...values) : 1;
    let drawn = 0;
    const square = (c, r, cls, fill, title, label, dark) => {
      const g = document.createElementNS(ns, 'g');
      g.setAttribute('class', cls);
      const rect = document.createElementNS(ns, 'rect');
      rect.setAttribute('x', x0 + c * cell + 1);
      rect.setAttribute('y', y0 + r * cell + 1);
      rect.setAttribute('width', cell - 2);
      rect.setAttribute('height', cell - 2);
      if (fill) {
        rect.setAttribute('fill', fill);
      }
      const t = document.createElementNS(ns, 'title');
      t.textContent = title;
      rect.appendChild(t);
      g.appendChild(rect);
      if (label) {
        const text = document.createElementNS(ns, 'text');
        text.setAttribute('x', x0 + (c + 0.5) * cell);
        text.setAttribute('y', y0 + (r + 0.5) * cell);
        text.textContent = label;
        if (dark) {
          text.setAttribute('class', 'on-dark');
        }
        g.appendChild(text);
      }
      svg.appendChild(g);
    };
    for (const p of w.not_on_route) {
      square(p.column, p.row, 'wafer-off', null, 'column ' + p.column + ', row ' + p.row + ': not on the route (skipped or off the wafer)', '');
    }
    for (const d of w.dies) {
      const v = waferValue(d);
      const f = v === null ? null : (hi > lo ? (v - lo) / (hi - lo) : 0.5);
      const colour = f === null ? '#444' : PALETTE[Math.min(PALETTE.length - 1, Math.round(f * (PALETTE.length - 1)))];
      const nu = d.drift ? ', ν ' + fmt(d.drift.nu_at_gmin, 4) + ' (Gmin) to ' + fmt(d.drift.nu_at_gmax, 4) + ' (Gmax)' : '';
      square(d.column, d.row, 'wafer-die', colour, 'die ' + d.die + ' at column ' + d.column + ', row ' + d.row + ': mean σ '
        + fmt(d.mean_log_sigma, 4) + ', stuck ' + fmt(100 * (d.stuck_high_fraction || 0), 2) + ' % hi / '
        + fmt(100 * (d.stuck_low_fraction || 0), 2) + ' % lo' + nu, String(d.die), f === null || f < 0.35);
      drawn++;
    }
    for (const l of w.wafer.levels) {
      const tr = document.createElement('tr');
      tr.innerHTML = '<td></td><td></td><td></td><td></td>';
      tr.cells[0].textContent = l.level;
      tr.cells[1].textContent = typeof l.median_siemens === 'number' ? fmt(l.median_siemens * 1e6, 2) + ' µS' : '–';
      tr.cells[2].textContent = fmt(l.log_sigma_median, 3);
      tr.cells[3].textContent = fmt(l.log_sigma_min, 3) + '–' + fmt(l.log_sigma_max, 3);
      body.appendChild(tr);
    }
    const dr = w.wafer.drift;
    const driftText = dr && dr.dies ? ' · drift ν at Gmax ' + fmt(dr.nu_at_gmax.median, 4) + ' (sd ' + fmt(dr.nu_at_gmax.sd, 4)
      + ', ' + dr.dies + ' dies)' : '';
    $('wafer-caption').textContent = w.dies.length + ' dies' + (w.pending.length ? ', ' + w.pending.length + ' to go' : '')
      + ' · stuck ' + fmt(100 * w.wafer.stuck_high_mean, 2) + ' % hi / ' + fmt(100 * w.wafer.stuck_low_mean, 2) + ' % lo'
      + driftText + ' · colour ' + fmt(lo, 4) + ' (dark) to ' + fmt(hi, 4) + ' (light)';
    wafer.name = w.name;
    wafer.dies = w.dies.length;
    wafer.notOnRoute = w.not_on_route.length;
    wafer.pending = w.pending.length;
    wafer.drawn = drawn;
  }

  async function downloadWafer(file) {
    const name = $('wafer-select').value;
    if (!name) {
      return;
    }
    const response = await fetch('/api/wafers/' + encodeURIComponent(name) + '/' + file,
      { headers: { 'Authorization': 'Bearer ' + token() }, cache: 'no-store' });
    if (!response.ok) {
      notice('The wafer export was refused (' + response.status + ').');
      return;
    }
    const url = URL.createObjectURL(await response.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = name + '-' + file;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  // ---- the live stream -------------------------------------------------------------------

  let source = null;
  let backoffMs = 1000;
  let retryTimer = null;

  function setConnection(kind, text) {
    $('conn').className = 'dot ' + kind;
    $('conn-text').textContent = text;
    state.connected = kind === 'live';
  }

  function connect() {
    if (retryTimer) {
      clearTimeout(retryTimer);
      retryTimer = null;
    }
    if (source) {
      source.close();
      source = null;
    }
    const t = token();
    if (!t) {
      setConnection('off', 'no token');
      return;
    }
    let url = '/api/streams/events?access_token=' + encodeURIComponent(t);
    if (state.lastId !== null) {
      url += '&last_event_id=' + state.lastId;
    }
    const es = new EventSource(url);
    source = es;
    es.onopen = () => {
      backoffMs = 1000;
      setConnection('live', 'live');
    };
    es.onerror = () => {
      if (es.readyState === EventSource.CLOSED) {
        // refused or unreachable: the browser will not retry, so we do, a little slower each time
        const wait = backoffMs;
        backoffMs = Math.min(backoffMs * 2, 60000);
        setConnection('off', 'disconnected · retrying in ' + Math.round(wait / 1000) + ' s');
        retryTimer = setTimeout(() => {
          checkSession();
          connect();
        }, wait);
      } else {
        setConnection('retry', 'reconnecting…');
      }
    };
    STREAM_TYPES.forEach((type) => es.addEventListener(type, onEvent));
  }

  function onEvent(message) {
    let event;
    try {
      event = JSON.parse(message.data);
    } catch (e) {
      return;
    }
    if (event.id >= 0) {
      state.lastId = event.id;
    }
    state.eventsSeen++;
    $('last-event').textContent = 'last event ' + clock(new Date(event.time));
    const d = event.data || {};
    switch (event.type) {
      case 'statistics.report':
        state.report = d;
        state.dirty.stats = true;
        return;
      case 'statistics.alarm':
        logEvent(event, d.kind === 'drift_detected'
          ? (d.array_id + ' level ' + d.level + ' moved ' + pct(d.relative_change, 1))
          : (d.array_id + ' CUSUM ' + fixed(d.statistic, 2)), true);
        return;
      case 'campaign.status':
        if (d.id) {
          state.campaigns.set(d.id, d);
          state.dirty.tables = true;
        }
        logEvent(event, (d.id || '?') + ' ' + (d.state || ''));
        return;
      case 'array.health':
        if (d.array_id) {
          state.arrays.set(d.array_id, d);
          state.dirty.tables = true;
        }
        logEvent(event, (d.array_id || '?') + ' link ' + (d.link || '?'), d.link !== 'connected');
        return;
      case 'accuracy.check':
        pushBounded(state.accuracy, { t: Date.parse(event.time) / 1000, accuracy: num(d.accuracy),
          baseline: num(d.baseline) }, MAX_ACCURACY_POINTS);
        state.dirty.accuracy = true;
        return;
      case 'osa.round':
        pushBounded(state.rounds, Object.assign({ t: Date.parse(event.time) / 1000 }, d), MAX_ROUNDS);
        pushBounded(state.accuracy, { t: Date.parse(event.time) / 1000, accuracy: num(d.accuracy_after),
          baseline: NaN }, MAX_ACCURACY_POINTS);
        state.dirty.accuracy = true;
        logEvent(event, (d.deployment || '') + ' round ' + d.round + ': ' + pct(d.accuracy_before, 1)
          + ' → ' + pct(d.accuracy_after, 1));
        return;
      case 'drift.decision':
        if (d.action && d.action !== 'nothing') {
          pushBounded(state.decisions, Object.assign({ t: Date.parse(event.time) / 1000 }, d), MAX_ROUNDS);
          state.dirty.accuracy = true;
          logEvent(event, (d.deployment || '') + ' ' + d.action + ': ' + (d.reason || ''));
        }
        return;
      case 'training.job':
        logEvent(event, (d.id || '') + ' ' + (d.state || ''));
        return;
      case 'stream.gap':
        logEvent(event, 'some events were no longer held by the node; state reloaded', true);
        poll();
        return;
      default:
        logEvent(event, '');
    }
  }

  function pushBounded(list, item, max) {
    list.push(item);
    if (list.length > max) {
      list.splice(0, list.length - max);
    }
  }

  function logEvent(event, text, alarm) {
    const li = document.createElement('li');
    if (alarm) {
      li.className = 'alarm';
    }
    li.innerHTML = '<span class="t"></span><span class="ty"></span><span class="tx"></span>';
    li.children[0].textContent = clock(new Date(event.time));
    li.children[1].textContent = event.type;
    li.children[2].textContent = text;
    const list = $('events');
    list.insertBefore(li, list.firstChild);
    while (list.children.length > MAX_EVENTS_SHOWN) {
      list.removeChild(list.lastChild);
    }
  }

  // ---- formatting ------------------------------------------------------------------------

  function num(v) {
    return typeof v === 'number' ? v : NaN;
  }

  function fixed(v, digits) {
    v = num(v);
    return isFinite(v) ? v.toFixed(digits) : '–';
  }

  function pct(v, digits) {
    v = num(v);
    return isFinite(v) ? (100 * v).toFixed(digits) + ' %' : '–';
  }

  function count(v) {
    v = num(v);
    return isFinite(v) ? v.toLocaleString('en-US') : '–';
  }

  function clock(d) {
    return d.toTimeString().slice(0, 8);
  }

  function duration(seconds) {
    seconds = num(seconds);
    if (!isFinite(seconds)) {
      return '–';
    }
    if (seconds < 120) {
      return seconds.toFixed(0) + ' s';
    }
    if (seconds < 7200) {
      return (seconds / 60).toFixed(0) + ' min';
    }
    if (seconds < 172800) {
      return (seconds / 3600).toFixed(1) + ' h';
    }
    return (seconds / 86400).toFixed(1) + ' d';
  }

  // ---- charts ----------------------------------------------------------------------------

  const charts = {};
  const axisStyle = { stroke: '#8793a3', grid: { stroke: '#262d38', width: 1 }, ticks: { stroke: '#2a323e' } };

  function makeChart(key, elementId, opts, data) {
    const el = $(elementId);
    // room under the plot for the legend, when it has one
    const legend = !opts.legend || opts.legend.show !== false ? 40 : 0;
    const size = () => ({ width: Math.max(200, el.clientWidth), height: Math.max(160, el.clientHeight - legend) });
    const chart = new uPlot(Object.assign({}, opts, size()), data, el);
    new ResizeObserver(() => chart.setSize(size())).observe(el);
    charts[key] = chart;
    return chart;
  }

  function levelSeries(labelOf, extra) {
    const series = [{}];
    for (let k = 0; k < 10; k++) {
      series.push(Object.assign({ label: labelOf(k), stroke: PALETTE[k], width: 1.5, spanGaps: false }, extra(k)));
    }
    return series;
  }

  function initCharts() {
    makeChart('histograms', 'chart-histograms', {
      scales: { x: { distr: 3, time: false }, y: { range: (u, min, max) => [0, Math.max(1, max * 1.05)] } },
      axes: [Object.assign({ label: 'conductance (µS)' }, axisStyle),
        Object.assign({ label: 'share of reads (%)', size: 60 }, axisStyle)],
      series: levelSeries((k) => 'L' + k, (k) => ({ fill: PALETTE[k] + '22', points: { show: false } })),
      legend: { live: false }, cursor: { show: false }
    }, [[1], ...Array.from({ length: 10 }, () => [null])]);

    const driftSeries = [{}];
    for (let k = 0; k < 10; k++) {
      driftSeries.push({ label: 'L' + k, stroke: PALETTE[k], width: 0, paths: () => null,
        points: { show: true, size: 6, fill: PALETTE[k], stroke: PALETTE[k] } });
    }
    for (let k = 0; k < 10; k++) {
      driftSeries.push({ label: 'fit L' + k, stroke: PALETTE[k], width: 1.2, dash: [6, 4], spanGaps: true,
        points: { show: false } });
    }
    makeChart('drift', 'chart-drift', {
      scales: { x: { distr: 3, time: false },
        y: { range: (u, min, max) => [Math.min(90, Math.floor(min / 5) * 5), Math.max(102, Math.ceil(max / 2) * 2)] } },
      axes: [Object.assign({ label: 'time since programming (s)' }, axisStyle),
        Object.assign({ label: 'G / G₀ (%)', size: 60 }, axisStyle)],
      series: driftSeries,
      legend: { show: false }, cursor: { show: false }
    }, [[1], ...Array.from({ length: 20 }, () => [null])]);

    makeChart('accuracy', 'chart-accuracy', {
      // the range the data lives in (a 93-97 % story is not drawn on 0-100 %), a point of room each side
      scales: { x: { time: true }, y: { range: (u, lo, hi) => fitRange(lo, hi) } },
      axes: [axisStyle, Object.assign({ label: 'accuracy (%)', size: 50 }, axisStyle)],
      series: [{}, { label: 'HIL accuracy', stroke: '#6cb6ff', width: 2, spanGaps: true, points: { show: false } },
        { label: 'ideal', stroke: '#8793a3', width: 1, dash: [4, 4], spanGaps: true, points: { show: false } },
        { label: 'after OSA', stroke: '#5fbf86', width: 0, paths: () => null,
          points: { show: true, size: 8, fill: '#5fbf86' } }],
      hooks: { draw: [drawRounds] }
    }, [[], [], [], []]);
  }

  // one line per policy as in docs/drift.png; made again when the policies change
  function benchChart(policies) {
    const key = policies.join(',');
    if (charts.bench && charts.benchKey === key) {
      return charts.bench;
    }
    if (charts.bench) {
      charts.bench.destroy();
    }
    $('chart-bench').textContent = '';
    const series = [{ label: 'array day' }];
    for (const p of policies) {
      series.push({ label: p, stroke: BENCH_COLORS[p] || '#cccccc', width: 2, spanGaps: true, points: { show: false } });
    }
    series.push({ label: 'software', stroke: '#8793a3', width: 1, dash: [4, 4], points: { show: false } });
    makeChart('bench', 'chart-bench', {
      scales: { x: { time: false }, y: { range: (u, lo, hi) => fitRange(lo, hi) } },
      axes: [Object.assign({ label: 'array days' }, axisStyle), Object.assign({ label: 'test accuracy (%)', size: 50 }, axisStyle)],
      series: series
    }, [[], ...policies.map(() => []), []]);
    charts.benchKey = key;
    return charts.bench;
  }

  function drawBench() {
    const b = state.bench;
    $('bench-empty').hidden = !!b;
    const body = $('bench-table').tBodies[0];
    if (!b) {
      view.benchPolicies = [];
      view.benchPoints = 0;
      body.textContent = '';
      addRow(body, ['no drift benchmark yet', '', '', '', '', '']);
      return;
    }
    const policies = b.policies.map((p) => p.policy);
    const days = new Set();
    b.policies.forEach((p) => (p.timeline || []).forEach((t) => days.add(num(t.day))));
    const xs = Array.from(days).filter(isFinite).sort((x, y) => x - y);
    const columns = b.policies.map((p) => {
      const at = new Map((p.timeline || []).map((t) => [num(t.day), num(t.accuracy)]));
      return xs.map((d) => (at.has(d) && isFinite(at.get(d)) ? 100 * at.get(d) : null));
    });
    const software = xs.map(() => 100 * num(b.software_accuracy));
    benchChart(policies).setData([xs, ...columns, software]);
    view.benchPolicies = policies;
    view.benchPoints = columns.reduce((n, c) => n + c.filter((v) => v !== null).length, 0);
    $('bench-caption').textContent = (b.quick ? 'quick · ' : '') + (b.architecture || '') + ' · software '
      + pct(b.software_accuracy, 2) + ' · ' + (b.date || '').slice(0, 16).replace('T', ' ');
    body.textContent = '';
    for (const p of b.policies) {
      addRow(body, [p.policy, pct(p.min_accuracy, 2), fixed(p.max_gap_points, 2), pct(p.area_cost, 2),
        pct(p.refreshed_fraction, 2), isFinite(num(p.decision_seconds_p50)) ? fixed(p.decision_seconds_p50, 2) + ' s' : '–']);
    }
  }

  function fitRange(lo, hi) {
    if (lo == null || hi == null || !isFinite(lo) || !isFinite(hi)) {
      return [0, 100];
    }
    return [Math.max(0, Math.floor(lo - 1)), Math.min(100, Math.ceil(hi + 1))];
  }

  // the letter of each drift decision at the chart's top: g new gains, o OSA round, p re-placement, r refresh
  const DECISION_MARKS = { recompensate: 'g', 'osa-round': 'o', replace: 'p', refresh: 'r' };

  // a vertical line at each OSA round, a letter at each drift decision
  function drawRounds(u) {
    const ctx = u.ctx;
    ctx.save();
    ctx.strokeStyle = 'rgba(95, 191, 134, 0.45)';
    ctx.lineWidth = 1;
    ctx.setLineDash([3, 3]);
    for (const r of state.rounds) {
      const x = Math.round(u.valToPos(r.t, 'x', true));
      if (x >= u.bbox.left && x <= u.bbox.left + u.bbox.width) {
        ctx.beginPath();
        ctx.moveTo(x, u.bbox.top);
        ctx.lineTo(x, u.bbox.top + u.bbox.height);
        ctx.stroke();
      }
    }
    ctx.fillStyle = '#e0b050';
    ctx.font = Math.round(10 * devicePixelRatio) + 'px sans-serif';
    ctx.textAlign = 'center';
    for (const d of state.decisions) {
      const x = Math.round(u.valToPos(d.t, 'x', true));
      if (x >= u.bbox.left && x <= u.bbox.left + u.bbox.width) {
        ctx.fillText(DECISION_MARKS[d.action] || '?', x, u.bbox.top + 12 * devicePixelRatio);
      }
    }
    ctx.restore();
  }

  const view = { histogramLevels: 0, histogramPoints: 0, driftPoints: 0, driftFitted: 0, accuracyPoints: 0,
    benchPolicies: [], benchPoints: 0 };

  function drawHistograms(r) {
    const low = num(r.histogram_low_ln);
    const width = num(r.histogram_bin_nepers);
    const levels = (r.levels || []).filter((l) => l.histogram && l.histogram.length && l.count > 0);
    if (!levels.length || !isFinite(low) || !isFinite(width)) {
      return;
    }
    const bins = levels[0].histogram.length;
    let first = bins;
    let last = -1;
    for (const l of levels) {
      l.histogram.forEach((c, i) => {
        if (c > 0) {
          first = Math.min(first, i);
          last = Math.max(last, i);
        }
      });
    }
    if (last < 0) {
      return;
    }
    first = Math.max(0, first - 2);
    last = Math.min(bins - 1, last + 2);
    const xs = [];
    for (let i = first; i <= last; i++) {
      xs.push(Math.exp(low + (i + 0.5) * width) * 1e6);
    }
    const data = [xs];
    let points = 0;
    for (let k = 0; k < 10; k++) {
      const l = (r.levels || [])[k];
      if (!l || !l.histogram || !l.count) {
        data.push(xs.map(() => null));
        continue;
      }
      const total = l.histogram.reduce((a, b) => a + b, 0) || 1;
      const ys = [];
      for (let i = first; i <= last; i++) {
        ys.push(100 * l.histogram[i] / total);
        points++;
      }
      data.push(ys);
    }
    charts.histograms.setData(data);
    view.histogramLevels = levels.length;
    view.histogramPoints = points;
    $('hist-caption').textContent = count(r.cells_read) + ' cell reads · ' + levels.length + ' levels';
  }

  function drawDrift(r) {
    const t0 = num(r.drift_t0_seconds);
    const drift = r.drift || [];
    const xsSet = new Set();
    drift.forEach((d) => (d.points || []).forEach((p) => {
      if (p.seconds > 0) {
        xsSet.add(Number(p.seconds.toPrecision(6)));
      }
    }));
    const xs = Array.from(xsSet).sort((a, b) => a - b);
    if (!xs.length || !isFinite(t0)) {
      return;
    }
    const index = new Map(xs.map((x, i) => [x, i]));
    const measured = [];
    const fitted = [];
    let points = 0;
    let fits = 0;
    for (let k = 0; k < 10; k++) {
      const d = drift[k];
      const m = xs.map(() => null);
      const f = xs.map(() => null);
      if (d) {
        for (const p of d.points || []) {
          if (p.seconds > 0) {
            m[index.get(Number(p.seconds.toPrecision(6)))] = 100 * Math.exp(num(p.mean_log_deviation));
            points++;
          }
        }
        const nu = num(d.nu);
        if (isFinite(nu)) {
          fits++;
          xs.forEach((x, i) => {
            f[i] = 100 * Math.pow((x + t0) / t0, -nu);
          });
        }
      }
      measured.push(m);
      fitted.push(f);
    }
    charts.drift.setData([xs, ...measured, ...fitted]);
    view.driftPoints = points;
    view.driftFitted = fits;
    const nus = drift.map((d) => num(d.nu)).filter(isFinite);
    $('drift-caption').textContent = fits
      ? fits + ' levels fitted · ν from ' + fixed(Math.min(...nus), 3) + ' to ' + fixed(Math.max(...nus), 3)
      : 'measured, fit pending';
  }

  function drawModel(r) {
    $('m-sigma').textContent = fixed(r.log_sigma, 3);
    $('m-stuck-high').textContent = pct(r.stuck_high_fraction, 2);
    $('m-stuck-low').textContent = pct(r.stuck_low_fraction, 2);
    $('m-noise').textContent = pct(r.read_noise_relative, 2);
    $('m-frames').textContent = count(r.frames_applied);
    const nus = (r.drift || []).map((d) => num(d.nu)).filter(isFinite);
    $('m-nu').textContent = nus.length ? fixed(nus.reduce((a, b) => a + b, 0) / nus.length, 3) : '–';
  }

  function drawAccuracy() {
    const points = state.accuracy.slice().sort((a, b) => a.t - b.t);
    $('accuracy-empty').hidden = points.length > 0 || state.rounds.length > 0;
    const roundTimes = new Map(state.rounds.map((r) => [r.t, num(r.accuracy_after)]));
    const xs = [];
    const acc = [];
    const base = [];
    const after = [];
    for (const p of points) {
      xs.push(p.t);
      acc.push(isFinite(p.accuracy) ? 100 * p.accuracy : null);
      base.push(isFinite(p.baseline) ? 100 * p.baseline : null);
      after.push(roundTimes.has(p.t) && isFinite(roundTimes.get(p.t)) ? 100 * roundTimes.get(p.t) : null);
    }
    charts.accuracy.setData([xs, acc, base, after]);
    view.accuracyPoints = xs.length;
    const latest = state.rounds[state.rounds.length - 1];
    if (latest) {
      $('o-sram').textContent = pct(latest.sram_fraction, 2);
      $('o-macro').textContent = pct(latest.area_cost_macro, 2);
      $('o-cell').textContent = pct(latest.area_cost_cell, 2);
      $('o-rounds').textContent = String(state.rounds.length);
      $('osa-caption').textContent = 'latest OSA round · ' + (latest.deployment || '');
      const body = $('osa-table').tBodies[0];
      body.textContent = '';
      for (const r of state.rounds.slice(-6).reverse()) {
        addRow(body, [String(r.round), r.trigger || '', count(r.positions), pct(r.accuracy_before, 1),
          pct(r.accuracy_after, 1)]);
      }
    }
  }

  function addRow(body, cells) {
    const tr = document.createElement('tr');
    for (const c of cells) {
      const td = document.createElement('td');
      if (c instanceof Node) {
        td.appendChild(c);
      } else {
        td.textContent = c;
      }
      tr.appendChild(td);
    }
    body.appendChild(tr);
    return tr;
  }

  function badge(text) {
    const s = document.createElement('span');
    s.className = 'state ' + text;
    s.textContent = text;
    return s;
  }

  function drawTables() {
    const arrays = $('arrays-table').tBodies[0];
    arrays.textContent = '';
    const ids = Array.from(state.arrays.keys()).sort();
    if (!ids.length) {
      addRow(arrays, ['no arrays yet']).className = 'empty';
      arrays.firstChild.firstChild.colSpan = 6;
    }
    for (const id of ids) {
      const a = state.arrays.get(id);
      const s = state.arrayStats.get(id);
      const tr = addRow(arrays, [id, badge(a.link || '?'), duration(a.clock_seconds), count(a.reads),
        s ? fixed(s.log_sigma, 3) : '–',
        s ? pct(s.stuck_high_fraction, 1) + ' / ' + pct(s.stuck_low_fraction, 1) : '–']);
      tr.title = a.imported ? 'imported measured reads: ' + count(a.cell_reads) + ' cell reads archived'
        : (a.kind || '') + ' ' + a.rows + '×' + a.cols + (a.link_detail ? ' · ' + a.link_detail : '');
      tr.dataset.kind = a.kind || '';
    }
    const imported = ids.filter((id) => state.arrays.get(id).imported).length;
    $('arrays-caption').textContent = ids.length ? (ids.length - imported) + ' registered'
      + (imported ? ', ' + imported + ' imported' : '') : '';

    const campaigns = $('campaigns-table').tBodies[0];
    campaigns.textContent = '';
    const cids = Array.from(state.campaigns.keys()).sort();
    if (!cids.length) {
      addRow(campaigns, ['no campaigns']).className = 'empty';
      campaigns.firstChild.firstChild.colSpan = 5;
    }
    for (const id of cids) {
      const c = state.campaigns.get(id);
      const actions = document.createElement('span');
      for (const action of ['pause', 'resume', 'abort']) {
        const b = document.createElement('button');
        b.textContent = action;
        b.dataset.action = action;
        b.dataset.campaign = id;
        // a viewer sees the buttons but cannot press them
        b.title = state.role === 'operator' ? action + ' ' + id : 'operators only (you are ' + (state.role || 'not signed in') + ')';
        b.disabled = state.role !== 'operator' || c.state === 'completed' || c.state === 'aborted';
        actions.appendChild(b);
      }
      const tr = addRow(campaigns, [id, badge(c.state), (c.step || 0) + ' / ' + (c.reads || 0), c.phase || '', actions]);
      tr.lastChild.className = 'actions';
      tr.dataset.campaign = id;
      tr.dataset.state = c.state;
    }
    const running = cids.filter((id) => state.campaigns.get(id).state === 'running').length;
    $('campaigns-caption').textContent = cids.length ? running + ' of ' + cids.length + ' running' : '';
  }

  async function campaignAction(id, action) {
    const out = $('action-result');
    if (action === 'abort' && !window.confirm('Abort campaign ' + id + ' for good?')) {
      return;
    }
    out.className = 'action-result';
    out.textContent = action + ' ' + id + '…';
    const r = await api('POST', '/api/campaigns/' + encodeURIComponent(id) + '/' + action);
    if (r.ok) {
      state.campaigns.set(id, r.body);
      out.className = 'action-result ok';
      out.textContent = id + ' is ' + r.body.state;
    } else {
      out.className = 'action-result error';
      out.textContent = action + ' refused · ' + errorText(r);
    }
    state.lastAction = out.textContent;
    drawTables();
  }

  function redraw() {
    if (state.dirty.stats && state.report) {
      state.dirty.stats = false;
      drawHistograms(state.report);
      drawDrift(state.report);
      drawModel(state.report);
    }
    if (state.dirty.accuracy) {
      state.dirty.accuracy = false;
      drawAccuracy();
    }
    if (state.dirty.tables) {
      state.dirty.tables = false;
      drawTables();
    }
  }

  // ---- start -----------------------------------------------------------------------------

  function start() {
    takeTokenFromUrl();
    $('token').value = token();
    $('token-form').addEventListener('submit', (e) => {
      e.preventDefault();
      setToken($('token').value.trim());
    });
    $('campaigns-table').addEventListener('click', (e) => {
      const b = e.target.closest('button[data-action]');
      if (b) {
        campaignAction(b.dataset.campaign, b.dataset.action);
      }
    });
    initCharts();
    drawAccuracy();
    checkSession();
    connect();
    $('wafer-select').addEventListener('change', () => loadWafer($('wafer-select').value));
    $('wafer-metric').addEventListener('change', () => {
      wafer.metric = $('wafer-metric').value;
      drawWafer();
    });
    $('wafer-csv').addEventListener('click', () => downloadWafer('dies.csv'));
    $('wafer-h5').addEventListener('click', () => downloadWafer('wafer.h5'));
    poll();
    pollBench();
    pollWafers();
    setInterval(poll, POLL_MS);
    setInterval(pollBench, BENCH_POLL_MS);
    setInterval(pollWafers, BENCH_POLL_MS);
    setInterval(redraw, REDRAW_MS);
  }

  // what a test or a curious operator can read from the console
  window.rramlab = {
    status: () => ({
      connected: state.connected,
      lastId: state.lastId,
      eventsSeen: state.eventsSeen,
      role: state.role,
      histogramLevels: view.histogramLevels,
      histogramPoints: view.histogramPoints,
      driftPoints: view.driftPoints,
      driftFitted: view.driftFitted,
      accuracyPoints: view.accuracyPoints,
      accuracyRange: charts.accuracy ? [charts.accuracy.scales.y.min, charts.accuracy.scales.y.max] : null,
      decisions: state.decisions.length,
      benchPolicies: view.benchPolicies,
      benchPoints: view.benchPoints,
      wafer: Object.assign({}, wafer),
      campaigns: Array.from(state.campaigns.values()).map((c) => ({ id: c.id, state: c.state })),
      arrays: Array.from(state.arrays.keys()),
      importedArrays: Array.from(state.arrays.values()).filter((a) => a.imported).map((a) => a.array_id),
      lastAction: state.lastAction,
      notice: $('notice').hidden ? '' : $('notice').textContent,
      // each chart's plot area in its canvas's pixels (uPlot's bbox): where curves are drawn
      plots: Object.fromEntries(Object.entries(charts).map(([k, c]) => [k, c.bbox
        ? { left: c.bbox.left, top: c.bbox.top, width: c.bbox.width, height: c.bbox.height } : null]))
    }),
    setToken: (t) => {
      $('token').value = t;
      setToken(t);
    },
    poll: poll,
    pollBench: pollBench,
    pollWafers: pollWafers
  };

  start();
})();
