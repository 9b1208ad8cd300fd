import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native and engine packages stay outside the server bundle.
  serverExternalPackages: [
    "better-sqlite3",
    "@prisma/client",
    "@prisma/adapter-better-sqlite3",
    "@prisma/adapter-pg",
    "pg",
  ],
};

export default nextConfig;
