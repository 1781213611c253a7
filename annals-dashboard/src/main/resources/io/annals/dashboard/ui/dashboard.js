// The Annals dashboard: one page, views chosen by the URL's fragment (#/users, #/tail, ...), each
// built from the node's own HTTP API. No build step: this file is served as it is written.
import { lineChart } from './charts.js';

const KEY = 'annals.key';
const TAIL_KEPT = 500;

// ---- small DOM helpers: every text goes in as text, never as markup --------------------------

function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name.startsWith('on')) {
      element.addEventListener(name.substring(2), value);
    } else if (name === 'class') {
      element.className = value;
    } else {
      element.setAttribute(name, value === true ? '' : value);
    }
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null && child !== false) {
      element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return element;
}

const pill = (text, kind) => h('span', { class: `pill ${kind ?? text}` }, text);
const json = value => JSON.stringify(value, null, 2);
const shortJson = value => JSON.stringify(value);
const time = text => (text ? new Date(text).toLocaleTimeString() : '');
const streamLink = id => h('a', { href: `#/streams/${encodeURIComponent(id)}` }, id);

// ---- messages --------------------------------------------------------------------------------

function showMessage(text, kind = 'error') {
  const box = document.getElementById('messages');
  // a view that polls would otherwise repeat the same failure every few seconds
  if ([...box.children].some(shown => shown.firstElementChild.textContent === text)) {
    return;
  }
  const message = h('div', { class: `message ${kind}`, 'data-kind': kind },
    h('span', {}, text),
    h('button', { type: 'button', 'aria-label': 'Dismiss', onclick: () => message.remove() }, '×'));
  box.append(message);
  while (box.children.length > 4) {
    box.firstElementChild.remove();
  }
}

function clearMessages() {
  document.getElementById('messages').replaceChildren();
}

// ---- the API ----------------------------------------------------------------------------------

class ApiError extends Error {
  constructor(message, status, problem) {
    super(message);
    this.status = status;
    this.problem = problem;
  }
}

function authorization() {
  const key = sessionStorage.getItem(KEY);
  return key ? { Authorization: `Bearer ${key}` } : {};
}

/** Calls the node; a problem document becomes an ApiError with a readable message. */
async function api(path, { method = 'GET', body } = {}) {
  const headers = { Accept: 'application/json', ...authorization() };
  const init = { method, headers };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ApiError(`The node did not answer (${e.message}). Is it running?`, 0, null);
  }
  const text = await response.text();
  let document = null;
  try {
    document = text ? JSON.parse(text) : null;
  } catch {
    document = null;
  }
  if (!response.ok) {
    if (response.status === 401) {
      askForKey('This node needs a key.');
    }
    throw new ApiError(readable(response.status, document, text), response.status, document);
  }
  return document;
}

function readable(status, problem, text) {
  if (problem && (problem.title || problem.detail)) {
    let message = `${problem.title ?? 'Error'} (${status})`;
    if (problem.detail) {
      message += `: ${problem.detail}`;
    }
    if (status === 403 && problem.required) {
      message += ` This needs the ${problem.required} key.`;
    }
    return message;
  }
  return `The node answered ${status}${text ? `: ${text.substring(0, 200)}` : ''}`;
}

/** Runs an action of a view, showing its failure as a message instead of throwing. */
async function attempt(action) {
  try {
    return await action();
  } catch (e) {
    showMessage(e instanceof ApiError ? e.message : `Unexpected error: ${e.message}`);
    return undefined;
  }
}

// ---- the key -----------------------------------------------------------------------------------

function askForKey(reason) {
  const dialog = document.getElementById('key-dialog');
  if (dialog.open) {
    return;
  }
  if (reason) {
    showMessage(reason, 'info');
  }
  document.getElementById('key-input').value = '';
  dialog.showModal();
}

function setUpKeyDialog() {
  const dialog = document.getElementById('key-dialog');
  document.getElementById('key-button').addEventListener('click', () => askForKey());
  document.getElementById('key-form').addEventListener('submit', () => {
    sessionStorage.setItem(KEY, document.getElementById('key-input').value.trim());
    clearMessages();
    signIn(true);
  });
  document.getElementById('key-forget').addEventListener('click', () => {
    sessionStorage.removeItem(KEY);
    dialog.close();
    signIn(false);
  });
}

// ---- what the node serves ----------------------------------------------------------------------

let served = new Set();
let role = 'public';

/** Asks the node which role the key in use grants (public: no key, or one it does not know). */
async function loadRole() {
  role = (await api('/api/dashboard/session')).role;
  const button = document.getElementById('key-button');
  button.textContent = role === 'public' ? 'Key' : `Key: ${role}`;
  return role;
}

/** Reads /openapi.json (public) to learn which routes the node serves, so views never call absent ones. */
async function loadServedRoutes() {
  const description = await api('/openapi.json');
  served = new Set(Object.keys(description.paths ?? {}));
}

