// Job leases on real SQLite and PostgreSQL: one holder at a time, a lease taken over only once it
// expired, renewals and releases only by the holder, and exactly one winner when many processes' worth
// of claimers race for an expired lease. Then the holder's side (withJobLease): the heartbeat keeps the
// lease, a lease taken over stops the execution, and the lease is released at the end.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { hostname } from "node:os";
import { describe, expect, it } from "vitest";
import { claimJobLease, getJobLease, heldJobIds, releaseJobLease, renewJobLease } from "@/lib/db";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { useTestDatabase } from "@/lib/db/testing/use-test-database";
import { goneLocalHolder, LeaseLostError, leaseSettings, withJobLease } from "./lease";

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(TEST_PROVIDERS)("job leases on %s", (provider) => {
  const fixture = useTestDatabase(provider, { scope: "all" });
  let n = 0;
  const key = () => ({ kind: "test-kind", jobId: `job-${provider}-${++n}` });

  it("takes over at once a lease whose holder was a process of this machine that is gone", async () => {
    const child = spawn(process.execPath, ["-e", "0"]);
    await once(child, "exit");
    const gone = `${hostname()}:${child.pid}:dead`;
    const job = key();
    expect(await claimJobLease(fixture.db, job, gone, 60_000)).toBe(true);
    const taken = await withJobLease(fixture.db, job, "next", leaseSettings(), async () => "ran");
    expect(taken).toEqual({ claimed: true, value: "ran" });
    // A live holder here, or any holder elsewhere, keeps its lease until it runs out.
    for (const holder of [`${hostname()}:${process.ppid}:alive`, `elsewhere:${child.pid}:x`]) {
      const held = key();
      expect(await claimJobLease(fixture.db, held, holder, 60_000)).toBe(true);
      expect(await withJobLease(fixture.db, held, "next", leaseSettings(), async () => "ran")).toEqual({
        claimed: false,
      });
    }
  });

  it("has one holder at a time; another claims it only once it expired", async () => {
    const job = key();
    expect(await claimJobLease(fixture.db, job, "a", 60_000)).toBe(true);
    expect(await claimJobLease(fixture.db, job, "b", 60_000)).toBe(false);
    // The holder claiming again (a resumed execution in the same process) keeps it.
    expect(await claimJobLease(fixture.db, job, "a", 60_000)).toBe(true);
    expect((await getJobLease(fixture.db, job))?.holder).toBe("a");
    expect(await heldJobIds(fixture.db, job.kind, [job.jobId, "nobody"])).toEqual(new Set([job.jobId]));

    expect(await claimJobLease(fixture.db, job, "a", 50)).toBe(true);
    await wait(80);
    expect(await heldJobIds(fixture.db, job.kind, [job.jobId])).toEqual(new Set());
    expect(await claimJobLease(fixture.db, job, "b", 60_000)).toBe(true);
    // The old holder can neither renew nor release it now.
    expect(await renewJobLease(fixture.db, job, "a", 60_000)).toBe(false);
    await releaseJobLease(fixture.db, job, "a");
    expect((await getJobLease(fixture.db, job))?.holder).toBe("b");
    expect(await renewJobLease(fixture.db, job, "b", 60_000)).toBe(true);
    await releaseJobLease(fixture.db, job, "b");
    expect(await getJobLease(fixture.db, job)).toBeNull();
    expect(await claimJobLease(fixture.db, job, "a", 60_000)).toBe(true);
  });

  it("gives an expired lease (or a free one) to exactly one of many concurrent claimers", async () => {
    for (const expiredFirst of [true, false]) {
      const job = key();
      if (expiredFirst) {
        await claimJobLease(fixture.db, job, "crashed", 1);
        await wait(10);
      }
      const claimers = Array.from({ length: 12 }, (_, i) => `holder-${i}`);
      const won = await Promise.all(claimers.map((holder) => claimJobLease(fixture.db, job, holder, 60_000)));
      expect(won.filter(Boolean)).toHaveLength(1);
      expect((await getJobLease(fixture.db, job))?.holder).toBe(claimers[won.indexOf(true)]);
    }
  });

  it("withJobLease: renews while the work lasts, releases at the end, and stops when the lease is taken", async () => {
    const settings = { ttlMs: 300, heartbeatMs: 60 };
    const job = key();
    const long = await withJobLease(fixture.db, job, "a", settings, async (signal) => {
      await wait(700); // more than twice the lease: only the heartbeat keeps it
      expect(await claimJobLease(fixture.db, job, "b", 60_000)).toBe(false);
      return signal.aborted;
    });
    expect(long).toEqual({ claimed: true, value: false });
    expect(await getJobLease(fixture.db, job)).toBeNull();

    // Held by someone else: nothing runs.
    await claimJobLease(fixture.db, job, "b", 60_000);
    let ran = false;
    expect(
      await withJobLease(fixture.db, job, "a", settings, async () => {
        ran = true;
      }),
    ).toEqual({ claimed: false });
    expect(ran).toBe(false);
    await releaseJobLease(fixture.db, job, "b");

    // Taken over (another process found it expired): the execution is told to stop.
    const stolen = await withJobLease(fixture.db, job, "a", settings, async (signal) => {
      await fixture.db.jobLease.update({
        where: { kind_jobId: { kind: job.kind, jobId: job.jobId } },
        data: { holder: "b" },
      });
      await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
      return signal.reason;
    });
    expect(stolen.claimed && stolen.value).toBeInstanceOf(LeaseLostError);
    // Not released: it is b's now.
    expect((await getJobLease(fixture.db, job))?.holder).toBe("b");
  });

  it("withJobLease: a holder stalled past its lease starts no further step", async () => {
    const settings = { ttlMs: 300, heartbeatMs: 100 };
    const job = key();
    const ran: string[] = [];
    const steps = { run: <T>(_id: string, fn: () => Promise<T>) => fn(), sleep: async () => {} };
    const stalled = await withJobLease(fixture.db, job, "a", settings, async (signal, lease) => {
      const leased = lease.steps(steps);
      await leased.run("step-1", async () => ran.push("step-1"));
      // The thread is busy (or the process paused) for longer than the lease: no heartbeat can run.
      const until = Date.now() + 450;
      while (Date.now() < until);
      // The next step starts from I/O, before any timer of this loop turn runs (setImmediate: the same
      // turn): it must be refused even though no renewal has answered yet.
      await new Promise((resolve) => setImmediate(resolve));
      const refused = await leased.run("step-2", async () => ran.push("step-2")).catch((error) => error);
      return { refused, aborted: signal.aborted };
    });
    expect(stalled.claimed && stalled.value.refused).toBeInstanceOf(LeaseLostError);
    expect(stalled.claimed && stalled.value.aborted).toBe(true);
    expect(ran).toEqual(["step-1"]);
  });
});

