// What fail() and hang() mean in SMTP: a reply code at a stage of the exchange, and the stage from
// which the emulator stops answering.
import { prefixed } from "@auth-recipes/core/kit";
import type { SmtpFailOptions, SmtpHangOptions, SmtpStage } from "./types.ts";

/** The stages in the order an exchange reaches them. */
export const STAGES: readonly SmtpStage[] = ["CONNECT", "MAIL", "RCPT", "DATA"];

/** A failure set by `fail()`: the reply to give, where, and how many more times. */
export interface SmtpFailure {
  times: number;
  status: number;
  message: string;
  at: SmtpStage;
}

/** An error carrying an SMTP reply code, as smtp-server answers it to the client. */
export function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

function checkStage(method: string, at: SmtpStage): SmtpStage {
  if (!STAGES.includes(at)) {
    throw new RangeError(
      prefixed("testing", `${method}(): "at" must be one of ${STAGES.join(", ")}`),
    );
  }
  return at;
}

/** The failure `fail(options)` asks for, with its defaults, after checking it. */
export function smtpFailure(options: SmtpFailOptions): SmtpFailure {
  const status = options.status ?? 451;
  if (!(Number.isInteger(status) && status >= 200 && status <= 599)) {
    throw new RangeError(prefixed("testing", 'fail(): "status" must be an SMTP reply code'));
  }
  const { body } = options;
  return {
    times: options.times ?? 1,
    status,
    message:
      body === undefined
        ? "Injected failure"
        : typeof body === "string"
          ? body
          : JSON.stringify(body),
    at: checkStage("fail", options.at ?? "DATA"),
  };
}

/** The index in {@link STAGES} from which `hang(options)` leaves the client unanswered. */
export function hangStage(options: SmtpHangOptions): number {
  return STAGES.indexOf(checkStage("hang", options.at ?? "CONNECT"));
}
