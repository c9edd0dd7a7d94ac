// The control room (/_shim/dashboard), drawn in the browser from /_shim/metrics (which takes the
// dashboard's session cookie as well as the bearer token). A static asset: on Workers it is
// served from Workers static assets, on Node from this file, so none of it is Worker script.
// Every value that comes from a caller (account names are v1 userNames) is escaped.

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (value) => String(value).replace(/[&<>"']/g, (ch) => ESCAPES[ch]);
const COLORS = { v1: '#d9822b', v2: '#2b6cd9' };

/** v1 against v2 per day: two lines over the kept window; every point carries its numbers. */
function chart(days) {
  const width = 1000;
  const height = 220;
  const pad = { left: 44, right: 12, top: 12, bottom: 28 };
  const max = Math.max(1, ...days.map((d) => Math.max(d.v1, d.v2)));
  const x = (i) => pad.left + (days.length === 1 ? 0 : (i * (width - pad.left - pad.right)) / (days.length - 1));
  const y = (n) => pad.top + (height - pad.top - pad.bottom) * (1 - n / max);
  const series = (name) => {
    const points = days.map((d, i) => `${x(i).toFixed(1)},${y(d[name]).toFixed(1)}`).join(' ');
    const dots = days
      .map((d, i) => `<circle data-series="${name}" data-day="${esc(d.day)}" data-count="${Number(d[name])}" cx="${x(i).toFixed(1)}" cy="${y(d[name]).toFixed(1)}" r="3" fill="${COLORS[name]}"><title>${esc(d.day)}: ${Number(d[name])} ${name}</title></circle>`)
      .join('');
    return `<g class="series" data-series="${name}"><polyline fill="none" stroke="${COLORS[name]}" stroke-width="2" points="${points}"/>${dots}</g>`;
  };
  const labels = days
    .map((d, i) => (i % 7 === 0 || i === days.length - 1 ? `<text x="${x(i).toFixed(1)}" y="${height - 8}" font-size="11" text-anchor="middle" fill="#4a5468">${esc(d.day.slice(5))}</text>` : ''))
    .join('');
  const axis = `<line x1="${pad.left}" y1="${y(0)}" x2="${width - pad.right}" y2="${y(0)}" stroke="#c5cbd6"/><text x="${pad.left - 6}" y="${y(max) + 4}" font-size="11" text-anchor="end" fill="#4a5468">${max}</text><text x="${pad.left - 6}" y="${y(0) + 4}" font-size="11" text-anchor="end" fill="#4a5468">0</text>`;
  return `<svg id="traffic-chart" role="img" aria-label="Calls per day answered by v1 and through v2" viewBox="0 0 ${width} ${height}" width="100%">${axis}${labels}${series('v1')}${series('v2')}</svg>`;
}

const sum = (record) => Object.values(record).reduce((n, c) => n + c, 0);
const when = (iso) => (iso ? esc(`${iso.slice(0, 13).replace('T', ' ')}:00Z`) : '—');
const list = (record) =>
  Object.entries(record)
    .sort(([, a], [, b]) => b - a)
    .map(([k, n]) => `${esc(k)} ${Number(n)}`)
    .join(', ') || '—';

function accountRows(accounts) {
  return accounts
    .map((a) => {
      const mismatches = a.recent.mismatches;
      return `<tr data-account="${esc(a.account)}"${sum(a.mismatches) > 0 ? ' class="has-mismatch"' : ''}>
<td>${esc(a.account)}</td>
<td><span class="verdict ${esc(a.readiness)}" data-field="readiness">${esc(a.readiness)}</span></td>
<td data-field="lastV1Call">${when(a.lastV1Call)}</td>
<td class="num" data-field="recentCalls">${Number(a.recent.calls)}</td>
<td class="num" data-field="recentV1Calls">${Number(a.recent.v1Calls)}</td>
<td class="num${mismatches > 0 ? ' mismatch-count' : ''}" data-field="recentMismatches">${Number(mismatches)}</td>
<td class="num" data-field="calls">${Number(a.calls)}</td>
<td class="num" data-field="quirks">${sum(a.quirks)}</td>
<td>${list(a.quirks)}</td>
<td class="why">${esc(a.reason)}</td>
</tr>`;
    })
    .join('');
}

function accountTable(id, accounts, days) {
  if (accounts.length === 0) return `<p data-empty="${id}">none</p>`;
  return `<table id="${id}"><thead><tr><th>Account</th><th>Verdict</th><th>Last v1 call</th><th>Calls (${days} d)</th><th>v1 (${days} d)</th><th>Mismatches (${days} d)</th><th>Calls (kept)</th><th>Quirks</th><th>Quirks rescued</th><th>Why</th></tr></thead><tbody>${accountRows(accounts)}</tbody></table>`;
}

function dashboard(report) {
  const { rollout, readiness, totals } = report;
  const mismatchTotal = sum(totals.mismatches);
  const days = Number(report.readyAfterDays);
  return `<header>
<h1>v1 shim: migration control room</h1>
<span>Rollout <strong data-field="rolloutPercent">${Number(rollout.percent)}</strong>% (mode <span data-field="mode">${esc(rollout.mode)}</span>)</span>
<span>Kill switch <span data-field="killSwitch" class="${rollout.killSwitch ? 'kill-on' : 'kill-off'}">${rollout.killSwitch ? 'ON: every call goes to v1' : 'off'}</span></span>
<span>Ready after <span data-field="readyAfterDays">${days}</span> days</span>
<span>Updated ${esc(report.generatedAt.slice(0, 19).replace('T', ' '))}Z</span>
<form method="post" action="/_shim/dashboard/sign-out"><button type="submit">Sign out</button></form>
</header>
<main>
<section id="summary"><h2>Since ${esc(report.since.slice(0, 10))} (${Number(report.retentionDays)} days kept)</h2>
<p>Calls <strong data-field="totalCalls">${Number(totals.calls)}</strong>: answered by v1 <strong data-field="totalV1">${Number(totals.bySide.v1)}</strong>, through v2 <strong data-field="totalV2">${Number(totals.bySide.v2)}</strong>, by the shim itself <strong data-field="totalLocal">${Number(totals.bySide.local)}</strong>.
Accounts: <strong data-field="readyCount">${Number(readiness.ready)}</strong> ready, <strong data-field="notReadyCount">${Number(readiness.notReady)}</strong> not ready, <strong data-field="silentCount">${Number(readiness.silent)}</strong> silent.
${mismatchTotal > 0 ? `<span class="mismatch-count" data-field="totalMismatches">${mismatchTotal} mismatch${mismatchTotal === 1 ? '' : 'es'}</span>: ${list(totals.mismatches)}` : '<span data-field="totalMismatches">0 mismatches</span>'}</p></section>
<section id="traffic"><h2>Calls per day: v1 against v2</h2>
<p class="legend"><span><i class="swatch v1"></i>answered by v1 (v1, shadow)</span><span><i class="swatch v2"></i>through v2 (v2, verify, v1-fallback)</span></p>
${chart(report.days)}</section>
<section id="accounts"><h2>Accounts, by readiness</h2>${accountTable('accounts-table', report.accounts, days)}</section>
<section id="silent"><h2>Silent: no call in ${days} days (never counted as ready)</h2>${accountTable('silent-table', report.silent, days)}</section>
</main>`;
}

const UNAVAILABLE = '<main><section id="unavailable"><h2>The usage counts could not be read right now</h2><p>Reload in a moment; the shim logs why.</p></section></main>';

async function show() {
  const res = await fetch('/_shim/metrics', { headers: { accept: 'application/json' }, cache: 'no-store' });
  // Signed out meanwhile (the cookie expired): the page itself shows the sign-in form.
  if (res.status === 401) return location.assign('/_shim/dashboard');
  document.body.innerHTML = res.ok ? dashboard(await res.json()) : UNAVAILABLE;
}

show().catch(() => {
  document.body.innerHTML = UNAVAILABLE;
});
