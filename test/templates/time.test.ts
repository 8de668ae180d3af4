import { expect, test } from "bun:test";
import { isoTime } from "../../templates/shared/time.tsx";

test("isoTime writes exactly what toISOString does, across days, years and every millisecond field", () => {
  const samples = [0, 1, 999, 1000, 59_999, 3_599_999, 86_399_999, 86_400_000, 951_782_400_000, 1_764_500_000_123, 4_102_444_799_999];
  for (let i = 0; i < 5000; i++) samples.push(Math.floor(Math.random() * 4_102_444_800_000));
  for (const at of samples) expect(isoTime(at)).toBe(new Date(at).toISOString());
});
