/** The clock every table's integer millisecond columns use. */
export const now = (): number => Date.now();
