export type {
  WelcomeEmailContent,
  WelcomeEmailReactContent,
  WelcomeEmailRenderInput,
  WelcomeEmailTextContent,
} from "./content.ts";
export type {
  EmailMessage,
  EmailSendOptions,
  EmailSendResult,
  EmailTransport,
} from "./email-transport.ts";
export { WelcomeEmailError } from "./errors.ts";
export { escapeHtml } from "./escape.ts";
export type {
  MailTransporter,
  SmtpAuth,
  SmtpTransportOptions,
  WelcomeEmailTransport,
  WelcomeMail,
} from "./transport.ts";
export { type WelcomeEmailOptions, welcomeEmail } from "./welcome-email.ts";
