"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { ApiError, apiRequest, errorMessage } from "@/lib/http/client";

const slugify = (name: string) =>
  name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 50);

/** The fields this form shows next to their controls, by API path (lib/http/error-wording.ts). */
const FIELD_LABELS = {
  name: "Name",
  slug: "Slug",
  organization: "Organization",
};

export function CreateProjectForm({ organizations }: { organizations: { slug: string; name: string }[] }) {
  const router = useRouter();
  const [slug, setSlug] = useState("");
  const [slugEdited, setSlugEdited] = useState(false);
  const create = useMutation({
    mutationFn: (input: { name: string; slug: string; organization?: string }) =>
      apiRequest<{ slug: string }>("POST", "/api/v1/projects", input),
    onSuccess: (project) => router.push(`/projects/${project.slug}`),
  });
  const fields = create.error instanceof ApiError ? create.error.fieldErrors : {};

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const organization = String(form.get("organization") ?? "");
    create.mutate({
      name: String(form.get("name") ?? ""),
      slug,
      ...(organization ? { organization } : {}),
    });
  }

  return (
    <form onSubmit={onSubmit} className="grid gap-4 sm:grid-cols-2" noValidate>
      {create.isError && !Object.keys(fields).length ? (
        <div className="sm:col-span-2">
          <Alert tone="error">{errorMessage(create.error, FIELD_LABELS)}</Alert>
        </div>
      ) : null}
      <TextField
        id="name"
        label="Name"
        required
        error={fields.name}
        onChange={(event) => {
          if (!slugEdited) setSlug(slugify(event.target.value));
        }}
      />
      <TextField
        id="slug"
        label="Slug"
        required
        value={slug}
        onChange={(event) => {
          setSlugEdited(true);
          setSlug(event.target.value);
        }}
        hint="Used in URLs and the API: lower-case letters, digits, dashes."
        error={fields.slug}
      />
      {organizations.length > 1 ? (
        <SelectField
          id="organization"
          label="Organization"
          options={organizations.map((o) => ({ value: o.slug, label: o.name }))}
          error={fields.organization}
        />
      ) : null}
      <div className="sm:col-span-2">
        <Button type="submit" pending={create.isPending}>
          Create project
        </Button>
      </div>
    </form>
  );
}
