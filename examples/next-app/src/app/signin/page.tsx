import { SignInForm } from "./sign-in-form.tsx";

export const dynamic = "force-dynamic";

// next-auth's error codes for the Email provider, in words.
const ERRORS: Record<string, string> = {
  EmailSignin: "The sign-in email could not be sent. Is the mail server (or its emulator) running?",
  Verification: "That sign-in link has expired or was already used. Ask for a new one.",
  SessionRequired: "Sign in to see that page.",
  AccessDenied: "That sign-in was refused.",
  Configuration: "The app's sign-in is misconfigured: see the server's log.",
};

export default async function SignIn({
  searchParams,
}: {
  searchParams: Promise<{ error?: string; callbackUrl?: string }>;
}) {
  const { error } = await searchParams;
  return (
    <>
      <h1>Sign up or sign in</h1>
      <div className="card">
        <p className="muted">
          We email you a sign-in link. The first time, that makes you a new user: the recipes run.
        </p>
        {error ? (
          <p className="error" role="alert">
            {ERRORS[error] ?? "Sign-in failed. Try again."}
          </p>
        ) : null}
        <SignInForm />
      </div>
    </>
  );
}
