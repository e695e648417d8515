/** Resolves on a later macrotask, so that messages (e.g. a cancel) queued meanwhile are handled. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Throws a DOMException named `AbortError` if `signal` has been aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new DOMException('The run was cancelled', 'AbortError');
}

/** True for the error {@link throwIfAborted} throws. */
export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}
