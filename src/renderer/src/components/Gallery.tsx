import { useEffect, useRef, useState } from 'react';
import { CLASS_NAMES } from '../../../shared/classes.ts';
import { useStoreFields } from '../store/store.ts';
import { ROW_HEIGHT, TILE_WIDTH, visibleRange } from '../lib/virtual-grid.ts';
import { PixelImage } from './PixelImage.tsx';

const TILE = TILE_WIDTH;
const ROW = ROW_HEIGHT;

/** A virtualised grid of the open gallery; each tile shows the image and its probability. */
export function Gallery() {
  const { gallery, selectedIndex, selectImage, loadGalleryRange } = useStoreFields('gallery', 'selectedIndex', 'selectImage', 'loadGalleryRange');
  const scroller = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, width: 600, height: 420 });

  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setView((v) => ({ ...v, width: element.clientWidth, height: element.clientHeight })));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const columns = Math.max(1, Math.floor(view.width / TILE));
  const total = gallery?.total ?? 0;
  const { start, end } = visibleRange(view.top, view.height, columns, total);

  useEffect(() => {
    if (gallery) void loadGalleryRange(start, end);
  }, [gallery, start, end, loadGalleryRange]);

  // Keep the selected tile in view when moving with the arrow keys.
  useEffect(() => {
    const element = scroller.current;
    if (!element || selectedIndex === null) return;
    const top = Math.floor(selectedIndex / columns) * ROW;
    if (top < element.scrollTop) element.scrollTop = top;
    else if (top + ROW > element.scrollTop + element.clientHeight) element.scrollTop = top + ROW - element.clientHeight;
  }, [selectedIndex, columns]);

  if (!gallery) return null;
  const tiles = [];
  for (let index = start; index < end; index++) {
    const image = gallery.images[index];
    const left = (index % columns) * TILE;
    const top = Math.floor(index / columns) * ROW;
    tiles.push(
      <button
        key={index}
        className={`tile${index === selectedIndex ? ' selected' : ''}${image?.suspicious ? ' suspicious' : ''}`}
        style={{ left, top }}
        onClick={() => void selectImage(index)}
        data-testid="gallery-tile"
        data-image-id={image?.imageId}
        title={image ? `${CLASS_NAMES[image.label]} predicted as ${CLASS_NAMES[image.predicted]}` : undefined}
      >
        {image ? <PixelImage pixels={image.pixels} size={56} /> : <span className="placeholder" />}
        <span className="probability">{image ? `${(image.confidence * 100).toFixed(0)}%` : ''}</span>
      </button>,
    );
  }
  return (
    <div className="gallery" ref={scroller} onScroll={(e) => setView((v) => ({ ...v, top: e.currentTarget.scrollTop }))} data-testid="gallery">
      <div className="gallery-space" style={{ height: Math.ceil(total / columns) * ROW }}>
        {tiles}
      </div>
    </div>
  );
}
