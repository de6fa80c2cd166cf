/**
 * Which photos of a batch are shown and selected, as pure functions: a key acts only on photos the
 * person can see and has selected, and a change of filter or batch never leaves a hidden photo
 * selected.
 */
import type { ClassifiedPhoto } from '../../../shared/types.ts';

export type ClassifyFilter = 'all' | 'review' | 'done' | 'unusual';

/** The focused photo (shown large, moved by the arrow keys) and every selected one, as batch positions. */
export interface Selection {
  focus: number | null;
  /** Sorted, without repeats; includes `focus` when there is one. */
  selected: number[];
  /** Where a shift-click range starts. */
  anchor: number | null;
}

export const NO_SELECTION: Selection = { focus: null, selected: [], anchor: null };

type Photos = readonly (ClassifiedPhoto | undefined)[];

/** True when the filter shows this photo. */
export function isShown(photo: ClassifiedPhoto, filter: ClassifyFilter): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'review':
      return photo.needsReview;
    case 'done':
      return photo.reviewed;
    case 'unusual':
      return photo.unusual;
  }
}

/** Positions of the photos a filter shows, in batch order. */
export function shownIndices(photos: Photos, filter: ClassifyFilter): number[] {
  const out: number[] = [];
  photos.forEach((photo, index) => {
    if (photo && isShown(photo, filter)) out.push(index);
  });
  return out;
}

/** A click: that photo alone. */
export function selectOne(index: number): Selection {
  return { focus: index, selected: [index], anchor: index };
}

/** A shift-click: every shown photo from the anchor to this one. */
export function selectRange(selection: Selection, index: number, shown: readonly number[]): Selection {
  const anchor = selection.anchor !== null && shown.includes(selection.anchor) ? selection.anchor : index;
  const [a, b] = [shown.indexOf(anchor), shown.indexOf(index)];
  if (b < 0) return selection;
  const range = shown.slice(Math.min(a, b), Math.max(a, b) + 1);
  return { focus: index, selected: range, anchor };
}

/** A Ctrl-click: adds or removes one photo. */
export function toggleOne(selection: Selection, index: number): Selection {
  const has = selection.selected.includes(index);
  const selected = has ? selection.selected.filter((i) => i !== index) : [...selection.selected, index].sort((x, y) => x - y);
  return { focus: has ? (selected.at(-1) ?? null) : index, selected, anchor: index };
}

/** Ctrl+A: every photo the filter shows. */
export function selectAllShown(shown: readonly number[]): Selection {
  return { focus: shown[0] ?? null, selected: [...shown], anchor: shown[0] ?? null };
}

/**
 * After the filter, the batch or the photos changed: hidden photos leave the selection; when nothing
 * selected is still shown, the first shown photo is selected, or none.
 */
export function keepShown(selection: Selection, shown: readonly number[]): Selection {
  const set = new Set(shown);
  const selected = selection.selected.filter((i) => set.has(i));
  if (selected.length === 0) return shown.length > 0 ? selectOne(shown[0]) : NO_SELECTION;
  const focus = selection.focus !== null && set.has(selection.focus) ? selection.focus : selected[0];
  return { focus, selected, anchor: selection.anchor !== null && set.has(selection.anchor) ? selection.anchor : focus };
}

/** The photos a key acts on: selected, shown by the filter, and classified (a failed file has nothing to decide). */
export function actionTargets(selection: Selection, photos: Photos, filter: ClassifyFilter): ClassifiedPhoto[] {
  return selection.selected.map((i) => photos[i]).filter((p): p is ClassifiedPhoto => p !== undefined && p.photoId !== null && isShown(p, filter));
}

/** The arrow keys: the next or previous shown photo, alone. */
export function moveFocus(selection: Selection, shown: readonly number[], step: 1 | -1): Selection {
  if (shown.length === 0) return NO_SELECTION;
  const at = selection.focus === null ? -1 : shown.indexOf(selection.focus);
  if (at < 0) return selectOne(step === 1 ? shown[0] : shown.at(-1)!);
  return selectOne(shown[Math.min(shown.length - 1, Math.max(0, at + step))]);
}

/**
 * Where to go after deciding the photos at `decided`: the next shown photo still needing review
 * after the last of them, else the next shown photo, else the one before, else none.
 */
export function afterDecision(photos: Photos, filter: ClassifyFilter, decided: readonly number[]): Selection {
  const shown = shownIndices(photos, filter);
  const last = Math.max(...decided);
  const next = shown.find((i) => i > last && photos[i]!.needsReview) ?? shown.find((i) => i > last) ?? shown.filter((i) => i < last).at(-1);
  return next === undefined ? NO_SELECTION : selectOne(next);
}

/** A result arrived: the first one shown becomes the selection when nothing is selected yet. */
export function onArrival(selection: Selection, photos: Photos, filter: ClassifyFilter, index: number): Selection {
  if (selection.focus !== null) return selection;
  const photo = photos[index];
  return photo && photo.error === null && isShown(photo, filter) ? selectOne(index) : selection;
}
