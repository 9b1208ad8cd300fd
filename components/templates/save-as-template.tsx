"use client";

// "Save as template" on a prompt version (editors): a slug, name, category and description, and
// optionally one of the project's datasets whose newest version's rows travel with the template.
// Saved, it opens the template's page (export it there as YAML to share it).
import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { ApiError, apiRequest, errorMessage } from "@/lib/http/client";
import type { TemplateSummary } from "@/lib/validation/template-api";
import { TEMPLATE_CATEGORIES } from "@/lib/validation/templates";
import { CATEGORY_LABELS, templateApiPath, templatePath } from "./labels";

const FIELD_LABELS = {
  slug: "Slug",
  name: "Name",
  category: "Category",
  description: "Description",
  dataset: "Example rows",
};

/** A slug suggestion from a task name: lower case, runs of other characters as one "-". */
const slugOf = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80) || "template";

export function SaveAsTemplate({
  project,
  task,
  version,
}: {
  project: string;
  task: string;
  version: number;
}) {
  const [open, setOpen] = useState(false);
  if (!open)
    return (
      <Button variant="secondary" className="py-1.5" onClick={() => setOpen(true)}>
        Save as template…
      </Button>
    );
  return <SaveForm project={project} task={task} version={version} onCancel={() => setOpen(false)} />;
}

function SaveForm({
  project,
  task,
  version,
  onCancel,
}: {
  project: string;
  task: string;
  version: number;
  onCancel: () => void;
}) {
  const router = useRouter();
  const datasets = useQuery({
    queryKey: ["datasets", project],
    queryFn: () =>
      apiRequest<{ items: { name: string; latestVersion: { rowCount: number } | null }[] }>(
        "GET",
        `/api/v1/projects/${encodeURIComponent(project)}/datasets`,
      ),
  });
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      apiRequest<TemplateSummary>("POST", templateApiPath(project), body),
    onSuccess: (saved) => router.push(templatePath(project, saved.slug)),
  });
  const errors = save.error instanceof ApiError ? save.error.fieldErrorsIn("body", 1) : {};

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? "").trim();
    save.mutate({
      task,
      version,
      slug: text("slug"),
      name: text("name"),
      category: text("category"),
      description: text("description"),
      ...(text("dataset") ? { dataset: { dataset: text("dataset") } } : {}),
    });
  }

  const datasetOptions = [
    { value: "", label: "None: the template has no example rows" },
    ...(datasets.data?.items ?? [])
      .filter((d) => d.latestVersion)
      .map((d) => ({
        value: d.name,
        label: `${d.name} (${d.latestVersion!.rowCount} rows, newest version)`,
      })),
  ];
  return (
    <form
      onSubmit={onSubmit}
      noValidate
      aria-label={`Save version ${version} as a template`}
      className="basis-full space-y-3 rounded-md border border-slate-200 bg-slate-50 p-4"
    >
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField
          id="template-slug"
          name="slug"
          label="Slug"
          defaultValue={slugOf(task)}
          error={errors.slug}
          hint="Lower-case letters, digits and '-'; names the exported file."
        />
        <TextField id="template-name" name="name" label="Name" defaultValue={task} error={errors.name} />
        <SelectField
          id="template-category"
          name="category"
          label="Category"
          options={TEMPLATE_CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] }))}
          error={errors.category}
        />
        <SelectField
          id="template-dataset"
          name="dataset"
          label="Example rows"
          options={datasetOptions}
          error={errors.dataset}
          hint="A dataset's rows must give the version's variables and the expected output."
        />
      </div>
      <TextField
        id="template-description"
        name="description"
        label="Description"
        placeholder="What it does, in a sentence or two"
        error={errors.description}
      />
      <div className="flex flex-wrap gap-2">
        <Button type="submit" pending={save.isPending}>
          Save template
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
      {save.isError ? (
        <Alert tone="error" title="The template was not saved">
          {errorMessage(save.error, FIELD_LABELS)}
        </Alert>
      ) : null}
    </form>
  );
}
