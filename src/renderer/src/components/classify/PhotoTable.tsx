import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { CLASS_NAMES } from '../../../../shared/classes.ts';
import { REVIEW_REASON_TEXT } from '../../../../shared/review.ts';
import type { ClassifiedPhoto } from '../../../../shared/types.ts';
import { rowWindow, PHOTO_ROW_HEIGHT } from '../../lib/virtual-rows.ts';
import { PixelImage } from '../PixelImage.tsx';

/** The status column: what a person did, else why it needs review. */
export function photoStatus(photo: ClassifiedPhoto): string {
  if (photo.error) return photo.error;
  if (photo.decidedBy === 'accepted') return photo.seenBefore ? 'accepted before' : 'accepted';
  if (photo.decidedBy === 'corrected') return `${photo.seenBefore ? 'corrected before' : 'corrected'} to ${CLASS_NAMES[photo.label!]}`;
  if (photo.needsReview && photo.reviewReason) return `needs review: ${REVIEW_REASON_TEXT[photo.reviewReason]}`;
  return 'passed the gate';
}

interface Props {
  photos: readonly (ClassifiedPhoto | undefined)[];
  shown: readonly number[];
  selected: ReadonlySet<number>;
  focus: number | null;
  onClick(index: number, modifiers: { shift: boolean; toggle: boolean }): void;
}

/**
 * The batch as a table, virtualised: only the rows in view (plus a few) are in the DOM, so a batch of
 * 10,000 photos scrolls as lightly as one of ten.
 */
export function PhotoTable({ photos, shown, selected, focus, onClick }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewHeight, setViewHeight] = useState(600);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setViewHeight(element.clientHeight));
    observer.observe(element);
    setViewHeight(element.clientHeight);
    return () => observer.disconnect();
  }, []);

  // Keep the focused photo in view when the keyboard moves it.
  useEffect(() => {
    const element = scroller.current;
    if (!element || focus === null) return;
    const row = shown.indexOf(focus);
    if (row < 0) return;
    const top = row * PHOTO_ROW_HEIGHT;
    if (top < element.scrollTop) element.scrollTop = top;
    else if (top + PHOTO_ROW_HEIGHT > element.scrollTop + element.clientHeight) element.scrollTop = top + PHOTO_ROW_HEIGHT - element.clientHeight;
  }, [focus, shown]);

  const { start, end } = rowWindow(scrollTop, viewHeight, shown.length);
  return (
    <div className="photo-scroll" ref={scroller} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)} data-testid="photo-list">
      <table className="photos">
        <thead>
          <tr>
            <th>What the model sees</th>
            <th>Name</th>
            <th>Class</th>
            <th>Decided by</th>
            <th>Model said</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          {start > 0 && <tr style={{ height: start * PHOTO_ROW_HEIGHT }} aria-hidden />}
          {shown.slice(start, end).map((index) => {
            const photo = photos[index]!;
            const classes = [selected.has(index) ? 'selected' : '', index === focus ? 'focus' : '', photo.error ? 'failed' : photo.needsReview ? 'review' : ''];
            return (
              <tr
                key={index}
                data-photo-index={index}
                data-testid="photo-row"
                className={classes.filter(Boolean).join(' ')}
                style={{ height: PHOTO_ROW_HEIGHT }}
                aria-selected={selected.has(index)}
                onClick={(e) => onClick(index, { shift: e.shiftKey, toggle: e.ctrlKey || e.metaKey })}
              >
                <td>{photo.pixels && <PixelImage pixels={photo.pixels} size={48} title="The 28×28 image the model classified" />}</td>
                <td className="photo-name">{photo.name}</td>
                <td data-testid="photo-class">{photo.predicted !== null && <strong>{CLASS_NAMES[photo.label ?? photo.predicted]}</strong>}</td>
                <td data-testid="photo-decided-by">{photo.predicted !== null ? photo.decidedBy : ''}</td>
                <td data-testid="photo-model">{photo.predicted !== null && `${CLASS_NAMES[photo.predicted]} ${(photo.confidence! * 100).toFixed(1)}%`}</td>
                <td data-testid="photo-status">{photoStatus(photo)}</td>
              </tr>
            );
          })}
          {end < shown.length && <tr style={{ height: (shown.length - end) * PHOTO_ROW_HEIGHT }} aria-hidden />}
        </tbody>
      </table>
    </div>
  );
}
