"use client";

// A reviewer's feedback on a generation (editors): a name (thumbs_up by default), a judgment (good, bad,
// a score or a category), a comment and a corrected output. It goes through the same feedback path as
// applications' (POST …/generations/{id}/feedback, source "reviewer"); a correction becomes an example
// when a dataset is built from feedback.
import { type FormEvent, useState } from "react";
import { useTaskCall } from "@/components/prompts/task-api";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { ApiError, errorMessage } from "@/lib/http/client";
import type { ReviewInput } from "@/lib/validation/generations";

type Kind = "good" | "bad" | "score" | "category";

const KINDS = [
  { value: "good", label: "Good (true)" },
  { value: "bad", label: "Bad (false)" },
  { value: "score", label: "A score" },
  { value: "category", label: "A category" },
];

const AREA =
  "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200";

export function ReviewForm({
  project,
  task,
  generation,
  output,
}: {
  project: string;
  task: string;
  generation: string;
  /** The generation's output: where a correction starts. */
  output: string | null;
}) {
  const [name, setName] = useState("thumbs_up");
  const [kind, setKind] = useState<Kind>("good");
  const [other, setOther] = useState("");
  const [comment, setComment] = useState("");
  const [correcting, setCorrecting] = useState(false);
  const [correction, setCorrection] = useState(output ?? "");
  const [sent, setSent] = useState(false);
  const review = useTaskCall<ReviewInput>(
    project,
    task,
    (body) => ({ method: "POST", path: `/generations/${encodeURIComponent(generation)}/feedback`, body }),
    {
      onSuccess: () => {
        setSent(true);
        setComment("");
        setCorrecting(false);
      },
    },
  );
  const fields = review.error instanceof ApiError ? review.error.fieldErrors : {};

  function value(): boolean | number | string {
    if (kind === "good") return true;
    if (kind === "bad") return false;
    if (kind === "score") return other.trim() === "" ? Number.NaN : Number(other);
    return other.trim();
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSent(false);
    review.mutate({
      name: name.trim(),
      value: value(),
      ...(comment.trim() ? { comment: comment.trim() } : {}),
      ...(correcting ? { correction } : {}),
    });
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-3" aria-label="Review this generation">
      <div className="grid gap-3 sm:grid-cols-3">
        <TextField
          id="review-name"
          label="Feedback name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={fields.name}
          required
        />
        <SelectField
          id="review-kind"
          label="Judgment"
          value={kind}
          onChange={(e) => setKind(e.target.value as Kind)}
          options={KINDS}
        />
        {kind === "score" || kind === "category" ? (
          <TextField
            id="review-value"
            label={kind === "score" ? "Score" : "Category"}
            value={other}
            inputMode={kind === "score" ? "decimal" : undefined}
            onChange={(e) => setOther(e.target.value)}
            error={fields.value}
            required
          />
        ) : null}
      </div>
      <div className="space-y-1">
        <label htmlFor="review-comment" className="block text-sm font-medium text-slate-800">
          Comment (optional)
        </label>
        <textarea
          id="review-comment"
          rows={2}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          className={AREA}
        />
        {fields.comment ? <p className="text-sm text-red-700">{fields.comment}</p> : null}
      </div>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={correcting} onChange={(e) => setCorrecting(e.target.checked)} />
        Add a corrected output (it becomes an example of the feedback dataset)
      </label>
      {correcting ? (
        <div className="space-y-1">
          <label htmlFor="review-correction" className="block text-sm font-medium text-slate-800">
            Correction
          </label>
          <textarea
            id="review-correction"
            rows={5}
            value={correction}
            onChange={(e) => setCorrection(e.target.value)}
            className={`${AREA} font-mono`}
          />
          {fields.correction ? <p className="text-sm text-red-700">{fields.correction}</p> : null}
        </div>
      ) : null}
      {review.isError && !Object.keys(fields).length ? (
        <Alert tone="error">{errorMessage(review.error)}</Alert>
      ) : null}
      {sent ? <Alert tone="success">Your review was recorded.</Alert> : null}
      <Button type="submit" pending={review.isPending}>
        Send review
      </Button>
    </form>
  );
}
