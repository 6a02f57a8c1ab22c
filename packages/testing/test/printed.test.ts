// expectNothingPrinted must catch a secret wherever a printer shows it: the message, a cause, a field, a
// URL; and only there.
import { describe, expect, it } from "vitest";
import { expectNothingPrinted, printedForms } from "../src/printed.ts";

const SECRET = "sk_test_51Hx";
const EMAIL = "alice+tag@example.test";

describe("printedForms", () => {
  it("prints an error the four ways, causes and fields included", () => {
    const error = Object.assign(new Error("outer", { cause: new Error("inner cause") }), {
      status: 502,
    });
    const forms = printedForms(error);
    expect(Object.keys(forms)).toEqual(["console", "inspect", "json", "pino"]);
    expect(forms.console).toContain("inner cause");
    expect(forms.inspect).toContain("status: 502");
    expect(JSON.parse(forms.json)).toEqual({ status: 502 });
    expect(JSON.parse(forms.pino)).toMatchObject({ level: 40, msg: "outer" });
  });

  it("prints values that are not errors", () => {
    expect(printedForms(undefined).json).toBe("");
    expect(printedForms("plain").inspect).toBe("'plain'");
  });
});

describe("expectNothingPrinted", () => {
  it("passes an error that shows no secret", () => {
    expectNothingPrinted(new Error("Stripe answered 500"), [SECRET, EMAIL]);
  });

  it("fails on a secret in a cause that only some printers show, naming them", () => {
    const error = new Error("request failed", { cause: new Error(`key ${SECRET} rejected`) });
    expect(() => expectNothingPrinted(error, [SECRET])).toThrow(
      /console printed "sk_test_51Hx"; inspect printed "sk_test_51Hx"; pino printed "sk_test_51Hx"/,
    );
  });

  it("fails on an address URL-encoded in a field", () => {
    const error = Object.assign(new Error("lookup failed"), {
      url: `https://api.example.test/customers?email=${encodeURIComponent(EMAIL)}`,
    });
    expect(() => expectNothingPrinted(error, [EMAIL])).toThrow(
      `json printed ${JSON.stringify(encodeURIComponent(EMAIL))}`,
    );
  });
});
