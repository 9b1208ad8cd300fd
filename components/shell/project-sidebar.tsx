"use client";

// The project's sidebar (switcher, navigation, "All projects"). From the md breakpoint up it stands
// beside the page; on phones it folds behind a "Menu" button (a disclosure: aria-expanded +
// aria-controls), so the page starts at its own heading instead of below ten links.
import { usePathname } from "next/navigation";
import { type ReactNode, useEffect, useId, useRef, useState } from "react";

export function ProjectSidebar({ projectName, children }: { projectName: string; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const pathname = usePathname();
  const panelId = useId();
  const toggle = useRef<HTMLButtonElement>(null);

  // A link followed from the open menu lands on a new page: show that page, not the menu.
  // biome-ignore lint/correctness/useExhaustiveDependencies: closing is the reaction to a new pathname
  useEffect(() => setOpen(false), [pathname]);

  useEffect(() => {
    if (!open) return;
    const closeOnEscape = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      setOpen(false);
      toggle.current?.focus();
    };
    document.addEventListener("keydown", closeOnEscape);
    return () => document.removeEventListener("keydown", closeOnEscape);
  }, [open]);

  return (
    <aside className="md:w-56 md:shrink-0">
      <div className="flex items-center justify-between gap-3 md:hidden">
        <p className="min-w-0 truncate text-sm font-medium text-slate-800">{projectName}</p>
        <button
          ref={toggle}
          type="button"
          aria-expanded={open}
          aria-controls={panelId}
          onClick={() => setOpen(!open)}
          className="inline-flex shrink-0 items-center gap-2 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100"
        >
          <svg aria-hidden="true" viewBox="0 0 16 16" className="size-4" fill="currentColor">
            {open ? (
              <path d="M3.3 2.3 8 7l4.7-4.7 1 1L9 8l4.7 4.7-1 1L8 9l-4.7 4.7-1-1L7 8 2.3 3.3z" />
            ) : (
              <path d="M1 3h14v1.5H1zm0 4.25h14v1.5H1zM1 11.5h14V13H1z" />
            )}
          </svg>
          Menu
        </button>
      </div>
      {/* Any link in the panel closes it, the current page's too (its pathname does not change). */}
      {/* biome-ignore lint/a11y/noStaticElementInteractions lint/a11y/useKeyWithClickEvents: the links inside are the controls; this only hears their clicks */}
      <div
        onClick={(event) => {
          if ((event.target as HTMLElement).closest("a")) setOpen(false);
        }}
        id={panelId}
        className={`${open ? "mt-3 block rounded-md border border-slate-200 bg-white p-3 shadow-sm" : "hidden"} md:mt-0 md:block md:border-0 md:bg-transparent md:p-0 md:shadow-none`}
      >
        <div className="space-y-4 md:sticky md:top-6">{children}</div>
      </div>
    </aside>
  );
}
