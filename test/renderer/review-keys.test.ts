import { describe, expect, it } from 'vitest';
import { keyBelongsToControl, type KeyTarget } from '../../src/renderer/src/lib/review-keys.ts';

/** A stand-in element: its tag, and the ancestors `closest` finds (by the selector's kinds). */
function element(tagName: string, within: { control?: boolean; reviewItem?: boolean } = {}, isContentEditable = false): KeyTarget {
  return {
    tagName,
    isContentEditable,
    closest: (selector: string) => {
      if (selector === '[data-review-item]') return within.reviewItem ? {} : null;
      return within.control || tagName === 'BUTTON' ? {} : null;
    },
  };
}

describe('review keys', () => {
  it('leaves Enter and Space on a focused button, link or tab to it, so they never also decide the selected photo', () => {
    expect(keyBelongsToControl('Enter', element('BUTTON'))).toBe(true);
    expect(keyBelongsToControl(' ', element('SPAN', { control: true }))).toBe(true);
    // Shortcut letters and digits still act on the selection wherever the focus is.
    expect(keyBelongsToControl('3', element('BUTTON'))).toBe(false);
    expect(keyBelongsToControl('u', element('BUTTON'))).toBe(false);
  });

  it('keeps Enter for the review on an item of the list being reviewed, and on the page itself', () => {
    expect(keyBelongsToControl('Enter', element('BUTTON', { reviewItem: true }))).toBe(false);
    expect(keyBelongsToControl('Enter', element('BODY'))).toBe(false);
    expect(keyBelongsToControl('Enter', element('TR'))).toBe(false);
    expect(keyBelongsToControl('Enter', null)).toBe(false);
  });

  it('gives every key typed into a field to the field', () => {
    for (const tag of ['INPUT', 'SELECT', 'TEXTAREA']) expect(keyBelongsToControl('5', element(tag))).toBe(true);
    expect(keyBelongsToControl('k', element('DIV', {}, true))).toBe(true);
  });
});
