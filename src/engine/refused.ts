/** Carries an expected outcome out of a transaction so that the transaction rolls back. */
export class Refused<T> extends Error {
  constructor(readonly outcome: T) {
    super('refused');
  }
}

/** Runs `work`; an outcome it refuses with comes back as a value, after the rollback. */
export async function refusable<T, R>(work: () => Promise<T>): Promise<T | R> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof Refused) return err.outcome as R;
    throw err;
  }
}
