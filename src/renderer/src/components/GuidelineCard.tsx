import { CLASS_NAMES } from '../../../shared/classes.ts';
import type { LabelImage } from '../../../shared/label-api.ts';
import { PixelImage } from './PixelImage.tsx';

/** A row of typical images of one class, with what they are. */
export function Examples({ images, title }: { images: LabelImage[] | undefined; title: string }) {
  return (
    <figure className="examples">
      <figcaption>{title}</figcaption>
      <div className="example-row">{images?.map((image) => <PixelImage key={image.imageId} pixels={image.pixels} size={48} title={`Image ${image.imageId}`} />)}</div>
    </figure>
  );
}

/**
 * A guideline card: the most typical images on each side of a pair of classes the labels mix up, as the
 * Label issues view shows it to whoever fixes labels and Classify shows it to warehouse staff.
 */
export function GuidelineCard({ a, b, share, typical, note }: { a: number; b: number; share: number; typical: [LabelImage[], LabelImage[]] | undefined; note?: string }) {
  return (
    <div className="card guideline" data-testid="guideline-card" data-pair={`${a}-${b}`}>
      {note && <p data-testid="guideline-note">{note}</p>}
      <strong>
        {CLASS_NAMES[a]} ↔ {CLASS_NAMES[b]}
      </strong>{' '}
      {(share * 100).toFixed(2)}% of labels
      <Examples images={typical?.[0]} title={`${CLASS_NAMES[a]} (typical, nearest ${CLASS_NAMES[b]})`} />
      <Examples images={typical?.[1]} title={`${CLASS_NAMES[b]} (typical, nearest ${CLASS_NAMES[a]})`} />
    </div>
  );
}
