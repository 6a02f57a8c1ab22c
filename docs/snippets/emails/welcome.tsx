// emails/welcome.tsx: a React Email template. React escapes what you interpolate.
import { Body, Container, Head, Heading, Html, Preview, Text } from "@react-email/components";

export interface WelcomeProps {
  name?: string | undefined;
  appName: string;
}

export function WelcomeEmail({ name, appName }: WelcomeProps) {
  return (
    <Html lang="en">
      <Head />
      <Preview>Your {appName} account is ready</Preview>
      <Body style={{ fontFamily: "system-ui, sans-serif" }}>
        <Container style={{ maxWidth: 560, padding: 24 }}>
          <Heading as="h1">Welcome to {appName}</Heading>
          <Text>Hi {name ?? "there"},</Text>
          <Text>Your account is ready. Reply to this email if you need a hand.</Text>
          <Text>The {appName} team</Text>
        </Container>
      </Body>
    </Html>
  );
}
