// Progress for a person watching: one line on stderr rewritten in place (a carriage return, then
// the new text padded over the old), only when stderr is a terminal, never on stdout. Any other
// line written to stderr first ends the progress line, so the two never share a line.

export interface StderrLines {
  /** A whole line (its text already safe for a terminal). */
  line(text: string): void;
  /** Replaces the progress line; nothing when stderr is not a terminal. */
  progress(text: string): void;
  /** Ends the progress line, if one is showing. */
  end(): void;
}

export function stderrLines(write: (text: string) => void, options: { readonly terminal: boolean }): StderrLines {
  let shown = 0;
  const end = () => {
    if (shown === 0) return;
    write('\n');
    shown = 0;
  };
  return {
    line(text) {
      end();
      write(`${text}\n`);
    },
    progress(text) {
      if (!options.terminal) return;
      write(`\r${text.padEnd(shown)}`);
      // The line is as long as the longest text written on it.
      shown = Math.max(shown, text.length, 1);
    },
    end,
  };
}
