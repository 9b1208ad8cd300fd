"use client";

// Deletes a project template (editors), after a second click. Tasks made from it stay.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { apiRequest, errorMessage } from "@/lib/http/client";
import { templateApiPath, templatePath } from "./labels";

export function DeleteTemplateButton({
  project,
  slug,
  name,
}: {
  project: string;
  slug: string;
  name: string;
}) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation({
    mutationFn: () => apiRequest<void>("DELETE", templateApiPath(project, `/${encodeURIComponent(slug)}`)),
    onSuccess: () => {
      router.push(templatePath(project));
      router.refresh();
    },
  });
  return (
    <div className="space-y-2">
      {confirming ? (
        <div className="flex flex-wrap items-center gap-2">
          <span className="text-sm text-slate-700">Delete the template {name}? Tasks made from it stay.</span>
          <Button variant="danger" pending={remove.isPending} onClick={() => remove.mutate()}>
            Delete template
          </Button>
          <Button variant="ghost" onClick={() => setConfirming(false)}>
            Keep it
          </Button>
        </div>
      ) : (
        <Button variant="danger" onClick={() => setConfirming(true)}>
          Delete template…
        </Button>
      )}
      {remove.isError ? (
        <Alert tone="error" title="The template was not deleted">
          {errorMessage(remove.error)}
        </Alert>
      ) : null}
    </div>
  );
}
