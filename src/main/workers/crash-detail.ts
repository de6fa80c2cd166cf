/**
 * TensorFlow's own log lines (glog format `I0000 00:00:00.000000 …`, and its oneDNN and CPU-feature
 * notices). The tensorflow backend writes them at start-up; they never say why a process died.
 */
const TENSORFLOW_LOG = /^[IWE]\d{4} \d\d:\d\d:\d\d|oneDNN|cpu_feature_guard/;

/**
 * The stderr line that best explains a crash: the last one that mentions an error, else the last one,
 * never TensorFlow's log noise. Null when nothing else was written.
 */
export function crashDetail(stderr: string): string | null {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !TENSORFLOW_LOG.test(l));
  const error = [...lines].reverse().find((l) => /error/i.test(l));
  return error ?? lines.at(-1) ?? null;
}
