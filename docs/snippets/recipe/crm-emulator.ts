// test/crm-emulator.ts: the CRM's API, as much of it as the recipe uses, on 127.0.0.1. Built on the
// shared emulator, so fail(), delay(), hang(), down() and up() work as for the bundled emulators.
import { type Emulator, type EmulatorOptions, startHttpEmulator } from "@auth-recipes/testing";

export interface CrmContact {
  externalId: string;
  email?: string | null;
  name?: string | null;
}

export interface CrmEmulator extends Emulator {
  apiKey: string;
  /** The contacts created, one per idempotency key, as the real CRM keeps them. */
  contacts: CrmContact[];
}

export async function startCrmApi(options: EmulatorOptions = {}): Promise<CrmEmulator> {
  const apiKey = "crm_test_key_0000";
  const contacts: CrmContact[] = [];
  const byKey = new Map<string, CrmContact>();
  const emulator = await startHttpEmulator(
    options,
    (request) => {
      if (request.headers.authorization !== `Bearer ${apiKey}`) return { status: 401 };
      if (request.method !== "POST" || request.path !== "/contacts") return { status: 404 };
      const key = String(request.headers["idempotency-key"] ?? crypto.randomUUID());
      // A key seen before answers with the contact it created then.
      let contact = byKey.get(key);
      if (!contact) {
        contact = JSON.parse(request.body) as CrmContact;
        byKey.set(key, contact);
        contacts.push(contact);
      }
      return { status: 201, body: contact };
    },
    () => {
      byKey.clear();
      contacts.length = 0;
    },
  );
  return Object.assign(emulator, { apiKey, contacts });
}
