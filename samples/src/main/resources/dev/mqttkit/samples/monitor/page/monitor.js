// mqttkit monitor: the topic tree, kept up to date from /events (server-sent events).
// Every string that comes from the broker (topics, payloads) goes into the page with textContent or
// setAttribute, never innerHTML: a payload "<script>" is shown as text and never runs.
'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  const SVG = 'http://www.w3.org/2000/svg';
  const nodes = new Map(); // key: the topic up to that level ("a", "a/b"); value: the node
  let source = null;
  let selected = null;
  let filterTimer = 0;
  let appliedFilter = '';

  // ---- the tree -------------------------------------------------------------------------------------

  function node(path) {
    const existing = nodes.get(path);
    if (existing) return existing;
    const cut = path.lastIndexOf('/');
    const parentPath = cut < 0 ? null : path.substring(0, cut);
    const level = cut < 0 ? path : path.substring(cut + 1);
    const parentList = parentPath === null ? $('tree') : node(parentPath).children;
    const li = document.createElement('li');
    li.className = 'node';
    li.setAttribute('role', 'treeitem');
    li.dataset.topic = path;
    const row = element('div', 'row');
    const toggle = element('span', 'toggle');
    const name = element('span', level === '' ? 'name empty-level' : 'name', level === '' ? '(empty level)' : level);
    row.append(toggle, name);
    const children = document.createElement('ul');
    children.setAttribute('role', 'group');
    li.append(row, children);
    const created = { path, level, parentPath, li, row, toggle, children, info: null, data: null };
    toggle.addEventListener('click', (event) => {
      event.stopPropagation();
      li.classList.toggle('collapsed');
      toggle.textContent = li.classList.contains('collapsed') ? '▸' : '▾';
    });
    row.addEventListener('click', () => select(path));
    insertSorted(parentList, li, level);
    if (parentPath !== null) {
      const parent = nodes.get(parentPath);
      parent.toggle.textContent = parent.li.classList.contains('collapsed') ? '▸' : '▾';
    }
    nodes.set(path, created);
    return created;
  }

  function insertSorted(list, li, level) {
    for (const sibling of list.children) {
      const other = nodes.get(sibling.dataset.topic).level;
      if (level < other) {
        list.insertBefore(li, sibling);
        return;
      }
    }
    list.appendChild(li);
  }

  function element(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function show(topic) {
    const n = node(topic.topic);
    n.data = topic;
    if (!n.info) {
      n.info = {
        qos: element('span', 'badge qos'),
        retained: element('span', 'badge retained', 'retained'),
        count: element('span', 'count'),
        rate: element('span', 'rate'),
        time: element('span', 'time'),
        spark: document.createElementNS(SVG, 'svg'),
        payload: element('span', 'payload'),
      };
      n.info.spark.setAttribute('class', 'spark');
      n.info.spark.setAttribute('viewBox', '0 0 80 18');
      n.info.spark.setAttribute('preserveAspectRatio', 'none');
      const i = n.info;
      n.row.append(i.qos, i.retained, i.count, i.rate, i.time, i.spark, i.payload);
    }
    const i = n.info;
    i.qos.textContent = 'QoS ' + topic.qos;
    i.retained.hidden = !topic.retained;
    i.count.textContent = topic.count.toLocaleString('en-US') + (topic.count === 1 ? ' msg' : ' msgs');
    i.rate.textContent = rate(topic.rate);
    i.time.textContent = clock(topic.time);
    i.payload.className = 'payload ' + topic.kind;
    i.payload.textContent = preview(topic);
    sparkline(i.spark, topic.history, 80, 18);
    i.spark.style.display = topic.history.length > 1 ? '' : 'none';
    flash(n.row);
    if (selected === topic.topic) detail();
  }

  function remove(topic) {
    let n = nodes.get(topic);
    if (!n) return;
    n.data = null;
    if (n.info) {
      n.info.qos.remove(); n.info.retained.remove(); n.info.count.remove(); n.info.rate.remove();
      n.info.time.remove(); n.info.spark.remove(); n.info.payload.remove();
      n.info = null;
    }
    // a level with neither a message nor children has nothing left to show
    while (n && !n.data && n.children.children.length === 0) {
      n.li.remove();
      nodes.delete(n.path);
      if (selected === n.path) select(null);
      n = n.parentPath === null ? null : nodes.get(n.parentPath);
    }
    if (n && n.children.children.length === 0) n.toggle.textContent = '';
  }

  function flash(row) {
    row.classList.remove('flash');
    void row.offsetWidth; // restarts the animation
    row.classList.add('flash');
  }

  function preview(topic) {
    if (topic.kind === 'binary') return 'binary, ' + bytes(topic.size);
    if (topic.kind === 'empty') return '(empty)';
    return topic.display;
  }

  // ---- the selected topic ---------------------------------------------------------------------------

  function select(path) {
    if (selected !== null && nodes.has(selected)) nodes.get(selected).li.classList.remove('selected');
    selected = path;
    if (path !== null && nodes.has(path)) {
      nodes.get(path).li.classList.add('selected');
      $('pub-topic').value = path;
    }
    detail();
  }

  function detail() {
    const n = selected === null ? null : nodes.get(selected);
    const topic = n ? n.data : null;
    $('detail-none').hidden = topic !== null;
    $('detail-body').hidden = topic === null;
    if (!topic) return;
    $('detail-topic').textContent = topic.topic;
    $('detail-meta').textContent = [
      topic.count.toLocaleString('en-US') + (topic.count === 1 ? ' message' : ' messages'), rate(topic.rate),
      'QoS ' + topic.qos, topic.retained ? 'retained' : 'not retained', 'at ' + clock(topic.time),
      bytes(topic.size), topic.kind].join(' · ');
    const chart = topic.history.length > 1;
    $('detail-chart').hidden = !chart;
    if (chart) {
      sparkline($('detail-spark'), topic.history, 600, 120);
      const min = Math.min(...topic.history);
      const max = Math.max(...topic.history);
      $('detail-range').textContent = 'last ' + topic.history.length + ' values: min ' + min + ', max ' + max
        + ', latest ' + topic.history[topic.history.length - 1];
    }
    let note = '';
    if (topic.kind === 'binary') note = 'Not text: ' + bytes(topic.size) + ', shown as hex';
    if (topic.truncated) note += (note ? '; ' : '') + 'only the start is shown';
    $('detail-note').textContent = note;
    $('detail-payload').textContent = topic.kind === 'empty' ? '(empty payload)' : topic.display;
  }

  function sparkline(svg, values, width, height) {
    svg.replaceChildren();
    if (values.length < 2) return;
    const min = Math.min(...values);
    const max = Math.max(...values);
    const span = max - min || 1;
    const pad = 2;
    const points = values.map((v, i) => {
      const x = (i / (values.length - 1)) * width;
      const y = max === min ? height / 2 : pad + (1 - (v - min) / span) * (height - 2 * pad);
      return x.toFixed(1) + ',' + y.toFixed(1);
    });
    const line = document.createElementNS(SVG, 'polyline');
    line.setAttribute('points', points.join(' '));
    svg.appendChild(line);
  }

  // ---- formatting -----------------------------------------------------------------------------------

  function rate(perSecond) {
    return perSecond.toFixed(1) + '/s';
  }

  function clock(millis) {
    const d = new Date(millis);
    const two = (n) => String(n).padStart(2, '0');
    return two(d.getHours()) + ':' + two(d.getMinutes()) + ':' + two(d.getSeconds()) + '.'
      + String(d.getMilliseconds()).padStart(3, '0');
  }

  function bytes(size) {
    return size.toLocaleString('en-US') + (size === 1 ? ' byte' : ' bytes');
  }

  // ---- the live stream ------------------------------------------------------------------------------

  function apply(batch) {
    if (batch.reset) {
      $('tree').replaceChildren();
      nodes.clear();
    }
    for (const topic of batch.topics) show(topic);
    for (const [topic, perSecond] of Object.entries(batch.rates)) {
      const n = nodes.get(topic);
      if (n && n.data) {
        n.data.rate = perSecond;
        n.info.rate.textContent = rate(perSecond);
        if (selected === topic) detail();
      }
    }
    for (const topic of batch.removed) remove(topic);
    if (batch.reset) select(selected);
    stats(batch.stats);
    document.body.dataset.stream = 'live';
    document.body.dataset.version = String(batch.version);
  }

  function stats(s) {
    let shown = 0;
    for (const n of nodes.values()) if (n.data) shown++;
    $('stats-shown').textContent = shown.toLocaleString('en-US');
    $('stats-topics').textContent = s.topics.toLocaleString('en-US');
    $('stats-max').textContent = s.maxTopics.toLocaleString('en-US');
    $('stats-messages').textContent = s.messages.toLocaleString('en-US');
    $('stats-dropped').textContent = s.dropped.toLocaleString('en-US');
    $('empty').hidden = shown > 0;
    const link = $('link');
    link.className = 'link ' + (s.connected ? 'up' : 'down');
    link.textContent = (s.connected ? 'connected to ' : 'not connected to ') + s.broker + ' as ' + s.clientId;
  }

  function connect(filter) {
    if (source) source.close();
    appliedFilter = filter;
    document.body.dataset.stream = 'connecting';
    source = new EventSource('/events' + (filter ? '?filter=' + encodeURIComponent(filter) : ''));
    source.addEventListener('batch', (event) => apply(JSON.parse(event.data)));
    source.addEventListener('error', () => {
      document.body.dataset.stream = 'lost';
      const link = $('link');
      link.className = 'link down';
      link.textContent = 'the monitor does not answer; retrying…';
    });
  }

  // ---- the filter box: checked by the server with the SDK's TopicFilter -------------------------------

  async function applyFilter() {
    const text = $('filter').value;
    if (text === appliedFilter) {
      $('filter-error').textContent = '';
      return;
    }
    if (text === '') {
      $('filter-error').textContent = '';
      connect('');
      return;
    }
    try {
      const response = await fetch('/api/filter?filter=' + encodeURIComponent(text));
      const answer = await response.json();
      if ($('filter').value !== text) return; // typed on meanwhile
      if (response.ok) {
        $('filter-error').textContent = '';
        connect(answer.filter);
      } else {
        $('filter-error').textContent = answer.error;
      }
    } catch (error) {
      $('filter-error').textContent = 'The monitor does not answer: ' + error.message;
    }
  }

  // ---- the publish form -----------------------------------------------------------------------------

  async function publish(event) {
    event.preventDefault();
    const result = $('pub-result');
    result.className = 'muted';
    result.textContent = 'Publishing…';
    const form = {
      topic: $('pub-topic').value,
      payload: $('pub-payload').value,
      qos: Number($('pub-qos').value),
      retain: $('pub-retain').checked,
    };
    try {
      const response = await fetch('/api/publish', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(form),
      });
      const answer = await response.json();
      result.className = response.ok ? 'ok' : 'error';
      result.textContent = response.ok ? answer.ok : answer.error;
    } catch (error) {
      result.className = 'error';
      result.textContent = 'Not published: the monitor does not answer (' + error.message + ').';
    }
  }

  $('filter').addEventListener('input', () => {
    clearTimeout(filterTimer);
    filterTimer = setTimeout(applyFilter, 250);
  });
  $('filter').addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      clearTimeout(filterTimer);
      applyFilter();
    }
  });
  $('publish').addEventListener('submit', publish);
  connect('');
})();
