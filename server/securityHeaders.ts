/**
 * Response headers that keep pages, API answers and uploaded files from being
 * framed, sniffed into another type, leaking their URL (which may carry a
 * `?token=`) through `Referer`, or running script they were not built with.
 * One table, used by the app server (API, uploads, the built editor) and by
 * the Vite dev server's middleware, so development and production match.
 */

/** Headers every response gets. */
export const BASE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/** API and error answers are data: nothing in them may load or run anything. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * Uploaded files: a sandbox (no script, no same-origin access) in case one is
 * opened as a page, and nothing it could load. Images and videos still display.
 */
export const UPLOAD_CSP =
  "default-src 'none'; img-src 'self'; media-src 'self'; sandbox; frame-ancestors 'none'";

/**
 * The editor page. Scripts only from its own origin (Vite's dev client and
 * the built bundle are both files; WebGL shaders and Lit need no eval).
 * Styles allow inline because Lit and Vite inject `<style>` elements and the
 * page sets style attributes; style cannot run code. Babylon builds textures
 * and workers from `blob:`/`data:` URLs. `connect-src` adds the rooms' host
 * (WebSocket) when it is not the page's own origin.
 */
export function editorCsp(partykitHost?: string): string {
  const rooms = partykitHost ? ` ws://${partykitHost} wss://${partykitHost}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "media-src 'self' blob: data:",
    "font-src 'self' data:",
    `connect-src 'self' blob: data:${rooms}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The full header set for one kind of response. */
export function securityHeaders(
  kind: 'page' | 'api' | 'upload',
  partykitHost?: string,
): Record<string, string> {
  const csp = kind === 'page' ? editorCsp(partykitHost) : kind === 'upload' ? UPLOAD_CSP : API_CSP;
  return { ...BASE_SECURITY_HEADERS, 'Content-Security-Policy': csp };
}
