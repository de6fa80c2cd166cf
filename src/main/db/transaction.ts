import type { Db } from './connection.ts';

/**
 * Runs asynchronous work in one write transaction: committed when it resolves, rolled back when it
 * throws. better-sqlite3's `db.transaction` takes only synchronous functions; saving a model through a
 * tfjs IO handler is asynchronous (though it does no other database work in between).
 */
export async function inTransaction<T>(db: Db, work: () => Promise<T>): Promise<T> {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = await work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}
