export * from "./conformance.ts";
export * from "./emulators.ts";
export * from "./fixtures.ts";
export * from "./http-emulator.ts";
export * from "./segment.ts";
export * from "./slack.ts";
export * from "./smtp.ts";
export * from "./stripe.ts";
