// EmailInfra dashboard: one page, hash routing, plain DOM. Talks only to the admin API (same origin by default, or the
// Functions app set in Settings). Every string from the API goes into the page as text (textContent / text nodes),
// never as HTML. The key travels only in the x-functions-key header: never in a URL, never in a log line.
'use strict';

(function () {
  // ---------------------------------------------------------------------------------------------------------------
  // Settings (kept in localStorage, so a reload keeps the connection)
  // ---------------------------------------------------------------------------------------------------------------

  const STORE_BASE = 'emailinfra.apiBase';
  const STORE_KEY = 'emailinfra.apiKey';
  const REFRESH_MS = 10000;
  // demo days are numbered from 2026-01-05: metric ranges never start before this, and the API allows 366 days at most
  const FIRST_DAY = '2026-01-01';
  const MAX_RANGE_DAYS = 365;

  function defaultBase() {
    // a page opened from a file has no origin; fall back to local mode's address
    const origin = location.origin && location.origin !== 'null' ? location.origin : 'http://127.0.0.1:7071';
    return origin + '/api';
  }

  const settings = {
    base: localStorage.getItem(STORE_BASE) || defaultBase(),
    key: localStorage.getItem(STORE_KEY) || '',
    save(base, key) {
      this.base = base.replace(/\/+$/, '');
      this.key = key;
      localStorage.setItem(STORE_BASE, this.base);
      localStorage.setItem(STORE_KEY, this.key);
    },
    forgetKey() {
      this.key = '';
      localStorage.removeItem(STORE_KEY);
    },
  };

  // what the page remembers between renders
  const state = {
    fleet: null,          // the last GET /overview answer
    fleetAt: 0,           // when it was read (ms)
    viewToken: 0,         // bumps on each view load, so a late answer for an old view is dropped
    route: null,
    refreshTimer: null,
    lastWarmup: {},       // address -> the last warm-up action this page made (the API has no read of a day's pause)
    suppressionsNext: null,
  };

  // ---------------------------------------------------------------------------------------------------------------
  // DOM helpers
  // ---------------------------------------------------------------------------------------------------------------

  const $ = (selector, root) => (root || document).querySelector(selector);

  /** Builds an element; strings among the children become text nodes, so API data is never parsed as HTML. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === 'class') node.className = value;
      else if (name === 'text') node.textContent = value;
      else if (name.startsWith('data-') || name.startsWith('aria-') || ['href', 'title', 'type', 'role', 'scope', 'colspan', 'value', 'for', 'id', 'tabindex'].includes(name)) node.setAttribute(name, String(value));
      else node[name] = value;
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      if (Array.isArray(child)) append(node, child);
      else node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }

  /** A word in a coloured pill; the class is reduced to safe characters (values come from the API). */
  function badge(value, missing) {
    const text = value === null || value === undefined || value === '' ? (missing || 'none') : String(value);
    const cls = value === null || value === undefined || value === '' ? 'none' : String(value).replace(/[^A-Za-z0-9_-]/g, '');
    return el('span', { class: 'badge ' + cls, text });
  }

  function formatTime(iso) {
    if (!iso) return '';
    const date = new Date(iso);
    return isNaN(date) ? String(iso) : date.toLocaleString();
  }

  /** "12 s ago" relative to ref (the server's generatedAt where there is one, so the browser's clock does not matter). */
  function relative(iso, ref) {
    if (!iso) return 'never';
    const then = new Date(iso).getTime();
    const now = ref ? new Date(ref).getTime() : Date.now();
    if (isNaN(then)) return String(iso);
    const s = Math.round((now - then) / 1000);
    const abs = Math.abs(s);
    const text = abs < 60 ? abs + ' s' : abs < 3600 ? Math.round(abs / 60) + ' min' : abs < 86400 ? Math.round(abs / 3600) + ' h' : Math.round(abs / 86400) + ' d';
    return s >= 0 ? text + ' ago' : 'in ' + text;
  }

  function timeCell(iso, ref) {
    return el('td', { title: formatTime(iso) }, iso ? el('time', { datetime: iso, text: relative(iso, ref) }) : 'never');
  }

  function emptyRow(columns, text) {
    return el('tr', {}, el('td', { class: 'empty', colspan: columns, text }));
  }

  function isoDay(date) {
    return date.toISOString().slice(0, 10);
  }

  function addDays(day, n) {
    const date = new Date(day + 'T00:00:00Z');
    date.setUTCDate(date.getUTCDate() + n);
    return isoDay(date);
  }

  /** Evidence is free text; JSON evidence is shown indented so its numbers can be read. */
  function prettyEvidence(text) {
    if (typeof text !== 'string') return text === undefined || text === null ? '' : JSON.stringify(text, null, 2);
    const t = text.trim();
    if (t.startsWith('{') || t.startsWith('[')) {
      try { return JSON.stringify(JSON.parse(t), null, 2); } catch (_) { /* not JSON after all */ }
    }
    return text;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Messages: the 401 box, the error banner (problem+json title/detail), and notices for action results
  // ---------------------------------------------------------------------------------------------------------------

  function showAuthError() {
    const box = $('#auth-error');
    box.textContent = 'The API refused the key (401). Enter the key from Api:Key (in Azure: a function key) in Settings below.';
    box.hidden = false;
    openSettings(true);
  }

  function showError(err) {
    if (err && err.status === 401) {
      showAuthError();
      return;
    }
    const banner = $('#error-banner');
    const problem = err instanceof ApiError ? err : new ApiError(0, 'Something went wrong in the page', String(err && err.message || err), null, '');
    $('.alert-title', banner).textContent = problem.title + (problem.status ? ' (' + problem.status + ')' : '');
    const where = problem.request ? ' [' + problem.request + ']' : '';
    $('.alert-detail', banner).textContent = (problem.detail || '') + where;
    const list = $('.alert-errors', banner);
    list.replaceChildren();
    for (const [field, messages] of Object.entries(problem.errors || {})) {
      list.append(el('li', {}, el('code', { text: field }), ': ' + [].concat(messages).join('; ')));
    }
    banner.hidden = false;
  }

  function clearErrors() {
    $('#error-banner').hidden = true;
  }

  function notice(...content) {
    const box = $('#notice');
    $('.alert-body', box).replaceChildren();
    append($('.alert-body', box), content);
    box.hidden = false;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // API client
  // ---------------------------------------------------------------------------------------------------------------

  function ApiError(status, title, detail, errors, request) {
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.errors = errors;
    this.request = request;
    this.message = title + (detail ? ': ' + detail : '');
  }
  ApiError.prototype = Object.create(Error.prototype);

  const enc = encodeURIComponent;

  /** One API call. Throws ApiError with the problem's title and detail; a 401 marks the key as refused. */
  async function api(path, options) {
    const opts = options || {};
    const method = opts.method || 'GET';
    const headers = { 'x-functions-key': settings.key, accept: 'application/json, application/problem+json' };
    let body;
    if (opts.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    if (opts.actor) headers['x-emailinfra-actor'] = opts.actor;
    // named in messages without the base, so a banner never shows more than the route
    const request = method + ' ' + path;
    let response;
    try {
      response = await fetch(settings.base + path, { method, headers, body, cache: 'no-store', credentials: 'omit', redirect: 'error' });
    } catch (err) {
      throw new ApiError(0, 'The API did not answer', 'Check the API base URL in Settings (' + settings.base + '): ' + err.message, null, request);
    }
    if (response.status === 401) {
      throw new ApiError(401, 'The API refused the key', 'Enter the key from Api:Key.', null, request);
    }
    const type = response.headers.get('content-type') || '';
    if (!response.ok) {
      let problem = null;
      if (type.includes('json')) {
        try { problem = await response.json(); } catch (_) { /* a body that is not JSON: handled below */ }
      }
      if (problem && typeof problem === 'object') {
        throw new ApiError(response.status, problem.title || 'HTTP ' + response.status, problem.detail || '', problem.errors || null, request);
      }
      const text = (await response.text().catch(() => '')).slice(0, 300);
      throw new ApiError(response.status, 'HTTP ' + response.status + ' ' + response.statusText, text, null, request);
    }
    if (response.status === 204 || !type.includes('json')) return null;
    return response.json();
  }

  /** A read whose 404 means "nothing yet" (health of a scope never evaluated): null instead of an error. */
  async function apiOptional(path) {
    try {
      return await api(path);
    } catch (err) {
      if (err.status === 404) return null;
      throw err;
    }
  }

  /** Runs fn over items, at most limit at once (a fleet of domains must not open a hundred requests together). */
  async function mapLimit(items, limit, fn) {
    const out = new Array(items.length);
    let next = 0;
    const worker = async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return out;
  }

  /** The fleet overview, read again when older than maxAge (other views use it for their lists of pools and domains). */
  async function getFleet(maxAge) {
    if (state.fleet && Date.now() - state.fleetAt < maxAge) return state.fleet;
    const fleet = await api('/overview');
    state.fleet = fleet;
    state.fleetAt = Date.now();
    return fleet;
  }

  /**
   * The days to ask metrics for: up to the latest day known (demo days run ahead of the calendar), from at most 365
   * days before it, never before FIRST_DAY.
   */
  function metricsRange(knownDays) {
    let to = isoDay(new Date());
    for (const day of knownDays || []) if (day && day > to) to = day;
    let from = addDays(to, -MAX_RANGE_DAYS);
    if (from < FIRST_DAY) from = FIRST_DAY;
    if (from > to) from = to;
    return { from, to };
  }

  const fleetDays = (fleet) => (fleet ? fleet.mailboxes.map((m) => m.day) : []);

  // ---------------------------------------------------------------------------------------------------------------
  // Charts: every chart sits in [data-chart=name]; data-rendered / data-points tell a test what was drawn
  // ---------------------------------------------------------------------------------------------------------------

  const charts = {};
  const COLORS = {
    planned: '#93c5fd', sent: '#1d4ed8', next: '#b45309', inbox: '#15803d', junk: '#dc2626',
    pass: '#15803d', fail: '#dc2626', hard: '#b91c1c', soft: '#d97706', complaints: '#7c3aed',
    replies: '#1d4ed8', autoReplies: '#64748b', warmupReplies: '#0d9488',
  };
  const SERIES = ['#1d4ed8', '#15803d', '#b45309', '#7c3aed', '#dc2626', '#0d9488', '#64748b', '#be185d'];

  function chartBox(name) {
    return document.querySelector('[data-chart="' + name + '"]');
  }

  /** Clears a chart before its view loads, so a test never reads the previous view's marks. */
  function resetChart(name) {
    if (charts[name]) {
      charts[name].destroy();
      delete charts[name];
    }
    const box = chartBox(name);
    delete box.dataset.rendered;
    delete box.dataset.points;
  }

  /** Draws config when points > 0, else shows "No data yet". summary is the canvas's text for screen readers. */
  function drawChart(name, config, points, summary) {
    resetChart(name);
    const box = chartBox(name);
    const canvasWrap = $('.chart-canvas', box);
    const empty = $('.chart-empty', box);
    if (!points) {
      canvasWrap.hidden = true;
      empty.hidden = false;
      empty.textContent = 'No data yet';
      box.dataset.rendered = 'empty';
      box.dataset.points = '0';
      return;
    }
    if (typeof window.Chart !== 'function') {
      canvasWrap.hidden = true;
      empty.hidden = false;
      empty.textContent = 'The chart library (vendor/chart.umd.js) did not load.';
      box.dataset.rendered = 'error';
      throw new ApiError(0, 'The chart library did not load', 'vendor/chart.umd.js is missing from the host', null, '');
    }
    canvasWrap.hidden = false;
    empty.hidden = true;
    const canvas = $('canvas', box);
    canvas.setAttribute('aria-label', summary);
    charts[name] = new window.Chart(canvas, config);
    box.dataset.rendered = 'true';
    box.dataset.points = String(points);
  }

  function barConfig(labels, datasets, options) {
    const stacked = !!(options && options.stacked);
    return {
      type: 'bar',
      data: { labels, datasets },
      options: {
        scales: {
          x: { stacked },
          y: { stacked, beginAtZero: true, ticks: { precision: 0 } },
        },
        plugins: { legend: { position: 'bottom' }, tooltip: (options && options.tooltip) || {} },
      },
    };
  }

  function lineConfig(labels, datasets) {
    return {
      type: 'line',
      // straight segments: these are daily counts, a curve between them would suggest values that never were
      data: { labels, datasets: datasets.map((d) => Object.assign({ tension: 0, pointRadius: 3, fill: false }, d)) },
      options: {
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { position: 'bottom' } },
      },
    };
  }

  function configureChartDefaults() {
    if (typeof window.Chart !== 'function') return;
    const d = window.Chart.defaults;
    // no animation: screenshots and tests see the final chart at once, and the 2-core host is spared the frames
    d.animation = false;
    d.responsive = true;
    d.maintainAspectRatio = false;
    d.color = '#1a1f29';
    d.font.family = 'system-ui, "DejaVu Sans", sans-serif';
  }

  // sums over metric days: counts absent are 0
  function sumCounts(days, name) {
    return days.reduce((n, d) => n + ((d.counts && d.counts[name]) || 0), 0);
  }

  function sumBreakdown(days) {
    const total = {};
    for (const d of days) {
      for (const [key, n] of Object.entries(d.breakdown || {})) total[key] = (total[key] || 0) + n;
    }
    return total;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Routing: #/overview, #/mailbox/<address>, #/bounces[/<pool>], #/suppressions, #/audits[/<domain>], #/events[/<kind>/<id>]
  // ---------------------------------------------------------------------------------------------------------------

  const VIEWS = ['overview', 'mailbox', 'bounces', 'suppressions', 'audits', 'events'];

  function parseRoute() {
    const parts = location.hash.replace(/^#\/?/, '').split('/').map((p) => {
      try { return decodeURIComponent(p); } catch (_) { return p; }
    });
    const view = VIEWS.includes(parts[0]) ? parts[0] : 'overview';
    if (view === 'mailbox' && !parts[1]) return { view: 'overview', args: [] };
    return { view, args: parts.slice(1).filter((p) => p !== '') };
  }

  function showSection(view) {
    for (const name of VIEWS) document.getElementById(name).hidden = name !== view;
    for (const link of document.querySelectorAll('[data-nav]')) {
      if (link.dataset.nav === view) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
  }

  /**
   * Loads the route's view. body[data-ready] is "false" while it loads, "true" when its data is in, and "error" when a
   * request failed (the banner says which); body[data-view] names the view, so a test can wait for both at once.
   */
  async function loadView(route, opts) {
    const options = opts || {};
    const token = ++state.viewToken;
    const live = () => token === state.viewToken;
    stopRefresh();
    state.route = route;
    document.body.dataset.ready = 'false';
    document.body.dataset.view = route.view;
    showSection(route.view);
    if (!options.keepMessages) {
      clearErrors();
      $('#notice').hidden = true;
    }
    if (options.focus) $('#' + route.view + '-title').focus();
    if (!settings.key) {
      openSettings(true);
      return;
    }
    try {
      await LOADERS[route.view](route, live);
      if (live()) document.body.dataset.ready = 'true';
    } catch (err) {
      if (!live()) return;
      showError(err);
      document.body.dataset.ready = err && err.status === 401 ? 'false' : 'error';
    } finally {
      // the overview refreshes itself, unless the key was refused (asking again would only be refused again)
      if (live() && route.view === 'overview' && $('#auth-error').hidden) scheduleRefresh();
    }
  }

  function reloadView() {
    return loadView(state.route || parseRoute(), { keepMessages: true });
  }

  // ---------------------------------------------------------------------------------------------------------------
  // 1. Fleet overview (auto-refreshed: one request every 10 s while it is on screen)
  // ---------------------------------------------------------------------------------------------------------------

  function stopRefresh() {
    if (state.refreshTimer) clearTimeout(state.refreshTimer);
    state.refreshTimer = null;
  }

  function scheduleRefresh() {
    stopRefresh();
    state.refreshTimer = setTimeout(refreshOverview, REFRESH_MS);
  }

  /** The periodic refresh: same view, no reset of data-ready, skipped while the tab is hidden. */
  async function refreshOverview() {
    if (!state.route || state.route.view !== 'overview') return;
    if (!document.hidden) {
      const token = state.viewToken;
      try {
        const fleet = await getFleet(0);
        if (token === state.viewToken) renderOverview(fleet);
      } catch (err) {
        if (token !== state.viewToken) return;
        showError(err);
        if (err.status === 401) return;   // no point asking again with a refused key
      }
      if (token !== state.viewToken) return;
    }
    scheduleRefresh();
  }

  async function loadOverview(route, live) {
    const fleet = await getFleet(0);
    if (live()) renderOverview(fleet);
  }

  function renderOverview(fleet) {
    const focus = rememberFocus();
    $('#overview-updated').textContent = 'Updated ' + formatTime(fleet.generatedAt);
    renderPools(fleet.pools);
    renderDomains(fleet.domains, fleet.generatedAt);
    renderMailboxes(fleet.mailboxes, fleet.generatedAt);
    restoreFocus(focus);
  }

  function renderPools(pools) {
    const rows = pools.map((p) => el('tr', { 'data-pool': p.id },
      el('th', { scope: 'row', text: p.id }),
      el('td', { text: p.description || '' }),
      el('td', { class: 'num', text: p.mailboxes }),
      el('td', {}, badge(p.health, 'not evaluated')),
      el('td', {}, el('div', { class: 'buttons' },
        el('button', { type: 'button', class: 'small', 'data-action': 'pause-pool', 'data-pool': p.id, text: 'Pause', title: 'Pause today\'s warm-up of every mailbox of ' + p.id }),
        el('button', { type: 'button', class: 'small secondary', 'data-action': 'resume-pool', 'data-pool': p.id, text: 'Resume', title: 'Resume today\'s warm-up of ' + p.id }))),
      el('td', {}, el('a', { href: '#/events/pool/' + enc(p.id), text: 'Events' }))));
    $('#pools-table tbody').replaceChildren(...(rows.length ? rows : [emptyRow(6, 'No pools yet')]));
  }

  function renderDomains(domains, ref) {
    const rows = domains.map((d) => el('tr', { 'data-domain': d.name },
      el('th', { scope: 'row' }, d.name, d.retired ? el('span', { class: 'sub', text: 'retired' }) : null),
      el('td', { class: 'num', text: d.mailboxes }),
      el('td', {}, badge(d.health, 'not evaluated')),
      el('td', {}, badge(d.audit, 'not audited'), ' ', d.audit ? el('a', { href: '#/audits/' + enc(d.name), text: 'report' }) : null),
      d.auditedAt ? timeCell(d.auditedAt, ref) : el('td', { text: 'never' }),
      el('td', {}, el('div', { class: 'buttons' },
        el('button', { type: 'button', class: 'small', 'data-action': 'run-audit', 'data-domain': d.name, text: 'Run audit' }),
        el('a', { href: '#/events/domain/' + enc(d.name), text: 'Events' })))));
    $('#domains-table tbody').replaceChildren(...(rows.length ? rows : [emptyRow(6, 'No domains yet')]));
  }

  function capBar(sent, cap) {
    const share = cap > 0 ? Math.min(1, sent / cap) : 0;
    const fill = el('div', { class: 'fill' + (cap > 0 && sent >= cap ? ' full' : '') });
    fill.style.width = (share * 100).toFixed(1) + '%';   // CSSOM: allowed by the host's style-src 'self'
    return el('div', { class: 'capbar', role: 'img', 'aria-label': sent + ' sent of a cap of ' + cap },
      el('div', { class: 'track' }, fill), el('span', { class: 'label', text: sent + ' / ' + cap }));
  }

  function renderMailboxes(mailboxes, ref) {
    const rows = mailboxes.map((m) => el('tr', { 'data-mailbox': m.address },
      el('th', { scope: 'row' },
        el('a', { href: '#/mailbox/' + enc(m.address), text: m.address }),
        m.connectionError ? el('span', { class: 'sub bad', text: m.connectionError }) : null),
      el('td', { text: m.pool }),
      el('td', { 'data-field': 'state' }, badge(m.state), m.stateReason ? el('span', { class: 'sub', text: m.stateReason }) : null),
      el('td', { 'data-field': 'health' }, badge(m.health, 'not evaluated')),
      el('td', { class: 'nowrap', text: m.day }),
      el('td', { 'data-field': 'sent' }, capBar(m.sentToday, m.capToday)),
      el('td', { class: 'num', 'data-field': 'warmup-planned', text: m.warmupPlanned === null || m.warmupPlanned === undefined ? '—' : m.warmupPlanned }),
      m.lastPollAt ? timeCell(m.lastPollAt, ref) : el('td', { text: 'never' }),
      el('td', { 'data-field': 'imap' }, badge(m.imap, 'unknown')),
      el('td', { 'data-field': 'smtp' }, badge(m.smtp, 'unknown'))));
    $('#mailboxes-table tbody').replaceChildren(...(rows.length ? rows : [emptyRow(10, 'No mailboxes yet')]));
  }

  // the 10 s refresh rebuilds the rows: keep keyboard focus on the same button
  function rememberFocus() {
    const a = document.activeElement;
    if (!a || !a.dataset || !a.dataset.action) return null;
    return { action: a.dataset.action, pool: a.dataset.pool, domain: a.dataset.domain };
  }

  function restoreFocus(focus) {
    if (!focus) return;
    for (const b of document.querySelectorAll('button[data-action="' + focus.action + '"]')) {
      if (b.dataset.pool === focus.pool && b.dataset.domain === focus.domain) {
        b.focus();
        return;
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // 2. Mailbox detail
  // ---------------------------------------------------------------------------------------------------------------

  async function loadMailbox(route, live) {
    const address = route.args[0];
    $('#mailbox-title').textContent = address;
    for (const name of ['ramp', 'placement', 'auth-verdicts', 'replies']) resetChart(name);
    // the overview tells the mailbox's current day (demo days run ahead of the calendar); one minute old is fine
    const fleet = await getFleet(60000);
    if (!live()) return;
    const summary = fleet.mailboxes.find((m) => m.address === address);
    const range = metricsRange([summary && summary.day]);
    const path = enc(address);
    const results = await Promise.allSettled([
      api('/mailboxes/' + path),
      api('/mailboxes/' + path + '/warmup'),
      api('/metrics/mailbox/' + path + '?from=' + range.from + '&to=' + range.to),
      apiOptional('/health/mailbox/' + path),
      api('/health/mailbox/' + path + '/events?limit=50'),
    ]);
    if (!live()) return;
    const [mailbox, history, metrics, health, events] = results.map((r) => (r.status === 'fulfilled' ? r.value : undefined));
    if (mailbox) renderMailboxFacts(mailbox);
    if (history) renderRamp(history.days || []);
    if (metrics) renderMailboxMetrics(metrics.days || []);
    if (health !== undefined) renderHealth($('#mailbox-health'), health);
    if (events) renderEvents($('#mailbox-events tbody'), events, false);
    renderWarmupControl(address);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  function renderMailboxFacts(m) {
    const view = $('#mailbox');
    $('[data-field="state"]', view).replaceChildren(badge(m.state));
    $('[data-field="state-reason"]', view).textContent = m.stateReason || '—';
    $('[data-field="pool"]', view).textContent = m.pool;
    $('[data-field="domain"]', view).textContent = m.domain;
    $('[data-field="throttle"]', view).textContent = String(m.throttleFactor);
    $('[data-field="ramp-held"]', view).textContent = m.rampHeld ? 'yes' : 'no';
    view.dataset.state = m.state;
  }

  /** What the last warm-up action from this page did today (the API has no read of a day's pause, only the action's report). */
  function renderWarmupControl(address) {
    const field = $('#mailbox [data-field="warmup-control"]');
    const last = state.lastWarmup[address];
    if (!last) {
      field.textContent = 'no action from this page yet';
      delete field.dataset.outcome;
      return;
    }
    field.replaceChildren();
    append(field, [badge(last.outcome), ' (' + last.action + ' sent ' + formatTime(last.at) + (last.day ? ', day ' + last.day : '') + ')',
      last.detail && last.outcome === 'skipped' ? el('span', { class: 'sub', text: last.detail }) : null]);
    field.dataset.outcome = last.outcome;
  }

  function renderRamp(days) {
    const labels = days.map((d) => d.day);
    const config = barConfig(labels, [
      { label: 'Planned', data: days.map((d) => d.planned), backgroundColor: COLORS.planned, order: 2 },
      { label: 'Sent', data: days.map((d) => d.sent), backgroundColor: COLORS.sent, order: 2 },
      {
        type: 'line', label: 'Volume decided for the next day', data: days.map((d) => (d.nextVolume === null || d.nextVolume === undefined ? null : d.nextVolume)),
        borderColor: COLORS.next, backgroundColor: COLORS.next, pointRadius: 4, pointStyle: 'rectRot', tension: 0, spanGaps: false, order: 1,
      },
    ], {
      tooltip: {
        callbacks: {
          footer: (items) => {
            const d = days[items[0].dataIndex];
            return d ? 'outcome: ' + d.outcome + (d.targetReached ? ' (target reached)' : '') : '';
          },
        },
      },
    });
    const last = days[days.length - 1];
    drawChart('ramp', config, days.length,
      last ? 'Warm-up ramp over ' + days.length + ' days; last day ' + last.day + ': planned ' + last.planned + ', sent ' + last.sent + ', next ' + (last.nextVolume === null ? 'undecided' : last.nextVolume) : '');
  }

  function renderMailboxMetrics(days) {
    renderPlacement(days);
    renderVerdicts(days);
    renderReplies(days);
  }

  /** Inbox vs junk per recipient provider, from the PlacedInbox__x / PlacedJunk__x breakdowns summed over the range. */
  function renderPlacement(days) {
    const breakdown = sumBreakdown(days);
    const providers = {};
    for (const [key, n] of Object.entries(breakdown)) {
      const m = /^(PlacedInbox|PlacedJunk)__(.+)$/.exec(key);
      if (!m) continue;
      const p = providers[m[2]] || (providers[m[2]] = { inbox: 0, junk: 0 });
      if (m[1] === 'PlacedInbox') p.inbox += n; else p.junk += n;
    }
    // placements with no provider are counted but not broken down: show the rest as its own bar
    const inboxRest = sumCounts(days, 'placedInbox') - Object.values(providers).reduce((n, p) => n + p.inbox, 0);
    const junkRest = sumCounts(days, 'placedJunk') - Object.values(providers).reduce((n, p) => n + p.junk, 0);
    if (inboxRest > 0 || junkRest > 0) providers['(provider unknown)'] = { inbox: Math.max(0, inboxRest), junk: Math.max(0, junkRest) };
    const names = Object.keys(providers).filter((p) => providers[p].inbox + providers[p].junk > 0).sort();
    const config = barConfig(names, [
      { label: 'Inbox', data: names.map((p) => providers[p].inbox), backgroundColor: COLORS.inbox },
      { label: 'Junk', data: names.map((p) => providers[p].junk), backgroundColor: COLORS.junk },
    ], { stacked: true });
    drawChart('placement', config, names.length,
      'Placement by provider: ' + names.map((p) => p + ' ' + providers[p].inbox + ' inbox, ' + providers[p].junk + ' junk').join('; '));
  }

  function renderVerdicts(days) {
    const checks = [['SPF', 'spf'], ['DKIM', 'dkim'], ['DMARC', 'dmarc']];
    const pass = checks.map(([, c]) => sumCounts(days, c + 'Pass'));
    const fail = checks.map(([, c]) => sumCounts(days, c + 'Fail'));
    const any = pass.concat(fail).some((n) => n > 0);
    const config = barConfig(checks.map(([label]) => label), [
      { label: 'Pass', data: pass, backgroundColor: COLORS.pass },
      { label: 'Fail', data: fail, backgroundColor: COLORS.fail },
    ]);
    drawChart('auth-verdicts', config, any ? checks.length : 0,
      'Receivers\' verdicts: ' + checks.map(([label], i) => label + ' ' + pass[i] + ' pass, ' + fail[i] + ' fail').join('; '));
  }

  function renderReplies(days) {
    const labels = days.map((d) => d.day);
    const series = (name) => days.map((d) => (d.counts && d.counts[name]) || 0);
    const config = lineConfig(labels, [
      { label: 'Replies', data: series('replies'), borderColor: COLORS.replies, backgroundColor: COLORS.replies },
      { label: 'Warm-up replies', data: series('warmupReplies'), borderColor: COLORS.warmupReplies, backgroundColor: COLORS.warmupReplies },
      { label: 'Auto-replies', data: series('autoReplies'), borderColor: COLORS.autoReplies, backgroundColor: COLORS.autoReplies },
    ]);
    drawChart('replies', config, days.length,
      'Replies over ' + days.length + ' days: ' + sumCounts(days, 'replies') + ' replies, ' + sumCounts(days, 'warmupReplies') + ' warm-up replies, ' + sumCounts(days, 'autoReplies') + ' auto-replies');
  }

  /** The health card: level, since, findings with evidence, throttles, override; null = never evaluated (the API's 404). */
  function renderHealth(container, health) {
    if (!health) {
      container.replaceChildren(el('p', { 'data-field': 'health-level' }, badge(null, 'not evaluated yet'), ' The health rules have not evaluated this scope yet.'));
      return;
    }
    const throttles = Object.entries(health.providerThrottles || {});
    const o = health.override;
    container.replaceChildren(
      el('dl', { class: 'facts' },
        el('dt', { text: 'Level' }), el('dd', { 'data-field': 'health-level' }, badge(health.level)),
        el('dt', { text: 'Since' }), el('dd', { text: formatTime(health.since) }),
        el('dt', { text: 'Evaluated' }), el('dd', { text: health.evaluatedAt ? formatTime(health.evaluatedAt) : 'not yet' }),
        el('dt', { text: 'Throttle factor' }), el('dd', { text: String(health.throttleFactor) }),
        el('dt', { text: 'Provider throttles' }), el('dd', { text: throttles.length ? throttles.map(([p, f]) => p + ' ×' + f).join(', ') : 'none' }),
        el('dt', { text: 'Override' }), el('dd', {}, o ? [badge(o.level), ' by ' + o.actor + ' at ' + formatTime(o.at), o.note ? el('span', { class: 'sub', text: o.note }) : null] : 'none')),
      health.findings && health.findings.length
        ? el('div', {}, el('h4', { text: 'Rules holding it' }), el('ul', { class: 'findings' }, health.findings.map((f) => el('li', {},
          badge(f.level), ' ', el('strong', { text: f.rule }), f.provider ? ' (' + f.provider + ')' : '', f.throttleFactor !== undefined && f.throttleFactor !== 1 ? ' ×' + f.throttleFactor : '',
          el('div', { class: 'evidence', text: prettyEvidence(f.evidence) })))))
        : el('p', { class: 'meta', text: 'No rule is holding it.' }));
  }

  function renderEvents(tbody, events, withScope) {
    const columns = withScope ? 7 : 6;
    const rows = events.map((e) => el('tr', {},
      el('td', { title: formatTime(e.at), text: formatTime(e.at) }),
      withScope ? el('td', { text: e.scope }) : null,
      el('td', { text: e.kind }),
      el('td', { text: e.rule || '—' }),
      el('td', {}, e.from || e.to ? [badge(e.from, '—'), ' → ', badge(e.to, '—')] : '—'),
      el('td', { text: e.actor || '' }),
      el('td', { class: 'evidence', text: prettyEvidence(e.evidence) })));
    tbody.replaceChildren(...(rows.length ? rows : [emptyRow(columns, 'No health events yet')]));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // 3. Bounces and complaints (sum of the pools' metrics, or one pool)
  // ---------------------------------------------------------------------------------------------------------------

  async function loadBounces(route, live) {
    resetChart('bounce-reasons');
    resetChart('bounces-over-time');
    const fleet = await getFleet(60000);
    if (!live()) return;
    const selected = route.args[0] || '';
    fillPoolSelect(fleet.pools, selected);
    const pools = selected ? [selected] : fleet.pools.map((p) => p.id);
    const range = metricsRange(fleetDays(fleet));
    $('#bounces-range').textContent = (selected ? 'Pool ' + selected : 'All ' + pools.length + ' pools') + ', ' + range.from + ' to ' + range.to;
    const series = await mapLimit(pools, 4, (id) => api('/metrics/pool/' + enc(id) + '?from=' + range.from + '&to=' + range.to));
    if (!live()) return;
    const days = mergeDays(series.map((s) => s.days || []));
    renderBounceReasons(days);
    renderBouncesOverTime(days);
  }

  function fillPoolSelect(pools, selected) {
    const select = $('#bounces-pool');
    select.replaceChildren(el('option', { value: '', text: 'All pools' }), ...pools.map((p) => el('option', { value: p.id, text: p.id })));
    select.value = selected;
  }

  /** Several series' days summed per day (pools do not share mailboxes, so nothing is counted twice). */
  function mergeDays(lists) {
    const byDay = {};
    for (const days of lists) {
      for (const d of days) {
        const sum = byDay[d.day] || (byDay[d.day] = { day: d.day, counts: {}, breakdown: {} });
        for (const [k, n] of Object.entries(d.counts || {})) sum.counts[k] = (sum.counts[k] || 0) + n;
        for (const [k, n] of Object.entries(d.breakdown || {})) sum.breakdown[k] = (sum.breakdown[k] || 0) + n;
      }
    }
    return Object.keys(byDay).sort().map((k) => byDay[k]);
  }

  /** Bounces by reason (Reason__<reason>__<provider>), stacked by provider, reasons by count. */
  function renderBounceReasons(days) {
    const breakdown = sumBreakdown(days);
    const byReason = {};
    const providers = new Set();
    for (const [key, n] of Object.entries(breakdown)) {
      if (!key.startsWith('Reason__') || !n) continue;
      const rest = key.slice('Reason__'.length);
      const cut = rest.lastIndexOf('__');
      const reason = cut > 0 ? rest.slice(0, cut) : rest;
      const provider = cut > 0 ? rest.slice(cut + 2) : 'unknown';
      const r = byReason[reason] || (byReason[reason] = {});
      r[provider] = (r[provider] || 0) + n;
      providers.add(provider);
    }
    const total = (r) => Object.values(byReason[r]).reduce((a, b) => a + b, 0);
    const reasons = Object.keys(byReason).sort((a, b) => total(b) - total(a) || a.localeCompare(b));
    const datasets = Array.from(providers).sort().map((p, i) => ({
      label: p, data: reasons.map((r) => byReason[r][p] || 0), backgroundColor: SERIES[i % SERIES.length],
    }));
    drawChart('bounce-reasons', barConfig(reasons, datasets, { stacked: true }), reasons.length,
      'Bounces by reason: ' + reasons.map((r) => r + ' ' + total(r)).join('; '));
  }

  function renderBouncesOverTime(days) {
    const series = (name) => days.map((d) => (d.counts && d.counts[name]) || 0);
    const config = lineConfig(days.map((d) => d.day), [
      { label: 'Hard bounces', data: series('hardBounces'), borderColor: COLORS.hard, backgroundColor: COLORS.hard },
      { label: 'Soft bounces', data: series('softBounces'), borderColor: COLORS.soft, backgroundColor: COLORS.soft },
      { label: 'Complaints', data: series('complaints'), borderColor: COLORS.complaints, backgroundColor: COLORS.complaints },
    ]);
    drawChart('bounces-over-time', config, days.length,
      'Over ' + days.length + ' days: ' + sumCounts(days, 'hardBounces') + ' hard bounces, ' + sumCounts(days, 'softBounces') + ' soft bounces, ' + sumCounts(days, 'complaints') + ' complaints');
  }

  // ---------------------------------------------------------------------------------------------------------------
  // 4. Suppressions (paged: "Load more" follows the page's next token)
  // ---------------------------------------------------------------------------------------------------------------

  async function loadSuppressions(route, live) {
    const page = await api('/suppressions?limit=100');
    if (!live()) return;
    $('#suppressions-table tbody').replaceChildren();
    appendSuppressions(page, true);
  }

  function appendSuppressions(page, first) {
    const tbody = $('#suppressions-table tbody');
    const rows = page.items.map((s) => el('tr', {},
      el('th', { scope: 'row', text: s.address }),
      el('td', {}, badge(s.reason)),
      el('td', { class: 'evidence', text: s.evidence || '' }),
      el('td', { title: formatTime(s.addedAt), text: formatTime(s.addedAt) })));
    if (first && rows.length === 0) tbody.replaceChildren(emptyRow(4, 'No suppressed addresses'));
    else tbody.append(...rows);
    state.suppressionsNext = page.next;
    $('#suppressions-more').hidden = !page.next;
    const shown = tbody.querySelectorAll('tr th').length;
    $('#suppressions-count').textContent = shown + ' shown' + (page.next ? ', more to load' : '');
  }

  async function moreSuppressions(button) {
    await withBusy(button, async () => {
      appendSuppressions(await api('/suppressions?limit=100&after=' + enc(state.suppressionsNext)), false);
    });
  }

  // ---------------------------------------------------------------------------------------------------------------
  // 5. DNS audits: each domain's latest report; a finding's fix is the record to publish, with a copy button
  // ---------------------------------------------------------------------------------------------------------------

  async function loadAudits(route, live) {
    const fleet = await getFleet(60000);
    if (!live()) return;
    const only = route.args[0];
    const domains = fleet.domains.filter((d) => !only || d.name === only);
    const reports = await mapLimit(domains, 4, (d) => api('/domains/' + enc(d.name) + '/audits?limit=1'));
    if (!live()) return;
    const list = $('#audits-list');
    list.replaceChildren(...domains.map((d, i) => auditCard(d.name, reports[i][0] || null)));
    if (only) list.prepend(el('p', {}, el('a', { href: '#/audits', text: 'Show every domain' })));
    if (!domains.length) list.replaceChildren(el('p', { class: 'meta', text: only ? 'No domain named ' + only : 'No domains yet' }));
  }

  function auditCard(domain, report) {
    const head = el('div', { class: 'audit-head' },
      el('h3', { text: domain }),
      report ? badge(report.worst || worstOf(report.findings)) : badge(null, 'not audited'),
      report ? el('span', { class: 'meta', text: 'audited ' + formatTime(report.at) }) : null,
      el('button', { type: 'button', class: 'small', 'data-action': 'run-audit', 'data-domain': domain, text: 'Run audit' }));
    if (!report) return el('article', { class: 'audit', 'data-audit': domain }, head, el('p', { class: 'meta', text: 'No audit yet.' }));
    const rows = report.findings.map((f) => el('tr', { 'data-check': f.check },
      el('td', {}, badge(f.status)),
      el('th', { scope: 'row', text: f.check }),
      el('td', { text: f.summary }),
      el('td', {}, f.evidence && f.evidence.length ? el('ul', { class: 'evidence-list' }, f.evidence.map((e) => el('li', { class: 'evidence', text: e }))) : '—'),
      el('td', {}, f.fix ? el('div', { class: 'fix' }, el('code', { text: f.fix }),
        el('button', { type: 'button', class: 'small secondary', 'data-action': 'copy-fix', text: 'Copy', 'aria-label': 'Copy the record for ' + f.check })) : '—')));
    return el('article', { class: 'audit', 'data-audit': domain }, head,
      el('div', { class: 'table-wrap' }, el('table', {},
        el('caption', { class: 'sr-only', text: 'Findings of the latest DNS audit of ' + domain }),
        el('thead', {}, el('tr', {}, ['Status', 'Check', 'Summary', 'Evidence', 'Record to publish'].map((h) => el('th', { scope: 'col', text: h })))),
        el('tbody', {}, rows.length ? rows : [emptyRow(5, 'No findings')]))));
  }

  function worstOf(findings) {
    const order = ['pass', 'unknown', 'warn', 'fail'];
    return (findings || []).reduce((w, f) => (order.indexOf(f.status) > order.indexOf(w) ? f.status : w), 'pass');
  }

  async function copyFix(button) {
    const code = button.parentElement.querySelector('code');
    const text = code.textContent;
    try {
      await navigator.clipboard.writeText(text);
      notice('Copied the record: ', el('code', { text }));
    } catch (_) {
      // no clipboard permission (an http origin other than localhost): select the text for Ctrl+C instead
      const range = document.createRange();
      range.selectNodeContents(code);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      notice('The browser refused the clipboard: the record is selected, press Ctrl+C to copy it.');
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // 6. Health events: one scope, or every pool and domain together
  // ---------------------------------------------------------------------------------------------------------------

  async function loadEvents(route, live) {
    const fleet = await getFleet(60000);
    if (!live()) return;
    const [kind, id] = route.args;
    fillScopeSelect(fleet, kind && id ? kind + '/' + id : '');
    let events;
    if (kind && id) {
      events = await api('/health/' + enc(kind) + '/' + enc(id) + '/events?limit=100');
    } else {
      // the fleet view: every pool's and domain's latest events, merged newest first
      const scopes = fleet.pools.map((p) => ['pool', p.id]).concat(fleet.domains.map((d) => ['domain', d.name]));
      const lists = await mapLimit(scopes, 4, ([k, i]) => api('/health/' + k + '/' + enc(i) + '/events?limit=20'));
      events = [].concat(...lists).sort((a, b) => Date.parse(b.at) - Date.parse(a.at)).slice(0, 200);
    }
    if (live()) renderEvents($('#events-table tbody'), events, true);
  }

  function fillScopeSelect(fleet, selected) {
    const group = (label, kind, ids) => el('optgroup', { label }, ids.map((id) => el('option', { value: kind + '/' + id, text: id })));
    const select = $('#events-scope');
    select.replaceChildren(
      el('option', { value: '', text: 'Every pool and domain' }),
      group('Pools', 'pool', fleet.pools.map((p) => p.id)),
      group('Domains', 'domain', fleet.domains.map((d) => d.name)),
      group('Mailboxes', 'mailbox', fleet.mailboxes.map((m) => m.address)));
    select.value = selected;
  }

  const LOADERS = {
    overview: loadOverview, mailbox: loadMailbox, bounces: loadBounces,
    suppressions: loadSuppressions, audits: loadAudits, events: loadEvents,
  };

  // ---------------------------------------------------------------------------------------------------------------
  // Actions: each shows the API's answer (or its problem), then reads the view again
  // ---------------------------------------------------------------------------------------------------------------

  /** Disables the button while fn runs, so a double click does not send twice; errors go to the banner. */
  async function withBusy(button, fn) {
    if (button) button.disabled = true;
    clearErrors();   // an earlier failure is no longer the news; this action's own outcome will be
    try {
      await fn();
    } catch (err) {
      showError(err);
    } finally {
      if (button) button.disabled = false;
    }
  }

  function reportList(report) {
    return el('ul', {}, (report.mailboxes || []).map((m) => el('li', {},
      el('strong', { text: m.mailbox }), ': ', badge(m.outcome), m.day ? ' (day ' + m.day + ')' : '', m.detail ? ' — ' + m.detail : '')));
  }

  async function warmupMailbox(action, button) {
    const address = state.route.args[0];
    await withBusy(button, async () => {
      const report = await api('/mailboxes/' + enc(address) + '/warmup/' + action, { method: 'POST' });
      const mine = (report.mailboxes || []).find((m) => m.mailbox === address) || { outcome: 'unknown', detail: 'the report did not name the mailbox' };
      state.lastWarmup[address] = { action, outcome: mine.outcome, detail: mine.detail, day: mine.day, at: new Date().toISOString() };
      notice('Warm-up ' + action + ' of ' + address + ':', reportList(report));
      await reloadView();
    });
  }

  async function warmupPool(action, pool, button) {
    await withBusy(button, async () => {
      const report = await api('/pools/' + enc(pool) + '/warmup/' + action, { method: 'POST' });
      for (const m of report.mailboxes || []) {
        state.lastWarmup[m.mailbox] = { action, outcome: m.outcome, detail: m.detail, day: m.day, at: new Date().toISOString() };
      }
      notice('Warm-up ' + action + ' of pool ' + pool + ':', (report.mailboxes || []).length ? reportList(report) : ' the pool has no mailboxes.');
      await reloadView();
    });
  }

  async function runAudit(domain, button) {
    await withBusy(button, async () => {
      const report = await api('/domains/' + enc(domain) + '/audit', { method: 'POST' });
      const worst = report.worst || worstOf(report.findings);
      notice('Audit of ' + domain + ': ', badge(worst), ' ' + report.findings.length + ' findings. ', el('a', { href: '#/audits/' + enc(domain), text: 'See the report' }));
      state.fleet = null;   // the overview's audit column changed
      await reloadView();
    });
  }

  /** Pauses every sending of the mailbox (or lifts that) through the health override: the mailbox's state becomes paused. */
  async function pauseMailbox(pause, button) {
    const address = state.route.args[0];
    await withBusy(button, async () => {
      const health = await api('/health/mailbox/' + enc(address) + '/override', {
        method: 'POST', body: { level: pause ? 'paused' : 'resume', note: pause ? 'paused from the dashboard' : 'resumed from the dashboard' }, actor: 'dashboard',
      });
      notice((pause ? 'Paused ' : 'Resumed ') + address + ': health now ', badge(health.level));
      state.fleet = null;   // the overview's state column changed
      await reloadView();
    });
  }

  async function overrideHealth(form) {
    const address = state.route.args[0];
    const level = form.elements.level.value;
    const note = form.elements.note.value.trim();
    if (level === 'retired' && !window.confirm('Retire ' + address + '? It stops sending, and its warm-up day stops today.')) return;
    const button = $('button[type="submit"]', form);
    await withBusy(button, async () => {
      const health = await api('/health/mailbox/' + enc(address) + '/override', { method: 'POST', body: { level, note: note || null }, actor: 'dashboard' });
      notice('Health override of ' + address + ': now ', badge(health.level), health.override ? ' (by ' + health.override.actor + ')' : '');
      form.elements.note.value = '';
      state.fleet = null;
      await reloadView();
    });
  }

  function onClick(event) {
    const button = event.target.closest('button[data-action]');
    if (button) {
      const a = button.dataset.action;
      if (a === 'pause-mailbox' || a === 'resume-mailbox') pauseMailbox(a === 'pause-mailbox', button);
      else if (a === 'pause-warmup' || a === 'resume-warmup') warmupMailbox(a.split('-')[0], button);
      else if (a === 'pause-pool' || a === 'resume-pool') warmupPool(a.split('-')[0], button.dataset.pool, button);
      else if (a === 'run-audit') runAudit(button.dataset.domain, button);
      else if (a === 'copy-fix') copyFix(button);
      return;
    }
    // a click anywhere on a mailbox row opens it (the address is also a link, for the keyboard)
    const row = event.target.closest('tr[data-mailbox]');
    if (row && !event.target.closest('a, button')) location.hash = '#/mailbox/' + enc(row.dataset.mailbox);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Settings panel
  // ---------------------------------------------------------------------------------------------------------------

  function openSettings(focusKey) {
    const panel = $('#settings');
    $('#api-base').value = settings.base;
    $('#api-key').value = settings.key;
    panel.hidden = false;
    $('#toggle-settings').setAttribute('aria-expanded', 'true');
    if (focusKey) $('#api-key').focus();
  }

  function closeSettings() {
    $('#settings').hidden = true;
    $('#toggle-settings').setAttribute('aria-expanded', 'false');
  }

  function saveSettings(event) {
    event.preventDefault();
    const base = $('#api-base').value.trim();
    const key = $('#api-key').value.trim();
    let url;
    try { url = new URL(base); } catch (_) { url = null; }
    if (!url || !/^https?:$/.test(url.protocol)) {
      showError(new ApiError(0, 'The API base URL is not valid', 'Give an http or https URL, e.g. ' + defaultBase(), null, ''));
      return;
    }
    if (!key) {
      showError(new ApiError(0, 'No API key', 'Enter the key from Api:Key.', null, ''));
      return;
    }
    settings.save(base, key);
    $('#auth-error').hidden = true;
    state.fleet = null;
    closeSettings();
    loadView(parseRoute());
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Start
  // ---------------------------------------------------------------------------------------------------------------

  function start() {
    configureChartDefaults();
    document.addEventListener('click', onClick);
    $('#settings-form').addEventListener('submit', saveSettings);
    $('#forget-key').addEventListener('click', () => { settings.forgetKey(); openSettings(true); });
    $('#toggle-settings').addEventListener('click', () => ($('#settings').hidden ? openSettings(false) : closeSettings()));
    $('#dismiss-error').addEventListener('click', clearErrors);
    $('#dismiss-notice').addEventListener('click', () => { $('#notice').hidden = true; });
    $('#override-form').addEventListener('submit', (e) => { e.preventDefault(); overrideHealth(e.target); });
    $('#suppressions-more').addEventListener('click', (e) => moreSuppressions(e.target));
    $('#bounces-pool').addEventListener('change', (e) => { location.hash = e.target.value ? '#/bounces/' + enc(e.target.value) : '#/bounces'; });
    $('#events-scope').addEventListener('change', (e) => { location.hash = e.target.value ? '#/events/' + e.target.value.split('/').map(enc).join('/') : '#/events'; });
    window.addEventListener('hashchange', () => loadView(parseRoute(), { focus: true }));
    if (!settings.key) {
      // first visit: nothing can be read without the key
      showSection(parseRoute().view);
      openSettings(true);
      return;
    }
    loadView(parseRoute());
  }

  start();
})();
