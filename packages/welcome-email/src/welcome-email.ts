import {
  type AuthUser,
  type Awaitable,
  type DefaultAuthUser,
  type HandlerContext,
  type Recipe,
  type RecipeEvents,
  type RetryOptions,
  type Skip,
  skip,
} from "@auth-recipes/core";
import { checkOptions, configError, prefixed, withRecipeOptions } from "@auth-recipes/core/kit";
import { addressProblem } from "./address.ts";
import {
  defaultContent,
  defaultSubject,
  type WelcomeEmailContent,
  type WelcomeEmailRenderInput,
} from "./content.ts";
import type { EmailMessage } from "./email-transport.ts";
import { sendError } from "./errors.ts";
import { idempotencyKey } from "./idempotency-key.ts";
import { toEmailTransport, type WelcomeEmailTransport } from "./transport.ts";

/** Options for {@link welcomeEmail}. */
export interface WelcomeEmailOptions {
  /**
   * How to send: a nodemailer transporter (`createTransport(...)`, nodemailer 7 or later), an SMTP URL
   * such as next-auth's `EMAIL_SERVER` (`smtp://user:pass@smtp.example.com:587`), or SMTP transport
   * options. From a URL or options the recipe creates one transporter, once, with the `nodemailer` your
   * app has installed. Or an {@link EmailTransport} for an email service's API, such as
   * `resendTransport(resend)` from `@auth-recipes/resend`, which sends each user's welcome once.
   */
  transport: WelcomeEmailTransport;
  /** The sender: `"Acme <hello@acme.com>"`, `"hello@acme.com"` or `{ name, address }`. */
  from: string | { name: string; address: string };
  /**
   * Your app's name, used by the default subject and content.
   * @default undefined (the default content then says "Welcome!")
   */
  appName?: string;
  /**
   * Where replies go, when not to `from`.
   * @default undefined
   */
  replyTo?: string;
  /**
   * Extra headers on every welcome email, such as `{ "X-Entity-Ref-ID": "welcome" }`.
   * @default undefined
   */
  headers?: Record<string, string>;
  /**
   * The subject, or a function of the user that returns it. A `subject` returned by `render` wins.
   * @default `Welcome to ${appName}`, or "Welcome!" without an appName
   */
  subject?: string | ((user: AuthUser) => string);
  /**
   * Your own content: return `{ text, html?, subject? }`. A React Email template fits here
   * (`html: await render(<Welcome user={user} />)`), or, with a transport that renders it (Resend),
   * `{ react: <Welcome user={user} />, text? }`; SMTP refuses `react` with a non-retryable error.
   * Escape user-supplied values in hand-built HTML (see `escapeHtml`).
   * @default a short text part and a matching HTML part that greets the user by name
   */
  render?: (input: WelcomeEmailRenderInput) => Awaitable<WelcomeEmailContent>;
  /**
   * The event that sends the email, by next-auth's event name: one name, not an array, because the
   * email is sent once. `"createUser"` fires once per new user with a database adapter.
   * `"signIn"` sends only when next-auth reports `isNewUser: true`, for setups where createUser never
   * fires.
   * @default "createUser"
   */
  on?: "createUser" | "signIn";
  /**
   * A guard, called before anything is sent: return false to skip this user. next-auth fires createUser
   * (and reports `isNewUser`) for an existing user under `allowDangerousEmailAccountLinking`; a guard that
   * atomically marks the user as welcomed keeps them from a second welcome.
   * @default undefined (every new user is sent the email)
   */
  shouldSend?: (user: AuthUser) => Awaitable<boolean>;
  /**
   * Bounds each attempt, in ms; overrides `composeEvents`' `timeoutMs`.
   * @default composeEvents' timeoutMs (10000)
   */
  timeoutMs?: number;
  /**
   * Retry failed attempts; overrides `composeEvents`' `retry`. Over SMTP, 4xx replies and connection
   * failures are retried, 5xx replies never; over an HTTP service, 408, 429 (after its `Retry-After`), 5xx
   * and network errors are retried, other 4xx never.
   * @default composeEvents' retry (off)
   */
  retry?: boolean | RetryOptions;
}

const PKG = "welcome-email";
// RFC 7230's token: what a header name may be.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const LINE_BREAK = /[\r\n]/;
const CONTROL = /[\p{Cc}]+/gu;

/** For the transport's checks, which report through a callback. */
function fail(message: string): never {
  throw configError(PKG, message);
}

function checkText(value: unknown, name: string, required: boolean): void {
  if (value === undefined && !required) return;
  if (typeof value !== "string" || !value.trim()) {
    throw configError(
      PKG,
      required && (value === undefined || value === null || value === "")
        ? `option "${name}" is required`
        : `option "${name}" must be a non-empty string`,
    );
  }
  if (LINE_BREAK.test(value))
    throw configError(PKG, `option "${name}" must not contain line breaks`);
}

function checkWelcomeOptions(options: WelcomeEmailOptions): void {
  checkOptions(PKG, "welcomeEmail", options, {
    transport: { required: true },
    // Its shape (an address or { name, address }) is checked below.
    from: { required: true },
    render: "function",
    shouldSend: "function",
    on: { test: (on) => on === "createUser" || on === "signIn", is: '"createUser" or "signIn"' },
    headers: { type: "object", is: "an object of strings" },
    // Checked below, for line breaks as well as type.
    appName: {},
    replyTo: {},
    subject: {},
  });
  const { from } = options;
  if (typeof from === "object" && from !== null) {
    checkText(from.address, "from.address", true);
    if (from.name !== undefined) checkText(from.name, "from.name", false);
  } else {
    checkText(from, "from", true);
  }
  checkText(options.appName, "appName", false);
  checkText(options.replyTo, "replyTo", false);
  if (typeof options.subject !== "function") checkText(options.subject, "subject", false);
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (!HEADER_NAME.test(name) || typeof value !== "string" || LINE_BREAK.test(value)) {
      throw configError(PKG, 'option "headers" must map header names to one-line strings');
    }
  }
}

