-- CreateTable
CREATE TABLE "LlmCacheEntry" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "LlmCacheEntry_expiresAt_idx" ON "LlmCacheEntry"("expiresAt");
