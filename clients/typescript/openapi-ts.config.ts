import { defineConfig } from '@hey-api/openapi-ts';

// `just clients` regenerates src/ from the checked-in document.
export default defineConfig({
  input: '../../openapi/openapi.json',
  output: { path: './src', tsConfigPath: null },
  plugins: ['@hey-api/client-fetch', '@hey-api/typescript', '@hey-api/sdk'],
});
