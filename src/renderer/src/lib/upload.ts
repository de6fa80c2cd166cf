/**
 * Sends files picked in a browser to the back end by content: `upload:begin`, then each file in pieces
 * (`upload:chunk`), a few requests in flight. Only one piece of each file is read into memory at a time,
 * so a 130 MB CSV or 10,000 photos never become one message. The upload id then goes to
 * `dataset:import-upload` or `classify:upload`.
 */
import type { Api } from '../../../shared/api.ts';

/** A file to send and its path relative to what was dropped; `PickedFile` is one (a File is a Blob). */
export interface UploadFile {
  file: Blob;
  relativePath: string;
}

/** Bytes per piece: half of what the contract accepts, a quarter of the socket's message cap. */
export const UPLOAD_PIECE_BYTES = 4 * 1024 * 1024;
/** Requests in flight: enough to keep the socket busy, few enough to bound memory. */
const IN_FLIGHT = 4;

/**
 * Makes relative paths unique, so that two dropped files with the same name both arrive: the second
 * `a.jpg` becomes `a (2).jpg` in the same folder.
 */
export function uniqueRelativePaths(paths: readonly string[]): string[] {
  const taken = new Set<string>();
  return paths.map((original) => {
    let candidate = original;
    const dot = original.lastIndexOf('.');
    const slash = Math.max(original.lastIndexOf('/'), original.lastIndexOf('\\'));
    const [stem, ext] = dot > slash + 1 ? [original.slice(0, dot), original.slice(dot)] : [original, ''];
    for (let n = 2; taken.has(candidate); n++) candidate = `${stem} (${n})${ext}`;
    taken.add(candidate);
    return candidate;
  });
}

/** Uploads the files and resolves with the upload id; on failure the partial upload is dropped. */
export async function uploadFiles(api: Api, files: readonly UploadFile[]): Promise<string> {
  const { uploadId } = await api.invoke('upload:begin');
  const relativePaths = uniqueRelativePaths(files.map((f) => f.relativePath));
  const inFlight: Promise<unknown>[] = [];
  try {
    for (const [index, { file }] of files.entries()) {
      // An empty file still takes one (empty) piece, which creates it.
      for (let offset = 0; offset < Math.max(file.size, 1); offset += UPLOAD_PIECE_BYTES) {
        const data = new Uint8Array(await file.slice(offset, offset + UPLOAD_PIECE_BYTES).arrayBuffer());
        const sent = api.invoke('upload:chunk', { uploadId, relativePath: relativePaths[index], size: file.size, offset, data });
        // Handled when awaited below; this only keeps a later failure from being reported as unhandled meanwhile.
        sent.catch(() => {});
        inFlight.push(sent);
        if (inFlight.length >= IN_FLIGHT) await inFlight.shift();
      }
    }
    await Promise.all(inFlight);
  } catch (error) {
    void api.invoke('upload:discard', { uploadId }).catch(() => {});
    throw error;
  }
  return uploadId;
}