const serves = path => served.has(path);

// ---- the live tail: one connection for the page, shared by the tail and CEP views ---------------

const tail = {
  events: [],
  listeners: new Set(),
  controller: null,
  lastId: null,
  state: 'offline',

  async start() {
    if (this.controller || !serves('/api/events/stream')) {
      return;
    }
    const controller = new AbortController();
    this.controller = controller;
    try {
      if (this.lastId === null) {
        const head = await api('/api/dashboard/head');
        this.lastId = head.position;
      }
      await this.follow(controller);
    } catch (e) {
      if (controller.signal.aborted) {
        return;
      }
      this.setState('offline');
      if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
        this.controller = null;
        return;
      }
      // the node restarted or the connection dropped: resume from the last event seen
      setTimeout(() => {
        if (this.controller === controller) {
          this.controller = null;
          this.start();
        }
      }, 2000);
    }
  },

  async follow(controller) {
    const headers = { Accept: 'text/event-stream', ...authorization(), 'Last-Event-ID': this.lastId };
    const response = await fetch('/api/events/stream', { headers, signal: controller.signal });
    if (!response.ok) {
      const text = await response.text();
      let problem = null;
      try {
        problem = JSON.parse(text);
      } catch {
        problem = null;
      }
      throw new ApiError(readable(response.status, problem, text), response.status, problem);
    }
    this.setState('live');
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        throw new Error('the event stream ended');
      }
      buffer += value.replace(/\r\n?/g, '\n');
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        this.dispatch(buffer.substring(0, end));
        buffer = buffer.substring(end + 2);
      }
    }
  },

  dispatch(block) {
    let id = null;
    const data = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('id:')) {
        id = line.substring(3).trim();
      } else if (line.startsWith('data:')) {
        data.push(line.substring(5).replace(/^ /, ''));
      }
    }
    if (data.length === 0) {
      return; // a heartbeat
    }
    const event = JSON.parse(data.join('\n'));
    if (id) {
      this.lastId = id;
    }
    this.events.push(event);
    if (this.events.length > TAIL_KEPT) {
      this.events.splice(0, this.events.length - TAIL_KEPT);
    }
    this.listeners.forEach(listener => listener(event));
  },

  setState(state) {
    this.state = state;
    const element = document.getElementById('tail-state');
    element.textContent = state;
    element.className = `pill ${state === 'live' ? 'ok' : 'warn'}`;
  },

  stop() {
    if (this.controller) {
      this.controller.abort();
      this.controller = null;
    }
    this.setState('offline');
  },

  restart() {
    this.stop();
    this.start();
  },

  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  },
};

// ---- views -------------------------------------------------------------------------------------

const VIEWS = [
  { path: '', label: 'Overview', role: 'user', render: overview },
  { path: 'users', label: 'Users', role: 'user', needs: '/api/users', render: users },
  { path: 'tail', label: 'Live tail', role: 'user', needs: '/api/events/stream', render: liveTail },
  { path: 'events', label: 'Events', role: 'user', needs: '/api/events', render: eventsBrowser },
  { path: 'streams', label: null, role: 'user', needs: '/api/dashboard/streams/{streamId}/states', render: streamInspector },
  { path: 'projections', label: 'Projections', role: 'admin', needs: '/api/projections', render: projections },
  { path: 'dead-letters', label: 'Dead letters', role: 'admin', needs: '/api/dead-letters', render: deadLetters },
  { path: 'sagas', label: 'Sagas', role: 'admin', needs: '/api/sagas', render: sagas },
  { path: 'cep', label: 'CEP', role: 'user', needs: '/api/events/stream', render: cep },
];

const RANKS = { public: 0, user: 1, admin: 2 };
const allowed = view => RANKS[role] >= RANKS[view.role];

let cleanup = () => {};
// views shown in this page since it loaded, so that Back never leaves the dashboard
let navigations = 0;

function renderNav(current) {
  const nav = document.getElementById('nav');
  nav.replaceChildren(...VIEWS.filter(view => view.label && (!view.needs || serves(view.needs)) && allowed(view))
    .map(view => h('a', { href: `#/${view.path}`, class: view.path === current ? 'active' : null, 'data-view': view.path || 'overview' },
      view.label)));
}

