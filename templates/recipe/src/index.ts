export { type AcmeCrmOptions, acmeCrm } from "./acme-crm.ts";
export { AcmeCrmError } from "./errors.ts";
