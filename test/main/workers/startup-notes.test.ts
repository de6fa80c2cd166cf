import { describe, expect, it } from 'vitest';
import { isTensorflowStartupNote } from '../../../src/main/workers/node-launcher.ts';

describe("TensorFlow's start-up notes on the training process's stderr", () => {
  it('are dropped: the INFO lines, absl\'s note about them, and the CPU-feature continuation', () => {
    for (const line of [
      'WARNING: All log messages before absl::InitializeLog() is called are written to STDERR',
      'I0000 00:00:1795615148.324375   28635 port.cc:153] oneDNN custom operations are on. You may see slightly different numerical results.',
      'I0000 00:00:1795613849.942452   18935 cpu_feature_guard.cc:227] This TensorFlow binary is optimized to use available CPU instructions in performance-critical operations.',
      'To enable the following instructions: AVX2 AVX512F AVX512_VNNI AVX512_BF16 AVX_VNNI FMA, in other operations, rebuild TensorFlow with the appropriate compiler flags.',
    ]) {
      expect(isTensorflowStartupNote(line)).toBe(true);
    }
  });

  it("keep TensorFlow's warnings and errors, and everything else the process says", () => {
    for (const line of [
      'W0000 00:00:1795615148.324375   28635 op_kernel.cc:1830] OP_REQUIRES failed at matmul_op.cc',
      'E0000 00:00:1795615148.324375   28635 cuda_driver.cc:152] failed call to cuInit',
      'Error: Training replica 2 of 2 stopped (exit code 1).',
      'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory',
      'I think this line is ours',
    ]) {
      expect(isTensorflowStartupNote(line)).toBe(false);
    }
  });
});
