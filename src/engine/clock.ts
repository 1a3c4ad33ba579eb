/** Time comes from one injected clock, so tests (and a merchant's rehearsal) can control it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that moves only when told to. */
export class ManualClock implements Clock {
  #now: number;
  constructor(start: Date = new Date()) {
    this.#now = start.getTime();
  }
  now(): Date {
    return new Date(this.#now);
  }
  advance(seconds: number): Date {
    this.#now += seconds * 1000;
    return this.now();
  }
}
