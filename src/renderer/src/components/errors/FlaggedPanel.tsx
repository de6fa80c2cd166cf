import { useEffect } from 'react';
import { CLASS_NAMES } from '../../../../shared/classes.ts';
import { useStoreFields } from '../../store/store.ts';
import { PixelImage } from '../PixelImage.tsx';

/** Images people marked as having a suspicious label (S). */
export function FlaggedPanel() {
  const { flagged, loadFlagged } = useStoreFields('flagged', 'loadFlagged');
  useEffect(() => {
    void loadFlagged();
  }, [loadFlagged]);
  if (flagged.length === 0) return <p className="hint">No image is flagged. Press S on an image in a gallery to flag its label as suspicious.</p>;
  return (
    <div className="issue-grid" data-testid="flagged">
      {flagged.map((image) => (
        <div key={image.imageId} className="issue-tile" data-image-id={image.imageId}>
          <PixelImage pixels={image.pixels} size={56} title={`${image.split} image ${image.imageId} · ${image.source}`} />
          <span>{CLASS_NAMES[image.label]}</span>
        </div>
      ))}
    </div>
  );
}
