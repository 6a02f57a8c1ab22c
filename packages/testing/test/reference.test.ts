// The reference recipe passes every check of the suite, registered the way a recipe's test file does it.
import { testRecipe } from "../src/vitest.ts";
import { waitUntilHost } from "./support/hosts.ts";
import { webhookConfig } from "./support/webhook-config.ts";

testRecipe(webhookConfig());
// The same suite on another host: next-auth with waitUntil, where the callback resolves before the
// handlers settle. Its tests are titled "webhook on next-auth (waitUntil): …".
testRecipe(webhookConfig({}, { host: waitUntilHost() }));
