/** Plain data types that cross the boundary between the UI and the back end. */

/** Where an image belongs: the dataset's own train or test split, or a photo a person labeled. */
export type Split = 'train' | 'test' | 'user';

export const SPLITS: readonly Split[] = ['train', 'test', 'user'];

/** What the workspace holds for one dataset. */
export interface DatasetSummary {
  datasetId: number;
  name: string;
  createdAt: string;
  images: number;
  bySplit: Record<Split, number>;
  /** Images per label 0–9, over every split. */
  labelCounts: number[];
}

/** One stored image with its 28×28 grayscale pixels, item light on dark. */
export interface ImageRecord {
  imageId: number;
  datasetId: number;
  split: Split;
  label: number;
  pixels: Uint8Array;
}

/** Facts about the running back end that the UI shows or adapts to. */
export interface AppInfo {
  version: string;
  /** The SQLite file that holds the workspace. */
  workspacePath: string;
  /** Where the bundled Fashion-MNIST was found, or null when it is not available. */
  bundledDatasetPath: string | null;
  /** True in the desktop app, where native file dialogs exist; false in a browser. */
  nativeDialogs: boolean;
  /** The transport the renderer is using, shown in About. */
  host: 'electron' | 'web';
}

/** Result of an import: the dataset as it stands afterwards, and how many images were new. */
export interface ImportResult extends DatasetSummary {
  added: number;
  skippedDuplicates: number;
}
