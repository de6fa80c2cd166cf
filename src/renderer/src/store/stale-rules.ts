/**
 * When what a screen shows stops being true: rules for the state that another action makes stale. Pure, so
 * they are tested without React.
 */
import type { GalleryQuery } from '../../../shared/types.ts';

/**
 * Whether a gallery stays open when the Errors view switches to `split`: a confusion cell or a comparison
 * of the other split no longer matches the matrix beside it.
 */
export function galleryKeptOnSplit(query: GalleryQuery, split: 'test' | 'train'): boolean {
  return query.split === split;
}

/** A gallery's images by position after its total changed: positions past the new end are dropped. */
export function withTotal<G extends { total: number; images: Record<number, unknown> }>(gallery: G, total: number): G {
  const images = Object.fromEntries(Object.entries(gallery.images).filter(([position]) => Number(position) < total)) as G['images'];
  return { ...gallery, total, images };
}
