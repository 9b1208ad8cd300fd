// Test support: route handlers behind a real HTTP server on loopback, so that a client (lib/client) is
// tested over the wire — headers, status codes, bodies — against the app's own handlers. Each handler is
// matched by its operation's method and path template ("/api/v1/projects/{project}/prompts/{task}").
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { RouteHandler } from "./define-route";

export interface RouteServer {
  /** "http://127.0.0.1:<port>" */
  url: string;
  /** Requests received, by "METHOD path?query". */
  requests: string[];
  close(): Promise<void>;
}

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: RouteHandler;
}

function routeOf(handler: RouteHandler): Route {
  const names: string[] = [];
  const source = handler.operation.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    names.push(name);
    return "([^/]+)";
  });
  return { method: handler.operation.method, pattern: new RegExp(`^${source}$`), names, handler };
}

async function bodyOf(req: IncomingMessage): Promise<string | undefined> {
  if (req.method === "GET" || req.method === "HEAD") return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8"); // the API takes JSON and text bodies
}

async function handle(
  routes: Route[],
  req: IncomingMessage,
  res: ServerResponse,
  origin: string,
): Promise<void> {
  const url = new URL(req.url ?? "/", origin);
  for (const route of routes) {
    const match = route.method === req.method ? route.pattern.exec(url.pathname) : null;
    if (!match) continue;
    const params = Object.fromEntries(
      route.names.map((name, i) => [name, decodeURIComponent(match[i + 1]!)]),
    );
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers))
      if (typeof value === "string") headers.set(name, value);
    const request = new Request(url, { method: req.method, headers, body: await bodyOf(req) });
    const response = await route.handler(request, { params: Promise.resolve(params) });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
    return;
  }
  res.writeHead(404, { "content-type": "application/json" }).end('{"error":{"code":"not_found"}}');
}

export async function serveRouteHandlers(handlers: RouteHandler[]): Promise<RouteServer> {
  const routes = handlers.map(routeOf);
  const requests: string[] = [];
  let origin = "http://127.0.0.1";
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    handle(routes, req, res, origin).catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
