import { describe, expect, it } from 'vitest';
import { RequestPacer, Slots } from '../src/bulk/rate-limit.js';

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
