import { signal } from '@lit-labs/signals';
import { parseRoute, type Route } from './routes';

/** The current route; pages and the app shell re-render when it changes. */
export const currentRoute = signal<Route>(parseRoute(location.pathname, location.search));

/** Moves to `path` inside the application without reloading the page. */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  currentRoute.set(parseRoute(location.pathname, location.search));
}

addEventListener('popstate', () => currentRoute.set(parseRoute(location.pathname, location.search)));

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
