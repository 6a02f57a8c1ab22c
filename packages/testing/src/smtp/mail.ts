import type { IncomingHttpHeaders } from "node:http";
import type { AddressObject, HeaderLines, ParsedMail } from "mailparser";
import type { ReceivedMail, SmtpRequest } from "./types.ts";

/** Every address of an address header, group members included. */
function addressesOf(header: AddressObject | AddressObject[] | undefined): string[] {
  const out: string[] = [];
  const visit = (entries: AddressObject["value"]) => {
    for (const entry of entries) {
      if (entry.address) out.push(entry.address);
      if (entry.group) visit(entry.group);
    }
  };
  for (const object of Array.isArray(header) ? header : header ? [header] : []) visit(object.value);
  return out;
}

/** A message's headers as sent (unfolded, not decoded), names in lower case; repeated ones as an array. */
export function headersOf(lines: HeaderLines): IncomingHttpHeaders {
  const headers: IncomingHttpHeaders = {};
  for (const { key, line } of lines) {
    const value = line
      .slice(line.indexOf(":") + 1)
      .replace(/\r?\n[ \t]+/g, " ")
      .trim();
    const previous = headers[key];
    headers[key] =
      previous === undefined
        ? value
        : Array.isArray(previous)
          ? [...previous, value]
          : [previous, value];
  }
  return headers;
}

/** The message a transaction delivered, as {@link ReceivedMail} shows it. */
export function receivedMail(parsed: ParsedMail, request: SmtpRequest): ReceivedMail {
  return {
    envelope: { from: request.envelope.from, to: [...request.envelope.to] },
    from: parsed.from?.text ?? "",
    to: addressesOf(parsed.to),
    subject: parsed.subject ?? "",
    text: parsed.text ?? "",
    html: parsed.html || undefined,
    replyTo: parsed.replyTo?.text,
    headers: request.headers,
    raw: request.body,
    user: request.user,
    sessionId: request.sessionId,
    receivedAt: request.receivedAt,
  };
}
