import { expect, test } from "bun:test";
import { Publisher } from "../../src/realtime/publish.ts";

test("state published as latest is rendered once per delay, however often it is announced", async () => {
  const publisher = new Publisher();
  let renders = 0;
  for (let i = 0; i < 100; i++) publisher.publishLatest("presence:1", "room:1", () => `render ${++renders}`, 5);
  await Bun.sleep(30);
  expect(renders).toBe(1);
  publisher.publishLatest("presence:1", "room:1", () => `render ${++renders}`, 5);
  await Bun.sleep(30);
  expect(renders).toBe(2);
});

test("a deferred render that fails is reported instead of taking the server down, and cancelled ones never run", async () => {
  const errors: unknown[] = [];
  const publisher = new Publisher((error) => errors.push(error));
  publisher.publishLatest(
    "presence:1",
    "room:1",
    () => {
      throw new Error("the database went away");
    },
    1,
  );
  await Bun.sleep(20);
  expect(errors).toHaveLength(1);

  let ran = false;
  publisher.publishLatest("presence:2", "room:2", () => String((ran = true)), 5);
  publisher.cancelPending();
  await Bun.sleep(30);
  expect(ran).toBe(false);
});
