import { useState, type DragEvent } from 'react';
import { filesFromDrop, filesFromInput, type PickedFile } from './dropped-files.ts';

/**
 * Files and folders arriving by drop or by file input, handed to `accept` the same way. Returns the
 * drop-zone props, whether something is being dragged over, and the input's change handler.
 */
export function useFileDrop(accept: (files: PickedFile[], top: File[]) => Promise<void>) {
  const [dragging, setDragging] = useState(false);
  const dropZone = {
    onDragOver: (event: DragEvent): void => {
      event.preventDefault();
      setDragging(true);
    },
    onDragLeave: (): void => setDragging(false),
    onDrop: (event: DragEvent): void => {
      event.preventDefault();
      setDragging(false);
      void filesFromDrop(event.dataTransfer).then(({ top, files }) => (files.length > 0 ? accept(files, top) : undefined));
    },
  };
  const onPicked = (input: HTMLInputElement | null): void => {
    if (!input?.files?.length) return;
    void accept(filesFromInput(input.files), [...input.files]).finally(() => (input.value = ''));
  };
  return { dragging, dropZone, onPicked };
}
