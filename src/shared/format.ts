/** How the app writes numbers for people, the same in the UI and the CLI. */

/** A share as a percentage, e.g. 0.9252 → "92.52%"; a missing value is a dash. */
export function percent(share: number | null, digits = 2): string {
  return share === null ? '—' : `${(share * 100).toFixed(digits)}%`;
}