describe("lease settings", () => {
  it("reads STROP_JOB_LEASE_SECONDS and STROP_JOB_POLL_SECONDS (defaults 30 and 10)", () => {
    expect(leaseSettings({})).toEqual({ ttlMs: 30_000, heartbeatMs: 10_000, pollMs: 10_000 });
    expect(leaseSettings({ STROP_JOB_LEASE_SECONDS: "6", STROP_JOB_POLL_SECONDS: "0.5" })).toEqual({
      ttlMs: 6000,
      heartbeatMs: 2000,
      pollMs: 500,
    });
    expect(() => leaseSettings({ STROP_JOB_POLL_SECONDS: "0" })).toThrow(
      'STROP_JOB_POLL_SECONDS must be a positive number of seconds, got "0"',
    );
  });
});

describe("goneLocalHolder", () => {
  it("is true only for a pid of this host that no longer exists", async () => {
    const child = spawn(process.execPath, ["-e", "0"]);
    await once(child, "exit");
    expect(goneLocalHolder(`${hostname()}:${child.pid}:x`)).toBe(true);
    expect(goneLocalHolder(`${hostname()}:${process.pid}:x`)).toBe(false);
    expect(goneLocalHolder(`${hostname()}:${process.ppid}:x`)).toBe(false);
    expect(goneLocalHolder(`another-host:${child.pid}:x`)).toBe(false);
    expect(goneLocalHolder("a")).toBe(false);
  });
});
