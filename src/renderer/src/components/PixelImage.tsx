import { useEffect, useRef } from 'react';
import { IMAGE_SIZE } from '../../../shared/classes.ts';

/** Draws a 28×28 grayscale image from its pixels onto a canvas; no file round-trip. */
export function PixelImage({ pixels, size = 56, title }: { pixels: Uint8Array; size?: number; title?: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    const image = context.createImageData(IMAGE_SIZE, IMAGE_SIZE);
    for (let i = 0; i < pixels.length; i++) {
      image.data[i * 4] = image.data[i * 4 + 1] = image.data[i * 4 + 2] = pixels[i];
      image.data[i * 4 + 3] = 255;
    }
    context.putImageData(image, 0, 0);
  }, [pixels]);
  return <canvas ref={canvas} className="pixel-image" width={IMAGE_SIZE} height={IMAGE_SIZE} style={{ width: size, height: size }} title={title} />;
}
