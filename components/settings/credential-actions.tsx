"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { apiRequest, errorMessage } from "@/lib/http/client";

interface TestResult {
  ok: boolean;
  model: string;
  latencyMs: number;
  error: string | null;
}

/** "Test connection" (one minimal real call with the stored credential) and "Remove". */
export function CredentialActions({ project, name }: { project: string; name: string }) {
  const router = useRouter();
  const path = `/api/v1/projects/${project}/credentials/${encodeURIComponent(name)}`;
  const [model, setModel] = useState("");
  const test = useMutation({
    mutationFn: () =>
      apiRequest<TestResult>("POST", `${path}/test`, model.trim() ? { model: model.trim() } : {}),
  });
  const remove = useMutation({
    mutationFn: () => apiRequest("DELETE", path),
    onSuccess: () => router.refresh(),
  });
  const modelId = `credential-${name}-test-model`;
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-end gap-2">
        <div className="space-y-1">
          <label htmlFor={modelId} className="block text-xs font-medium text-slate-700">
            Model to test (optional)
          </label>
          <input
            id={modelId}
            value={model}
            onChange={(event) => setModel(event.target.value)}
            placeholder="default"
            className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
          />
        </div>
        <Button variant="secondary" pending={test.isPending} onClick={() => test.mutate()}>
          Test connection<span className="sr-only"> for {name}</span>
        </Button>
        <Button
          variant="danger"
          pending={remove.isPending}
          onClick={() => {
            if (window.confirm(`Remove the stored credential "${name}"? Runs that rely on it will fail.`))
              remove.mutate();
          }}
        >
          Remove<span className="sr-only"> the {name} credential</span>
        </Button>
      </div>
      {test.data ? (
        test.data.ok ? (
          <Alert tone="success">
            Connected: {test.data.model} answered in {test.data.latencyMs} ms.
          </Alert>
        ) : (
          <Alert tone="error" title={`The test call to ${test.data.model} failed`}>
            {test.data.error}
          </Alert>
        )
      ) : null}
      {test.isError ? <Alert tone="error">{errorMessage(test.error)}</Alert> : null}
      {remove.isError ? <Alert tone="error">{errorMessage(remove.error)}</Alert> : null}
    </div>
  );
}
