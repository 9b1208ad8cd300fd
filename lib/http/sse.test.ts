// The server-sent events helper: the wire format, heartbeats while quiet, the end of the stream when the
// producer ends, and the producer's signal aborting when the client goes away (body cancelled or the
// request aborted), so polling stops.
import { describe, expect, it } from "vitest";
import { formatSse, lastEventIdOf, type SseMessage, sleep, sseResponse } from "./sse";

const request = (init: RequestInit = {}, url = "http://localhost/events") => new Request(url, init);

async function* fromList(messages: SseMessage[]): AsyncGenerator<SseMessage> {
  for (const message of messages) yield message;
}

describe("formatSse", () => {
  it("writes event, id, retry and one data line per line, ending with a blank line", () => {
    expect(formatSse({ event: "end", id: "end", data: { status: "succeeded" } })).toBe(
      'event: end\nid: end\ndata: {"status":"succeeded"}\n\n',
    );
    expect(formatSse({ data: "a\nb", retry: 2000 })).toBe("retry: 2000\ndata: a\ndata: b\n\n");
    expect(formatSse({ event: "x\ny", data: 1 })).toBe("event: x y\ndata: 1\n\n");
  });
});

describe("lastEventIdOf", () => {
  it("takes the Last-Event-ID header, else the lastEventId query parameter", () => {
    expect(lastEventIdOf(request({ headers: { "last-event-id": "end" } }))).toBe("end");
    expect(lastEventIdOf(request({}, "http://localhost/events?lastEventId=7"))).toBe("7");
    expect(lastEventIdOf(request())).toBeNull();
  });
});

describe("sseResponse", () => {
  it("streams the events with the event-stream headers and closes when the producer ends", async () => {
    const res = sseResponse(request(), () =>
      fromList([
        { event: "progress", data: { done: 1 } },
        { event: "end", id: "end", data: { done: 2 } },
      ]),
    );
    expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("no-cache, no-transform");
    expect(await res.text()).toBe(
      'event: progress\ndata: {"done":1}\n\nevent: end\nid: end\ndata: {"done":2}\n\n',
    );
  });

  it("sends a heartbeat comment while the producer is quiet", async () => {
    const res = sseResponse(
      request(),
      async function* (signal) {
        await sleep(120, signal);
        yield { data: "late" };
      },
      { heartbeatMs: 30 },
    );
    const text = await res.text();
    expect(text).toContain(": heartbeat\n\n");
    expect(text.endsWith("data: late\n\n")).toBe(true);
  });

  it("aborts the producer's signal when the client cancels the body", async () => {
    let polls = 0;
    let stopped = false;
    const res = sseResponse(request(), async function* (signal) {
      while (!signal.aborted) {
        polls++;
        yield { event: "progress", data: polls };
        await sleep(10, signal);
      }
      stopped = true;
    });
    const reader = res.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain("event: progress");
    await reader.cancel();
    await sleep(40);
    expect(stopped).toBe(true);
    const after = polls;
    await sleep(40);
    expect(polls).toBe(after);
  });

  it("aborts the producer's signal when the request is aborted", async () => {
    const abort = new AbortController();
    let stopped = false;
    const res = sseResponse(request({ signal: abort.signal }), async function* (signal) {
      yield { data: "first" };
      await sleep(10_000, signal);
      stopped = signal.aborted;
    });
    const reader = res.body!.getReader();
    await reader.read();
    abort.abort();
    await sleep(20);
    expect(stopped).toBe(true);
  });

  it("errors the stream when the producer throws", async () => {
    const error = console.error;
    console.error = () => {};
    try {
      const res = sseResponse(request(), async function* () {
        yield { data: "ok" };
        throw new Error("database gone");
      });
      await expect(res.text()).rejects.toThrow("database gone");
    } finally {
      console.error = error;
    }
  });
});
