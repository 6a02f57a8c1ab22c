// nodemailer 7 ships no types; the tests only call createTransport, whose shape 10 kept.
declare module "nodemailer-7" {
  export * from "nodemailer";
  export { default } from "nodemailer";
}
