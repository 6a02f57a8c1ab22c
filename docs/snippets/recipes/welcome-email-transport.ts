// With nodemailer older than 10.5 the attempt's signal cannot abort the SMTP exchange: bound the
// transporter itself, or a dead server holds a socket for nodemailer's defaults (minutes).
import { welcomeEmail } from "@auth-recipes/welcome-email";
import nodemailer from "nodemailer";

const transporter = nodemailer.createTransport({
  host: "smtp.example.com",
  port: 587,
  auth: { user: process.env.SMTP_USER!, pass: process.env.SMTP_PASSWORD! },
  connectionTimeout: 5_000,
  greetingTimeout: 5_000,
  socketTimeout: 10_000,
});

export const welcome = welcomeEmail({
  transport: transporter,
  from: { name: "Acme", address: "hello@acme.com" },
  retry: { retries: 2 },
});
