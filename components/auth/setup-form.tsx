"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import type { FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { ApiError, apiRequest, errorMessage } from "@/lib/http/client";

interface SetupInput {
  email: string;
  password: string;
  name?: string;
  organization?: string;
}

/** The fields this form shows next to their controls, by API path (lib/http/error-wording.ts). */
const FIELD_LABELS = {
  name: "Your name",
  email: "Email",
  password: "Password",
  organization: "Organization",
};

export function SetupForm({ minPasswordLength }: { minPasswordLength: number }) {
  const router = useRouter();
  const setup = useMutation({
    mutationFn: async (input: SetupInput) => {
      const result = await apiRequest<{ projects: { slug: string }[] }>("POST", "/api/v1/setup", input);
      const target = result.projects[0] ? `/projects/${result.projects[0].slug}` : "/projects";
      await signIn("credentials", { email: input.email, password: input.password, redirect: false });
      return target;
    },
    onSuccess: (target) => {
      router.replace(target);
      router.refresh();
    },
  });
  const fields = setup.error instanceof ApiError ? setup.error.fieldErrors : {};

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? "").trim() || undefined;
    setup.mutate({
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      name: text("name"),
      organization: text("organization"),
    });
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <div>
        <h1 className="text-lg font-semibold">Set up Strop</h1>
        <p className="mt-1 text-sm text-slate-600">
          Create the first owner. This page works only until the first account exists.
        </p>
      </div>
      {setup.isError && !Object.keys(fields).length ? (
        <Alert tone="error">{errorMessage(setup.error, FIELD_LABELS)}</Alert>
      ) : null}
      <TextField id="name" label="Your name" autoComplete="name" error={fields.name} />
      <TextField
        id="email"
        label="Email"
        type="email"
        autoComplete="username"
        required
        error={fields.email}
      />
      <TextField
        id="password"
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        minLength={minPasswordLength}
        hint={`At least ${minPasswordLength} characters.`}
        error={fields.password}
      />
      <TextField
        id="organization"
        label="Organization"
        placeholder="Default"
        hint="Shown in the project switcher; you can add projects later."
        error={fields.organization}
      />
      <Button type="submit" pending={setup.isPending} className="w-full">
        Create owner account
      </Button>
    </form>
  );
}
