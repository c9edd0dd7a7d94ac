import type { AccountReport, DayCounts, MigrationReport } from '../usage/migration-report.js';

/**
 * The control room as one self-contained HTML page: no script, no framework, no external request
 * (styles inline, the chart inline SVG), so it works offline and under a CSP of `default-src 'none'`.
 * Every value that comes from a caller (account names are v1 userNames) is escaped.
 */

/** Sent with every dashboard answer: nothing may load, run, frame it, or be cached. */
export const DASHBOARD_HEADERS: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);
}

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d2433;background:#f6f7f9}
header{background:#1d2433;color:#fff;padding:14px 24px;display:flex;gap:28px;align-items:baseline;flex-wrap:wrap}
header h1{font-size:18px;margin:0 16px 0 0}
main{padding:16px 24px;max-width:1280px}
section{background:#fff;border:1px solid #dde1e8;border-radius:6px;padding:14px 18px;margin-bottom:16px;overflow-x:auto}
td.why{white-space:normal;min-width:220px}
h2{font-size:15px;margin:0 0 10px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #eceff3;white-space:nowrap}
th{font-weight:600;color:#4a5468}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.verdict{padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600}
.ready{background:#d9f2e3;color:#17603a}.not-ready{background:#fdecc8;color:#7a4b00}.silent{background:#e6e8ee;color:#4a5468}
tr.has-mismatch td{background:#fff1f1}
td.mismatch-count{color:#b3261e;font-weight:700}
.kill-on{background:#b3261e;color:#fff;padding:2px 8px;border-radius:4px;font-weight:700}
.kill-off{color:#9fe0b8}
.legend span{display:inline-block;margin-right:16px}
.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px;vertical-align:middle}
form.sign-in{max-width:360px;margin:60px auto;background:#fff;border:1px solid #dde1e8;border-radius:6px;padding:20px}
form.sign-in input{width:100%;box-sizing:border-box;padding:6px;margin:6px 0 12px}
.error{color:#b3261e}
`;

function layout(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><link rel="icon" href="data:,"><style>${STYLE}</style></head><body>${body}</body></html>`;
}

/** The page an unsigned visitor gets (with HTTP 401): a form, and no data at all. */
export function renderSignIn(message?: string): string {
  return layout(
    'v1 shim: sign in',
    `<form class="sign-in" method="post" action="/_shim/dashboard/session">
<h2>v1 shim control room</h2>
<p>Sign in with the shim's admin token (<code>SHIM_ADMIN_TOKEN</code>).</p>
${message ? `<p class="error" role="alert">${escapeHtml(message)}</p>` : ''}
<label for="token">Admin token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required minlength="16">
<button type="submit">Sign in</button>
</form>`,
  );
}

/** Signed in, but the durable counts could not be read (the aggregator or the data directory). */
export function renderUnavailable(): string {
  return layout('v1 shim: counts unavailable', '<main><section><h2>The usage counts could not be read right now</h2><p>Reload in a moment; the shim logs why.</p></section></main>');
}

const COLORS = { v1: '#d9822b', v2: '#2b6cd9' } as const;

/** v1 against v2 per day: two lines over the kept window; every point carries its numbers. */
function chart(days: readonly DayCounts[]): string {
  const width = 1000;
  const height = 220;
  const pad = { left: 44, right: 12, top: 12, bottom: 28 };
  const max = Math.max(1, ...days.map((d) => Math.max(d.v1, d.v2)));
  const x = (i: number) => pad.left + (days.length === 1 ? 0 : (i * (width - pad.left - pad.right)) / (days.length - 1));
  const y = (n: number) => pad.top + (height - pad.top - pad.bottom) * (1 - n / max);
  const series = (name: 'v1' | 'v2') => {
    const points = days.map((d, i) => `${x(i).toFixed(1)},${y(d[name]).toFixed(1)}`).join(' ');
    const dots = days
      .map((d, i) => `<circle data-series="${name}" data-day="${d.day}" data-count="${d[name]}" cx="${x(i).toFixed(1)}" cy="${y(d[name]).toFixed(1)}" r="3" fill="${COLORS[name]}"><title>${d.day}: ${d[name]} ${name}</title></circle>`)
      .join('');
    return `<g class="series" data-series="${name}"><polyline fill="none" stroke="${COLORS[name]}" stroke-width="2" points="${points}"/>${dots}</g>`;
  };
  const labels = days
    .map((d, i) => (i % 7 === 0 || i === days.length - 1 ? `<text x="${x(i).toFixed(1)}" y="${height - 8}" font-size="11" text-anchor="middle" fill="#4a5468">${d.day.slice(5)}</text>` : ''))
    .join('');
  const axis = `<line x1="${pad.left}" y1="${y(0)}" x2="${width - pad.right}" y2="${y(0)}" stroke="#c5cbd6"/><text x="${pad.left - 6}" y="${y(max) + 4}" font-size="11" text-anchor="end" fill="#4a5468">${max}</text><text x="${pad.left - 6}" y="${y(0) + 4}" font-size="11" text-anchor="end" fill="#4a5468">0</text>`;
  return `<svg id="traffic-chart" role="img" aria-label="Calls per day answered by v1 and through v2" viewBox="0 0 ${width} ${height}" width="100%">${axis}${labels}${series('v1')}${series('v2')}</svg>`;
}

const sum = (record: Record<string, number>) => Object.values(record).reduce((n, c) => n + c, 0);
const when = (iso: string | null) => (iso ? escapeHtml(iso.slice(0, 13).replace('T', ' ') + ':00Z') : '—');
const list = (record: Record<string, number>) =>
  Object.entries(record)
    .sort(([, a], [, b]) => b - a)
    .map(([k, n]) => `${escapeHtml(k)} ${n}`)
    .join(', ') || '—';

function accountRows(accounts: readonly AccountReport[]): string {
  return accounts
    .map((a) => {
      const mismatches = a.recent.mismatches;
      return `<tr data-account="${escapeHtml(a.account)}"${sum(a.mismatches) > 0 ? ' class="has-mismatch"' : ''}>
<td>${escapeHtml(a.account)}</td>
<td><span class="verdict ${a.readiness}" data-field="readiness">${a.readiness}</span></td>
<td data-field="lastV1Call">${when(a.lastV1Call)}</td>
<td class="num" data-field="recentCalls">${a.recent.calls}</td>
<td class="num" data-field="recentV1Calls">${a.recent.v1Calls}</td>
<td class="num${mismatches > 0 ? ' mismatch-count' : ''}" data-field="recentMismatches">${mismatches}</td>
<td class="num" data-field="calls">${a.calls}</td>
<td class="num" data-field="quirks">${sum(a.quirks)}</td>
<td>${list(a.quirks)}</td>
<td class="why">${escapeHtml(a.reason)}</td>
</tr>`;
    })
    .join('');
}

function accountTable(id: string, accounts: readonly AccountReport[], days: number): string {
  if (accounts.length === 0) return `<p data-empty="${id}">none</p>`;
  return `<table id="${id}"><thead><tr><th>Account</th><th>Verdict</th><th>Last v1 call</th><th>Calls (${days} d)</th><th>v1 (${days} d)</th><th>Mismatches (${days} d)</th><th>Calls (kept)</th><th>Quirks</th><th>Quirks rescued</th><th>Why</th></tr></thead><tbody>${accountRows(accounts)}</tbody></table>`;
}

export function renderDashboard(report: MigrationReport): string {
  const { rollout, readiness, totals } = report;
  const mismatchTotal = sum(totals.mismatches);
  return layout(
    'v1 shim: migration control room',
    `<header>
<h1>v1 shim: migration control room</h1>
<span>Rollout <strong data-field="rolloutPercent">${rollout.percent}</strong>% (mode <span data-field="mode">${escapeHtml(rollout.mode)}</span>)</span>
<span>Kill switch <span data-field="killSwitch" class="${rollout.killSwitch ? 'kill-on' : 'kill-off'}">${rollout.killSwitch ? 'ON: every call goes to v1' : 'off'}</span></span>
<span>Ready after <span data-field="readyAfterDays">${report.readyAfterDays}</span> days</span>
<span>Updated ${escapeHtml(report.generatedAt.slice(0, 19).replace('T', ' '))}Z</span>
<form method="post" action="/_shim/dashboard/sign-out"><button type="submit">Sign out</button></form>
</header>
<main>
<section id="summary"><h2>Since ${escapeHtml(report.since.slice(0, 10))} (${report.retentionDays} days kept)</h2>
<p>Calls <strong data-field="totalCalls">${totals.calls}</strong>: answered by v1 <strong data-field="totalV1">${totals.bySide.v1}</strong>, through v2 <strong data-field="totalV2">${totals.bySide.v2}</strong>, by the shim itself <strong data-field="totalLocal">${totals.bySide.local}</strong>.
Accounts: <strong data-field="readyCount">${readiness.ready}</strong> ready, <strong data-field="notReadyCount">${readiness.notReady}</strong> not ready, <strong data-field="silentCount">${readiness.silent}</strong> silent.
${mismatchTotal > 0 ? `<span class="mismatch-count" data-field="totalMismatches">${mismatchTotal} mismatch${mismatchTotal === 1 ? '' : 'es'}</span>: ${list(totals.mismatches)}` : '<span data-field="totalMismatches">0 mismatches</span>'}</p></section>
<section id="traffic"><h2>Calls per day: v1 against v2</h2>
<p class="legend"><span><i class="swatch" style="background:${COLORS.v1}"></i>answered by v1 (v1, shadow)</span><span><i class="swatch" style="background:${COLORS.v2}"></i>through v2 (v2, verify, v1-fallback)</span></p>
${chart(report.days)}</section>
<section id="accounts"><h2>Accounts, by readiness</h2>${accountTable('accounts-table', report.accounts, report.readyAfterDays)}</section>
<section id="silent"><h2>Silent: no call in ${report.readyAfterDays} days (never counted as ready)</h2>${accountTable('silent-table', report.silent, report.readyAfterDays)}</section>
</main>`,
  );
}