function route() {
  cleanup();
  cleanup = () => {};
  const [path, ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  const view = VIEWS.find(candidate => candidate.path === path) ?? VIEWS[0];
  renderNav(view.path);
  const container = document.getElementById('view');
  container.replaceChildren();
  if (view.needs && !serves(view.needs)) {
    container.append(h('h1', {}, view.label ?? 'Stream'),
      h('p', { class: 'muted' }, `This node does not serve ${view.needs}: the module behind this view is not on.`));
    return;
  }
  if (!allowed(view)) {
    container.append(h('h1', {}, view.label ?? 'Stream'),
      h('p', { class: 'muted', id: 'needs-key' }, role === 'public'
        ? 'This node has keys: enter one (Key, top right) to see this view.'
        : `This view needs the ${view.role} key; the key in use grants ${role}.`));
    return;
  }
  const result = view.render(container, rest.map(decodeURIComponent));
  if (typeof result === 'function') {
    cleanup = result;
  }
}

/** Calls load now and every ms milliseconds until the view is left; returns the stopper. */
function every(ms, load) {
  let stopped = false;
  let timer = null;
  const run = async () => {
    await load();
    if (!stopped) {
      timer = setTimeout(run, ms);
    }
  };
  run();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

// Overview: health and the charts --------------------------------------------------------------

function overview(container) {
  const health = h('div');
  const canvases = {
    throughput: h('canvas', { class: 'chart', id: 'chart-throughput' }),
    latency: h('canvas', { class: 'chart', id: 'chart-latency' }),
    appends: h('canvas', { class: 'chart', id: 'chart-appends' }),
  };
  container.append(h('h1', {}, 'Overview'),
    h('div', { class: 'grid' },
      h('div', { class: 'card' }, h('h2', {}, 'Throughput'), canvases.throughput),
      h('div', { class: 'card' }, h('h2', {}, 'API latency'), canvases.latency),
      h('div', { class: 'card' }, h('h2', {}, 'Store latency'), canvases.appends),
      h('div', { class: 'card' }, h('h2', {}, 'Health'), health)));
  return every(2000, async () => {
    const [status, metrics] = await Promise.all([
      attempt(() => api('/health').catch(e => e.problem ?? Promise.reject(e))),
      serves('/api/dashboard/metrics') ? attempt(() => api('/api/dashboard/metrics')) : null,
    ]);
    if (status) {
      health.replaceChildren(h('dl', { class: 'facts' }, Object.entries(status).flatMap(([part, value]) =>
        part === 'status' ? [h('dt', {}, 'node'), h('dd', {}, pill(value))]
          : [h('dt', {}, part), h('dd', {}, pill(value.status), ' ', h('span', { class: 'muted mono' },
            shortJson(Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'status')))))])));
    }
    if (metrics) {
      const series = (name, field) => ({ name, points: metrics.samples.map(s => [s.at, s[field]]) });
      lineChart(canvases.throughput, [series('events/s', 'eventsPerSecond'), series('requests/s', 'requestsPerSecond')], 'per s');
      lineChart(canvases.latency, [series('mean', 'requestMeanMillis'), series('max (about the last minute)', 'requestMaxMillis')], 'ms');
      lineChart(canvases.appends, [series('recorded → live (mean)', 'deliveryMeanMillis'), series('max', 'deliveryMaxMillis'),
        series('append via store API', 'appendMeanMillis')], 'ms');
    }
  });
}

// Users -----------------------------------------------------------------------------------------

function users(container, [userId]) {
  if (userId) {
    return userDetail(container, userId);
  }
  const size = 20;
  let page = 0;
  const body = h('tbody');
  const summary = h('span', { class: 'muted' });
  const previous = h('button', { type: 'button', class: 'quiet', onclick: () => { page--; load(); } }, '‹ Previous');
  const next = h('button', { type: 'button', class: 'quiet', onclick: () => { page++; load(); } }, 'Next ›');
  const email = h('input', { type: 'search', id: 'user-email', placeholder: 'email', 'aria-label': 'Search by email' });
  const search = h('form', { class: 'toolbar', onsubmit: e => { e.preventDefault(); load(); } },
    email, h('button', { type: 'submit' }, 'Search'),
    h('button', { type: 'button', class: 'quiet', onclick: () => { email.value = ''; page = 0; load(); } }, 'All'),
    h('span', { class: 'grow' }), summary, previous, next);
  container.append(h('h1', {}, 'Users'), search,
    h('table', { id: 'users' }, h('thead', {}, h('tr', {}, ['Email', 'Name', 'Status', 'Registered', 'Updated', 'Id'].map(t => h('th', {}, t)))), body));
  const row = user => h('tr', { 'data-user': user.id },
    h('td', {}, h('a', { href: `#/users/${encodeURIComponent(user.id)}` }, user.email)),
    h('td', {}, user.name), h('td', {}, pill(user.status)),
    h('td', {}, user.registeredAt ? new Date(user.registeredAt).toLocaleString() : ''),
    h('td', {}, user.lastUpdated ? new Date(user.lastUpdated).toLocaleString() : ''),
    h('td', { class: 'mono muted' }, user.id));
  async function load() {
    const wanted = email.value.trim();
    if (wanted) {
      const found = await attempt(async () => {
        try {
          return await api(`/api/users?email=${encodeURIComponent(wanted)}`);
        } catch (e) {
          if (e.status === 404) {
            return { items: [] };
          }
          throw e;
        }
      });
      if (found) {
        const items = found.items ?? [found];
        body.replaceChildren(...items.map(row));
        summary.textContent = items.length ? '' : `No user has the email ${wanted}.`;
        previous.disabled = next.disabled = true;
      }
      return;
    }
    const result = await attempt(() => api(`/api/users?page=${page}&size=${size}`));
    if (result) {
      body.replaceChildren(...result.items.map(row));
      const first = result.total === 0 ? 0 : result.page * result.size + 1;
      summary.textContent = `${first}–${result.page * result.size + result.items.length} of ${result.total}`;
      previous.disabled = result.page === 0;
      next.disabled = (result.page + 1) * result.size >= result.total;
    }
  }
  // the page of users follows new registrations; a search is answered once, when it is asked
  return every(3000, async () => {
    if (document.activeElement !== email && !email.value.trim()) {
      await load();
    }
  });
}

