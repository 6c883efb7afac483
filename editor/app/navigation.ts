import { signal } from '@lit-labs/signals';
import { tokenStore } from '../http/tokens';
import { parseRoute, type Route } from './routes';

/** The current route; pages and the app shell re-render when it changes. */
export const currentRoute = signal<Route>(parseRoute(location.pathname, location.search));

/**
 * A link's token leaves the address bar as soon as the page has it: it is
 * remembered in the token store (pages fall back to it), so it is not left in
 * the history, in bookmarks, on a screen shared with the table, or in a
 * Referer. The first route keeps it, so this page load still uses it.
 */
function hideToken(): void {
  const params = new URLSearchParams(location.search);
  const token = params.get('token');
  if (token === null) return;
  tokenStore.remember(token);
  params.delete('token');
  const query = params.toString();
  history.replaceState(history.state, '', `${location.pathname}${query ? `?${query}` : ''}${location.hash}`);
}
hideToken();

/** Moves to `path` inside the application without reloading the page. */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  const route = parseRoute(location.pathname, location.search);
  hideToken();
  currentRoute.set(route);
}

addEventListener('popstate', () => {
  const route = parseRoute(location.pathname, location.search);
  hideToken();
  currentRoute.set(route);
});

/** Same-origin `<a href>` clicks become in-app navigations (modifier clicks still open new tabs). */
export function interceptLinks(root: EventTarget): void {
  root.addEventListener('click', (e) => {
    const ev = e as MouseEvent;
    if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey)
      return;
    const anchor = ev.composedPath().find((n): n is HTMLAnchorElement => n instanceof HTMLAnchorElement);
    if (!anchor || anchor.target || anchor.hasAttribute('download') || anchor.origin !== location.origin)
      return;
    ev.preventDefault();
    navigate(anchor.pathname + anchor.search);
  });
}
