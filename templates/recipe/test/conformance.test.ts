// The conformance suite every recipe runs, against the service's emulator: it checks what the service
// received (delivery, one effect per user however often retried, no secret or injection, failures
// classified), not what the recipe says it did.
import { testRecipe } from "@auth-recipes/testing/vitest";
import { expect } from "vitest";
import { type AcmeCrmOptions, acmeCrm } from "../src/index.ts";
import { type AcmeCrmEmulator, startAcmeCrmApi } from "./acme-crm-emulator.ts";

testRecipe<AcmeCrmEmulator, AcmeCrmOptions>({
  name: "acme-crm",
  start: () => startAcmeCrmApi(),
  factory: acmeCrm,
  options: (crm) => ({ baseUrl: crm.url, apiKey: crm.apiKey }),
  required: ["baseUrl", "apiKey"],
  delivered: (crm, { user }) =>
    expect(crm.contacts).toContainEqual(expect.objectContaining({ externalId: user.id })),
  secrets: (crm) => [crm.apiKey],
  effects: (crm) => crm.contacts.length,
});
