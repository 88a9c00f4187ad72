// Answers kept per key for the life of the container, each asked for once: whoever asks while the
// first ask is in flight shares it, and what the answer deserves decides how long it is kept (a
// failure worth asking again is forgotten as soon as it arrives).

/** How long an answer is kept, in ms: Infinity for the container's life, 0 (or less) not at all. */
export type KeepFor<T> = (answer: T) => number;

export interface SingleFlight<T> {
  /** The kept answer for `key`, the one in flight, or a new ask through `ask`. */
  get(key: string, ask: () => Promise<T>): Promise<T>;
}

export function singleFlight<T>(keepFor: KeepFor<T>, now: () => number = Date.now): SingleFlight<T> {
  const entries = new Map<string, { readonly answer: Promise<T>; until: number }>();
  const forget = (key: string, entry: { readonly answer: Promise<T> }) => {
    if (entries.get(key) === entry) entries.delete(key);
  };
  return {
    get(key, ask) {
      const kept = entries.get(key);
      if (kept && kept.until > now()) return kept.answer;
      const entry = { answer: ask(), until: Infinity };
      entries.set(key, entry);
      entry.answer.then(
        (answer) => {
          const ms = keepFor(answer);
          if (ms > 0) entry.until = now() + ms;
          else forget(key, entry);
        },
        // A throw is no answer: the next ask tries afresh (the asker sees the throw itself).
        () => forget(key, entry),
      );
      return entry.answer;
    },
  };
}
