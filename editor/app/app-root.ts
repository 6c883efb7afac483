import { html, LitElement, css } from 'lit';
import { SignalWatcher } from '@lit-labs/signals';
import { currentRoute, interceptLinks } from './navigation';
import type { Route } from './routes';
import '../components/error-screen';

/**
 * Page modules load on demand: the home page does not pay for Babylon, and
 * the player view does not load the inspector.
 */
const pageModules = {
  home: () => import('../pages/home-page'),
  gm: () => import('../pages/gm-editor-page'),
  play: () => import('../pages/player-view-page'),
};

/** The application shell: shows the page of the current route. */
export class AppRoot extends SignalWatcher(LitElement) {
  static override styles = css`
    :host {
      display: block;
      height: 100%;
    }
  `;

  private loaded = new Set<string>();

  override connectedCallback(): void {
    super.connectedCallback();
    interceptLinks(this.renderRoot);
  }

  override render() {
    const route = currentRoute.get();
    if (route.page === 'not-found')
      return html`<ts-error-screen kind="not-found" .detail=${`No page at ${route.path}`}></ts-error-screen>`;
    if (!this.loaded.has(route.page)) {
      void pageModules[route.page]().then(
        () => {
          this.loaded.add(route.page);
          this.requestUpdate();
        },
        (e: Error) => {
          // A failed chunk load usually means the dev server went away.
          this.loadError = e.message;
          this.requestUpdate();
        },
      );
      return this.loadError
        ? html`<ts-error-screen kind="unreachable" .detail=${this.loadError}></ts-error-screen>`
        : html``;
    }
    return this.renderPage(route);
  }

  private loadError = '';

  private renderPage(route: Exclude<Route, { page: 'not-found' }>) {
    switch (route.page) {
      case 'home':
        return html`<ts-home-page></ts-home-page>`;
      case 'gm':
        return html`<ts-gm-editor-page .route=${route}></ts-gm-editor-page>`;
      case 'play':
        return html`<ts-player-view-page .route=${route}></ts-player-view-page>`;
    }
  }
}

if (!customElements.get('ts-app')) customElements.define('ts-app', AppRoot);
