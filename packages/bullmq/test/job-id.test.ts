// Job ids: BullMQ refuses a `:` in a custom id and an id of digits alone; each (dispatch, recipe) pair
// must map to one id, and no two pairs to the same one.
import { describe, expect, it } from "vitest";
import { recipeJobId } from "../src/index.ts";

describe("recipeJobId", () => {
  it("leaves a UUID and a plain recipe name as they are", () => {
    const dispatchId = "0b6f2c1e-7d4a-4a8e-9f3b-2c5d6e7f8a9b";
    expect(recipeJobId(dispatchId, "welcome-email")).toBe(`${dispatchId}.welcome-email`);
    expect(recipeJobId("123", "456")).toBe("123.456");
  });

  it("encodes what BullMQ or the separator would misread, and keeps every pair apart", () => {
    const pairs: Array<[string, string]> = [
      ["a.b", "c"],
      ["a", "b.c"],
      ["a:b", "c"],
      ["a~3Ab", "c"],
      ["a%3Ab", "c"],
      ["", "a.b"],
      [".", ""],
      ["ünï", "cödé"],
      ["a b", "c"],
    ];
    const ids = pairs.map(([dispatchId, recipe]) => recipeJobId(dispatchId, recipe));
    for (const id of ids) {
      expect(id).not.toContain(":");
      expect(id).not.toMatch(/^\d+$/);
      // One separator: the parts hold no dot of their own.
      expect(id.split(".")).toHaveLength(2);
    }
    expect(new Set(ids).size).toBe(pairs.length);
    expect(recipeJobId("a:b", "c")).toBe(recipeJobId("a:b", "c"));
  });
});
