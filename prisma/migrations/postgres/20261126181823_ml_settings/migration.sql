-- AlterTable
ALTER TABLE "MetricConfig" ADD COLUMN     "updatedBy" TEXT;

-- AlterTable
ALTER TABLE "ModelConfig" ADD COLUMN     "maxRetries" INTEGER,
ADD COLUMN     "requestsPerMinute" DOUBLE PRECISION,
ADD COLUMN     "timeoutMs" DOUBLE PRECISION,
ADD COLUMN     "tokensPerMinute" DOUBLE PRECISION,
ADD COLUMN     "updatedBy" TEXT;

-- CreateTable
CREATE TABLE "ProviderCredential" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "ciphertext" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "updatedById" TEXT,
    "updatedByLabel" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProviderCredential_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ProviderCredential_projectId_provider_key" ON "ProviderCredential"("projectId", "provider");

-- AddForeignKey
ALTER TABLE "ProviderCredential" ADD CONSTRAINT "ProviderCredential_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;
