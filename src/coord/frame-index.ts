/**
 * FrameIndex: the process-local page-to-frame index of one WAL generation.
 *
 * Entries `(page, frame)` are appended in strictly increasing frame order (the
 * writer appends each frame as it is written). Two structures answer queries
 * without scanning the log:
 *  - the append log (`pages[i]`, `frames[i]`, frames sorted), for "which pages
 *    changed between two frames" and for trimming from the end;
 *  - per page, the ascending list of its frames, so "newest frame of page P at
 *    or below M" is a binary search over that page's own history.
 * Never overflows: memory grows with the WAL, which checkpoints keep bounded.
 */

export class FrameIndex {
  private pages = new Uint32Array(1024);
  private frames = new Float64Array(1024);
  private length = 0;
  private readonly framesByPage = new Map<number, number[]>();

  /** Records that `frame` holds `pgno`; `frame` must exceed every frame already held. */
  append(pgno: number, frame: number): void {
    if (this.length > 0 && this.frames[this.length - 1]! >= frame) {
      throw new Error(`frame index append out of order: frame ${frame} after ${this.frames[this.length - 1]}`);
    }
    if (this.length === this.pages.length) this.grow();
    this.pages[this.length] = pgno;
    this.frames[this.length] = frame;
    this.length += 1;
    const history = this.framesByPage.get(pgno);
    if (history === undefined) this.framesByPage.set(pgno, [frame]);
    else history.push(frame);
  }

  /** Drops every entry whose frame exceeds `maxFrame`. */
  trim(maxFrame: number): void {
    while (this.length > 0 && this.frames[this.length - 1]! > maxFrame) {
      this.length -= 1;
      const pgno = this.pages[this.length]!;
      const history = this.framesByPage.get(pgno)!;
      history.pop();
      if (history.length === 0) this.framesByPage.delete(pgno);
    }
  }

  /** Drops every entry. */
  clear(): void {
    this.length = 0;
    this.framesByPage.clear();
  }

  /** Newest frame of `pgno` within `[minFrame, maxFrame]`, or 0. */
  find(pgno: number, minFrame: number, maxFrame: number): number {
    const history = this.framesByPage.get(pgno);
    if (history === undefined) return 0;
    let lo = 0;
    let hi = history.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (history[mid]! <= maxFrame) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0) return 0;
    const frame = history[lo - 1]!;
    return frame >= minFrame ? frame : 0;
  }

  /** Distinct pages with a frame in `(afterFrame, upToFrame]`, in first-write order. */
  pagesBetween(afterFrame: number, upToFrame: number): number[] {
    const seen = new Set<number>();
    for (let i = this.firstEntryAbove(afterFrame); i < this.length && this.frames[i]! <= upToFrame; i++) {
      seen.add(this.pages[i]!);
    }
    return [...seen];
  }

  /** Newest frame of each page within `[minFrame, maxFrame]`, sorted by page. */
  latest(minFrame: number, maxFrame: number): Array<readonly [number, number]> {
    const result: Array<readonly [number, number]> = [];
    for (const pgno of this.pagesBetween(minFrame - 1, maxFrame)) {
      result.push([pgno, this.find(pgno, minFrame, maxFrame)]);
    }
    result.sort((a, b) => a[0] - b[0]);
    return result;
  }

  private firstEntryAbove(frame: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.frames[mid]! <= frame) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private grow(): void {
    const pages = new Uint32Array(this.pages.length * 2);
    pages.set(this.pages);
    this.pages = pages;
    const frames = new Float64Array(this.frames.length * 2);
    frames.set(this.frames);
    this.frames = frames;
  }
}