function oneLine(text: string): string {
  return text.replace(CONTROL, " ").replace(/\s+/g, " ").trim();
}

function domainOf(from: WelcomeEmailOptions["from"]): string | undefined {
  const address = typeof from === "string" ? from : from.address;
  return /@([^\s<>@]+?)>?\s*$/.exec(address)?.[1];
}

// Core's mark on an UpstreamError, by Symbol.for: an error from a transport built against another copy of
// core (a second install) is recognised too, where `instanceof` would not be.
const SAFE_TO_LOG = Symbol.for("auth-recipes.safe-to-log");

function isUpstreamError(error: unknown): boolean {
  try {
    return error instanceof Error && (error as { [SAFE_TO_LOG]?: unknown })[SAFE_TO_LOG] === true;
  } catch {
    return false;
  }
}

function contentError(message: string): never {
  throw Object.assign(new TypeError(prefixed(PKG, message)), { retryable: false });
}

const CONTENT_SHAPE =
  "render must return { text: string, html?: string, subject?: string } or { react, text?, html?, subject? }";

/** `render`'s result, checked: text is required unless a React element is given. */
function checkContent(
  content: unknown,
  transportName: string,
  react: boolean,
): WelcomeEmailContent {
  const { text, html, subject, react: element } = (content ?? {}) as Record<string, unknown>;
  if (
    typeof content !== "object" ||
    (text === undefined ? typeof element !== "object" : typeof text !== "string") ||
    element === null ||
    (element !== undefined && typeof element !== "object") ||
    (html !== undefined && typeof html !== "string") ||
    (subject !== undefined && typeof subject !== "string")
  ) {
    contentError(CONTENT_SHAPE);
  }
  if (element !== undefined && !react) {
    contentError(
      `render returned react, which the ${transportName} transport cannot send: render it to html (@react-email/render) or use a transport that renders it (resendTransport)`,
    );
  }
  return content as WelcomeEmailContent;
}

/**
 * A welcome email for every new user, sent with nodemailer or through an email service's API (an
 * {@link EmailTransport} such as `resendTransport(resend)`): a short text part and an HTML part, or your
 * own content through `render`.
 *
 * Before sending it checks the user's address: exactly one plain address, no whitespace, no line break,
 * none of `,;:<>"`. A user without one, or with anything else, is skipped (`skip(reason)`), never sent
 * to. The handler passes its signal to the transport, so a timeout aborts the SMTP exchange (nodemailer
 * 10.5+) or the HTTP request. Every send carries an idempotency key derived from the composed recipe
 * name and the user's id (`welcome-email/<recipe>/<userId>`), which a service such as Resend uses to send
 * once per user. SMTP failures throw a {@link WelcomeEmailError}: 4xx replies and connection failures are
 * marked retryable, 5xx replies not; its message names neither the address nor the SMTP password.
 *
 * @example
 * ```ts
 * events: composeEvents([
 *   welcomeEmail({ transport: process.env.EMAIL_SERVER!, from: "Acme <hello@acme.com>", appName: "Acme" }),
 * ]),
 * ```
 */
export function welcomeEmail(options: WelcomeEmailOptions): Recipe {
  checkWelcomeOptions(options);
  const transport = toEmailTransport(options.transport, fail);
  const { from, appName, replyTo, headers, subject, render, shouldSend } = options;
  const messageDomain = domainOf(from);

  async function send(user: AuthUser, context: HandlerContext): Promise<void | Skip> {
    const email = (user as DefaultAuthUser | null | undefined)?.email;
    const problem = addressProblem(email);
    if (problem) return skip(problem);
    if (shouldSend && !(await shouldSend(user))) return skip("shouldSend returned false");

    const content = checkContent(
      render ? await render({ user, appName }) : defaultContent({ user, appName }),
      transport.name,
      transport.react === true,
    );
    const title =
      content.subject ??
      (typeof subject === "function" ? subject(user) : subject) ??
      defaultSubject(appName);

    const mail: EmailMessage = {
      from,
      to: email as string,
      // A subject built from a user's name must not break the header it lands in.
      subject: oneLine(String(title)),
    };
    if (content.text !== undefined) mail.text = content.text;
    if (content.html !== undefined) mail.html = content.html;
    if (content.react !== undefined) mail.react = content.react;
    if (replyTo) mail.replyTo = replyTo;
    if (headers) mail.headers = { ...headers };
    // The same Message-ID on every attempt of one dispatch: when a retry follows an answer that was lost,
    // receivers that deduplicate by Message-ID show the welcome once.
    if (messageDomain) mail.messageId = `<welcome.${context.dispatchId}@${messageDomain}>`;

    const id = (user as DefaultAuthUser).id;
    const key = await idempotencyKey(context.recipe, id, context.dispatchId);
    try {
      await transport.sendEmail(mail, {
        idempotencyKey: key,
        signal: context.signal,
        deadline: context.deadline,
      });
    } catch (error) {
      if (context.signal.aborted) throw context.signal.reason;
      // A transport's own classified error is safe to print as it is; anything else is redacted here.
      if (isUpstreamError(error)) throw error;
      throw sendError(error, []);
    }
  }

  const events: RecipeEvents =
    options.on === "signIn"
      ? {
          signIn: ({ user, isNewUser }, context) =>
            isNewUser === true ? send(user, context) : skip("not a new user"),
        }
      : { createUser: ({ user }, context) => send(user, context) };

  return withRecipeOptions({ name: "welcome-email", events }, options);
}
