// The dashboard page: reads /events (server-sent events: a `snapshot`, then `update`s that carry
// only the sections that changed) and draws the sections with Chart.js (loaded by index.html from
// the service's copy of node_modules/chart.js). Every chart's canvas says in data attributes
// whether it has data (`data-populated`) and which colours its series use (`data-series-colors`),
// so a test can wait on the DOM and look for those colours in a screenshot.

const ChartJs = window.Chart;
ChartJs.defaults.animation = false;
ChartJs.defaults.maintainAspectRatio = false;
ChartJs.defaults.font.size = 11;

/** Opaque colours, so a chart's bars hold exactly these pixels. */
const CHANNEL_COLORS = {
  canvassing: '#1f77b4',
  canvasser_pay: '#9467bd',
  referral_bounty: '#2ca02c',
  lottery_award: '#d62728',
  digital_ads: '#ff7f0e',
  mail: '#8c564b',
  printing: '#e377c2',
  other: '#7f7f7f',
};
const EXTRA_COLORS = ['#bcbd22', '#17becf', '#393b79', '#637939', '#8c6d31', '#843c39', '#7b4173'];
const EFFICIENCY_COLORS = { signup: '#2ca02c', phone: '#17becf', contact: '#9467bd' };
const FLOW_COLORS = { net: '#3182bd', attributed: '#e6550d' };
const LAG_COLOR = '#6b6ecf';
const DLQ_COLOR = '#d62728';

/** Tile-map positions (row, column) of the swing states, roughly where they lie. */
const TILES = { NV: [2, 1], AZ: [3, 2], WI: [1, 3], MI: [1, 4], PA: [2, 5], NC: [3, 5], GA: [4, 4] };

const view = {};
const charts = {};

function channelColor(channel, i) {
  return CHANNEL_COLORS[channel] ?? EXTRA_COLORS[i % EXTRA_COLORS.length];
}

