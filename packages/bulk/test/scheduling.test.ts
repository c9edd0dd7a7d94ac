import { describe, expect, it } from 'vitest';
import { InOrderWriter, RequestPacer, RowPool, Slots } from '../src/index.js';

describe('RequestPacer', () => {
  it('spaces requests evenly at 1000/rate ms, across callers', () => {
    const limiter = new RequestPacer(20);
    // Four callers at the same instant get the slots 0, 50, 100 and 150 ms from now.
    expect([0, 0, 0, 0].map((t) => limiter.reserve(t))).toEqual([0, 50, 100, 150]);
    // A caller arriving after the booked slots waits for nothing.
    expect(limiter.reserve(1000)).toBe(0);
    expect(limiter.reserve(1010)).toBe(40);
  });

  it('does not bank unused time into a burst', () => {
    const limiter = new RequestPacer(10);
    expect(limiter.reserve(0)).toBe(0);
    expect(limiter.reserve(5000)).toBe(0);
    expect(limiter.reserve(5000)).toBe(100);
  });

  it('0 means no limit', () => {
    const limiter = new RequestPacer(0);
    expect([0, 0, 0].map((t) => limiter.reserve(t))).toEqual([0, 0, 0]);
  });

  it('take() rejects when the signal aborts during the wait', async () => {
    const limiter = new RequestPacer(0.01);
    await limiter.take();
    const stop = new AbortController();
    const waiting = limiter.take(stop.signal);
    stop.abort(new Error('stopped'));
    await expect(waiting).rejects.toThrow('stopped');
  });
});

describe('Slots', () => {
  it('lets at most N holders in, and hands a released slot to the next waiter', async () => {
    const slots = new Slots(2);
    await slots.acquire();
    await slots.acquire();
    let third = false;
    const waiting = slots.acquire().then(() => (third = true));
    await Promise.resolve();
    expect(third).toBe(false);
    slots.release();
    await waiting;
    expect(third).toBe(true);
  });
});

describe('RowPool', () => {
  it('runs at most `concurrency` tasks at once and drains them all', async () => {
    const pool = new RowPool(3);
    let running = 0;
    let peak = 0;
    let finished = 0;
    for (let i = 0; i < 20; i++) {
      await pool.start(async () => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 1 + (i % 3)));
        running -= 1;
        finished += 1;
        if (i === 5) throw new Error('a task failing does not stop the pool');
      });
    }
    await pool.drain();
    expect(peak).toBe(3);
    expect(finished).toBe(20);
  });

  it('a task that throws before its promise frees its slot; drain waits for tasks started while it waits', async () => {
    const pool = new RowPool(1);
    await pool.start((() => {
      throw new Error('thrown, not rejected');
    }) as () => Promise<void>);
    let release!: () => void;
    const order: string[] = [];
    // the slot is free again: this start does not wait
    await pool.start(() => new Promise<void>((r) => (release = r)).then(() => void order.push('first')));
    const drained = pool.drain().then(() => order.push('drained'));
    const second = pool.start(async () => void order.push('second'));
    release();
    await second;
    await drained;
    expect(order).toEqual(['first', 'second', 'drained']);
    await pool.drain(); // idle: resolves at once
  });

  it('start resolves only once its task has a slot and is running', async () => {
    const pool = new RowPool(1);
    let release!: () => void;
    await pool.start(() => new Promise<void>((r) => (release = r)));
    let started = false;
    const waiting = pool.start(async () => {
      started = true;
    });
    await new Promise((r) => setTimeout(r, 5));
    expect(started).toBe(false);
    release();
    await waiting;
    expect(started).toBe(true);
  });
});

