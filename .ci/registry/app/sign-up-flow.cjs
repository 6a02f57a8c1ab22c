// The sign-up both entry files run: next-auth's messages for a new user signing up by email link
// (createUser, then signIn with isNewUser), through composeEvents and the four recipes, with the SDKs
// pointed at the emulators. It checks what each service received, not what the recipes returned.
const assert = require("node:assert/strict");

exports.signUp = async function signUp(lib, sdk, { format, entry }) {
  const expected = format === "esm" ? /dist[\\/]index\.js$/ : /dist[\\/]index\.cjs$/;
  assert.match(String(entry), expected, `@auth-recipes/core resolved to ${entry} for ${format}`);

  const emulators = await lib.startEmulators();
  const analytics = new sdk.Analytics({
    writeKey: emulators.segment.writeKey,
    ...emulators.segment.clientOptions,
    flushAt: 1,
  });
  const errors = [];
  try {
    const events = lib.composeEvents(
      [
        lib.welcomeEmail({ transport: emulators.smtp.smtpUrl, from: "Acme <hello@acme.test>" }),
        lib.slackNotify({
          client: new sdk.WebClient(emulators.slack.token, {
            ...emulators.slack.clientOptions,
            retryConfig: { retries: 0 },
          }),
          channel: "#signups",
        }),
        lib.stripeCustomer({
          stripe: new sdk.Stripe(emulators.stripe.apiKey, {
            ...emulators.stripe.clientOptions,
            maxNetworkRetries: 0,
          }),
        }),
        lib.segmentTracking({ analytics }),
      ],
      { timeoutMs: 5_000, onError: (error) => errors.push(error) },
    );
    const user = {
      id: `user-${format}`,
      name: "Alice Liddell",
      email: `alice.${format}@example.test`,
      emailVerified: null,
    };
    const account = {
      provider: "email",
      type: "email",
      providerAccountId: user.email,
      userId: user.id,
    };
    await events.createUser({ user });
    await events.signIn({ user, account, isNewUser: true });
    await analytics.flush();

    assert.deepEqual(
      errors.map((error) => error.message),
      [],
    );
    assert.deepEqual(
      emulators.smtp.messages.map((mail) => mail.envelope.to),
      [[user.email]],
    );
    assert.equal(emulators.slack.channel("#signups").length, 1);
    assert.deepEqual(
      emulators.stripe.customers.map((customer) => customer.metadata.userId),
      [user.id],
    );
    const tracked = emulators.segment.messages.map((message) => message.event ?? message.type);
    for (const name of ["identify", "Signed Up", "Signed In"])
      assert.ok(tracked.includes(name), `Segment got ${tracked}`);
    return { format, entry: String(entry), segment: tracked, smtp: emulators.smtp.messages.length };
  } finally {
    await analytics.closeAndFlush();
    await emulators.close();
  }
};
