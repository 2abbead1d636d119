// Every file kec node reads or writes goes through a root directory: "/" on the node,
// or the tree given with --root (offline image inspection, tests).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError } from '../errors.ts';

export class FsRoot {
  readonly root: string;
  constructor(root = '/') {
    this.root = resolve(root);
    if (this.root !== '/') {
      let st: ReturnType<typeof statSync> | undefined;
      try {
        st = statSync(this.root);
      } catch {
        throw new InputError(`--root ${root}: no such directory`);
      }
      if (!st.isDirectory())
        throw new InputError(`--root ${root}: not a directory (give the root of a node's file tree)`);
    }
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
