export * from "./http-emulator.ts";
export * from "./slack.ts";
export * from "./smtp.ts";
export * from "./segment.ts";
export * from "./stripe.ts";
