import { describe, expect, it } from 'vitest';
import { SimulatorState } from '../src/store.js';

describe('SimulatorState name index', () => {
  it('finds records by name case-insensitively and follows renames and deletes', () => {
    const s = new SimulatorState([{ phoneNumber: '111', phoneName: 'Desk' }]);
    expect(s.byName(' desk ')?.phoneNumber).toBe('111');
    s.apply({ callId: 1, version: 'v2', action: 'edit', at: 0 }, s.byNumber('111'), { phoneNumber: '222', phoneName: 'Front', skills: [] });
    expect(s.byName('desk')).toBeUndefined();
    expect(s.byName('FRONT')?.phoneNumber).toBe('222');
    s.apply({ callId: 2, version: 'v2', action: 'delete', at: 0 }, s.byNumber('222'), undefined);
    expect(s.byName('front')).toBeUndefined();
  });

  it('keeps a shared seed name findable after one of its records goes', () => {
    const s = new SimulatorState([
      { phoneNumber: '111', phoneName: 'Desk' },
      { phoneNumber: '222', phoneName: 'DESK' },
    ]);
    s.apply({ callId: 1, version: 'v2', action: 'delete', at: 0 }, s.byNumber('111'), undefined);
    expect(s.byName('desk')?.phoneNumber).toBe('222');
  });

  it('rebuilds the index on restore', () => {
    const s = new SimulatorState();
    s.restore({ version: 1, records: [{ phoneNumber: '9', phoneName: 'Nine', skills: [] }], tokens: { generatedAt: [] }, applied: [] });
    expect(s.byName('nine')?.phoneNumber).toBe('9');
  });
});
