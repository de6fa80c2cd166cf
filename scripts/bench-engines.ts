/**
 * The app's training against PyTorch and Keras on the same CPU, in one run: every engine trains the
 * app's default MLP and CNN recipe (layers, batch size, Adam and its learning rate, data in memory), each
 * in its own process, one epoch at a time in turn, so that the machine's load falls on all of them alike.
 * After one warm-up epoch each, `rounds` epochs are timed per engine; the medians and their ratios to
 * PyTorch's (the faster of its two ways of waiting, see PYTORCH_PEERS) are reported.
 *
 * The app trains through `trainModel` (scripts/bench-engine-app.ts), the peers are scripts/peers/*.py;
 * the recipe comes from the app's own model, so a changed default model changes the peers with it. The
 * peers need a Python with torch or keras: `npm run setup:peers` makes one in .bench/venv
 * (FASHION_SORTER_PEER_PYTHON overrides it). Without one, only the app's backends are timed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { initBackend, type BackendName } from '../src/main/ml/backend.ts';
import { buildModel, inputShape, modelDefaults } from '../src/main/ml/models.ts';
import type { ModelKind } from '../src/shared/types.ts';
import { FASHION_MNIST_DIR } from '../test/fashion-data.ts';
import { median, withFashionWorkspace } from './bench-util.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const APP_ENGINE = path.join(ROOT, 'scripts/bench-engine-app.ts');
/**
 * PyTorch runs twice, as its OpenMP threads wait at barriers either way (torch_peer.py): ratios are to
 * the faster of the two, PyTorch at its best on the machine as it is. Neither spins between epochs, so
 * neither takes a core from the engine timed next.
 */
const PYTORCH_PEERS = ['pytorch', 'pytorch-passive'];
const TORCH_PEER = { script: 'scripts/peers/torch_peer.py', module: 'torch' };
const PEERS: Record<string, { script: string; module: string; waitPolicy?: string }> = {
  pytorch: TORCH_PEER,
  'pytorch-passive': { ...TORCH_PEER, waitPolicy: 'PASSIVE' },
  keras: { script: 'scripts/peers/keras_peer.py', module: 'keras' },
};

/** The environment of a peer: OpenMP's wait policy as the peer asks, whatever this shell set. */
function peerEnvironment(waitPolicy: string | undefined): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.OMP_WAIT_POLICY;
  delete env.GOMP_SPINCOUNT;
  if (waitPolicy) env.OMP_WAIT_POLICY = waitPolicy;
  return env;
}

/** The Python that has the peers' libraries, or null. */
function peerPython(): string | null {
  const candidate = process.env.FASHION_SORTER_PEER_PYTHON ?? path.join(ROOT, '.bench/venv/bin/python');
  return fs.existsSync(candidate) || process.env.FASHION_SORTER_PEER_PYTHON ? candidate : null;
}

function hasModule(python: string, module: string): boolean {
  return spawnSync(python, ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0;
}

interface EpochReply {
  seconds: number;
  loss: number;
  accuracy: number;
}

/** One engine process speaking the line protocol (ready line, then one reply per "epoch"). */
class Engine {
  readonly name: string;
  description = '';
  private readonly child: ChildProcess;
  private readonly replies: ((line: string) => void)[] = [];
  private readonly early: string[] = [];
  private stderr = '';

  constructor(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
    this.name = name;
    this.child = spawn(command, args, { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-4000)));
    readline.createInterface({ input: this.child.stdout! }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      const waiting = this.replies.shift();
      if (waiting) waiting(line);
      else this.early.push(line);
    });
    this.child.once('exit', (code) => {
      for (const waiting of this.replies.splice(0)) waiting(JSON.stringify({ error: `${name} exited (code ${code}): ${this.stderr.trim().split('\n').slice(-3).join(' | ')}` }));
    });
  }

  private next(): Promise<Record<string, unknown>> {
    const line = this.early.shift();
    const text = line !== undefined ? Promise.resolve(line) : new Promise<string>((resolve) => this.replies.push(resolve));
    return text.then((t) => {
      const message = JSON.parse(t) as Record<string, unknown>;
      if (message.error) throw new Error(String(message.error));
      return message;
    });
  }

  async ready(): Promise<void> {
    const message = await this.next();
    this.description = String(message.engine ?? this.name);
  }

  async epoch(): Promise<EpochReply> {
    this.child.stdin!.write('epoch\n');
    return (await this.next()) as unknown as EpochReply;
  }

  close(): void {
    if (this.child.exitCode === null) {
      this.child.stdin!.end('quit\n');
      setTimeout(() => this.child.kill(), 5000).unref();
    }
  }
}

/** The app's default model of a kind as the peers read it: input shape, layers, batch size, learning rate. */
function recipe(kind: ModelKind): object {
  const model = buildModel(kind, 1);
  const layers = model.layers.map((layer) => ({ className: layer.getClassName(), config: layer.getConfig() }));
  model.dispose();
  return { kind, inputShape: inputShape(kind), batchSize: modelDefaults(kind, 'wasm').batchSize, learningRate: modelDefaults(kind, 'wasm').learningRate, layers };
}

