/** `lineWidth` → `line_width`; `fogOfWar_gmOpacity` → `fog_of_war_gm_opacity`. */
export function snakeCase(s: string): string {
  return s
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[-\s]+/g, '_')
    .toLowerCase();
}

/** `line_width` → `lineWidth`. */
export function camelCase(s: string): string {
  return s.replace(/[_-]+([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** `lineWidth` → `LineWidth`. */
export function pascalCase(s: string): string {
  const c = camelCase(s);
  return c.charAt(0).toUpperCase() + c.slice(1);
}

/** `fogOfWar` → `fog-of-war`. */
export function kebabCase(s: string): string {
  return snakeCase(s).replace(/_/g, '-');
}

/** `lineWidth` → `Line width`. */
export function humanize(s: string): string {
  const words = snakeCase(s).split('_');
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