function userDetail(container, userId) {
  const facts = h('dl', { class: 'facts' });
  const history = h('tbody');
  const alerts = h('ul', { id: 'user-alerts' });
  const stream = `user-${userId}`;
  container.append(h('p', {}, h('a', { href: '#/users' }, '‹ Users')), h('h1', {}, 'User'), facts,
    h('p', {}, h('a', { href: `#/streams/${encodeURIComponent(stream)}`, id: 'time-travel-link' }, 'Open the time-travel inspector')),
    h('h2', {}, 'Event history'),
    h('table', { id: 'user-history' }, h('thead', {}, h('tr', {}, ['Version', 'Type', 'Recorded', 'Data'].map(t => h('th', {}, t)))), history),
    h('h2', {}, 'Alerts'), alerts);
  return every(3000, async () => {
    const user = await attempt(() => api(`/api/users/${encodeURIComponent(userId)}`));
    if (user) {
      facts.replaceChildren(...Object.entries(user).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, k === 'status' ? pill(v) : String(v))]));
    }
    const events = await attempt(() => api(`/api/streams/${encodeURIComponent(stream)}?limit=1000`));
    if (events) {
      history.replaceChildren(...events.events.map(e => h('tr', {},
        h('td', {}, e.version), h('td', {}, e.type), h('td', {}, new Date(e.recordedAt).toLocaleString()),
        h('td', { class: 'data mono' }, shortJson(e.data)))));
    }
    if (serves('/api/alerts')) {
      const found = await attempt(() => api(`/api/alerts?userId=${encodeURIComponent(userId)}`));
      const list = found ? (Array.isArray(found) ? found : found.alerts ?? found.items ?? []) : [];
      alerts.replaceChildren(...(list.length ? list.map(a => h('li', {}, a.pattern ?? 'alert',
        a.firstOccurredAt ? `: from ${new Date(a.firstOccurredAt).toLocaleString()} to ${new Date(a.lastOccurredAt).toLocaleString()}` : '',
        a.detectedAt ? `, detected ${new Date(a.detectedAt).toLocaleString()}` : '',
        a.firstOccurredAt ? '' : ` ${shortJson(a)}`)) : [h('li', { class: 'muted' }, 'none')]));
    }
  });
}

// Live tail -------------------------------------------------------------------------------------

function liveTail(container) {
  const type = h('input', { type: 'search', id: 'tail-type', placeholder: 'type' });
  const tag = h('input', { type: 'search', id: 'tail-tag', placeholder: 'tag (key:value)' });
  const stream = h('input', { type: 'search', id: 'tail-stream', placeholder: 'stream id or prefix' });
  const body = h('tbody');
  const count = h('span', { class: 'muted' });
  let paused = false;
  const pause = h('button', { type: 'button', class: 'quiet', onclick: () => { paused = !paused; pause.textContent = paused ? 'Resume' : 'Pause'; render(); } }, 'Pause');
  container.append(h('h1', {}, 'Live tail'),
    h('div', { class: 'toolbar' }, type, tag, stream, pause, h('span', { class: 'grow' }), count),
    h('p', { class: 'muted' }, `Every event the node records from when this page opened (the last ${TAIL_KEPT} are kept), newest first; the filters match part of a type or tag, and the start of a stream id.`),
    h('table', { id: 'tail' }, h('thead', {}, h('tr', {}, ['Recorded', 'Stream', 'Version', 'Type', 'Tags', 'Data'].map(t => h('th', {}, t)))), body));
  const matches = e => e.type.includes(type.value.trim())
    && (!tag.value.trim() || (e.tags ?? []).some(t => t.includes(tag.value.trim())))
    && e.streamId.startsWith(stream.value.trim());
  let scheduled = false;
  function render() {
    scheduled = false;
    if (paused) {
      return;
    }
    const shown = tail.events.filter(matches).slice(-200).reverse();
    count.textContent = `${shown.length} shown, ${tail.events.length} received`;
    body.replaceChildren(...shown.map(e => h('tr', { 'data-type': e.type, 'data-stream': e.streamId },
      h('td', {}, time(e.recordedAt)), h('td', {}, streamLink(e.streamId)), h('td', {}, e.version),
      h('td', {}, e.type), h('td', { class: 'mono' }, (e.tags ?? []).join(' ')), h('td', { class: 'data mono' }, shortJson(e.data)))));
  }
  const schedule = () => {
    if (!scheduled) {
      scheduled = true;
      setTimeout(render, 250);
    }
  };
  [type, tag, stream].forEach(input => input.addEventListener('input', schedule));
  render();
  return tail.subscribe(schedule);
}

