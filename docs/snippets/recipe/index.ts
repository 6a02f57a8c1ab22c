// src/index.ts: only re-exports; the API reference and the bundle both start here.
export { CrmContactError, type CrmContactOptions, crmContact } from "./crm-contact";
