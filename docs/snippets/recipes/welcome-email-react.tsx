import { welcomeEmail } from "@auth-recipes/welcome-email";
import { render } from "@react-email/components";
import { WelcomeEmail } from "../emails/welcome";

export const welcome = welcomeEmail({
  transport: process.env.EMAIL_SERVER!,
  from: "Acme <hello@acme.com>",
  appName: "Acme",
  render: async ({ user, appName = "Acme" }) => {
    const email = <WelcomeEmail name={user.name ?? undefined} appName={appName} />;
    return {
      subject: `Welcome to ${appName}`,
      html: await render(email),
      // Always send a text part: plain-text clients and spam filters read it.
      text: await render(email, { plainText: true }),
    };
  },
});
