export { StripeCustomerError } from "./errors.ts";
export { searchValue } from "./escape.ts";
export {
  type CustomerCreatedInfo,
  type StripeCustomerEvent,
  type StripeCustomerOptions,
  stripeCustomer,
} from "./stripe-customer.ts";
