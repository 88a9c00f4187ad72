// Calling a handler as Lambda does: an invocation still running when the function's timeout ends has
// failed ("Task timed out after N seconds"), whatever it does afterwards. Never bundled into a function.
import type { Context } from 'aws-lambda';

/** A Lambda handler as the Node.js runtime calls it. */
export type Handler<E, R> = (event: E, context: Context) => Promise<R>;

/** Timer functions, injectable with a clock (vitest's fake timers work through the defaults too). */
export interface HostTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const globalTimers: HostTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** The invocation outlived the function's timeout. */
export class InvocationTimeout extends Error {
  override readonly name = 'InvocationTimeout';
}

export interface Invocation<E, R> {
  handler: (event: E, context: Context) => Promise<R> | R;
  event: E;
  context: Context;
  /** The function's timeout. */
  timeoutMs: number;
  /** Default the global timers. */
  timers?: HostTimers;
}

/** The handler's answer, or its error; InvocationTimeout when the timeout ends first. */
export function invokeWithTimeout<E, R>({ handler, event, context, timeoutMs, timers = globalTimers }: Invocation<E, R>): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    const timer = timers.setTimeout(() => reject(new InvocationTimeout(`Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`)), timeoutMs);
    // A handler that throws at once fails the invocation as one that rejects does.
    Promise.resolve()
      .then(() => handler(event, context))
      .then(
        (answer) => {
          timers.clearTimeout(timer);
          resolve(answer);
        },
        (error: unknown) => {
          timers.clearTimeout(timer);
          reject(error);
        },
      );
  });
}
