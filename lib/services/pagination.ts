// A page of a list as the services return it: the items and the cursor of the next page (encoded for
// clients by lib/http/pagination.ts).
export type { Page, PageCursor } from "@/lib/db";
