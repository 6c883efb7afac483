/** The application shell, its routes and in-app navigation. */
export { AppRoot } from './app-root';
export { parseRoute, gmPath, playPath, type Route } from './routes';
export { currentRoute, navigate, interceptLinks } from './navigation';
