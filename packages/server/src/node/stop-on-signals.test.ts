import { describe, expect, it } from 'vitest';
import type { CloseOptions } from './serve.js';
import { stopOnSignals } from './stop-on-signals.js';

// SIGUSR2 stands in for SIGTERM: the handlers are real process signal handlers, and the test
// process must not be the one that stops.
describe('stopOnSignals', () => {
  it('closes with the grace on the first signal, then exits 0', async () => {
    const calls: (CloseOptions | undefined)[] = [];
    const exits: number[] = [];
    const exited = new Promise<void>((resolve) => {
      const remove = stopOnSignals(
        { close: async (options) => void calls.push(options) },
        { signals: ['SIGUSR2'], graceMs: 1234, exit: (code) => (exits.push(code), remove(), resolve()) },
      );
      process.kill(process.pid, 'SIGUSR2');
    });
    await exited;
    expect(calls).toEqual([{ graceMs: 1234 }]);
    expect(exits).toEqual([0]);
  });

  it('exits 1 at once on a second signal while still closing', async () => {
    const exits: number[] = [];
    let closes = 0;
    const remove = stopOnSignals({ close: () => (closes++, new Promise<void>(() => {})) }, { signals: ['SIGUSR2'], exit: (code) => void exits.push(code) });
    try {
      process.kill(process.pid, 'SIGUSR2');
      await until(() => closes === 1);
      process.kill(process.pid, 'SIGUSR2');
      await until(() => exits.length === 1);
      expect(exits).toEqual([1]);
      expect(closes).toBe(1);
    } finally {
      remove();
    }
  });

  it('says why when the close fails, and exits 1', async () => {
    const told: unknown[] = [];
    const exits: number[] = [];
    const remove = stopOnSignals({ close: () => Promise.reject(new Error('disk full')) }, { signals: ['SIGUSR2'], onError: (e) => told.push(e), exit: (code) => void exits.push(code) });
    try {
      process.kill(process.pid, 'SIGUSR2');
      await until(() => exits.length === 1);
      expect(exits).toEqual([1]);
      expect(String(told[0])).toContain('disk full');
    } finally {
      remove();
    }
  });

  it('removes its handlers when told to', () => {
    const before = process.listenerCount('SIGUSR2');
    const remove = stopOnSignals({ close: async () => {} }, { signals: ['SIGUSR2'], exit: () => {} });
    expect(process.listenerCount('SIGUSR2')).toBe(before + 1);
    remove();
    expect(process.listenerCount('SIGUSR2')).toBe(before);
  });
});

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}
