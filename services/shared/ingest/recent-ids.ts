/**
 * The importer's memory of the event ids it published in a run, so a file that repeats a record
 * publishes it once: a bounded set that forgets its oldest ids first.
 *
 * Event ids are 32 hex digits (services/shared/event-id.ts), so each is kept as four 32-bit words
 * in a typed-array ring, indexed by an open-addressing table of ring slots. Its memory is fixed by
 * the limit (24 bytes per id: 16 in the ring, 8 in a table at most half full) instead of growing
 * with the strings and Set entries of the ids seen: 2M ids take 48 MB, where a Set of their
 * strings took about 200 MB and kept the garbage collector busy. The arrays are allocated and
 * written once, when the importer starts.
 */

/** The value of each lowercase hex digit by character code; -1 for any other character. */
const HEX_VALUE = new Int8Array(128).fill(-1);
for (let c = 0; c < 16; c++) HEX_VALUE[c.toString(16).charCodeAt(0)] = c;

/** The 32-bit word of the 8 hex digits of `id` from `from`, or -1 when one is not a hex digit. */
function hexWord(id: string, from: number): number {
  let w = 0;
  for (let i = from; i < from + 8; i++) {
    const v = HEX_VALUE[id.charCodeAt(i) & 127] as number;
    if (v < 0 || id.charCodeAt(i) > 127) return -1;
    w = (w << 4) | v;
  }
  return w >>> 0;
}

export class RecentIds {
  /** Four words per slot, in the order of the id's hex digits. */
  private readonly ring: Uint32Array;
  /** Ring slot + 1 per bucket; 0 is an empty bucket. */
  private readonly table: Int32Array;
  private readonly mask: number;
  private readonly limit: number;
  private size = 0;
  /** The oldest slot once the ring is full: the next to be forgotten. */
  private next = 0;
  // The words of the id being looked up (no allocation per call); has() then add() of one id parse it once.
  private parsed: string | undefined;
  private w0 = 0;
  private w1 = 0;
  private w2 = 0;
  private w3 = 0;

  constructor(limit: number) {
    this.limit = Math.max(1, Math.floor(limit));
    this.ring = new Uint32Array(this.limit * 4);
    let buckets = 2;
    while (buckets < this.limit * 2) buckets *= 2;
    this.table = new Int32Array(buckets);
    this.mask = buckets - 1;
    // Written once now, so the pages are the process's from the start: an import's memory is
    // the same after its first rows as after its last, instead of creeping up while the ring fills.
    this.ring.fill(0);
    this.table.fill(0);
  }

  /** How many ids it remembers now (at most the limit). */
  get count(): number {
    return this.size;
  }

  has(id: string): boolean {
    this.parse(id);
    return this.find() >= 0;
  }

  /** Remembers `id`, forgetting the oldest id when full. An id it remembers already stays where it is. */
  add(id: string): void {
    this.parse(id);
    if (this.find() >= 0) return;
    let slot: number;
    if (this.size < this.limit) {
      slot = this.size++;
    } else {
      slot = this.next;
      this.remove(slot);
      this.next = (this.next + 1) % this.limit;
    }
    const at = slot * 4;
    this.ring[at] = this.w0;
    this.ring[at + 1] = this.w1;
    this.ring[at + 2] = this.w2;
    this.ring[at + 3] = this.w3;
    let b = this.home(slot);
    while (this.table[b] !== 0) b = (b + 1) & this.mask;
    this.table[b] = slot + 1;
  }

  private parse(id: string): void {
    if (id === this.parsed) return;
    const w0 = id.length === 32 ? hexWord(id, 0) : -1;
    const w1 = w0 < 0 ? -1 : hexWord(id, 8);
    const w2 = w1 < 0 ? -1 : hexWord(id, 16);
    const w3 = w2 < 0 ? -1 : hexWord(id, 24);
    if (w3 < 0)
      throw new TypeError(`not an event id (32 lowercase hex digits): ${JSON.stringify(id.slice(0, 64))}`);
    this.w0 = w0;
    this.w1 = w1;
    this.w2 = w2;
    this.w3 = w3;
    this.parsed = id;
  }

  /** The bucket an id's probe starts at: event ids are hash prefixes, so their words are uniform. */
  private home(slot: number): number {
    return ((this.ring[slot * 4] as number) ^ (this.ring[slot * 4 + 3] as number)) & this.mask;
  }

  /** The bucket holding the parsed id, or -1. */
  private find(): number {
    let b = (this.w0 ^ this.w3) & this.mask;
    for (;;) {
      const entry = this.table[b] as number;
      if (entry === 0) return -1;
      const at = (entry - 1) * 4;
      if (
        this.ring[at] === this.w0 &&
        this.ring[at + 1] === this.w1 &&
        this.ring[at + 2] === this.w2 &&
        this.ring[at + 3] === this.w3
      )
        return b;
      b = (b + 1) & this.mask;
    }
  }

  /**
   * Takes `slot` out of the table, shifting later entries of its probe run back so that every
   * remaining id is still found from its home bucket (no tombstones to pile up).
   */
  private remove(slot: number): void {
    let hole = this.home(slot);
    while (this.table[hole] !== slot + 1) hole = (hole + 1) & this.mask;
    let j = hole;
    for (;;) {
      j = (j + 1) & this.mask;
      const entry = this.table[j] as number;
      if (entry === 0) break;
      const k = this.home(entry - 1);
      // The entry at j may move to the hole when its home is not cyclically within (hole, j].
      const movable = hole <= j ? k <= hole || k > j : k <= hole && k > j;
      if (movable) {
        this.table[hole] = entry;
        hole = j;
      }
    }
    this.table[hole] = 0;
  }
}
