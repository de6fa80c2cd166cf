/**
 * File name endings the app treats as photos: taken from a dropped or chosen folder when classifying,
 * and offered by the desktop app's Classify images dialog. Other files in a folder are passed over.
 */
export const PHOTO_EXTENSIONS: readonly string[] = ['jpg', 'jpeg', 'png', 'webp', 'gif', 'bmp', 'tif', 'tiff', 'heic', 'heif', 'avif'];