// Events and streams ----------------------------------------------------------------------------

function eventsBrowser(container) {
  const category = h('input', { type: 'search', id: 'events-category', placeholder: 'category (user)' });
  const types = h('input', { type: 'search', id: 'events-types', placeholder: 'types (a,b)' });
  const stream = h('input', { type: 'search', id: 'events-stream', placeholder: 'open stream id' });
  const body = h('tbody');
  const pages = [''];
  let next = null;
  const previousButton = h('button', { type: 'button', class: 'quiet', onclick: () => { pages.pop(); load(); } }, '‹ Previous');
  const nextButton = h('button', { type: 'button', class: 'quiet', onclick: () => { pages.push(next); load(); } }, 'Next ›');
  container.append(h('h1', {}, 'Events'),
    h('form', { class: 'toolbar', onsubmit: e => { e.preventDefault(); pages.splice(1); load(); } },
      category, types, h('button', { type: 'submit' }, 'Filter'), h('span', { class: 'grow' }), previousButton, nextButton),
    h('form', { class: 'toolbar', onsubmit: e => { e.preventDefault(); if (stream.value.trim()) { location.hash = `#/streams/${encodeURIComponent(stream.value.trim())}`; } } },
      stream, h('button', { type: 'submit' }, 'Open stream')),
    h('table', { id: 'events' }, h('thead', {}, h('tr', {}, ['Recorded', 'Stream', 'Version', 'Type', 'Data'].map(t => h('th', {}, t)))), body));
  async function load() {
    const query = new URLSearchParams({ limit: '50', after: pages[pages.length - 1] });
    if (category.value.trim()) {
      query.set('category', category.value.trim());
    }
    if (types.value.trim()) {
      query.set('types', types.value.trim());
    }
    const page = await attempt(() => api(`/api/events?${query}`));
    if (page) {
      next = page.next;
      // a position is opaque: its order is the global order, its text means nothing more
      body.replaceChildren(...page.events.map(e => h('tr', { title: `position ${e.position}` },
        h('td', {}, new Date(e.recordedAt).toLocaleString()),
        h('td', {}, streamLink(e.streamId)), h('td', {}, e.version), h('td', {}, e.type), h('td', { class: 'data mono' }, shortJson(e.data)))));
      previousButton.disabled = pages.length === 1;
      nextButton.disabled = page.events.length < 50;
    }
  }
  load();
}

/** What changed from one state to the next, field by field (nested objects by path). */
function changes(before, after, path = '') {
  const result = [];
  const isObject = v => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObject(before) && isObject(after)) {
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      const at = path ? `${path}.${key}` : key;
      if (!(key in before)) {
        result.push({ kind: 'added', path: at, after: after[key] });
      } else if (!(key in after)) {
        result.push({ kind: 'removed', path: at, before: before[key] });
      } else {
        result.push(...changes(before[key], after[key], at));
      }
    }
  } else if (shortJson(before) !== shortJson(after)) {
    result.push({ kind: 'changed', path: path || '(state)', before, after });
  }
  return result;
}

