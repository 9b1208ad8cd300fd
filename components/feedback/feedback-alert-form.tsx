"use client";

// A project's negative-feedback alerts (admins): when the scheduled check proposes optimizing a prompt
// version from its feedback. "Check now" runs that check for this project at once.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useId, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { apiRequest, describeError, errorMessage } from "@/lib/http/client";
import type { FeedbackAlertSettings, FeedbackCheck } from "@/lib/validation/feedback-alerts";

const LABELS = {
  rate: "Propose at a negative share of (0 to 1)",
  minimumJudgments: "Minimum judgments",
  negativeAtMost: "Negative at or below",
  windowDays: "Window (days)",
  names: "Feedback names",
} as const;

type Draft = Record<"rate" | "minimumJudgments" | "negativeAtMost" | "windowDays" | "names", string>;

// A number as typed goes as a number; anything else as text, so the API names the field.
const numberOrText = (value: string) => {
  const n = Number(value.trim());
  return value.trim() !== "" && Number.isFinite(n) ? n : value;
};

export function FeedbackAlertForm({ project, current }: { project: string; current: FeedbackAlertSettings }) {
  const ids = useId();
  const router = useRouter();
  const [enabled, setEnabled] = useState(current.enabled);
  const [draft, setDraft] = useState<Draft>({
    rate: String(current.rate),
    minimumJudgments: String(current.minimumJudgments),
    negativeAtMost: String(current.negativeAtMost),
    windowDays: String(current.windowDays),
    names: current.names.join(", "),
  });
  const base = `/api/v1/projects/${project}`;
  const save = useMutation({
    mutationFn: (body: unknown) => apiRequest<FeedbackAlertSettings>("PUT", `${base}/feedback-alert`, body),
    onSuccess: () => router.refresh(),
  });
  const check = useMutation({
    mutationFn: () => apiRequest<FeedbackCheck>("POST", `${base}/feedback-proposals/check`),
    onSuccess: () => router.refresh(),
  });
  const worded = save.error ? describeError(save.error, LABELS) : null;
  const field = (name: keyof Draft) => ({
    id: `${ids}-${name}`,
    label: LABELS[name],
    value: draft[name],
    onChange: (e: { currentTarget: HTMLInputElement }) => {
      const { value } = e.currentTarget;
      setDraft((d) => ({ ...d, [name]: value }));
    },
    error: worded?.fields[name],
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    save.mutate({
      enabled,
      rate: numberOrText(draft.rate),
      minimumJudgments: numberOrText(draft.minimumJudgments),
      negativeAtMost: numberOrText(draft.negativeAtMost),
      windowDays: numberOrText(draft.windowDays),
      names: draft.names
        .split(",")
        .map((name) => name.trim())
        .filter(Boolean),
    });
  }

  return (
    <div className="space-y-4">
      <form onSubmit={onSubmit} className="space-y-3" noValidate aria-label="Feedback alerts">
        {worded ? <Alert tone="error">{worded.summary}</Alert> : null}
        {save.isSuccess && !worded ? <Alert tone="success">Saved.</Alert> : null}
        <label className="flex items-center gap-2 text-sm text-slate-800">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />
          Check this project's feedback on a schedule
        </label>
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
          <TextField {...field("rate")} inputMode="decimal" hint="0.3: 30% or more of the judgments." />
          <TextField {...field("minimumJudgments")} inputMode="numeric" hint="Of one name, on one version." />
          <TextField {...field("windowDays")} inputMode="numeric" />
          <TextField
            {...field("negativeAtMost")}
            inputMode="decimal"
            hint="0: a thumbs-down (false) is negative; 2: scores of 2 or less."
          />
          <TextField {...field("names")} hint="Comma-separated; empty: every numeric or yes/no name." />
        </div>
        <Button type="submit" pending={save.isPending}>
          Save feedback alerts
        </Button>
      </form>
      <div className="flex flex-wrap items-center gap-3">
        <Button variant="secondary" pending={check.isPending} onClick={() => check.mutate()}>
          Check now
        </Button>
        {check.isError ? <Alert tone="error">{errorMessage(check.error)}</Alert> : null}
        {check.data ? (
          <p className="text-sm text-slate-700" role="status">
            {check.data.opened} new proposal{check.data.opened === 1 ? "" : "s"}, {check.data.refreshed}{" "}
            brought up to date.
          </p>
        ) : null}
      </div>
    </div>
  );
}
