/**
 * When what a screen shows stops being true: rules for the state that another action makes stale. Pure, so
 * they are tested without React.
 */
import type { GalleryQuery } from '../../../shared/types.ts';

/** The split a gallery's images come from, or null when the Errors view's split toggle does not choose it. */
export function gallerySplit(query: GalleryQuery): 'test' | 'train' | null {
  return query.kind === 'label-errors' ? null : query.split;
}

/**
 * Whether a gallery stays open when the Errors view switches to `split`: a confusion cell or a comparison
 * of the other split no longer matches the matrix beside it; likely label errors do not depend on it.
 */
export function galleryKeptOnSplit(query: GalleryQuery, split: 'test' | 'train'): boolean {
  const own = gallerySplit(query);
  return own === null || own === split;
}

/** A gallery's images by position after its total changed: positions past the new end are dropped. */
export function withTotal<G extends { total: number; images: Record<number, unknown> }>(gallery: G, total: number): G {
  const images = Object.fromEntries(Object.entries(gallery.images).filter(([position]) => Number(position) < total)) as G['images'];
  return { ...gallery, total, images };
}
