// Test support: provider secrets the credential tests store (and must never find in a response, an audit
// row or the console), and the provider variables of the server environment they clear.
export const OPENAI_KEY = "sk-test-openai-SECRET-0123456789abcdef";
export const OPENAI_KEY_2 = "sk-test-openai-SECRET-2-fedcba9876543210";
export const ANTHROPIC_KEY = "sk-ant-test-SECRET-abcdefabcdef";
export const COMPAT_KEY = "compat-SECRET-key-5555555555";
export const PRIVATE_KEY =
  "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC-SECRET\n-----END PRIVATE KEY-----\n";
export const SERVICE_ACCOUNT = JSON.stringify({
  type: "service_account",
  project_id: "strop-test",
  private_key_id: "0123456789abcdef0123456789abcdef01234567",
  private_key: PRIVATE_KEY,
  client_email: "strop@strop-test.iam.gserviceaccount.com",
});
export const SECRETS = [
  OPENAI_KEY,
  OPENAI_KEY_2,
  ANTHROPIC_KEY,
  COMPAT_KEY,
  "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC-SECRET",
];
export const PROVIDER_ENV_VARS = [
  "OPENAI_API_KEY",
  "OPENAI_BASE_URL",
  "ANTHROPIC_API_KEY",
  "GOOGLE_VERTEX_PROJECT",
  "GOOGLE_VERTEX_API_KEY",
  "GOOGLE_VERTEX_LOCATION",
  "GOOGLE_APPLICATION_CREDENTIALS",
  "OPENAI_COMPATIBLE_BASE_URL",
  "OPENAI_COMPATIBLE_API_KEY",
];
