import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OUTCOME_KINDS, PHONE_ACTIONS } from '@cloudagent-phone/core';
import { describe, expect, it } from 'vitest';
import { TABLE_END, TABLE_START, outcomeRows, outcomesTable } from '../src/outcomes-table.js';

const DOC = fileURLToPath(new URL('../../../docs/outcomes.md', import.meta.url));

describe('docs/outcomes.md', () => {
  it('holds the table the code renders, kind x action, so the two cannot drift', () => {
    const text = readFileSync(DOC, 'utf8');
    const start = text.indexOf(TABLE_START);
    const end = text.indexOf(TABLE_END);
    expect(start, 'docs/outcomes.md has the table markers').toBeGreaterThanOrEqual(0);
    const committed = text.slice(start + TABLE_START.length, end).trim();
    const generated = outcomesTable();
    if (process.env.OUTCOMES_WRITE === '1' && committed !== generated) {
      writeFileSync(DOC, `${text.slice(0, start + TABLE_START.length)}\n${generated}\n${text.slice(end)}`);
      return;
    }
    expect(committed).toBe(generated);
  });

  it('has one row per kind and action', () => {
    expect(outcomeRows()).toHaveLength(OUTCOME_KINDS.length * PHONE_ACTIONS.length);
  });

  it('says "safe to send again" for a mutation only on proof that nothing was applied', () => {
    for (const row of outcomeRows()) {
      const [kind, action, , step, , , shim] = row;
      if (action === 'get') continue;
      if (shim!.includes('not-applied')) expect([kind, step]).toEqual(['server_error', 'resend_safe']);
      if (kind === 'unknown') expect(shim).toContain('X-Shim-Outcome: unknown');
    }
  });
});
