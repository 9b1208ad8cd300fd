// Stamps every HTTP request this process receives with the address of the socket it came from (see
// client-address.ts), before Next.js or any handler sees it. Installed once from instrumentation.ts:
// Next's own servers are created before instrumentation runs, so the stamp wraps `emit` on the server
// prototypes (node calls `server.emit("request", req, res)` for each request) rather than a listener.
import http from "node:http";
import https from "node:https";
import { PEER_ADDRESS_HEADER, peerAddressStamp } from "./client-address";

const INSTALLED = Symbol.for("strop.peer-address-stamp");

type Emit = (this: unknown, event: string | symbol, ...args: unknown[]) => boolean;

/** Overwrites any client-sent copy of the header; an unknown socket address leaves it absent. */
export function stampRequest(request: http.IncomingMessage): void {
  const address = request.socket?.remoteAddress;
  if (address) request.headers[PEER_ADDRESS_HEADER] = peerAddressStamp(address);
  else delete request.headers[PEER_ADDRESS_HEADER];
}

export function installPeerAddressStamp(): void {
  for (const Server of [http.Server, https.Server]) {
    const prototype = Server.prototype as unknown as { emit: Emit; [INSTALLED]?: true };
    if (prototype[INSTALLED]) continue;
    const emit = prototype.emit;
    prototype.emit = function stampedEmit(this: unknown, event, ...args) {
      if (event === "request") stampRequest(args[0] as http.IncomingMessage);
      return emit.call(this, event, ...args);
    };
    prototype[INSTALLED] = true;
  }
}
