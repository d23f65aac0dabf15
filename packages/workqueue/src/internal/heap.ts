/** An entry of the delaying queue's min-heap, ordered by readyAt then insertion. */
export interface HeapEntry<T> {
  item: T;
  key: unknown;
  readyAt: number;
  seq: number;
  index: number;
}

function less(a: HeapEntry<unknown>, b: HeapEntry<unknown>): boolean {
  return a.readyAt < b.readyAt || (a.readyAt === b.readyAt && a.seq < b.seq);
}

/** Binary min-heap that keeps each entry's index so an entry can be moved in O(log n). */
export class EntryHeap<T> {
  private readonly a: HeapEntry<T>[] = [];

  get length(): number {
    return this.a.length;
  }

  peek(): HeapEntry<T> | undefined {
    return this.a[0];
  }

  push(e: HeapEntry<T>): void {
    e.index = this.a.length;
    this.a.push(e);
    this.up(e.index);
  }

  pop(): HeapEntry<T> | undefined {
    const a = this.a;
    const top = a[0];
    if (top === undefined) return undefined;
    const last = a.pop() as HeapEntry<T>;
    if (a.length > 0) {
      a[0] = last;
      last.index = 0;
      this.down(0);
    }
    top.index = -1;
    return top;
  }

  /** Restores order after entry at `i` got an earlier readyAt. */
  fix(i: number): void {
    if (!this.up(i)) this.down(i);
  }

  clear(): void {
    this.a.length = 0;
  }

  private up(i: number): boolean {
    const a = this.a;
    const e = a[i] as HeapEntry<T>;
    const start = i;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pe = a[p] as HeapEntry<T>;
      if (!less(e, pe)) break;
      a[i] = pe;
      pe.index = i;
      i = p;
    }
    a[i] = e;
    e.index = i;
    return i !== start;
  }

  private down(i: number): void {
    const a = this.a;
    const n = a.length;
    const e = a[i] as HeapEntry<T>;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n && less(a[r] as HeapEntry<T>, a[l] as HeapEntry<T>)) c = r;
      const ce = a[c] as HeapEntry<T>;
      if (!less(ce, e)) break;
      a[i] = ce;
      ce.index = i;
      i = c;
    }
    a[i] = e;
    e.index = i;
  }
}
