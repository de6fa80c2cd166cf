import type { Db } from './connection.ts';

/** A run of short write transactions that remembers the longest time any of them held the write lock. */
export interface TimedTransactions {
  /** Runs `work` in one write transaction (the lock is taken at its start, see connection.ts). */
  run<T>(work: () => T): T;
  /** The longest hold of the write lock so far, in milliseconds. */
  readonly longestHoldMs: number;
  /** How many transactions ran. */
  readonly count: number;
}

/**
 * Long writes (a training run's predictions, a large import) are split into short transactions so that
 * other processes wait at most about one of them; this measures each hold so the savers can report it.
 */
export function timedTransactions(db: Db): TimedTransactions {
  let longestHoldMs = 0;
  let count = 0;
  return {
    run: (work) => {
      const started = performance.now();
      try {
        return db.transaction(work)();
      } finally {
        longestHoldMs = Math.max(longestHoldMs, performance.now() - started);
        count++;
      }
    },
    get longestHoldMs() {
      return longestHoldMs;
    },
    get count() {
      return count;
    },
  };
}
