"use client";

// "Use this template" (editors): creates the task, its first version, the dataset and the metric
// configurations in one go, then opens the new task's page, where it can be evaluated or optimized.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { apiRequest, errorMessage } from "@/lib/http/client";
import type { UsedTemplate } from "@/lib/validation/template-api";
import { templateApiPath } from "./labels";

export function UseTemplateButton({ project, slug }: { project: string; slug: string }) {
  const router = useRouter();
  const use = useMutation({
    mutationFn: () =>
      apiRequest<UsedTemplate>("POST", templateApiPath(project, `/${encodeURIComponent(slug)}/use`)),
    onSuccess: (used) => router.push(used.url),
  });
  return (
    <div className="space-y-2">
      <Button pending={use.isPending} onClick={() => use.mutate()}>
        Use this template
      </Button>
      {use.isError ? (
        <Alert tone="error" title="Nothing was created">
          {errorMessage(use.error)}
        </Alert>
      ) : null}
    </div>
  );
}
