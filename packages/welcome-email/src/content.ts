import type { AuthUser, DefaultAuthUser } from "@auth-recipes/core";
import { cutText } from "@auth-recipes/core/kit";
import { escapeHtml } from "./escape.ts";

/**
 * What a welcome email says: `render` returns it, and the default content is one. Either a text part
 * (and an HTML part), or a React Email element for a transport that renders it (Resend), with an
 * optional text part.
 */
export type WelcomeEmailContent = WelcomeEmailTextContent | WelcomeEmailReactContent;

/** Content as text and HTML: what every transport sends. */
export interface WelcomeEmailTextContent {
  /** The subject; wins over the `subject` option. */
  subject?: string;
  /** The plain-text part, for plain-text clients and spam filters. */
  text: string;
  /** The HTML part. Escape every user-supplied value in it (React Email does). */
  html?: string;
  /** Absent: see {@link WelcomeEmailReactContent}. */
  react?: undefined;
}

/**
 * Content as a React Email element, which the transport renders to HTML (Resend does; SMTP refuses it
 * with a non-retryable error, nothing sent).
 *
 * @example
 * ```tsx
 * render: ({ user, appName }) => ({ react: <WelcomeEmail name={user.name} app={appName} /> })
 * ```
 */
export interface WelcomeEmailReactContent {
  /** The subject; wins over the `subject` option. */
  subject?: string;
  /** A React Email element (`<WelcomeEmail user={user} />`). */
  react: object;
  /** The plain-text part. Without it, the service derives one from the HTML (Resend does). */
  text?: string;
  /** Ignored by Resend when `react` is given: the rendered element is the HTML part. */
  html?: string;
}

/** What `render` receives. */
export interface WelcomeEmailRenderInput {
  /** The user next-auth passed with the event. */
  user: AuthUser;
  /** The `appName` option. */
  appName: string | undefined;
}

// A name is user-controlled: it can carry line breaks, bidi overrides that reorder the text around it,
// or 10,000 characters. Greeting text needs none of that.
const NOISE = /[\s\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]+/gu;
const MAX_NAME = 64;

/** The user's name made fit for a greeting: one line, no bidi controls, at most 64 characters. */
export function displayName(name: unknown): string | undefined {
  if (typeof name !== "string") return undefined;
  const clean = name.replace(NOISE, " ").trim();
  if (!clean) return undefined;
  // On grapheme clusters: an emoji sequence (a family, a flag) is kept or dropped whole.
  const cut = cutText(clean, MAX_NAME);
  return cut === clean ? clean : `${cut.trim()}…`;
}

/** The default subject: `Welcome to <appName>`, or `Welcome!`. */
export function defaultSubject(appName: string | undefined): string {
  return appName ? `Welcome to ${appName}` : "Welcome!";
}

/**
 * The default content: a short text part and an HTML part that says the same. The HTML sets no colours
 * and loads nothing remote, so it reads as the client's own theme, light or dark, and shows at once.
 */
export function defaultContent({
  user,
  appName,
}: WelcomeEmailRenderInput): WelcomeEmailTextContent {
  const name = displayName((user as DefaultAuthUser | undefined)?.name);
  const greeting = name ? `Hi ${name},` : "Hi there,";
  const welcome = appName
    ? `Welcome to ${appName}! Your account is ready.`
    : "Welcome! Your account is ready.";
  const closing = "If you did not sign up, you can ignore this email.";
  const signature = appName ? `The ${appName} team` : undefined;

  const text = [greeting, welcome, closing, signature && `— ${signature}`]
    .filter(Boolean)
    .join("\n\n");

  const title = escapeHtml(defaultSubject(appName));
  // <bdi> keeps a right-to-left name from reordering the greeting around it.
  const htmlGreeting = name ? `Hi <bdi>${escapeHtml(name)}</bdi>,` : "Hi there,";
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="supported-color-schemes" content="light dark">
<title>${title}</title>
<style>:root { color-scheme: light dark; supported-color-schemes: light dark; }</style>
</head>
<body style="margin:0;padding:24px;font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5">
<div style="max-width:560px;margin:0 auto">
<h1 style="font-size:22px;line-height:1.3;margin:0 0 16px">${title}</h1>
<p style="margin:0 0 16px">${htmlGreeting}</p>
<p style="margin:0 0 16px">${escapeHtml(welcome)}</p>
<p style="margin:0 0 16px">${escapeHtml(closing)}</p>
${signature ? `<p style="margin:0">— ${escapeHtml(signature)}</p>\n` : ""}</div>
</body>
</html>
`;
  return { text, html };
}
