/**
 * What the desktop app remembers between starts, in a small JSON file in userData: the window's
 * bounds and the last workspace opened. A missing or damaged file means defaults, never a failed start.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export interface DesktopSettings {
  window: WindowBounds;
  /** The workspace chosen with File → Open/New workspace…; `--db` and FASHION_SORTER_DB still win. */
  workspace: string | null;
}

export const DEFAULT_SETTINGS: DesktopSettings = { window: { width: 1280, height: 860, maximized: false }, workspace: null };

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function readDesktopSettings(file: string): DesktopSettings {
  try {
    const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<DesktopSettings>;
    const w = (raw.window ?? {}) as Partial<WindowBounds>;
    return {
      window: {
        x: isNumber(w.x) ? w.x : undefined,
        y: isNumber(w.y) ? w.y : undefined,
        width: isNumber(w.width) && w.width >= 400 ? w.width : DEFAULT_SETTINGS.window.width,
        height: isNumber(w.height) && w.height >= 300 ? w.height : DEFAULT_SETTINGS.window.height,
        maximized: w.maximized === true,
      },
      workspace: typeof raw.workspace === 'string' ? raw.workspace : null,
    };
  } catch {
    return structuredClone(DEFAULT_SETTINGS);
  }
}

/** Writes atomically (temp file, then rename), so a crash never leaves half a file. */
export function writeDesktopSettings(file: string, settings: DesktopSettings): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(settings, null, 2));
  fs.renameSync(temp, file);
}

/** A log file in userData/logs: timestamped lines, appended; the previous run's log is kept as main.old.log. */
export class LogFile {
  readonly folder: string;
  private readonly file: string;

  constructor(folder: string) {
    this.folder = folder;
    this.file = path.join(folder, 'main.log');
    fs.mkdirSync(folder, { recursive: true });
    if (fs.existsSync(this.file)) fs.renameSync(this.file, path.join(folder, 'main.old.log'));
  }

  write(level: 'info' | 'error', message: unknown): void {
    const text = message instanceof Error ? (message.stack ?? message.message) : String(message);
    fs.appendFileSync(this.file, `${new Date().toISOString()} ${level} ${text}\n`);
  }
}
