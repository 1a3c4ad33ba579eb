/**
 * A request's API key as this process last read it, not yet read again for this request. An
 * order write that carries it checks in its own statement that the key is still live (one round
 * trip, not two); any other path reads the key before it writes, and the HTTP layer reads it
 * before it answers anything the write did not prove. So a key revoked before a request is
 * refused to it, as by a read of its own: nothing is written for it and nothing is shown to it.
 * What writes nothing and shows the caller nothing may run first (deciding, the fraud screener's
 * verdict on the order asked for).
 */
import { reject } from '../domain/result.js';

export type KeyState = 'unchecked' | 'live' | 'revoked';

export class KeyCheck {
  #state: KeyState = 'unchecked';
  #reading: Promise<boolean> | undefined;

  /** `read`: whether the key is live now (a read of the database). */
  constructor(readonly keyId: string, private readonly read: () => Promise<boolean>) {}

  get state(): KeyState {
    return this.#state;
  }

  /** A write that required the key to be live committed: it was. */
  proven(): void {
    this.#state = 'live';
  }

  /** A write that required the key to be live found it revoked or expired (it wrote nothing). */
  refused(): void {
    this.#state = 'revoked';
  }

  /** Whether the key is live: read once, unless a write has told already. */
  async live(): Promise<boolean> {
    if (this.#state !== 'unchecked') return this.#state === 'live';
    this.#reading ??= this.read().then((live) => {
      if (this.#state === 'unchecked') this.#state = live ? 'live' : 'revoked';
      return this.#state === 'live';
    });
    return this.#reading;
  }
}

/** The refusal of a request whose key was found revoked or expired (answered 401, as the key's read would). */
export const keyNotLive = () => reject('api_key_not_live', 'the API key is not valid');
