"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { apiRequest, errorMessage } from "@/lib/http/client";

/** Role select and remove button of one member row (rendered only where the viewer may act). */
export function MemberActions({
  project,
  userId,
  email,
  role,
  roles,
}: {
  project: string;
  userId: string;
  email: string;
  role: string;
  roles: string[];
}) {
  const router = useRouter();
  const path = `/api/v1/projects/${project}/members/${userId}`;
  const change = useMutation({
    mutationFn: (next: string) => apiRequest("PATCH", path, { role: next }),
    onSuccess: () => router.refresh(),
  });
  const remove = useMutation({
    mutationFn: () => apiRequest("DELETE", path),
    onSuccess: () => router.refresh(),
  });
  const error = change.error ?? remove.error;
  const errorId = `member-${userId}-error`;
  return (
    <div className="flex flex-wrap items-center justify-end gap-2">
      <label htmlFor={`role-${userId}`} className="sr-only">
        Role of {email}
      </label>
      <select
        id={`role-${userId}`}
        value={role}
        disabled={change.isPending}
        aria-describedby={error ? errorId : undefined}
        onChange={(event) => change.mutate(event.target.value)}
        className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
      >
        {roles.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      <Button
        variant="danger"
        pending={remove.isPending}
        onClick={() => {
          if (window.confirm(`Remove ${email} from this project?`)) remove.mutate();
        }}
      >
        Remove<span className="sr-only"> {email}</span>
      </Button>
      {error ? (
        <p id={errorId} role="alert" className="w-full text-right text-sm text-red-700">
          {errorMessage(error)}
        </p>
      ) : null}
    </div>
  );
}
