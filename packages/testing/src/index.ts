export * from "./http-emulator.ts";
