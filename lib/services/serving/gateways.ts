// The serving API's LLM gateways, one per project, model configuration and credentials, kept between
// requests: the model's concurrency queue then holds across all of its generate calls (a gateway per
// request would let every request through), and the response cache and its Redis connection are set up
// once. A changed configuration or credential is another key, so it takes effect at the next call; the
// gateway it replaces is closed when it falls out of the pool (least recently used first).
import { createHash } from "node:crypto";
import type { Db } from "@/lib/db";
import { createLlm, type Gateway } from "@/lib/llm/gateway";
import type { Env } from "@/lib/llm/providers/index";
import { cacheConfigSchema, type ModelConfig } from "@/lib/validation/task-file";
import type { ProviderCredentials } from "../credentials/for-models";
import { gatewayOptions } from "../runs/context";

/** Response-cache settings of generate calls: the defaults of a task file (on, 7 days). */
const SERVING_CACHE = cacheConfigSchema.parse({});

export interface GatewayRequest {
  projectId: string;
  model: ModelConfig;
  credentials: ProviderCredentials;
  /** Where REDIS_URL is read (default process.env). */
  env?: Env;
}

export class ServingGateways {
  private readonly gateways = new Map<string, Gateway>();

  constructor(
    private readonly db: Db,
    readonly maxGateways = 32,
  ) {}

  /** The gateway for this project, model and credentials; built on first use. */
  get(request: GatewayRequest): Gateway {
    // Hashed: the credentials hold secrets, which a key must not keep in the clear.
    const key = createHash("sha256")
      .update(
        JSON.stringify([
          request.projectId,
          request.model,
          request.credentials,
          request.env?.REDIS_URL ?? null,
        ]),
      )
      .digest("hex");
    const existing = this.gateways.get(key);
    if (existing) {
      this.gateways.delete(key); // most recently used last
      this.gateways.set(key, existing);
      return existing;
    }
    if (this.gateways.size >= this.maxGateways) {
      const [oldestKey, oldest] = this.gateways.entries().next().value as [string, Gateway];
      this.gateways.delete(oldestKey);
      void oldest.close().catch(() => {});
    }
    const gateway = createLlm(
      gatewayOptions(
        { models: { task: request.model, optimizer: request.model }, cache: SERVING_CACHE },
        { db: this.db, env: request.env, credentials: request.credentials, projectId: request.projectId },
      ),
    );
    this.gateways.set(key, gateway);
    return gateway;
  }

  /** Closes every gateway (tests; a process that stops serving). */
  async close(): Promise<void> {
    const all = [...this.gateways.values()];
    this.gateways.clear();
    await Promise.all(all.map((gateway) => gateway.close()));
  }
}

// Per database handle (a test opens several), on globalThis for the same reason as the caches.
const POOLS = Symbol.for("strop.serving-gateways");
type WithPools = typeof globalThis & { [POOLS]?: WeakMap<Db, ServingGateways> };

/** The process's gateways for generate calls on `db`. */
export function servingGateways(db: Db): ServingGateways {
  const global = globalThis as WithPools;
  global[POOLS] ??= new WeakMap();
  let pool = global[POOLS].get(db);
  if (!pool) {
    pool = new ServingGateways(db);
    global[POOLS].set(db, pool);
  }
  return pool;
}
