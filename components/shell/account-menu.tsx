"use client";

// The account menu of the dashboard header: who is signed in, "Change password" and "Sign out
// everywhere". Both end every session of the user on the server (lib/services/sessions.ts).
import { useEffect, useRef, useState } from "react";
import { ChangePasswordDialog } from "./change-password-dialog";
import { SignOutEverywhereDialog } from "./sign-out-everywhere-dialog";

type Dialog = "password" | "everywhere" | null;

const ITEM =
  "block w-full px-4 py-2 text-left text-sm text-slate-700 hover:bg-slate-100 focus:bg-slate-100 focus:outline-none";

export function AccountMenu({ email }: { email: string }) {
  const [open, setOpen] = useState(false);
  const [dialog, setDialog] = useState<Dialog>(null);
  const root = useRef<HTMLDivElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const closeOutside = (event: MouseEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const closeOnEscape = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      setOpen(false);
      trigger.current?.focus();
    };
    document.addEventListener("mousedown", closeOutside);
    document.addEventListener("keydown", closeOnEscape);
    root.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    return () => {
      document.removeEventListener("mousedown", closeOutside);
      document.removeEventListener("keydown", closeOnEscape);
    };
  }, [open]);

  const choose = (next: Dialog) => {
    setOpen(false);
    setDialog(next);
  };

  return (
    <div ref={root} className="relative min-w-0">
      <button
        ref={trigger}
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        className="inline-flex min-w-0 max-w-full items-center gap-1 rounded-md px-2 py-1 text-sm text-slate-700 hover:bg-slate-100"
      >
        <span className="sr-only">Account: </span>
        <span className="min-w-0 truncate">{email}</span>
        <span aria-hidden="true" className="text-xs text-slate-400">
          ▾
        </span>
      </button>
      {open ? (
        <div
          role="menu"
          aria-label="Account"
          className="absolute right-0 z-20 mt-1 w-56 overflow-hidden rounded-md border border-slate-200 bg-white py-1 shadow-lg"
        >
          <button type="button" role="menuitem" className={ITEM} onClick={() => choose("password")}>
            Change password
          </button>
          <button type="button" role="menuitem" className={ITEM} onClick={() => choose("everywhere")}>
            Sign out everywhere
          </button>
        </div>
      ) : null}
      {dialog === "password" ? <ChangePasswordDialog email={email} onClose={() => setDialog(null)} /> : null}
      {dialog === "everywhere" ? <SignOutEverywhereDialog onClose={() => setDialog(null)} /> : null}
    </div>
  );
}
