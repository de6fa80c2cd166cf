/**
 * The parts of the wasm backend our kernels use. In its own file so that the kernel files import this
 * type, not each other (wasm-kernels.ts installs the others; they need only the type).
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';

export interface WasmBackendLike {
  disposeData(dataId: object): boolean;
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
  readSync(dataId: object): ArrayLike<number>;
}
