-- Security bindings (hand-edited after generation): provider credentials get a name (existing ones are
-- named after their provider) and a display copy of their endpoint, model configurations lose baseURL
-- and apiKeyEnv (whoever writes a configuration must not choose where a secret is sent or which
-- environment variable becomes one) and name a credential instead, users get a session version for
-- server-side revocation of sessions. Configurations that had a baseURL need a credential bound to
-- that endpoint, set by an admin (docs/security.md).
-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ModelConfig" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "credential" TEXT,
    "params" JSONB NOT NULL,
    "priceInputPerMTok" REAL,
    "priceOutputPerMTok" REAL,
    "concurrency" INTEGER NOT NULL,
    "requestsPerMinute" REAL,
    "tokensPerMinute" REAL,
    "timeoutMs" REAL,
    "maxRetries" INTEGER,
    "updatedBy" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ModelConfig_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_ModelConfig" ("concurrency", "createdAt", "id", "maxRetries", "modelId", "name", "params", "priceInputPerMTok", "priceOutputPerMTok", "projectId", "requestsPerMinute", "timeoutMs", "tokensPerMinute", "updatedAt", "updatedBy") SELECT "concurrency", "createdAt", "id", "maxRetries", "modelId", "name", "params", "priceInputPerMTok", "priceOutputPerMTok", "projectId", "requestsPerMinute", "timeoutMs", "tokensPerMinute", "updatedAt", "updatedBy" FROM "ModelConfig";
DROP TABLE "ModelConfig";
ALTER TABLE "new_ModelConfig" RENAME TO "ModelConfig";
CREATE UNIQUE INDEX "ModelConfig_projectId_name_key" ON "ModelConfig"("projectId", "name");
CREATE TABLE "new_ProviderCredential" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "endpoint" TEXT,
    "ciphertext" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "updatedById" TEXT,
    "updatedByLabel" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ProviderCredential_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_ProviderCredential" ("name", "ciphertext", "createdAt", "fingerprint", "id", "projectId", "provider", "updatedAt", "updatedById", "updatedByLabel") SELECT "provider", "ciphertext", "createdAt", "fingerprint", "id", "projectId", "provider", "updatedAt", "updatedById", "updatedByLabel" FROM "ProviderCredential";
DROP TABLE "ProviderCredential";
ALTER TABLE "new_ProviderCredential" RENAME TO "ProviderCredential";
CREATE UNIQUE INDEX "ProviderCredential_projectId_name_key" ON "ProviderCredential"("projectId", "name");
CREATE TABLE "new_User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "passwordHash" TEXT NOT NULL,
    "disabledAt" DATETIME,
    "lastSignInAt" DATETIME,
    "sessionVersion" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_User" ("createdAt", "disabledAt", "email", "id", "lastSignInAt", "name", "passwordHash", "updatedAt") SELECT "createdAt", "disabledAt", "email", "id", "lastSignInAt", "name", "passwordHash", "updatedAt" FROM "User";
DROP TABLE "User";
ALTER TABLE "new_User" RENAME TO "User";
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
