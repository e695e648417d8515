/** An unbounded queue whose reader waits for the next item: events pushed by callbacks, read in a loop. */
export class AsyncQueue<T> {
  private readonly items: T[] = [];
  private waiter: ((item: T) => void) | null = null;

  /** Adds an item, waking the reader if it waits. */
  push(item: T): void {
    const waiter = this.waiter;
    if (waiter) {
      this.waiter = null;
      waiter(item);
    } else this.items.push(item);
  }

  /** The next item, waiting for one if none is queued (one reader at a time). */
  next(): Promise<T> {
    const item = this.items.shift();
    if (item !== undefined) return Promise.resolve(item);
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }
}