function streamInspector(container, [streamId]) {
  if (!streamId) {
    location.hash = '#/events';
    return undefined;
  }
  const heading = h('h1', {}, 'Stream ', h('span', { class: 'mono' }, streamId));
  container.append(h('p', {}, h('a', { href: '#/events', onclick: e => { if (navigations > 0) { e.preventDefault(); history.back(); } } }, '‹ Back')), heading);
  const place = h('div');
  container.append(place);
  (async () => {
    const history = await attempt(() => api(`/api/dashboard/streams/${encodeURIComponent(streamId)}/states`));
    if (!history) {
      return;
    }
    const versions = history.versions;
    const fold = h('p', { class: 'muted', id: 'fold' }, history.fold === 'decider'
      ? `States folded by the domain's decider ${history.folder}.`
      : 'No decider is registered for this stream\'s category: each state is the data of the events so far, merged one level deep.',
      history.note ? ` ${history.note}` : '', history.truncated ? ` Only the first ${versions.length} events are shown.` : '');
    const slider = h('input', { type: 'range', id: 'version-slider', min: 0, max: versions.length - 1, value: versions.length - 1, 'aria-label': 'Version' });
    const timeline = h('tbody');
    const label = h('strong', { id: 'version-label' });
    const state = h('pre', { id: 'state' });
    const data = h('pre', { id: 'event-data' });
    const diff = h('ul', { class: 'diff', id: 'diff' });
    place.append(fold,
      h('div', { class: 'split' },
        h('div', { class: 'card timeline' }, h('table', { id: 'timeline' },
          h('thead', {}, h('tr', {}, ['Version', 'Type', 'Recorded'].map(t => h('th', {}, t)))), timeline)),
        h('div', { class: 'card' }, h('div', { class: 'toolbar' }, label, slider),
          h('h2', {}, 'State at this version'), state,
          h('h2', {}, 'What this event changed'), diff,
          h('h2', {}, 'The event'), data)));
    const rows = versions.map((v, i) => h('tr', { 'data-version': v.version, onclick: () => show(i) },
      h('td', {}, v.version), h('td', {}, v.type), h('td', {}, new Date(v.recordedAt).toLocaleString())));
    timeline.replaceChildren(...rows);
    function show(index) {
      slider.value = index;
      const current = versions[index];
      label.textContent = `Version ${current.version} of ${versions[versions.length - 1].version}`;
      rows.forEach((row, i) => row.classList.toggle('selected', i === index));
      state.textContent = json(current.state);
      data.textContent = json({ type: current.type, position: current.position, recordedAt: current.recordedAt, data: current.data });
      const found = changes(index === 0 ? null : versions[index - 1].state, current.state);
      diff.replaceChildren(...(found.length ? found.map(c => h('li', { class: c.kind },
        h('span', { class: 'mono' }, c.path), ` ${c.kind}`,
        c.kind === 'changed' ? `: ${shortJson(c.before)} → ${shortJson(c.after)}` : `: ${shortJson(c.kind === 'added' ? c.after : c.before)}`))
        : [h('li', { class: 'muted' }, 'nothing: the state is the same as before')]));
    }
    slider.addEventListener('input', () => show(Number(slider.value)));
    show(versions.length - 1);
  })();
  return undefined;
}

// Projections and dead letters -------------------------------------------------------------------

function projections(container) {
  const body = h('tbody');
  container.append(h('h1', {}, 'Projections'),
    h('table', { id: 'projections' }, h('thead', {}, h('tr', {},
      ['Name', 'State', 'Lag (events)', 'Lag (s)', 'Handled', 'Events/s', 'Errors', 'Rebuild', ''].map(t => h('th', {}, t)))), body));
  const rebuild = async name => {
    const answer = await attempt(() => api(`/api/projections/${encodeURIComponent(name)}/rebuild`, { method: 'POST' }));
    if (answer) {
      showMessage(`Rebuilding ${name}.`, 'info');
    }
  };
  return every(1000, async () => {
    const result = await attempt(() => api('/api/projections'));
    if (!result) {
      return;
    }
    body.replaceChildren(...(result.projections.length ? result.projections.map(p => {
      const progress = p.rebuild;
      const done = progress ? progress.eventsDone / Math.max(1, progress.eventsDone + progress.eventsLeft) : null;
      return h('tr', { 'data-projection': p.name, 'data-state': p.state },
        h('td', {}, p.name), h('td', {}, pill(p.state)), h('td', {}, p.lagEvents), h('td', {}, p.lagSeconds.toFixed(1)),
        h('td', {}, p.eventsHandled), h('td', {}, p.eventsPerSecond.toFixed(1)),
        h('td', {}, p.errors, p.partitions.filter(x => x.lastError).map(x => h('div', { class: 'muted' }, x.lastError))),
        h('td', {}, progress ? h('div', {}, h('div', { class: 'progress' }, h('div', { style: `width:${(done * 100).toFixed(0)}%` })),
          h('span', { class: 'muted' }, `${progress.eventsDone} done, ${progress.eventsLeft} left${progress.secondsLeft !== undefined ? `, ~${Math.ceil(progress.secondsLeft)} s` : ''}`)) : ''),
        h('td', {}, h('button', { type: 'button', class: 'quiet', 'data-rebuild': p.name, disabled: p.state === 'REBUILDING', onclick: () => rebuild(p.name) }, 'Rebuild')));
    }) : [h('tr', {}, h('td', { colspan: 9, class: 'muted' }, 'No projections are registered on this node.'))]));
  });
}

