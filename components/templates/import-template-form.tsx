"use client";

// Import a template YAML file (editors): the file is the request body; a refused file's message names
// every field it got wrong (e.g. dataset.rows.3.subject); an imported one opens its page.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { sendFile } from "@/components/datasets/send-file";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { errorMessage } from "@/lib/http/client";
import type { TemplateSummary } from "@/lib/validation/template-api";
import { templateApiPath, templatePath } from "./labels";

export function ImportTemplateForm({ project }: { project: string }) {
  const router = useRouter();
  const [file, setFile] = useState<File | null>(null);
  const upload = useMutation({
    mutationFn: (chosen: File) =>
      sendFile<TemplateSummary>(templateApiPath(project, "/import"), chosen, "application/yaml", () => {}),
    onSuccess: (imported) => router.push(templatePath(project, imported.slug)),
  });
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (file) upload.mutate(file);
  }
  return (
    <form onSubmit={onSubmit} aria-label="Import a template" className="space-y-3">
      <div>
        <label htmlFor="template-file" className="block text-sm font-medium text-slate-800">
          Template file (.yaml)
        </label>
        <input
          id="template-file"
          type="file"
          accept=".yaml,.yml,application/yaml,text/yaml"
          onChange={(event) => setFile(event.currentTarget.files?.[0] ?? null)}
          aria-describedby="template-file-hint"
          className="mt-1 block text-sm"
        />
        <p id="template-file-hint" className="mt-1 text-xs text-slate-500">
          A file exported from a Strop project (Export YAML on a template&apos;s page).
        </p>
      </div>
      <Button type="submit" disabled={!file} pending={upload.isPending}>
        Import template
      </Button>
      {upload.isError ? (
        <Alert tone="error" title="The template was not imported">
          {errorMessage(upload.error)}
        </Alert>
      ) : null}
    </form>
  );
}
