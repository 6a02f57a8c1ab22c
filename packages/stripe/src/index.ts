export { searchValue } from "./escape.ts";
export {
  type CustomerCreatedInfo,
  type StripeCustomerOptions,
  stripeCustomer,
} from "./stripe-customer.ts";
export { StripeCustomerError } from "./stripe-customer-error.ts";
