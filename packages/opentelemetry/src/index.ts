export { ATTRIBUTES, MESSAGING_SYSTEM } from "./attributes.ts";
export {
  AuthRecipesInstrumentation,
  type AuthRecipesInstrumentationConfig,
} from "./instrumentation.ts";
