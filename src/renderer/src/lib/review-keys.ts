/**
 * Who a key press belongs to in the review views (Classify, Label issues, the gallery's image panel),
 * whose single-key shortcuts (Enter, digits, U, K…) act on the selected photo or image. A key typed into
 * a field is the field's; Enter or Space on a focused control (a button, link or tab) is that control's:
 * pressing Enter on "Close batch" closes the batch, and must not also accept the selected photo. Items
 * of the list being reviewed (marked `data-review-item`) are the exception: Enter on the issue tile just
 * clicked takes its suggestion.
 */

/** What the rule needs of the event's target; a DOM element has it all. */
export interface KeyTarget {
  tagName: string;
  isContentEditable?: boolean;
  closest(selector: string): unknown;
}

const FIELDS = ['INPUT', 'SELECT', 'TEXTAREA'];
const CONTROLS = 'button, a[href], summary, [role="button"], [role="tab"], [role="link"], [role="menuitem"], [role="checkbox"]';

/** True when `key`, pressed in `target`, is not the review view's to handle. */
export function keyBelongsToControl(key: string, target: KeyTarget | null): boolean {
  if (!target || typeof target.closest !== 'function') return false;
  if (FIELDS.includes(target.tagName) || target.isContentEditable) return true;
  if (key !== 'Enter' && key !== ' ') return false;
  return Boolean(target.closest(CONTROLS)) && !target.closest('[data-review-item]');
}

/** The same for a keyboard event in the window. */
export function eventBelongsToControl(event: KeyboardEvent): boolean {
  return keyBelongsToControl(event.key, event.target as KeyTarget | null);
}
