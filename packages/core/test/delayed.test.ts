import { describe, expect, it } from "vitest";
import { composeEvents } from "../src/index.ts";
import { refuseDelayed } from "../src/kit/index.ts";

const noop = async () => {};

describe("a delayed recipe in composeEvents", () => {
  it("is refused at configuration time, with an error that says to put it in enqueueRecipes", () => {
    const tips = { name: "tips-email", events: { createUser: noop }, delayMs: 259_200_000 };
    expect(() => composeEvents([{ name: "welcome", events: { createUser: noop } }, tips])).toThrow(
      TypeError,
    );
    expect(() => composeEvents([tips])).toThrow(
      /^\[auth-recipes\/core\] recipe "tips-email" is delayed \(delayMs: 259200000\).*enqueueRecipes/,
    );
  });

  it("refuses a delay of 0 too: the mark, not its length, says where the recipe runs", () => {
    expect(() =>
      composeEvents([{ name: "now", events: { createUser: noop }, delayMs: 0 }]),
    ).toThrow(/recipe "now" is delayed/);
  });

  it("leaves recipes without a delay, plain events objects and falsy entries alone", () => {
    expect(() =>
      composeEvents([{ name: "a", events: { createUser: noop } }, { signIn: noop }, false, null]),
    ).not.toThrow();
    expect(() => refuseDelayed([{ name: "a", events: {}, delayMs: undefined }], "x")).not.toThrow();
  });

  it("names the host's package in the kit helper's error", () => {
    expect(() => refuseDelayed([{ name: "tips", events: {}, delayMs: 5 }], "better-auth")).toThrow(
      /^\[auth-recipes\/better-auth\] recipe "tips" is delayed/,
    );
  });
});