describe('InOrderWriter', () => {
  it('writes in sequence order whatever order items finish in', async () => {
    const written: number[] = [];
    const writer = new InOrderWriter<number>(async (n) => {
      written.push(n);
    });
    await Promise.all([3, 1, 0, 2, 4].map((seq) => writer.put(seq, seq * 10)));
    await writer.drained();
    expect(written).toEqual([0, 10, 20, 30, 40]);
  });

  it('writes synchronous items within put itself, and returns no promise then', () => {
    const written: number[] = [];
    const writer = new InOrderWriter<number>((n) => void written.push(n));
    expect(writer.put(1, 1)).toBeUndefined();
    expect(written).toEqual([]);
    expect(writer.put(0, 0)).toBeUndefined();
    expect(written).toEqual([0, 1]);
  });

  it('waits for a write that returns a promise before the next item, and in order', async () => {
    const written: number[] = [];
    let release: () => void = () => undefined;
    const writer = new InOrderWriter<number>((n) => {
      written.push(n);
      if (n === 0) return new Promise<void>((resolve) => (release = resolve));
    });
    const first = writer.put(0, 0);
    expect(first).toBeInstanceOf(Promise);
    const second = writer.put(1, 1);
    expect(written).toEqual([0]);
    release();
    await Promise.all([first, second]);
    expect(written).toEqual([0, 1]);
    expect(writer.put(2, 2)).toBeUndefined();
    expect(written).toEqual([0, 1, 2]);
  });

  it('holds a caller once `window` items wait, until its own item is written', async () => {
    const written: number[] = [];
    const writer = new InOrderWriter<number>((n) => void written.push(n), 3);
    expect(writer.put(1, 1)).toBeUndefined();
    expect(writer.put(2, 2)).toBeUndefined();
    let thirdDone = false;
    const third = (writer.put(3, 3) as Promise<void>).then(() => (thirdDone = true));
    await Promise.resolve();
    expect(thirdDone).toBe(false);
    expect(writer.put(0, 0)).toBeUndefined();
    await third;
    expect(written).toEqual([0, 1, 2, 3]);
  });

  it('a failed write rejects the callers waiting on it and every later put; drained rejects too', async () => {
    const writer = new InOrderWriter<number>((n) => {
      if (n === 1) throw new Error('disk full');
    }, 2);
    expect(writer.put(2, 2)).toBeUndefined();
    const waiting = writer.put(3, 3);
    expect(waiting).toBeInstanceOf(Promise);
    expect(writer.put(0, 0)).toBeUndefined();
    await expect(writer.put(1, 1)).rejects.toThrow('disk full');
    await expect(waiting).rejects.toThrow('disk full');
    await expect(writer.put(4, 4)).rejects.toThrow('disk full');
    await expect(writer.drained()).rejects.toThrow('disk full');
  });

  it('a write whose promise rejects fails the same way', async () => {
    const writer = new InOrderWriter<number>(async (n) => {
      if (n === 0) throw new Error('stream closed');
    });
    await expect(writer.put(0, 0)).rejects.toThrow('stream closed');
    await expect(writer.put(1, 1)).rejects.toThrow('stream closed');
  });
});

describe('RequestPacer pauses (a 429)', () => {
  it('holds every slot until the pause ends, and says how long it still lasts', () => {
    let now = 1000;
    const limiter = new RequestPacer(10, () => now);
    limiter.pause(500);
    expect(limiter.pausedFor()).toBe(500);
    // Two callers at once: the first slot is at the pause's end, the next one 100 ms later.
    expect([limiter.reserve(now), limiter.reserve(now)]).toEqual([500, 600]);
    // A shorter pause does not shorten a longer one.
    limiter.pause(100);
    expect(limiter.pausedFor()).toBe(500);
    now = 1600;
    expect(limiter.pausedFor()).toBe(0);
  });

  it('holds even an unlimited pacer during a pause', () => {
    let now = 0;
    const limiter = new RequestPacer(0, () => now);
    expect(limiter.reserve(now)).toBe(0);
    limiter.pause(250);
    expect(limiter.reserve(now)).toBe(250);
    now = 300;
    expect(limiter.reserve(now)).toBe(0);
  });
});
