// The reference recipe passes every check of the suite, registered the way a recipe's test file does it.
import { testRecipe } from "../src/vitest.ts";
import { webhookConfig } from "./support/webhook-config.ts";

testRecipe(webhookConfig());
