/**
 * A small LRU bounded by a total weight (bytes for blobs, entry counts for trees).
 * Map iteration order is insertion order, so re-inserting on read keeps the oldest entry first.
 * With `stale`, entries it names (expired tokens) are dropped on read and evicted before live ones.
 */
export class LruCache<V> {
  readonly #entries = new Map<string, { value: V; weight: number }>();
  #total = 0;

  constructor(
    private readonly maxWeight: number,
    private readonly weigh: (value: V, key: string) => number = () => 1,
    private readonly stale?: (value: V) => boolean,
  ) {}

  get(key: string): V | undefined {
    const hit = this.#entries.get(key);
    if (!hit) return undefined;
    if (this.stale?.(hit.value)) {
      this.delete(key);
      return undefined;
    }
    this.#entries.delete(key);
    this.#entries.set(key, hit);
    return hit.value;
  }

  set(key: string, value: V): void {
    const weight = this.weigh(value, key);
    this.delete(key);
    // A value bigger than the whole cache is not kept at all.
    if (weight > this.maxWeight) return;
    this.#entries.set(key, { value, weight });
    this.#total += weight;
    if (this.#total > this.maxWeight && this.stale) {
      for (const [k, e] of this.#entries) if (k !== key && this.stale(e.value)) this.delete(k);
    }
    for (const [k, e] of this.#entries) {
      if (this.#total <= this.maxWeight) break;
      this.#entries.delete(k);
      this.#total -= e.weight;
    }
  }

  delete(key: string): void {
    const old = this.#entries.get(key);
    if (!old) return;
    this.#entries.delete(key);
    this.#total -= old.weight;
  }

  get size(): number {
    return this.#entries.size;
  }

  get weight(): number {
    return this.#total;
  }
}
