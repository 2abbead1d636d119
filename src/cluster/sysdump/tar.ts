// A minimal tar.gz writer: POSIX ustar headers for regular files, gzip by node:zlib,
// streamed to a file. Enough for sysdump archives; GNU/BSD tar extract them.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import type { Gzip } from 'node:zlib';

const BLOCK = 512;

function octal(n: number, width: number): string {
  // width includes the terminating NUL
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

/** Splits a path into ustar prefix (<= 155 bytes) and name (<= 100 bytes). */
export function splitName(path: string): { prefix: string; name: string } {
  if (Buffer.byteLength(path) <= 100) return { prefix: '', name: path };
  for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name !== '') return { prefix, name };
  }
  throw new Error(`path too long for a ustar archive: ${path}`);
}

export function tarHeader(path: string, size: number, mtime: number, mode = 0o644): Buffer {
  const h = Buffer.alloc(BLOCK, 0);
  const { prefix, name } = splitName(path);
  h.write(name, 0, 100, 'utf8');
  h.write(octal(mode, 8), 100, 8, 'ascii');
  h.write(octal(0, 8), 108, 8, 'ascii');
  h.write(octal(0, 8), 116, 8, 'ascii');
  h.write(octal(size, 12), 124, 12, 'ascii');
  h.write(octal(Math.floor(mtime / 1000), 12), 136, 12, 'ascii');
  h.write('        ', 148, 8, 'ascii'); // checksum field counts as spaces
  h.write('0', 156, 1, 'ascii');
  h.write('ustar\0', 257, 6, 'ascii');
  h.write('00', 263, 2, 'ascii');
  h.write('root', 265, 32, 'ascii');
  h.write('root', 297, 32, 'ascii');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return h;
}

export class TarGzWriter {
  private readonly gz: Gzip;
  private readonly done: Promise<void>;
  private readonly names = new Set<string>();

  constructor(
    file: string,
    private readonly mtime = Date.now(),
  ) {
    this.gz = createGzip();
    const out = createWriteStream(file, { mode: 0o600 });
    this.gz.pipe(out);
    this.done = new Promise((resolve, reject) => {
      out.on('finish', resolve);
      out.on('error', reject);
      this.gz.on('error', reject);
    });
  }

  private async write(b: Buffer): Promise<void> {
    if (!this.gz.write(b)) await once(this.gz, 'drain');
  }

  /** Adds a regular file; a repeated name gets a numeric suffix. */
  async add(path: string, content: string | Buffer): Promise<string> {
    let name = path.replace(/^\/+/, '');
    for (let i = 2; this.names.has(name); i++) name = path.replace(/(\.[^./]+)?$/, `-${i}$1`);
    this.names.add(name);
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    await this.write(tarHeader(name, data.length, this.mtime));
    await this.write(data);
    const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
    if (pad) await this.write(Buffer.alloc(pad, 0));
    return name;
  }

  /** Two zero blocks end the archive; resolves when the file is written. */
  async close(): Promise<void> {
    await this.write(Buffer.alloc(BLOCK * 2, 0));
    this.gz.end();
    await this.done;
  }
}
