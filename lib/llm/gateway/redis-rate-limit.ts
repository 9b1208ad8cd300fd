// The token buckets of rate-limit.ts kept in Redis, so several processes (CLI runs, app instances,
// batch workers) share one provider quota. One atomic Lua script charges every bucket of a call and
// returns the wait; the time comes from Redis itself, so the processes' clocks need not agree.
import type { BucketCharge, RateLimiter } from "./rate-limit";
import type { RedisClient } from "./redis";

// KEYS: one hash per bucket. ARGV: perMs, capacity, cost per bucket, in KEYS order.
// Returns the wait in ms as a string (Lua numbers would be truncated to integers).
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local wait = 0
for i = 1, #KEYS do
  local perMs = tonumber(ARGV[i * 3 - 2])
  local capacity = tonumber(ARGV[i * 3 - 1])
  local cost = tonumber(ARGV[i * 3])
  local state = redis.call('HMGET', KEYS[i], 'tokens', 'at')
  local tokens = tonumber(state[1])
  local at = tonumber(state[2])
  if tokens == nil or at == nil then
    tokens = capacity
    at = now
  end
  if now > at then tokens = tokens + (now - at) * perMs else now = at end
  if tokens > capacity then tokens = capacity end
  tokens = tokens - cost
  redis.call('HSET', KEYS[i], 'tokens', string.format('%.6f', tokens), 'at', string.format('%.3f', now))
  redis.call('PEXPIRE', KEYS[i], math.ceil((capacity - tokens) / perMs) + 60000)
  if tokens < 0 then
    local w = -tokens / perMs
    if w > wait then wait = w end
  end
end
return string.format('%.3f', wait)
`;

export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly redis: RedisClient,
    /** Prepended to every bucket key, e.g. "strop:". */
    private readonly prefix = "strop:",
  ) {}

  async reserve(charges: readonly BucketCharge[]): Promise<number> {
    if (charges.length === 0) return 0;
    const keys = charges.map((c) => `${this.prefix}rl:${c.key}`);
    const args = charges.flatMap((c) => [String(c.perMs), String(c.capacity), String(c.cost)]);
    const wait = await this.redis.evalScript(RESERVE, keys, args);
    return Number(wait);
  }

  async adjust(charges: readonly BucketCharge[]): Promise<void> {
    await this.reserve(charges);
  }
}
