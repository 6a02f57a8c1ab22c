// test/crm-contact.test.ts: the conformance suite every recipe runs, against the CRM emulator.
import { testRecipe } from "@auth-recipes/testing/vitest";
import { expect } from "vitest";
import { type CrmContactOptions, crmContact } from "./crm-contact";
import { type CrmEmulator, startCrmApi } from "./crm-emulator";

testRecipe<CrmEmulator, CrmContactOptions>({
  name: "crm-contact",
  start: () => startCrmApi(),
  factory: crmContact,
  options: (crm) => ({ baseUrl: crm.url, apiKey: crm.apiKey }),
  required: ["baseUrl", "apiKey"],
  // What the CRM received, not what the recipe says it did.
  delivered: (crm, { user }) =>
    expect(crm.contacts).toContainEqual(expect.objectContaining({ externalId: user.id })),
  secrets: (crm) => [crm.apiKey],
  // The CRM deduplicates by idempotency key: a retried delivery must leave one contact.
  effects: (crm) => crm.contacts.length,
});
