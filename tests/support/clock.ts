// A clock a test moves by hand: `now` for the code under test, `advance` for the test.
export function manualClock(start = 1_700_000_000_000) {
  let t = start;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
  };
}