export interface EngineFigures {
  engine: string;
  secondsPerEpoch?: number;
  runs?: number[];
  /** To the faster of PyTorch's two ways of waiting (PYTORCH_PEERS). */
  ratioToPyTorch?: number | null;
  /** Keras on the same TensorFlow library: PyTorch's threads suffer more when the machine is loaded. */
  ratioToKeras?: number | null;
  lastLoss?: number;
  unavailable?: string;
}

/**
 * Times every engine on both models. `cnnImages` limits the CNN's epoch (null: all 60,000); the MLP
 * always trains on all of them.
 */
export async function benchEngines(options: { backends: BackendName[]; rounds: number; cnnImages: number | null }): Promise<Record<string, unknown>> {
  const python = peerPython();
  // Only to build the recipes here; the engines train in their own processes.
  await initBackend('cpu');
  return withFashionWorkspace('engines', async (_backend, dir) => {
    const dbPath = path.join(dir, 'workspace.db');
    const results: Record<string, unknown> = { rounds: options.rounds, python: python ?? 'none (npm run setup:peers)' };
    for (const kind of ['mlp', 'cnn'] as const) {
      const limit = kind === 'cnn' && options.cnnImages ? options.cnnImages : null;
      const recipeFile = path.join(dir, `${kind}-recipe.json`);
      fs.writeFileSync(recipeFile, JSON.stringify(recipe(kind)));
      const engines: Engine[] = [];
      const figures: EngineFigures[] = [];
      for (const backend of options.backends) {
        engines.push(new Engine(`app-${backend}`, process.execPath, [APP_ENGINE, backend, kind, dbPath, ...(limit ? [String(limit)] : [])]));
      }
      for (const [name, peer] of Object.entries(PEERS)) {
        if (python && hasModule(python, peer.module)) engines.push(new Engine(name, python, [peer.script, recipeFile, FASHION_MNIST_DIR, ...(limit ? [String(limit)] : [])], peerEnvironment(peer.waitPolicy)));
        else figures.push({ engine: name, unavailable: python ? `${python} has no ${peer.module}` : 'no Python venv: npm run setup:peers' });
      }
      const loadAtStart = os.loadavg()[0];
      const live: Engine[] = [];
      for (const engine of engines) {
        try {
          await engine.ready();
          await engine.epoch(); // warm-up
          live.push(engine);
        } catch (error) {
          figures.push({ engine: engine.name, unavailable: (error as Error).message });
          engine.close();
        }
      }
      const runs = new Map<Engine, EpochReply[]>(live.map((e) => [e, []]));
      for (let round = 0; round < options.rounds; round++) {
        for (const engine of live) runs.get(engine)!.push(await engine.epoch());
      }
      live.forEach((e) => e.close());
      const torchMedians = live.filter((e) => PYTORCH_PEERS.includes(e.name)).map((e) => median(runs.get(e)!.map((r) => r.seconds)));
      const torchSeconds = torchMedians.length > 0 ? Math.min(...torchMedians) : null;
      const keras = live.find((e) => e.name === 'keras');
      const kerasSeconds = keras ? median(runs.get(keras)!.map((r) => r.seconds)) : null;
      for (const engine of live) {
        const seconds = runs.get(engine)!.map((r) => Number(r.seconds.toFixed(3)));
        const secondsPerEpoch = median(seconds);
        figures.push({
          engine: `${engine.name} (${engine.description})`,
          secondsPerEpoch,
          runs: seconds,
          ratioToPyTorch: torchSeconds ? Number((secondsPerEpoch / torchSeconds).toFixed(2)) : null,
          ratioToKeras: kerasSeconds ? Number((secondsPerEpoch / kerasSeconds).toFixed(2)) : null,
          lastLoss: Number(runs.get(engine)!.at(-1)!.loss.toFixed(4)),
        });
      }
      const load = [loadAtStart, os.loadavg()[0]].map((l) => Number(l.toFixed(1)));
      results[kind] = { images: limit ?? 60000, batchSize: modelDefaults(kind, 'wasm').batchSize, loadAverage: load, engines: figures };
      printTable(kind, limit ?? 60000, load, figures);
    }
    return results;
  });
}

/** A readable table on stderr, as each model finishes (the JSON report comes at the end, on stdout). */
function printTable(kind: ModelKind, images: number, load: number[], figures: EngineFigures[]): void {
  const lines = [`\n${kind.toUpperCase()}, ${images} images, batch ${modelDefaults(kind, 'wasm').batchSize}, load average ${load.join(' → ')}: seconds per epoch (median), ratio to PyTorch, ratio to Keras`];
  for (const f of figures) {
    lines.push(f.unavailable ? `  ${f.engine.padEnd(66)} unavailable: ${f.unavailable}` : `  ${f.engine.padEnd(66)} ${f.secondsPerEpoch!.toFixed(3).padStart(8)} s  ${f.ratioToPyTorch === null ? '' : `${f.ratioToPyTorch!.toFixed(2)}×`}  ${f.ratioToKeras === null ? '' : `${f.ratioToKeras!.toFixed(2)}×`}`);
  }
  process.stderr.write(`${lines.join('\n')}\n`);
}
