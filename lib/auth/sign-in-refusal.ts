// next-auth turns an error thrown by `authorize` into a redirect to the sign-in page with `?error=…`
// (HTTP 200 for the JSON form our sign-in page uses). A locked sign-in must be a 429 with Retry-After,
// so the limiter's answer travels from `authorize` to the route through this request-scoped slot, and
// the route rewrites next-auth's response.
import { AsyncLocalStorage } from "node:async_hooks";

interface RefusalSlot {
  retryAfterSeconds?: number;
}

const slots = new AsyncLocalStorage<RefusalSlot>();

/** Called from `authorize` when the sign-in limits refuse the attempt. */
export function noteSignInRefusal(retryAfterSeconds: number): void {
  const slot = slots.getStore();
  if (slot) slot.retryAfterSeconds = retryAfterSeconds;
}

/** Runs next-auth; a refused sign-in comes back as 429 with Retry-After and next-auth's body and cookies. */
export async function withSignInRefusal(handle: () => Promise<Response>): Promise<Response> {
  const slot: RefusalSlot = {};
  const response = await slots.run(slot, handle);
  if (slot.retryAfterSeconds === undefined) return response;
  const headers = new Headers(response.headers);
  headers.set("Retry-After", String(slot.retryAfterSeconds));
  headers.delete("Location");
  return new Response(response.body, { status: 429, headers });
}
