// Slack's Block Kit rules, as far as a notification can break them.

/** Arguments of a Web API call, parsed. */
export type Params = Record<string, unknown>;

// Slack's documented limits; a real workspace answers `invalid_blocks` or `msg_too_long` past them, so a
// recipe that passes here will not be refused there for long user input.
const MAX_BLOCKS = 50;
/** The longest `text` Slack accepts, in characters. */
export const MAX_TEXT = 40_000;
const MAX_SECTION_TEXT = 3000;
const MAX_FIELD_TEXT = 2000;
const MAX_FIELDS = 10;
const MAX_HEADER_TEXT = 150;
const MAX_CONTEXT_ELEMENTS = 10;

/** A text's length as Slack counts it, in code points. */
export function length(text: string): number {
  return [...text].length;
}

/** A field that a form body carries as a JSON string, parsed; `undefined` when it does not parse. */
export function parseJsonField(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** Whether a value is a plain object (not an array, not null). */
export function isObject(value: unknown): value is Params {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Checks blocks against the parts of Slack's Block Kit rules a notification can break. */
export function blockErrors(blocks: unknown[]): string[] {
  const errors: string[] = [];
  if (blocks.length > MAX_BLOCKS) errors.push(`must be ${MAX_BLOCKS} blocks or fewer [/blocks]`);
  const textObject = (
    value: unknown,
    where: string,
    max: number,
    kinds = ["plain_text", "mrkdwn"],
  ) => {
    if (!isObject(value) || !kinds.includes(value.type as string)) {
      errors.push(`must be a ${kinds.join(" or ")} text object [${where}]`);
    } else if (typeof value.text !== "string" || value.text.length === 0) {
      errors.push(`must be more than 0 characters [${where}/text]`);
    } else if (length(value.text) > max) {
      errors.push(`must be less than ${max + 1} characters [${where}/text]`);
    }
  };
  blocks.forEach((block, index) => {
    const where = `/blocks/${index}`;
    if (!isObject(block) || typeof block.type !== "string") {
      errors.push(`must be a block object with a type [${where}]`);
      return;
    }
    switch (block.type) {
      case "header":
        textObject(block.text, `${where}/text`, MAX_HEADER_TEXT, ["plain_text"]);
        break;
      case "section": {
        if (block.text === undefined && block.fields === undefined) {
          errors.push(`must provide text or fields [${where}]`);
        }
        if (block.text !== undefined) textObject(block.text, `${where}/text`, MAX_SECTION_TEXT);
        if (block.fields !== undefined) {
          if (!Array.isArray(block.fields) || block.fields.length > MAX_FIELDS) {
            errors.push(`must be an array of ${MAX_FIELDS} items or fewer [${where}/fields]`);
          } else {
            block.fields.forEach((field, i) => {
              textObject(field, `${where}/fields/${i}`, MAX_FIELD_TEXT);
            });
          }
        }
        break;
      }
      case "context": {
        const elements = block.elements;
        if (
          !Array.isArray(elements) ||
          !elements.length ||
          elements.length > MAX_CONTEXT_ELEMENTS
        ) {
          errors.push(`must be an array of 1 to ${MAX_CONTEXT_ELEMENTS} items [${where}/elements]`);
        } else {
          elements.forEach((element, i) => {
            if (isObject(element) && element.type === "image") return;
            textObject(element, `${where}/elements/${i}`, MAX_SECTION_TEXT);
          });
        }
        break;
      }
      default:
      // Other block types (divider, image, actions, rich_text, …) are accepted as they are.
    }
  });
  return errors;
}