function deadLetters(container) {
  const body = h('tbody');
  container.append(h('h1', {}, 'Dead letters'),
    h('p', { class: 'muted' }, 'Events a projection could not handle. Retry hands one to its projection again; discard drops it.'),
    h('table', { id: 'dead-letters' }, h('thead', {}, h('tr', {},
      ['Id', 'Projection', 'Stream', 'Version', 'Type', 'Error', 'Attempts', 'Parked', ''].map(t => h('th', {}, t)))), body));
  let reload = () => {};
  const retry = async id => {
    const result = await attempt(() => api(`/api/dead-letters/${id}/retry`, { method: 'POST' }));
    if (result) {
      showMessage(result.applied ? `Dead letter ${id} was applied.` : `Dead letter ${id} failed again: ${result.error ?? ''}`, result.applied ? 'info' : 'error');
      reload();
    }
  };
  const discard = async id => {
    const result = await attempt(async () => (await api(`/api/dead-letters/${id}`, { method: 'DELETE' })) ?? true);
    if (result) {
      showMessage(`Dead letter ${id} was discarded.`, 'info');
      reload();
    }
  };
  const stop = every(3000, reload = async () => {
    const result = await attempt(() => api('/api/dead-letters'));
    if (result) {
      body.replaceChildren(...(result.deadLetters.length ? result.deadLetters.map(d => h('tr', { 'data-dead-letter': d.id },
        h('td', {}, d.id), h('td', {}, d.projection), h('td', {}, streamLink(d.streamId)), h('td', {}, d.version), h('td', {}, d.type),
        h('td', { class: 'mono' }, d.error), h('td', {}, d.attempts, d.blocking ? ' (blocking)' : ''), h('td', {}, new Date(d.parkedAt).toLocaleString()),
        h('td', {}, h('button', { type: 'button', onclick: () => retry(d.id) }, 'Retry'), ' ',
          h('button', { type: 'button', class: 'danger', onclick: () => discard(d.id) }, 'Discard'))))
        : [h('tr', {}, h('td', { colspan: 9, class: 'muted' }, 'No dead letters.'))]));
    }
  });
  return stop;
}

// Sagas -----------------------------------------------------------------------------------------

const SAGA_STATUSES = ['', 'started', 'completed', 'failed', 'compensating', 'compensated', 'needs-attention', 'resolved'];

function sagas(container, [sagaId]) {
  if (sagaId) {
    return sagaDetail(container, sagaId);
  }
  const status = h('select', { id: 'saga-status', 'aria-label': 'Status' }, SAGA_STATUSES.map(s => h('option', { value: s }, s || 'any status')));
  const body = h('tbody');
  container.append(h('h1', {}, 'Sagas'), h('div', { class: 'toolbar' }, status),
    h('table', { id: 'sagas' }, h('thead', {}, h('tr', {}, ['Saga', 'Id', 'Status', 'Version', 'Error'].map(t => h('th', {}, t)))), body));
  let reload = () => {};
  const stop = every(3000, reload = async () => {
    const result = await attempt(() => api(`/api/sagas${status.value ? `?status=${status.value}` : ''}`));
    if (result) {
      body.replaceChildren(...(result.sagas.length ? result.sagas.map(s => h('tr', { 'data-saga': s.sagaId, 'data-status': s.status },
        h('td', {}, s.saga), h('td', {}, h('a', { href: `#/sagas/${encodeURIComponent(s.sagaId)}` }, s.sagaId)),
        h('td', {}, pill(s.status)), h('td', {}, s.version), h('td', { class: 'mono' }, s.error ?? '')))
        : [h('tr', {}, h('td', { colspan: 5, class: 'muted' }, 'No sagas.'))]));
    }
  });
  status.addEventListener('change', () => reload());
  return stop;
}

function sagaDetail(container, sagaId) {
  const facts = h('dl', { class: 'facts', id: 'saga-facts' });
  const steps = h('tbody');
  const history = h('pre', { id: 'saga-history' });
  const note = h('input', { type: 'text', id: 'saga-note', placeholder: 'why (required)', size: 40 });
  let reload = () => {};
  const act = action => async () => {
    if (!note.value.trim()) {
      showMessage('Say why in the note first: it is kept in the saga\'s history.');
      return;
    }
    const result = await attempt(() => api(`/api/sagas/${encodeURIComponent(sagaId)}/${action}`, { method: 'POST', body: { note: note.value.trim() } }));
    if (result) {
      showMessage(`Saga ${sagaId}: ${action} done, now ${result.status}.`, 'info');
      note.value = '';
      reload();
    }
  };
  container.append(h('p', {}, h('a', { href: '#/sagas' }, '‹ Sagas')), h('h1', {}, 'Saga ', h('span', { class: 'mono' }, sagaId)), facts,
    h('div', { class: 'toolbar' }, note, h('button', { type: 'button', id: 'saga-retry', onclick: act('retry') }, 'Retry'),
      h('button', { type: 'button', class: 'quiet', id: 'saga-resolve', onclick: act('resolve') }, 'Resolve')),
    h('h2', {}, 'Steps'),
    h('table', { id: 'saga-steps' }, h('thead', {}, h('tr', {}, ['Step', 'Attempts', 'Succeeded', 'Result', 'Compensation attempts', 'Compensated'].map(t => h('th', {}, t)))), steps),
    h('h2', {}, 'History'), history);
  return every(3000, reload = async () => {
    const saga = await attempt(() => api(`/api/sagas/${encodeURIComponent(sagaId)}`));
    if (saga) {
      facts.replaceChildren(h('dt', {}, 'saga'), h('dd', {}, saga.saga), h('dt', {}, 'status'), h('dd', {}, pill(saga.status)),
        h('dt', {}, 'version'), h('dd', {}, saga.version), h('dt', {}, 'error'), h('dd', { class: 'mono' }, saga.error ?? 'none'));
      steps.replaceChildren(...saga.steps.map(s => h('tr', {}, h('td', {}, s.name), h('td', {}, s.attempts), h('td', {}, s.succeeded ? 'yes' : 'no'),
        h('td', { class: 'mono' }, s.result ?? ''), h('td', {}, s.compensationAttempts), h('td', {}, s.compensated ? 'yes' : 'no'))));
      history.textContent = saga.history.map(e => `${e.type} ${shortJson(e.data)}`).join('\n');
    }
  });
}

