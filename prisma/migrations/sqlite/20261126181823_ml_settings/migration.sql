-- AlterTable
ALTER TABLE "MetricConfig" ADD COLUMN "updatedBy" TEXT;

-- AlterTable
ALTER TABLE "ModelConfig" ADD COLUMN "maxRetries" INTEGER;
ALTER TABLE "ModelConfig" ADD COLUMN "requestsPerMinute" REAL;
ALTER TABLE "ModelConfig" ADD COLUMN "timeoutMs" REAL;
ALTER TABLE "ModelConfig" ADD COLUMN "tokensPerMinute" REAL;
ALTER TABLE "ModelConfig" ADD COLUMN "updatedBy" TEXT;

-- CreateTable
CREATE TABLE "ProviderCredential" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "ciphertext" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "updatedById" TEXT,
    "updatedByLabel" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ProviderCredential_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "ProviderCredential_projectId_provider_key" ON "ProviderCredential"("projectId", "provider");
