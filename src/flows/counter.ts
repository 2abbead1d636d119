// A counting map with a bound on distinct keys, so that memory stays constant however
// many lines stream through: once full, new keys are counted under OTHER.

export const OTHER = '(other)';
export const DEFAULT_MAX_KEYS = 20_000;

export class Counter {
  readonly counts = new Map<string, number>();
  constructor(private readonly maxKeys = DEFAULT_MAX_KEYS) {}

  add(key: string, n = 1): void {
    const c = this.counts.get(key);
    if (c !== undefined) this.counts.set(key, c + n);
    else if (this.counts.size < this.maxKeys) this.counts.set(key, n);
    else this.counts.set(OTHER, (this.counts.get(OTHER) ?? 0) + n);
  }

  get(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  /** Keys by count (descending), ties by key, at most `limit`. */
  top(limit = Infinity): Array<[string, number]> {
    return [...this.counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, limit);
  }

  /** A plain object in descending count order. */
  toObject(): Record<string, number> {
    return Object.fromEntries(this.top());
  }
}
