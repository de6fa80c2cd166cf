import { CLASS_NAMES } from '../../../../shared/classes.ts';
import type { ScanGuidelines } from '../../../../shared/label-api.ts';
import { guidelineFor } from '../../../../shared/label-scan.ts';
import { REVIEW_REASON_TEXT } from '../../../../shared/review.ts';
import type { ClassifiedPhoto } from '../../../../shared/types.ts';
import { GuidelineCard } from '../GuidelineCard.tsx';
import { PixelImage } from '../PixelImage.tsx';

/**
 * The focused photo large, the 28×28 the model sees beside it, the top 3 and why it is in review; and when
 * the model's likeliest classes are a pair the labels often mix up (from the newest label scan), the
 * guideline card of that pair, so the person sees typical examples of both before deciding.
 */
export function PhotoDetail({
  photo,
  preview,
  previewNote,
  selectedCount,
  guidelines,
}: {
  photo: ClassifiedPhoto | undefined;
  /** The original's URL; while it loads, or when it cannot be shown, the 28×28 stands in. */
  preview: string | undefined;
  /** Why the original cannot be shown (gone, too large, a format the window cannot show). */
  previewNote?: string;
  selectedCount: number;
  guidelines: ScanGuidelines | null;
}) {
  if (!photo) return <aside className="card photo-detail hint">Select a photo to see it large.</aside>;
  const card = photo.error || !guidelines ? null : guidelineFor(guidelines.cards, photo.top3);
  return (
    <aside className="card photo-detail" data-testid="photo-detail">
      <h2 title={photo.name}>{photo.name}</h2>
      {selectedCount > 1 && <p className="hint">{selectedCount} photos selected: Enter accepts them all, 0–9 sets them all to one class.</p>}
      <div className="detail-images">
        {preview ? <img src={preview} alt={photo.name} className="large-photo" data-testid="large-photo" /> : photo.pixels && <PixelImage pixels={photo.pixels} size={196} title="The photo as the model saw it" />}
        {photo.pixels && (
          <figure>
            <PixelImage pixels={photo.pixels} size={84} title="The 28×28 image the model classified" />
            <figcaption className="hint">what the model sees</figcaption>
          </figure>
        )}
      </div>
      {!preview && previewNote && (
        <p className="hint" data-testid="original-note">
          {previewNote.replace(/[.;\s]+$/, '')}. Shown is the 28×28 the model saw.
        </p>
      )}
      {photo.error ? (
        <p className="error-text">{photo.error}</p>
      ) : (
        <>
          <ol className="top3" data-testid="detail-top3">
            {photo.top3.map((t) => (
              <li key={t.label}>
                {CLASS_NAMES[t.label]} <span className="hint">{(t.probability * 100).toFixed(1)}%</span>
              </li>
            ))}
          </ol>
          {/* Beside the top 3, where the choice between two classes is made: visible without scrolling in a small window. */}
          {card && <GuidelineCard {...card} note={`${CLASS_NAMES[card.a]} and ${CLASS_NAMES[card.b]} are often confused: typical examples of each`} />}
          <p data-testid="detail-decision">
            Class <strong>{CLASS_NAMES[photo.label ?? photo.predicted!]}</strong>, decided by {photo.decidedBy === 'model' ? 'the model' : `a person (${photo.decidedBy})`}
            {photo.seenBefore && ' on an earlier copy of this photo'}. The model said {CLASS_NAMES[photo.predicted!]} at {(photo.confidence! * 100).toFixed(1)}%.
          </p>
          {photo.reviewReason && (
            <p className={photo.needsReview ? 'review-reason' : 'hint'} data-testid="detail-reason">
              {photo.needsReview ? 'In review: ' : 'Was in review: '}
              {REVIEW_REASON_TEXT[photo.reviewReason]}.
            </p>
          )}
        </>
      )}
    </aside>
  );
}
