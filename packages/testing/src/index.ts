export * from "./http-emulator.ts";
export * from "./slack.ts";
