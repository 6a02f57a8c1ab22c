// On Vercel, Netlify or Lambda a function may be frozen once the response is sent. Keep
// awaitDelivery on (the default) and hand the wait to the platform instead of the sign-in.
import { composeEvents } from "@auth-recipes/core";
import { segmentTracking } from "@auth-recipes/segment";
import { after } from "next/server";
import { analytics } from "../clients";

export const events = composeEvents([segmentTracking({ analytics })], {
  waitUntil: after,
  timeoutMs: 5_000,
});
