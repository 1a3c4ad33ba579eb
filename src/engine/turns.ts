/**
 * Work that runs long inside one turn of the event loop (a placing's messages, rendered one
 * after another) holds up every request whose bytes arrived meanwhile: at one client a status
 * change that came during a placing waited for all of its messages. `share()` ends the turn
 * once the work has run `sliceMs` since it began or last shared, so that waiting I/O runs first.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';

export class Turns {
  #since = performance.now();

  constructor(private readonly sliceMs = 0.5) {}

  /** Goes on at once while within the slice; else after the I/O that waits. */
  async share(): Promise<void> {
    if (performance.now() - this.#since < this.sliceMs) return;
    await nextTurn();
    this.#since = performance.now();
  }
}
