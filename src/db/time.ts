// The clock behind every millisecond column and every rule that compares against one (presence's
// 60 s, a session's activity refresh, the sign-in window). Tests set it to cross minutes in an
// instant without faking the process's Date, which timers, logs and the tests' own deadlines still read.
let clock: () => number = Date.now;

export const now = (): number => clock();

/** For tests: `now()` answers from `read` until `useRealClock()`, e.g. `setClock(() => start + 60_000)`. */
export function setClock(read: () => number): void {
  clock = read;
}

export function useRealClock(): void {
  clock = Date.now;
}
