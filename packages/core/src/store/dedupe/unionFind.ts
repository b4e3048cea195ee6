/** Disjoint sets over string keys (path halving, union by size). */
export class UnionFind {
  readonly #parent = new Map<string, string>();
  readonly #size = new Map<string, number>();

  find(x: string): string {
    if (!this.#parent.has(x)) {
      this.#parent.set(x, x);
      this.#size.set(x, 1);
      return x;
    }
    let r = x;
    for (;;) {
      const p = this.#parent.get(r) as string;
      if (p === r) return r;
      const gp = this.#parent.get(p) as string;
      this.#parent.set(r, gp);
      r = gp;
    }
  }

  union(a: string, b: string): void {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return;
    if ((this.#size.get(ra) as number) < (this.#size.get(rb) as number)) [ra, rb] = [rb, ra];
    this.#parent.set(rb, ra);
    this.#size.set(ra, (this.#size.get(ra) as number) + (this.#size.get(rb) as number));
  }

  /** The sets with more than one member, each sorted, ordered by their first member. */
  groups(): string[][] {
    const by = new Map<string, string[]>();
    for (const x of this.#parent.keys()) {
      const r = this.find(x);
      const g = by.get(r);
      if (g) g.push(x);
      else by.set(r, [x]);
    }
    return [...by.values()]
      .filter((g) => g.length > 1)
      .map((g) => g.sort())
      .sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1));
  }
}