// CEP -------------------------------------------------------------------------------------------

function cep(container) {
  const patterns = h('tbody');
  const alerts = h('tbody');
  // the patterns of the module cep (admin); a module may run patterns of its own, whose alerts show below all the same
  const showPatterns = serves('/api/cep/patterns') && RANKS[role] >= RANKS.admin;
  container.append(...[h('h1', {}, 'Complex event processing'),
    showPatterns ? h('table', { id: 'patterns' }, h('thead', {}, h('tr', {},
      ['Pattern', 'Status', 'Events', 'Matches', 'Late', 'Watermark', 'State'].map(t => h('th', {}, t)))), patterns) : null,
    h('h2', {}, 'Alerts as they happen'),
    h('p', { class: 'muted' }, 'The matches patterns append (streams cep-*), since this page opened, newest first.'),
    h('table', { id: 'alerts' }, h('thead', {}, h('tr', {}, ['Recorded', 'Alert', 'Key', 'Stream', 'Data'].map(t => h('th', {}, t)))), alerts)]
    .filter(Boolean));
  const keyOf = e => {
    const tag = (e.tags ?? []).find(t => !t.startsWith('cep-pattern:'));
    if (!tag) {
      return '';
    }
    const [name, ...value] = tag.split(':');
    // a user's alert links to the user, when the node serves users
    return name === 'userId' && serves('/api/users/{id}')
      ? h('a', { href: `#/users/${encodeURIComponent(value.join(':'))}` }, tag) : tag;
  };
  const renderAlerts = () => alerts.replaceChildren(...tail.events.filter(e => e.streamId.startsWith('cep-')).reverse().map(e => h('tr', {},
    h('td', {}, time(e.recordedAt)), h('td', {}, e.type), h('td', { class: 'mono' }, keyOf(e)), h('td', {}, streamLink(e.streamId)),
    h('td', { class: 'data mono' }, shortJson(e.data)))));
  renderAlerts();
  const unsubscribe = tail.subscribe(e => {
    if (e.streamId.startsWith('cep-')) {
      renderAlerts();
    }
  });
  const stop = !showPatterns ? () => {} : every(2000, async () => {
    const result = await attempt(() => api('/api/cep/patterns'));
    if (result) {
      patterns.replaceChildren(...result.patterns.map(p => h('tr', {},
        h('td', {}, p.name), h('td', {}, pill(p.status)), h('td', {}, p.events ?? ''), h('td', {}, p.matches ?? ''),
        h('td', {}, p.lateEvents ?? ''), h('td', { class: 'mono' }, p.watermark ?? ''),
        h('td', { class: 'mono' }, p.state ? shortJson(p.state) : ''))));
    }
  });
  return () => {
    stop();
    unsubscribe();
  };
}

// ---- start -------------------------------------------------------------------------------------

/** Learns the key's role, then shows the views it may use and follows the events if it may read. */
async function signIn(keyGiven) {
  tail.stop();
  tail.lastId = null;
  tail.events = [];
  const granted = await attempt(loadRole);
  if (granted === 'public') {
    askForKey(keyGiven ? 'The node did not accept this key.' : 'This node has keys: enter one to use the dashboard.');
  }
  route();
  if (granted && granted !== 'public') {
    tail.start();
  }
}

async function main() {
  setUpKeyDialog();
  tail.setState('offline');
  try {
    await loadServedRoutes();
  } catch (e) {
    showMessage(e.message);
  }
  window.addEventListener('hashchange', () => {
    navigations++;
    clearMessages();
    route();
  });
  await signIn(false);
}

main();