/** `"27110163.31"` → `"$27,110,163.31"`, from the exact string (never through a float). */
function usd(amount) {
  if (amount === null || amount === undefined) return '—';
  const negative = amount.startsWith('-');
  const [int, frac] = (negative ? amount.slice(1) : amount).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}$${grouped}${frac ? `.${frac.slice(0, 2)}` : ''}`;
}

const compact = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  notation: 'compact',
  maximumFractionDigits: 1,
});

/** `"11472262.32"` → `"$11.5M"`, for tiles too small for the exact figure (it is in the title). */
function usdShort(amount) {
  return amount === null || amount === undefined ? '—' : compact.format(Number(amount));
}

function num(amount) {
  return amount === null || amount === undefined ? null : Number(amount);
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('data-')) node.setAttribute(k, v);
    else node[k] = v;
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

/** Creates or updates the chart on canvas `id` and records what it shows in data attributes. */
function draw(id, config) {
  const canvas = document.getElementById(id);
  const existing = charts[id];
  if (existing) {
    existing.data = config.data;
    existing.options = config.options;
    existing.update('none');
  } else {
    charts[id] = new ChartJs(canvas, config);
  }
  // Where the bars are, in CSS pixels of the canvas (axes and legend lie outside it).
  const area = charts[id].chartArea;
  canvas.dataset.chartArea = JSON.stringify({
    left: area.left,
    top: area.top,
    right: area.right,
    bottom: area.bottom,
  });
  const populated = config.data.datasets.some((d) => d.data.some((v) => v !== null && v !== 0));
  canvas.dataset.populated = String(populated);
  canvas.dataset.seriesColors = JSON.stringify(config.data.datasets.map((d) => d.backgroundColor));
  canvas.dataset.points = String(
    config.data.datasets.reduce((n, d) => n + d.data.filter((v) => v !== null && v !== 0).length, 0),
  );
}

const moneyAxis = { ticks: { callback: (v) => `$${Number(v).toLocaleString('en-US')}` } };

function renderSpend() {
  const s = view.spend;
  if (!s) return;
  const states = view.swing_states;
  draw('chart-spend', {
    type: 'bar',
    data: {
      labels: states,
      datasets: s.channels.map((channel, i) => ({
        label: channel,
        backgroundColor: channelColor(channel, i),
        data: states.map((st) => num(s.by_state[st]?.[channel] ?? null)),
      })),
    },
    options: {
      scales: { x: { stacked: true }, y: { stacked: true, ...moneyAxis } },
      plugins: {
        tooltip: {
          callbacks: {
            label: (ctx) =>
              `${ctx.dataset.label}: ${usd(s.by_state[ctx.label]?.[ctx.dataset.label] ?? null)}`,
          },
        },
      },
    },
  });
  document.getElementById('totals').textContent =
    `${s.payments} payments · ${usd(s.total_usd)} in all · ${usd(s.swing_usd)} in swing states · ` +
    `${usd(s.unknown_state_usd)} without a state`;
}

function renderGrid() {
  const e = view.efficiency;
  if (!e) return;
  const grid = document.getElementById('state-grid');
  const max = Math.max(1, ...e.states.map((r) => Number(r.spend_usd)));
  grid.replaceChildren(
    ...e.states.map((r) => {
      const [row, col] = TILES[r.state] ?? [1, 1];
      // Darker blue for more spend; a state with none stays grey.
      const share = Number(r.spend_usd) / max;
      const tile = el(
        'div',
        { class: 'tile', 'data-state': r.state, 'data-spend': r.spend_usd },
        el('b', {}, r.state),
        el('span', {}, usdShort(r.spend_usd)),
        el('br'),
        el('span', {}, r.cost_per_signup ? usdShort(r.cost_per_signup) : '—'),
      );
      tile.title =
        `${r.state}: ${usd(r.spend_usd)} spent; ${r.signups} signups, ${usd(r.cost_per_signup)} per signup; ` +
        `${r.contacted} voters contacted, ${usd(r.cost_per_contact)} per contact`;
      tile.style.gridRow = String(row);
      tile.style.gridColumn = String(col);
      tile.style.background =
        Number(r.spend_usd) > 0
          ? `rgb(${Math.round(150 - 120 * share)}, ${Math.round(170 - 110 * share)}, 210)`
          : '#98a2b3';
      return tile;
    }),
  );
}

function renderEfficiency() {
  const e = view.efficiency;
  if (!e) return;
  const rows = e.states;
  draw('chart-efficiency', {
    type: 'bar',
    data: {
      labels: rows.map((r) => r.state),
      datasets: [
        {
          label: 'per signup',
          backgroundColor: EFFICIENCY_COLORS.signup,
          data: rows.map((r) => num(r.cost_per_signup)),
        },
        {
          label: 'per phone',
          backgroundColor: EFFICIENCY_COLORS.phone,
          data: rows.map((r) => num(r.cost_per_phone)),
        },
        {
          label: 'per voter contacted',
          backgroundColor: EFFICIENCY_COLORS.contact,
          data: rows.map((r) => num(r.cost_per_contact)),
        },
      ],
    },
    options: { scales: { y: moneyAxis } },
  });
  renderGrid();
}

function renderFlows() {
  const f = view.flows;
  if (!f) return;
  draw('chart-flows', {
    type: 'bar',
    data: {
      labels: f.flows.map((x) => `${x.donor_name} → ${x.committee_id}`),
      datasets: [
        {
          label: 'net receipts',
          backgroundColor: FLOW_COLORS.net,
          data: f.flows.map((x) => num(x.donor_net_usd)),
        },
        {
          label: 'attributed spend',
          backgroundColor: FLOW_COLORS.attributed,
          data: f.flows.map((x) => num(x.attributed_spend_usd)),
        },
      ],
    },
    options: { indexAxis: 'y', scales: { x: moneyAxis } },
  });
}

function spendText(ad) {
  if (ad.spend_usd_point === null) return '—';
  const range =
    ad.spend_usd_low === ad.spend_usd_high
      ? ''
      : ` (${usd(ad.spend_usd_low)}–${ad.spend_usd_high === null ? 'open' : usd(ad.spend_usd_high)})`;
  return `${usd(ad.spend_usd_point)}${range}`;
}

function adCard(side, ad) {
  const row = (term, value, cls) => [el('dt', {}, term), el('dd', cls ? { class: cls } : {}, value)];
  return el(
    'div',
    { class: 'ad', 'data-side': side, 'data-ad-id': ad.ad_id, 'data-platform': ad.platform },
    el(
      'dl',
      {},
      ...row('advertiser', ad.advertiser ?? ad.sponsor_id),
      ...row('ad', `${ad.platform} ${ad.ad_id.length > 16 ? `${ad.ad_id.slice(0, 12)}…` : ad.ad_id}`),
      ...row('stance', ad.stances.join(', ') || '—', 'stance'),
      ...row('states', ad.target_states.join(', ') || '—'),
      ...row('spend', spendText(ad)),
      ...row('message', ad.message ?? '(no text)', 'message'),
      ...row(
        'delivery',
        `${(ad.delivery_start ?? '?').slice(0, 10)} – ${(ad.delivery_end ?? 'running').slice(0, 10)}`,
      ),
    ),
  );
}

function renderAlerts() {
  const a = view.alerts;
  if (!a) return;
  document.getElementById('alerts-count').textContent = String(a.total);
  const box = document.getElementById('alerts');
  if (a.alerts.length === 0) {
    box.replaceChildren(el('p', { class: 'empty' }, 'No contradiction found yet.'));
    return;
  }
  box.replaceChildren(
    ...a.alerts.map((x) =>
      el(
        'article',
        { class: 'alert', 'data-correlation-id': x.correlation_id },
        el(
          'h3',
          {},
          `${x.subject}: ${x.a.stances.join(', ')} in ${x.a.target_states.join(', ')} vs ${x.b.stances.join(', ')} in ${x.b.target_states.join(', ')} `,
          el('span', { class: 'meta' }, `· ${x.relation.replaceAll('_', ' ')} · ${x.sponsor_ids.join(', ')}`),
        ),
        el('div', { class: 'pair' }, adCard('a', x.a), adCard('b', x.b)),
      ),
    ),
  );
}

function renderHealth() {
  const h = view.health;
  if (!h) return;
  const topics = Object.keys(h.lag?.bridge ?? {});
  const lagTotal = topics.reduce((n, t) => n + h.lag.bridge[t], 0);
  draw('chart-lag', {
    type: 'bar',
    data: {
      labels: topics.map((t) => t.replace(/^influence\.raw\./, '').replace(/\.v\d+$/, '')),
      datasets: [
        {
          label: 'bridge lag (messages)',
          backgroundColor: LAG_COLOR,
          data: topics.map((t) => h.lag.bridge[t]),
        },
      ],
    },
    options: { plugins: { legend: { display: true } } },
  });
  const reasons = Object.keys(h.dlq.by_reason);
  draw('chart-dlq', {
    type: 'bar',
    data: {
      labels: reasons,
      datasets: [
        { label: 'dead letters', backgroundColor: DLQ_COLOR, data: reasons.map((r) => h.dlq.by_reason[r]) },
      ],
    },
  });
  const consumed = Object.values(h.consumed).reduce((n, c) => n + c, 0);
  const unreadable = Object.values(h.unreadable).reduce((n, c) => n + c, 0);
  document.getElementById('health-summary').textContent =
    `bridge lag ${h.lag ? lagTotal : '?'} · DLQ sink lag ${h.lag ? h.lag.dlq_sink : '?'} · ` +
    `${h.dlq.total} dead letters · ${consumed} messages read` +
    (unreadable ? ` · ${unreadable} unreadable` : '') +
    (h.lag_error ? ` · lag unavailable: ${h.lag_error}` : '');
  document.getElementById('health-panel').dataset.lag = String(lagTotal);
  document.getElementById('health-panel').dataset.deadLetters = String(h.dlq.total);
}

const RENDER = {
  spend: renderSpend,
  efficiency: renderEfficiency,
  flows: renderFlows,
  alerts: renderAlerts,
  health: renderHealth,
};

function apply(data) {
  view.swing_states = data.swing_states;
  for (const [section, render] of Object.entries(RENDER)) {
    if (!(section in data)) continue;
    view[section] = data[section];
    render();
  }
  document.body.dataset.updates = String(Number(document.body.dataset.updates ?? '0') + 1);
}

const events = new EventSource('/events');
const status = document.getElementById('connection');
events.addEventListener('open', () => {
  document.body.dataset.connected = 'true';
  status.textContent = 'connected';
});
events.addEventListener('error', () => {
  document.body.dataset.connected = 'false';
  status.textContent = 'reconnecting…';
});
events.addEventListener('snapshot', (e) => apply(JSON.parse(e.data)));
events.addEventListener('update', (e) => apply(JSON.parse(e.data)));
