-- CreateTable
CREATE TABLE "LlmCacheEntry" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LlmCacheEntry_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "LlmCacheEntry_expiresAt_idx" ON "LlmCacheEntry"("expiresAt");
