import { segmentTracking } from "@auth-recipes/segment";
import { analytics } from "../clients";

export const tracking = segmentTracking({
  analytics,
  // Only what you mean to send to Segment.
  traits: (user) => ({ email: user.email, name: user.name }),
  // Your tracking plan's names; false sends nothing for that event.
  events: { signIn: "Logged In", signOut: false },
});
