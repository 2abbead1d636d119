// Every file kec node reads or writes goes through a root directory: "/" on the node,
// or the tree given with --root (offline image inspection, tests).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export class FsRoot {
  readonly root: string;
  constructor(root = '/') {
    this.root = resolve(root);
  }
  get isHost(): boolean {
    return this.root === '/';
  }
  /** Absolute path on this machine for a path as the node sees it ("/etc/fstab"). */
  path(p: string): string {
    return this.isHost ? p : join(this.root, p);
  }
  readText(p: string): string | undefined {
    try {
      return readFileSync(this.path(p), 'utf8');
    } catch {
      return undefined;
    }
  }
  readBytes(p: string): Buffer | undefined {
    try {
      return readFileSync(this.path(p));
    } catch {
      return undefined;
    }
  }
  list(p: string): string[] | undefined {
    try {
      return readdirSync(this.path(p)).sort();
    } catch {
      return undefined;
    }
  }
  isFile(p: string): boolean {
    try {
      return statSync(this.path(p)).isFile();
    } catch {
      return false;
    }
  }
}
