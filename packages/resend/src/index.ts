export { ResendError } from "./errors.ts";
export { resendTransport } from "./resend-transport.ts";
