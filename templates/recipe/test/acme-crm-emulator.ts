// Acme CRM's API, as much of it as the recipe uses, on 127.0.0.1: the shared emulator base gives it
// fail(), delay(), hang(), down() and up(). A service used by more than this package's tests gets its
// emulator in @auth-recipes/testing instead (one folder in its list of emulators).
import { type Emulator, type EmulatorOptions, startHttpEmulator } from "@auth-recipes/testing";

export interface AcmeCrmContact {
  externalId: string;
  email?: string | null;
  name?: string | null;
}

export interface AcmeCrmEmulator extends Emulator {
  /** The one API key the emulator accepts. */
  apiKey: string;
  /** The contacts created, one per idempotency key, as the real service keeps them. */
  contacts: AcmeCrmContact[];
}

export async function startAcmeCrmApi(options: EmulatorOptions = {}): Promise<AcmeCrmEmulator> {
  const apiKey = "acme_crm_test_key_0000";
  const contacts: AcmeCrmContact[] = [];
  const byKey = new Map<string, AcmeCrmContact>();
  const emulator = await startHttpEmulator(
    options,
    (request) => {
      if (request.headers.authorization !== `Bearer ${apiKey}`) return { status: 401 };
      if (request.method !== "POST" || request.path !== "/contacts") return { status: 404 };
      const key = String(request.headers["idempotency-key"] ?? crypto.randomUUID());
      // A key seen before answers with the contact it created then.
      let contact = byKey.get(key);
      if (!contact) {
        contact = JSON.parse(request.body) as AcmeCrmContact;
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
