/** Queries behind the promotion gate: how two runs did on the test images both were scored on. */
import { CLASS_COUNT } from '../../shared/classes.ts';
import type { Db } from './connection.ts';

/** Per class and in total, how a candidate run and the active run did on the same test images. */
export interface PairedOutcomes {
  /** Test images both runs predicted. */
  images: number;
  /** Images of each class (by their current label). */
  support: number[];
  candidateRight: number[];
  activeRight: number[];
  /** Images the candidate got right and the active run wrong (McNemar's b). */
  candidateOnlyRight: number;
  /** Images the active run got right and the candidate wrong (McNemar's c). */
  activeOnlyRight: number;
}

/** Counts right and wrong answers of two runs on the test images both were scored on, against current labels. */
export function pairedTestOutcomes(db: Db, candidateRunId: number, activeRunId: number): PairedOutcomes {
  const rows = db
    .prepare(
      `SELECT i.label, SUM(p.predicted = i.label), SUM(q.predicted = i.label),
              SUM(p.predicted = i.label AND q.predicted != i.label), SUM(p.predicted != i.label AND q.predicted = i.label), COUNT(*)
       FROM predictions p
       JOIN predictions q ON q.image_id = p.image_id AND q.run_id = ?
       JOIN images i ON i.id = p.image_id
       WHERE p.run_id = ? AND i.split = 'test'
       GROUP BY i.label`,
    )
    .raw()
    .all(activeRunId, candidateRunId) as [number, number, number, number, number, number][];
  const outcomes: PairedOutcomes = {
    images: 0,
    support: new Array<number>(CLASS_COUNT).fill(0),
    candidateRight: new Array<number>(CLASS_COUNT).fill(0),
    activeRight: new Array<number>(CLASS_COUNT).fill(0),
    candidateOnlyRight: 0,
    activeOnlyRight: 0,
  };
  for (const [label, candidateRight, activeRight, b, c, n] of rows) {
    outcomes.support[label] = n;
    outcomes.candidateRight[label] = candidateRight;
    outcomes.activeRight[label] = activeRight;
    outcomes.candidateOnlyRight += b;
    outcomes.activeOnlyRight += c;
    outcomes.images += n;
  }
  return outcomes;
}
