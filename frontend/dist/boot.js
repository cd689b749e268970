// Starts the browser app. A file of its own, not an inline script, so that the pages'
// content security policy can forbid inline scripts (crates/server/src/spa.rs).
import init from '/pkg/frontend.js';
init();
