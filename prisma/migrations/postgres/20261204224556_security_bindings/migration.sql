-- Security bindings (hand-edited after generation): provider credentials get a name (existing ones are
-- named after their provider) and a display copy of their endpoint, model configurations lose baseURL
-- and apiKeyEnv (whoever writes a configuration must not choose where a secret is sent or which
-- environment variable becomes one) and name a credential instead, users get a session version for
-- server-side revocation of sessions. Configurations that had a baseURL need a credential bound to
-- that endpoint, set by an admin (docs/security.md).
-- DropIndex
DROP INDEX "ProviderCredential_projectId_provider_key";

-- AlterTable
ALTER TABLE "ModelConfig" DROP COLUMN "apiKeyEnv",
DROP COLUMN "baseURL",
ADD COLUMN     "credential" TEXT;

-- AlterTable
ALTER TABLE "ProviderCredential" ADD COLUMN     "endpoint" TEXT,
ADD COLUMN     "name" TEXT;
UPDATE "ProviderCredential" SET "name" = "provider";
ALTER TABLE "ProviderCredential" ALTER COLUMN "name" SET NOT NULL;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "sessionVersion" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE UNIQUE INDEX "ProviderCredential_projectId_name_key" ON "ProviderCredential"("projectId", "name");
