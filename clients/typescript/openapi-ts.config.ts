import { defineConfig } from '@hey-api/openapi-ts';

// `just clients` regenerates src/ from the checked-in document (scripts/clients.sh sets both
// variables; its --check mode writes to a scratch folder).
export default defineConfig({
  input: process.env.SEGMENTA_OPENAPI ?? '../../openapi/openapi.json',
  output: { path: process.env.SEGMENTA_TS_OUT ?? './src', tsConfigPath: null },
  plugins: ['@hey-api/client-fetch', '@hey-api/typescript', '@hey-api/sdk'],
});
