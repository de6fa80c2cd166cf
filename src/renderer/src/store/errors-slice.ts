import type { StateCreator } from 'zustand';
import type { Evaluation, GalleryImage, GalleryQuery, GallerySort, ImageDetail } from '../../../shared/types.ts';
import { api } from '../lib/api-client.ts';
import { galleryKeptOnSplit, withTotal } from './stale-rules.ts';
import type { Store } from './store.ts';

/** Images fetched per gallery request. */
export const GALLERY_PAGE = 120;

/** Rows of a confusion matrix as shares of their row's total (0 for an empty row). */
export function normalizeRows(confusion: number[][]): number[][] {
  return confusion.map((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((n) => (total ? n / total : 0));
  });
}

export interface Gallery {
  query: GalleryQuery;
  sort: GallerySort;
  total: number;
  /** Loaded images by position; positions not loaded yet are missing. */
  images: Record<number, GalleryImage>;
}

/** Places a loaded page into the gallery's sparse list of images. */
export function withPage(gallery: Gallery, offset: number, images: GalleryImage[], total: number): Gallery {
  const next = { ...gallery.images };
  images.forEach((image, i) => (next[offset + i] = image));
  return { ...gallery, total, images: next };
}

/** The confusion matrix, its galleries, and the image a person is looking at. */
export interface ErrorsSlice {
  errorsSplit: 'test' | 'train';
  normalize: boolean;
  evaluation: Evaluation | null;
  gallery: Gallery | null;
  selectedIndex: number | null;
  detail: ImageDetail | null;
  setErrorsSplit(split: 'test' | 'train'): void;
  setNormalize(normalize: boolean): void;
  loadEvaluation(): Promise<void>;
  openGallery(query: GalleryQuery, sort?: GallerySort): Promise<void>;
  setGallerySort(sort: GallerySort): Promise<void>;
  loadGalleryRange(start: number, end: number): Promise<void>;
  closeGallery(): void;
  /** Asks how many images the open gallery holds now, e.g. after a relabel moved one in or out. */
  refreshGalleryTotal(): Promise<void>;
  selectImage(index: number | null): Promise<void>;
  relabelSelected(label: number): Promise<void>;
  undoSelected(): Promise<void>;
  toggleSuspicious(): Promise<void>;
}

export const createErrorsSlice: StateCreator<Store, [], [], ErrorsSlice> = (set, get) => {
  const loading = new Set<number>();
  const fail = (error: unknown): void => set({ notice: { kind: 'error', text: (error as Error).message } });

  /** Refreshes the selected image's detail and its tile after a change. */
  const applyDetail = (detail: ImageDetail): void => {
    const { gallery, selectedIndex } = get();
    if (gallery && selectedIndex !== null && gallery.images[selectedIndex]?.imageId === detail.image.imageId) {
      const tile = gallery.images[selectedIndex];
      const labelProbability = detail.prediction?.probabilities[detail.image.label] ?? tile.labelProbability;
      const images = { ...gallery.images, [selectedIndex]: { ...tile, label: detail.image.label, suspicious: detail.image.suspicious, labelProbability } };
      set({ gallery: { ...gallery, images } });
    }
    set({ detail });
  };

  /** Applies a change to the selected image and shows its result. */
  const changeSelected = async (change: (imageId: number, runId: number | null) => Promise<ImageDetail>): Promise<void> => {
    const { detail, activeRunId } = get();
    if (!detail) return;
    set({ notice: null });
    try {
      applyDetail(await change(detail.image.imageId, activeRunId));
      // The matrix counts images by their current label, so a relabel moves an image between cells,
      // in or out of the open gallery, and from one class's count to another's in Datasets.
      void get().loadEvaluation();
      void get().refreshGalleryTotal();
      void get().refreshDatasets();
    } catch (error) {
      fail(error);
    }
  };

  return {
    errorsSplit: 'test',
    normalize: false,
    evaluation: null,
    gallery: null,
    selectedIndex: null,
    detail: null,
    setErrorsSplit: (errorsSplit) => {
      const gallery = get().gallery;
      if (gallery && !galleryKeptOnSplit(gallery.query, errorsSplit)) get().closeGallery();
      set({ errorsSplit });
      void get().loadEvaluation();
    },
    setNormalize: (normalize) => set({ normalize }),
    loadEvaluation: async () => {
      const { activeRunId, errorsSplit } = get();
      if (activeRunId === null) {
        set({ evaluation: null });
        return;
      }
      try {
        set({ evaluation: await api.invoke('run:evaluation', { runId: activeRunId, split: errorsSplit }) });
      } catch (error) {
        set({ evaluation: null });
        fail(error);
      }
    },
    openGallery: async (query, sort = 'confidence-desc') => {
      loading.clear();
      set({ gallery: { query, sort, total: 0, images: {} }, selectedIndex: null, detail: null, notice: null });
      await get().loadGalleryRange(0, GALLERY_PAGE);
    },
    setGallerySort: async (sort) => {
      const gallery = get().gallery;
      if (gallery) await get().openGallery(gallery.query, sort);
    },
    loadGalleryRange: async (start, end) => {
      const gallery = get().gallery;
      if (!gallery) return;
      for (let offset = Math.floor(start / GALLERY_PAGE) * GALLERY_PAGE; offset < end; offset += GALLERY_PAGE) {
        if (loading.has(offset) || gallery.images[offset] || (gallery.total && offset >= gallery.total)) continue;
        loading.add(offset);
        try {
          const page = await api.invoke('gallery:page', { query: gallery.query, sort: gallery.sort, offset, limit: GALLERY_PAGE });
          const current = get().gallery;
          // A newer gallery replaced this one while the page was on its way.
          if (current?.query !== gallery.query || current.sort !== gallery.sort) return;
          set({ gallery: withPage(current, offset, page.images, page.total) });
        } catch (error) {
          loading.delete(offset);
          fail(error);
        }
      }
    },
    closeGallery: () => set({ gallery: null, selectedIndex: null, detail: null }),
    refreshGalleryTotal: async () => {
      const gallery = get().gallery;
      if (!gallery) return;
      try {
        const { total } = await api.invoke('gallery:page', { query: gallery.query, sort: gallery.sort, offset: 0, limit: 1 });
        const current = get().gallery;
        if (current?.query === gallery.query && current.sort === gallery.sort) set({ gallery: withTotal(current, total) });
      } catch (error) {
        fail(error);
      }
    },
    selectImage: async (index) => {
      const { gallery, activeRunId } = get();
      if (index === null || !gallery) {
        set({ selectedIndex: null, detail: null });
        return;
      }
      const bounded = Math.max(0, Math.min(gallery.total - 1, index));
      set({ selectedIndex: bounded });
      await get().loadGalleryRange(bounded, bounded + 1);
      const image = get().gallery?.images[bounded];
      if (!image) return;
      try {
        const detail = await api.invoke('image:detail', { imageId: image.imageId, runId: activeRunId });
        if (get().selectedIndex === bounded) set({ detail });
      } catch (error) {
        fail(error);
      }
    },
    relabelSelected: (label) => changeSelected((imageId, runId) => api.invoke('image:relabel', { imageId, label, runId })),
    undoSelected: () => changeSelected((imageId, runId) => api.invoke('image:undo-relabel', { imageId, runId })),
    toggleSuspicious: () => changeSelected((imageId, runId) => api.invoke('image:flag', { imageId, suspicious: !get().detail!.image.suspicious, runId })),
  };
};
