/**
 * A small LRU bounded by a total weight (bytes for blobs, entry counts for trees).
 * Map iteration order is insertion order, so re-inserting on read keeps the oldest entry first.
 */
export class LruCache<V> {
  readonly #entries = new Map<string, { value: V; weight: number }>();
  #total = 0;

  constructor(
    private readonly maxWeight: number,
    private readonly weigh: (value: V) => number = () => 1,
  ) {}

  get(key: string): V | undefined {
    const hit = this.#entries.get(key);
    if (!hit) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, hit);
    return hit.value;
  }

  set(key: string, value: V): void {
    const weight = this.weigh(value);
    this.delete(key);
    // A value bigger than the whole cache is not kept at all.
    if (weight > this.maxWeight) return;
    this.#entries.set(key, { value, weight });
    this.#total += weight;
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
